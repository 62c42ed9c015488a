// Two batches' results side by side, for a diff editor: two texts aligned by custom_id. Both list
// the same custom_ids (the union of both batches) in the same order, each once, and each id's
// block takes as many lines on both sides (a missing one reads "(not in this batch)", the shorter
// side is padded), so the diff lines up request by request.
//
// Bounded: one pass over each local copy counts outcomes, stop reasons, tokens and cost over
// every result, and keeps per custom_id only its outcome and a hash of its answer (what changed is
// told over every id); a second pass renders the answers of the first COMPARE_MAX_IDS ids of the
// union only, each cut at COMPARE_ANSWER_CHARS characters and COMPARE_ANSWER_LINES lines.
import * as l10n from '@vscode/l10n';
import type { MessageBatchIndividualResponse } from '../../api';
import { formatCount, formatUsd } from '../../common/format';
import { outcomeSummary } from '../../common/requestCounts';
import { DEFAULT_PRICE_TABLE, estimateActualCost, type ActualCost, type PriceTable } from '../cost';
import { keyField, LineBudget, renderContent } from './contentRendering';
import { errorMessageOf, errorTypeOf, outcomeOf, type Outcome } from './outcomes';
import { scanResults } from './resultsReader';
import { usageTotalsOf, type ModelUsage } from './resultsSummary';
import { addReplyUsage, addUsage, emptyUsage, tokenLine, UNKNOWN_MODEL } from './resultUsage';
import { oneLine } from './untrustedText';

/** custom_ids whose answers are shown; the counts and what changed cover every id. */
export const COMPARE_MAX_IDS = 2_000;
/** Characters of one answer shown; the rest is counted. */
export const COMPARE_ANSWER_CHARS = 2_000;
/** Lines of one answer shown. */
export const COMPARE_ANSWER_LINES = 40;

/** What a side shows for a custom_id the other batch has (translated when used, not at load). */
export const notInBatch = (): string => l10n.t('(not in this batch)');

/** One side of a comparison: a batch and its local copy of results. */
export interface CompareSide {
  batchId: string;
  label: string;
  resultsPath: string;
}

export interface CompareOptions {
  /** Each entry says its model and tokens too (else: outcome and stop reason). */
  withUsage?: boolean;
  maxIds?: number;
  prices?: PriceTable;
  signal?: AbortSignal;
}

/** One id's block on one side: its heading after the id, and its body lines. */
export interface ComparedEntry {
  heading: string;
  body: string[];
}

/** Everything counted over one side's results. */
export interface SideTotals {
  results: number;
  counts: Record<Outcome, number>;
  stopReasons: Record<string, number>;
  perModel: Record<string, ModelUsage>;
  totals: ModelUsage;
  cost: ActualCost;
}

export interface ComparisonChanges {
  /** custom_ids in both batches. */
  both: number;
  onlyLeft: number;
  onlyRight: number;
  /** In both, ended another way. */
  outcomeChanged: number;
  /** In both, succeeded both times, with answers that differ. */
  answerChanged: number;
}

export interface Comparison {
  left: string;
  right: string;
  /** Lines of each text (the same on both sides). */
  lineCount: number;
  /** The custom_ids shown, in order; each id's heading line (0-based) on both sides. */
  ids: { customId: string; line: number }[];
  /** custom_ids in either batch. */
  union: number;
  totals: { left: SideTotals; right: SideTotals };
  changes: ComparisonChanges;
}

/** A custom_id's trace on one side: its outcome and a hash of its answer. */
interface Trace {
  outcome: Outcome | undefined;
  hash: number;
}

/** FNV-1a, 32 bits: enough to tell two answers apart in counts, held in a number per id. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function answerText(line: MessageBatchIndividualResponse): string {
  const result = line.result;
  if (result.type === 'succeeded') return JSON.stringify(result.message?.content ?? null);
  if (result.type === 'errored') return `${errorTypeOf(result)}\u0000${errorMessageOf(result)}`;
  return result.type;
}

/** Two runs of digits by value (any length: ids are not numbers). */
function compareNumerals(x: string, y: string): number {
  const a = x.replace(/^0+/, '');
  const b = y.replace(/^0+/, '');
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Runs of digits by value, other runs by code unit: ids "row-2" before "row-10", the same on any machine. */
export function compareIds(a: string, b: string): number {
  const chunks = /(\d+|\D+)/g;
  const as = a.match(chunks) ?? [];
  const bs = b.match(chunks) ?? [];
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i];
    const y = bs[i];
    if (x === y) continue;
    const xn = /^\d/.test(x);
    const yn = /^\d/.test(y);
    if (xn && yn) {
      const byValue = compareNumerals(x, y);
      if (byValue !== 0) return byValue;
    }
    return x < y ? -1 : 1;
  }
  return as.length - bs.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The custom_ids of either side, each once, in one order both sides follow. */
export function alignIds(left: Iterable<string>, right: Iterable<string>): string[] {
  const union = new Set<string>(left);
  for (const id of right) union.add(id);
  return [...union].sort(compareIds);
}

/**
 * The two texts' id blocks, aligned: for each id, its heading and body on each side (or "(not in
 * this batch)"), the shorter padded with empty lines, then an empty line.
 */
export function renderAligned(
  ids: readonly string[],
  left: ReadonlyMap<string, ComparedEntry>,
  right: ReadonlyMap<string, ComparedEntry>,
  startLine = 0,
): { left: string[]; right: string[]; lines: number[] } {
  const out = { left: [] as string[], right: [] as string[], lines: [] as number[] };
  const block = (id: string, entry: ComparedEntry | undefined): string[] => [`▸ ${oneLine(id)} · ${entry ? entry.heading : notInBatch()}`, ...(entry?.body ?? [])];
  for (const id of ids) {
    const a = block(id, left.get(id));
    const b = block(id, right.get(id));
    out.lines.push(startLine + out.left.length);
    const height = Math.max(a.length, b.length);
    for (let i = 0; i < height; i++) {
      out.left.push(a[i] ?? '');
      out.right.push(b[i] ?? '');
    }
    out.left.push('');
    out.right.push('');
  }
  return out;
}


/** Adds one succeeded result's usage to its model's. */
export function addResultUsage(perModel: Record<string, ModelUsage>, line: MessageBatchIndividualResponse): void {
  if (line.result.type !== 'succeeded') return;
  const message = line.result.message;
  const model = typeof message?.model === 'string' ? message.model : UNKNOWN_MODEL;
  addReplyUsage((perModel[model] ??= emptyUsage()), message?.usage);
}

/** The sum of several models' usage. */
export function sumUsage(usages: Iterable<ModelUsage>): ModelUsage {
  const sum = emptyUsage();
  for (const u of usages) addUsage(sum, u);
  return sum;
}


/** First pass over one side: totals over every result, and each id's trace. */
async function traceSide(side: CompareSide, prices: PriceTable, signal: AbortSignal | undefined): Promise<{ totals: SideTotals; traces: Map<string, Trace> }> {
  const traces = new Map<string, Trace>();
  const counts: Record<Outcome, number> = { succeeded: 0, errored: 0, expired: 0, canceled: 0 };
  const stopReasons = Object.create(null) as Record<string, number>;
  const perModel = Object.create(null) as Record<string, ModelUsage>;
  let results = 0;
  await scanResults(
    side.resultsPath,
    (line) => {
      results++;
      const outcome = outcomeOf(line.result);
      if (outcome) counts[outcome]++;
      if (line.result.type === 'succeeded') {
        const reason = typeof line.result.message?.stop_reason === 'string' ? line.result.message.stop_reason : l10n.t('no stop reason');
        stopReasons[reason] = (stopReasons[reason] ?? 0) + 1;
        addResultUsage(perModel, line);
      }
      if (!traces.has(line.custom_id)) traces.set(line.custom_id, { outcome, hash: hashText(answerText(line)) });
    },
    { signal },
  );
  const totals: SideTotals = { results, counts, stopReasons, perModel, totals: sumUsage(Object.values(perModel)), cost: estimateActualCost(usageTotalsOf(perModel), prices) };
  return { totals, traces };
}

function tokensOf(line: MessageBatchIndividualResponse): string {
  return line.result.type === 'succeeded' ? tokenLine(line.result.message?.usage) : '';
}

/** One id's block: how it ended, and its answer (or error) cut to the bounds. */
export function compareEntry(line: MessageBatchIndividualResponse, withUsage: boolean): ComparedEntry {
  const result = line.result;
  const indent = '    ';
  const budget = new LineBudget(COMPARE_ANSWER_CHARS);
  const parts: string[] = [result.type === 'errored' ? l10n.t('errored: {0}', errorTypeOf(result)) : String(result.type)];
  if (result.type === 'succeeded') {
    parts.push(typeof result.message?.stop_reason === 'string' ? result.message.stop_reason : l10n.t('no stop reason'));
    if (withUsage) parts.push(typeof result.message?.model === 'string' ? result.message.model : l10n.t('unknown model'), tokensOf(line));
    renderContent(budget, indent, result.message?.content);
  } else if (result.type === 'errored') {
    budget.pushLabelled(indent, 'error: ', errorMessageOf(result) || l10n.t('(no message)'));
  }
  let body = budget.lines;
  const cut = body.length > COMPARE_ANSWER_LINES;
  if (cut) body = body.slice(0, COMPARE_ANSWER_LINES);
  if (cut || budget.omittedChars > 0) body.push(l10n.t('{0}… (cut here: the results document shows more)', indent));
  return { heading: oneLine(parts.join(' · ')), body };
}

/** Second pass over one side: the blocks of the ids shown. */
async function renderSide(side: CompareSide, shown: ReadonlySet<string>, withUsage: boolean, signal: AbortSignal | undefined): Promise<Map<string, ComparedEntry>> {
  const entries = new Map<string, ComparedEntry>();
  await scanResults(
    side.resultsPath,
    (line) => {
      if (shown.has(line.custom_id) && !entries.has(line.custom_id)) entries.set(line.custom_id, compareEntry(line, withUsage));
    },
    { signal },
  );
  return entries;
}

/** What changed between the two sides, over every custom_id. */
export function changesBetween(left: ReadonlyMap<string, Trace>, right: ReadonlyMap<string, Trace>): ComparisonChanges {
  const changes: ComparisonChanges = { both: 0, onlyLeft: 0, onlyRight: 0, outcomeChanged: 0, answerChanged: 0 };
  for (const [id, a] of left) {
    const b = right.get(id);
    if (!b) {
      changes.onlyLeft++;
      continue;
    }
    changes.both++;
    if (a.outcome !== b.outcome) changes.outcomeChanged++;
    else if (a.outcome === 'succeeded' && a.hash !== b.hash) changes.answerChanged++;
  }
  for (const id of right.keys()) if (!left.has(id)) changes.onlyRight++;
  return changes;
}

function headerLines(side: CompareSide, which: 'left' | 'right', totals: SideTotals, changes: ComparisonChanges, shown: number, union: number): string[] {
  const t = totals.totals;
  const stops = Object.entries(totals.stopReasons)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, n]) => `${oneLine(reason)} ${formatCount(n)}`);
  const priced = totals.cost.unknownModels.length === 0 || Object.keys(totals.perModel).some((m) => !totals.cost.unknownModels.includes(m));
  const cost = priced ? l10n.t('{0} at batch prices (estimate; prices as of {1})', formatUsd(totals.cost.usd), totals.cost.pricesAsOf) : l10n.t('unknown: no price for these models');
  const onlyHere = which === 'left' ? changes.onlyLeft : changes.onlyRight;
  const onlyThere = which === 'left' ? changes.onlyRight : changes.onlyLeft;
  const shownLine =
    shown === union
      ? l10n.t('all {0} custom_ids of both batches, by custom_id; "{1}" where this batch has none', formatCount(union), notInBatch())
      : l10n.t('the first {0} of {1} custom_ids of both batches, by custom_id (the counts above cover all)', formatCount(shown), formatCount(union));
  const field = (key: string, value: string) => keyField(key, value, 10);
  return [
    l10n.t('Compare ({0}): "{1}" {2}', which, oneLine(side.label), side.batchId),
    field(l10n.t('Results'), `${formatCount(totals.results)}: ${outcomeSummary({ ...totals.counts, processing: 0 }, 'words')}`),
    field(l10n.t('Stop'), stops.length ? stops.join(' · ') : l10n.t('none succeeded')),
    field(l10n.t('Tokens'), l10n.t('{0} input · {1} output · {2} cache write · {3} cache read', formatCount(t.inputTokens), formatCount(t.outputTokens), formatCount(t.cacheCreationInputTokens), formatCount(t.cacheReadInputTokens))),
    field(l10n.t('Cost'), cost),
    field(
      l10n.t('Changed'),
      l10n.t('{0} answers differ · {1} ended another way · {2} only in this batch · {3} only in the other · {4} in both', formatCount(changes.answerChanged), formatCount(changes.outcomeChanged), formatCount(onlyHere), formatCount(onlyThere), formatCount(changes.both)),
    ),
    field(l10n.t('Shown'), shownLine),
    '',
  ];
}

/** Compares two batches' local copies (see the top of this file for the bounds). */
export async function compareResults(left: CompareSide, right: CompareSide, options: CompareOptions = {}): Promise<Comparison> {
  const prices = options.prices ?? DEFAULT_PRICE_TABLE;
  const maxIds = Math.max(0, options.maxIds ?? COMPARE_MAX_IDS);
  const a = await traceSide(left, prices, options.signal);
  const b = await traceSide(right, prices, options.signal);
  const all = alignIds(a.traces.keys(), b.traces.keys());
  const ids = all.length > maxIds ? all.slice(0, maxIds) : all;
  const shown = new Set(ids);
  const withUsage = options.withUsage ?? false;
  const leftEntries = await renderSide(left, shown, withUsage, options.signal);
  const rightEntries = await renderSide(right, shown, withUsage, options.signal);
  const changes = changesBetween(a.traces, b.traces);
  const headLeft = headerLines(left, 'left', a.totals, changes, ids.length, all.length);
  const headRight = headerLines(right, 'right', b.totals, changes, ids.length, all.length);
  const aligned = renderAligned(ids, leftEntries, rightEntries, headLeft.length);
  const leftLines = [...headLeft, ...aligned.left];
  const rightLines = [...headRight, ...aligned.right];
  return {
    left: `${leftLines.join('\n')}\n`,
    right: `${rightLines.join('\n')}\n`,
    lineCount: leftLines.length,
    ids: ids.map((customId, i) => ({ customId, line: aligned.lines[i] })),
    union: all.length,
    totals: { left: a.totals, right: b.totals },
    changes,
  };
}
