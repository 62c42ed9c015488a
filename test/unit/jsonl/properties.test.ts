// Property-based tests: the validator over arbitrary bytes, and the upload body over arbitrary
// valid files. Each run is reproducible from the seed fast-check prints when a property fails.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { partBody, scanBatchFile, type BatchSource } from '../../../src/domain/batchUpload';
import { validateBatchStream, validateBatchText, type BatchValidation } from '../../../src/domain/jsonl';
import { firstInvalidUtf8 } from '../../../src/domain/jsonl/utf8';
import { request } from './helpers';

function chunked(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function* iterate(chunks: Buffer[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

function assertPositionsWithin(result: BatchValidation): void {
  const last = Math.max(1, result.lines);
  for (const d of result.diagnostics) {
    assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= last, `line ${d.line} of ${last}: ${d.code}`);
    assert.ok(Number.isInteger(d.column) && d.column >= 1, `column ${d.column}: ${d.code}`);
    for (const r of d.related ?? []) assert.ok(r.line >= 1 && r.line <= last, `related line ${r.line} of ${last}`);
  }
}

/** Bytes that look a bit like batch files: fragments of requests, newlines, junk and invalid UTF-8. */
const fileBytes = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b)),
      fc.constantFrom('\n', '\r\n', '{', '}', '"', '\\', ' ', '\uFEFF', '😀', 'é', request('a'), request('b'), '{"custom_id":', '"params":{').map((s) => Buffer.from(s)),
      fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]).map((b) => Buffer.from(b)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.concat(parts));

describe('jsonl validator and upload body: properties', () => {
  it('the validator never throws on arbitrary bytes, and every position it reports is in the file', async () => {
    await fc.assert(
      fc.asyncProperty(fileBytes, fc.integer({ min: 1, max: 64 }), async (bytes, size) => {
        const result = await validateBatchStream(iterate(chunked(bytes, size)), { maxLineBytes: 64 });
        assertPositionsWithin(result);
        assert.ok(result.lines <= bytes.length);
        // Chunk boundaries change nothing (but how far the reading went before an overlong line).
        const whole = await validateBatchStream(iterate([bytes]), { maxLineBytes: 64 });
        const stopped = result.diagnostics.some((d) => d.code === 'line-too-long');
        assert.deepEqual(stopped ? { ...whole, byteSize: 0 } : whole, stopped ? { ...result, byteSize: 0 } : result);
      }),
      { numRuns: 300 },
    );
  });

  it('firstInvalidUtf8 agrees with a fatal TextDecoder: -1 exactly when the bytes decode, else where decoding first fails', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const decodes = (b: Uint8Array) => {
      try {
        fatal.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fileBytes, (bytes) => {
        const at = firstInvalidUtf8(bytes, 0, bytes.length);
        assert.equal(at === -1, decodes(bytes));
        if (at >= 0) {
          assert.ok(decodes(bytes.subarray(0, at)), 'the bytes before it are valid');
          assert.ok(!decodes(bytes.subarray(at)), 'the bytes from it are not');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('the validator reports invalid UTF-8 on exactly the lines whose bytes do not decode', async () => {
    const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    await fc.assert(
      fc.asyncProperty(fileBytes, fc.integer({ min: 1, max: 64 }), async (bytes, size) => {
        const expected: number[] = [];
        let start = 0;
        for (let n = 1; start < bytes.length; n++) {
          const nl = bytes.indexOf(10, start);
          const end = nl === -1 ? bytes.length : nl;
          try {
            fatal.decode(bytes.subarray(start, end));
          } catch {
            expected.push(n);
          }
          start = end + 1;
        }
        const result = await validateBatchStream(iterate(chunked(bytes, size)), { maxDiagnostics: 1e6 });
        assert.deepEqual(result.diagnostics.filter((d) => d.code === 'invalid-utf8').map((d) => d.line), expected);
      }),
      { numRuns: 300 },
    );
  });

  it('the validator never throws on arbitrary text, and every position it reports is in the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const result = validateBatchText(text);
        assertPositionsWithin(result);
      }),
      { numRuns: 300 },
    );
  });

  const validFile = fc
    .uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), { minLength: 1, maxLength: 12 })
    .chain((ids) =>
      fc.record({
        requests: fc.tuple(
          ...ids.map((id) =>
            fc.record({
              id: fc.constant(id),
              text: fc.string({ unit: 'binary', maxLength: 30 }),
              maxTokens: fc.integer({ min: 1, max: 100_000 }),
              idFirst: fc.boolean(),
              before: fc.constantFrom('', ' ', '\t', '  '),
              after: fc.constantFrom('', ' ', '\t '),
              ending: fc.constantFrom('\n', '\r\n', '\n\n', '\n \n'),
            }),
          ),
        ),
        bom: fc.boolean(),
        finalNewline: fc.boolean(),
        maxRequests: fc.integer({ min: 1, max: 5 }),
        chunk: fc.integer({ min: 1, max: 50 }),
      }),
    );

  it('the upload body of valid requests is JSON whose requests are the lines, in order, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(validFile, async (file) => {
        const lines = file.requests.map((r) => {
          const params = { model: 'claude-sonnet-4-5', max_tokens: r.maxTokens, messages: [{ role: 'user', content: `q${r.text}` }] };
          return JSON.stringify(r.idFirst ? { custom_id: r.id, params } : { params, custom_id: r.id });
        });
        let text = file.bom ? '\uFEFF' : '';
        file.requests.forEach((r, i) => {
          text += `${r.before}${lines[i]}${r.after}`;
          if (i < lines.length - 1 || file.finalNewline) text += r.ending;
        });
        const bytes = Buffer.from(text, 'utf8');
        const source: BatchSource = { open: () => iterate(chunked(bytes, file.chunk)) };
        const longest = Math.max(...lines.map((l) => Buffer.byteLength(l)));
        const scan = await scanBatchFile(source, { maxRequests: file.maxRequests, maxBodyBytes: 15 + 2 * longest + 1 });
        assert.equal(scan.validation.errorCount, 0, JSON.stringify(scan.validation.diagnostics));
        let next = 0;
        for (const part of scan.parts) {
          const pieces: Buffer[] = [];
          for await (const piece of partBody(source, part)) pieces.push(Buffer.from(piece));
          const body = Buffer.concat(pieces);
          const mine = lines.slice(next, next + part.requests);
          next += part.requests;
          assert.ok(body.equals(Buffer.from(`{"requests":[${mine.join(',')}]}`, 'utf8')), body.toString());
          assert.equal(body.length, part.bodyBytes);
          assert.deepEqual((JSON.parse(body.toString('utf8')) as { requests: unknown[] }).requests, mine.map((l) => JSON.parse(l)));
        }
        assert.equal(next, lines.length);
      }),
      { numRuns: 150 },
    );
  });
});
