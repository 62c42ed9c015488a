import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { fullResultLocation, parseFullResultLocation, parseResultsLocation, renderResultsDocument, resultsOutline, summarizeResults, type OutlineSymbol } from '../../../src/domain/results';
import { ended, errored, succeeded, tempDir, writeJsonl } from './helpers';

const shape = (symbols: OutlineSymbol[]): unknown[] => symbols.map((s) => (s.children.length ? { [s.name]: shape(s.children) } : s.name));

describe('results outline and full-view URIs', () => {
  it('outline: sections, error types inside Errored, entries by custom_id, on the lines the renderer wrote', async () => {
    const file = writeJsonl(path.join(tempDir('outline'), 'r.jsonl'), [
      succeeded('ok-1', 'one\ntwo\nthree'),
      errored('bad-1', 'invalid_request_error'),
      succeeded('ok-2', '▸ fake-entry · looks like one'),
      errored('busy-1', 'overloaded_error'),
      ended('late-1', 'expired'),
      succeeded('ok-3'),
    ]);
    const doc = renderResultsDocument(await summarizeResults(file, { maxEntries: 2 }), { now: 0 });
    const outline = resultsOutline(doc);
    assert.deepEqual(shape(outline), [
      { Succeeded: ['ok-1', 'ok-2'] },
      { Errored: [{ invalid_request_error: ['bad-1'] }, { overloaded_error: ['busy-1'] }] },
      { Expired: ['late-1'] },
      'Canceled',
    ]);
    assert.equal(outline[0].detail, '2 of 3 shown');
    const lines = doc.text.split('\n');
    const walk = (symbols: OutlineSymbol[], parent?: OutlineSymbol): void => {
      for (const s of symbols) {
        assert.ok(s.line <= s.endLine, `${s.name}: ${s.line}-${s.endLine}`);
        if (parent) assert.ok(s.line >= parent.line && s.endLine <= parent.endLine, `${s.name} inside ${parent.name}`);
        if (s.kind === 'entry') assert.ok(lines[s.line].startsWith(`▸ ${s.name} `), lines[s.line]);
        else assert.ok(/^(══|──) /.test(lines[s.line]) && lines[s.line].includes(s.name), lines[s.line]);
        walk(s.children, s);
      }
    };
    walk(outline);
    assert.equal(outline[0].children[0].endLine, outline[0].children[0].line + 3, 'an entry spans its body');
  });

  it('full-view URIs round-trip; anything else in them is refused', () => {
    for (const customId of ['req-1', 'a/b?c#d', '..', 'x'.repeat(512), '\u202eevil\r\n']) {
      for (const view of ['markdown', 'json'] as const) {
        const at = { offset: 123456789, length: 42 };
        const where = fullResultLocation({ batchId: 'msgbatch_01', customId, view, at });
        assert.deepEqual(parseFullResultLocation(where.path, where.query), { batchId: 'msgbatch_01', customId, view, at });
        assert.equal(parseResultsLocation(where.path, where.query), undefined, 'not a results document');
      }
    }
    const ok = fullResultLocation({ batchId: 'msgbatch_01', customId: 'a', view: 'markdown' });
    assert.match(ok.path, /^\/result\/msgbatch_01\/a\.md$/);
    for (const [p, q] of [
      ['/result/../etc/a.md', 'id=a'],
      ['/result/msgbatch_01/a.md', ''],
      ['/result/msgbatch_01/a.md', 'id=a&id=b'],
      ['/result/msgbatch_01/a.md', `id=${'x'.repeat(513)}`],
      ['/result/msgbatch_01/a.md', 'id=a&at=-1-2'],
      ['/result/msgbatch_01/a.md', 'id=a&at=1e3-2'],
      ['/result/msgbatch_01/a.md', 'id=a&at=1-2&at=3-4'],
      ['/result/msgbatch_01/a.md', 'id=a&evil=1'],
      ['/result/msgbatch_01/a.txt', 'id=a'],
      ['/result/msgbatch_01/sub/a.md', 'id=a'],
    ]) {
      assert.equal(parseFullResultLocation(p, q), undefined, `${p}?${q}`);
    }
    assert.throws(() => fullResultLocation({ batchId: '../x', customId: 'a', view: 'json' }), /Not a batch id/);
  });

  it('a filter (section) in a results URI is bounded', () => {
    assert.equal(parseResultsLocation('/results/msgbatch_01/a.results', `section=errored:${'x'.repeat(300)}`), undefined);
    assert.equal(parseResultsLocation('/results/msgbatch_01/a.results', 'section=errored:api_error')?.section, 'errored:api_error');
  });
});
