// A string's JSON text (without its quotes), written as UTF-8 straight into a buffer: the bytes
// JSON.stringify(text).slice(1, -1) would encode to, without making that string. The text is
// encoded first, then escaped in place: the bytes that need an escape (quote, backslash, control
// characters) are ASCII, and no byte of a multi-byte UTF-8 character is ASCII, so escaping the
// bytes is escaping the characters. A lone surrogate is the one thing UTF-8 cannot carry (it is
// encoded as U+FFFD where JSON.stringify writes "\udxxx"): such a rare text takes JSON.stringify.

/** Per byte: how many bytes its escape adds (1: `\n`, 5: `\u001f`), and 8 on the lead byte of U+FFFD. */
const ESCAPE = new Uint8Array(256);
/** The letter after the backslash of a two-character escape. */
const SHORT = new Uint8Array(256);
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const BACKSLASH = 0x5c;
const REPLACEMENT = Buffer.from('\ufffd', 'utf8');
const MAYBE_REPLACED = 8;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

for (let c = 0; c < 0x20; c++) ESCAPE[c] = 5;
for (const [c, letter] of [
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x22, '"'],
  [0x5c, '\\'],
] as const) {
  ESCAPE[c] = 1;
  SHORT[c] = letter.charCodeAt(0);
}
ESCAPE[REPLACEMENT[0]] = MAYBE_REPLACED;

/** Offsets kept for the next text; more (a cell of 8 M line breaks needs 32 MB) are let go after use. */
const MAX_KEPT_POSITIONS = 64 * 1024;
/** Offsets of the bytes to escape in the text being written (reused: one text at a time). */
let positions: Int32Array = new Int32Array(256);

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** The most bytes `writeJsonString` can write for `text` (six per UTF-16 unit: `\u001f`). */
export function maxJsonStringBytes(text: string): number {
  return text.length * 6;
}

/**
 * Writes `text` as JSON string content at `at` and returns where it ends. The buffer must have
 * `maxJsonStringBytes(text)` bytes free from `at`.
 */
export function writeJsonString(text: string, buffer: Buffer, at: number): number {
  if (text.length === 0) return at;
  const end = at + buffer.write(text, at, 'utf8');
  // Where the bytes to escape are (most texts have a few: quotes, line breaks), and how many
  // bytes their escapes add.
  let found = 0;
  let extra = 0;
  let maybeReplaced = false;
  for (let i = at; i < end; i++) {
    const e = ESCAPE[buffer[i]];
    if (e !== 0) {
      if (e === MAYBE_REPLACED) {
        maybeReplaced = true;
      } else {
        if (found === positions.length) positions = grown(positions);
        positions[found++] = i;
        extra += e;
      }
    }
  }
  // 0xEF starts every character from U+F000 (full-width punctuation too): look for U+FFFD only
  // in this text's bytes, never on through the rest of the (reused, large) buffer.
  if (maybeReplaced && buffer.subarray(at, end).indexOf(REPLACEMENT) !== -1 && LONE_SURROGATE.test(text)) {
    return at + buffer.write(JSON.stringify(text).slice(1, -1), at, 'utf8');
  }
  if (extra === 0) return end;
  const total = extra;
  // From the last escape back to the first: the run of bytes after each one moves right by the
  // escapes still to its left (one memmove), then the escape is written in front of it.
  let runEnd = end;
  for (let k = found - 1; k >= 0; k--) {
    const p = positions[k];
    const c = buffer[p];
    buffer.copyWithin(p + 1 + extra, p + 1, runEnd);
    const e = ESCAPE[c];
    extra -= e;
    let dst = p + extra;
    buffer[dst++] = BACKSLASH;
    if (e === 1) {
      buffer[dst] = SHORT[c];
    } else {
      buffer[dst++] = 0x75; // u
      buffer[dst++] = 0x30;
      buffer[dst++] = 0x30;
      buffer[dst++] = HEX[c >> 4];
      buffer[dst] = HEX[c & 15];
    }
    runEnd = p;
  }
  // A huge text with many escapes grew the offsets: let them go rather than hold them for good.
  if (positions.length > MAX_KEPT_POSITIONS) positions = new Int32Array(256);
  return end + total;
}
