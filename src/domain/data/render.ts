// Rendering a template for one record. The template is compiled once into pieces of JSON text:
// literal text, already serialized and encoded, and holes. A hole inside a string is filled with
// the field's text escaped as JSON.stringify would (quotes, backslashes, control characters, lone
// surrogates; jsonString.ts), so whatever the data holds stays inside that string: data can never
// add or close JSON structure. A `{{json:name}}` hole is filled with a JSON value that was parsed
// and serialized again, so it is exactly one value, never more.
//
// A record is filled once into the params as a value (what its request line parses to: the batch
// validator checks that, so the line is never parsed back) and the holes' texts; the line is then
// written as bytes straight into the caller's buffer, the literal parts copied, the holes escaped.
import * as l10n from '@vscode/l10n';
import { fieldText, type DataRecord } from './dataRecord';
import { maxJsonStringBytes, writeJsonString } from './jsonString';
import { scanPlaceholders, splitString, wholeJsonField } from './placeholders';
import type { Template } from './template';

/** A record that cannot fill the template: which field, and why. */
export class RenderError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

function field(record: DataRecord, name: string): unknown {
  const value = record.get(name);
  if (value === undefined) throw new RenderError(name, l10n.t('the record has no "{0}"', name));
  return value;
}

function jsonValue(record: DataRecord, name: string): string {
  const value = field(record, name);
  if (typeof value !== 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    throw new RenderError(name, l10n.t('"{0}" is used as {1} but its value is not JSON: write it as JSON, or use {2} to insert it as text', name, `{{json:${name}}}`, `{{${name}}}`));
  }
}

/**
 * A record's values for the template, in the order of the template's text: the params as the
 * value the request line parses to (what the validator checks, without parsing the line), and
 * each hole's text for writing the line.
 */
export interface Filled {
  params: unknown;
  /** Per hole, in order: a field's text (escaped when written) or a json: hole's JSON text. */
  holes: string[];
  /** UTF-16 units of the holes' texts (for the size bound). */
  holeChars: number;
}

/** What the line is written from: literal bytes (already JSON), or a hole (`json`: written as is). */
type Piece = Buffer | { json: boolean };

type Fill = (record: DataRecord, filled: Filled) => unknown;

/** `value` with its own `key` (a template's "__proto__" key stays a key, as JSON.parse makes it). */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function hasHoles(value: unknown): boolean {
  if (typeof value === 'string') return scanPlaceholders(value).length > 0;
  if (Array.isArray(value)) return value.some(hasHoles);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasHoles);
  return false;
}

/**
 * Compiles `value` into a fill function and the pieces of its JSON text. A part without holes is
 * shared by every record's value and written as its JSON.stringify text; holes fill strings from
 * the record's fields, or stand for a whole JSON value.
 */
function compile(value: unknown, pieces: (string | { json: boolean })[]): Fill {
  if (!hasHoles(value)) {
    const text = JSON.stringify(value);
    pieces.push(text);
    // Shared by every record; what the line parses to (-0 is written 0).
    const parsed = JSON.parse(text) as unknown;
    return () => parsed;
  }
  if (typeof value === 'string') {
    const whole = wholeJsonField(value);
    if (whole !== undefined) {
      pieces.push({ json: true });
      return (r, filled) => {
        const text = jsonValue(r, whole);
        filled.holes.push(text);
        filled.holeChars += text.length;
        // What the line parses to, exactly (JSON.stringify may have changed it: 1e999 is null).
        return JSON.parse(text) as unknown;
      };
    }
    const parts = splitString(value);
    pieces.push('"');
    for (const p of parts) pieces.push('text' in p ? JSON.stringify(p.text).slice(1, -1) : { json: false });
    pieces.push('"');
    return (r, filled) => {
      let text = '';
      for (const p of parts) {
        if ('text' in p) {
          text += p.text;
        } else {
          const hole = fieldText(field(r, p.field));
          filled.holes.push(hole);
          filled.holeChars += hole.length;
          text += hole;
        }
      }
      return text;
    };
  }
  if (Array.isArray(value)) {
    pieces.push('[');
    const items = value.map((v, i) => {
      if (i > 0) pieces.push(',');
      return compile(v, pieces);
    });
    pieces.push(']');
    return (r, filled) => items.map((item) => item(r, filled));
  }
  const entries = Object.entries(value as Record<string, unknown>);
  pieces.push('{');
  const fills = entries.map(([key, v], i) => {
    pieces.push(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
    return compile(v, pieces);
  });
  pieces.push('}');
  return (r, filled) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < entries.length; i++) setKey(out, entries[i][0], fills[i](r, filled));
    return out;
  };
}

/** Adjacent literal pieces joined and encoded once, so writing is one copy per literal run. */
function merged(pieces: (string | { json: boolean })[]): Piece[] {
  const out: Piece[] = [];
  let text = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      text += piece;
    } else {
      if (text) out.push(Buffer.from(text, 'utf8'));
      text = '';
      out.push(piece);
    }
  }
  if (text) out.push(Buffer.from(text, 'utf8'));
  return out;
}

const LINE_START = Buffer.from('{"custom_id":"', 'utf8');
const PARAMS_KEY = Buffer.from('","params":', 'utf8');
const LINE_END = 0x7d; // }

/** A compiled template: a record's params and raw custom_id, and its request line written as bytes. */
export interface Renderer {
  /** The params object's JSON text; throws RenderError. */
  params(record: DataRecord): string;
  /** The custom_id before it is made valid and unique; throws RenderError. */
  rawCustomId(record: DataRecord): string;
  /** The record's params as a value, and its holes' texts; throws RenderError. */
  fill(record: DataRecord): Filled;
  /** The most bytes `writeRequest` can write for `filled` and `customId`. */
  maxRequestBytes(filled: Filled, customId: string): number;
  /**
   * Writes `requestLine(customId, params)` as UTF-8 at `at` (without a line end) and returns where
   * it ends; the buffer must have `maxRequestBytes` bytes free from `at`.
   */
  writeRequest(filled: Filled, customId: string, buffer: Buffer, at: number): number;
}

export function compileTemplate(template: Template): Renderer {
  const pieces: (string | { json: boolean })[] = [];
  const fillParams = compile(template.params, pieces);
  const written = merged(pieces);
  const literalBytes = written.reduce((n, p) => n + (Buffer.isBuffer(p) ? p.length : 0), LINE_START.length + PARAMS_KEY.length + 1);
  const fill = (record: DataRecord): Filled => {
    const filled: Filled = { params: undefined, holes: [], holeChars: 0 };
    filled.params = fillParams(record, filled);
    return filled;
  };
  const maxRequestBytes = (filled: Filled, customId: string) => literalBytes + maxJsonStringBytes(customId) + 6 * filled.holeChars;
  const writeParams = (filled: Filled, buffer: Buffer, start: number): number => {
    let at = start;
    let hole = 0;
    for (const piece of written) {
      if (Buffer.isBuffer(piece)) {
        // TypedArray#set: Buffer#copy would make a view of the piece on every call.
        buffer.set(piece, at);
        at += piece.length;
      } else if (piece.json) {
        at += buffer.write(filled.holes[hole++], at, 'utf8');
      } else {
        at = writeJsonString(filled.holes[hole++], buffer, at);
      }
    }
    return at;
  };
  const writeRequest = (filled: Filled, customId: string, buffer: Buffer, start: number): number => {
    buffer.set(LINE_START, start);
    let at = writeJsonString(customId, buffer, start + LINE_START.length);
    buffer.set(PARAMS_KEY, at);
    at += PARAMS_KEY.length;
    at = writeParams(filled, buffer, at);
    buffer[at++] = LINE_END;
    return at;
  };
  const params = (record: DataRecord): string => {
    const filled = fill(record);
    const buffer = Buffer.allocUnsafe(maxRequestBytes(filled, ''));
    return buffer.toString('utf8', 0, writeParams(filled, buffer, 0));
  };
  const { customIdColumn } = template.options;
  let rawCustomId: (record: DataRecord) => string;
  if (customIdColumn) {
    rawCustomId = (r) => {
      const text = fieldText(field(r, customIdColumn));
      if (text.trim() === '') throw new RenderError(customIdColumn, l10n.t('the custom_id column "{0}" is empty', customIdColumn));
      return text;
    };
  } else if (template.customId !== undefined) {
    const parts = splitString(template.customId);
    rawCustomId = (r) => parts.map((p) => ('text' in p ? p.text : fieldText(field(r, p.field)))).join('');
  } else {
    rawCustomId = (r) => `row-${r.number}`;
  }
  return { params, rawCustomId, fill, maxRequestBytes, writeRequest };
}

/** One request line of a batch file: `{"custom_id":…,"params":…}`. */
export function requestLine(customId: string, paramsJson: string): string {
  return `{"custom_id":${JSON.stringify(customId)},"params":${paramsJson}}`;
}

