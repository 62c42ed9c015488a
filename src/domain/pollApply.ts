import * as l10n from '@vscode/l10n';
import type { MessageBatch, UserFacingError } from '../api';
import type { BatchStore } from './batchStore';

// What a poll's answer does to the store.

const STATUS_RANK: Record<MessageBatch['processing_status'], number> = { in_progress: 0, canceling: 1, ended: 2 };

/**
 * Upserts the polled batches the store knows (a poll never adds one); true when any of them
 * changed. An answer sent before a cancel must not turn a canceling batch back to in progress.
 */
export function applyPolled(store: BatchStore, batches: readonly MessageBatch[]): boolean {
  const byId = new Map(store.batches.map((b) => [b.id, b]));
  let changed = false;
  for (const batch of batches) {
    const known = byId.get(batch.id);
    if (!known || STATUS_RANK[batch.processing_status] < STATUS_RANK[known.processing_status]) continue;
    if (store.upsert(batch)) changed = true;
  }
  return changed;
}

/** A batch another window was told no longer exists: the 404 it got, as this window words it. */
export const NOT_FOUND_ELSEWHERE: UserFacingError = {
  kind: 'notFound',
  retryable: false,
  status: 404,
  // A getter: the words are translated when shown, not when this module loads.
  get message() {
    return l10n.t('The batch no longer exists (it may have been deleted, or belongs to another workspace).');
  },
};
