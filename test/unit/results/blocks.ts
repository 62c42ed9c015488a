import type Anthropic from '@anthropic-ai/sdk';

type ContentBlock = Anthropic.Messages.ContentBlock;

/**
 * One block of every type the SDK's `ContentBlock` union has. Typed as a mapped type over the
 * union, so this file stops compiling when the SDK adds a block type: the renderer's tests then
 * have to say how the new one reads.
 */
export const EVERY_BLOCK: { [K in ContentBlock['type']]: Extract<ContentBlock, { type: K }> } = {
  text: {
    type: 'text',
    text: 'Paris is the capital.\nSecond line.',
    citations: [
      { type: 'char_location', cited_text: 'Paris is the capital of France', document_index: 0, document_title: 'Atlas', start_char_index: 10, end_char_index: 40, file_id: null },
      { type: 'page_location', cited_text: 'on page three', document_index: 1, document_title: null, start_page_number: 3, end_page_number: 5, file_id: null },
      { type: 'web_search_result_location', cited_text: 'from the web', encrypted_index: 'x', title: 'Paris — Wikipedia', url: 'https://en.wikipedia.org/wiki/Paris' },
    ],
  },
  thinking: { type: 'thinking', thinking: 'First I consider the question.\nThen I answer.', signature: 'sig' },
  redacted_thinking: { type: 'redacted_thinking', data: 'ZW5jcnlwdGVk' },
  tool_use: { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris', days: 3 }, caller: { type: 'direct' } },
  server_tool_use: { type: 'server_tool_use', id: 'srvtoolu_01B', name: 'web_search', input: { query: 'capital of France' }, caller: { type: 'direct' } },
  web_search_tool_result: {
    type: 'web_search_tool_result',
    tool_use_id: 'srvtoolu_01B',
    caller: { type: 'direct' },
    content: [
      { type: 'web_search_result', title: 'Paris', url: 'https://example.com/paris', page_age: '2 days ago', encrypted_content: 'zzz' },
      { type: 'web_search_result', title: 'France', url: 'https://example.com/france', page_age: null, encrypted_content: 'yyy' },
    ],
  },
  web_fetch_tool_result: {
    type: 'web_fetch_tool_result',
    tool_use_id: 'srvtoolu_01C',
    caller: { type: 'direct' },
    content: {
      type: 'web_fetch_result',
      url: 'https://example.com/page',
      retrieved_at: '2026-01-01T00:00:00Z',
      content: { type: 'document', title: 'Example page', citations: null, source: { type: 'text', media_type: 'text/plain', data: 'Fetched page text.' } },
    },
  },
  code_execution_tool_result: {
    type: 'code_execution_tool_result',
    tool_use_id: 'srvtoolu_01D',
    content: { type: 'code_execution_result', return_code: 0, stdout: 'hello from python\n', stderr: '', content: [{ type: 'code_execution_output', file_id: 'file_plot' }] },
  },
  bash_code_execution_tool_result: {
    type: 'bash_code_execution_tool_result',
    tool_use_id: 'srvtoolu_01E',
    content: { type: 'bash_code_execution_result', return_code: 2, stdout: '', stderr: 'ls: cannot access nowhere', content: [] },
  },
  text_editor_code_execution_tool_result: {
    type: 'text_editor_code_execution_tool_result',
    tool_use_id: 'srvtoolu_01F',
    content: { type: 'text_editor_code_execution_str_replace_result', old_start: 3, old_lines: 2, new_start: 3, new_lines: 1, lines: ['-old line', '+new line'] },
  },
  tool_search_tool_result: {
    type: 'tool_search_tool_result',
    tool_use_id: 'srvtoolu_01G',
    content: { type: 'tool_search_tool_search_result', tool_references: [{ type: 'tool_reference', tool_name: 'get_weather' }, { type: 'tool_reference', tool_name: 'get_time' }] },
  },
  container_upload: { type: 'container_upload', file_id: 'file_upload_1' },
};

/** What each block must show in the document (each string must appear). */
export const EXPECTED_TEXT: Record<ContentBlock['type'], string[]> = {
  text: ['    Paris is the capital.', '    Second line.', '[cites] "Paris is the capital of France" — Atlas, characters 10–39', '"on page three" — document 2, pages 3–4', 'Paris — Wikipedia <https://en.wikipedia.org/wiki/Paris>'],
  thinking: ['    thinking:', '    > First I consider the question.', '    > Then I answer.'],
  redacted_thinking: ['[redacted thinking: 12 characters of encrypted data, not shown]'],
  tool_use: ['    tool call: get_weather (toolu_01A)', '      {', '        "city": "Paris",', '        "days": 3'],
  server_tool_use: ['    server tool call: web_search (srvtoolu_01B)', '        "query": "capital of France"'],
  web_search_tool_result: ['web search results (2) for srvtoolu_01B:', '      1. Paris <https://example.com/paris> (2 days ago)', '      2. France <https://example.com/france>'],
  web_fetch_tool_result: ['web fetch: <https://example.com/page> retrieved 2026-01-01T00:00:00Z', 'title: Example page', 'Fetched page text.'],
  code_execution_tool_result: ['code execution: return code 0', 'stdout:', 'hello from python', 'output files: file_plot'],
  bash_code_execution_tool_result: ['bash: return code 2', 'stderr:', 'ls: cannot access nowhere'],
  text_editor_code_execution_tool_result: ['text editor: replaced lines 3–4 (now line 3)', '-old line', '+new line'],
  tool_search_tool_result: ['tool search found get_weather, get_time'],
  container_upload: ['container upload: file file_upload_1'],
};
