import * as l10n from '@vscode/l10n';
// Text from results is hostile: a reply, an error message, a web page a tool fetched, a title or a
// custom_id in an edited local copy can hold any character. The results document's structure is
// read from where lines start (headings and entries at column 0, the grammar, the folding and
// link ranges counted by line), so every untrusted string goes through here on its way in:
// - line terminators become the document's own line breaks, so that the renderer counts the
//   lines VS Code shows: VS Code breaks at \r\n, \r and \n, and treats U+0085, U+2028 and U+2029
//   as unusual line terminators (shown oddly, offered for removal); all of them end a line here;
// - every other control character (C0 but tab, DEL, C1) and the bidirectional embedding,
//   override and isolate controls, which can make a line read unlike what it holds, are shown
//   as what they are (␇, <U+202E>) instead of acting;
// - JSON is walked only so deep, and values are turned into text without recursion, so a result
//   nested a million levels deep (JSON.parse builds it without complaint) renders instead of
//   overflowing the stack.
// The caller indents every line it gets from here: an untrusted line never starts at column 0.

/** A line terminator, as VS Code's text model or its unusual-terminator check sees one. */
const LINE_BREAK = /\r\n?|[\n\u0085\u2028\u2029]/g;
/**
 * What is escaped inside a line: C0 but tab, DEL, C1, the Unicode line and paragraph separators,
 * the bidi controls. Line terminators are in it too: in one-line text they are shown.
 */
export const ESCAPED_CLASS = '[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]';
const ESCAPED = new RegExp(ESCAPED_CLASS, 'g');
const HAS_ESCAPED = new RegExp(ESCAPED_CLASS);
/** What JSON.stringify leaves as it is but this module would escape or break at: written as \uXXXX, which JSON reads back the same. */
const JSON_ESCAPED = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Subtrees deeper than this are shown as a placeholder. */
export const MAX_JSON_DEPTH = 64;

const hex = (c: number): string => c.toString(16).toUpperCase().padStart(4, '0');

function escapeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  // C0 controls have pictures of themselves (U+2400 + code): ␀ ␇ ␊ ␍ ␛; DEL has ␡.
  if (c < 0x20) return String.fromCharCode(0x2400 + c);
  if (c === 0x7f) return '\u2421';
  return `<U+${hex(c)}>`;
}

/** One line of untrusted text: controls, bidi controls and line terminators shown, not acted on. */
export function oneLine(text: string): string {
  return HAS_ESCAPED.test(text) ? text.replace(ESCAPED, escapeChar) : text;
}

/**
 * Where the line starting at `start` ends, and where the next one starts (-1: it is the last),
 * by every line terminator VS Code knows.
 */
export function lineEnd(text: string, start: number): { end: number; next: number } {
  LINE_BREAK.lastIndex = start;
  const match = LINE_BREAK.exec(text);
  if (!match) return { end: text.length, next: -1 };
  return { end: match.index, next: match.index + match[0].length };
}

/** The lines of untrusted text, split at every line terminator, each made safe with oneLine. */
export function textLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const { end, next } = lineEnd(text, start);
    lines.push(oneLine(text.slice(start, end)));
    if (next < 0) return lines;
    start = next;
  }
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * A copy of a JSON value cut at `maxDepth` levels: what is deeper is a string saying so. The
 * recursion is bounded by `maxDepth`; objects are made without a prototype, so a "__proto__"
 * key stays a key.
 */
function boundedJsonValue(value: unknown, maxDepth = MAX_JSON_DEPTH): unknown {
  const copy = (v: unknown, depth: number): unknown => {
    if (!isContainer(v)) return v;
    if (depth >= maxDepth) return Array.isArray(v) ? `[${l10n.t('… nested deeper than {0} levels', maxDepth)}]` : `{${l10n.t('… nested deeper than {0} levels', maxDepth)}}`;
    if (Array.isArray(v)) {
      const out: unknown[] = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) out[i] = copy(v[i], depth + 1);
      return out;
    }
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(v)) out[key] = copy((v as Record<string, unknown>)[key], depth + 1);
    return out;
  };
  return copy(value, 0);
}

/**
 * JSON text of an untrusted value (pretty with `indent`), cut at MAX_JSON_DEPTH; characters
 * that would be escaped or break a line elsewhere are written as JSON escapes instead, so the
 * text is still the same JSON.
 */
export function safeJson(value: unknown, indent?: number): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(boundedJsonValue(value), null, indent);
  } catch {
    // A value JSON cannot write (a BigInt from a caller, not from a parsed file).
    json = undefined;
  }
  return (json ?? (typeof value === 'undefined' ? 'undefined' : typeof value)).replace(JSON_ESCAPED, (ch) => `\\u${hex(ch.charCodeAt(0)).toLowerCase()}`);
}

/**
 * Untrusted text for display: a string as it is, a number or boolean as written, nothing for
 * null/undefined, anything else as its (bounded) JSON. Unlike String() or a template, never walks
 * a nested array recursively.
 */
export function displayText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  return safeJson(value);
}

/** A number from an untrusted value: a number, or a numeric string; NaN otherwise (never converts an object). */
export function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}
