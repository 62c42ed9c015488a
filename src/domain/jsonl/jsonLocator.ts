import * as l10n from '@vscode/l10n';
// Position-aware scanning of one JSON line. The validator parses every line with JSON.parse (fast,
// native) and comes here only for lines that have a problem: to find the column where parsing
// failed (V8's messages do not always carry a position) and the span of the key or value a
// diagnostic is about. Both scanners are iterative where nesting can be deep, and linear.

export type JsonPath = readonly (string | number)[];

/** Offsets into the line text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

export interface SyntaxProblem {
  offset: number;
  message: string;
}

const enum Ch {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

function isWs(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Lf || c === Ch.Cr;
}

function skipWs(text: string, pos: number): number {
  while (pos < text.length && isWs(text.charCodeAt(pos))) pos++;
  return pos;
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function show(text: string, pos: number): string {
  const c = text.codePointAt(pos);
  if (c === undefined) return l10n.t('end of line');
  if (c < 32) return l10n.t('control character U+{0}', c.toString(16).toUpperCase().padStart(4, '0'));
  return `'${String.fromCodePoint(c)}'`;
}

class SyntaxFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Where and why `text` is not one JSON value, or undefined when it is valid JSON.
 * Messages are short phrases meant to follow "Invalid JSON at column N: ". `text` is a line of a
 * batch file unless `whole` says it is a file holding one JSON object (a batch template), which
 * may span lines: then the hints say so instead of asking for one request per line.
 */
export function findSyntaxError(text: string, whole: 'line' | 'file' = 'line'): SyntaxProblem | undefined {
  const before = wholeFile;
  wholeFile = whole === 'file';
  try {
    const end = scanValue(text, skipWs(text, 0));
    const after = skipWs(text, end);
    if (after < text.length) {
      const c = text.charCodeAt(after);
      const hint = wholeFile
        ? l10n.t('a file holds one JSON value: remove what follows it')
        : c === Ch.Comma
          ? l10n.t('remove the trailing comma: each line holds one request object, not a list')
          : c === Ch.OpenBrace
            ? l10n.t('a second object starts here: put each request on its own line')
            : l10n.t('only one JSON object is allowed per line');
      return { offset: after, message: l10n.t('unexpected {0} after the end of the JSON value ({1})', show(text, after), hint) };
    }
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxFailure) return { offset: err.offset, message: err.message };
    throw err;
  } finally {
    wholeFile = before;
  }
}

/** Whether the text being scanned is a whole file (see findSyntaxError); the scan is synchronous. */
let wholeFile = false;

function fail(offset: number, message: string): never {
  throw new SyntaxFailure(offset, message);
}

function endOfLine(text: string, what: string): never {
  if (wholeFile) fail(text.length, l10n.t('the file ends inside {0}: close it', what));
  fail(text.length, l10n.t('the line ends inside {0}: each request must be one complete JSON object on a single line', what));
}

/** Scans a string starting at the opening quote; returns the offset after the closing quote. */
function scanString(text: string, pos: number): number {
  let i = pos + 1;
  for (;;) {
    if (i >= text.length) fail(pos, l10n.t('unterminated string: add the closing \'"\' (a request must fit on one line)'));
    const c = text.charCodeAt(i);
    if (c === Ch.Quote) return i + 1;
    if (c === Ch.Backslash) {
      const e = text.charCodeAt(i + 1);
      if (e === 117 /* u */) {
        for (let k = 2; k < 6; k++) {
          const h = text.charCodeAt(i + k);
          const hex = (h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102);
          if (!hex) fail(i, l10n.t('invalid \\u escape: it needs four hexadecimal digits'));
        }
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        i += 2;
        continue;
      }
      if (Number.isNaN(e)) fail(pos, l10n.t('unterminated string: add the closing \'"\''));
      fail(i, l10n.t('invalid escape \'\\{0}\' in a string (write a backslash as \\\\)', String.fromCharCode(e)));
    }
    if (c < 32) fail(i, l10n.t('raw {0} inside a string: escape it (\\n, \\t, \\u00XX)', show(text, i)));
    i++;
  }
}

function scanNumber(text: string, pos: number): number {
  let i = pos;
  if (text.charCodeAt(i) === Ch.Minus) i++;
  const first = text.charCodeAt(i);
  if (first === Ch.Zero) {
    i++;
    if (isDigit(text.charCodeAt(i))) fail(i, l10n.t('numbers must not have leading zeros'));
  } else if (isDigit(first)) {
    while (isDigit(text.charCodeAt(i))) i++;
  } else {
    fail(i, l10n.t('expected a digit, found {0}', show(text, i)));
  }
  if (text.charCodeAt(i) === Ch.Dot) {
    i++;
    if (!isDigit(text.charCodeAt(i))) fail(i, l10n.t('expected a digit after \'.\', found {0}', show(text, i)));
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === Ch.LowerE || e === Ch.UpperE) {
    i++;
    const s = text.charCodeAt(i);
    if (s === Ch.Plus || s === Ch.Minus) i++;
    if (!isDigit(text.charCodeAt(i))) fail(i, l10n.t('expected a digit in the exponent, found {0}', show(text, i)));
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function scanLiteral(text: string, pos: number): number {
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, pos)) return pos + word.length;
  }
  const c = text.charCodeAt(pos);
  if (c === 39 /* ' */) fail(pos, l10n.t("strings must be in double quotes (\"), not single quotes"));
  if (c === Ch.Slash) fail(pos, l10n.t('comments are not allowed in JSON'));
  // not translated: JavaScript's own words, matched in the text and quoted as written
  const word = text.startsWith('NaN', pos) ? 'NaN' : text.startsWith('Infinity', pos) ? 'Infinity' : undefined;
  if (word) fail(pos, l10n.t('{0} is not a JSON number', word));
  if (c === Ch.CloseBrace || c === Ch.CloseBracket) fail(pos, l10n.t('unexpected {0}: a value is missing here', show(text, pos)));
  if (Number.isNaN(c)) endOfLine(text, l10n.t('a value'));
  fail(pos, l10n.t('unexpected {0}: expected a JSON value (an object, array, string, number, true, false or null)', show(text, pos)));
}

/** Scans one value (iteratively for objects and arrays); returns the offset after it. */
function scanValue(text: string, start: number): number {
  // Each open container on the stack: true for an object, false for an array.
  const stack: boolean[] = [];
  let pos = start;
  for (;;) {
    // Expecting a value at pos.
    pos = skipWs(text, pos);
    if (pos >= text.length && stack.length > 0) endOfLine(text, stack[stack.length - 1] ? l10n.t('an object') : l10n.t('an array'));
    const c = text.charCodeAt(pos);
    let end: number;
    if (c === Ch.OpenBrace || c === Ch.OpenBracket) {
      const isObject = c === Ch.OpenBrace;
      pos = skipWs(text, pos + 1);
      const close = isObject ? Ch.CloseBrace : Ch.CloseBracket;
      if (text.charCodeAt(pos) === close) {
        end = pos + 1;
      } else {
        stack.push(isObject);
        if (isObject) pos = scanMemberKey(text, pos);
        continue;
      }
    } else if (c === Ch.Quote) {
      end = scanString(text, pos);
    } else if (c === Ch.Minus || isDigit(c)) {
      end = scanNumber(text, pos);
    } else {
      end = scanLiteral(text, pos);
    }
    // After a complete value: close containers or move to the next element.
    pos = end;
    for (;;) {
      if (stack.length === 0) return pos;
      const isObject = stack[stack.length - 1];
      pos = skipWs(text, pos);
      const d = text.charCodeAt(pos);
      if (d === Ch.Comma) {
        const next = skipWs(text, pos + 1);
        const n = text.charCodeAt(next);
        if (n === Ch.CloseBrace || n === Ch.CloseBracket) fail(pos, l10n.t('trailing comma before {0}: remove it', show(text, next)));
        pos = isObject ? scanMemberKey(text, next) : next;
        break;
      }
      if (d === (isObject ? Ch.CloseBrace : Ch.CloseBracket)) {
        stack.pop();
        pos++;
        continue;
      }
      if (Number.isNaN(d)) endOfLine(text, isObject ? l10n.t('an object') : l10n.t('an array'));
      if (d === Ch.Quote && isObject) fail(pos, l10n.t("missing ',' between properties"));
      fail(pos, l10n.t('expected \',\' or \'{0}\' after {1}, found {2}', isObject ? '}' : ']', isObject ? l10n.t('a property value') : l10n.t('an array element'), show(text, pos)));
    }
  }
}

/** Scans `"key" :` at pos; returns the offset of the value that follows. */
function scanMemberKey(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c !== Ch.Quote) {
    if (Number.isNaN(c)) endOfLine(text, l10n.t('an object'));
    if (c === 39) fail(pos, l10n.t('property names must be in double quotes ("), not single quotes'));
    fail(pos, l10n.t('expected a property name in double quotes, found {0}', show(text, pos)));
  }
  const afterKey = skipWs(text, scanString(text, pos));
  if (text.charCodeAt(afterKey) !== Ch.Colon) {
    if (afterKey >= text.length) endOfLine(text, l10n.t('an object'));
    fail(afterKey, l10n.t('expected \':\' after the property name, found {0}', show(text, afterKey)));
  }
  return afterKey + 1;
}

// ---------------------------------------------------------------------------------------------
// Locating a path in a line already known to be valid JSON.

/** Skips one value of valid JSON; returns the offset after it. */
function skipValue(text: string, pos: number): number {
  const c = text.charCodeAt(pos);
  if (c === Ch.Quote) return skipString(text, pos);
  if (c === Ch.OpenBrace || c === Ch.OpenBracket) {
    let depth = 0;
    let i = pos;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d === Ch.Quote) {
        i = skipString(text, i);
        continue;
      }
      if (d === Ch.OpenBrace || d === Ch.OpenBracket) depth++;
      else if (d === Ch.CloseBrace || d === Ch.CloseBracket) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return text.length;
  }
  let i = pos;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === Ch.Comma || d === Ch.CloseBrace || d === Ch.CloseBracket || isWs(d)) break;
    i++;
  }
  return i;
}

function skipString(text: string, pos: number): number {
  let i = pos + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length;
    // The quote is escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    while (text.charCodeAt(q - 1 - backslashes) === Ch.Backslash) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}

function keyMatches(text: string, start: number, end: number, key: string): boolean {
  const raw = text.slice(start + 1, end - 1);
  if (raw.indexOf('\\') < 0) return raw === key;
  try {
    return JSON.parse(text.slice(start, end)) === key;
  } catch {
    return false;
  }
}

/**
 * The span of the key (target 'key') or the value (target 'value') at `path` in `text`, which
 * must be valid JSON. With duplicate keys the last one wins, as in JSON.parse. When the path goes
 * further than the text, the deepest span found is returned.
 */
export function locate(text: string, path: JsonPath, target: 'key' | 'value'): Span {
  let valueStart = skipWs(text, 0);
  let keySpan: Span | undefined;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth];
    const c = text.charCodeAt(valueStart);
    let found: { key?: Span; value: number } | undefined;
    if (c === Ch.OpenBrace && typeof segment === 'string') {
      let pos = skipWs(text, valueStart + 1);
      while (text.charCodeAt(pos) === Ch.Quote) {
        const keyEnd = skipString(text, pos);
        const colon = skipWs(text, keyEnd);
        const value = skipWs(text, colon + 1);
        if (keyMatches(text, pos, keyEnd, segment)) found = { key: { start: pos, end: keyEnd }, value };
        pos = skipWs(text, skipValue(text, value));
        if (text.charCodeAt(pos) !== Ch.Comma) break;
        pos = skipWs(text, pos + 1);
      }
    } else if (c === Ch.OpenBracket && typeof segment === 'number') {
      let pos = skipWs(text, valueStart + 1);
      for (let index = 0; pos < text.length && text.charCodeAt(pos) !== Ch.CloseBracket; index++) {
        if (index === segment) {
          found = { value: pos };
          break;
        }
        pos = skipWs(text, skipValue(text, pos));
        if (text.charCodeAt(pos) !== Ch.Comma) break;
        pos = skipWs(text, pos + 1);
      }
    }
    if (!found) {
      // The path ends early (e.g. a missing key): point at what holds it.
      if (target === 'key' && keySpan) return keySpan;
      return { start: valueStart, end: skipValue(text, valueStart) };
    }
    valueStart = found.value;
    keySpan = found.key ?? { start: found.value, end: skipValue(text, found.value) };
  }
  if (target === 'key' && keySpan) return keySpan;
  return { start: valueStart, end: Math.max(valueStart + 1, skipValue(text, valueStart)) };
}
