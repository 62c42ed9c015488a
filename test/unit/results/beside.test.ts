import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { customIdOfLine, isUnchangedSince, readAnswerBriefs, renderResultsDocument, summarizeResults } from '../../../src/domain/results';
import { ended, errored, request, succeeded, tempDir, writeJsonl } from './helpers';

const sha = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('answers beside their prompts: briefs of a local copy', () => {
  it('keeps per custom_id how it ended, its stop reason, tokens and the start of its answer, on one line', async () => {
    const dir = tempDir('briefs');
    const file = writeJsonl(path.join(dir, 'r.jsonl'), [
      succeeded('a', `First line\nsecond line ${'x'.repeat(300)}`, { usage: { input_tokens: 12, output_tokens: 34 }, stop: 'max_tokens' }),
      errored('b', 'invalid_request_error', 'prompt is too long'),
      ended('c', 'expired'),
      succeeded('a', 'a duplicate: the first wins'),
    ]);
    const briefs = await readAnswerBriefs(file);
    const a = briefs.byId.get('a')!;
    assert.equal(a.outcome, 'succeeded');
    assert.equal(a.stopReason, 'max_tokens');
    assert.deepEqual([a.inputTokens, a.outputTokens], [12, 34]);
    assert.ok(a.answer!.startsWith('First line second line x'), a.answer);
    assert.ok(a.answer!.length <= 120 && a.answer!.endsWith('…'));
    assert.deepEqual(briefs.byId.get('b'), { outcome: 'errored', errorType: 'invalid_request_error', errorMessage: 'prompt is too long' });
    assert.deepEqual(briefs.byId.get('c'), { outcome: 'expired' });
    assert.deepEqual(briefs.counts, { succeeded: 2, errored: 1, expired: 1, canceled: 0 });
  });

  it('is capped: over maxEntries custom_ids are counted, not kept', async () => {
    const dir = tempDir('briefs-cap');
    const file = writeJsonl(path.join(dir, 'r.jsonl'), Array.from({ length: 50 }, (_, i) => succeeded(`id-${i}`)));
    const briefs = await readAnswerBriefs(file, { maxEntries: 10 });
    assert.equal(briefs.byId.size, 10);
    assert.equal(briefs.notKept, 40);
    assert.equal(briefs.results, 50);
  });

  it("finds a line's custom_id without parsing the line, and after a long params by parsing it", () => {
    assert.equal(customIdOfLine(JSON.stringify(request('row-7', 'hi'))), 'row-7');
    assert.equal(customIdOfLine('{"custom_id" : "with \\"quote\\""}'), 'with "quote"');
    assert.equal(customIdOfLine(JSON.stringify({ params: { messages: [{ role: 'user', content: 'y'.repeat(10_000) }] }, custom_id: 'late' })), 'late');
    assert.equal(customIdOfLine('not json'), undefined);
    assert.equal(customIdOfLine('{"params": {"x": "a \\"custom_id\\": \\"fake\\" b"}}'), undefined);
  });
});

describe('answers beside their prompts: a batch file edited since it was submitted', () => {
  it('is told by the sha256 of what was submitted, with or without a byte-order mark', () => {
    const text = '{"custom_id":"a","params":{}}\n';
    assert.equal(isUnchangedSince(text, sha(text)), true);
    assert.equal(isUnchangedSince(text, sha(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])).toUpperCase()), true);
    assert.equal(isUnchangedSince(`${text} `, sha(text)), false);
    assert.equal(isUnchangedSince(text, ''), false, 'no hash: nothing can be told, so it is not called unchanged');
  });

  it('the results document links entries to the source only while it is unchanged, and says so when edited', async () => {
    const dir = tempDir('edited');
    const source = writeJsonl(path.join(dir, 'in.jsonl'), [request('a', 'one'), request('b', 'two')]);
    const results = writeJsonl(path.join(dir, 'r.jsonl'), [succeeded('b'), succeeded('a')]);
    const submitted = sha(fs.readFileSync(source));
    const same = renderResultsDocument(await summarizeResults(results, { source, expectedSha256: submitted }));
    assert.equal(same.linkedSource, source);
    assert.deepEqual(same.entries.map((e) => [e.customId, e.sourceLine]), [['a', 1], ['b', 2]]);
    fs.appendFileSync(source, `${JSON.stringify(request('c', 'three'))}\n`);
    const edited = renderResultsDocument(await summarizeResults(results, { source, expectedSha256: submitted }));
    assert.equal(edited.linkedSource, undefined);
    assert.match(edited.text, /edited since it was submitted/);
  });
});
