// JSON data: JSONL (one object per line, streamed) and a JSON file holding an array of objects.
// A record that is not an object, a line that is not JSON, bytes that are not UTF-8: each is a
// bad record at its own line, so the user can skip it or stop.
import * as l10n from '@vscode/l10n';
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { formatBytes } from '../../common/format';
import { findSyntaxError } from '../jsonl/jsonLocator';
import { splitLines } from '../jsonl/lineSplitter';
import { LineTooLongError } from '../lineLimit';
import { readFileChunks } from '../regularFile';
import { DataFileError, type DataItem, type DataRecord, type DataSource } from './dataRecord';
import { fieldAt, fieldNames, jsonKind } from './fieldPath';

/** Records whose keys are offered as column names (the data need not be read to its end for that). */
const COLUMN_SAMPLE = 100;
/** A JSON (not JSONL) data file is parsed whole: larger ones should be JSONL, which streams. */
export const MAX_JSON_FILE_BYTES = 512 * 1024 * 1024;

function objectRecord(value: Record<string, unknown>, number: number, line: number): DataRecord {
  return { kind: 'record', number, line, where: l10n.t('line {0}', line), get: (name) => fieldAt(value, name), columns: () => Object.keys(value) };
}

function notAnObject(value: unknown, number: number, line: number): DataItem {
  return { kind: 'bad', number, line, where: l10n.t('line {0}', line), message: l10n.t('the record is {0}, not an object: placeholders name an object\'s keys', jsonKind(value)) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function sampleColumns(records: AsyncIterable<DataItem>): Promise<string[]> {
  const names = new Set<string>();
  let seen = 0;
  for await (const item of records) {
    if (item.kind === 'record') for (const name of fieldNames(Object.fromEntries(item.columns().map((c) => [c, item.get(c)])))) names.add(name);
    if (++seen >= COLUMN_SAMPLE) break;
  }
  return [...names];
}

export class JsonlSource implements DataSource {
  readonly kind = 'jsonl';
  constructor(readonly path: string) {}

  columns(): Promise<string[]> {
    return sampleColumns(this.records());
  }

  async *records(signal?: AbortSignal): AsyncGenerator<DataItem> {
    let line = 0;
    let number = 0;
    try {
      for await (const raw of splitLines(readFileChunks(this.path, { signal }))) {
        line++;
        let text = line === 1 && raw.text.charCodeAt(0) === 0xfeff ? raw.text.slice(1) : raw.text;
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (text.trim() === '') continue;
        const where = l10n.t('line {0}', line);
        if (raw.invalidUtf8) {
          yield { kind: 'bad', number: ++number, line, where, message: l10n.t('the line holds bytes that are not UTF-8 ({0}): save the file as UTF-8', raw.invalidUtf8.bytes) };
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          const problem = findSyntaxError(text);
          yield { kind: 'bad', number: ++number, line, where, message: l10n.t('the line is not JSON{0}: each line of a JSONL file holds one object', problem ? l10n.t(' (column {0}: {1})', problem.offset + 1, problem.message) : '') };
          continue;
        }
        if (!isObject(value)) yield notAnObject(value, ++number, line);
        else yield objectRecord(value, ++number, line);
      }
    } catch (err) {
      if (err instanceof LineTooLongError) throw new DataFileError(this.path, err.line, err.message);
      throw err;
    }
  }
}

/** Where each element of a top-level JSON array starts and ends, and its line. `text` is valid JSON. */
function* arrayElements(text: string, start: number): Generator<{ start: number; end: number; line: number }> {
  let line = 1;
  for (let i = 0; i < start; i++) if (text.charCodeAt(i) === 10) line++;
  let i = start + 1;
  let depth = 0;
  let elementStart = -1;
  let elementLine = line;
  let inString = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    const ws = c === 32 || c === 9 || c === 10 || c === 13;
    if (elementStart === -1 && !ws && c !== 44 && !(depth === 0 && c === 93)) {
      elementStart = i;
      elementLine = line;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) {
        if (elementStart !== -1) yield { start: elementStart, end: i, line: elementLine };
        return;
      }
      depth--;
    } else if (c === 44 && depth === 0) {
      yield { start: elementStart, end: i, line: elementLine };
      elementStart = -1;
    }
  }
}

export class JsonArraySource implements DataSource {
  readonly kind = 'json';
  constructor(readonly path: string) {}

  columns(): Promise<string[]> {
    return sampleColumns(this.records());
  }

  async *records(signal?: AbortSignal): AsyncGenerator<DataItem> {
    const size = (await fs.promises.stat(this.path)).size;
    if (size > MAX_JSON_FILE_BYTES) {
      throw new DataFileError(this.path, 1, l10n.t('The JSON file is {0}: JSON data is read whole, and at most {1}. Write it as JSONL (one object per line), which is read as a stream.', formatBytes(size), formatBytes(MAX_JSON_FILE_BYTES)));
    }
    const chunks: Buffer[] = [];
    for await (const chunk of readFileChunks(this.path, { signal })) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    const valid = isUtf8(bytes);
    let text = bytes.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!valid) {
      const at = text.indexOf('\uFFFD');
      throw new DataFileError(this.path, lineOf(Math.max(0, at)), l10n.t('The JSON file holds bytes that are not UTF-8: save it as UTF-8.'));
    }
    const problem = findSyntaxError(text, 'file');
    if (problem) throw new DataFileError(this.path, lineOf(problem.offset), l10n.t('The file is not JSON (line {0}: {1}). JSON data is an array of objects; JSONL data, one object per line, goes in a .jsonl file.', lineOf(problem.offset), problem.message));
    const first = text.search(/\S/);
    if (text.charCodeAt(first) !== 91) {
      throw new DataFileError(this.path, lineOf(first), l10n.t('The JSON file holds {0}: JSON data is an array of objects, one per record.', jsonKind(JSON.parse(text))));
    }
    let number = 0;
    for (const element of arrayElements(text, first)) {
      const value = JSON.parse(text.slice(element.start, element.end)) as unknown;
      if (!isObject(value)) yield notAnObject(value, ++number, element.line);
      else yield objectRecord(value, ++number, element.line);
    }
  }
}
