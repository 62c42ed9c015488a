import { strict as assert } from 'node:assert';
import type { MessageBatchResult } from '../../../src/api';
import { fenced, renderResultJson, renderResultMarkdown } from '../../../src/domain/results';
import { EVERY_BLOCK } from './blocks';
import { ended, errored, succeeded } from './helpers';

/** What each block must show in full view (Markdown; untrusted names and URLs escaped). */
const EXPECTED_MARKDOWN: Record<keyof typeof EVERY_BLOCK, string[]> = {
  text: ['Paris is the capital.\nSecond line.', '**Citations**', '- “Paris is the capital of France” — Atlas', '- “from the web” — Paris — Wikipedia, https\\:\\/\\/en\\.wikipedia\\.org\\/wiki\\/Paris'],
  thinking: ['**Thinking**', '> First I consider the question.\n> Then I answer.'],
  redacted_thinking: ['**Redacted thinking**: 12 characters of encrypted data, not shown.'],
  tool_use: ['**Tool call**: get\\_weather (toolu\\_01A)', '```json\n{\n  "city": "Paris",\n  "days": 3\n}\n```'],
  server_tool_use: ['**Server tool call**: web\\_search (srvtoolu\\_01B)', '"query": "capital of France"'],
  web_search_tool_result: ['**Web search results** for srvtoolu\\_01B', '1. Paris — https\\:\\/\\/example\\.com\\/paris (2 days ago)', '2. France — https\\:\\/\\/example\\.com\\/france'],
  web_fetch_tool_result: ['**Web fetch**: https\\:\\/\\/example\\.com\\/page, retrieved 2026\\-01\\-01T00\\:00\\:00Z', 'Title: Example page', '```text\nFetched page text.\n```'],
  code_execution_tool_result: ['**Code execution**: return code 0', 'stdout:', '```text\nhello from python\n```', 'Output files: file\\_plot'],
  bash_code_execution_tool_result: ['**Bash**: return code 2', 'stderr:', '```text\nls: cannot access nowhere\n```'],
  text_editor_code_execution_tool_result: ['**Text editor**: text\\_editor\\_code\\_execution\\_str\\_replace\\_result', '"-old line"', '"+new line"'],
  tool_search_tool_result: ['**Tool search** found get\\_weather, get\\_time'],
  container_upload: ['**Container upload**: file file\\_upload\\_1'],
};

describe('a result in full, as Markdown and as raw JSON', () => {
  for (const [type, block] of Object.entries(EVERY_BLOCK)) {
    it(`shows a ${type} block whole`, () => {
      const text = renderResultMarkdown('req-1', succeeded('req-1', [block]).result, { batchId: 'msgbatch_1' });
      for (const expected of EXPECTED_MARKDOWN[type as keyof typeof EVERY_BLOCK]) assert.ok(text.includes(expected), `${type}: ${JSON.stringify(expected)} not in\n${text}`);
    });
  }

  it('cuts nothing: a reply of a million characters is all there', () => {
    const long = 'word '.repeat(200_000);
    const text = renderResultMarkdown('big', succeeded('big', long).result);
    assert.ok(text.includes(long.trimEnd()));
  });

  it('errors, expired and canceled results say what happened', () => {
    const failed = renderResultMarkdown('bad-1', errored('bad-1', 'invalid_request_error', 'prompt is too long').result);
    assert.match(failed, /## Error\n\nType: invalid\\_request\\_error\n\n```text\nprompt is too long\n```\n\nRequest id: req\\_bad\\-1/);
    assert.match(renderResultMarkdown('late', ended('late', 'expired').result), /Not processed within 24 hours/);
    assert.match(renderResultMarkdown('gone', ended('gone', 'canceled').result), /Canceled before it was processed/);
    assert.match(renderResultMarkdown('new', { type: 'deferred', x: 1 } as unknown as MessageBatchResult), /"type": "deferred"/);
  });

  it('text from web pages reads as itself: no link, image, HTML or closed fence, controls shown', () => {
    const hostile = succeeded('h', [
      {
        type: 'web_search_tool_result',
        tool_use_id: 'x',
        content: [{ type: 'web_search_result', title: '[click](javascript:alert(1)) <img src=x onerror=alert(1)>', url: 'https://evil.example/`x`', page_age: null, encrypted_content: '' }],
      },
      {
        type: 'web_fetch_tool_result',
        tool_use_id: 'y',
        content: { type: 'web_fetch_result', url: 'https://evil.example', retrieved_at: null, content: { type: 'document', title: '**bold**', citations: null, source: { type: 'text', media_type: 'text/plain', data: 'before\n````\n# Not a heading\n<script>alert(1)</script>\u202eevil' } } },
      },
    ]);
    const text = renderResultMarkdown('h', hostile.result);
    assert.ok(text.includes('\\[click\\]\\(javascript\\:alert\\(1\\)\\) \\<img src\\=x onerror\\=alert\\(1\\)\\>'), text);
    assert.ok(text.includes('Title: \\*\\*bold\\*\\*'));
    // The page's four backticks cannot close a fence of five.
    assert.ok(text.includes('`````text\nbefore\n````\n# Not a heading\n<script>alert(1)</script><U+202E>evil\n`````'), text);
    assert.ok(!/[\u202a-\u202e]/.test(text));
  });

  it('fences are longer than any backtick run inside', () => {
    assert.equal(fenced('a ``` b ```` c'), '`````text\na ``` b ```` c\n`````');
    assert.equal(fenced('plain'), '```text\nplain\n```');
  });

  it('raw JSON: the whole line, pretty, controls as JSON escapes', () => {
    const line = { custom_id: 'a', result: { type: 'succeeded', message: { content: [{ type: 'text', text: 'x\u202ey' }] } } };
    const text = renderResultJson(line);
    assert.deepEqual(JSON.parse(text), line);
    assert.ok(text.includes('\\u202e'));
  });
});
