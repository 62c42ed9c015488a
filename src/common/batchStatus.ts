// Where a batch stands, as the commands, the view, the notifications and the status bar ask it.
// One definition each, so a menu's `when`, a command's check and a notification's actions agree.
import type { MessageBatch } from '../api';
import * as l10n from '@vscode/l10n';

/** Processing, and so can be canceled. A canceling batch is neither running nor ended. */
export const isRunning = (batch: Pick<MessageBatch, 'processing_status'>): boolean => batch.processing_status === 'in_progress';

/** Done: its counts are final; it can be deleted, and its results read. */
export const isEnded = (batch: Pick<MessageBatch, 'processing_status'>): boolean => batch.processing_status === 'ended';

/** The API still has its results: ended, and not yet archived (RETENTION_DAYS after creation). */
export const apiHasResults = (batch: MessageBatch): boolean => isEnded(batch) && !!batch.results_url && !batch.archived_at;

/** Some requests errored or expired: Retry Failed Requests has something to offer. */
export const hasFailures = (batch: MessageBatch): boolean => batch.request_counts.errored > 0 || batch.request_counts.expired > 0;

/** `in progress`, `canceling`, `ended`. Takes any status, so that the API's error wording says it too. */
export const statusText = (batch: Pick<MessageBatch, 'processing_status'> | { processing_status: string }): string =>
  // Own keys only: a status from a server could be named after anything, `constructor` included.
  Object.hasOwn(STATUS_WORDS, batch.processing_status) ? STATUS_WORDS[batch.processing_status]() : batch.processing_status.replace('_', ' ');

/** The statuses the API has today, in words; one it adds later reads as its id with spaces. */
const STATUS_WORDS: Record<string, () => string> = {
  in_progress: () => l10n.t('in progress'),
  canceling: () => l10n.t('canceling'),
  ended: () => l10n.t('ended'),
};
