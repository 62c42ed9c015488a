// Everything the results document shows, from ONE streaming pass over the local results file:
// counts per outcome, errors grouped by category, token usage and cost per model, and the first
// N entries of each section. Memory is bounded by N per section plus the custom_ids of failed
// requests (what a retry needs) — never by the number of results.
//
// With the source file, entries follow the input order: the source is indexed first (ids and
// byte ranges only), each section keeps the N results with the smallest input position in a
// bounded heap, and the prompts of just those N are read back by byte range afterwards.
import * as l10n from '@vscode/l10n';
import { addReplyUsage, addUsage, emptyUsage, UNKNOWN_MODEL } from './resultUsage';

export { UNKNOWN_MODEL };
import type { MessageBatchIndividualResponse, MessageBatchResult } from '../../api';
import { DEFAULT_PRICE_TABLE, estimateActualCost, type ActualCost, type PriceTable, type UsageTotals } from '../cost';
import { errorTypeOf, isRetryableErrorType, outcomeOf, parseSectionId, type Outcome, type SectionId } from './outcomes';
import { readLines, type LineHandler } from './lineReader';
import { EntryIndexBuilder, type EntryIndex } from './entryIndex';
import { emptyReadStats, resultLineHandler, type ResultLocation, type ResultsReadStats } from './resultsReader';
import { indexSource, promptStart, SourceFileMissingError, type SourceIndex } from './sourceIndex';

const DEFAULT_MAX_ENTRIES = 200;

export interface ResultEntry {
  customId: string;
  result: MessageBatchResult;
  /** Position among the source's requests (0-based), when the source has this custom_id. */
  inputIndex?: number;
  /** 1-based line of the request in the source file. */
  sourceLine?: number;
  /** The start of the request's prompt, when the source is known. */
  prompt?: string;
  /** Where the result's line is in the local copy (bytes, without its newline), to read it again. */
  offset?: number;
  length?: number;
  /** That line's text, as read: the index kept beside the copy holds the lines a document shows. */
  text?: string;
}

/**
 * Where one result of a section is, for the index kept beside a copy (resultsIndex.ts): its line
 * in the copy, and its request's line in the source when the source has it (for the prompt).
 */
export interface EntryPlace {
  customId: string;
  offset: number;
  length: number;
  inputIndex?: number;
  sourceLine?: number;
  /** Byte offset and length of the request's line in the source. */
  source?: [number, number];
}

/** The first places of each section and error group, in the order the document lists them. */
export interface SectionPlaces {
  /** How many places each list keeps at most. */
  limit: number;
  lists: { section: SectionId; places: EntryPlace[] }[];
}

export interface EntryList {
  count: number;
  /** The first entries (input order with a source, else the results file's order), at most maxEntries. */
  entries: ResultEntry[];
}

export interface ErrorGroup extends EntryList {
  /** The API's error category (`result.error.error.type`). */
  type: string;
  /** Resubmitting unchanged can succeed; otherwise the request needs fixing first. */
  retryable: boolean;
  section: SectionId;
}

export interface ModelUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheCreation1hInputTokens: number;
  cacheReadInputTokens: number;
}

export interface SourceSummary {
  path: string;
  /** The file was not found: entries are in the results file's order, without prompts. */
  missing?: boolean;
  /** Another problem reading it (then as if missing). */
  error?: string;
  requests: number;
  sha256?: string;
  /** Results whose custom_id the source does not have (edited since, or another file). */
  resultsNotInSource: number;
  /** Source requests without a result in the file (an incomplete download, or edited since). */
  requestsWithoutResult: number;
  /** Results whose custom_id came up more than once. */
  duplicateResults: number;
  /**
   * The file is not what was submitted (its sha256 is not `expectedSha256`): its line numbers
   * may name other requests. Undefined when nothing was expected.
   */
  changed?: boolean;
}

export interface ResultsSummary {
  resultsPath: string;
  maxEntries: number;
  /** When set, only this section kept entries (rendering one section on its own). */
  focus?: SectionId;
  /** Results read (readable lines). */
  results: number;
  counts: Record<Outcome, number>;
  /** Results with a type none of the four outcomes (a newer API): counted, not shown. */
  otherTypes: number;
  read: ResultsReadStats;
  succeeded: EntryList;
  errored: EntryList & { groups: ErrorGroup[] };
  expired: EntryList;
  canceled: EntryList;
  /** custom_ids of every request that errored with a retryable category (input order with a source). */
  retryableIds: string[];
  /** custom_ids of every request whose error says the request must be fixed. */
  fixIds: string[];
  expiredIds: string[];
  canceledIds: string[];
  usage: { perModel: Record<string, ModelUsage>; totals: ModelUsage };
  /** At batch prices; an estimate (prices change, see cost.pricesAsOf). */
  cost: ActualCost;
  order: 'input' | 'results';
  source?: SourceSummary;
}

export interface SummaryOptions {
  /** Entries kept per section and per error group. Default 200. */
  maxEntries?: number;
  /** Keep entries for this section only (the others are counted). */
  section?: SectionId;
  /**
   * Entries of each section the index kept beside a copy says the place of, for a section opened
   * on its own (resultsIndex.ts). Default 2,000.
   */
  sectionEntries?: number;
  /** With `section`: the entries per section of the whole document, for an index made on the way. Default 200. */
  documentEntries?: number;
  /** The source JSONL (path or an index already built): entries then follow the input order. */
  source?: string | SourceIndex;
  /** sha256 of what was submitted from the source: the summary says whether the file still is that. */
  expectedSha256?: string;
  /** Characters of each prompt to show. Default 160. */
  promptChars?: number;
  prices?: PriceTable;
  signal?: AbortSignal;
  /** Also note every result's custom_id, section and place in the file (entryIndex.ts). */
  indexEntries?: boolean;
}

/** Keeps the `limit` items with the smallest keys seen, in a max-heap: O(log limit) per offer. */
export class SmallestN<T> {
  private readonly keys: number[] = [];
  private readonly items: T[] = [];

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.keys.length;
  }

  /** Would an item with this key be kept? (Lets callers skip building it.) */
  accepts(key: number): boolean {
    return this.limit > 0 && (this.keys.length < this.limit || key < this.keys[0]);
  }

  offer(key: number, item: T): void {
    if (!this.accepts(key)) return;
    const keys = this.keys;
    const items = this.items;
    if (keys.length < this.limit) {
      let i = keys.length;
      keys.push(key);
      items.push(item);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (keys[parent] >= keys[i]) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    keys[0] = key;
    items[0] = item;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < keys.length && keys[left] > keys[largest]) largest = left;
      if (right < keys.length && keys[right] > keys[largest]) largest = right;
      if (largest === i) break;
      this.swap(i, largest);
      i = largest;
    }
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a];
    this.keys[a] = this.keys[b];
    this.keys[b] = k;
    const t = this.items[a];
    this.items[a] = this.items[b];
    this.items[b] = t;
  }

  /** The kept items, smallest key first. */
  sorted(): T[] {
    const order = this.keys.map((_, i) => i).sort((a, b) => this.keys[a] - this.keys[b]);
    return order.map((i) => this.items[i]);
  }
}


/** custom_ids with their sort keys, sorted at the end (ids of failures only). */
class IdList {
  private readonly keys: number[] = [];
  private readonly ids: string[] = [];

  push(key: number, id: string): void {
    this.keys.push(key);
    this.ids.push(id);
  }

  sorted(): string[] {
    const order = this.keys.map((_, i) => i);
    // Keys are arrival numbers without a source, already sorted.
    for (let i = 1; i < this.keys.length; i++) {
      if (this.keys[i] < this.keys[i - 1]) {
        order.sort((a, b) => this.keys[a] - this.keys[b]);
        break;
      }
    }
    return order.map((i) => this.ids[i]);
  }
}

interface Collector {
  count: number;
  heap: SmallestN<ResultEntry>;
  /** With `indexEntries`: the first `sectionEntries` places, for a section opened on its own later. */
  places?: SmallestN<EntryPlace>;
}

const DEFAULT_SECTION_ENTRIES = 2000;

async function openSource(source: string | SourceIndex | undefined, signal: AbortSignal | undefined): Promise<{ index?: SourceIndex; summary?: SourceSummary }> {
  if (source === undefined) return {};
  if (typeof source !== 'string') return { index: source };
  try {
    return { index: await indexSource(source, { signal }) };
  } catch (err) {
    if (signal?.aborted) throw err;
    const base = { path: source, requests: 0, resultsNotInSource: 0, requestsWithoutResult: 0, duplicateResults: 0 };
    if (err instanceof SourceFileMissingError) return { summary: { ...base, missing: true } };
    return { summary: { ...base, error: err instanceof Error ? err.message : String(err) } };
  }
}

/**
 * The summary, fed one line (or one result) at a time: by a pass over the local file
 * (summarizeResults), or by the download itself as the lines are written, so that a first
 * "Open Results" reads the network once and the disk not at all.
 */
export class ResultsSummarizer {
  private readonly stats = emptyReadStats();
  private readonly seen: Uint8Array | undefined;
  private resultsNotInSource = 0;
  private duplicateResults = 0;
  private readonly sections: Record<Exclude<Outcome, 'errored'>, Collector>;
  private readonly groups = new Map<string, Collector>();
  private readonly retryableIds = new IdList();
  private readonly fixIds = new IdList();
  private readonly expiredIds = new IdList();
  private readonly canceledIds = new IdList();
  private readonly perModel = new Map<string, ModelUsage>();
  private errored = 0;
  private otherTypes = 0;
  private arrival = 0;
  private readonly base: number;
  private readonly maxEntries: number;
  private readonly entryIndex: EntryIndexBuilder | undefined;
  private readonly placeLimit: number;

  /** Give it to readLines, or to the download as `onLine`. */
  readonly onLine: LineHandler;

  private constructor(
    private readonly options: SummaryOptions,
    private readonly index: SourceIndex | undefined,
    private readonly sourceProblem: SourceSummary | undefined,
  ) {
    this.maxEntries = Math.max(0, Math.floor(options.maxEntries ?? DEFAULT_MAX_ENTRIES));
    this.placeLimit = options.indexEntries ? sectionEntriesOf(options) : 0;
    this.seen = index ? new Uint8Array(index.size) : undefined;
    this.base = index ? index.size : 0;
    this.sections = {
      succeeded: this.collector(this.limitFor('succeeded')),
      expired: this.collector(this.limitFor('expired')),
      canceled: this.collector(this.limitFor('canceled')),
    };
    this.entryIndex = options.indexEntries ? new EntryIndexBuilder() : undefined;
    this.onLine = resultLineHandler(this.stats, (line, where) => this.add(line, where));
  }

  /** Indexes the source first when one is given (a missing source is noted, not thrown). */
  static async create(options: SummaryOptions = {}): Promise<ResultsSummarizer> {
    if (options.section !== undefined && !parseSectionId(options.section)) throw new Error(l10n.t('Unknown results section: {0}', options.section));
    const { index, summary } = await openSource(options.source, options.signal);
    return new ResultsSummarizer(options, index, summary);
  }

  private collector(limit: number): Collector {
    return { count: 0, heap: new SmallestN(limit), ...(this.placeLimit > 0 ? { places: new SmallestN<EntryPlace>(this.placeLimit) } : {}) };
  }

  private limitFor(outcome: Outcome, errorType?: string): number {
    const focus = this.options.section !== undefined ? parseSectionId(this.options.section) : undefined;
    if (!focus) return this.maxEntries;
    if (focus.outcome !== outcome) return 0;
    return focus.errorType === undefined || focus.errorType === errorType ? this.maxEntries : 0;
  }

  /** One parsed result, and where its line is in the file when it was read from one. */
  add(line: MessageBatchIndividualResponse, where?: Pick<ResultLocation, 'offset' | 'length'> & { text?: string }): void {
    const result = line.result;
    const customId = line.custom_id;
    const index = this.index;
    const inputIndex = index?.indexOf(customId);
    if (index) {
      if (inputIndex === undefined) this.resultsNotInSource++;
      else if (this.seen![inputIndex]) this.duplicateResults++;
      else this.seen![inputIndex] = 1;
    }
    // Input position first; results the source lacks after every request, in file order.
    const key = inputIndex ?? this.base + this.arrival;
    this.arrival++;
    const entry = (): ResultEntry => {
      const place = where ? { offset: where.offset, length: where.length, ...(where.text !== undefined ? { text: where.text } : {}) } : {};
      if (inputIndex === undefined) return { customId, result, ...place };
      return { customId, result, inputIndex, sourceLine: index!.at(inputIndex).line, ...place };
    };
    const outcome = outcomeOf(result);
    if (this.entryIndex && where) this.entryIndex.add(customId, outcome === 'errored' ? `errored:${errorTypeOf(result)}` : (outcome ?? 'other'), where.offset, where.length, inputIndex);
    switch (outcome) {
      case 'succeeded': {
        const section = this.sections.succeeded;
        section.count++;
        this.offer(section, key, entry, customId, inputIndex, where);
        const message = (result as Extract<MessageBatchResult, { type: 'succeeded' }>).message;
        const model = typeof message?.model === 'string' ? message.model : UNKNOWN_MODEL;
        let usage = this.perModel.get(model);
        if (!usage) this.perModel.set(model, (usage = emptyUsage()));
        addReplyUsage(usage, message?.usage);
        break;
      }
      case 'errored': {
        this.errored++;
        const type = errorTypeOf(result);
        let group = this.groups.get(type);
        if (!group) this.groups.set(type, (group = this.collector(this.limitFor('errored', type))));
        group.count++;
        (isRetryableErrorType(type) ? this.retryableIds : this.fixIds).push(key, customId);
        this.offer(group, key, entry, customId, inputIndex, where);
        break;
      }
      case 'expired': {
        this.sections.expired.count++;
        this.expiredIds.push(key, customId);
        this.offer(this.sections.expired, key, entry, customId, inputIndex, where);
        break;
      }
      case 'canceled': {
        this.sections.canceled.count++;
        this.canceledIds.push(key, customId);
        this.offer(this.sections.canceled, key, entry, customId, inputIndex, where);
        break;
      }
      default:
        this.otherTypes++;
    }
  }

  /** Keeps a result among its section's first entries, and its place among the first places, when it is one of them. */
  private offer(collector: Collector, key: number, entry: () => ResultEntry, customId: string, inputIndex: number | undefined, where: Pick<ResultLocation, 'offset' | 'length'> | undefined): void {
    if (collector.heap.accepts(key)) collector.heap.offer(key, entry());
    // Only its place, not the result: for a section opened on its own later.
    if (!where || !collector.places?.accepts(key)) return;
    if (inputIndex === undefined) {
      collector.places.offer(key, { customId, offset: where.offset, length: where.length });
      return;
    }
    const request = this.index!.at(inputIndex);
    collector.places.offer(key, { customId, offset: where.offset, length: where.length, inputIndex, sourceLine: request.line, source: [request.offset, request.length] });
  }

  /** Every result's custom_id, section and place in the file, when `indexEntries` asked for it. */
  entries(): EntryIndex | undefined {
    return this.entryIndex?.finish();
  }

  /**
   * The first places of every section and error group (in the order finish() lists the groups),
   * when `indexEntries` asked for them.
   */
  places(): SectionPlaces | undefined {
    if (this.placeLimit === 0) return undefined;
    const lists: SectionPlaces['lists'] = [
      { section: 'succeeded', places: this.sections.succeeded.places!.sorted() },
      { section: 'expired', places: this.sections.expired.places!.sorted() },
      { section: 'canceled', places: this.sections.canceled.places!.sorted() },
    ];
    for (const [type, group] of this.groups) lists.push({ section: `errored:${type}`, places: group.places!.sorted() });
    return { limit: this.placeLimit, lists };
  }

  /** The summary of everything fed so far; reads the prompts of the kept entries from the source. */
  async finish(resultsPath: string): Promise<ResultsSummary> {
    const errorGroups: ErrorGroup[] = [...this.groups.entries()].map(([type, g]) => ({
      type,
      retryable: isRetryableErrorType(type),
      section: `errored:${type}` as SectionId,
      count: g.count,
      entries: g.heap.sorted(),
    }));
    // What needs the user's hands first, then the biggest groups.
    errorGroups.sort((a, b) => Number(a.retryable) - Number(b.retryable) || b.count - a.count || a.type.localeCompare(b.type));
    const { sections, index } = this;
    const usage = usageOf(this.perModel);
    const summary: ResultsSummary = {
      resultsPath,
      maxEntries: this.maxEntries,
      focus: this.options.section,
      results: this.stats.results,
      counts: { succeeded: sections.succeeded.count, errored: this.errored, expired: sections.expired.count, canceled: sections.canceled.count },
      otherTypes: this.otherTypes,
      read: { ...this.stats, malformedLineNumbers: [...this.stats.malformedLineNumbers] },
      succeeded: { count: sections.succeeded.count, entries: sections.succeeded.heap.sorted() },
      errored: { count: this.errored, entries: errorGroups.flatMap((g) => g.entries), groups: errorGroups },
      expired: { count: sections.expired.count, entries: sections.expired.heap.sorted() },
      canceled: { count: sections.canceled.count, entries: sections.canceled.heap.sorted() },
      retryableIds: this.retryableIds.sorted(),
      fixIds: this.fixIds.sorted(),
      expiredIds: this.expiredIds.sorted(),
      canceledIds: this.canceledIds.sorted(),
      usage,
      cost: costOf(usage.perModel, this.options.prices),
      order: index ? 'input' : 'results',
      source: this.sourceProblem,
    };
    if (index) {
      let withResult = 0;
      for (let i = 0; i < this.seen!.length; i++) withResult += this.seen![i];
      summary.source = {
        path: index.path,
        requests: index.size,
        sha256: index.sha256,
        resultsNotInSource: this.resultsNotInSource,
        requestsWithoutResult: index.size - withResult,
        duplicateResults: this.duplicateResults,
      };
      if (this.options.expectedSha256 !== undefined) summary.source.changed = !index.matches(this.options.expectedSha256);
      await addPrompts(index, summary, this.options.promptChars ?? 160, this.options.signal);
    }
    return summary;
  }
}

/** One streaming pass over a local results file (see the top of this file). */
export async function summarizeResults(resultsPath: string, options: SummaryOptions = {}): Promise<ResultsSummary> {
  const summarizer = await ResultsSummarizer.create(options);
  await readLines(resultsPath, summarizer.onLine, { signal: options.signal });
  return summarizer.finish(resultsPath);
}

/** The entries of each section an index keeps places for (a section opened on its own shows up to that many). */
export function sectionEntriesOf(options: SummaryOptions): number {
  const wanted = options.sectionEntries ?? DEFAULT_SECTION_ENTRIES;
  // A section asked on its own for more than the setting still finds them in the index made for it.
  const asked = options.section !== undefined ? (options.maxEntries ?? DEFAULT_MAX_ENTRIES) : 0;
  return Math.max(0, Math.floor(Math.max(wanted, asked)));
}

/** What a pass notes for the index kept beside a copy, besides the summary. */
export interface PassIndex {
  entries: EntryIndex;
  places: SectionPlaces;
}

/**
 * One pass that also notes every result's custom_id, section and place in the file, and the
 * first places of each section (for the index kept beside a copy). The summary is of the whole
 * results: with `section`, its entries per section are `documentEntries`.
 */
export async function summarizeAndIndex(resultsPath: string, options: SummaryOptions = {}): Promise<{ summary: ResultsSummary; index: PassIndex }> {
  const whole = options.section === undefined ? options : { ...options, section: undefined, maxEntries: options.documentEntries ?? DEFAULT_MAX_ENTRIES, sectionEntries: sectionEntriesOf(options) };
  const summarizer = await ResultsSummarizer.create({ ...whole, indexEntries: true });
  await readLines(resultsPath, summarizer.onLine, { signal: options.signal });
  return { summary: await summarizer.finish(resultsPath), index: { entries: summarizer.entries()!, places: summarizer.places()! } };
}

function usageOf(perModel: Map<string, ModelUsage>): ResultsSummary['usage'] {
  const totals = emptyUsage();
  // Keyed by model names from the results: no prototype, so `__proto__` is an entry like any other.
  const byModel = Object.create(null) as Record<string, ModelUsage>;
  for (const model of [...perModel.keys()].sort()) {
    const usage = perModel.get(model)!;
    byModel[model] = usage;
    addUsage(totals, usage);
  }
  return { perModel: byModel, totals };
}

/** What the usage of each model costs at these prices (the summary's cost, made again when prices change). */
export function costOf(perModel: Record<string, ModelUsage>, prices: PriceTable = DEFAULT_PRICE_TABLE): ActualCost {
  return estimateActualCost(usageTotalsOf(perModel), prices);
}

/** What the cost estimate needs of each model's usage. */
export function usageTotalsOf(perModel: Record<string, ModelUsage>): Record<string, UsageTotals> {
  const out = Object.create(null) as Record<string, UsageTotals>;
  for (const [model, u] of Object.entries(perModel)) {
    out[model] = {
      inputTokens: u.inputTokens,
      outputTokens: u.outputTokens,
      cacheCreationInputTokens: u.cacheCreationInputTokens,
      cacheCreation1hInputTokens: u.cacheCreation1hInputTokens,
      cacheReadInputTokens: u.cacheReadInputTokens,
    };
  }
  return out;
}

/** Reads back the source lines of the kept entries only, by byte range, for their prompts. */
async function addPrompts(index: SourceIndex, summary: ResultsSummary, chars: number, signal: AbortSignal | undefined): Promise<void> {
  const entries = [summary.succeeded, summary.expired, summary.canceled, ...summary.errored.groups].flatMap((list) => list.entries);
  const byIndex = new Map<number, ResultEntry[]>();
  for (const entry of entries) {
    if (entry.inputIndex === undefined) continue;
    const list = byIndex.get(entry.inputIndex);
    if (list) list.push(entry);
    else byIndex.set(entry.inputIndex, [entry]);
  }
  const indices = [...byIndex.keys()].sort((a, b) => a - b);
  try {
    await index.readLines(
      indices,
      (bytes, line) => {
        const prompt = promptStart(bytes.toString('utf8'), chars);
        if (prompt !== undefined) for (const entry of byIndex.get(line.index)!) entry.prompt = prompt;
      },
      signal,
    );
  } catch (err) {
    if (signal?.aborted) throw err;
    // The source changed under us: entries stay, without prompts.
  }
}
