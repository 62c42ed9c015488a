import { strict as assert } from 'node:assert';
import { classifyBatchText, decideBatchFile, firstLines, globMatches, validateBatchText, type BatchFileKind } from '../../../src/domain/jsonl';
import { GLOB_LIMITS, usableGlobs } from '../../../src/domain/jsonl/batchFileRule';

const kind = (text: string): BatchFileKind => classifyBatchText(firstLines(text)).kind;
const request = (id: string) => JSON.stringify({ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: `hi ${id}` }] } });
const jsonl = (...values: unknown[]) => `${values.map((v) => JSON.stringify(v)).join('\n')}\n`;

/** JSONL that is not a batch file: the validator would flag every line, so none may be classified as one. */
const NOT_BATCH: Record<string, string> = {
  'fine-tuning, chat format': jsonl(
    { messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello.' }] },
    { messages: [{ role: 'user', content: 'Bye' }, { role: 'assistant', content: 'Bye.' }] },
  ),
  'fine-tuning, prompt/completion': jsonl({ prompt: 'Q: 2+2?', completion: ' 4' }, { prompt: 'Q: 3+3?', completion: ' 6' }),
  'structured logs': jsonl({ level: 'info', time: '2026-01-01T00:00:00Z', msg: 'started' }, { level: 'error', msg: 'failed', err: { code: 'E1' } }),
  'Save Results output (the API results file)': jsonl(
    { custom_id: 'a', result: { type: 'succeeded', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hi' }] } } },
    { custom_id: 'b', result: { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: 'boom' } } } },
  ),
  'results joined with their requests': jsonl({ custom_id: 'a', request: { model: 'm', max_tokens: 5, messages: [] }, result: { type: 'expired' } }),
  'eval set': jsonl({ id: 1, input: 'What is 2+2?', ideal: '4' }, { id: 2, input: 'Capital of France?', ideal: 'Paris' }),
  'OpenAI batch file (custom_id, but body)': jsonl({ custom_id: 'r1', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o', messages: [] } }),
  'arrays per line': jsonl([1, 2, 3], ['a', 'b']),
  'strings and numbers per line': jsonl('one', 'two', 3),
  'null and empty objects': jsonl(null, {}),
  'an export with a header line of other keys': `${JSON.stringify({ exported_at: '2026-01-01', rows: 2 })}\n${JSON.stringify({ name: 'x' })}\n`,
  'keys that only look alike': jsonl({ custom_ids: ['a'], parameters: {} }, { Params: {} }),
  'a notBatch line after blank lines and a BOM, CRLF': `\uFEFF\r\n\r\n${JSON.stringify({ messages: [] })}\r\n`,
};

/** Batch files, however they are written: each must still be one. */
const BATCH: Record<string, string> = {
  'plain requests': `${request('a')}\n${request('b')}\n`,
  'a retry file (source lines copied byte for byte, custom_id not first)': `{"params":{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"x"}]},"custom_id":"b"}\n   {"custom_id":"c",  "params": {"model":"m","max_tokens":5,"messages":[]}}  \n`,
  'BOM': `\uFEFF${request('a')}\n`,
  'CRLF line ends': `${request('a')}\r\n${request('b')}\r\n`,
  'leading blank lines': `\n  \n\t\n${request('a')}\n`,
  'a first line with mistakes (no custom_id) before good ones': `${JSON.stringify({ params: { model: 'm' } })}\n${request('b')}\n`,
  'a request being typed (not JSON yet)': '{"custom_id": "a", "params": {"model": "claude-',
  'a stray first line, then requests': `${JSON.stringify({ note: 'generated' })}\n${request('a')}\n`,
};

describe('jsonl: which files are batch files', () => {
  for (const [name, text] of Object.entries(NOT_BATCH)) {
    it(`not a batch file: ${name}`, () => {
      const result = classifyBatchText(firstLines(text));
      assert.equal(result.kind, 'notBatch', result.reason);
      // The validator would have flagged it: this is what the classification spares the user.
      assert.ok(validateBatchText(text).errorCount > 0);
    });
  }

  for (const [name, text] of Object.entries(BATCH)) {
    it(`a batch file: ${name}`, () => {
      const result = classifyBatchText(firstLines(text));
      assert.equal(result.kind, 'batch', result.reason);
    });
  }

  it('an empty file, or one of blank lines or text that is not JSON, is undecided', () => {
    assert.equal(kind(''), 'undecided');
    assert.equal(kind('\n\n  \r\n'), 'undecided');
    assert.equal(kind('\uFEFF'), 'undecided');
    assert.equal(kind('not json\nnor this\n'), 'undecided');
    assert.equal(classifyBatchText(firstLines('')).reason, 'it is empty');
  });

  it('says which line decided and why, with the keys it found', () => {
    const result = classifyBatchText(firstLines(`\n${JSON.stringify({ messages: [], meta: 1 })}\n`));
    assert.deepEqual(result, { kind: 'notBatch', line: 2, reason: 'line 2 has no custom_id/params (its keys: messages, meta)' });
    assert.equal(classifyBatchText(firstLines('[1]')).reason, 'line 1 is an array, not a request object');
    assert.deepEqual(classifyBatchText(firstLines(`x\n${request('a')}`)), { kind: 'batch', line: 2, reason: 'line 2 is a request (it has params)' });
  });

  it('looks at the first ten non-blank lines only', () => {
    const others = Array.from({ length: 10 }, (_, i) => JSON.stringify({ n: i }));
    assert.equal(kind([...others, request('late')].join('\n')), 'notBatch');
    assert.equal(kind([...others.slice(1), request('ninth')].join('\n')), 'batch');
    let read = 0;
    function* endless(): Generator<string> {
      for (;;) {
        read++;
        yield 'not json';
      }
    }
    assert.equal(classifyBatchText(endless()).kind, 'undecided');
    assert.equal(read, 11);
    read = 0;
    function* blanks(): Generator<string> {
      for (;;) {
        read++;
        yield '  ';
      }
    }
    assert.equal(classifyBatchText(blanks()).kind, 'undecided');
    assert.ok(read <= 1002, `read ${read} lines`);
  });
});

describe('jsonl: the batch file rule', () => {
  const batch = classifyBatchText(firstLines(request('a')));
  const chat = classifyBatchText(firstLines(JSON.stringify({ messages: [] })));
  const empty = classifyBatchText(firstLines(''));
  const facts = { name: 'x.jsonl', path: 'data/x.jsonl', batchLanguageChosen: false, include: [] as string[], exclude: [] as string[] };

  it('content decides when nothing else does; an empty file is not a batch file', () => {
    assert.equal(decideBatchFile({ ...facts, content: batch }).isBatch, true);
    assert.equal(decideBatchFile({ ...facts, content: chat }).isBatch, false);
    assert.deepEqual(decideBatchFile({ ...facts, content: empty }), { isBatch: false, by: 'content', reason: 'it is empty' });
  });

  it('the batch language chosen by hand wins over everything; exclude wins over include and content', () => {
    assert.equal(decideBatchFile({ ...facts, batchLanguageChosen: true, exclude: ['*.jsonl'], content: chat }).isBatch, true);
    assert.deepEqual(decideBatchFile({ ...facts, include: ['*.jsonl'], exclude: ['data/**'], content: batch }), {
      isBatch: false,
      by: 'exclude',
      reason: 'claudeBatches.batchFiles.exclude names it ("data/**")',
    });
    assert.equal(decideBatchFile({ ...facts, include: ['**/x.jsonl'], content: empty }).isBatch, true);
    assert.equal(decideBatchFile({ ...facts, include: ['**/x.jsonl'], content: chat }).isBatch, true);
  });

  it('globs: a name pattern matches the file name, a path pattern the path', () => {
    assert.ok(globMatches('*.jsonl', 'x.jsonl', 'a/b/x.jsonl'));
    assert.ok(globMatches('x.{jsonl,txt}', 'x.txt', 'x.txt'));
    assert.ok(globMatches('**/*.jsonl', 'x.jsonl', 'x.jsonl'));
    assert.ok(globMatches('**/*.jsonl', 'x.jsonl', 'a/b/x.jsonl'));
    assert.ok(globMatches('a/**', 'x.jsonl', 'a/b/x.jsonl'));
    assert.ok(globMatches('./a/?.jsonl', 'x.jsonl', 'a/x.jsonl'));
    assert.ok(!globMatches('a/*.jsonl', 'x.jsonl', 'a/b/x.jsonl'));
    assert.ok(!globMatches('*.json', 'x.jsonl', 'x.jsonl'));
    assert.ok(!globMatches('', 'x.jsonl', 'x.jsonl'));
    assert.ok(!globMatches('x(.jsonl', 'x.jsonl', 'x.jsonl'), 'regex characters are literal');
    assert.ok(globMatches('x(.jsonl', 'x(.jsonl', 'x(.jsonl'));
  });
  it('globs from a workspace are bounded: count, length and wildcards (a many-star pattern backtracks for long)', () => {
    const ok = ['*.batch.jsonl', '**/logs/*.jsonl', 'data/{train,eval}/*.jsonl'];
    assert.deepEqual(usableGlobs(ok), { globs: ok, ignored: [] });
    // A run of stars counts by what it compiles to: long runs shrink to "**", a "**" counts once.
    assert.deepEqual(usableGlobs(['********a********a********b']).globs, ['**a**a**b']);
    assert.deepEqual(usableGlobs(['**a**a**b**c']).globs, []);
    assert.deepEqual(usableGlobs(['***/*.jsonl']).globs, ['**/*.jsonl']);
    const hostile = ['*a*a*a*a*a*a*a*a*a*a*a*a*', 'x'.repeat(GLOB_LIMITS.length + 1), ...Array.from({ length: GLOB_LIMITS.count + 5 }, (_, i) => `f${i}.jsonl`)];
    const { globs, ignored } = usableGlobs(hostile);
    assert.equal(globs.length, GLOB_LIMITS.count);
    assert.ok(!globs.includes(hostile[0]) && !globs.includes(hostile[1]));
    assert.equal(ignored.length, hostile.length - GLOB_LIMITS.count);
  });

  it('says what decided: the language, a glob of exclude or include, or the content', () => {
    const content = classifyBatchText([JSON.stringify({ custom_id: 'a', params: {} })]);
    const facts = { name: 'x.jsonl', path: 'x.jsonl', batchLanguageChosen: false, include: [], exclude: [], content };
    assert.equal(decideBatchFile(facts).by, 'content');
    assert.equal(decideBatchFile({ ...facts, exclude: ['x.jsonl'] }).by, 'exclude');
    assert.equal(decideBatchFile({ ...facts, include: ['x.jsonl'] }).by, 'include');
    assert.equal(decideBatchFile({ ...facts, batchLanguageChosen: true, exclude: ['x.jsonl'] }).by, 'language');
  });
});
