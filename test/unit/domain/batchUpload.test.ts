import { strict as assert } from 'node:assert';
import { BatchesApi, createClient, describeError } from '../../../src/api';
import { validateBatchStream } from '../../../src/domain/jsonl';
import { isAmbiguous } from '../../../src/domain/submission';
import { partBody, scanBatchFile, SourceChangedError, type BatchSource } from '../../../src/domain/batchUpload';
import { startEmulator } from '../../emulator';

const line = (id: string, text = `question ${id}`) =>
  JSON.stringify({ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: text }] } });

/** A source over text, delivered in small chunks that cut lines (and characters) anywhere. */
function source(text: string, chunk = 7): BatchSource & { setText(t: string): void } {
  let current = Buffer.from(text);
  return {
    setText: (t) => (current = Buffer.from(t)),
    async *open() {
      for (let i = 0; i < current.length; i += chunk) yield current.subarray(i, i + chunk);
    },
  };
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const piece of body) parts.push(Buffer.from(piece));
  return Buffer.concat(parts).toString('utf8');
}

describe('streamed upload: scan and part bodies', () => {
  it('one part when it fits; the body is the lines exactly as written', async () => {
    // Unusual spacing and key order survive: nothing is parsed and serialised again.
    const lines = ['{"params": {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"é ✓"}]},   "custom_id":"a"}', line('b')];
    const src = source(`${lines.join('\r\n')}\r\n`);
    const scan = await scanBatchFile(src);
    assert.equal(scan.validation.errorCount, 0);
    assert.equal(scan.parts.length, 1);
    assert.match(scan.contentHash, /^[0-9a-f]{64}$/);
    const body = await collect(partBody(src, scan.parts[0]));
    assert.equal(body, `{"requests":[${lines[0]},${lines[1]}]}`);
    assert.equal(Buffer.byteLength(body), scan.parts[0].bodyBytes);
    assert.doesNotThrow(() => JSON.parse(body));
  });

  it('splits by request count and by body size, never cutting a request', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => line(`r${i}`));
    const src = source(lines.join('\n'));
    const byCount = await scanBatchFile(src, { maxRequests: 4, maxBodyBytes: 1e9 });
    assert.deepEqual(byCount.parts.map((p) => [p.firstLine, p.lastLine, p.requests]), [[1, 4, 4], [5, 8, 4], [9, 10, 2]]);
    const oneLine = Buffer.byteLength(lines[0]);
    const bySize = await scanBatchFile(src, { maxRequests: 1000, maxBodyBytes: 15 + 3 * oneLine + 2 });
    assert.ok(bySize.parts.every((p) => p.bodyBytes <= 15 + 3 * oneLine + 2));
    assert.equal(bySize.parts.reduce((n, p) => n + p.requests, 0), 10);
    const bodies = await Promise.all(byCount.parts.map((p) => collect(partBody(src, p))));
    const ids = bodies.flatMap((b) => (JSON.parse(b) as { requests: { custom_id: string }[] }).requests.map((r) => r.custom_id));
    assert.deepEqual(ids, lines.map((_, i) => `r${i}`));
  });

  it('does not count the limits as errors in the scan (they make parts)', async () => {
    const src = source(Array.from({ length: 5 }, (_, i) => line(`x${i}`)).join('\n'));
    const scan = await scanBatchFile(src, { maxRequests: 2, maxBodyBytes: 1e9 });
    assert.equal(scan.validation.errorCount, 0);
    assert.equal(scan.parts.length, 3);
  });

  it('stops before completing the body when the file changed after the check', async () => {
    const src = source([line('a'), line('b')].join('\n'));
    const scan = await scanBatchFile(src);
    src.setText([line('a'), line('b', 'something else')].join('\n'));
    await assert.rejects(collect(partBody(src, scan.parts[0])), SourceChangedError);
    src.setText([line('a'), '{"broken'].join('\n'));
    await assert.rejects(collect(partBody(src, scan.parts[0])), /shorter than when it was checked/);
    src.setText([line('a'), line('b').replace('question', 'Question')].join('\n'));
    await assert.rejects(collect(partBody(src, scan.parts[0])), /content is not what was checked/);
    src.setText([line('a'), ''].join('\n'));
    await assert.rejects(collect(partBody(src, scan.parts[0])), /expected 2 requests in lines 1–2, read 1/);
  });

  it('hashes the file once in the check: the last part is checked against the whole file, which must not have grown', async () => {
    const text = `${[line('a'), line('b'), line('c')].join('\n')}\n`;
    const src = source(text);
    const scan = await scanBatchFile(src, { maxRequests: 2, maxBodyBytes: 1e9 });
    assert.equal(scan.parts.length, 2);
    assert.equal(scan.parts[1].sha256, scan.contentHash);
    assert.equal(scan.parts[1].hashedBytes, Buffer.byteLength(text));
    assert.ok(scan.parts[0].hashedBytes >= Buffer.byteLength(`${line('a')}\n${line('b')}\n`));
    src.setText(`${text}${line('d')}\n`);
    await collect(partBody(src, scan.parts[0])); // its lines and what the check hashed with them are unchanged
    await assert.rejects(collect(partBody(src, scan.parts[1])), /longer than when it was checked/);
  });

  it('notices a changed byte even where the text reads the same (a replacement character turned into invalid UTF-8)', async () => {
    // At the check the line holds a real U+FFFD; then that character's bytes become one invalid
    // byte, which decodes to U+FFFD again, and two spaces the request text is trimmed of keep the
    // size: the text sent would read the same, but the file changed, and its upload must say so.
    const before = Buffer.from(`${line('a', 'x\uFFFDy')}\n`);
    const at = before.indexOf(Buffer.from('\uFFFD'));
    const after = Buffer.concat([before.subarray(0, at), Buffer.from([0xff]), before.subarray(at + 3, -1), Buffer.from('  \n')]);
    assert.equal(after.length, before.length);
    let bytes = before;
    const src: BatchSource = {
      async *open() {
        yield bytes;
      },
    };
    const scan = await scanBatchFile(src);
    assert.equal(scan.validation.errorCount, 0);
    bytes = after;
    await assert.rejects(collect(partBody(src, scan.parts[0])), /content is not what was checked/);
  });

  it('hands the body on in pieces of at most about a megabyte, whatever the size of the reads', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => line(`r${i}`, 'w'.repeat(1000)));
    for (const chunk of [100, 4 << 20]) {
      const src = source(`${lines.join('\n')}\n`, chunk);
      const scan = await scanBatchFile(src);
      const sizes: number[] = [];
      const pieces: Buffer[] = [];
      for await (const piece of partBody(src, scan.parts[0])) {
        sizes.push(piece.length);
        pieces.push(Buffer.from(piece));
      }
      assert.ok(Math.max(...sizes) <= 1024 * 1024, `pieces of ${Math.max(...sizes)} bytes`);
      assert.ok(sizes.length <= Math.ceil(scan.parts[0].bodyBytes / (1024 * 1024)) + 1, `${sizes.length} pieces`);
      assert.equal(Buffer.concat(pieces).toString(), `{"requests":[${lines.join(',')}]}`);
    }
  });

  it('sends each line as the validator accepted it (BOM, CRLF, surrounding spaces removed)', async () => {
    const text = `\uFEFF  ${line('a')}  \r\n\t${line('b')}\r\n\r\n${line('c')}`;
    const accepted: string[] = [];
    const src = source(text, 5);
    const scan = await scanBatchFile(src);
    await validateBatchStream(src.open(), { onRequestLine: (l) => accepted.push(l.json) });
    const body = JSON.parse(await collect(partBody(src, scan.parts[0]))) as { requests: unknown[] };
    assert.deepEqual(body.requests.map((r) => JSON.stringify(r)), accepted.map((j) => JSON.stringify(JSON.parse(j))));
    assert.equal(await collect(partBody(src, scan.parts[0])), `{"requests":[${accepted.join(',')}]}`);
  });

  it('an upload that stops midway creates no batch on the server', async () => {
    const emulator = await startEmulator({ timing: 'manual' });
    try {
      const api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }));
      const src = source([line('a'), line('b'), line('c')].join('\n'));
      const scan = await scanBatchFile(src);
      const good = await api.createFromStream(partBody(src, scan.parts[0]));
      assert.equal(good.request_counts.processing, 3);
      src.setText([line('a'), line('b'), line('changed')].join('\n'));
      const err = await api.createFromStream(partBody(src, scan.parts[0])).catch((e: unknown) => e);
      // Said as what it is (not "cannot reach the API"), and known not to have created anything.
      const described = describeError(err);
      assert.equal(described.kind, 'bodySource');
      assert.match(described.message, /The file changed while it was being submitted/);
      assert.equal(isAmbiguous(described), false);
      assert.deepEqual(emulator.batchIds(), [good.id]);
    } finally {
      await emulator.close();
    }
  });

  it('holds no request in memory: a 20,000-line scan keeps only the plan', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => line(`id-${i}`, 'x'.repeat(200)));
    const src = source(lines.join('\n'), 64 * 1024);
    const scan = await scanBatchFile(src, { maxRequests: 7_000, maxBodyBytes: 1e9 });
    assert.deepEqual(scan.parts.map((p) => p.requests), [7_000, 7_000, 6_000]);
    assert.ok(JSON.stringify(scan.parts).length < 2_000, 'the plan must stay small');
  });
});
