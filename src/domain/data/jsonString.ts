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
  let extra = 0;
  let flags = 0;
  for (let i = at; i < end; i++) {
    const e = ESCAPE[buffer[i]];
    extra += e & 7;
    flags |= e;
  }
  if (flags & MAYBE_REPLACED) {
    const replaced = buffer.indexOf(REPLACEMENT, at);
    if (replaced !== -1 && replaced < end && LONE_SURROGATE.test(text)) return at + buffer.write(JSON.stringify(text).slice(1, -1), at, 'utf8');
  }
  if (extra === 0) return end;
  // From the end backwards, each byte moved right by the escapes still to its left.
  let src = end - 1;
  let dst = src + extra;
  while (src < dst) {
    const c = buffer[src--];
    const e = ESCAPE[c] & 7;
    if (e === 0) {
      buffer[dst--] = c;
    } else if (e === 1) {
      buffer[dst--] = SHORT[c];
      buffer[dst--] = BACKSLASH;
    } else {
      buffer[dst--] = HEX[c & 15];
      buffer[dst--] = HEX[c >> 4];
      buffer[dst--] = 0x30;
      buffer[dst--] = 0x30;
      buffer[dst--] = 0x75;
      buffer[dst--] = BACKSLASH;
    }
  }
  return end + extra;
}
