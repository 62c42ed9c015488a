import * as l10n from '@vscode/l10n';
import { describeError, type BatchesApi, type MessageBatch, type UserFacingError } from '../api';
import { Emitter, type Event } from './events';
import { DisposableObject } from './lifecycle';
import { isEnded } from '../common/batchStatus';

/** What the Batches view should show when it has no rows to show, or above its rows. */
export type ListState =
  | { kind: 'noKey' }
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'error'; error: UserFacingError };

export interface StoreChange {
  /** The batch that changed, when a single one did; undefined when the whole list changed. */
  batch?: MessageBatch;
  /** A batch that was in flight and has ended (for notifications). */
  ended?: MessageBatch[];
}

export interface BatchStoreOptions {
  /** The API for the current key, or undefined when there is no key. */
  api: () => Promise<BatchesApi | undefined>;
  pageSize: () => number;
  /** Where to say which base URL could not be reached. */
  baseUrl?: () => string | undefined;
}

/**
 * The one owner of the account's batches as far as they are loaded: the pages fetched so far,
 * newest first. The tree, the status bar and documents subscribe; nothing else calls `list`.
 */
export class BatchStore extends DisposableObject {
  private list: MessageBatch[] = [];
  private more = false;
  private cursor: string | null = null;
  private current: ListState = { kind: 'loading' };
  private loaded = false;
  private refreshing: Promise<void> | undefined;
  private generation = 0;
  private readonly changed = this.register(new Emitter<StoreChange>());
  readonly onDidChange: Event<StoreChange> = this.changed.event;

  constructor(private readonly options: BatchStoreOptions) {
    super();
  }

  get batches(): readonly MessageBatch[] {
    return this.list;
  }
  get hasMore(): boolean {
    return this.more;
  }
  get state(): ListState {
    return this.current;
  }
  /** Counts the resets: a batch looked up before the last one may belong to another account. */
  get resets(): number {
    return this.generation;
  }
  /** Whether a first page has ever been loaded for the current key. */
  get isLoaded(): boolean {
    return this.loaded;
  }

  get(batchId: string): MessageBatch | undefined {
    return this.list.find((b) => b.id === batchId);
  }

  /** Batches still running or canceling, oldest first. */
  inFlight(): MessageBatch[] {
    return this.list.filter((b) => !isEnded(b)).reverse();
  }

  /**
   * Reloads everything loaded so far in one request (up to 1000 batches). Concurrent calls share
   * one request.
   */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      const pending = this.doRefresh().finally(() => {
        if (this.refreshing === pending) this.refreshing = undefined;
      });
      this.refreshing = pending;
    }
    return this.refreshing;
  }

  /** Loads the next (older) page. */
  async loadMore(): Promise<void> {
    if (!this.more || !this.cursor) return;
    const generation = this.generation;
    const api = await this.options.api();
    if (!api) return this.setNoKey();
    try {
      const page = await api.listPage({ limit: this.options.pageSize(), afterId: this.cursor });
      if (generation !== this.generation) return;
      // A batch looked up on its own (older than the pages, in flight) may already be there: each once, newest first.
      this.list = mergeNewestFirst(this.list, page.batches);
      this.more = page.hasMore;
      this.cursor = page.lastId ?? this.cursor;
      this.current = { kind: 'ready' };
    } catch (err) {
      if (generation !== this.generation) return;
      this.current = { kind: 'error', error: describeError(err, { action: l10n.t('Loading more batches'), baseUrl: this.options.baseUrl?.() }) };
    }
    this.changed.fire({});
  }

  /**
   * Puts a batch the extension learned about (created, cancelled, polled) into the list at its
   * place by creation time, and reports it as ended when it was in flight before. Returns whether
   * the list changed, so that a writer (the poller) knows without listening to its own writes.
   */
  upsert(batch: MessageBatch): boolean {
    const index = this.list.findIndex((b) => b.id === batch.id);
    const before = index >= 0 ? this.list[index] : undefined;
    if (before && sameBatch(before, batch)) return false;
    if (index >= 0) {
      this.list = this.list.map((b, i) => (i === index ? batch : b));
    } else {
      const at = this.list.findIndex((b) => b.created_at < batch.created_at);
      this.list = at < 0 ? [...this.list, batch] : [...this.list.slice(0, at), batch, ...this.list.slice(at)];
    }
    const ended = before && !isEnded(before) && isEnded(batch) ? [batch] : undefined;
    this.changed.fire({ batch, ended });
    return true;
  }

  /** Takes a batch out of the list; returns whether it was there. */
  remove(batchId: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((b) => b.id !== batchId);
    if (this.list.length === before) return false;
    this.changed.fire({});
    return true;
  }

  /** Forgets everything (the key or the base URL changed: it may be another account). */
  reset(): void {
    this.generation++;
    // A refresh under way belongs to the old key; the next refresh must not join it.
    this.refreshing = undefined;
    this.empty({ kind: 'loading' });
  }

  private async doRefresh(): Promise<void> {
    const generation = this.generation;
    const api = await this.options.api();
    if (!api) return this.setNoKey();
    if (!this.loaded) {
      this.current = { kind: 'loading' };
      this.changed.fire({});
    }
    try {
      const limit = Math.min(1000, Math.max(this.options.pageSize(), this.list.length));
      const page = await api.listPage({ limit });
      if (generation !== this.generation) return;
      const previous = new Map(this.list.map((b) => [b.id, b]));
      const ended = page.batches.filter((b) => {
        const was = previous.get(b.id);
        return was && !isEnded(was) && isEnded(b);
      });
      // Batches beyond the re-listed range (looked up on their own, older than every page loaded)
      // stay: the poller watches them and their end is still to be seen. The API answered for the
      // range it listed, so one missing inside it is gone; without more pages, nothing older exists.
      const oldest = page.batches.at(-1)?.created_at;
      const listed = new Set(page.batches.map((b) => b.id));
      const beyond = page.hasMore && oldest !== undefined ? this.list.filter((b) => b.created_at < oldest && !listed.has(b.id)) : [];
      this.list = beyond.length ? mergeNewestFirst(page.batches, beyond) : page.batches;
      this.more = page.hasMore;
      this.cursor = page.lastId;
      this.loaded = true;
      this.current = { kind: 'ready' };
      this.changed.fire({ ended: ended.length ? ended : undefined });
    } catch (err) {
      if (generation !== this.generation) return;
      this.current = { kind: 'error', error: describeError(err, { action: l10n.t('Listing batches'), baseUrl: this.options.baseUrl?.() }) };
      this.changed.fire({});
    }
  }

  private setNoKey(): void {
    this.empty({ kind: 'noKey' });
  }

  /** No batches loaded, in the given state. */
  private empty(state: ListState): void {
    this.list = [];
    this.more = false;
    this.cursor = null;
    this.loaded = false;
    this.current = state;
    this.changed.fire({});
  }
}

function sameBatch(a: MessageBatch, b: MessageBatch): boolean {
  const ca = a.request_counts;
  const cb = b.request_counts;
  return (
    a.processing_status === b.processing_status &&
    a.ended_at === b.ended_at &&
    a.archived_at === b.archived_at &&
    a.cancel_initiated_at === b.cancel_initiated_at &&
    ca.processing === cb.processing &&
    ca.succeeded === cb.succeeded &&
    ca.errored === cb.errored &&
    ca.canceled === cb.canceled &&
    ca.expired === cb.expired
  );
}

/** Two lists of batches as one, newest first, each batch once (the first list's copy wins). */
function mergeNewestFirst(list: readonly MessageBatch[], more: readonly MessageBatch[]): MessageBatch[] {
  const known = new Set(list.map((b) => b.id));
  const added = more.filter((b) => !known.has(b.id));
  if (added.length === 0) return [...list];
  // Stable: batches created in the same instant keep the order the API gave them.
  return [...list, ...added].map((b, i) => ({ b, i })).sort((x, y) => (x.b.created_at < y.b.created_at ? 1 : x.b.created_at > y.b.created_at ? -1 : x.i - y.i)).map(({ b }) => b);
}
