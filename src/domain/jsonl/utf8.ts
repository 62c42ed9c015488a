// Finding invalid UTF-8 in a line's bytes. Decoding replaces an invalid sequence with U+FFFD
// silently; a batch file would then be sent with characters its author never wrote.

/**
 * Offset from `start` of the first byte of the first invalid UTF-8 sequence in [start, end), or -1
 * when there is none. The rules are the WHATWG decoder's (what `TextDecoder` with `fatal` applies):
 * no overlong forms, no surrogates, nothing over U+10FFFF, no sequence cut short.
 */
export function firstInvalidUtf8(buffer: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = buffer[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      else if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      else if (b === 0xf4) high = 0x8f;
    } else return i - start;
    if (i + need >= end) return i - start;
    const second = buffer[i + 1];
    if (second < low || second > high) return i - start;
    for (let k = 2; k <= need; k++) {
      const c = buffer[i + k];
      if (c < 0x80 || c > 0xbf) return i - start;
    }
    i += need + 1;
  }
  return -1;
}

/** The bytes of the invalid sequence at `at`, as "0xFF" or "0xE2 0x82", for messages. */
export function describeInvalidBytes(buffer: Buffer, at: number, end: number): string {
  const b = buffer[at];
  const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  const bytes: string[] = [];
  for (let i = at; i < Math.min(end, at + length); i++) {
    if (i > at && (buffer[i] < 0x80 || buffer[i] > 0xbf)) break;
    bytes.push(`0x${buffer[i].toString(16).toUpperCase().padStart(2, '0')}`);
  }
  return bytes.join(' ');
}
