// A batch's request counts as a person reads them: how many requests in all, and how they ended.
// The tree, the group rows, the notifications and the log word them here, so they agree.
//
// A leaf like format.ts (it imports only format.ts, @vscode/l10n and the API's types), so src/api may use
// totalRequests too: the results download bounds its answer by the batch's size.
import type { MessageBatch, MessageBatchRequestCounts } from '../api';
import { formatCount } from './format';
import * as l10n from '@vscode/l10n';

type Counts = MessageBatchRequestCounts;
type Outcome = 'succeeded' | 'errored' | 'expired' | 'canceled';

/** The order the outcomes are read in, everywhere. */
const ORDER: readonly Outcome[] = ['succeeded', 'errored', 'expired', 'canceled'];
const SYMBOLS: Record<Outcome, string> = { succeeded: '✓', errored: '✗', expired: 'expired', canceled: 'canceled' };

/** Every request of the batch once: processing or ended one way or another. */
export function totalRequests(batch: MessageBatch): number {
  const c = batch.request_counts;
  return c.processing + c.succeeded + c.errored + c.canceled + c.expired;
}

/** The counts of several batches together: a group's parts, or batches that ended at once. */
export function sumRequestCounts(batches: readonly MessageBatch[]): Counts {
  const sum: Counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  for (const b of batches) for (const key of Object.keys(sum) as (keyof Counts)[]) sum[key] += b.request_counts[key];
  return sum;
}

/** `980 succeeded`: each outcome a whole message, translated when used. */
const OUTCOME_WORDS: Record<(typeof ORDER)[number], (count: string) => string> = {
  succeeded: (n) => l10n.t('{0} succeeded', n),
  errored: (n) => l10n.t('{0} errored', n),
  canceled: (n) => l10n.t('{0} canceled', n),
  expired: (n) => l10n.t('{0} expired', n),
};

/**
 * How the requests ended: succeeded always, the others when there are any. `symbols` for a row
 * (`980 ✓ 15 ✗ 5 expired`), `words` for a sentence (`980 succeeded, 15 errored, 5 expired`).
 */
export function outcomeSummary(counts: Counts, style: 'symbols' | 'words'): string {
  const shown = ORDER.filter((o) => o === 'succeeded' || counts[o] > 0);
  if (style === 'symbols') return shown.map((o) => `${formatCount(counts[o])} ${SYMBOLS[o]}`).join(' ');
  return shown.map((o) => OUTCOME_WORDS[o](formatCount(counts[o]))).join(', ');
}

/** `1 request`, `1,000 requests`: each form a whole message, for translations with other plurals. */
export function requestsText(n: number): string {
  return n === 1 ? l10n.t('1 request') : l10n.t('{0} requests', formatCount(n));
}
