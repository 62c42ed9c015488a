// Line numbers for a parser that reports byte offsets: the bytes are scanned on their way into
// the parser, newline offsets queued, and records (which come out in file order) turn offsets
// into lines by popping the queue. Memory holds only the newlines between what was read and what
// was consumed. The same pass finds bytes that are not UTF-8 (decoding would silently put U+FFFD
// there), one per line at most, so a record can say it holds characters nobody wrote.
import { isUtf8 } from 'node:buffer';
import { firstInvalidUtf8 } from '../jsonl/utf8';

const LF = 10;
const COMPACT_AT = 65_536;

export class LineIndex {
  private newlines: number[] = [];
  private head = 0;
  /** Newlines before `newlines[head]`: the line of an offset is 1 + newlines before it. */
  private passed = 0;
  private invalid: number[] = [];
  private invalidHead = 0;
  private scanned = 0;
  /** The last bytes of the previous chunk when they are the start of a character cut in two. */
  private tail: Buffer = Buffer.alloc(0);

  /** Scans the next chunk of the file. */
  scan(chunk: Buffer): void {
    const base = this.scanned;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) this.newlines.push(base + i);
    this.scanned += chunk.length;
    const data = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const dataBase = base - this.tail.length;
    const cut = completeCharacters(data);
    if (!isUtf8(data.subarray(0, cut))) {
      let at = 0;
      while (at < cut) {
        const bad = firstInvalidUtf8(data, at, cut);
        if (bad === -1) break;
        this.invalid.push(dataBase + at + bad);
        // One per line is enough to refuse the line: go on after its end.
        const next = data.indexOf(LF, at + bad);
        if (next === -1 || next >= cut) break;
        at = next + 1;
      }
    }
    this.tail = Buffer.from(data.subarray(cut));
  }

  /** The end of the input: a character cut short at the very end is invalid too. */
  end(): void {
    if (this.tail.length) this.invalid.push(this.scanned - this.tail.length);
    this.tail = Buffer.alloc(0);
  }

  /** The 1-based line of a byte offset; offsets must not go backwards between calls. */
  lineAt(offset: number): number {
    while (this.head < this.newlines.length && this.newlines[this.head] < offset) {
      this.head++;
      this.passed++;
    }
    if (this.head >= COMPACT_AT) {
      this.newlines = this.newlines.slice(this.head);
      this.head = 0;
    }
    return this.passed + 1;
  }

  /** The line of a later offset, without moving on (for where a record ends). */
  peekLineAt(offset: number): number {
    let line = this.passed + 1;
    for (let i = this.head; i < this.newlines.length && this.newlines[i] < offset; i++) line++;
    return line;
  }

  /** The first offset of bytes that are not UTF-8 in [start, end), or -1; offsets must not go backwards. */
  invalidBetween(start: number, end: number): number {
    let found = -1;
    while (this.invalidHead < this.invalid.length && this.invalid[this.invalidHead] < end) {
      const at = this.invalid[this.invalidHead++];
      if (at >= start && found === -1) found = at;
    }
    return found;
  }
}

/** How many bytes of `data` end on a character boundary (the rest is a character the next chunk completes). */
function completeCharacters(data: Buffer): number {
  const n = data.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = data[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}
