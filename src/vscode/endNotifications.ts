import * as vscode from 'vscode';
import type { MessageBatch } from '../api';
import { batchLabel } from '../domain/batchPresentation';
import type { BatchStore } from '../domain/batchStore';
import { EndAnnouncer, endSummary } from '../domain/endAnnouncer';
import type { SubmissionRegistry } from '../domain/submissionRegistry';
import type { Log } from './log';
import { Settings } from './settings';
import { ui } from './ui';

/** Past this many batches ending together, one summary notification replaces the separate ones. */
const MAX_SEPARATE_NOTIFICATIONS = 3;

/**
 * One notification per batch that ends: `"prompts.jsonl" ended: 980 succeeded, 15 errored`, with
 * Open Results, Retry Failed (when some failed) and Save Results. Batches this machine submitted
 * that ended while VS Code was closed are announced once, on the next start.
 */
export class EndNotifications implements vscode.Disposable {
  private readonly watched = new Set<string>();
  private readonly announcer: EndAnnouncer;
  private readonly subscription: vscode.Disposable;
  private pending = Promise.resolve();

  constructor(
    private readonly store: BatchStore,
    private readonly registry: SubmissionRegistry,
    globalState: vscode.Memento,
    private readonly log: Log,
  ) {
    this.announcer = new EndAnnouncer(globalState);
    this.subscription = store.onDidChange(() => {
      // Serialised: two quick changes must not announce the same batch twice.
      this.pending = this.pending.then(() => this.check()).catch((err) => log.error('End notifications failed', err));
    });
  }

  /** Settles when the notifications for the changes so far have been decided (tests). */
  settled(): Promise<void> {
    return this.pending;
  }

  private async check(): Promise<void> {
    for (const b of this.store.batches) if (b.processing_status !== 'ended') this.watched.add(b.id);
    const ended = this.store.batches.filter((b) => b.processing_status === 'ended');
    const fresh = await this.announcer.take(ended, (id) => this.watched.has(id), (id) => this.registry.has(id));
    for (const batch of fresh) {
      this.watched.delete(batch.id);
      this.log.info(`${endSummary(batchLabel(batch, this.registry.get(batch.id)), batch)} (${batch.id})`);
    }
    if (!Settings.notifyOnEnd() || fresh.length === 0) return;
    if (fresh.length > MAX_SEPARATE_NOTIFICATIONS) return this.announceMany(fresh);
    for (const batch of fresh) await this.announce(batch);
  }

  /** Many batches ending at once get one notification, not a wall of them. */
  private async announceMany(batches: MessageBatch[]): Promise<void> {
    const sum = (key: 'succeeded' | 'errored' | 'expired' | 'canceled') => batches.reduce((n, b) => n + b.request_counts[key], 0);
    const parts = [`${sum('succeeded').toLocaleString('en-US')} succeeded`];
    if (sum('errored')) parts.push(`${sum('errored').toLocaleString('en-US')} errored`);
    if (sum('expired')) parts.push(`${sum('expired').toLocaleString('en-US')} expired`);
    if (sum('canceled')) parts.push(`${sum('canceled').toLocaleString('en-US')} canceled`);
    const message = `${batches.length} batches ended: ${parts.join(', ')}`;
    const choice = sum('errored') || sum('expired') ? ui().warn(message, 'Show Batches') : ui().info(message, 'Show Batches');
    void Promise.resolve(choice).then((picked) => {
      if (picked) void vscode.commands.executeCommand('claudeBatches.batches.focus');
    });
  }

  /** Shows the notification; returns once it is shown, without waiting for the user's choice. */
  private async announce(batch: MessageBatch): Promise<void> {
    const c = batch.request_counts;
    const label = batchLabel(batch, this.registry.get(batch.id));
    const canRetry = (c.errored > 0 || c.expired > 0) && (await vscode.commands.getCommands(true)).includes('claudeBatches.retryFailed');
    const actions = ['Open Results', ...(canRetry ? ['Retry Failed'] : []), 'Save Results'];
    const message = endSummary(label, batch);
    const choice = c.errored || c.expired ? ui().warn(message, ...actions) : ui().info(message, ...actions);
    void Promise.resolve(choice).then((picked) => {
      const command = picked && { 'Open Results': 'claudeBatches.openResults', 'Retry Failed': 'claudeBatches.retryFailed', 'Save Results': 'claudeBatches.saveResults' }[picked];
      if (command) void vscode.commands.executeCommand(command, batch.id);
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
