import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { batchLabel } from '../../domain/batchPresentation';
import { hasFailures, isEnded } from '../../common/batchStatus';
import type { BatchStore } from '../../domain/batchStore';
import { EndAnnouncer, endSummary, fileClaims } from '../../domain/endAnnouncer';
import { DisposableObject } from '../../domain/lifecycle';
import { outcomeSummary, sumRequestCounts } from '../../common/requestCounts';
import type { KeyValueStorage, SubmissionRegistry } from '../../domain/submissionRegistry';
import { CommandIds } from '../commands/commandIds';
import { executeCommand } from '../commands/commandRunner';
import type { Log } from '../core/log';
import { Settings } from '../core/settings';
import { ui } from '../core/ui';

/** Past this many batches ending together, one summary notification replaces the separate ones. */
const MAX_SEPARATE_NOTIFICATIONS = 3;

/** The buttons of an end notification, each run with the batch that ended. */
const END_ACTIONS = [
  { title: vscode.l10n.t('Open Results'), command: CommandIds.openResults },
  { title: vscode.l10n.t('Retry Failed'), command: CommandIds.retryFailed },
  { title: vscode.l10n.t('Save Results'), command: CommandIds.saveResults },
] as const;

/** What differs for the batches of an account not in use. */
export interface EndNotificationOptions {
  /** The account to name in the notifications (undefined: one account only, nothing to name). */
  account?: () => string | undefined;
  /** Runs before a button's command: the batch's account is put in use, so the command finds the batch. */
  beforeAction?: () => Promise<unknown>;
}

/** The button that turns end notifications off (the setting claudeBatches.notifyOnEnd). */
export const DONT_SHOW_AGAIN = vscode.l10n.t("Don't Show Again");

/**
 * One notification per batch that ends: `"prompts.jsonl" ended: 980 succeeded, 15 errored`, with
 * Open Results, Retry Failed (when some failed) and Save Results. Batches this machine submitted
 * or saw in flight that ended while VS Code was closed are announced once, on the next start.
 */
export class EndNotifications extends DisposableObject {
  private readonly watched = new Set<string>();
  private readonly announcer: EndAnnouncer;
  private pending = Promise.resolve();

  constructor(
    private readonly store: BatchStore,
    private readonly registry: SubmissionRegistry,
    globalState: KeyValueStorage,
    private readonly log: Log,
    /** Batches known unfinished when VS Code started: one that ended while it was closed is announced. */
    private readonly unfinishedAtStart: ReadonlySet<string> = new Set(),
    /** Where the windows of this machine claim announcements (undefined: this window alone decides). */
    claimsDir?: string | (() => string),
    private readonly options: EndNotificationOptions = {},
  ) {
    super();
    this.announcer = new EndAnnouncer(globalState, Date.now, claimsDir ? fileClaims(claimsDir) : undefined);
    this.register(
      store.onDidChange(() => {
        // Serialised: two quick changes must not announce the same batch twice.
        this.pending = this.pending.then(() => this.check()).catch((err) => log.error('End notifications failed', err));
      }),
    );
  }

  /** Settles when the notifications for the changes so far have been decided (tests). */
  settled(): Promise<void> {
    return this.pending;
  }

  private async check(): Promise<void> {
    for (const b of this.store.batches) if (!isEnded(b)) this.watched.add(b.id);
    const ended = this.store.batches.filter(isEnded);
    const fresh = await this.announcer.take(ended, (id) => this.watched.has(id) || this.unfinishedAtStart.has(id), (id) => this.registry.has(id));
    for (const batch of fresh) {
      this.watched.delete(batch.id);
      this.log.info(`${endSummary(batchLabel(batch, this.registry.get(batch.id)), batch, this.options.account?.())} (${batch.id})`);
    }
    if (!Settings.notifyOnEnd() || fresh.length === 0) return;
    if (fresh.length > MAX_SEPARATE_NOTIFICATIONS) return this.announceMany(fresh);
    for (const batch of fresh) await this.announce(batch);
  }

  /** Many batches ending at once get one notification, not a wall of them. */
  private async announceMany(batches: MessageBatch[]): Promise<void> {
    const counts = sumRequestCounts(batches);
    const account = this.options.account?.();
    const message = account
      ? vscode.l10n.t('{0} batches ended in the account "{1}": {2}', batches.length, account, outcomeSummary(counts, 'words'))
      : vscode.l10n.t('{0} batches ended: {1}', batches.length, outcomeSummary(counts, 'words'));
    const choice = counts.errored || counts.expired ? ui().warn(message, vscode.l10n.t('Show Batches'), DONT_SHOW_AGAIN) : ui().info(message, vscode.l10n.t('Show Batches'), DONT_SHOW_AGAIN);
    void Promise.resolve(choice).then((picked) => {
      if (picked === DONT_SHOW_AGAIN) void this.turnOff();
      else if (picked) void Promise.resolve(this.options.beforeAction?.()).then(() => executeCommand('claudeBatches.batches.focus'));
    });
  }

  /** Shows the notification; returns once it is shown, without waiting for the user's choice. */
  private async announce(batch: MessageBatch): Promise<void> {
    const label = batchLabel(batch, this.registry.get(batch.id));
    const failed = hasFailures(batch);
    const canRetry = failed && (await vscode.commands.getCommands(true)).includes(CommandIds.retryFailed);
    const actions = END_ACTIONS.filter((a) => a.command !== CommandIds.retryFailed || canRetry);
    const titles = actions.map((a) => a.title);
    const message = endSummary(label, batch, this.options.account?.());
    const choice = failed ? ui().warn(message, ...titles, DONT_SHOW_AGAIN) : ui().info(message, ...titles, DONT_SHOW_AGAIN);
    void Promise.resolve(choice).then((picked) => {
      if (picked === DONT_SHOW_AGAIN) return void this.turnOff();
      const action = actions.find((a) => a.title === picked);
      if (action) void Promise.resolve(this.options.beforeAction?.()).then(() => executeCommand(action.command, batch.id));
    });
  }

  /** "Don't Show Again": the setting off in user settings, and where to turn it back on. */
  private async turnOff(): Promise<void> {
    try {
      await vscode.workspace.getConfiguration('claudeBatches').update('notifyOnEnd', false, vscode.ConfigurationTarget.Global);
    } catch (err) {
      this.log.error('Turning end notifications off failed', err);
      return;
    }
    const picked = await ui().info(vscode.l10n.t('No more notifications when a batch ends; the status bar still shows it. Turn them back on with the setting claudeBatches.notifyOnEnd.'), vscode.l10n.t('Open Settings'));
    if (picked === vscode.l10n.t('Open Settings')) void executeCommand('workbench.action.openSettings', 'claudeBatches.notifyOnEnd');
  }
}
