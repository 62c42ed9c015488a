const LF = 10;

/** One line of a byte stream, without its "\n" (a "\r" before it is kept: the validator handles it). */
export interface RawLine {
  text: string;
  byteLength: number;
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Splits a byte stream into lines. "\n" never occurs inside a multi-byte UTF-8 sequence, so chunk
 * boundaries anywhere, even inside a character, are safe; only the current line is held.
 * `onChunk` sees every chunk as it arrives (for hashing the exact bytes).
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, onChunk?: (chunk: Buffer) => void): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of chunks) {
    const buffer = asBuffer(chunk);
    onChunk?.(buffer);
    let start = 0;
    let nl: number;
    while ((nl = buffer.indexOf(LF, start)) !== -1) {
      if (pending.length > 0) {
        pending.push(buffer.subarray(start, nl));
        const line = Buffer.concat(pending, pendingBytes + nl - start);
        pending = [];
        pendingBytes = 0;
        yield { text: line.toString('utf8'), byteLength: line.length };
      } else {
        yield { text: buffer.toString('utf8', start, nl), byteLength: nl - start };
      }
      start = nl + 1;
    }
    if (start < buffer.length) {
      // A copy: the producer may reuse its buffer for the next chunk.
      pending.push(Buffer.from(buffer.subarray(start)));
      pendingBytes += buffer.length - start;
    }
  }
  if (pendingBytes > 0) {
    const line = Buffer.concat(pending, pendingBytes);
    yield { text: line.toString('utf8'), byteLength: line.length };
  }
}
