import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineBudget, renderBlock, renderResultsDocument, summarizeResults, type ResultsDocument, type ResultsSummary } from '../../../src/domain/results';
import { EVERY_BLOCK, EXPECTED_TEXT } from './blocks';
import { batchObject, ended, errored, request, succeeded, tempDir, writeJsonl } from './helpers';

const NOW = Date.UTC(2026, 0, 3, 12);

function blockLines(block: object): string[] {
  const budget = new LineBudget(100_000);
  renderBlock(budget, '    ', block as never);
  return budget.lines;
}

/** Every fold must start at a heading of its kind and end on its last non-blank line. */
function checkFolding(doc: ResultsDocument): void {
  const lines = doc.text.split('\n');
  for (const range of doc.folding) {
    const first = lines[range.start];
    if (range.kind === 'entry') assert.ok(first.startsWith('▸ '), `entry fold at ${range.start}: ${first}`);
    else assert.ok(first.startsWith('══ ') || first.startsWith('── '), `section fold at ${range.start}: ${first}`);
    assert.ok(range.end > range.start);
    assert.notEqual(lines[range.end], '', `fold ${range.start}-${range.end} ends on a blank line`);
    const after = lines[range.end + 1] ?? '';
    assert.ok(after === '' || after.startsWith('══ ') || after.startsWith('── '), `fold ${range.start}-${range.end} stops before its end: next is ${after}`);
  }
  // Ranges nest: none crosses another.
  for (const a of doc.folding) {
    for (const b of doc.folding) {
      if (a === b) continue;
      const crosses = a.start < b.start && b.start <= a.end && a.end < b.end;
      assert.ok(!crosses, `folds cross: ${JSON.stringify(a)} ${JSON.stringify(b)}`);
    }
  }
  // Every entry heading is folded (when it has a body) and every entry fold is an entry.
  for (const entry of doc.entries) {
    assert.ok(lines[entry.line].startsWith(`▸ ${entry.customId} `), lines[entry.line]);
    assert.ok(doc.folding.some((f) => f.kind === 'entry' && f.start === entry.line));
  }
  for (const section of doc.sections) {
    assert.ok(lines[section.line].includes(section.title), `${section.title} at ${section.line}`);
    assert.ok(doc.folding.some((f) => f.kind === 'section' && f.start === section.line && f.end === section.endLine) || section.endLine === section.line);
  }
}

describe('results document: content blocks', () => {
  for (const [type, block] of Object.entries(EVERY_BLOCK)) {
    it(`renders a ${type} block readably`, () => {
      const lines = blockLines(block);
      const text = lines.join('\n');
      for (const expected of EXPECTED_TEXT[type as keyof typeof EXPECTED_TEXT]) assert.ok(text.includes(expected), `${type}: missing ${JSON.stringify(expected)} in\n${text}`);
      for (const line of lines) assert.ok(line.startsWith('    '), `every line is indented: ${JSON.stringify(line)}`);
      assert.ok(!text.includes('"type":'), `${type} is rendered, not dumped as JSON:\n${text}`);
    });
  }

  it('renders the failure and other variants of server tool results', () => {
    const cases: [object, string][] = [
      [{ type: 'web_search_tool_result', tool_use_id: 't', caller: { type: 'direct' }, content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' } }, 'web search failed: max_uses_exceeded'],
      [{ type: 'web_fetch_tool_result', tool_use_id: 't', caller: { type: 'direct' }, content: { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' } }, 'web fetch failed: url_not_accessible'],
      [{ type: 'code_execution_tool_result', tool_use_id: 't', content: { type: 'code_execution_tool_result_error', error_code: 'unavailable' } }, 'code execution failed: unavailable'],
      [{ type: 'code_execution_tool_result', tool_use_id: 't', content: { type: 'encrypted_code_execution_result', return_code: 0, encrypted_stdout: 'xx', stderr: '', content: [] } }, 'stdout: (encrypted)'],
      [{ type: 'bash_code_execution_tool_result', tool_use_id: 't', content: { type: 'bash_code_execution_tool_result_error', error_code: 'execution_time_exceeded' } }, 'bash failed: execution_time_exceeded'],
      [{ type: 'text_editor_code_execution_tool_result', tool_use_id: 't', content: { type: 'text_editor_code_execution_view_result', file_type: 'text', content: 'line one\nline two', start_line: 1, num_lines: 2, total_lines: 10 } }, 'text editor: viewed a text file, lines 1–2 of 10'],
      [{ type: 'text_editor_code_execution_tool_result', tool_use_id: 't', content: { type: 'text_editor_code_execution_create_result', is_file_update: false } }, 'text editor: created a file'],
      [{ type: 'text_editor_code_execution_tool_result', tool_use_id: 't', content: { type: 'text_editor_code_execution_tool_result_error', error_code: 'file_not_found', error_message: 'no such file' } }, 'text editor failed: file_not_found: no such file'],
      [{ type: 'tool_search_tool_result', tool_use_id: 't', content: { type: 'tool_search_tool_result_error', error_code: 'unavailable', error_message: null } }, 'tool search failed: unavailable'],
      [{ type: 'web_fetch_tool_result', tool_use_id: 't', caller: { type: 'direct' }, content: { type: 'web_fetch_result', url: 'https://x.test/a.pdf', retrieved_at: null, content: { type: 'document', title: null, citations: null, source: { type: 'base64', media_type: 'application/pdf', data: 'AAAA' } } } }, 'application/pdf document (3 bytes)'],
    ];
    for (const [block, expected] of cases) {
      const text = blockLines(block).join('\n');
      assert.ok(text.includes(expected), `missing ${expected} in\n${text}`);
    }
  });

  it('shows a block type it does not know as its JSON', () => {
    const text = blockLines({ type: 'hologram', frames: 3 }).join('\n');
    assert.ok(text.includes('[hologram block]'));
    assert.ok(text.includes('"frames": 3'));
  });

  it('a whole reply with every block type keeps them in order', () => {
    const budget = new LineBudget(100_000);
    for (const block of Object.values(EVERY_BLOCK)) renderBlock(budget, '    ', block);
    const text = budget.lines.join('\n');
    let at = -1;
    for (const type of Object.keys(EVERY_BLOCK)) {
      const next = text.indexOf(EXPECTED_TEXT[type as keyof typeof EXPECTED_TEXT][0], at + 1);
      assert.ok(next > at, `${type} out of order`);
      at = next;
    }
  });
});

describe('results document', () => {
  let dir: string;
  let source: string;
  let summary: ResultsSummary;
  const batch = batchObject('msgbatch_01DOC', { succeeded: 5, errored: 4, expired: 1, canceled: 1 });

  before(async () => {
    dir = tempDir('document');
    source = writeJsonl(path.join(dir, 'questions.jsonl'), [
      request('q01', 'What is the capital of France?'),
      request('q02', 'Weather in Paris?'),
      request('q03', 'Think about it'),
      request('q04', 'Too long'),
      request('q05', 'Try again'),
      request('q06', 'Later'),
      request('q07', 'Never mind'),
      request('q08', 'Busy'),
      request('q09', 'Again busy'),
      request('q10', 'Long one'),
      request('q11', 'Bad one'),
    ]);
    const results = writeJsonl(path.join(dir, 'r.jsonl'), [
      errored('q11', 'invalid_request_error', 'messages.0.content: Field required'),
      succeeded('q10', 'word '.repeat(3000)),
      errored('q09', 'overloaded_error', 'Overloaded'),
      ended('q07', 'canceled'),
      succeeded('q02', [EVERY_BLOCK.text, EVERY_BLOCK.tool_use], { stop: 'tool_use' }),
      errored('q05', 'api_error', 'Internal server error', 'req_011API'),
      ended('q06', 'expired'),
      succeeded('q01', 'Paris.', { usage: { input_tokens: 1_000_000, output_tokens: 100_000 } }),
      errored('q04', 'invalid_request_error', 'prompt is too long: 212417 tokens > 200000 maximum'),
      errored('q08', 'overloaded_error', 'Overloaded'),
      succeeded('q03', [EVERY_BLOCK.thinking, EVERY_BLOCK.redacted_thinking, { type: 'text', text: 'Done.', citations: null }], { stop: 'max_tokens' }),
    ]);
    summary = await summarizeResults(results, { source });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function render(extra: Parameters<typeof renderResultsDocument>[1] = {}): ResultsDocument {
    return renderResultsDocument(summary, {
      batch,
      label: 'questions.jsonl',
      sourcePath: source,
      archive: { path: '/store/msgbatch_01DOC.jsonl', complete: true, lines: 11, total: 11, downloadedAt: '2026-01-02T09:00:00Z' },
      now: NOW,
      ...extra,
    });
  }

  it('starts with the summary: ids, dates, counts, tokens, cost (estimate), local copy, API deletion date', () => {
    const lines = render().text.split('\n');
    const head = lines.slice(0, lines.indexOf('')).join('\n');
    assert.ok(head.startsWith('Results of "questions.jsonl"'));
    for (const expected of [
      'Batch       msgbatch_01DOC',
      `Source      ${source}`,
      'Created     2026-01-01 00:00 UTC',
      'Ended       2026-01-01 00:42 UTC, after 42m',
      'Results     11 results: 4 succeeded · 5 errored (3 retryable, 2 to fix) · 1 expired · 1 canceled',
      'Tokens      1,000,030 input · 100,015 output · 0 cache write · 0 cache read',
      // Sonnet 4.5 at $3/$15 per million, halved: 1M in = $1.50, 0.1M out = $0.75.
      'Cost        $2.25 at batch prices (estimate; prices as of',
      'Local copy  /store/msgbatch_01DOC.jsonl (complete, downloaded 2026-01-02 09:00 UTC)',
      'API copy    results deleted by the API on 2026-01-30 00:00 UTC (in 26d 12h)',
      'Order       as in the source file',
    ]) {
      assert.ok(head.includes(expected), `missing ${JSON.stringify(expected)} in\n${head}`);
    }
  });

  it('says when the API has already deleted its copy, and when the local copy is incomplete', () => {
    const archived = render({ batch: { ...batch, archived_at: '2026-01-30T00:00:00Z' }, archive: { path: '/p', complete: false, lines: 6, total: 11, downloadedAt: '2026-01-02T09:00:00Z', error: 'terminated' } }).text;
    assert.ok(archived.includes('API copy    the API deleted its copy on 2026-01-30 00:00 UTC: the local copy is the only one left'));
    assert.ok(archived.includes('Local copy  /p (INCOMPLETE: 6 of 11 results (terminated); download again to get the rest)'));
    const late = render({ now: Date.UTC(2026, 2, 1) }).text;
    assert.ok(late.includes('the API deleted its copy on 2026-01-30'));
  });

  it('has the sections in order, errors grouped with what to do, entries in input order', () => {
    const doc = render();
    assert.deepEqual(
      doc.sections.map((s) => s.id),
      ['succeeded', 'errored', 'errored:invalid_request_error', 'errored:overloaded_error', 'errored:api_error', 'expired', 'canceled'],
    );
    const lines = doc.text.split('\n');
    assert.equal(lines[doc.sections[2].line].startsWith('── invalid_request_error · 2 · fix the request'), true);
    assert.equal(lines[doc.sections[3].line].startsWith('── overloaded_error · 2 · retryable'), true);
    assert.deepEqual(
      doc.entries.map((e) => e.customId),
      ['q01', 'q02', 'q03', 'q10', 'q04', 'q11', 'q08', 'q09', 'q05', 'q06', 'q07'],
    );
    assert.deepEqual(
      doc.entries.map((e) => e.sourceLine),
      [1, 2, 3, 10, 4, 11, 8, 9, 5, 6, 7],
    );
  });

  it('entries show what each outcome needs: reply, error with request id, what to do', () => {
    const text = render().text;
    for (const expected of [
      '▸ q01 · claude-sonnet-4-5 · end_turn · 1,000,000 in / 100,000 out tokens',
      '    prompt: What is the capital of France? (source line 1)',
      '    Paris.',
      '▸ q02 · claude-sonnet-4-5 · tool_use · 10 in / 5 out tokens',
      '    tool call: get_weather (toolu_01A)',
      '▸ q03 · claude-sonnet-4-5 · max_tokens',
      'note: cut off at max_tokens',
      '    > First I consider the question.',
      '▸ q05 · api_error',
      '    error: Internal server error',
      '    request id: req_011API',
      '▸ q04 · invalid_request_error',
      '    error: prompt is too long: 212417 tokens > 200000 maximum',
      '▸ q06 · expired',
      'Not processed within 24 hours. Resubmit it',
      '▸ q07 · canceled',
      'Canceled before it was processed.',
    ]) {
      assert.ok(text.includes(expected), `missing ${JSON.stringify(expected)}`);
    }
  });

  it('cuts a long reply at the entry budget and says how much is left', () => {
    const text = render({ maxCharsPerEntry: 500 }).text;
    const entry = text.slice(text.indexOf('▸ q10'), text.indexOf('▸ q04'));
    assert.ok(entry.length < 1000, String(entry.length));
    assert.match(entry, /… [\d,]+ more characters: "Open in Full" above the entry shows all of it/);
  });

  it('folding ranges point at the right lines', () => {
    const doc = render();
    checkFolding(doc);
    assert.equal(doc.folding.filter((f) => f.kind === 'entry').length, 11);
    assert.equal(doc.folding.filter((f) => f.kind === 'section').length, 7);
    const lines = doc.text.split('\n');
    const q01 = doc.folding.find((f) => f.kind === 'entry' && lines[f.start].startsWith('▸ q01'))!;
    assert.deepEqual(lines.slice(q01.start, q01.end + 1), ['▸ q01 · claude-sonnet-4-5 · end_turn · 1,000,000 in / 100,000 out tokens', '    prompt: What is the capital of France? (source line 1)', '    reply:', '    Paris.']);
    assert.equal(lines[q01.end + 1], '');
  });

  it('says how many more there are when a section is cut, and how to see them', async () => {
    const cut = await summarizeResults(summary.resultsPath, { source, maxEntries: 1 });
    const doc = renderResultsDocument(cut, { batch, now: NOW });
    const lines = doc.text.split('\n');
    const succeededSection = doc.sections.find((s) => s.id === 'succeeded')!;
    assert.equal(succeededSection.shown, 1);
    assert.equal(lines[succeededSection.moreLine!], '  … 3 more: use "Claude Batches: Save Results…" or open this section on its own');
    assert.equal(doc.entries.filter((e) => e.section === 'succeeded').length, 1);
    checkFolding(doc);
  });

  it('renders one section on its own with a larger N', async () => {
    const only = await summarizeResults(summary.resultsPath, { source, section: 'errored:overloaded_error', maxEntries: 5000 });
    const doc = renderResultsDocument(only, { batch, label: 'questions.jsonl', section: 'errored:overloaded_error', now: NOW });
    assert.ok(doc.text.startsWith('Results of "questions.jsonl" · Errored (overloaded_error)'));
    assert.deepEqual(
      doc.sections.map((s) => s.id),
      ['errored', 'errored:overloaded_error'],
    );
    assert.deepEqual(
      doc.entries.map((e) => e.customId),
      ['q08', 'q09'],
    );
    assert.ok(!doc.text.includes('══ Succeeded'));
    checkFolding(doc);
    const expiredOnly = renderResultsDocument(await summarizeResults(summary.resultsPath, { section: 'expired' }), { section: 'expired', now: NOW });
    assert.deepEqual(
      expiredOnly.sections.map((s) => s.id),
      ['expired'],
    );
  });

  it('renders a 20,000-result batch quickly after the summary pass, the same size as a small one', async () => {
    const big = path.join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const id = `r${i}`;
      const r = i % 50 === 0 ? errored(id, i % 100 === 0 ? 'api_error' : 'invalid_request_error') : i % 97 === 0 ? ended(id, 'expired') : succeeded(id, `Reply ${i}: ${'lorem ipsum '.repeat(20)}`);
      lines.push(JSON.stringify(r));
    }
    fs.writeFileSync(big, `${lines.join('\n')}\n`);
    const s = await summarizeResults(big);
    const started = performance.now();
    const doc = renderResultsDocument(s, { batch, now: NOW });
    const ms = performance.now() - started;
    assert.ok(ms < 250, `render took ${ms.toFixed(0)} ms`);
    // 200 succeeded, 200 per error group (two groups), 200 of the expired.
    assert.equal(doc.entries.length, 200 + 200 + 200 + Math.min(200, s.expired.count));
    assert.ok(doc.text.includes(`… ${(s.counts.succeeded - 200).toLocaleString('en-US')} more`));
    checkFolding(doc);
  });
});
