// What the local copies of results cost: per batch, the tokens of each model, kept next to the copy
// as `<id>.usage.json` so a Usage report reads a small file per batch instead of every results
// file. The download writes it from the summary it makes anyway; a copy without one (older
// copies, partial ones, a file of another version or of another copy) is counted once, in one
// pass, and the file written then. Reports add them up per model and per day, over the last 7 and
// 30 days, at batch prices, with what the same tokens cost at standard prices.
import * as l10n from '@vscode/l10n';
import * as fs from 'node:fs';
import { formatCount, formatUsd } from '../../common/format';
import { BATCH_DISCOUNT, DEFAULT_PRICE_TABLE, estimateActualCost, type ActualCost, type PriceTable } from '../cost';
import { markdownText } from '../markdown';
import type { ArchiveStatus } from './resultsArchive';
import { addResultUsage, sumUsage } from './resultsComparison';
import { usageTotalsOf } from './resultsSummary';
import { scanResults } from './resultsReader';
import { modelName } from './resultUsage';
import type { ModelUsage } from './resultsSummary';
import { openForWrite, writeWholeFile, type OpenForWrite } from './writableFile';

/** Bumped when what a usage file holds changes: files of another version are counted again. */
export const USAGE_VERSION = 1;

/** What `<id>.usage.json` holds. */
export interface BatchUsage {
  version: number;
  batchId: string;
  /** The copy it was counted from: another download makes it stale. */
  copy: { downloadedAt: string; lines: number; complete: boolean };
  /** The UTC day (YYYY-MM-DD) the batch ended (else was created, else was downloaded). */
  day: string;
  perModel: Record<string, ModelUsage>;
}

/** The copy a usage describes (what ArchiveStatus says of it). */
export type UsageCopy = Pick<ArchiveStatus, 'batchId' | 'path' | 'downloadedAt' | 'lines' | 'complete' | 'batch'>;

const DAY = /^\d{4}-\d{2}-\d{2}/;

/** The UTC day a batch's spend counts on: when it ended, else was created, else was downloaded. */
export function usageDay(copy: Pick<UsageCopy, 'batch' | 'downloadedAt'>): string {
  for (const when of [copy.batch?.ended_at, copy.batch?.created_at, copy.downloadedAt]) {
    if (typeof when === 'string' && DAY.test(when) && Number.isFinite(Date.parse(when))) return new Date(Date.parse(when)).toISOString().slice(0, 10);
  }
  return '1970-01-01';
}

/** The usage of a copy from the per-model usage a summary counted. */
export function batchUsageOf(copy: UsageCopy, perModel: Record<string, ModelUsage>): BatchUsage {
  const models = Object.create(null) as Record<string, ModelUsage>;
  for (const [model, usage] of Object.entries(perModel)) models[model] = { ...usage };
  return { version: USAGE_VERSION, batchId: copy.batchId, copy: { downloadedAt: copy.downloadedAt, lines: copy.lines, complete: copy.complete }, day: usageDay(copy), perModel: models };
}

/** Counts a copy's usage in one pass over its results. */
export async function countBatchUsage(copy: UsageCopy, signal?: AbortSignal): Promise<BatchUsage> {
  const perModel = Object.create(null) as Record<string, ModelUsage>;
  await scanResults(copy.path, (line) => addResultUsage(perModel, line), { signal });
  return batchUsageOf(copy, perModel);
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function isModelUsage(value: unknown): value is ModelUsage {
  if (typeof value !== 'object' || value === null) return false;
  const u = value as Record<string, unknown>;
  return ['requests', 'inputTokens', 'outputTokens', 'cacheCreationInputTokens', 'cacheCreation1hInputTokens', 'cacheReadInputTokens'].every((k) => isCount(u[k]));
}

/** A usage file's content when it is of this version and describes exactly this copy; else undefined. */
export function parseBatchUsage(text: string, copy: UsageCopy): BatchUsage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const u = parsed as Partial<BatchUsage>;
  if (u.version !== USAGE_VERSION || u.batchId !== copy.batchId || typeof u.day !== 'string' || !DAY.test(u.day)) return undefined;
  if (!u.copy || u.copy.downloadedAt !== copy.downloadedAt || u.copy.lines !== copy.lines || u.copy.complete !== copy.complete) return undefined;
  if (typeof u.perModel !== 'object' || u.perModel === null) return undefined;
  const perModel = Object.create(null) as Record<string, ModelUsage>;
  for (const [model, usage] of Object.entries(u.perModel)) {
    if (!isModelUsage(usage)) return undefined;
    perModel[model] = usage;
  }
  return { version: USAGE_VERSION, batchId: copy.batchId, copy: u.copy, day: u.day, perModel };
}

let tempCounter = 0;

/** Writes a usage file (temp file, then rename); a failed write leaves nothing behind and throws. */
export async function writeBatchUsage(file: string, usage: BatchUsage, open: OpenForWrite = openForWrite): Promise<void> {
  const temp = `${file}.${process.pid}-${++tempCounter}.tmp`;
  await writeWholeFile(open, temp, `${JSON.stringify(usage)}\n`);
  await fs.promises.rename(temp, file).catch(async (err: unknown) => {
    await fs.promises.rm(temp, { force: true });
    throw err;
  });
}

/**
 * The usage of a copy: from its usage file when that describes this copy, else counted now and the
 * file written (best effort: on a full disk it is counted again next time).
 */
export async function loadBatchUsage(file: string, copy: UsageCopy, options: { open?: OpenForWrite; signal?: AbortSignal } = {}): Promise<{ usage: BatchUsage; counted: boolean }> {
  const text = await fs.promises.readFile(file, 'utf8').catch(() => undefined);
  const kept = text === undefined ? undefined : parseBatchUsage(text, copy);
  if (kept) return { usage: kept, counted: false };
  const usage = await countBatchUsage(copy, options.signal);
  await writeBatchUsage(file, usage, options.open).catch(() => undefined);
  return { usage, counted: true };
}

/** Tokens and cost of some batches. */
export interface UsageTotalsRow {
  batches: number;
  usage: ModelUsage;
  /** At batch prices; an estimate. */
  cost: ActualCost;
  /** What the priced tokens would cost at standard prices. */
  standardUsd: number;
}

export interface UsageReport {
  /** ISO day of `now`, UTC. */
  today: string;
  all: UsageTotalsRow;
  last7: UsageTotalsRow;
  last30: UsageTotalsRow;
  perModel: { model: string; row: UsageTotalsRow }[];
  /** Newest day first. */
  perDay: { day: string; row: UsageTotalsRow }[];
  pricesAsOf: string;
  unknownModels: string[];
}

function rowOf(batches: readonly BatchUsage[], prices: PriceTable, onlyModel?: string): UsageTotalsRow {
  const perModel = Object.create(null) as Record<string, ModelUsage>;
  for (const b of batches) {
    for (const [model, u] of Object.entries(b.perModel)) {
      if (onlyModel !== undefined && model !== onlyModel) continue;
      perModel[model] = sumUsage(perModel[model] ? [perModel[model], u] : [u]);
    }
  }
  const cost = estimateActualCost(usageTotalsOf(perModel), prices);
  return { batches: batches.length, usage: sumUsage(Object.values(perModel)), cost, standardUsd: cost.usd / BATCH_DISCOUNT };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day `days - 1` days before `today`'s, so that the window holds `days` days with today. */
function windowStart(now: number, days: number): string {
  return new Date(now - (days - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** Adds up the batches' usage per model, per day and over the last 7 and 30 days (UTC days). */
export function aggregateUsage(batches: readonly BatchUsage[], options: { now: number; prices?: PriceTable }): UsageReport {
  const prices = options.prices ?? DEFAULT_PRICE_TABLE;
  const today = new Date(options.now).toISOString().slice(0, 10);
  const since = (days: number) => batches.filter((b) => b.day >= windowStart(options.now, days) && b.day <= today);
  const models = [...new Set(batches.flatMap((b) => Object.keys(b.perModel)))].sort();
  const days = [...new Set(batches.map((b) => b.day))].sort().reverse();
  const all = rowOf(batches, prices);
  return {
    today,
    all,
    last7: rowOf(since(7), prices),
    last30: rowOf(since(30), prices),
    perModel: models.map((model) => ({ model, row: rowOf(batches.filter((b) => model in b.perModel), prices, model) })),
    perDay: days.map((day) => ({ day, row: rowOf(batches.filter((b) => b.day === day), prices) })),
    pricesAsOf: all.cost.pricesAsOf,
    unknownModels: all.cost.unknownModels,
  };
}

/** "50%" of a share (0…1), in whole percent. */
function percent(share: number): string {
  return `${formatCount(Math.round(share * 100))}%`;
}

function tableRow(name: string, row: UsageTotalsRow): string {
  const u = row.usage;
  const saved = row.standardUsd - row.cost.usd;
  const share = row.standardUsd > 0 ? percent(saved / row.standardUsd) : '–';
  return `| ${name} | ${formatCount(row.batches)} | ${formatCount(u.requests)} | ${formatCount(u.inputTokens)} | ${formatCount(u.outputTokens)} | ${formatCount(u.cacheCreationInputTokens)} | ${formatCount(u.cacheReadInputTokens)} | ${formatUsd(row.cost.usd)} | ${formatUsd(row.standardUsd)} | ${formatUsd(saved)} (${share}) |`;
}

const header = () => [
  l10n.t('| | Batches | Succeeded requests | Input tokens | Output tokens | Cache write | Cache read | Cost at batch prices (estimate) | At standard prices (estimate) | Saved |'),
  '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
];

export interface UsageReportOptions {
  /** Batches with a local copy whose usage could not be read (named in the report). */
  unreadable?: { batchId: string; error: string }[];
  /** Where the local copies are. */
  folder?: string;
}

/** The report as a Markdown document. Model names and batch ids are untrusted: escaped. */
export function renderUsageReport(report: UsageReport, options: UsageReportOptions = {}): string {
  const lines: string[] = [];
  lines.push(l10n.t('# Claude Batches: usage of the batches with results on this machine'), '');
  lines.push(
    l10n.t('Estimates: tokens are counted from the local copies of results; costs use batch prices ({0} of standard prices) as of {1}, and the `claudeBatches.prices` setting. Days are UTC days on which a batch ended. Batches whose results are not on this machine are not counted.', percent(BATCH_DISCOUNT), report.pricesAsOf),
    '',
  );
  if (report.all.batches === 0) {
    lines.push(l10n.t('No batch has its results on this machine yet: open the results of an ended batch from the Batches view, then open this report again.'), '');
  }
  lines.push(l10n.t('## Totals'), '', ...header());
  lines.push(tableRow(l10n.t('Last 7 days (since {0})', windowStartOf(report, 7)), report.last7));
  lines.push(tableRow(l10n.t('Last 30 days (since {0})', windowStartOf(report, 30)), report.last30));
  lines.push(tableRow(l10n.t('All'), report.all), '');
  lines.push(l10n.t('## Per model'), '', ...header());
  for (const { model, row } of report.perModel) {
    const name = report.unknownModels.includes(model) ? l10n.t('{0} (no price: not in the costs)', nameText(modelName(model))) : nameText(modelName(model));
    lines.push(tableRow(name, row));
  }
  lines.push('');
  lines.push(l10n.t('## Per day'), '', ...header());
  for (const { day, row } of report.perDay) lines.push(tableRow(day, row));
  lines.push('');
  if (options.unreadable?.length) {
    lines.push(l10n.t('## Not counted'), '');
    for (const u of options.unreadable) lines.push(`- ${nameText(u.batchId)}: ${markdownText(u.error)}`);
    lines.push('');
  }
  if (options.folder) lines.push(l10n.t('Local copies: {0}', markdownText(options.folder)), '');
  return lines.join('\n');
}

/** Untrusted text for the report: as is when it is a plain name (read the same raw or rendered), else escaped. */
function nameText(text: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(text) ? text : markdownText(text);
}

function windowStartOf(report: UsageReport, days: number): string {
  return new Date(Date.parse(`${report.today}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
}
