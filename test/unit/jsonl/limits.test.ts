import { strict as assert } from 'node:assert';
import { Readable } from 'node:stream';
import { MAX_LINE_BYTES, LineTooLongError } from '../../../src/domain/lineLimit';
import { firstInvalidUtf8 } from '../../../src/domain/jsonl/utf8';
import { splitLines, validateBatchStream, validateBatchText, type AcceptedLine } from '../../../src/domain/jsonl';
import { request } from './helpers';

const MiB = 1024 * 1024;

/** A stream of `total` bytes without a newline, made lazily; counts what was pulled and whether it was closed. */
function endlessLine(total: number, chunk = MiB): { stream: AsyncIterable<Uint8Array>; pulled: () => number; closed: () => boolean } {
  let pulled = 0;
  let closed = false;
  const block = Buffer.alloc(chunk, 0x61);
  return {
    stream: (async function* () {
      try {
        while (pulled < total) {
          pulled += block.length;
          yield block;
        }
      } finally {
        closed = true;
      }
    })(),
    pulled: () => pulled,
    closed: () => closed,
  };
}

async function* prefixed(first: string, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield Buffer.from(first);
  yield* rest;
}

describe('jsonl limits: line length and UTF-8', () => {
  it('the cap is 32 MiB, as documented', () => {
    assert.equal(MAX_LINE_BYTES, 32 * MiB);
  });

  it('a 100 MB line without a newline stops at the cap: bounded reading, stream closed, positioned error', async () => {
    const source = endlessLine(100 * MiB);
    let lines = 0;
    await assert.rejects(
      (async () => {
        for await (const _ of splitLines(prefixed(`${request('a')}\n${request('b')}\n`, source.stream))) lines++;
      })(),
      (err: unknown) => {
        assert.ok(err instanceof LineTooLongError, String(err));
        assert.equal(err.line, 3);
        assert.match(err.message, /line 3 is longer than 32 MB/);
        return true;
      },
    );
    assert.equal(lines, 2);
    // Nothing read past the cap plus one chunk: the buffer never held more.
    assert.ok(source.pulled() <= MAX_LINE_BYTES + MiB, `pulled ${source.pulled()}`);
    assert.ok(source.closed(), 'the source was closed');
  });

  it('the cap counts every byte of a line, whether it came in one chunk or many', async () => {
    for (const chunk of [1, 3, 10, 64]) {
      const text = `${'x'.repeat(20)}\n${'y'.repeat(21)}\n`;
      const bytes = Buffer.from(text);
      const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
      const seen: number[] = [];
      await assert.rejects(
        (async () => {
          for await (const l of splitLines(Readable.from(chunks), undefined, { maxLineBytes: 20 })) seen.push(l.byteLength);
        })(),
        (err: unknown) => err instanceof LineTooLongError && err.line === 2,
        `chunk ${chunk}`,
      );
      assert.deepEqual(seen, [20], `chunk ${chunk}`);
    }
  });

  it('the validator reports an overlong line as a positioned error, and stops reading', async () => {
    const source = endlessLine(100 * MiB);
    const accepted: AcceptedLine[] = [];
    const result = await validateBatchStream(prefixed(`${request('a')}\n`, source.stream), { onRequestLine: (l) => accepted.push(l) });
    assert.equal(result.errorCount, 1);
    const [d] = result.diagnostics.filter((x) => x.severity === 'error');
    assert.equal(d.code, 'line-too-long');
    assert.equal(d.line, 2);
    assert.match(d.message, /line 2 is longer than 32 MB/);
    assert.deepEqual(accepted.map((l) => l.customId), ['a']);
    assert.ok(source.closed());
    assert.ok(source.pulled() <= MAX_LINE_BYTES + MiB);
  });

  it('invalid UTF-8 is an error at its line and column, and the line is not accepted', async () => {
    const good = request('ok');
    const before = request('bad', { messages: [{ role: 'user', content: 'héllo 東京 ' }] });
    // The invalid byte goes just before the closing quote of the content.
    const cut = before.indexOf(' "}]') + 1;
    const bytes = Buffer.concat([Buffer.from(`${good}\n`), Buffer.from(before.slice(0, cut)), Buffer.from([0xff]), Buffer.from(`${before.slice(cut)}\n${request('after')}\n`)]);
    for (const chunk of [1, 2, 5, 4096]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
      const accepted: string[] = [];
      const result = await validateBatchStream(Readable.from(chunks), { onRequestLine: (l) => accepted.push(l.customId) });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length, 1, `chunk ${chunk}`);
      assert.equal(errors[0].code, 'invalid-utf8');
      assert.equal(errors[0].line, 2);
      // The column counts characters as an editor does (é and 東京 are one each).
      assert.equal(errors[0].column, cut + 1);
      const byteColumn = Buffer.byteLength(before.slice(0, cut)) + 1;
      assert.match(errors[0].message, new RegExp(`invalid UTF-8 at byte ${byteColumn} of the line \\(0xFF\\)`));
      assert.deepEqual(accepted, ['ok', 'after'], `chunk ${chunk}`);
    }
  });

  it('a BOM and valid multi-byte text are not invalid UTF-8; a truncated sequence at the end of a line is', async () => {
    const bom = await validateBatchStream(Readable.from([Buffer.from(`\uFEFF${request('a', { system: '😀 𝄞' })}\n`)]));
    assert.equal(bom.errorCount, 0);
    const truncated = Buffer.concat([Buffer.from(`${request('a')}\n{"custom_id":"b`), Buffer.from([0xe2, 0x82]), Buffer.from('\n')]);
    const result = await validateBatchStream(Readable.from([truncated]));
    const d = result.diagnostics.find((x) => x.code === 'invalid-utf8');
    assert.ok(d);
    assert.equal(d.line, 2);
    assert.equal(d.column, '{"custom_id":"b'.length + 1);
    assert.match(d.message, /0xE2 0x82/);
  });

  it('firstInvalidUtf8 finds overlongs, surrogates, out-of-range and stray continuation bytes', () => {
    const cases: [number[], number][] = [
      [[0x61, 0x62], -1],
      [[0xc3, 0xa9], -1],
      [[0xef, 0xbb, 0xbf, 0x7b], -1],
      [[0xf0, 0x9f, 0x98, 0x80], -1],
      [[0x61, 0xc0, 0x80], 1],
      [[0x61, 0x62, 0xed, 0xa0, 0x80], 2],
      [[0xf4, 0x90, 0x80, 0x80], 0],
      [[0xf5, 0x80, 0x80, 0x80], 0],
      [[0x61, 0x80], 1],
      [[0xe0, 0x80, 0x80], 0],
      [[0x61, 0xf0, 0x9f, 0x98], 1],
    ];
    for (const [bytes, expected] of cases) assert.equal(firstInvalidUtf8(Buffer.from(bytes), 0, bytes.length), expected, Buffer.from(bytes).toString('hex'));
  });

  it('the editor path is unchanged: validateBatchText sees no invalid UTF-8 (the text is already decoded)', () => {
    assert.equal(validateBatchText(`${request('a', { system: '\uFFFD' })}\n`).errorCount, 0);
  });
});
