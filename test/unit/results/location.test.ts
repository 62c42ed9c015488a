// The results URI (`claude-batches:/results/<batchId>/<label>.results?section=…`): what it is
// built from comes back out of it, and a URI from anywhere else (a link, a command argument, an
// edited recent-files list) is refused or read safely, never thrown on, never a path outside the
// results folder.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { OUTCOMES, parseResultsLocation, parseSectionId, resultsLocation, type ResultsTarget, type SectionId } from '../../../src/domain/results';

const BATCH_ID = /^[A-Za-z0-9_-]{1,128}$/;
const batchId = fc.stringMatching(BATCH_ID);
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('(', ')', ' (errored)', ' (x).results', '/', '\\', '?', '#', '%', '%2F', '..', '\r\n', '\u2028'));
const label = fc.array(anyText, { maxLength: 4 }).map((parts) => parts.join(''));
const section: fc.Arbitrary<SectionId | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...OUTCOMES),
  fc.array(anyText, { minLength: 1, maxLength: 3 }).map((parts) => `errored:${parts.join('') || 'x'}` as SectionId),
);

/** Characters a label shows as they are (no path separators, URI delimiters or controls). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const PLAIN = /^[^/\\?#\t\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+$/u;

describe('results URI', () => {
  it('property: batch id and section come back exactly; a plain label too, and any label comes back stable', () => {
    fc.assert(
      fc.property(batchId, label, section, (id, name, sectionId) => {
        const target: ResultsTarget = { batchId: id, label: name, section: sectionId };
        const { path, query } = resultsLocation(target);
        assert.equal(path.split('/').length, 4, `one path segment per part: ${path}`);
        const parsed = parseResultsLocation(path, query);
        assert.ok(parsed, `${JSON.stringify(target)} → ${path}?${query} does not parse`);
        assert.equal(parsed.batchId, id);
        assert.equal(parsed.section, sectionId);
        if (PLAIN.test(name)) assert.equal(parsed.label, name);
        const again = resultsLocation(parsed);
        assert.deepEqual(again, { path, query }, 'the label read back builds the same URI');
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a label that ends in parentheses, and a section whose error category holds a slash', () => {
    const plain = { batchId: 'msgbatch_1', label: 'report (v2)' };
    assert.deepEqual(parseResultsLocation(resultsLocation(plain).path, ''), { ...plain, section: undefined });
    const slashed = { batchId: 'msgbatch_1', label: 'report', section: 'errored:a/b' as SectionId };
    const where = resultsLocation(slashed);
    assert.deepEqual(parseResultsLocation(where.path, where.query), slashed);
  });

  it('refuses what is not a results document of a batch, without throwing', () => {
    const refused: [string, string][] = [
      ['/results/%E0%A4%A/x.results', ''],
      ['/results/..%2F..%2Fetc/x.results', ''],
      ['/results/../x.results', ''],
      ['/results/msgbatch_1/a/../b.results', ''],
      ['/results/msgbatch_1/.results', ''],
      ['/results/msgbatch_1/x.results', 'section=errored&section=succeeded'],
      ['/results/msgbatch_1/x.results', 'section=nope'],
      ['/results/msgbatch_1/x.results', 'section=errored:'],
      ['/results/msgbatch_1/x.results', 'section=%E0%A4%A'],
      ['/results/a%00b/x.results', ''],
      [`/results/${'a'.repeat(129)}/x.results`, ''],
      ['/elsewhere/msgbatch_1/x.results', ''],
      ['/results/msgbatch_1/x.txt', ''],
    ];
    for (const [path, query] of refused) assert.equal(parseResultsLocation(path, query), undefined, `${path}?${query}`);
    // Other query parameters are no business of this document: ignored.
    assert.deepEqual(parseResultsLocation('/results/msgbatch_1/x.results', 'foo=1&section=expired&bar'), { batchId: 'msgbatch_1', label: 'x', section: 'expired' });
  });

  it('refuses to build a URI for something that is not a batch id', () => {
    for (const id of ['', '../x', 'a/b', 'a b', 'a'.repeat(129)]) assert.throws(() => resultsLocation({ batchId: id, label: 'x' }), /not a batch id/i, id);
  });

  it('property: any path and query is read without throwing, as a batch id and a known section or not at all', () => {
    const part = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('/results/', 'msgbatch_1', '/', '..', '%', '%2F', '%E0%A4%A', '.results', 'section=', 'errored:', '&', '(', ')', ' '));
    const text = fc.array(part, { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, (path, query) => {
        const parsed = parseResultsLocation(path, query);
        if (!parsed) return;
        assert.match(parsed.batchId, BATCH_ID);
        if (parsed.section !== undefined) assert.ok(parseSectionId(parsed.section));
        assert.ok(!parsed.label.includes('/'));
      }),
      { numRuns: 2000 },
    );
  });
});
