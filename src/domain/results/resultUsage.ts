// A reply's token usage: counted into a model's totals, and worded for a heading. One place, so
// the summary, the comparison, the full view and the document count and say it alike.
import * as l10n from '@vscode/l10n';
import { formatCount } from '../../common/format';
import { isPlainObject } from '../../common/json';
import type { ModelUsage } from './resultsSummary';

/** A count from a result: a finite number, else 0 (never converts what a file put there). */
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * The model key of replies that name none: data kept in the index and the usage ledger, the same
 * in every language; shown in words by `modelName`.
 */
// not translated: a key of the usage per model, written to disk
export const UNKNOWN_MODEL = 'unknown model';

/** A model key as a person reads it. */
export function modelName(model: string): string {
  return model === UNKNOWN_MODEL ? l10n.t('unknown model') : model;
}

export function emptyUsage(): ModelUsage {
  return { requests: 0, inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheCreation1hInputTokens: 0, cacheReadInputTokens: 0 };
}

export function addUsage(into: ModelUsage, from: ModelUsage): void {
  into.requests += from.requests;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cacheCreationInputTokens += from.cacheCreationInputTokens;
  into.cacheCreation1hInputTokens += from.cacheCreation1hInputTokens;
  into.cacheReadInputTokens += from.cacheReadInputTokens;
}

/** Counts one succeeded reply (its `usage`, whatever shape a file gave it) into its model's totals. */
export function addReplyUsage(into: ModelUsage, usage: unknown): void {
  into.requests++;
  if (!isPlainObject(usage)) return;
  const u = usage as Record<string, unknown> & { cache_creation?: unknown };
  into.inputTokens += count(u.input_tokens);
  into.outputTokens += count(u.output_tokens);
  into.cacheCreationInputTokens += count(u.cache_creation_input_tokens);
  into.cacheReadInputTokens += count(u.cache_read_input_tokens);
  if (isPlainObject(u.cache_creation)) into.cacheCreation1hInputTokens += count((u.cache_creation as Record<string, unknown>).ephemeral_1h_input_tokens);
}

/** `1,200 in / 300 out / 50 cache read tokens`; empty when the reply has no usage. */
export function tokenLine(usage: unknown): string {
  if (!isPlainObject(usage)) return '';
  const u = usage as Record<string, unknown>;
  const parts = [l10n.t('{0} in', formatCount(count(u.input_tokens))), l10n.t('{0} out', formatCount(count(u.output_tokens)))];
  if (count(u.cache_read_input_tokens)) parts.push(l10n.t('{0} cache read', formatCount(count(u.cache_read_input_tokens))));
  if (count(u.cache_creation_input_tokens)) parts.push(l10n.t('{0} cache write', formatCount(count(u.cache_creation_input_tokens))));
  return l10n.t('{0} tokens', parts.join(' / '));
}
