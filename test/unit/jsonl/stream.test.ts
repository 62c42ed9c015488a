import { strict as assert } from 'node:assert';
import { Readable } from 'node:stream';
import { validateBatchStream, validateBatchText, type AcceptedLine, type BatchValidation } from '../../../src/domain/jsonl';
import { request } from './helpers';

/** A file with a BOM, CRLF, multi-byte characters (2, 3 and 4 bytes), blank lines, errors and duplicates. */
const TEXT = [
  `\uFEFF${request('first', { messages: [{ role: 'user', content: 'Résumé — 東京 😀 naïve' }] })}`,
  request('bad id é', { messages: [{ role: 'user', content: '😀😀' }] }),
  '',
  `{"custom_id":"x","params":{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"東京"}]},}`,
  request('first'),
  `   ${request('trimmed', { system: 'Ünïcödé 🎉', temperature: 1 })}  `,
  request('last', { messages: [{ role: 'user', content: 'end 𝄞' }] }),
].join('\r\n');

const BYTES = Buffer.from(TEXT, 'utf8');

async function* chunksOf(bytes: Uint8Array, sizes: (i: number) => number): AsyncIterable<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = Math.max(1, sizes(i));
    // Plain Uint8Array views (not Buffers), as a web stream would give.
    yield new Uint8Array(bytes.buffer, bytes.byteOffset + offset, Math.min(size, bytes.length - offset));
    offset += size;
  }
}

async function* stringChunks(text: string, size: number): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(chunks: AsyncIterable<Uint8Array | string>): Promise<{ result: BatchValidation; lines: AcceptedLine[] }> {
  const lines: AcceptedLine[] = [];
  const result = await validateBatchStream(chunks, { onRequestLine: (l) => lines.push(l) });
  return { result, lines };
}

describe('jsonl validator: streaming', () => {
  let expected: { result: BatchValidation; lines: AcceptedLine[] };
  before(() => {
    const lines: AcceptedLine[] = [];
    const result = validateBatchText(TEXT, { onRequestLine: (l) => lines.push(l) });
    expected = { result, lines };
  });

  it('the sample has what it should test', () => {
    const codes = new Set(expected.result.diagnostics.map((d) => d.code));
    for (const code of ['byte-order-mark', 'crlf-line-endings', 'blank-line', 'invalid-custom-id', 'invalid-json', 'duplicate-custom-id', 'unsupported-param']) {
      assert.ok(codes.has(code), code);
    }
    assert.deepEqual(
      expected.lines.map((l) => l.customId),
      ['first', 'last'],
    );
  });

  it('gives the same result as validateBatchText for every chunk size from 1 to 64 bytes', async () => {
    for (let size = 1; size <= 64; size++) {
      assert.deepEqual(await collect(chunksOf(BYTES, () => size)), expected, `chunk size ${size}`);
    }
  });

  it('gives the same result for a split at every byte offset (inside multi-byte characters too)', async () => {
    for (let cut = 1; cut < BYTES.length; cut++) {
      const chunks = [BYTES.subarray(0, cut), BYTES.subarray(cut)];
      assert.deepEqual(await collect(Readable.from(chunks)), expected, `split at ${cut}`);
    }
  });

  it('gives the same result for irregular chunks', async () => {
    const sizes = [3, 1, 7, 2, 64, 1, 1, 5, 128, 13];
    assert.deepEqual(await collect(chunksOf(BYTES, (i) => sizes[i % sizes.length])), expected);
  });

  it('accepts string chunks, even split between the halves of a surrogate pair', async () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      assert.deepEqual(await collect(stringChunks(TEXT, size)), expected, `string chunk size ${size}`);
    }
  });

  it('handles a file without a final newline and one with it alike, apart from the byte count', async () => {
    const withNewline = await collect(chunksOf(Buffer.from(`${TEXT}\r\n`), () => 10));
    assert.deepEqual(withNewline.lines, expected.lines);
    assert.equal(withNewline.result.lines, expected.result.lines);
    assert.equal(withNewline.result.byteSize, BYTES.length + 2);
  });

  it('does not rely on the producer keeping its chunk buffers intact', async () => {
    // A producer that reuses one buffer for every chunk.
    async function* reusing(): AsyncIterable<Uint8Array> {
      const shared = Buffer.alloc(16);
      for (let offset = 0; offset < BYTES.length; offset += 16) {
        const n = BYTES.copy(shared, 0, offset, offset + 16);
        yield shared.subarray(0, n);
        shared.fill(0x20);
      }
    }
    assert.deepEqual(await collect(reusing()), expected);
  });

  it('reports an empty stream as having no requests', async () => {
    const { result } = await collect(chunksOf(Buffer.alloc(0), () => 1));
    assert.deepEqual(
      result.diagnostics.map((d) => d.code),
      ['no-requests'],
    );
    assert.equal(result.lines, 0);
    assert.equal(result.byteSize, 0);
  });
});
