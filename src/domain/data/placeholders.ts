// Placeholders: `{{name}}` inside a string value is replaced by the field's text, escaped as JSON
// string content; `"{{json:name}}"`, a whole string value and nothing else, is replaced by the
// field as a JSON value (asked for explicitly, since that lets data shape the request).

export interface Placeholder {
  name: string;
  /** `{{json:name}}`: the field goes in as a JSON value. */
  json: boolean;
  /** Offsets of `{{…}}` in the text scanned (end exclusive). */
  start: number;
  end: number;
  /** Offsets of the name inside it. */
  nameStart: number;
  nameEnd: number;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const JSON_PREFIX = 'json:';

/** The placeholders in `text`, in order (names trimmed; an empty name is kept, for a diagnostic). */
export function scanPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const inner = match[1];
    const start = match.index;
    let name = inner;
    let offset = 2;
    const json = inner.trimStart().startsWith(JSON_PREFIX);
    if (json) {
      offset += inner.indexOf(JSON_PREFIX) + JSON_PREFIX.length;
      name = inner.slice(inner.indexOf(JSON_PREFIX) + JSON_PREFIX.length);
    }
    const lead = name.length - name.trimStart().length;
    const trimmed = name.trim();
    found.push({ name: trimmed, json, start, end: start + match[0].length, nameStart: start + offset + lead, nameEnd: start + offset + lead + trimmed.length });
  }
  return found;
}

/** A string value split into literal text and placeholders. */
export type StringPart = { text: string } | { field: string };

export function splitString(value: string): StringPart[] {
  const parts: StringPart[] = [];
  let at = 0;
  for (const p of scanPlaceholders(value)) {
    if (p.start > at) parts.push({ text: value.slice(at, p.start) });
    parts.push({ field: p.name });
    at = p.end;
  }
  if (at < value.length) parts.push({ text: value.slice(at) });
  return parts;
}

/** The field of a string value that is exactly `{{json:name}}`, or undefined. */
export function wholeJsonField(value: string): string | undefined {
  const found = scanPlaceholders(value);
  return found.length === 1 && found[0].json && found[0].start === 0 && found[0].end === value.length ? found[0].name : undefined;
}
