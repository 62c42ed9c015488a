// What a pass over a local copy learnt, kept beside it so that opening its results document again
// reads a few hundred lines instead of all of them:
//   <id>.index.json    the summary (counts, usage, error groups, the ids a retry needs) and, for
//                      the entries the document shows, where their lines are; small, whatever N
//   <id>.entries.json  every result's custom_id, section and place (entryIndex.ts); read only to
//                      look one up
// Each file is a header line (JSON: version, the copy it describes, a SHA-256 of the rest) then
// the body. Nothing in them is trusted blindly: an index is used only when its version is this
// code's, the copy's name, size and modification time are the ones it was made from, the body
// hashes to the header's checksum, every offset lies inside the copy, and every line read back
// from those offsets parses as a result with the custom_id the index expects. Anything else (a
// missing, old or damaged index) is an IndexProblem, and the caller makes the index again from the
// copy. The summary (the first cache: summaryCache.ts hands a download's summary to the document
// opening next, in memory) is written here so that later windows and restarts find it too.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatchResult } from '../../api';
import type { PriceTable } from '../cost';
import { isEntryIndex, type EntryIndex } from './entryIndex';
import { readRanges } from './lineReader';
import { isResultLine } from './outcomes';
import { costOf, summarizeAndIndex, summarizeResults, type EntryList, type ResultEntry, type ResultsSummary, type SummaryOptions } from './resultsSummary';
import { openForWrite, writeWholeFile, type OpenForWrite } from './writableFile';

/** Bumped whenever what the files hold changes meaning: an index of another version is made again. */
export const INDEX_VERSION = 1;

/** The copy an index describes: a new download, a truncation or an edit changes one of these. */
export interface CopyIdentity {
  /** File name in the archive folder. */
  file: string;
  size: number;
  mtimeMs: number;
}

/** How the summary was read: the document asks for the same, or for fewer entries. */
export interface IndexedOptions {
  maxEntries: number;
  promptChars: number;
  /** The source file, as it was when read (an edited source changes the order and the prompts). */
  source: (CopyIdentity & { path: string }) | null;
}

/** Why an index was not used (it is then made again): said in the log, asserted by tests. */
export class IndexProblem extends Error {
  constructor(
    readonly kind: 'missing' | 'old' | 'damaged' | 'other-options',
    message: string,
  ) {
    super(message);
    this.name = 'IndexProblem';
  }
}

interface Header {
  version: number;
  kind: 'summary' | 'entries';
  copy: CopyIdentity;
  sha256: string;
}

/** An entry of the summary as kept: where its line is, not the result itself. */
interface EntryRef extends Omit<ResultEntry, 'result'> {
  offset: number;
  length: number;
}

type KeptList = Omit<EntryList, 'entries'> & { entries: EntryRef[] };
type KeptSummary = Omit<ResultsSummary, 'resultsPath' | 'cost' | 'succeeded' | 'errored' | 'expired' | 'canceled'> & {
  succeeded: KeptList;
  expired: KeptList;
  canceled: KeptList;
  errored: { count: number; groups: (Omit<ResultsSummary['errored']['groups'][number], 'entries'> & { entries: EntryRef[] })[] };
  made: IndexedOptions;
};

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** The identity of a file as it is now, or undefined when there is none. */
export async function identityOf(file: string): Promise<CopyIdentity | undefined> {
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return undefined;
  return { file: path.basename(file), size: stat.size, mtimeMs: stat.mtimeMs };
}

const sameCopy = (a: CopyIdentity, b: CopyIdentity): boolean => a.file === b.file && a.size === b.size && a.mtimeMs === b.mtimeMs;

function refOf(entry: ResultEntry): EntryRef {
  if (entry.offset === undefined || entry.length === undefined) throw new Error(`The summary entry ${entry.customId} does not say where its line is: it was not read from a file.`);
  const { result: _result, ...ref } = entry;
  return { ...ref, offset: entry.offset, length: entry.length };
}

const keptList = (list: EntryList): KeptList => ({ count: list.count, entries: list.entries.map(refOf) });

/** Writes `header line + body` to a temp file beside `file`, then renames it into place. */
async function writeIndexFile(open: OpenForWrite, file: string, kind: Header['kind'], copy: CopyIdentity, body: string): Promise<void> {
  const header: Header = { version: INDEX_VERSION, kind, copy, sha256: sha256(body) };
  const temp = `${file}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    await writeWholeFile(open, temp, `${JSON.stringify(header)}\n${body}`);
    await fs.promises.rename(temp, file);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

/** The body of an index file after checking its header against the copy as it is now. */
async function readIndexFile(file: string, kind: Header['kind'], copy: CopyIdentity): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch {
    throw new IndexProblem('missing', `No index at ${file}.`);
  }
  const nl = bytes.indexOf(10);
  let header: Partial<Header> | undefined;
  try {
    header = nl < 0 ? undefined : (JSON.parse(bytes.toString('utf8', 0, nl)) as Partial<Header>);
  } catch {
    header = undefined;
  }
  if (typeof header !== 'object' || header === null || header.kind !== kind) throw new IndexProblem('damaged', `${file} does not start with an index header.`);
  if (header.version !== INDEX_VERSION) throw new IndexProblem('old', `${file} is of version ${String(header.version)}, not ${INDEX_VERSION}.`);
  const made = header.copy;
  if (typeof made !== 'object' || made === null || !sameCopy(made, copy)) throw new IndexProblem('old', `${file} describes another copy of the results than ${copy.file} as it is now.`);
  const body = bytes.subarray(nl + 1);
  if (sha256(body) !== header.sha256) throw new IndexProblem('damaged', `${file} does not match its checksum.`);
  return body.toString('utf8');
}

export interface IndexFiles {
  /** `<id>.index.json` and `<id>.entries.json`. */
  summary: string;
  entries: string;
}

/**
 * Keeps a summary (and, when made, the entry index) beside the copy it was read from. The summary
 * must have been made for a whole document (no section of its own) from `copyPath`.
 */
export async function writeResultsIndex(
  files: IndexFiles,
  copyPath: string,
  summary: ResultsSummary,
  made: IndexedOptions,
  entries: EntryIndex | undefined,
  open: OpenForWrite = openForWrite,
): Promise<void> {
  if (summary.focus !== undefined) throw new Error('Only a summary of the whole results is kept as an index.');
  const copy = await identityOf(copyPath);
  if (!copy) throw new Error(`${copyPath} is gone: no index is kept for it.`);
  const kept: KeptSummary = {
    maxEntries: summary.maxEntries,
    results: summary.results,
    counts: summary.counts,
    otherTypes: summary.otherTypes,
    read: summary.read,
    succeeded: keptList(summary.succeeded),
    errored: { count: summary.errored.count, groups: summary.errored.groups.map((g) => ({ type: g.type, retryable: g.retryable, section: g.section, count: g.count, entries: g.entries.map(refOf) })) },
    expired: keptList(summary.expired),
    canceled: keptList(summary.canceled),
    retryableIds: summary.retryableIds,
    fixIds: summary.fixIds,
    expiredIds: summary.expiredIds,
    canceledIds: summary.canceledIds,
    usage: summary.usage,
    order: summary.order,
    source: summary.source,
    made,
  };
  // The entries first: a summary without its entries is fine, the other way round is not looked at.
  if (entries) await writeIndexFile(open, files.entries, 'entries', copy, JSON.stringify(entries));
  await writeIndexFile(open, files.summary, 'summary', copy, JSON.stringify(kept));
}

const isRef = (value: unknown): value is EntryRef => {
  const r = value as Partial<EntryRef> | null;
  return typeof r === 'object' && r !== null && typeof r.customId === 'string' && Number.isSafeInteger(r.offset) && Number.isSafeInteger(r.length);
};

function sameOptions(made: IndexedOptions, wanted: IndexedOptions): boolean {
  const source = (s: IndexedOptions['source']) => (s ? JSON.stringify([s.path, s.file, s.size, s.mtimeMs]) : 'none');
  // Kept with at least as many entries as wanted: the first `wanted` of them are the same.
  return made.maxEntries >= wanted.maxEntries && made.promptChars === wanted.promptChars && source(made.source) === source(wanted.source);
}

/**
 * The summary kept beside a copy, when it describes the copy as it is now and was read as wanted:
 * its entries' lines are read back (a few hundred small reads, whatever the number of results)
 * and checked; the cost is worked out at today's prices. Throws IndexProblem otherwise.
 */
export async function loadResultsIndex(files: IndexFiles, copyPath: string, wanted: IndexedOptions, prices?: PriceTable): Promise<ResultsSummary> {
  const copy = await identityOf(copyPath);
  if (!copy) throw new IndexProblem('missing', `${copyPath} is gone.`);
  let kept: KeptSummary;
  try {
    kept = JSON.parse(await readIndexFile(files.summary, 'summary', copy)) as KeptSummary;
  } catch (err) {
    if (err instanceof IndexProblem) throw err;
    throw new IndexProblem('damaged', `${files.summary} is not JSON.`);
  }
  if (typeof kept !== 'object' || kept === null || typeof kept.made !== 'object' || kept.made === null) throw new IndexProblem('damaged', `${files.summary} is not a summary.`);
  if (!sameOptions(kept.made, wanted)) throw new IndexProblem('other-options', `${files.summary} was read with other settings (entries, prompts or source file).`);
  const lists: KeptList[] = [kept.succeeded, kept.expired, kept.canceled, ...(kept.errored?.groups ?? [])];
  if (!lists.every((l) => typeof l === 'object' && l !== null && Array.isArray(l.entries) && l.entries.every(isRef))) throw new IndexProblem('damaged', `${files.summary} lists entries it cannot say where are.`);
  // The first `wanted.maxEntries` of each list, their lines read back in file order.
  for (const list of lists) list.entries = list.entries.slice(0, wanted.maxEntries);
  const refs = lists.flatMap((l) => l.entries);
  for (const ref of refs) {
    if (ref.offset < 0 || ref.length < 0 || ref.offset + ref.length > copy.size) throw new IndexProblem('damaged', `${files.summary} points past the end of ${copy.file}.`);
  }
  const order = refs.map((_, i) => i).sort((a, b) => refs[a].offset - refs[b].offset);
  const results = new Array<MessageBatchResult>(refs.length);
  await readRanges(
    copyPath,
    order.map((i) => refs[i]),
    (bytes, k) => {
      const ref = refs[order[k]];
      let parsed: unknown;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      if (!isResultLine(parsed) || parsed.custom_id !== ref.customId) throw new IndexProblem('damaged', `${files.summary} expects ${JSON.stringify(ref.customId)} at byte ${ref.offset} of ${copy.file}, which holds something else.`);
      results[order[k]] = parsed.result;
    },
  ).catch((err: unknown) => {
    if (err instanceof IndexProblem) throw err;
    throw new IndexProblem('damaged', `${copy.file} could not be read where ${files.summary} points: ${err instanceof Error ? err.message : String(err)}`);
  });
  const resultOf = new Map<EntryRef, MessageBatchResult>(refs.map((ref, i) => [ref, results[i]]));
  const entriesOf = (list: { entries: EntryRef[] }): ResultEntry[] => list.entries.map((ref) => ({ ...ref, result: resultOf.get(ref)! }));
  const groups = kept.errored.groups.map((g) => ({ ...g, entries: entriesOf(g) }));
  const { made: _made, ...rest } = kept;
  return {
    ...rest,
    resultsPath: copyPath,
    maxEntries: Math.min(kept.maxEntries, wanted.maxEntries),
    succeeded: { count: kept.succeeded.count, entries: entriesOf(kept.succeeded) },
    errored: { count: kept.errored.count, groups, entries: groups.flatMap((g) => g.entries) },
    expired: { count: kept.expired.count, entries: entriesOf(kept.expired) },
    canceled: { count: kept.canceled.count, entries: entriesOf(kept.canceled) },
    cost: costOf(kept.usage.perModel, prices),
  };
}

/** The entry index kept beside a copy, checked against it (see the top of this file). Throws IndexProblem. */
export async function loadEntryIndex(files: IndexFiles, copyPath: string): Promise<EntryIndex> {
  const copy = await identityOf(copyPath);
  if (!copy) throw new IndexProblem('missing', `${copyPath} is gone.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readIndexFile(files.entries, 'entries', copy));
  } catch (err) {
    if (err instanceof IndexProblem) throw err;
    throw new IndexProblem('damaged', `${files.entries} is not JSON.`);
  }
  if (!isEntryIndex(parsed, copy.size)) throw new IndexProblem('damaged', `${files.entries} is not an index of ${copy.file}: an entry is missing a field or lies outside the file.`);
  return parsed;
}

/** Reads one result's line back and checks it is the one expected. */
export async function readResultAt(copyPath: string, customId: string, offset: number, length: number): Promise<{ text: string; value: { custom_id: string; result: MessageBatchResult } } | undefined> {
  const copy = await identityOf(copyPath);
  if (!copy || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > copy.size) return undefined;
  let found: { text: string; value: { custom_id: string; result: MessageBatchResult } } | undefined;
  await readRanges(copyPath, [{ offset, length }], (bytes) => {
    const text = bytes.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    if (isResultLine(parsed) && parsed.custom_id === customId) found = { text, value: parsed };
  });
  return found;
}

const DEFAULT_MAX_ENTRIES = 200;
const DEFAULT_PROMPT_CHARS = 160;

/**
 * How summary options read, as an index records them; undefined when an index cannot serve them
 * (one section on its own, or a source handed in as an index already built).
 */
export async function indexedOptions(options: SummaryOptions): Promise<IndexedOptions | undefined> {
  if (options.section !== undefined || (options.source !== undefined && typeof options.source !== 'string')) return undefined;
  const source = typeof options.source === 'string' ? await identityOf(options.source) : undefined;
  return {
    maxEntries: Math.max(0, Math.floor(options.maxEntries ?? DEFAULT_MAX_ENTRIES)),
    promptChars: options.promptChars ?? DEFAULT_PROMPT_CHARS,
    // A source that cannot be read is recorded as its name alone: the summary says it is missing.
    source: typeof options.source === 'string' ? { path: options.source, ...(source ?? { file: '', size: -1, mtimeMs: -1 }) } : null,
  };
}

/** What a summary of a copy cost: the index beside it, or a pass over the copy (and why). */
export interface IndexedSummary {
  summary: ResultsSummary;
  /** Undefined when the index served it; else why it was made again from the copy. */
  rebuilt?: IndexProblem;
}

/**
 * The summary of a local copy for a whole results document: from the index beside it when that
 * index holds up (see the top of this file), else from one pass over the copy, which writes the
 * index again (best effort: a full disk only means the next open reads the copy again too).
 * A section on its own is always summarised from the copy.
 */
export async function summarizeCopy(files: IndexFiles, copyPath: string, options: SummaryOptions, open?: OpenForWrite): Promise<IndexedSummary> {
  const wanted = await indexedOptions(options);
  if (!wanted) return { summary: await summarizeResults(copyPath, options), rebuilt: new IndexProblem('other-options', 'A section on its own is read from the copy.') };
  try {
    return { summary: await loadResultsIndex(files, copyPath, wanted, options.prices) };
  } catch (err) {
    if (!(err instanceof IndexProblem)) throw err;
    const { summary, entries } = await summarizeAndIndex(copyPath, options);
    await writeResultsIndex(files, copyPath, summary, wanted, entries, open).catch(() => undefined);
    return { summary, rebuilt: err };
  }
}

/** The entry index of a copy: the one beside it when it holds up, else made again in one pass (and kept). */
export async function entryIndexOf(files: IndexFiles, copyPath: string, options: SummaryOptions, open?: OpenForWrite): Promise<EntryIndex> {
  try {
    return await loadEntryIndex(files, copyPath);
  } catch (err) {
    if (!(err instanceof IndexProblem)) throw err;
    const { summary, entries } = await summarizeAndIndex(copyPath, { ...options, section: undefined });
    const wanted = await indexedOptions({ ...options, section: undefined });
    if (wanted) await writeResultsIndex(files, copyPath, summary, wanted, entries, open).catch(() => undefined);
    return entries;
  }
}
