// Rendering a template for one record. The template is compiled once into pieces of JSON text:
// literal text, already serialized, and holes. A hole inside a string is filled with the field's
// text escaped by JSON.stringify (quotes, backslashes, control characters, lone surrogates), so
// whatever the data holds stays inside that string: data can never add or close JSON structure.
// A `{{json:name}}` hole is filled with a JSON value that was parsed and serialized again, so it
// is exactly one value, never more.
import * as l10n from '@vscode/l10n';
import { fieldText, type DataRecord } from './dataRecord';
import { splitString, wholeJsonField } from './placeholders';
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

type Piece = string | ((record: DataRecord) => string);

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

function compile(value: unknown, pieces: Piece[]): void {
  if (typeof value === 'string') {
    const whole = wholeJsonField(value);
    if (whole !== undefined) {
      pieces.push((r) => jsonValue(r, whole));
      return;
    }
    const parts = splitString(value);
    if (parts.every((p) => 'text' in p)) {
      pieces.push(JSON.stringify(value));
      return;
    }
    // The string is put together first and serialized once: one JSON.stringify per string value,
    // whatever its number of placeholders.
    pieces.push((r) => {
      let text = '';
      for (const p of parts) text += 'text' in p ? p.text : fieldText(field(r, p.field));
      return JSON.stringify(text);
    });
  } else if (Array.isArray(value)) {
    pieces.push('[');
    value.forEach((v, i) => {
      if (i > 0) pieces.push(',');
      compile(v, pieces);
    });
    pieces.push(']');
  } else if (value !== null && typeof value === 'object') {
    pieces.push('{');
    Object.entries(value).forEach(([key, v], i) => {
      pieces.push(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
      compile(v, pieces);
    });
    pieces.push('}');
  } else {
    pieces.push(JSON.stringify(value));
  }
}

/** Adjacent literal pieces joined, so rendering is one concatenation per hole. */
function merged(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out[out.length - 1];
    if (typeof piece === 'string' && typeof last === 'string') out[out.length - 1] = last + piece;
    else out.push(piece);
  }
  return out;
}

function compileText(value: unknown): (record: DataRecord) => string {
  const pieces = merged((() => {
    const p: Piece[] = [];
    compile(value, p);
    return p;
  })());
  return (record) => {
    let text = '';
    for (const piece of pieces) text += typeof piece === 'string' ? piece : piece(record);
    return text;
  };
}

/** A compiled template: the params JSON and the raw custom_id for a record. */
export interface Renderer {
  /** The params object's JSON text; throws RenderError. */
  params(record: DataRecord): string;
  /** The custom_id before it is made valid and unique; throws RenderError. */
  rawCustomId(record: DataRecord): string;
}

export function compileTemplate(template: Template): Renderer {
  const params = compileText(template.params);
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
  return { params, rawCustomId };
}

/** One request line of a batch file: `{"custom_id":…,"params":…}`. */
export function requestLine(customId: string, paramsJson: string): string {
  return `{"custom_id":${JSON.stringify(customId)},"params":${paramsJson}}`;
}

