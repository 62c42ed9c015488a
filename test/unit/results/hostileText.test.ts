// Text from results is hostile: a reply, an error message, a web page a tool fetched, a title, a
// custom_id from an edited local copy can hold any character. Whatever they hold, the results
// document must keep its structure: the lines VS Code shows are the lines the renderer counted,
// and only the renderer's own headings and entries start the way headings and entries do.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { MessageBatchIndividualResponse } from '../../../src/api';
import { buildRetryBatch, parseSectionId, renderResultsDocument, ResultsSummarizer, streamResultsToFile, summarizeResults, type ResultsSource, type RenderOptions, type ResultsDocument, type SectionId } from '../../../src/domain/results';
import { displayText, MAX_JSON_DEPTH, numberOf, oneLine, safeJson, textLines } from '../../../src/domain/results/untrustedText';
import { batchObject, errored, request, tempDir, writeJsonl } from './helpers';

const NOW = Date.UTC(2026, 0, 3, 12);

/** How VS Code's text model splits a document into lines. */
const vsCodeLines = (text: string): string[] => text.split(/\r\n|\r|\n/);

/** The grammar's patterns (media/results.tmLanguage.json), as the editor colours lines. */
const grammar = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../media/results.tmLanguage.json'), 'utf8')) as { repository: Record<string, { match: string }> };
const SECTION = new RegExp(grammar.repository.section.match, 'u');
const GROUP = new RegExp(grammar.repository.group.match, 'u');
const ENTRY = new RegExp(grammar.repository.entry.match, 'u');
/** What a reader (and the document's own tests) take for a heading or an entry: the line's start. */
const LOOKS_LIKE_HEADING = /^(══|──)/;
const LOOKS_LIKE_ENTRY = /^▸/;
/** Characters that must never reach the document as they are. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** One result of every shape the renderer reads text from, each text field holding `s`. */
function hostileResults(s: string): MessageBatchIndividualResponse[] {
  const citations = [
    { type: 'char_location', cited_text: s, document_index: 0, document_title: s, start_char_index: 1, end_char_index: 9, file_id: null },
    { type: 'page_location', cited_text: s, document_index: 1, document_title: null, start_page_number: s, end_page_number: 5, file_id: null },
    { type: 'content_block_location', cited_text: s, document_index: 2, document_title: s, start_block_index: 0, end_block_index: s, file_id: null },
    { type: 'web_search_result_location', cited_text: s, encrypted_index: 'x', title: s, url: s },
    { type: 'search_result_location', cited_text: s, source: s, title: s, search_result_index: 0, start_block_index: 0, end_block_index: 1 },
    { type: s, cited_text: s, [s]: s },
  ];
  const content = [
    { type: 'text', text: s, citations },
    { type: 'thinking', thinking: s, signature: s },
    { type: 'redacted_thinking', data: s },
    { type: 'tool_use', id: s, name: s, input: { [s]: s, list: [s, { [s]: [s] }] } },
    { type: 'server_tool_use', id: s, name: s, input: { query: s } },
    { type: 'web_search_tool_result', tool_use_id: s, content: [{ type: 'web_search_result', title: s, url: s, page_age: s, encrypted_content: s }] },
    { type: 'web_search_tool_result', tool_use_id: s, content: { type: 'web_search_tool_result_error', error_code: s } },
    {
      type: 'web_fetch_tool_result',
      tool_use_id: s,
      content: { type: 'web_fetch_result', url: s, retrieved_at: s, content: { type: 'document', title: s, source: { type: 'text', media_type: 'text/plain', data: s } } },
    },
    { type: 'web_fetch_tool_result', tool_use_id: s, content: { type: 'web_fetch_result', url: s, content: { type: 'document', title: s, source: { type: 'base64', media_type: s, data: s } } } },
    { type: 'web_fetch_tool_result', tool_use_id: s, content: { type: 'web_fetch_tool_result_error', error_code: s } },
    { type: 'code_execution_tool_result', tool_use_id: s, content: { type: 'code_execution_result', return_code: s, stdout: s, stderr: s, content: [{ file_id: s }] } },
    { type: 'bash_code_execution_tool_result', tool_use_id: s, content: { type: 'bash_code_execution_tool_result_error', error_code: s } },
    { type: 'text_editor_code_execution_tool_result', tool_use_id: s, content: { type: 'text_editor_code_execution_view_result', file_type: 'text', content: s, start_line: s, num_lines: 2, total_lines: s } },
    { type: 'text_editor_code_execution_tool_result', tool_use_id: s, content: { type: 'text_editor_code_execution_str_replace_result', old_start: s, old_lines: 1, new_start: 2, lines: [s, s] } },
    { type: 'text_editor_code_execution_tool_result', tool_use_id: s, content: { type: 'text_editor_code_execution_tool_result_error', error_code: s, error_message: s } },
    { type: 'text_editor_code_execution_tool_result', tool_use_id: s, content: { type: s, [s]: s } },
    { type: 'tool_search_tool_result', tool_use_id: s, content: { type: 'tool_search_tool_search_result', tool_references: [{ tool_name: s }] } },
    { type: 'tool_search_tool_result', tool_use_id: s, content: { type: 'tool_search_tool_result_error', error_code: s, error_message: s } },
    { type: 'container_upload', file_id: s },
    { type: s, [s]: s },
  ];
  const usage = { input_tokens: 3, output_tokens: 4 };
  const line = (customId: string, result: unknown) => ({ custom_id: customId, result }) as unknown as MessageBatchIndividualResponse;
  return [
    line('blocks', { type: 'succeeded', message: { id: s, type: 'message', role: 'assistant', model: s, content, stop_reason: s, usage } }),
    line('string-content', { type: 'succeeded', message: { model: 'claude-sonnet-4-5', content: s, stop_reason: 'max_tokens', usage } }),
    line('errored-nested', { type: 'errored', error: { type: 'error', error: { type: s, message: s }, request_id: s } }),
    line('errored-flat', { type: 'errored', error: { type: s, message: s } }),
    line('errored-known', { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: s }, request_id: s } }),
    line(s, { type: 'succeeded', message: { model: s, content: [{ type: 'text', text: s }], stop_reason: 'end_turn', usage } }),
    line(`${s}-expired`, { type: 'expired' }),
    line(`${s}-canceled`, { type: 'canceled' }),
    line('unknown-type', { type: s }),
  ];
}

const hostileOptions = (s: string): RenderOptions => ({
  batchId: 'msgbatch_01HOSTILE',
  batch: batchObject('msgbatch_01HOSTILE', { succeeded: 3, errored: 3, expired: 1, canceled: 1 }),
  label: s,
  sourcePath: s,
  archive: { path: s, complete: false, lines: 9, total: 10, downloadedAt: '2026-01-02T09:00:00Z', error: s },
  now: NOW,
  maxCharsPerEntry: 100_000,
});

async function summaryOf(lines: MessageBatchIndividualResponse[], options: { source?: string; section?: SectionId } = {}) {
  const summarizer = await ResultsSummarizer.create(options);
  for (const line of lines) summarizer.add(line);
  return summarizer.finish('/store/msgbatch_01HOSTILE.jsonl');
}

/**
 * The renderer's line map is what VS Code shows: the line count, each section's and entry's
 * line, the folding ranges; and nothing but the renderer's own headings and entries starts like
 * one, for the eye or for the grammar.
 */
function checkStructure(doc: ResultsDocument, what: string): void {
  const lines = vsCodeLines(doc.text);
  assert.equal(lines.length, doc.lineCount + 1, `${what}: VS Code shows ${lines.length - 1} lines, the renderer counted ${doc.lineCount}`);
  assert.equal(lines[lines.length - 1], '', `${what}: the text ends with one line break`);
  const headingLines = new Set(doc.sections.map((s) => s.line));
  const entryLines = new Set(doc.entries.map((e) => e.line));
  lines.forEach((line, n) => {
    const at = `${what}, line ${n}: ${JSON.stringify(line)}`;
    assert.ok(!UNSAFE.test(line), `${at} holds a control character, a bidi control or an unusual line terminator`);
    const heading = LOOKS_LIKE_HEADING.test(line) || SECTION.test(line) || GROUP.test(line);
    assert.equal(heading, headingLines.has(n), `${at} ${heading ? 'looks like a heading but is none' : 'is a heading that does not look like one'}`);
    const entry = LOOKS_LIKE_ENTRY.test(line) || ENTRY.test(line);
    if (entry) assert.ok(entryLines.has(n), `${at} looks like an entry but is none`);
    if (entryLines.has(n)) assert.ok(line.startsWith('▸ '), `${at} is an entry that does not look like one`);
  });
  for (const section of doc.sections) {
    assert.ok(lines[section.line].includes(section.title), `${what}: section ${section.id} not at its line ${section.line}`);
    if (section.moreLine !== undefined) assert.match(lines[section.moreLine], /^ {2}… /, `${what}: "more" line of ${section.id}`);
  }
  for (const fold of doc.folding) {
    assert.ok(fold.end > fold.start && fold.end < doc.lineCount, `${what}: fold ${fold.start}-${fold.end} outside the document`);
    assert.ok((fold.kind === 'entry' ? entryLines : headingLines).has(fold.start), `${what}: fold at ${fold.start} starts on ${JSON.stringify(lines[fold.start])}`);
    assert.notEqual(lines[fold.end], '', `${what}: fold ${fold.start}-${fold.end} ends on a blank line`);
  }
}

/** A test title showing every odd character of `s` as an escape. */
const title = (s: string): string =>
  JSON.stringify(s.length > 60 ? `${s.slice(0, 30)}…${s.slice(-30)}` : s).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const CORPUS = [
  '\r══ Succeeded · 999 ══════════════════════════════════════════════════',
  'before\r▸ fake-1 · claude-sonnet-4-5 · end_turn\rafter',
  'a\r\n── api_error · 7 · retryable ──────────────────\r\nb',
  '\n══ Canceled · 0 ══════\n▸ fake-2 · canceled\n',
  'x\u2028══ Errored · 1 ══════\u2029▸ fake-3 · api_error\u0085══ Expired · 5 ═════',
  '\u000b▸ vertical tab\u000c══ form feed ══════',
  '\u001b[2J\u001b[31mred\u0007\u0000\u007f\u009b1m\u0085',
  '\u202e══ Succeeded · 1 ══════\u202c \u2066▸ isolate\u2069 \u202a\u202b\u202d\u2067\u2068',
  '\r\r\n\n\r\u2028\u2029\u0085',
  '\ud800 lone surrogate \udc00\r▸ after-surrogate',
  `${'long '.repeat(900)}\r══ Succeeded · 999 ══════════════`,
  '══ Succeeded · 999 ══════════════',
  '▸ q01 · claude-sonnet-4-5 · end_turn',
  '  … 780 more: use "Claude Batches: Save Results…" or open this section on its own',
  '__proto__',
  '',
];

describe('results document: hostile text', () => {
  let dir: string;
  before(() => {
    dir = tempDir('hostile');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [i, s] of CORPUS.entries()) {
    it(`keeps its structure whatever the results hold: ${title(s)}`, async () => {
      const results = hostileResults(s);
      const source = writeJsonl(path.join(dir, `source-${i}.jsonl`), [
        request('blocks', s),
        request('errored-nested', s, { system: s }),
        { custom_id: 'string-content', params: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: s }] }] } },
      ]);
      for (const summary of [await summaryOf(results), await summaryOf(results, { source })]) {
        checkStructure(renderResultsDocument(summary, hostileOptions(s)), 'whole document');
        const sections = ['succeeded', 'errored', 'expired', 'canceled', `errored:${s}`, 'errored:api_error'].filter((id) => parseSectionId(id)) as SectionId[];
        for (const section of sections) {
          const focused = await summaryOf(results, { source: summary.source?.path, section });
          checkStructure(renderResultsDocument(focused, { ...hostileOptions(s), section }), `section ${section}`);
        }
        // A small budget cuts inside the hostile text: the cut must not open a hole either.
        checkStructure(renderResultsDocument(summary, { ...hostileOptions(s), maxCharsPerEntry: 40 }), 'small budget');
      }
    });
  }

  it('shows what a control character was instead of dropping it, and keeps tabs', async () => {
    const doc = renderResultsDocument(await summaryOf(hostileResults('a\u0007b\u202ec\td\u2028e\u0085f')), hostileOptions('label'));
    const lines = vsCodeLines(doc.text);
    assert.ok(lines.includes('    a␇b<U+202E>c\td'), `a text line with its controls shown:\n${doc.text}`);
    assert.ok(lines.includes('    e'), 'U+2028 ends a line');
    assert.ok(lines.includes('    f'), 'U+0085 ends a line');
    // In a heading, a line break is shown where it was: the heading stays one line.
    assert.ok(lines.some((l) => l.startsWith('▸ a␇b<U+202E>c\td<U+2028>e<U+0085>f · ')), `the entry heading:\n${doc.text}`);
  });

  it('continues a multi-line error message on indented lines', async () => {
    const doc = renderResultsDocument(await summaryOf(hostileResults('first\r══ Errored · 9 ══════\nthird')), hostileOptions('label'));
    const lines = vsCodeLines(doc.text);
    const at = lines.indexOf('    error: first');
    assert.ok(at > 0, doc.text);
    assert.deepEqual(lines.slice(at, at + 3), ['    error: first', '      ══ Errored · 9 ══════', '      third']);
  });

  it('property: any text in any field keeps the line map and the headings', async () => {
    // Strings made mostly of what could break a line or start a heading, mixed with any unicode.
    const dangerous = fc.constantFrom('\r', '\n', '\r\n', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0000', '\u001b', '\u007f', '\u009b', '\u202e', '\u2066', '══ ', '── ', '▸ ', '  … ', ' · ', '═', '\t', ' ');
    const piece = fc.oneof(dangerous, fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 }));
    const hostile = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(hostile, fc.integer({ min: 10, max: 5000 }), async (s, budget) => {
        const summary = await summaryOf(hostileResults(s));
        checkStructure(renderResultsDocument(summary, { ...hostileOptions(s), maxCharsPerEntry: budget }), 'property');
      }),
      { numRuns: 150 },
    );
  });
});

describe('results document: deeply nested results', () => {
  const DEPTH = 1_000_000;
  /** A value nested DEPTH deep, built without recursion (as JSON.parse would build it). */
  const deepArray = (): unknown => {
    let value: unknown = ['bottom'];
    for (let i = 0; i < DEPTH; i++) value = [value];
    return value;
  };
  const deepObject = (): unknown => {
    let value: unknown = { bottom: true };
    for (let i = 0; i < DEPTH; i++) value = { a: value };
    return value;
  };

  it('renders results whose fields are nested 1,000,000 deep, neither throwing nor hanging', async () => {
    const array = deepArray();
    const object = deepObject();
    const lines = [
      {
        custom_id: 'deep',
        result: {
          type: 'succeeded',
          message: {
            model: array,
            stop_reason: array,
            usage: { input_tokens: array, output_tokens: object },
            content: [
              { type: 'text', text: array, citations: [{ type: 'page_location', cited_text: array, document_index: array, start_page_number: array, end_page_number: array }, { type: 'odd', deep: object }] },
              { type: 'thinking', thinking: object },
              { type: 'tool_use', id: 'toolu_1', name: 'deep', input: object },
              { type: 'server_tool_use', id: 'srv_1', name: 'deep', input: array },
              { type: 'code_execution_tool_result', content: { type: 'code_execution_result', return_code: array, stdout: 'out', content: [] } },
              { type: 'text_editor_code_execution_tool_result', content: { type: 'text_editor_code_execution_view_result', content: array, start_line: array, num_lines: array, total_lines: array } },
              { type: 'text_editor_code_execution_tool_result', content: { type: 'text_editor_code_execution_str_replace_result', old_start: array, lines: [array] } },
              { type: 'text_editor_code_execution_tool_result', content: { type: 'something_new', deep: array } },
              { type: 'hologram', deep: object },
              array,
            ],
          },
        },
      },
      { custom_id: 'deep-string-content', result: { type: 'succeeded', message: { model: 'm', content: [{ type: 'text', text: 'fine' }], usage: { input_tokens: 1, output_tokens: 1 } } } },
      { custom_id: 'deep-error', result: { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: array }, request_id: array } } },
      { custom_id: 'deep-unknown', result: { type: 'succeeded', message: { model: 'm', content: object, usage: { input_tokens: 1, output_tokens: 1 } } } },
    ] as unknown as MessageBatchIndividualResponse[];
    const started = Date.now();
    const summary = await summaryOf(lines);
    const doc = renderResultsDocument(summary, { batchId: 'msgbatch_01DEEP', now: NOW, maxCharsPerEntry: 1_000_000 });
    checkStructure(doc, 'deep');
    assert.ok(Date.now() - started < 10_000, `rendering took ${Date.now() - started} ms`);
    assert.match(doc.text, /tool call: deep \(toolu_1\)/);
    assert.match(doc.text, /nested deeper than/, 'what is too deep says so');
  });

  it('decoder download: a result nested 1,000,000 deep is left out, the results after it are kept, the copy is not complete', async () => {
    const dir = tempDir('deep-stream');
    try {
      const batch = batchObject('msgbatch_01DEEP', { succeeded: 3 });
      const ok = (id: string) => ({ custom_id: id, result: { type: 'succeeded', message: { model: 'm', content: 'fine' } } });
      const source: ResultsSource = {
        results: () =>
          Promise.resolve({
            batch,
            results: (async function* () {
              yield ok('before') as unknown as MessageBatchIndividualResponse;
              yield { custom_id: 'deep', result: { type: 'succeeded', message: { model: 'm', content: deepArray() } } } as unknown as MessageBatchIndividualResponse;
              yield ok('after') as unknown as MessageBatchIndividualResponse;
            })(),
          }),
      };
      const file = path.join(dir, 'out.jsonl');
      const got = await streamResultsToFile(source, batch.id, file, { via: 'decoder' });
      assert.deepEqual(
        fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { custom_id: string }).custom_id),
        ['before', 'after'],
      );
      assert.equal(got.complete, false);
      assert.equal(got.reason, 'malformed');
      assert.equal(got.lines, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a results file and a source whose lines nest 1,000,000 deep', async () => {
    const dir = tempDir('deep');
    try {
      const deep = `${'['.repeat(DEPTH)}"x"${']'.repeat(DEPTH)}`;
      const deepContent = `${'{"type":"tool_result","content":['.repeat(DEPTH / 10)}{"type":"text","text":"inside"}${']}'.repeat(DEPTH / 10)}`;
      const source = writeJsonl(path.join(dir, 'source.jsonl'), [
        `{"custom_id":"a","params":{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[${deepContent}]}]}}`,
        `{"custom_id":"b","params":{"model":"m","max_tokens":5,"messages":[{"role":"user","content":${deep}}]}}`,
      ]);
      const results = writeJsonl(path.join(dir, 'results.jsonl'), [
        `{"custom_id":"a","result":{"type":"succeeded","message":{"model":"m","content":[{"type":"tool_use","id":"t","name":"n","input":${deep}}],"usage":{"input_tokens":1,"output_tokens":1}}}}`,
        `{"custom_id":"b","result":{"type":"errored","error":{"type":"error","error":{"type":"api_error","message":${deep}}}}}`,
      ]);
      const summary = await summarizeResults(results, { source });
      assert.equal(summary.results, 2);
      const a = summary.succeeded.entries.find((e) => e.customId === 'a')!;
      assert.match(a.prompt ?? '', /\[tool result\]/, 'the prompt of a deeply nested request is read as far as it is shown');
      checkStructure(renderResultsDocument(summary, { batchId: 'msgbatch_01DEEP', now: NOW }), 'deep file');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('untrusted text', () => {
  it('property: JSON of any value reads back as the same value, on lines holding nothing to escape', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        for (const indent of [undefined, 2]) {
          const json = safeJson(value, indent);
          assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(value)));
          for (const line of json.split('\n')) assert.equal(oneLine(line), line, `nothing to escape in ${JSON.stringify(line)}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: text splits at every line terminator, and each line has nothing left to escape', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const lines = textLines(s);
        assert.equal(lines.length, s.split(/\r\n|[\r\n\u0085\u2028\u2029]/).length);
        for (const line of lines) assert.ok(!UNSAFE.test(line), JSON.stringify(line));
        assert.ok(!UNSAFE.test(oneLine(s)));
        assert.equal(oneLine(oneLine(s)), oneLine(s), 'escaping twice changes nothing');
      }),
      { numRuns: 500 },
    );
  });

  it('cuts JSON nested deeper than it shows, without recursion limits', () => {
    let value: unknown = 'bottom';
    for (let i = 0; i < 1_000_000; i++) value = i % 2 ? [value] : { k: value };
    const json = safeJson(value, 2);
    assert.match(json, new RegExp(`nested deeper than ${MAX_JSON_DEPTH} levels`));
    assert.equal(displayText(value), safeJson(value));
    assert.ok(Number.isNaN(numberOf(value)));
  });
});

describe('results summary: names from results used as keys', () => {
  it('a model called __proto__ (or any Object.prototype name) is listed and priced like any other', async () => {
    const usage = { input_tokens: 1000, output_tokens: 100 };
    const line = (id: string, model: string) => ({ custom_id: id, result: { type: 'succeeded', message: { model, content: 'x', stop_reason: 'end_turn', usage } } }) as unknown as MessageBatchIndividualResponse;
    const summary = await summaryOf([line('a', '__proto__'), line('b', 'constructor'), line('c', 'toString'), line('d', 'claude-sonnet-4-5')]);
    assert.deepEqual(Object.keys(summary.usage.perModel).sort(), ['__proto__', 'claude-sonnet-4-5', 'constructor', 'toString']);
    assert.equal(summary.usage.perModel['__proto__'].requests, 1);
    assert.deepEqual([...summary.cost.unknownModels].sort(), ['__proto__', 'constructor', 'toString']);
    assert.equal(Object.getPrototypeOf(summary.usage.perModel), null);
    const text = renderResultsDocument(summary, { batchId: 'msgbatch_01KEYS', now: NOW }).text;
    for (const model of ['__proto__', 'constructor', 'toString']) assert.match(text, new RegExp(`${model}: no price: not in the total for 1 request`));
  });

  it('a retry counts error categories called __proto__ or constructor like any other', async () => {
    const dir = tempDir('keys');
    try {
      const types = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
      const source = writeJsonl(path.join(dir, 'source.jsonl'), types.map((type) => request(`r-${type}`, 'x')));
      const results = writeJsonl(path.join(dir, 'results.jsonl'), types.map((type) => errored(`r-${type}`, type)));
      const build = await buildRetryBatch({ source, resultsPath: results });
      assert.equal(build.customIds.length, 4);
      assert.deepEqual(Object.entries(build.reasons).sort(), types.map((type) => [type, 1]).sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
