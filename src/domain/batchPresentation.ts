// How a batch reads to a person: label, one-line description, icon, capabilities, tooltip text.
// Pure functions of the batch and what this machine remembers of it; the tree renders them.
import * as l10n from '@vscode/l10n';
import type { MessageBatch } from '../api';
import { apiHasResults, hasFailures, isEnded, isRunning, statusText } from '../common/batchStatus';
import { formatCount, formatDate, formatDuration } from '../common/format';
import { markdownText } from './markdown';
import { outcomeSummary, requestsText, totalRequests } from '../common/requestCounts';
import { batchName, recordLabel, type SubmissionRecord } from './submissionRegistry';

/** The API deletes a batch's results this many days after the batch was created. */
export const RETENTION_DAYS = 29;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A batch's name in messages and tooltips: its source file (or the label given), else its id. */
export function batchLabel(batch: MessageBatch, record: SubmissionRecord | undefined): string {
  return batchName(record, batch.id);
}

/**
 * A row in the Batches view has about 35 characters at the default side-bar width (300 px), and
 * the status and counts must fit in them beside the name. So a row is named by what a person
 * recognises, kept short: the source file (or the label given), cut in the middle past
 * ROW_LABEL_MAX characters; else the id's last ID_TAIL characters, which tell batches apart
 * (`…LZO4Y8O7`). The full id ends the description, and is in the tooltip and Copy Batch ID.
 */
const ROW_LABEL_MAX = 22;
const ID_TAIL = 8;

export function batchRowLabel(batch: MessageBatch, record: SubmissionRecord | undefined): string {
  if (record?.label) return cutMiddle(recordLabel(record), ROW_LABEL_MAX);
  return batch.id.length > ID_TAIL ? `…${batch.id.slice(-ID_TAIL)}` : batch.id;
}

/** The row's description: status and counts first (batchDescription), then the full id, seen when there is room. */
export function batchRowDescription(batch: MessageBatch, now: number): string {
  return `${batchDescription(batch, now)} · ${batch.id}`;
}

/**
 * What a screen reader says for a row: the whole label, the status and counts in words
 * (`ended, 980 succeeded, 15 errored, 5 expired`, not symbols), then the id.
 */
export function batchRowAccessibleLabel(batch: MessageBatch, record: SubmissionRecord | undefined): string {
  const total = totalRequests(batch);
  const requests = requestsText(total);
  let status: string;
  if (isRunning(batch)) status = l10n.t('in progress, {0}', requests);
  else if (batch.processing_status === 'canceling') status = l10n.t('canceling, {0}', requests);
  else status = `${endedWord(batch)}, ${outcomeSummary(batch.request_counts, 'words')}`;
  return `${record?.label ? recordLabel(record) : batchRowLabel(batch, record)}, ${status}, ${batch.id}`;
}


/** How an ended batch ended, in a word. */
function endedWord(batch: MessageBatch): string {
  return batch.archived_at ? l10n.t('results deleted') : batch.cancel_initiated_at ? l10n.t('canceled') : l10n.t('ended');
}

/** `a-very-long-file-name.jsonl` → `a-very-lo…name.jsonl`: the start and the extension stay. */
function cutMiddle(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const tail = Math.ceil((max - 1) / 2);
  return `${chars.slice(0, max - 1 - tail).join('')}…${chars.slice(-tail).join('')}`;
}

/** e.g. `ended · 980 ✓ 15 ✗ 5 expired`, `in progress · 1,000 requests · 12m`. */
export function batchDescription(batch: MessageBatch, now: number): string {
  const total = totalRequests(batch);
  if (isRunning(batch)) {
    return l10n.t('in progress · {0} · {1}', requestsText(total), formatDuration(now - Date.parse(batch.created_at)));
  }
  if (batch.processing_status === 'canceling') return l10n.t('canceling · {0} requests', formatCount(total));
  // "results deleted" says it ended too, and keeps the counts visible at the default side-bar width.
  const status = endedWord(batch);
  return `${status} · ${outcomeSummary(batch.request_counts, 'symbols')}`;
}

/** A codicon id (with ~spin where it should turn) and a theme color id for it. */
export function batchIcon(batch: MessageBatch): { id: string; color?: string } {
  switch (batch.processing_status) {
    case 'in_progress':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'canceling':
      return { id: 'loading~spin', color: 'charts.yellow' };
    default:
      if (batch.archived_at) return { id: 'archive' };
      if (batch.cancel_initiated_at) return { id: 'circle-slash', color: 'disabledForeground' };
      if (hasFailures(batch)) return { id: 'warning', color: 'list.warningForeground' };
      return { id: 'pass', color: 'testing.iconPassed' };
  }
}

/**
 * Capabilities as tokens for `contextValue` (`batch cancelable`, `batch deletable hasResults`),
 * matched in package.json menus with `viewItem =~ /\bcancelable\b/`.
 */
export function batchCapabilities(batch: MessageBatch): string {
  const tokens = ['batch'];
  if (isRunning(batch)) tokens.push('cancelable');
  if (isEnded(batch)) tokens.push('deletable');
  if (apiHasResults(batch)) tokens.push('hasResults');
  if (isEnded(batch) && hasFailures(batch)) tokens.push('hasFailures');
  return tokens.join(' ');
}

/** When the API deletes the results: RETENTION_DAYS after creation. */
export function resultsDeletedAt(batch: MessageBatch): number {
  return Date.parse(batch.created_at) + RETENTION_DAYS * DAY_MS;
}

/**
 * Markdown for the tooltip: every field a person may want, in words. Ids, names and paths come
 * from files, this machine and the server: they go in through markdownText, as plain text.
 */
export function batchTooltip(batch: MessageBatch, record: SubmissionRecord | undefined, now: number): string {
  const c = batch.request_counts;
  const text = (value: string) => markdownText(value);
  const rows: [string, string][] = [
    ['ID', text(batch.id)],
    [l10n.t('Status'), text(statusText(batch))],
    [l10n.t('Created'), formatDate(batch.created_at)],
  ];
  if (batch.ended_at) rows.push([l10n.t('Ended'), formatDate(batch.ended_at)]);
  else rows.push([l10n.t('Expires'), l10n.t('{0} (in {1})', formatDate(batch.expires_at), formatDuration(Date.parse(batch.expires_at) - now))]);
  if (batch.cancel_initiated_at) rows.push([l10n.t('Cancel requested'), formatDate(batch.cancel_initiated_at)]);
  const deletedAt = resultsDeletedAt(batch);
  if (batch.archived_at) rows.push([l10n.t('Results'), l10n.t('deleted by the API on {0}', formatDate(batch.archived_at))]);
  else if (isEnded(batch)) {
    rows.push([l10n.t('Results deleted'), l10n.t('{0} (in {1})', formatDate(new Date(deletedAt).toISOString()), formatDuration(deletedAt - now))]);
  }
  rows.push(
    [l10n.t('Succeeded'), formatCount(c.succeeded)],
    [l10n.t('Errored'), formatCount(c.errored)],
    [l10n.t('Canceled'), formatCount(c.canceled)],
    [l10n.t('Expired'), formatCount(c.expired)],
    [l10n.t('Processing'), formatCount(c.processing)],
  );
  if (record) {
    rows.push([l10n.t('Source'), text(record.sourcePath ?? record.label)]);
    rows.push([l10n.t('Submitted'), text(`${formatDate(record.submittedAt)}${record.machine ? l10n.t(' from {0}', record.machine) : ''}${record.workspace ? ` (${record.workspace})` : ''}`)]);
    if (record.parentBatchId) rows.push([l10n.t('Retries'), text(record.parentBatchId)]);
  } else {
    rows.push([l10n.t('Source'), l10n.t('not submitted from this machine')]);
  }
  const title = `**${text(batchLabel(batch, record))}**`;
  return [title, '', '| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}
