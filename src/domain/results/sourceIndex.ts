// The source JSONL a batch was submitted from, indexed in one streaming pass: custom_id → input
// position, line number and byte range, plus the sha256 of the file. Only ids and numbers are
// kept (about 100 bytes per request); a request's text is read again by byte range when needed,
// so results can follow the input order and show each prompt without holding the file.
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { batchLineAdvice } from '../jsonl/lineSplitter';
import { isBlank, readLines, readRanges, type LineRange } from './lineReader';

/** The source file named for a batch is not there (moved, renamed, deleted, or on another machine). */
export class SourceFileMissingError extends Error {
  readonly code = 'ENOENT';
  constructor(readonly path: string) {
    super(l10n.t('The source file {0} no longer exists: it was moved, renamed or deleted since the batch was submitted.', path));
    this.name = 'SourceFileMissingError';
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
/** `{"custom_id":"` */
const FAST_PREFIX = Buffer.from('{"custom_id":"');
const BOM = [0xef, 0xbb, 0xbf];
/** Longer ids than this (the API allows 64) are left to JSON.parse. */
const MAX_FAST_ID = 256;

export interface SourceLine extends LineRange {
  /** Position among the requests (0-based). */
  index: number;
  /** 1-based line number in the file. */
  line: number;
  customId: string;
}

/** custom_id → where its request is in the source file. */
export class SourceIndex {
  private readonly byId = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private readonly lineNumbers: number[] = [];
  /** Non-blank lines without a readable custom_id (invalid JSON, missing id). */
  unreadableLines = 0;
  /** Lines whose custom_id an earlier line already had (the first one counts). */
  duplicateLines = 0;
  /** sha256 (hex) of the file's bytes. */
  sha256 = '';
  /** sha256 of the bytes after a UTF-8 byte-order mark, when the file starts with one (an editor's text has none). */
  sha256WithoutBom?: string;
  bytes = 0;

  constructor(readonly path: string) {}

  get size(): number {
    return this.ids.length;
  }

  /** @internal Used while indexing. */
  add(customId: string, range: LineRange, line: number): void {
    if (this.byId.has(customId)) {
      this.duplicateLines++;
      return;
    }
    this.byId.set(customId, this.ids.length);
    this.ids.push(customId);
    this.offsets.push(range.offset);
    this.lengths.push(range.length);
    this.lineNumbers.push(line);
  }

  indexOf(customId: string): number | undefined {
    return this.byId.get(customId);
  }

  has(customId: string): boolean {
    return this.byId.has(customId);
  }

  at(index: number): SourceLine {
    return { index, customId: this.ids[index], offset: this.offsets[index], length: this.lengths[index], line: this.lineNumbers[index] };
  }

  /** Whether the file is byte for byte what had this sha256 (with or without a leading BOM). */
  matches(sha256: string): boolean {
    const expected = sha256.trim().toLowerCase();
    return expected === this.sha256 || expected === this.sha256WithoutBom;
  }

  /** Reads the lines of these requests (input positions), calling back in the order given. */
  async readLines(indices: readonly number[], onLine: (bytes: Buffer, line: SourceLine) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
    const lines = indices.map((i) => this.at(i));
    await readRanges(this.path, lines, (bytes, k) => onLine(bytes, lines[k]), signal);
  }
}

/** The custom_id at the very start of a line (`{"custom_id":"…"`), the way most files are written. */
function fastCustomId(buffer: Buffer, start: number, end: number): string | undefined {
  const prefix = FAST_PREFIX.length;
  if (end - start <= prefix || buffer.compare(FAST_PREFIX, 0, prefix, start, start + prefix) !== 0) return undefined;
  // Scan only the id itself (a search for the closing quote could run to the end of the chunk).
  const from = start + prefix;
  const limit = Math.min(end, from + MAX_FAST_ID);
  for (let i = from; i < limit; i++) {
    const c = buffer[i];
    if (c === QUOTE) return i > from ? buffer.toString('latin1', from, i) : undefined;
    // An escape or a non-ASCII byte: let JSON.parse read it properly.
    if (c === BACKSLASH || c >= 0x80) return undefined;
  }
  return undefined;
}

function parsedCustomId(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as { custom_id?: unknown } | null;
    return typeof value === 'object' && value !== null && typeof value.custom_id === 'string' ? value.custom_id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Indexes a source JSONL file in one streaming pass and hashes it on the way. The custom_id of a
 * line that starts `{"custom_id":"…"` is read without parsing the line (it is the first key, so
 * it is the request's own); other lines are parsed. Throws SourceFileMissingError when the file
 * is not there.
 */
export async function indexSource(file: string, options: { signal?: AbortSignal } = {}): Promise<SourceIndex> {
  const stat = await fs.promises.stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new SourceFileMissingError(file);
    throw err;
  });
  if (!stat.isFile()) throw new SourceFileMissingError(file);
  const index = new SourceIndex(file);
  const hash = createHash('sha256');
  let noBom: ReturnType<typeof createHash> | undefined;
  let first = true;
  await readLines(
    file,
    (buffer, start, end, offset, line) => {
      if (line === 1 && end - start >= 3 && buffer[start] === BOM[0] && buffer[start + 1] === BOM[1] && buffer[start + 2] === BOM[2]) {
        // The mark is not part of the first request's text.
        start += 3;
        offset += 3;
      }
      if (isBlank(buffer, start, end)) return;
      const id = fastCustomId(buffer, start, end) ?? parsedCustomId(buffer.toString('utf8', start, end));
      if (id === undefined) {
        index.unreadableLines++;
        return;
      }
      index.add(id, { offset, length: end - start }, line);
    },
    {
      signal: options.signal,
      advice: batchLineAdvice(),
      onChunk: (chunk) => {
        hash.update(chunk);
        index.bytes += chunk.length;
        if (first) {
          first = false;
          if (chunk.length >= 3 && chunk[0] === BOM[0] && chunk[1] === BOM[1] && chunk[2] === BOM[2]) {
            noBom = createHash('sha256');
            noBom.update(chunk.subarray(3));
          }
          return;
        }
        noBom?.update(chunk);
      },
    },
  );
  index.sha256 = hash.digest('hex');
  index.sha256WithoutBom = noBom?.digest('hex');
  return index;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The readable text of a message's content: its text blocks, placeholders for images and
 * documents, and the text of tool results, which can nest. Walked with a stack, not recursion:
 * a source line nested a million deep (JSON.parse reads it) must not overflow the call stack.
 */
function textOf(content: unknown): string {
  const parts: string[] = [];
  // Popped in document order: items are pushed last first.
  const stack: unknown[] = [content];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    if (!Array.isArray(item)) continue;
    for (let i = item.length - 1; i >= 0; i--) {
      const block: unknown = item[i];
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') stack.push(block.text);
      // The words stand for what is not text; the brackets stay, so they never read as the prompt's own.
      else if (block.type === 'image') stack.push(`[${l10n.t('image')}]`);
      else if (block.type === 'document') stack.push(typeof block.title === 'string' ? `[${l10n.t('document: {0}', block.title)}]` : `[${l10n.t('document')}]`);
      else if (block.type === 'tool_result') stack.push(block.content, `[${l10n.t('tool result')}]`);
    }
  }
  return parts.join(' ');
}

/** The start of a request's prompt: its first user message (or the system prompt), on one line. */
export function promptStart(requestLine: string, maxChars = 160): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(requestLine);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isObject(parsed.params)) return undefined;
  const params = parsed.params;
  const messages = Array.isArray(params.messages) ? params.messages : [];
  const firstUser = messages.find((m) => isObject(m) && m.role === 'user') as Json | undefined;
  // On one line: U+0085 ends a line too, and \s does not match it.
  let text = textOf(firstUser?.content).replace(/[\s\u0085]+/g, ' ').trim();
  if (!text) text = textOf(params.system).replace(/[\s\u0085]+/g, ' ').trim();
  if (!text) return undefined;
  return clip(text, maxChars);
}

/** At most `maxChars` characters, ending with "…" when cut, never between the halves of a surrogate pair. */
export function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = Math.max(0, maxChars - 1);
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
