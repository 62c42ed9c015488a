// The two entry points: a document already in memory, and a stream of any size. Both feed lines
// to the same BatchValidator. The stream is split into lines on bytes ("\n" never occurs inside
// a multi-byte UTF-8 sequence), so chunk boundaries anywhere, even inside a character, are safe,
// and each line's byte size comes for free.

import { LineTooLongError } from '../lineLimit';
import { BatchValidator } from './batchValidator';
import { splitLines } from './lineSplitter';
import type { BatchValidation, StreamValidationOptions } from './types';


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

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Bytes from chunks that may be strings; a string chunk may end between the halves of a surrogate pair. */
async function* asBytes(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  let heldSurrogate = '';
  for await (const chunk of chunks) {
    if (typeof chunk !== 'string') {
      yield chunk;
      continue;
    }
    let text = heldSurrogate ? heldSurrogate + chunk : chunk;
    heldSurrogate = '';
    if (text.length > 0 && isHighSurrogate(text.charCodeAt(text.length - 1))) {
      heldSurrogate = text.slice(-1);
      text = text.slice(0, -1);
    }
    yield Buffer.from(text, 'utf8');
  }
  if (heldSurrogate) yield Buffer.from(heldSurrogate, 'utf8');
}

/**
 * Validates a batch file read as a stream of chunks (bytes or strings). Memory stays flat
 * whatever the size: only the current line (at most `maxLineBytes`), the custom_ids seen and the
 * kept diagnostics are held. A longer line is an error at its line, and reading stops there (the
 * stream is closed). Bytes that are not UTF-8 are an error at their line and column.
 * `onRequestLine` receives each line without errors as it goes.
 */
export async function validateBatchStream(
  chunks: AsyncIterable<Uint8Array | string>,
  options?: StreamValidationOptions,
): Promise<BatchValidation> {
  const validator = new BatchValidator(options);
  let byteSize = 0;
  try {
    for await (const line of splitLines(asBytes(chunks), (chunk) => (byteSize += chunk.length), { maxLineBytes: options?.maxLineBytes })) {
      validator.pushLine(line.text, line.byteLength, line.invalidUtf8);
    }
  } catch (err) {
    if (!(err instanceof LineTooLongError)) throw err;
    validator.lineTooLong(err);
  }
  return validator.finish(byteSize);
}
