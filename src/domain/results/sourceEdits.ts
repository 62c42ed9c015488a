// Whether a batch file still holds what was submitted from it: the submission registry keeps the
// sha256 of the exact bytes sent; an editor holds the text. A file saved with a UTF-8 byte-order
// mark was sent with it, and an editor shows its text without it, so both are compared.
import { createHash } from 'node:crypto';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** sha256 (hex) of the text's UTF-8 bytes, optionally after a byte-order mark. */
export function textSha256(text: string, withBom = false): string {
  const hash = createHash('sha256');
  if (withBom) hash.update(BOM);
  hash.update(text, 'utf8');
  return hash.digest('hex');
}

/**
 * Whether this text is what was submitted (its sha256 is `submittedSha256`, with or without a
 * byte-order mark). An empty or malformed hash matches nothing: without it, nothing can be told.
 */
export function isUnchangedSince(text: string, submittedSha256: string): boolean {
  const expected = submittedSha256.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(expected)) return false;
  return textSha256(text) === expected || textSha256(text, true) === expected;
}
