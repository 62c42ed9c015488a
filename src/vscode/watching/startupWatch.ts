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

  private async resume(): Promise<void> {
    this.log.info(`${this.unfinished.ids().length} unfinished batch(es) known from the last session: watching them again.`);
    await this.store.refresh();
    if (this.isDisposed || !this.store.isLoaded) return;
    // Older than the first page: looked up one by one (the poller then keeps them current).
    const missing = this.unfinished.ids().filter((id) => !this.store.get(id)).slice(0, MAX_LOOKUPS);
    if (missing.length === 0) return;
    const api = await this.api();
    if (!api) return;
    for (const id of missing) {
      if (this.isDisposed) return;
      try {
        this.store.upsert(await api.retrieve(id));
      } catch (err) {
        if (describeError(err).kind === 'notFound') await this.unfinished.forget(id);
        else throw err;
      }
    }
  }
}
