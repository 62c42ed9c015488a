import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import fc from 'fast-check';
import { alignIds, compareIds, compareResults, notInBatch, renderAligned, type ComparedEntry } from '../../../src/domain/results';
import { ended, errored, succeeded, tempDir, writeJsonl } from './helpers';

const entry = (heading: string, body: string[]): ComparedEntry => ({ heading, body });

describe('compare results: alignment by custom_id', () => {
  it('lists the union of both sides once each, numbers in a custom_id by value', () => {
    assert.deepEqual(alignIds(['row-10', 'row-2', 'b'], ['row-2', 'a', 'row-1']), ['a', 'b', 'row-1', 'row-2', 'row-10']);
    assert.ok(compareIds('x9', 'x10') < 0 && compareIds('x10', 'x9') > 0 && compareIds('same', 'same') === 0);
  });

  it('a missing id reads "(not in this batch)", and each block takes as many lines on both sides', () => {
    const left = new Map([
      ['a', entry('succeeded · end_turn', ['    one', '    two', '    three'])],
      ['b', entry('succeeded · end_turn', ['    only left'])],
    ]);
    const right = new Map([
      ['a', entry('succeeded · max_tokens', ['    one'])],
      ['c', entry('errored: api_error', ['    error: boom'])],
    ]);
    const out = renderAligned(alignIds(left.keys(), right.keys()), left, right);
    assert.equal(out.left.length, out.right.length);
    assert.deepEqual(out.lines, [0, 5, 8]);
    assert.equal(out.right[5], `▸ b · ${notInBatch()}`);
    assert.equal(out.left[8], `▸ c · ${notInBatch()}`);
    assert.deepEqual(out.right.slice(0, 5), ['▸ a · succeeded · max_tokens', '    one', '', '', '']);
  });

  it('property: both sides have the same line count, every id of either side once, on the same line of both', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
    const side = fc.dictionary(id, fc.array(fc.string({ maxLength: 8 }).map((s) => `    ${s.replace(/[\r\n\u0085\u2028\u2029]/g, ' ')}`), { maxLength: 4 }));
    fc.assert(
      fc.property(side, side, (a, b) => {
        const left = new Map(Object.entries(a).map(([k, body]) => [k, entry('succeeded', body)]));
        const right = new Map(Object.entries(b).map(([k, body]) => [k, entry('errored', body)]));
        const ids = alignIds(left.keys(), right.keys());
        const out = renderAligned(ids, left, right);
        assert.equal(out.left.length, out.right.length, 'same line count');
        const union = new Set([...left.keys(), ...right.keys()]);
        assert.equal(ids.length, union.size, 'every id once');
        assert.deepEqual(new Set(ids), union);
        for (const [i, customId] of ids.entries()) {
          const line = out.lines[i];
          const next = i + 1 < ids.length ? out.lines[i + 1] : out.left.length;
          // Each side's block whole under its heading, padded with empty lines to the next id.
          for (const [lines, entries] of [
            [out.left, left],
            [out.right, right],
          ] as const) {
            const entry = entries.get(customId);
            const block = entry ? [`▸ ${customId} · ${entry.heading}`, ...entry.body] : [`▸ ${customId} · ${notInBatch()}`];
            assert.deepEqual(lines.slice(line, line + block.length), block, `${customId}'s block`);
            assert.ok(lines.slice(line + block.length, next).every((l) => l === ''), `${customId}'s block is padded with empty lines`);
          }
        }
        const headings = (lines: string[]) => lines.filter((l) => l.startsWith('▸ ')).length;
        assert.equal(headings(out.left), union.size);
        assert.equal(headings(out.right), union.size);
      }),
      { numRuns: 300 },
    );
  });
});

describe('compare results: two local copies', () => {
  const dir = tempDir('compare');
  const leftPath = writeJsonl(path.join(dir, 'left.jsonl'), [
    succeeded('q-1', 'Paris', { usage: { input_tokens: 100, output_tokens: 10 } }),
    succeeded('q-2', 'Two', { usage: { input_tokens: 50, output_tokens: 5 } }),
    errored('q-3', 'api_error'),
    ended('q-4', 'expired'),
  ]);
  const rightPath = writeJsonl(path.join(dir, 'right.jsonl'), [
    succeeded('q-2', 'Deux', { usage: { input_tokens: 50, output_tokens: 7 }, stop: 'max_tokens' }),
    succeeded('q-1', 'Paris', { usage: { input_tokens: 100, output_tokens: 10 } }),
    succeeded('q-3', 'Fine now', { usage: { input_tokens: 20, output_tokens: 2 } }),
    succeeded('q-5', 'New', { usage: { input_tokens: 1, output_tokens: 1 } }),
  ]);
  const left = { batchId: 'msgbatch_left', label: 'left.jsonl', resultsPath: leftPath };
  const right = { batchId: 'msgbatch_right', label: 'right.jsonl', resultsPath: rightPath };

  it('aligns both sides by custom_id, with totals and what changed', async () => {
    const c = await compareResults(left, right);
    const l = c.left.split('\n');
    const r = c.right.split('\n');
    assert.equal(l.length, r.length);
    assert.deepEqual(c.ids.map((i) => i.customId), ['q-1', 'q-2', 'q-3', 'q-4', 'q-5']);
    for (const { customId, line } of c.ids) assert.ok(l[line].startsWith(`▸ ${customId}`) && r[line].startsWith(`▸ ${customId}`));
    const at = (lines: string[], id: string) => lines[c.ids.find((i) => i.customId === id)!.line];
    assert.equal(at(r, 'q-4'), `▸ q-4 · ${notInBatch()}`);
    assert.equal(at(l, 'q-5'), `▸ q-5 · ${notInBatch()}`);
    assert.equal(at(l, 'q-3'), '▸ q-3 · errored: api_error');
    assert.equal(at(r, 'q-2'), '▸ q-2 · succeeded · max_tokens');
    assert.deepEqual(c.changes, { both: 3, onlyLeft: 1, onlyRight: 1, outcomeChanged: 1, answerChanged: 1 });
    assert.equal(c.totals.left.totals.inputTokens, 150);
    assert.equal(c.totals.right.totals.outputTokens, 20);
    assert.deepEqual({ ...c.totals.right.stopReasons }, { end_turn: 3, max_tokens: 1 });
    assert.match(c.left, /Results +4: 2 succeeded, 1 errored, 1 expired/);
    assert.match(c.left, /1 answers differ · 1 ended another way · 1 only in this batch · 1 only in the other · 3 in both/);
    assert.match(c.left, /Cost +<?\$.* at batch prices \(estimate/);
    assert.doesNotMatch(c.left, /100 in \//, 'answers only: no tokens per entry');
    const withUsage = await compareResults(left, right, { withUsage: true });
    assert.match(withUsage.left, /▸ q-1 · succeeded · end_turn · claude-sonnet-4-5 · 100 in \/ 10 out tokens/);
  });

  it('bounded: beyond maxIds only the first ids are shown, the counts still cover all', async () => {
    const c = await compareResults(left, right, { maxIds: 2 });
    assert.deepEqual(c.ids.map((i) => i.customId), ['q-1', 'q-2']);
    assert.equal(c.union, 5);
    assert.equal(c.left.split('\n').length, c.right.split('\n').length);
    assert.match(c.left, /the first 2 of 5 custom_ids/);
    assert.equal(c.totals.left.results, 4);
  });

  it('a long answer is cut to a bounded block', async () => {
    const long = writeJsonl(path.join(dir, 'long.jsonl'), [succeeded('q-1', Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n'))]);
    const c = await compareResults({ ...left, resultsPath: long }, right);
    const lines = c.left.split('\n');
    const start = c.ids[0].line;
    const next = c.ids[1].line;
    assert.ok(next - start <= 43, `${next - start} lines for one answer`);
    assert.ok(lines.slice(start, next).some((l) => l.includes('cut here')));
  });
});
