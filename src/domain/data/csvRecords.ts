// CSV and TSV data, streamed through csv-parse: the first non-blank row names the columns, each
// later row is a record. Quoted cells may hold delimiters, quotes ("") and newlines; a BOM and
// "\r\n" line ends are fine. What cannot be used is said at the row's own line, with the column:
// a row with another number of cells than the header, a cell too large for any request, bytes
// that are not UTF-8, a quote never closed. A header with an empty or repeated name is a
// DataFileError: no row could be read by name.
import * as l10n from '@vscode/l10n';
import { Readable, pipeline } from 'node:stream';
import { Parser, type CsvError } from 'csv-parse';
import { formatBytes, formatCount } from '../../common/format';
import { readFileChunks } from '../regularFile';
import { DataFileError, MAX_FIELD_CHARS, type DataItem, type DataRecord, type DataSource } from './dataRecord';
import { LineIndex } from './lineIndex';

export interface CsvOptions {
  delimiter: ',' | '\t';
  /** Longest cell, in characters. Default MAX_FIELD_CHARS. */
  maxFieldChars?: number;
  /** Bytes per read (tests make it small to cut characters and rows in two). Default CSV_CHUNK_BYTES. */
  chunkBytes?: number;
}

/**
 * Bytes per read of a CSV file. Each read is a fresh buffer that lives until the garbage collector
 * gets to it, and csv-parse works through it a cell at a time anyway: 64 KiB reads cost no more
 * time than 1 MiB ones and keep tens of megabytes less in memory on a large file.
 */
const CSV_CHUNK_BYTES = 64 * 1024;

/**
 * csv-parse, noting where each row ends. Its `info` option would give each row a copy of the
 * parser's whole state (a tenth of the parse time on a large file); the row's end is all the line
 * numbers need, and it is the parser's byte count when the row is pushed (csv-parse pushes each
 * row the moment it ends). Rows come out in the order they are pushed: `ends` is a queue.
 */
class EndsParser extends Parser {
  private readonly ends: number[] = [];

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null) this.ends.push(this.info.bytes);
    return super.push(chunk, encoding);
  }

  /** Where the next row read ends (its byte offset in the file, after the row delimiter). */
  nextEnd(): number {
    return this.ends.shift() ?? 0;
  }
}

/** A quote that never closes swallows the rest of the file: said as such, not as csv-parse's code. */
function describeCsvError(err: CsvError): string {
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return l10n.t('a quote opened in this row is never closed, so the rest of the file was read as one cell: close the quote, and write a quote inside a quoted cell as two ("")');
    case 'CSV_INVALID_CLOSING_QUOTE':
      return l10n.t('a quoted cell is followed by other characters before the next delimiter: write a quote inside a quoted cell as two ("")');
    default:
      return l10n.t('the row cannot be read: {0}', err.message);
  }
}

function isBlankRow(record: string[]): boolean {
  return record.length === 1 && record[0].trim() === '';
}

/** A row: its cells by column name (a class, not closures: one small object per row of a large file). */
class CsvRow implements DataRecord {
  readonly kind = 'record';
  constructor(
    readonly number: number,
    readonly line: number,
    private readonly cells: string[],
    private readonly header: string[],
    private readonly index: Map<string, number>,
  ) {}

  get where(): string {
    return l10n.t('line {0}', this.line);
  }

  get(name: string): unknown {
    const i = this.index.get(name);
    return i === undefined ? undefined : this.cells[i];
  }

  columns(): string[] {
    return this.header;
  }
}

export class CsvSource implements DataSource {
  readonly kind: 'csv' | 'tsv';
  private header: string[] | undefined;

  constructor(
    readonly path: string,
    private readonly options: CsvOptions,
  ) {
    this.kind = options.delimiter === '\t' ? 'tsv' : 'csv';
  }

  async columns(): Promise<string[]> {
    if (!this.header) {
      // Reading stops at the header: the iteration is closed after its first step.
      const records = this.records()[Symbol.asyncIterator]();
      await records.next();
      await records.return(undefined);
    }
    return this.header ?? [];
  }

  async *records(signal?: AbortSignal): AsyncGenerator<DataItem> {
    const lines = new LineIndex();
    const file = this.path;
    async function* tracked(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of chunks) {
        lines.scan(chunk);
        yield chunk;
      }
      lines.end();
    }
    const parser = new EndsParser({
      delimiter: this.options.delimiter,
      bom: true,
      relax_column_count: true,
      // A stray quote inside an unquoted cell (5" screen) is kept as written, as spreadsheets do.
      relax_quotes: true,
      skip_empty_lines: false,
      skip_records_with_error: true,
    });
    // A row csv-parse could not read comes out as an event; `records` says how many rows came
    // before it, which places it among the rows the iteration yields.
    const skipped: { after: number; error: CsvError }[] = [];
    parser.on('skip', (error: CsvError) => skipped.push({ after: typeof error.records === 'number' ? error.records : 0, error }));
    const input = Readable.from(tracked(readFileChunks(file, { signal, chunkBytes: this.options.chunkBytes ?? CSV_CHUNK_BYTES })));
    pipeline(input, parser, () => undefined);
    const maxChars = this.options.maxFieldChars ?? MAX_FIELD_CHARS;
    let header: string[] | undefined;
    let index: Map<string, number> | undefined;
    let number = 0;
    let previousEnd = 0;
    /** Rows read from the parser, the header and blank rows included (csv-parse's record count). */
    let rows = 0;
    const bad = (line: number, message: string, column?: string): DataItem => ({ kind: 'bad', number: ++number, line, where: l10n.t('line {0}', line), column, message });
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        rows++;
        while (skipped.length && skipped[0].after < rows) {
          const { error } = skipped.shift()!;
          if (header) yield bad(lines.lineAt(previousEnd), describeCsvError(error));
        }
        const start = previousEnd;
        const end = parser.nextEnd();
        previousEnd = end;
        const line = lines.lineAt(start);
        const invalidAt = lines.invalidBetween(start, end);
        if (isBlankRow(record) && invalidAt === -1) continue;
        if (!header) {
          header = this.checkHeader(record, line, invalidAt);
          this.header = header;
          index = new Map(header.map((name, i) => [name, i]));
          continue;
        }
        if (invalidAt !== -1) {
          yield bad(lines.peekLineAt(invalidAt), l10n.t('the row holds bytes that are not UTF-8 (they would be read as U+FFFD, characters nobody wrote): save the file as UTF-8'));
          continue;
        }
        const cells = record;
        if (cells.length !== header.length) {
          yield bad(line, cells.length === 1 ? l10n.t('the row has 1 cell, the header {0}: add the missing delimiters, or quote a cell that holds one', formatCount(header.length)) : l10n.t('the row has {0} cells, the header {1}: add the missing delimiters, or quote a cell that holds one', formatCount(cells.length), formatCount(header.length)));
          continue;
        }
        let huge = -1;
        for (let i = 0; i < cells.length && huge === -1; i++) if (cells[i].length > maxChars) huge = i;
        if (huge !== -1) {
          yield bad(line, l10n.t('the cell holds {0}, more than any request can use (at most {1})', formatBytes(Buffer.byteLength(cells[huge], 'utf8')), formatBytes(maxChars)), header[huge]);
          continue;
        }
        yield new CsvRow(++number, line, cells, header, index!);
      }
      for (const { error } of skipped.splice(0)) {
        if (header) yield bad(lines.lineAt(previousEnd), describeCsvError(error));
        else throw new DataFileError(file, lines.lineAt(previousEnd), l10n.t('The header row cannot be read: {0}.', describeCsvError(error)));
      }
      if (!header) throw new DataFileError(file, 1, this.kind === 'tsv' ? l10n.t('TSV data needs a header row naming its columns, and the file has none (it is empty).') : l10n.t('CSV data needs a header row naming its columns, and the file has none (it is empty).'));
    } finally {
      parser.destroy();
      input.destroy();
    }
  }

  private checkHeader(cells: string[], line: number, invalidAt: number): string[] {
    if (invalidAt !== -1) throw new DataFileError(this.path, line, l10n.t('The header row holds bytes that are not UTF-8: save the file as UTF-8.'));
    const names = cells.map((c) => c.trim());
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      if (name === '') throw new DataFileError(this.path, line, l10n.t('Column {0} of the header row has no name: name it (placeholders use the names), or remove the column.', formatCount(i + 1)));
      const first = seen.get(name);
      if (first !== undefined) throw new DataFileError(this.path, line, l10n.t('Columns {0} and {1} of the header row are both named "{2}": a placeholder could not say which one it means. Rename one.', formatCount(first + 1), formatCount(i + 1), name), name);
      seen.set(name, i);
    });
    return names;
  }
}
