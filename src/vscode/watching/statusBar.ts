import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { batchLabel } from '../../domain/batchPresentation';
import { statusText } from '../../common/batchStatus';
import type { BatchStore } from '../../domain/batchStore';
import { formatCount, formatDuration, formatTime } from '../../common/format';
import { DisposableObject } from '../../domain/lifecycle';
import { markdownText } from '../../domain/markdown';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { CommandIds } from '../commands/commandIds';

/** "3 batches running": each count a whole message, so that a translation chooses its own plural. */
function runningText(n: number): string {
  return n === 1 ? vscode.l10n.t('1 batch running') : vscode.l10n.t('{0} batches running', formatCount(n));
}

function endedText(n: number): string {
  return n === 1 ? vscode.l10n.t('1 batch ended') : vscode.l10n.t('{0} batches ended', formatCount(n));
}
import { commandLink, commandOf } from '../commands/commandRunner';
import type { PollingService } from './polling';

/** How long "1 batch ended" stays in the status bar after the last batch ends. */
const ENDED_VISIBLE_MS = 60_000;
/** How often the item is drawn again without news: elapsed times and "last checked" move on. */
const TICK_MS = 10_000;

/**
 * `$(sync~spin) 2 batches running` while batches run; hidden when nothing runs and nothing has
 * just ended. Rendered from the store (so it never disagrees with the tree) and the poller's
 * state (a warning look while polling fails). Click: check the running batches now, and show the
 * Batches view.
 */
export class BatchStatusBar extends DisposableObject {
  readonly item = this.register(vscode.window.createStatusBarItem('claudeBatches.status', vscode.StatusBarAlignment.Left, 50));
  private readonly recentlyEnded = new Map<string, number>();
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly store: BatchStore,
    private readonly registry: SubmissionRegistry,
    private readonly polling: Pick<PollingService, 'state' | 'onDidChangeState' | 'lastCheckedAt'>,
    private readonly now: () => number = Date.now,
    /** The name of the account whose batches these are (undefined: none to name). */
    private readonly account: () => string | undefined = () => undefined,
  ) {
    super();
    this.item.name = vscode.l10n.t('Claude Batches');
    this.item.command = commandOf(CommandIds.checkNow, vscode.l10n.t('Check running batches now'));
    this.register(
      store.onDidChange((change) => {
        for (const b of change.ended ?? []) this.recentlyEnded.set(b.id, this.now());
        this.render();
      }),
    );
    this.register(polling.onDidChangeState(() => this.render()));
    this.register({ dispose: () => this.setTicking(false) });
    this.render();
  }

  render(): void {
    const now = this.now();
    // Forget what is too old, and what the store no longer has (deleted, or another account).
    for (const [id, at] of this.recentlyEnded) if (now - at > ENDED_VISIBLE_MS || !this.store.get(id)) this.recentlyEnded.delete(id);
    const running = this.store.inFlight();
    const state = this.polling.state;
    if (running.length === 0 && this.recentlyEnded.size === 0) {
      this.item.hide();
      this.setTicking(false);
      return;
    }
    const failing = state.kind === 'failing' || state.kind === 'stopped';
    const icon = failing ? '$(warning)' : running.length ? '$(sync~spin)' : '$(pass)';
    const what = running.length ? runningText(running.length) : endedText(this.recentlyEnded.size);
    this.item.text = `${icon} ${what}`;
    this.item.backgroundColor = failing ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // Read without the icons' names, and saying when checking fails (the color alone says nothing to a screen reader).
    this.item.accessibilityInformation = {
      label: vscode.l10n.t('Claude Batches: {0}{1}. Activate to check now.', what, failing ? vscode.l10n.t(', checking on them is failing') : ''),
      role: 'button',
    };

    const lines: string[] = [];
    const account = this.account();
    if (account) lines.push(vscode.l10n.t('Account: **{0}**', markdownText(account, { themeIcons: true })), '');
    if (state.kind === 'failing') {
      lines.push(vscode.l10n.t('$(warning) **Checking on batches is failing:** {0}', markdownText(state.error.message, { themeIcons: true })), '', vscode.l10n.t('Trying again at {0}.', formatTime(state.nextPollAt)), '');
    } else if (state.kind === 'stopped') {
      lines.push(vscode.l10n.t('$(warning) **Stopped checking on batches:** {0}', markdownText(state.error.message, { themeIcons: true })), '', vscode.l10n.t('[Set API Key]({0})', commandLink(CommandIds.setApiKey)), '');
    }
    if (running.length) {
      lines.push('**Running**', '');
      for (const b of running) lines.push(vscode.l10n.t('- $(sync~spin) {0}: {1} for {2}, expires in {3}', this.label(b), statusText(b), formatDuration(now - Date.parse(b.created_at)), formatDuration(Date.parse(b.expires_at) - now)));
    }
    const ended = [...this.recentlyEnded.keys()].map((id) => this.store.get(id)).filter((b): b is MessageBatch => !!b);
    if (ended.length) {
      lines.push('', vscode.l10n.t('**Just ended**'), '');
      for (const b of ended) lines.push(vscode.l10n.t('- $(pass) {0}', this.label(b)));
    }
    if (running.length) {
      const checkedAt = this.polling.lastCheckedAt;
      const checked = checkedAt === undefined ? vscode.l10n.t('Not checked yet') : vscode.l10n.t('Last checked {0} ago', formatDuration(Math.max(0, now - checkedAt)));
      const next = state.kind === 'polling' ? vscode.l10n.t(', next check at {0}', formatTime(state.nextPollAt)) : '';
      lines.push('', vscode.l10n.t('{0}{1}. Click to check now.', checked, next));
    }
    const tooltip = new vscode.MarkdownString(lines.join('\n'), true);
    tooltip.isTrusted = { enabledCommands: [CommandIds.setApiKey] };
    this.item.tooltip = tooltip;
    this.item.show();
    this.setTicking(true);
  }

  /** File names and ids are untrusted: plain text, even in this tooltip with icons and a command link. */
  private label(batch: MessageBatch): string {
    return markdownText(batchLabel(batch, this.registry.get(batch.id)), { themeIcons: true });
  }

  /** Elapsed times and the "just ended" window move on without any API call. */
  private setTicking(on: boolean): void {
    if (on && !this.ticker) this.ticker = setInterval(() => this.render(), TICK_MS);
    if (!on && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
