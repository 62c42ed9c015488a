// What a pass over a local copy learnt, kept beside it so that opening its results document again
// reads the index and a few bytes of the copy, whatever the number of results:
//   <id>.index.json    three parts: the summary (counts, usage, error groups, the ids a retry
//                      needs, and for the entries the document shows, where their lines are);
//                      the places of the first entries of each section, for a section opened on
//                      its own (sectionEntries); and the page, the lines the document shows, one
//                      after the other, so that a reopen reads them in one go
//   <id>.entries.json  every result's custom_id, section and place (entryIndex.ts); read only to
//                      look one up
// Each file is a header line (JSON: version, the copy it describes, a fingerprint of that copy,
// and the length and SHA-256 of each part) then the parts, so that a reader reads and checks only
// the parts it needs. Nothing in them is trusted blindly: an index is used only when its version
// is this code's; the copy's name, size and modification time are the ones it was made from, and
// so is the SHA-256 of the copy's first and last 64 KiB (a copy rewritten in place); each part
// read hashes to its checksum; every place lies inside the copy; every line used parses as a
// result with the custom_id the index expects; and a sample of the page's lines are the copy's
// bytes at their places (entries read from the copy itself are all checked). Anything else (a
// missing, old or damaged index) is an IndexProblem, and the caller makes the index again from the
// copy. The summary (the first cache: summaryCache.ts hands a download's summary to the document
// opening next, in memory) is written here so that later windows and restarts find it too.
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatchResult } from '../../api';
import type { PriceTable } from '../cost';
import { wordingKey } from '../../common/l10n';
import { openRegularFile } from '../regularFile';
import { isEntryIndex, type EntryIndex } from './entryIndex';
import { readRanges, type LineRange } from './lineReader';
import { isResultLine, parseSectionId, type SectionId } from './outcomes';
import {
  costOf,
  sectionEntriesOf,
  summarizeAndIndex,
  summarizeResults,
  type EntryList,
  type EntryPlace,
  type PassIndex,
  type ResultEntry,
  type ResultsSummary,
  type SectionPlaces,
  type SummaryOptions,
} from './resultsSummary';
import { promptStart } from './sourceIndex';
import { openForWrite, writeWholeFile, type OpenForWrite } from './writableFile';

/** Bumped whenever what the files hold changes meaning: an index of another version is made again. */
export const INDEX_VERSION = 2;

/** Bytes at each end of the copy whose hash the index keeps. */
const FINGERPRINT_BYTES = 64 * 1024;
/** Lines of the page compared with the copy on each use. */
const PAGE_SAMPLES = 16;
/** Runs of a section's lines read from the copy at the same time. */
const READS_AT_ONCE = 4;

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
  /** Places kept per section for a section opened on its own. */
  sectionEntries: number;
  promptChars: number;
  /** The source file, as it was when read (an edited source changes the order and the prompts). */
  source: (CopyIdentity & { path: string }) | null;
  /**
   * The display language's words the summary holds (wordingKey): the prompts' placeholders
   * (`[tool result]`) and why the source could not be read. Another language makes it again.
   */
  wording: string;
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

type PartName = 'summary' | 'sections' | 'page' | 'entries';

interface Header {
  version: number;
  kind: 'summary' | 'entries';
  copy: CopyIdentity;
  /** SHA-256 of the copy's first and last FINGERPRINT_BYTES. */
  fingerprint: string;
  parts: { name: PartName; length: number; sha256: string }[];
}

/** An entry of the summary as kept: where its line is (in the copy, and in the page), not the result itself. */
interface EntryRef extends Omit<ResultEntry, 'result' | 'text'> {
  offset: number;
  length: number;
  /** Byte offset and length of its line in the page. */
  page: [number, number];
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

/** Reads exactly `length` bytes at `position` (fewer only when the file is shorter). */
async function readAt(handle: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buffer, read, length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buffer.subarray(0, read);
}

/**
 * SHA-256 of a copy's size and its first and last 64 KiB: two reads, whatever its size. Catches
 * a copy rewritten in place at the same size and time wherever its ends changed.
 */
async function fingerprintOf(file: string, size: number): Promise<string> {
  const handle = await openRegularFile(file);
  try {
    const hash = createHash('sha256').update(String(size));
    const head = Math.min(size, FINGERPRINT_BYTES);
    hash.update(await readAt(handle, 0, head));
    hash.update(await readAt(handle, Math.max(head, size - FINGERPRINT_BYTES), Math.max(0, size - Math.max(head, size - FINGERPRINT_BYTES))));
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

function refOf(entry: ResultEntry, page: Buffer[], at: { bytes: number }): EntryRef {
  if (entry.offset === undefined || entry.length === undefined || entry.text === undefined) throw new Error(l10n.t('The summary entry {0} does not say where its line is: it was not read from a file.', entry.customId));
  const { result: _result, text, ...ref } = entry;
  const line = Buffer.from(`${text}\n`, 'utf8');
  page.push(line);
  const place: [number, number] = [at.bytes, line.length - 1];
  at.bytes += line.length;
  return { ...ref, offset: entry.offset, length: entry.length, page: place };
}

/** Writes `header line + parts` to a temp file beside `file`, then renames it into place. */
async function writeIndexFile(open: OpenForWrite, file: string, kind: Header['kind'], copy: CopyIdentity, fingerprint: string, parts: [PartName, Buffer][]): Promise<void> {
  const header: Header = { version: INDEX_VERSION, kind, copy, fingerprint, parts: parts.map(([name, bytes]) => ({ name, length: bytes.length, sha256: sha256(bytes) })) };
  const temp = `${file}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    await writeWholeFile(open, temp, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...parts.map(([, bytes]) => bytes)]));
    await fs.promises.rename(temp, file);
  } catch (err) {
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}

const isPart = (value: unknown): value is Header['parts'][number] => {
  const p = value as Partial<Header['parts'][number]> | null;
  return typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.sha256 === 'string' && Number.isSafeInteger(p.length) && p.length! >= 0;
};

/**
 * The wanted parts of an index file after checking its header against the copy as it is now
 * (identity and fingerprint) and each part read against its checksum. Reads only those parts.
 */
async function readIndexParts<N extends PartName>(file: string, kind: Header['kind'], copyPath: string, copy: CopyIdentity, names: readonly N[]): Promise<Record<N, Buffer>> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await openRegularFile(file);
  } catch {
    throw new IndexProblem('missing', `No index at ${file}.`);
  }
  try {
    const size = (await handle.stat()).size;
    const first = await readAt(handle, 0, Math.min(size, 64 * 1024));
    const nl = first.indexOf(10);
    let header: Partial<Header> | undefined;
    try {
      header = nl < 0 ? undefined : (JSON.parse(first.toString('utf8', 0, nl)) as Partial<Header>);
    } catch {
      header = undefined;
    }
    if (typeof header !== 'object' || header === null || header.kind !== kind) throw new IndexProblem('damaged', `${file} does not start with an index header.`);
    if (header.version !== INDEX_VERSION) throw new IndexProblem('old', `${file} is of version ${String(header.version)}, not ${INDEX_VERSION}.`);
    const made = header.copy;
    if (typeof made !== 'object' || made === null || !sameCopy(made, copy)) throw new IndexProblem('old', `${file} describes another copy of the results than ${copy.file} as it is now.`);
    const parts = header.parts;
    if (!Array.isArray(parts) || !parts.every(isPart) || nl + 1 + parts.reduce((n, p) => n + p.length, 0) !== size) throw new IndexProblem('damaged', `${file} is not as long as its header says.`);
    if (header.fingerprint !== (await fingerprintOf(copyPath, copy.size))) throw new IndexProblem('old', `${file} describes another copy of the results than ${copy.file}: its first or last bytes changed.`);
    const out = {} as Record<N, Buffer>;
    let at = nl + 1;
    for (const part of parts) {
      const wanted = names.includes(part.name as N);
      if (wanted) {
        const bytes = at + part.length <= first.length ? first.subarray(at, at + part.length) : await readAt(handle, at, part.length);
        if (bytes.length !== part.length || sha256(bytes) !== part.sha256) throw new IndexProblem('damaged', `${file} does not match its checksum (${part.name}).`);
        out[part.name as N] = bytes;
      }
      at += part.length;
    }
    for (const name of names) if (!out[name]) throw new IndexProblem('damaged', `${file} has no ${name}.`);
    return out;
  } finally {
    await handle.close();
  }
}

/** A part of an index file as JSON; IndexProblem when it is not. */
function jsonOf(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new IndexProblem('damaged', `${file} is not JSON.`);
  }
}

export interface IndexFiles {
  /** `<id>.index.json` and `<id>.entries.json`. */
  summary: string;
  entries: string;
}

/**
 * Keeps a summary, the places of each section's first entries, the lines the summary shows and
 * the entry index beside the copy they were read from. The summary must have been made for a
 * whole document (no section of its own) from `copyPath`, by the pass that made `index`.
 */
export async function writeResultsIndex(
  files: IndexFiles,
  copyPath: string,
  summary: ResultsSummary,
  made: IndexedOptions,
  index: PassIndex,
  open: OpenForWrite = openForWrite,
): Promise<void> {
  if (summary.focus !== undefined) throw new Error(l10n.t('Only a summary of the whole results is kept as an index.'));
  const copy = await identityOf(copyPath);
  if (!copy) throw new Error(l10n.t('{0} is gone: no index is kept for it.', copyPath));
  const fingerprint = await fingerprintOf(copyPath, copy.size);
  const page: Buffer[] = [];
  const at = { bytes: 0 };
  const keptList = (list: EntryList): KeptList => ({ count: list.count, entries: list.entries.map((e) => refOf(e, page, at)) });
  const kept: KeptSummary = {
    maxEntries: summary.maxEntries,
    results: summary.results,
    counts: summary.counts,
    otherTypes: summary.otherTypes,
    read: summary.read,
    succeeded: keptList(summary.succeeded),
    errored: { count: summary.errored.count, groups: summary.errored.groups.map((g) => ({ type: g.type, retryable: g.retryable, section: g.section, count: g.count, entries: g.entries.map((e) => refOf(e, page, at)) })) },
    expired: keptList(summary.expired),
    canceled: keptList(summary.canceled),
    retryableIds: summary.retryableIds,
    fixIds: summary.fixIds,
    expiredIds: summary.expiredIds,
    canceledIds: summary.canceledIds,
    usage: summary.usage,
    order: summary.order,
    source: summary.source,
    made: { ...made, sectionEntries: index.places.limit },
  };
  // The entries first: a summary without its entries is fine, the other way round is not looked at.
  await writeIndexFile(open, files.entries, 'entries', copy, fingerprint, [['entries', Buffer.from(JSON.stringify(index.entries), 'utf8')]]);
  // The page last: a damaged end of the file is found by every reopen, not only by a section's.
  await writeIndexFile(open, files.summary, 'summary', copy, fingerprint, [
    ['summary', Buffer.from(JSON.stringify(kept), 'utf8')],
    ['sections', Buffer.from(JSON.stringify(index.places), 'utf8')],
    ['page', Buffer.concat(page)],
  ]);
}

const isRef = (value: unknown): value is EntryRef => {
  const r = value as Partial<EntryRef> | null;
  return (
    typeof r === 'object' && r !== null && typeof r.customId === 'string' && Number.isSafeInteger(r.offset) && Number.isSafeInteger(r.length) && Array.isArray(r.page) && r.page.length === 2 && r.page.every(Number.isSafeInteger)
  );
};

const isPlace = (value: unknown): value is EntryPlace => {
  const p = value as Partial<EntryPlace> | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.customId === 'string' &&
    Number.isSafeInteger(p.offset) &&
    Number.isSafeInteger(p.length) &&
    (p.source === undefined || (Array.isArray(p.source) && p.source.length === 2 && p.source.every((n) => Number.isSafeInteger(n) && n >= 0)))
  );
};

function sameSource(made: IndexedOptions, wanted: IndexedOptions): boolean {
  const source = (s: IndexedOptions['source']) => (s ? JSON.stringify([s.path, s.file, s.size, s.mtimeMs]) : 'none');
  return made.promptChars === wanted.promptChars && source(made.source) === source(wanted.source) && made.wording === wanted.wording;
}

/** Kept with at least as many entries as wanted: the first `wanted` of them are the same. */
const sameOptions = (made: IndexedOptions, wanted: IndexedOptions): boolean => made.maxEntries >= wanted.maxEntries && sameSource(made, wanted);

/** The kept summary of an index file, checked to be one. */
function keptSummaryOf(bytes: Buffer, file: string): KeptSummary {
  const kept = jsonOf(bytes, file) as KeptSummary;
  if (typeof kept !== 'object' || kept === null || typeof kept.made !== 'object' || kept.made === null) throw new IndexProblem('damaged', `${file} is not a summary.`);
  if (typeof kept.errored !== 'object' || kept.errored === null || !Array.isArray(kept.errored.groups)) throw new IndexProblem('damaged', `${file} has no error groups.`);
  const lists: KeptList[] = [kept.succeeded, kept.expired, kept.canceled, ...kept.errored.groups];
  if (!lists.every((l) => typeof l === 'object' && l !== null && Array.isArray(l.entries) && l.entries.every(isRef))) throw new IndexProblem('damaged', `${file} lists entries it cannot say where are.`);
  return kept;
}

const outside = (place: LineRange, size: number): boolean => place.offset < 0 || place.length < 0 || place.offset + place.length > size;

/** A result line as the index expects it, or IndexProblem. */
function resultOf(text: string, customId: string, where: string): MessageBatchResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isResultLine(parsed) || parsed.custom_id !== customId) throw new IndexProblem('damaged', `The index expects ${JSON.stringify(customId)} ${where}, which holds something else.`);
  return parsed.result;
}

/** Up to `count` of `items`, spread evenly from the first to the last. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]);
}

/** Reads places of the copy, calling back with each one's text; a read that fails is an IndexProblem. */
async function readPlaces(copyPath: string, places: readonly LineRange[], what: string, onText: (text: string, k: number) => void): Promise<void> {
  const order = places.map((_, i) => i).sort((a, b) => places[a].offset - places[b].offset);
  await readRanges(
    copyPath,
    order.map((i) => places[i]),
    (bytes, k) => onText(bytes.toString('utf8'), order[k]),
  ).catch((err: unknown) => {
    if (err instanceof IndexProblem) throw err;
    throw new IndexProblem('damaged', `${path.basename(copyPath)} could not be read where ${what} points: ${err instanceof Error ? err.message : String(err)}`);
  });
}

/**
 * The summary kept beside a copy, when it describes the copy as it is now and was read as wanted:
 * the summary and the page of the lines it shows are read (two reads, whatever the number of
 * results) and checked, a sample of those lines against the copy; the cost is worked out at
 * today's prices. Throws IndexProblem otherwise.
 */
export async function loadResultsIndex(files: IndexFiles, copyPath: string, wanted: IndexedOptions, prices?: PriceTable): Promise<ResultsSummary> {
  const copy = await identityOf(copyPath);
  if (!copy) throw new IndexProblem('missing', `${copyPath} is gone.`);
  const parts = await readIndexParts(files.summary, 'summary', copyPath, copy, ['summary', 'page']);
  const kept = keptSummaryOf(parts.summary, files.summary);
  if (!sameOptions(kept.made, wanted)) throw new IndexProblem('other-options', `${files.summary} was read with other settings (entries, prompts, source file or display language).`);
  const lists: KeptList[] = [kept.succeeded, kept.expired, kept.canceled, ...kept.errored.groups];
  // The first `wanted.maxEntries` of each list.
  for (const list of lists) list.entries = list.entries.slice(0, wanted.maxEntries);
  const refs = lists.flatMap((l) => l.entries);
  const page = parts.page;
  const texts = new Map<EntryRef, string>();
  const results = new Map<EntryRef, MessageBatchResult>();
  for (const ref of refs) {
    if (outside(ref, copy.size)) throw new IndexProblem('damaged', `${files.summary} points past the end of ${copy.file}.`);
    const [start, length] = ref.page;
    if (start < 0 || length < 0 || start + length > page.length) throw new IndexProblem('damaged', `${files.summary} points past the end of its page.`);
    const text = page.toString('utf8', start, start + length);
    texts.set(ref, text);
    // not translated: part of an IndexProblem's message, for the log
    results.set(ref, resultOf(text, ref.customId, `on its page at byte ${start}`));
  }
  // The lines shown are the copy's: a sample of them, spread through the copy, read back.
  const sample = spread([...refs].sort((a, b) => a.offset - b.offset), PAGE_SAMPLES);
  await readPlaces(copyPath, sample, files.summary, (text, k) => {
    const ref = sample[k];
    if (text !== texts.get(ref)) throw new IndexProblem('damaged', `${files.summary} expects ${JSON.stringify(ref.customId)} at byte ${ref.offset} of ${copy.file}, which holds something else.`);
  });
  const entriesOf = (list: { entries: EntryRef[] }): ResultEntry[] =>
    list.entries.map((ref) => {
      const { page: _page, ...entry } = ref;
      return { ...entry, result: results.get(ref)! };
    });
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

/** The places part of an index file, checked to be one for a copy of `size` bytes. */
function sectionPlacesOf(bytes: Buffer, file: string, size: number): SectionPlaces {
  const places = jsonOf(bytes, file) as SectionPlaces;
  if (
    typeof places !== 'object' ||
    places === null ||
    !Number.isSafeInteger(places.limit) ||
    !Array.isArray(places.lists) ||
    !places.lists.every((l) => typeof l === 'object' && l !== null && typeof l.section === 'string' && Array.isArray(l.places) && l.places.every(isPlace))
  ) {
    throw new IndexProblem('damaged', `${file} does not say where the entries of each section are.`);
  }
  if (places.lists.some((l) => l.places.some((p) => outside(p, size)))) throw new IndexProblem('damaged', `${file} points past the end of ${size} bytes of results.`);
  return places;
}

/**
 * One section of a copy on its own, from the index kept beside it: the summary and the places of
 * that section's first entries are read from the index, then only those entries' lines from the
 * copy (all of them checked), and their prompts from the source by byte range. Throws
 * IndexProblem when the index does not hold up or keeps fewer places than `maxEntries`.
 */
async function loadSectionFromIndex(files: IndexFiles, copyPath: string, wanted: IndexedOptions, section: SectionId, maxEntries: number, prices?: PriceTable): Promise<ResultsSummary> {
  const focus = parseSectionId(section);
  if (!focus) throw new Error(l10n.t('Unknown results section: {0}', section));
  const copy = await identityOf(copyPath);
  if (!copy) throw new IndexProblem('missing', `${copyPath} is gone.`);
  const parts = await readIndexParts(files.summary, 'summary', copyPath, copy, ['summary', 'sections']);
  const kept = keptSummaryOf(parts.summary, files.summary);
  if (!sameSource(kept.made, wanted)) throw new IndexProblem('other-options', `${files.summary} was read with other settings (prompts, source file or display language).`);
  const places = sectionPlacesOf(parts.sections, files.summary, copy.size);
  if (places.limit < maxEntries) throw new IndexProblem('other-options', `${files.summary} keeps the places of ${places.limit} entries per section, not ${maxEntries}.`);
  const shown = (id: SectionId): boolean => {
    const of = parseSectionId(id);
    return of?.outcome === focus.outcome && (focus.errorType === undefined || of.errorType === focus.errorType);
  };
  const listOf = new Map(places.lists.map((l) => [l.section, l.places]));
  const picked = new Map<SectionId, EntryPlace[]>();
  for (const id of ['succeeded', 'expired', 'canceled', ...kept.errored.groups.map((g) => g.section)] as SectionId[]) {
    if (!shown(id)) continue;
    const list = listOf.get(id);
    if (!list) throw new IndexProblem('damaged', `${files.summary} does not say where the entries of ${id} are.`);
    picked.set(id, list.slice(0, maxEntries));
  }
  const all = [...picked.values()].flat();
  const results = new Map<EntryPlace, MessageBatchResult>();
  // Lines far apart are one read each: a few runs of them at once keep the disk (and the thread pool) busy.
  const byOffset = [...all].sort((a, b) => a.offset - b.offset);
  const run = Math.ceil(byOffset.length / READS_AT_ONCE);
  const runs = Array.from({ length: Math.ceil(byOffset.length / Math.max(1, run)) }, (_, i) => byOffset.slice(i * run, (i + 1) * run));
  await Promise.all(
    runs.map((places) =>
      readPlaces(copyPath, places, files.summary, (text, k) => {
        // not translated: part of an IndexProblem's message, for the log
        results.set(places[k], resultOf(text, places[k].customId, `at byte ${places[k].offset} of ${copy.file}`));
      }),
    ),
  );
  // The prompts, from the source the index was made with (its size and time are checked above).
  const prompts = new Map<EntryPlace, string>();
  const source = kept.made.source;
  const asked = all.filter((p) => p.source !== undefined);
  if (source && asked.length > 0) {
    const ranges = asked.map((p) => ({ offset: p.source![0], length: p.source![1] }));
    const order = ranges.map((_, i) => i).sort((a, b) => ranges[a].offset - ranges[b].offset);
    await readRanges(
      source.path,
      order.map((i) => ranges[i]),
      (bytes, k) => {
        const prompt = promptStart(bytes.toString('utf8'), kept.made.promptChars);
        if (prompt !== undefined) prompts.set(asked[order[k]], prompt);
      },
    ).catch(() => undefined); // The source changed under us: entries stay, without prompts.
  }
  const entriesOf = (id: SectionId): ResultEntry[] =>
    (picked.get(id) ?? []).map((p) => {
      const prompt = prompts.get(p);
      return {
        customId: p.customId,
        result: results.get(p)!,
        ...(p.inputIndex !== undefined ? { inputIndex: p.inputIndex, sourceLine: p.sourceLine } : {}),
        ...(prompt !== undefined ? { prompt } : {}),
        offset: p.offset,
        length: p.length,
      };
    });
  const groups = kept.errored.groups.map(({ entries: _entries, ...g }) => ({ ...g, entries: entriesOf(g.section) }));
  const { made: _made, ...rest } = kept;
  return {
    ...rest,
    resultsPath: copyPath,
    maxEntries,
    focus: section,
    succeeded: { count: kept.succeeded.count, entries: entriesOf('succeeded') },
    errored: { count: kept.errored.count, groups, entries: groups.flatMap((g) => g.entries) },
    expired: { count: kept.expired.count, entries: entriesOf('expired') },
    canceled: { count: kept.canceled.count, entries: entriesOf('canceled') },
    cost: costOf(kept.usage.perModel, prices),
  };
}

/** The entry index kept beside a copy, checked against it (see the top of this file). Throws IndexProblem. */
export async function loadEntryIndex(files: IndexFiles, copyPath: string): Promise<EntryIndex> {
  const copy = await identityOf(copyPath);
  if (!copy) throw new IndexProblem('missing', `${copyPath} is gone.`);
  const parsed = jsonOf((await readIndexParts(files.entries, 'entries', copyPath, copy, ['entries'])).entries, files.entries);
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
 * (a source handed in as an index already built). With `section`, the options of the whole
 * document the index is made for.
 */
export async function indexedOptions(options: SummaryOptions): Promise<IndexedOptions | undefined> {
  if (options.source !== undefined && typeof options.source !== 'string') return undefined;
  const source = typeof options.source === 'string' ? await identityOf(options.source) : undefined;
  const entries = options.section === undefined ? options.maxEntries : options.documentEntries;
  return {
    maxEntries: Math.max(0, Math.floor(entries ?? DEFAULT_MAX_ENTRIES)),
    sectionEntries: sectionEntriesOf(options),
    promptChars: options.promptChars ?? DEFAULT_PROMPT_CHARS,
    // A source that cannot be read is recorded as its name alone: the summary says it is missing.
    source: typeof options.source === 'string' ? { path: options.source, ...(source ?? { file: '', size: -1, mtimeMs: -1 }) } : null,
    wording: wordingKey(),
  };
}

/** What a summary of a copy cost: the index beside it, or a pass over the copy (and why). */
export interface IndexedSummary {
  summary: ResultsSummary;
  /** Undefined when the index served it; else why it was made again from the copy. */
  rebuilt?: IndexProblem;
}

/** From the index: a whole document, or one section on its own. */
function fromIndex(files: IndexFiles, copyPath: string, options: SummaryOptions, wanted: IndexedOptions): Promise<ResultsSummary> {
  if (options.section === undefined) return loadResultsIndex(files, copyPath, wanted, options.prices);
  return loadSectionFromIndex(files, copyPath, wanted, options.section, Math.max(0, Math.floor(options.maxEntries ?? DEFAULT_MAX_ENTRIES)), options.prices);
}

/**
 * The summary of a local copy for a results document, or for one section of it: from the index
 * beside it when that index holds up (see the top of this file), else from one pass over the
 * copy, which writes the index again (best effort: a full disk only means the next open reads
 * the copy again too).
 */
export async function summarizeCopy(files: IndexFiles, copyPath: string, options: SummaryOptions, open?: OpenForWrite): Promise<IndexedSummary> {
  const wanted = await indexedOptions(options);
  if (!wanted) return { summary: await summarizeResults(copyPath, options), rebuilt: new IndexProblem('other-options', 'A source given as an index already built is read with the copy.') };
  try {
    return { summary: await fromIndex(files, copyPath, options, wanted) };
  } catch (err) {
    if (!(err instanceof IndexProblem)) throw err;
    const { summary, index } = await summarizeAndIndex(copyPath, options);
    const written = await writeResultsIndex(files, copyPath, summary, wanted, index, open).then(
      () => true,
      () => false,
    );
    if (options.section === undefined) return { summary, rebuilt: err };
    // A section: from the index just made (its entries' lines, a few reads), else a second pass.
    const section = written ? await fromIndex(files, copyPath, options, wanted).catch(() => undefined) : undefined;
    return { summary: section ?? (await summarizeResults(copyPath, options)), rebuilt: err };
  }
}

/** The entry index of a copy: the one beside it when it holds up, else made again in one pass (and kept). */
export async function entryIndexOf(files: IndexFiles, copyPath: string, options: SummaryOptions, open?: OpenForWrite): Promise<EntryIndex> {
  try {
    return await loadEntryIndex(files, copyPath);
  } catch (err) {
    if (!(err instanceof IndexProblem)) throw err;
    const whole = { ...options, section: undefined, maxEntries: options.section === undefined ? options.maxEntries : options.documentEntries };
    const { summary, index } = await summarizeAndIndex(copyPath, whole);
    const wanted = await indexedOptions(whole);
    if (wanted) await writeResultsIndex(files, copyPath, summary, wanted, index, open).catch(() => undefined);
    return index.entries;
  }
}
