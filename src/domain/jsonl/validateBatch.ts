// The two entry points: a document already in memory, and a stream of any size. Both feed lines
// to the same BatchValidator. The stream is split into lines on bytes ("\n" never occurs inside
// a multi-byte UTF-8 sequence), so chunk boundaries anywhere, even inside a character, are safe,
// and each line's byte size comes for free.

import { BatchValidator } from './batchValidator';
import type { BatchValidation, StreamValidationOptions } from './types';

const LF = 10;

/** Validates a whole batch file held in memory (e.g. an editor document). */
export function validateBatchText(text: string, options?: StreamValidationOptions): BatchValidation {
  const validator = new BatchValidator(options);
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (nl >= 0 || end > start) {
      const line = text.slice(start, end);
      validator.pushLine(line, Buffer.byteLength(line, 'utf8'));
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return validator.finish(Buffer.byteLength(text, 'utf8'));
}

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/**
 * Validates a batch file read as a stream of chunks (bytes or strings). Memory stays flat
 * whatever the size: only the current line, the custom_ids seen and the kept diagnostics are
 * held. `onRequestLine` receives each line without errors as it goes.
 */
export async function validateBatchStream(
  chunks: AsyncIterable<Uint8Array | string>,
  options?: StreamValidationOptions,
): Promise<BatchValidation> {
  const validator = new BatchValidator(options);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let byteSize = 0;
  // A string chunk may end between the two halves of a surrogate pair: keep the first half.
  let heldSurrogate = '';
  for await (const chunk of chunks) {
    let buffer: Buffer;
    if (typeof chunk === 'string') {
      let text = heldSurrogate ? heldSurrogate + chunk : chunk;
      heldSurrogate = '';
      if (text.length > 0 && isHighSurrogate(text.charCodeAt(text.length - 1))) {
        heldSurrogate = text.slice(-1);
        text = text.slice(0, -1);
      }
      buffer = Buffer.from(text, 'utf8');
    } else {
      buffer = asBuffer(chunk);
    }
    byteSize += buffer.length;
    let start = 0;
    let nl: number;
    while ((nl = buffer.indexOf(LF, start)) !== -1) {
      if (pendingBytes > 0 || pending.length > 0) {
        pending.push(buffer.subarray(start, nl));
        const line = Buffer.concat(pending, pendingBytes + nl - start);
        pending = [];
        pendingBytes = 0;
        validator.pushLine(line.toString('utf8'), line.length);
      } else {
        validator.pushLine(buffer.toString('utf8', start, nl), nl - start);
      }
      start = nl + 1;
    }
    if (start < buffer.length) {
      // A copy: the producer may reuse its buffer for the next chunk.
      pending.push(Buffer.from(buffer.subarray(start)));
      pendingBytes += buffer.length - start;
    }
  }
  if (heldSurrogate) {
    const tail = Buffer.from(heldSurrogate, 'utf8');
    pending.push(tail);
    pendingBytes += tail.length;
    byteSize += tail.length;
  }
  if (pendingBytes > 0) {
    const line = Buffer.concat(pending, pendingBytes);
    validator.pushLine(line.toString('utf8'), line.length);
  }
  return validator.finish(byteSize);
}
