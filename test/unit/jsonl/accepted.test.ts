import { strict as assert } from 'node:assert';
import { validateBatchText, type AcceptedLine } from '../../../src/domain/jsonl';
import { brief, request } from './helpers';

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PDF_BASE64 = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF').toString('base64');

/** Everything the Messages API accepts in a batch request must pass without a single diagnostic. */
const ACCEPTED: [string, string][] = [
  ['the minimal request', request('minimal')],
  [
    'tools with every tool_choice, custom and server tools',
    request('tools', {
      tools: [
        {
          name: 'get_weather',
          description: 'Get the weather for a city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          cache_control: { type: 'ephemeral' },
        },
        { type: 'custom', name: 'lookup', input_schema: { type: 'object' }, strict: true },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
        { type: 'bash_20250124', name: 'bash' },
        { type: 'mcp_toolset', mcp_server_name: 'docs' },
      ],
      tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true },
    }),
  ],
  ['tool_choice auto', request('tc-auto', { tools: [{ name: 't', input_schema: { type: 'object' } }], tool_choice: { type: 'auto' } })],
  ['tool_choice any', request('tc-any', { tools: [{ name: 't', input_schema: { type: 'object' } }], tool_choice: { type: 'any' } })],
  ['tool_choice none', request('tc-none', { tools: [{ name: 't', input_schema: { type: 'object' } }], tool_choice: { type: 'none' } })],
  ['system as a string', request('system-string', { system: 'You are terse.' })],
  [
    'system blocks with cache_control (5m and 1h)',
    request('system-blocks', {
      system: [
        { type: 'text', text: 'You are a contract reviewer.', cache_control: { type: 'ephemeral', ttl: '1h' } },
        { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
      ],
    }),
  ],
  [
    'image blocks: base64, url and file',
    request('images', {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' }, cache_control: { type: 'ephemeral' } },
            { type: 'image', source: { type: 'file', file_id: 'file_011' } },
            { type: 'text', text: 'What is in these images?' },
          ],
        },
      ],
    }),
  ],
  [
    'document blocks: base64 PDF, plain text, content, url and file',
    request('documents', {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF_BASE64 }, title: 'Report', citations: { enabled: true } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Plain text to read.' }, context: 'a memo' },
            { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'chunk one' }, { type: 'text', text: 'chunk two' }] } },
            { type: 'document', source: { type: 'content', content: 'one string' } },
            { type: 'document', source: { type: 'url', url: 'https://example.com/paper.pdf' } },
            { type: 'document', source: { type: 'file', file_id: 'file_012' } },
            { type: 'text', text: 'Summarise the documents.' },
          ],
        },
      ],
    }),
  ],
  ['thinking enabled with a budget under max_tokens', request('thinking', { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 } })],
  ['thinking adaptive', request('thinking-adaptive', { thinking: { type: 'adaptive', display: 'summarized' } })],
  ['thinking disabled', request('thinking-disabled', { thinking: { type: 'disabled' } })],
  ['metadata', request('metadata', { metadata: { user_id: 'user-123' } })],
  [
    'a multi-turn conversation ending in a prefill',
    request('multi-turn', {
      messages: [
        { role: 'user', content: 'Hello there.' },
        { role: 'assistant', content: "Hi, I'm Claude. How can I help you?" },
        { role: 'user', content: [{ type: 'text', text: 'Can you explain LLMs in plain English?' }] },
        { role: 'assistant', content: 'The best answer is (' },
      ],
    }),
  ],
  ['an empty final assistant message', request('prefill-empty', { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: '' }] })],
  [
    'tool_use and tool_result blocks',
    request('tool-turns', {
      tools: [{ name: 'get_stock_price', input_schema: { type: 'object', properties: { ticker: { type: 'string' } } } }],
      messages: [
        { role: 'user', content: "What's the S&P 500 at today?" },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check.' },
            { type: 'tool_use', id: 'toolu_01', name: 'get_stock_price', input: { ticker: '^GSPC' } },
            { type: 'tool_use', id: 'toolu_02', name: 'get_stock_price', input: { ticker: 'AAPL' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01', content: '259.75 USD' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_02',
              is_error: false,
              content: [
                { type: 'text', text: 'chart:' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } },
              ],
              cache_control: { type: 'ephemeral' },
            },
          ],
        },
      ],
    }),
  ],
  [
    'thinking, redacted_thinking and server tool blocks in an assistant turn',
    request('assistant-blocks', {
      messages: [
        { role: 'user', content: 'Search for it.' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Let me think.', signature: 'sig' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
            { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
            { type: 'text', text: 'Found it.' },
          ],
        },
        { role: 'user', content: 'Thanks, and now?' },
      ],
    }),
  ],
  [
    'a search_result block',
    request('search-result', {
      messages: [{ role: 'user', content: [{ type: 'search_result', source: 'https://example.com', title: 'Example', content: [{ type: 'text', text: 'Result text' }] }, { type: 'text', text: 'Use it.' }] }],
    }),
  ],
  ['a system message inside messages', request('system-message', { messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'Hi' }] })],
  [
    'every other Messages API parameter',
    request('everything', {
      stop_sequences: ['\n\nHuman:', 'END'],
      stream: false,
      service_tier: 'standard_only',
      speed: 'fast',
      inference_geo: 'us',
      container: 'container_011',
      cache_control: { type: 'ephemeral' },
      diagnostics: { previous_message_id: 'msg_01' },
      output_config: { effort: 'high', format: { type: 'json_schema', schema: { type: 'object', properties: { answer: { type: 'number' } } } } },
    }),
  ],
  [
    'beta parameters: mcp_servers, context_management, output_format',
    request('beta', {
      mcp_servers: [{ type: 'url', name: 'docs', url: 'https://mcp.example.com/sse', authorization_token: 't' }],
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      output_format: { type: 'json_schema', schema: { type: 'object' } },
      container: { id: null, skills: [{ skill_id: 'pptx', type: 'anthropic', version: 'latest' }] },
    }),
  ],
  ['a 64-character custom_id of every allowed character', request('abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789')],
  ['unicode text', request('unicode', { messages: [{ role: 'user', content: 'Résumé — 東京 😀 “quotes”' }] })],
  ['custom_id after params', JSON.stringify({ params: { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, custom_id: 'late-id' })],
  ['surrounding whitespace and tabs', `  \t${request('spaced')}\t  `],
  ['pretty spacing inside the line', '{ "custom_id" : "spaced-inside" , "params" : { "model" : "claude-sonnet-4-5" , "max_tokens" : 5 , "messages" : [ { "role" : "user" , "content" : "x" } ] } }'],
];

describe('jsonl validator: accepted requests', () => {
  for (const [name, line] of ACCEPTED) {
    it(`accepts ${name}`, () => {
      assert.ok(!line.includes('\n'), 'one line');
      const result = validateBatchText(`${line}\n`);
      assert.deepEqual(brief(result.diagnostics), []);
      assert.equal(result.errorCount, 0);
      assert.equal(result.warningCount, 0);
      assert.equal(result.requestCount, 1);
      assert.equal(result.acceptedCount, 1);
    });
  }

  it('accepts the whole corpus as one file and reports every line to onRequestLine, in order', () => {
    const text = ACCEPTED.map(([, line]) => line).join('\n');
    const seen: AcceptedLine[] = [];
    const result = validateBatchText(text, { onRequestLine: (line) => seen.push(line) });
    assert.deepEqual(brief(result.diagnostics), []);
    assert.equal(result.requestCount, ACCEPTED.length);
    assert.equal(result.lines, ACCEPTED.length);
    assert.deepEqual(
      seen.map((s) => s.line),
      ACCEPTED.map((_, i) => i + 1),
    );
    // The JSON to send is the line itself, trimmed, and parses back to the request.
    for (const accepted of seen) {
      const original = ACCEPTED[accepted.line - 1][1];
      assert.equal(accepted.json, original.trim());
      assert.equal((JSON.parse(accepted.json) as { custom_id: string }).custom_id, accepted.customId);
    }
  });

  it('summarises requests, max_tokens and estimated input per model', () => {
    const text = [
      request('a', { model: 'claude-haiku-4-5', max_tokens: 100 }),
      request('b', { model: 'claude-haiku-4-5', max_tokens: 200 }),
      request('c', { model: 'claude-opus-4-7', max_tokens: 50, messages: [{ role: 'user', content: 'x'.repeat(35) }] }),
      request('bad', { model: 'claude-opus-4-7', max_tokens: -1 }),
    ].join('\n');
    const result = validateBatchText(text);
    assert.equal(result.errorCount, 1);
    assert.deepEqual(result.models, {
      // "Hello": 5 chars / 3.5 + 4 tokens for the message → 6 tokens each
      'claude-haiku-4-5': { requests: 2, maxTokens: 300, estimatedInputTokens: 12 },
      // 35 chars / 3.5 = 10, + 4 → 14
      'claude-opus-4-7': { requests: 1, maxTokens: 50, estimatedInputTokens: 14 },
    });
  });
});
