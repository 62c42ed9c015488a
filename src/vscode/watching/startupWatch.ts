import { describeError, type BatchesApi } from '../../api';
import type { BatchStore } from '../../domain/batchStore';
import { DisposableObject } from '../../domain/lifecycle';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import type { UnfinishedBatches } from '../../domain/unfinishedBatches';
import type { Log } from '../core/log';
import type { PollingService } from './polling';

/** At most this many batches older than the first page are looked up one by one at the start. */
const MAX_LOOKUPS = 20;

/**
 * Picks the watch up again after a restart: when this machine knows of batches that had not
 * finished (its submissions, batches seen in flight), the store loads them, so the poller, the
 * status bar and the end notifications carry on without the view or a batch file being opened.
 * With nothing unfinished it makes no request at all. It keeps the memory current as the store,
 * the registry and the poller learn more.
 */
export class StartupWatch extends DisposableObject {
  /** Settles once the batches unfinished at the start are in the store (tests). */
  readonly ready: Promise<void>;

  constructor(
    private readonly unfinished: UnfinishedBatches,
    private readonly store: BatchStore,
    registry: SubmissionRegistry,
    polling: Pick<PollingService, 'onDidRemoveBatch'>,
    private readonly api: () => Promise<BatchesApi | undefined>,
    private readonly log: Log,
  ) {
    super();
    const failed = (err: unknown) => log.warn(`Remembering unfinished batches failed: ${err instanceof Error ? err.message : String(err)}`);
    this.register(store.onDidChange(() => void unfinished.observe(store.batches).catch(failed)));
    this.register(registry.onDidChange((record) => void unfinished.add(record.batchId).catch(failed)));
    this.register(polling.onDidRemoveBatch((id) => void unfinished.forget(id).catch(failed)));
    this.ready = unfinished.ids().length === 0 ? Promise.resolve() : this.resume().catch((err: unknown) => log.warn(`Watching the unfinished batches again failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  /**
   * Another account, key or server: lists its batches, and looks up those it knows unfinished that
   * are older than the first page, so they are watched (and their end announced) as at a start.
   */
  listAgain(): Promise<void> {
    return this.resume(false).catch((err: unknown) => this.log.warn(`Watching the unfinished batches of the account in use failed: ${err instanceof Error ? err.message : String(err)}`));
  }

  private async resume(atStart = true): Promise<void> {
    const known = this.unfinished.ids().length;
    if (atStart || known > 0) this.log.info(`${known} unfinished batch(es) known ${atStart ? 'from the last session' : 'of the account in use'}: watching them again.`);
    const generation = this.store.resets;
    await this.store.refresh();
    if (this.isDisposed || !this.store.isLoaded || this.store.resets !== generation) return;
    // Older than the first page: looked up one by one (the poller then keeps them current).
    const missing = this.unfinished.ids().filter((id) => !this.store.get(id)).slice(0, MAX_LOOKUPS);
    if (missing.length === 0) return;
    const api = await this.api();
    if (!api) return;
    for (const id of missing) {
      if (this.isDisposed) return;
      try {
        const batch = await api.retrieve(id);
        // Another account put in use meanwhile: this batch is not the new one's.
        if (this.store.resets !== generation) return;
        this.store.upsert(batch);
      } catch (err) {
        if (this.store.resets !== generation) return;
        if (describeError(err).kind === 'notFound') await this.unfinished.forget(id);
        else throw err;
      }
    }
  }
}
