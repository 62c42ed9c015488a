// Where a batch stands, as the commands, the view, the notifications and the status bar ask it.
// One definition each, so a menu's `when`, a command's check and a notification's actions agree.
import type { MessageBatch } from '../api';

/** Processing, and so can be canceled. A canceling batch is neither running nor ended. */
export const isRunning = (batch: MessageBatch): boolean => batch.processing_status === 'in_progress';

/** Done: its counts are final; it can be deleted, and its results read. */
export const isEnded = (batch: MessageBatch): boolean => batch.processing_status === 'ended';

/** How many requests the batch holds, whatever became of them. */
export const requestTotal = (batch: MessageBatch): number => {
  const c = batch.request_counts;
  return c.processing + c.succeeded + c.errored + c.canceled + c.expired;
};

/** The API still has its results: ended, and not yet archived (RETENTION_DAYS after creation). */
export const apiHasResults = (batch: MessageBatch): boolean => isEnded(batch) && !!batch.results_url && !batch.archived_at;

/** Some requests errored or expired: Retry Failed Requests has something to offer. */
export const hasFailures = (batch: MessageBatch): boolean => batch.request_counts.errored > 0 || batch.request_counts.expired > 0;

/** `in progress`, `canceling`, `ended`. */
export const statusText = (batch: MessageBatch): string => batch.processing_status.replace('_', ' ');
