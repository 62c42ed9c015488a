// Every result of a local copy by custom_id: its section and where its line is in the file. Made
// in the pass that summarises the copy (the download's, or a later one), kept beside the copy
// (resultsIndex.ts), and read only when someone looks for one result: "Go to custom_id…", or a
// result opened in full from a link that did not say where it is. The numbers are held in
// arrays, not one object per result, so 100,000 results cost a few megabytes.
import type { SectionId } from './outcomes';

/** The section of a result whose type none of the four outcomes are (a newer API). */
export type EntrySection = SectionId | 'other';

export interface EntryIndex {
  /** custom_ids in file order (a custom_id may come more than once in an edited copy). */
  ids: string[];
  /** The distinct sections, which `sectionOf` points into. */
  sections: EntrySection[];
  sectionOf: number[];
  /** Byte offset and length of each result's line in the copy, without the newline. */
  offsets: number[];
  lengths: number[];
  /** Position among the source's requests, -1 when the source is not known or lacks it. */
  inputIndex: number[];
}

export interface IndexedEntry {
  customId: string;
  section: EntrySection;
  offset: number;
  length: number;
  inputIndex?: number;
}

/** Collects the index one result at a time, in file order. */
export class EntryIndexBuilder {
  private readonly index: EntryIndex = { ids: [], sections: [], sectionOf: [], offsets: [], lengths: [], inputIndex: [] };
  private readonly sectionNumbers = new Map<string, number>();

  add(customId: string, section: EntrySection, offset: number, length: number, inputIndex: number | undefined): void {
    let n = this.sectionNumbers.get(section);
    if (n === undefined) {
      n = this.index.sections.length;
      this.index.sections.push(section);
      this.sectionNumbers.set(section, n);
    }
    this.index.ids.push(customId);
    this.index.sectionOf.push(n);
    this.index.offsets.push(offset);
    this.index.lengths.push(length);
    this.index.inputIndex.push(inputIndex ?? -1);
  }

  finish(): EntryIndex {
    return this.index;
  }
}

/** The entry at a position of the index. */
export function entryAt(index: EntryIndex, i: number): IndexedEntry {
  const input = index.inputIndex[i];
  return { customId: index.ids[i], section: index.sections[index.sectionOf[i]], offset: index.offsets[i], length: index.lengths[i], ...(input >= 0 ? { inputIndex: input } : {}) };
}

/** The first entry with this custom_id, or undefined. */
export function findEntry(index: EntryIndex, customId: string): IndexedEntry | undefined {
  const i = index.ids.indexOf(customId);
  return i < 0 ? undefined : entryAt(index, i);
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/**
 * Whether a parsed value is an entry index whose every line lies inside a file of `size` bytes
 * (what a damaged or edited index file fails). Linear in the entries; run once per load.
 */
export function isEntryIndex(value: unknown, size: number): value is EntryIndex {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof EntryIndex, unknown>>;
  const arrays = [v.ids, v.sections, v.sectionOf, v.offsets, v.lengths, v.inputIndex];
  if (!arrays.every(Array.isArray)) return false;
  const index = v as EntryIndex;
  const n = index.ids.length;
  if (index.sectionOf.length !== n || index.offsets.length !== n || index.lengths.length !== n || index.inputIndex.length !== n) return false;
  if (!index.sections.every((s) => typeof s === 'string')) return false;
  for (let i = 0; i < n; i++) {
    if (typeof index.ids[i] !== 'string') return false;
    const s = index.sectionOf[i];
    if (!isCount(s) || s >= index.sections.length) return false;
    const offset = index.offsets[i];
    const length = index.lengths[i];
    if (!isCount(offset) || !isCount(length) || offset + length > size) return false;
    const input = index.inputIndex[i];
    if (!Number.isSafeInteger(input) || input < -1) return false;
  }
  return true;
}
