// What every data reader yields: records in the data's own order, each with the line of the data
// file it starts on (or the file it came from), or a bad record saying what is wrong and where.
// Readers never decide whether a bad record stops the build: the builder does, from what the user
// chose, so one reader serves the preview, the build and the results join alike.

/** One record of the data: a CSV/TSV row, a JSON/JSONL object, or a file of a folder. */
export interface DataRecord {
  kind: 'record';
  /** 1-based position among the data's records (bad ones included): the join key kept in the link. */
  number: number;
  /** 1-based line of the data file where the record starts (folders: 0, see `where`). */
  line: number;
  /** How a person finds it: "line 12", or a file's path inside the folder. */
  where: string;
  /** The value of a field by column name, key or dotted path; undefined when the record has none. */
  get(name: string): unknown;
  /** The record's own columns, in the data's order (for the results CSV). */
  columns(): string[];
}

/** A record that cannot be used: the message says what is wrong, `where` and `column` where. */
export interface BadRecord {
  kind: 'bad';
  number: number;
  line: number;
  where: string;
  /** The column (or key) at fault, when one is. */
  column?: string;
  message: string;
}

export type DataItem = DataRecord | BadRecord;

export type DataKind = 'csv' | 'tsv' | 'json' | 'jsonl' | 'folder';

/** A data file or folder, read as records. Each call to `records()` reads it again from the start. */
export interface DataSource {
  readonly kind: DataKind;
  /** The data file or folder. */
  readonly path: string;
  /** Column names known before reading every record: the CSV header, the keys of the first JSON records, file.*. */
  columns(): Promise<string[]>;
  records(signal?: AbortSignal): AsyncIterable<DataItem>;
}

/** A problem with the whole data file (its header, its syntax): nothing can be read from it. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'DataFileError';
  }
}

/**
 * A field's value as text, for a placeholder inside a string: strings as they are, numbers and
 * booleans as JSON writes them, null as nothing, objects and arrays as their JSON text.
 */
export function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The largest field a request can use: more text than any model's context window holds. */
export const MAX_FIELD_CHARS = 8 * 1024 * 1024;
