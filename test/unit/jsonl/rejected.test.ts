import { strict as assert } from 'node:assert';
import { validateBatchText, type Diagnostic } from '../../../src/domain/jsonl';
import { brief, columnOf, request } from './helpers';

const P = '"params":{"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{"role":"user","content":"Hello"}]}';

/** Where a diagnostic should start: a column, the first occurrence of a marker, or a function of the text. */
type Where = number | string | [marker: string, occurrence: number] | ((text: string) => number);

interface Expected {
  code: string;
  severity?: 'error' | 'warning';
  message: string | RegExp;
  line?: number;
  at: Where;
  related?: { line: number; column: number };
}

interface Case {
  name: string;
  text: string;
  expect: Expected[];
}

function column(text: string, where: Where): number {
  if (typeof where === 'number') return where;
  if (typeof where === 'string') return columnOf(text, where);
  if (Array.isArray(where)) return columnOf(text, where[0], where[1]);
  return where(text);
}

/** Column just after a marker: for pointing at the value that follows a key. */
const after =
  (marker: string): ((text: string) => number) =>
  (text) =>
    columnOf(text, marker) + marker.length;

const msgs = (messages: unknown[]) => ({ messages });

const CASES: Case[] = [
  // ---- invalid JSON: the column where parsing failed
  {
    name: 'a trailing comma',
    text: `{"custom_id":"a",${P},}`,
    expect: [{ code: 'invalid-json', at: ',}', message: `invalid JSON at column ${P.length + 18}: trailing comma before '}': remove it` }],
  },
  {
    name: 'a pretty-printed object (the line ends inside it)',
    text: '{',
    expect: [{ code: 'invalid-json', at: 2, message: 'invalid JSON at column 2: the line ends inside an object: each request must be one complete JSON object on a single line' }],
  },
  {
    name: 'single quotes',
    text: "{'custom_id': 'a'}",
    expect: [{ code: 'invalid-json', at: 2, message: /^invalid JSON at column 2: property names must be in double quotes/ }],
  },
  {
    name: 'an unterminated string',
    text: '{"custom_id":"abc',
    expect: [{ code: 'invalid-json', at: '"abc', message: /^invalid JSON at column 14: unterminated string/ }],
  },
  {
    name: 'two objects on one line',
    text: `{"custom_id":"a",${P}}{"custom_id":"b",${P}}`,
    expect: [{ code: 'invalid-json', at: '{"custom_id":"b"', message: /a second object starts here: put each request on its own line/ }],
  },
  {
    name: 'a missing comma between properties',
    text: `{"custom_id":"a" ${P}}`,
    expect: [{ code: 'invalid-json', at: '"params"', message: /missing ',' between properties/ }],
  },
  {
    name: 'a raw tab inside a string',
    text: `{"custom_id":"a\tb",${P}}`,
    expect: [{ code: 'invalid-json', at: '\t', message: /raw control character U\+0009 inside a string: escape it/ }],
  },
  {
    name: 'a comment',
    text: `{"custom_id":"a", // first\n`.trimEnd(),
    expect: [{ code: 'invalid-json', at: '//', message: /expected a property name in double quotes, found '\/'/ }],
  },
  // ---- not an object
  { name: 'an array', text: '[1,2]', expect: [{ code: 'not-an-object', at: 1, message: /got an array: put each request on its own line instead of a list$/ }] },
  { name: 'a string', text: '"request"', expect: [{ code: 'not-an-object', at: 1, message: 'each line must be a JSON object {"custom_id": "…", "params": {…}}, got a string' }] },
  { name: 'a number', text: '42', expect: [{ code: 'not-an-object', at: 1, message: /got a number$/ }] },
  { name: 'null', text: 'null', expect: [{ code: 'not-an-object', at: 1, message: /got null$/ }] },
  // ---- top-level keys
  {
    name: 'a params key at the top level',
    text: `{"custom_id":"a",${P},"model":"x"}`,
    expect: [{ code: 'unknown-key', at: ['"model"', 2], message: '"model" belongs inside "params": a request line has only "custom_id" and "params" (the API rejects the whole batch otherwise)' }],
  },
  {
    name: 'an unknown top-level key',
    text: `{"custom_id":"a","id":"b",${P}}`,
    expect: [{ code: 'unknown-key', at: '"id"', message: '"id" is not allowed here: a request line has only "custom_id" and "params"; the API rejects the whole batch. Did you mean "custom_id"?' }],
  },
  // ---- custom_id
  {
    name: 'a missing custom_id',
    text: `{${P}}`,
    expect: [{ code: 'missing-custom-id', at: 1, message: 'this request has no "custom_id": add a unique id (1–64 letters, digits, "_" or "-") to match its result' }],
  },
  {
    name: 'a numeric custom_id',
    text: `{"custom_id":17,${P}}`,
    expect: [{ code: 'custom-id-not-string', at: '17', message: 'custom_id must be a string, got the number 17: write it in quotes ("17")' }],
  },
  {
    name: 'a custom_id with a space',
    text: request('a b'),
    expect: [{ code: 'invalid-custom-id', at: '"a b"', message: 'custom_id "a b" is invalid: use 1–64 letters, digits, "_" or "-" (" " is not allowed)' }],
  },
  {
    name: 'a custom_id of 65 characters',
    text: request('x'.repeat(65)),
    expect: [{ code: 'invalid-custom-id', at: '"xxx', message: /^custom_id "x{37}…" is invalid: use 1–64 letters, digits, "_" or "-" \(it has 65 characters\)$/ }],
  },
  { name: 'an empty custom_id', text: request(''), expect: [{ code: 'invalid-custom-id', at: '""', message: 'custom_id is empty: use 1–64 letters, digits, "_" or "-"' }] },
  { name: 'a non-ASCII custom_id', text: request('café'), expect: [{ code: 'invalid-custom-id', at: '"café"', message: /\("é" is not allowed\)$/ }] },
  {
    name: 'a duplicated custom_id (pointing at both lines)',
    text: [request('dup'), request('other'), request('dup')].join('\n'),
    expect: [
      {
        code: 'duplicate-custom-id',
        line: 3,
        at: 14,
        message: 'custom_id "dup" is already used on line 1: each custom_id must be unique within a batch (the API rejects the whole batch); rename this one',
        related: { line: 1, column: 14 },
      },
    ],
  },
  {
    name: 'a duplicated custom_id placed after params',
    text: [`{${P},"custom_id":"late"}`, `{${P}, "custom_id": "late"}`].join('\n'),
    expect: [{ code: 'duplicate-custom-id', line: 2, at: '"late"', message: /already used on line 1/, related: { line: 1, column: P.length + 15 } }],
  },
  // ---- params
  { name: 'missing params', text: '{"custom_id":"a"}', expect: [{ code: 'missing-params', at: 1, message: 'this request has no "params": add {"model": …, "max_tokens": …, "messages": […]}' }] },
  { name: 'params as an array', text: '{"custom_id":"a","params":[]}', expect: [{ code: 'params-not-object', at: '[]', message: '"params" must be an object with "model", "max_tokens" and "messages", got an array' }] },
  {
    name: 'a missing model',
    text: request('a', { model: undefined }),
    expect: [{ code: 'missing-model', at: '"params"', message: 'params has no "model": add the model to use, e.g. "model": "claude-sonnet-4-5"' }],
  },
  {
    name: 'a missing max_tokens',
    text: request('a', { max_tokens: undefined }),
    expect: [{ code: 'missing-max-tokens', at: '"params"', message: 'params has no "max_tokens": add the most tokens the answer may use, e.g. "max_tokens": 1024' }],
  },
  {
    name: 'missing messages',
    text: request('a', { messages: undefined }),
    expect: [{ code: 'missing-messages', at: '"params"', message: 'params has no "messages": add the conversation, e.g. "messages": [{"role": "user", "content": "Hello"}]' }],
  },
  { name: 'a numeric model', text: request('a', { model: 3 }), expect: [{ code: 'invalid-model', at: after('"model":'), message: '"model" must be a model name such as "claude-sonnet-4-5", got the number 3' }] },
  { name: 'an empty model', text: request('a', { model: '' }), expect: [{ code: 'invalid-model', at: after('"model":'), message: /got a string \(""\)$/ }] },
  {
    name: 'max_tokens as a string',
    text: request('a', { max_tokens: '1024' }),
    expect: [{ code: 'invalid-max-tokens', at: '"1024"', message: '"max_tokens" must be a positive whole number such as 1024, got a string ("1024"): write the number without quotes' }],
  },
  { name: 'a negative max_tokens', text: request('a', { max_tokens: -1 }), expect: [{ code: 'invalid-max-tokens', at: '-1', message: /got the number -1$/ }] },
  { name: 'a fractional max_tokens', text: request('a', { max_tokens: 1.5 }), expect: [{ code: 'invalid-max-tokens', at: '1.5', message: /got the number 1.5$/ }] },
  {
    name: 'max_tokens 0 (a warning: it only pre-warms the cache)',
    text: request('a', { max_tokens: 0 }),
    expect: [{ code: 'max-tokens-zero', severity: 'warning', at: after('"max_tokens":'), message: /generates no answer/ }],
  },
  { name: 'messages as an object', text: request('a', { messages: { role: 'user' } }), expect: [{ code: 'invalid-messages', at: after('"messages":'), message: /must be an array of \{"role", "content"\} objects, got an object$/ }] },
  { name: 'empty messages', text: request('a', { messages: [] }), expect: [{ code: 'empty-messages', at: '[]', message: /^"messages" is empty: add at least one message/ }] },
  { name: 'a message that is a string', text: request('a', msgs(['Hello'])), expect: [{ code: 'invalid-message', at: '"Hello"', message: /^messages\[0\] must be an object like/ }] },
  { name: 'an unknown role', text: request('a', msgs([{ role: 'bot', content: 'x' }])), expect: [{ code: 'invalid-role', at: '"bot"', message: 'messages[0].role must be "user" or "assistant", got a string ("bot")' }] },
  { name: 'a message without a role', text: request('a', msgs([{ content: 'x' }])), expect: [{ code: 'invalid-role', at: '{"content"', message: 'messages[0] has no "role": add "role": "user" or "assistant"' }] },
  {
    name: 'the first message from the assistant',
    text: request('a', msgs([{ role: 'assistant', content: 'Hi' }, { role: 'user', content: 'x' }])),
    expect: [{ code: 'first-message-not-user', at: '"assistant"', message: 'the first message must come from the user, not the assistant: add a user message before messages[0]' }],
  },
  { name: 'numeric content', text: request('a', msgs([{ role: 'user', content: 42 }])), expect: [{ code: 'invalid-content', at: '42', message: 'messages[0].content must be a string or an array of content blocks, got the number 42' }] },
  { name: 'a message without content', text: request('a', msgs([{ role: 'user' }])), expect: [{ code: 'invalid-content', at: '{"role"', message: /^messages\[0\] has no "content"/ }] },
  { name: 'empty user content', text: request('a', msgs([{ role: 'user', content: '' }])), expect: [{ code: 'empty-content', at: '""', message: /^messages\[0\] has empty content: only a final assistant message may be empty/ }] },
  {
    name: 'an empty text block',
    text: request('a', msgs([{ role: 'user', content: [{ type: 'text', text: '' }] }])),
    expect: [{ code: 'empty-content', at: '""', message: 'text blocks must not be empty: remove the block or add text' }],
  },
  {
    name: 'a prefill ending in whitespace',
    text: request('a', msgs([{ role: 'user', content: 'x' }, { role: 'assistant', content: 'The answer is ' }])),
    expect: [{ code: 'prefill-trailing-whitespace', at: '"The answer', message: /must not end with whitespace/ }],
  },
  // ---- content blocks
  {
    name: 'a block without a type',
    text: request('a', msgs([{ role: 'user', content: [{ text: 'x' }] }])),
    expect: [{ code: 'unknown-block-type', at: '{"text"', message: 'messages[0].content[0] has no "type": add one of "text", "image", "document", "tool_use", "tool_result" or "thinking"' }],
  },
  {
    name: 'a misspelt block type',
    text: request('a', msgs([{ role: 'user', content: [{ type: 'imag' }] }])),
    expect: [{ code: 'unknown-block-type', at: '"imag"', message: '"imag" is not a content block type: use "text", "image", "document", "tool_use", "tool_result" or "thinking"' }],
  },
  {
    name: 'a tool_result-only block type in a message',
    text: request('a', msgs([{ role: 'user', content: [{ type: 'tool_reference', tool_name: 't' }] }])),
    expect: [{ code: 'unknown-block-type', at: '"tool_reference"', message: /^"tool_reference" blocks are not allowed in messages\[0\]\.content: use/ }],
  },
  {
    name: 'an image of an unsupported media type',
    text: request('a', msgs([{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AAAA' } }] }])),
    expect: [{ code: 'invalid-block', at: '"image/bmp"', message: 'image source.media_type must be "image/jpeg", "image/png", "image/gif" or "image/webp", got a string ("image/bmp")' }],
  },
  {
    name: 'an image url source without url',
    text: request('a', msgs([{ role: 'user', content: [{ type: 'image', source: { type: 'url' } }] }])),
    expect: [{ code: 'invalid-block', at: '{"type":"url"}', message: 'a url image source needs a "url" string' }],
  },
  {
    name: 'a base64 document that is not a PDF',
    text: request('a', msgs([{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'text/plain', data: 'aGk=' } }] }])),
    expect: [{ code: 'invalid-block', at: '"text/plain"', message: /must have media_type "application\/pdf".*for plain text use \{"type": "text"/ }],
  },
  {
    name: 'a tool_use without input',
    text: request('a', msgs([{ role: 'user', content: 'x' }, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f' }] }])),
    expect: [{ code: 'invalid-block', at: '{"type":"tool_use"', message: 'a tool_use block needs an "input" object, got undefined' }],
  },
  {
    name: 'a text block whose text is a number',
    text: request('a', msgs([{ role: 'user', content: [{ type: 'text', text: 5 }] }])),
    expect: [{ code: 'invalid-block', at: '5}', message: '"text" of a text block must be a string, got the number 5' }],
  },
  {
    name: 'a tool_result for an unknown tool_use',
    text: request('a', msgs([{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'x' }] }])),
    expect: [{ code: 'unknown-tool-use-id', at: '"toolu_9"', message: /^tool_result answers tool_use_id "toolu_9", but the assistant message before it has no tool_use with that id/ }],
  },
  {
    name: 'a tool_use left without tool_result',
    text: request(
      'a',
      msgs([
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] },
        { role: 'user', content: 'no result here' },
      ]),
    ),
    expect: [{ code: 'missing-tool-result', at: '"toolu_1"', message: /^tool_use "toolu_1" has no tool_result in the user message after it/ }],
  },
  // ---- system
  { name: 'a numeric system', text: request('a', { system: 5 }), expect: [{ code: 'invalid-system', at: after('"system":'), message: /^"system" must be a string or an array of text blocks/ }] },
  {
    name: 'an image block in system',
    text: request('a', { system: [{ type: 'image', source: { type: 'url', url: 'u' } }] }),
    expect: [{ code: 'unknown-block-type', at: '"image"', message: '"image" blocks are not allowed in system: use "text"' }],
  },
  // ---- tools and tool_choice
  { name: 'tools as an object', text: request('a', { tools: {} }), expect: [{ code: 'invalid-tools', at: after('"tools":'), message: '"tools" must be an array of tool definitions, got an object' }] },
  {
    name: 'a tool without input_schema',
    text: request('a', { tools: [{ name: 'f' }] }),
    expect: [{ code: 'invalid-tools', at: '{"name":"f"}', message: /^tools\[0\] needs an "input_schema" object/ }],
  },
  {
    name: 'a tool name with a space',
    text: request('a', { tools: [{ name: 'get weather', input_schema: { type: 'object' } }] }),
    expect: [{ code: 'invalid-tools', at: '"get weather"', message: 'tools[0].name must be 1–128 letters, digits, "_" or "-", got a string ("get weather")' }],
  },
  {
    name: 'an input_schema that is not an object schema',
    text: request('a', { tools: [{ name: 'f', input_schema: { type: 'array' } }] }),
    expect: [{ code: 'invalid-tools', at: '"array"', message: 'tools[0].input_schema.type must be "object", got a string ("array")' }],
  },
  {
    name: 'two tools with one name',
    text: request('a', { tools: [{ name: 'f', input_schema: { type: 'object' } }, { name: 'f', input_schema: { type: 'object' } }] }),
    expect: [{ code: 'duplicate-tool-name', at: ['"f"', 2], message: 'tool name "f" is used twice: tool names must be unique within a request' }],
  },
  {
    name: 'an unknown tool_choice type',
    text: request('a', { tool_choice: { type: 'required' } }),
    expect: [{ code: 'invalid-tool-choice', at: '"required"', message: '"tool_choice" must be {"type": "auto", "any", "tool" or "none"} (with "name" for "tool"), got a string ("required")' }],
  },
  {
    name: 'tool_choice tool without a name',
    text: request('a', { tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: { type: 'tool' } }),
    expect: [{ code: 'invalid-tool-choice', at: after('"tool_choice":'), message: 'tool_choice {"type": "tool"} needs the "name" of the tool to use, got undefined' }],
  },
  {
    name: 'tool_choice naming a tool not defined',
    text: request('a', { tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: { type: 'tool', name: 'g' } }),
    expect: [{ code: 'invalid-tool-choice', at: '"g"', message: /^tool_choice names the tool "g", which is not in "tools"/ }],
  },
  // ---- thinking
  { name: 'an unknown thinking type', text: request('a', { thinking: { type: 'on' } }), expect: [{ code: 'invalid-thinking', at: '"on"', message: /^"thinking" must be \{"type": "enabled", "disabled", "adaptive" or "between_tools"\}/ }] },
  {
    name: 'a thinking budget under 1024',
    text: request('a', { thinking: { type: 'enabled', budget_tokens: 100 } }),
    expect: [{ code: 'invalid-thinking', at: '100', message: 'thinking {"type": "enabled"} needs "budget_tokens", a whole number of at least 1024, got the number 100' }],
  },
  {
    name: 'a thinking budget not under max_tokens (a warning)',
    text: request('a', { max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 4096 } }),
    expect: [{ code: 'thinking-budget-too-large', severity: 'warning', at: '4096', message: /^thinking.budget_tokens \(4096\) must be less than max_tokens \(2048\)/ }],
  },
  {
    name: 'five cache breakpoints',
    text: request('a', { system: Array.from({ length: 5 }, (_, i) => ({ type: 'text', text: `part ${i}`, cache_control: { type: 'ephemeral' } })) }),
    expect: [{ code: 'too-many-cache-breakpoints', at: '"params"', message: 'this request has 5 cache_control breakpoints; the API allows at most 4: remove some' }],
  },
  // ---- other parameters
  { name: 'metadata as a string', text: request('a', { metadata: 'x' }), expect: [{ code: 'invalid-param', at: '"x"', message: '"metadata" must be an object such as {"user_id": "…"}, got a string ("x")' }] },
  { name: 'a numeric metadata.user_id', text: request('a', { metadata: { user_id: 5 } }), expect: [{ code: 'invalid-param', at: '5}', message: 'metadata.user_id must be a string, got the number 5' }] },
  { name: 'stop_sequences as a string', text: request('a', { stop_sequences: 'END' }), expect: [{ code: 'invalid-param', at: '"END"', message: '"stop_sequences" must be an array of strings, got a string ("END")' }] },
  { name: 'a numeric stop sequence', text: request('a', { stop_sequences: ['a', 7] }), expect: [{ code: 'invalid-param', at: '7]', message: 'stop_sequences[1] must be a string, got the number 7' }] },
  { name: 'an unknown service_tier', text: request('a', { service_tier: 'batch' }), expect: [{ code: 'invalid-param', at: '"batch"', message: '"service_tier" must be "auto" or "standard_only", got a string ("batch")' }] },
  {
    name: 'an unknown cache_control type',
    text: request('a', { system: [{ type: 'text', text: 'x', cache_control: { type: 'persistent' } }] }),
    expect: [{ code: 'invalid-param', at: '{"type":"persistent"}', message: /^cache_control must be \{"type": "ephemeral"\}/ }],
  },
  { name: 'an unknown effort', text: request('a', { output_config: { effort: 'extreme' } }), expect: [{ code: 'invalid-param', at: '"extreme"', message: /^output_config.effort must be "low", "medium", "high", "xhigh" or "max"/ }] },
  { name: 'stream as a string', text: request('a', { stream: 'yes' }), expect: [{ code: 'invalid-param', at: '"yes"', message: '"stream" must be false or absent in a batch, got a string ("yes")' }] },
  {
    name: 'stream: true',
    text: request('a', { stream: true }),
    expect: [{ code: 'stream-not-allowed', at: '"stream"', message: '"stream": true is not allowed in a batch (results are collected when the batch ends): remove it' }],
  },
  ...['temperature', 'top_p', 'top_k'].map(
    (key): Case => ({
      name: `${key} (rejected by API version 2026-10-21)`,
      text: request('a', { [key]: 0.5 }),
      expect: [{ code: 'unsupported-param', at: `"${key}"`, message: `"${key}" is rejected by the current API version (2026-10-21): remove it, or the request comes back errored` }],
    }),
  ),
  {
    name: 'an unknown parameter (a warning)',
    text: request('a', { foo: 1 }),
    expect: [{ code: 'unknown-param', severity: 'warning', at: '"foo"', message: '"foo" is not a Messages API parameter; the API will reject this request: remove it' }],
  },
  {
    name: 'a camelCase parameter, with a suggestion',
    text: request('a', { stopSequences: ['x'] }),
    expect: [{ code: 'unknown-param', severity: 'warning', at: '"stopSequences"', message: '"stopSequences" is not a Messages API parameter; the API will reject this request. Did you mean "stop_sequences"?' }],
  },
  {
    name: 'a misspelt parameter, with a suggestion',
    text: request('a', { sytem: 'x' }),
    expect: [{ code: 'unknown-param', severity: 'warning', at: '"sytem"', message: /Did you mean "system"\?$/ }],
  },
  {
    name: 'an unknown metadata field',
    text: request('a', { metadata: { user_id: 'u', session: 's' } }),
    expect: [{ code: 'unknown-param', severity: 'warning', at: '"session"', message: '"session" is not a metadata field (only "user_id" is); the API will reject this request' }],
  },
  {
    name: 'an unknown message field',
    text: request('a', msgs([{ role: 'user', content: 'x', name: 'bob' }])),
    expect: [{ code: 'unknown-param', severity: 'warning', at: '"name"', message: '"name" is not a message field (only "role" and "content" are); the API will reject this request' }],
  },
  {
    name: 'an SDK header option in params',
    text: request('a', { betas: ['files-api-2025-04-14'] }),
    expect: [{ code: 'header-param', severity: 'warning', at: '"betas"', message: /^"betas" is an SDK option sent as a header, not a Messages API parameter/ }],
  },
  // ---- several problems on one line are all reported, in column order
  {
    name: 'several problems on one line',
    text: '{"custom_id":"a b","params":{"model":"claude-sonnet-4-5","max_tokens":"10","temperature":1,"messages":[{"role":"assistant","content":"x"}]},"extra":1}',
    expect: [
      { code: 'invalid-custom-id', at: '"a b"', message: /^custom_id "a b" is invalid/ },
      { code: 'invalid-max-tokens', at: '"10"', message: /write the number without quotes$/ },
      { code: 'unsupported-param', at: '"temperature"', message: /^"temperature" is rejected/ },
      { code: 'first-message-not-user', at: '"assistant"', message: /^the first message must come from the user/ },
      { code: 'unknown-key', at: '"extra"', message: /^"extra" is not allowed here/ },
    ],
  },
];

function check(diagnostic: Diagnostic, expected: Expected, lines: string[]): void {
  const line = expected.line ?? 1;
  const text = lines[line - 1];
  assert.equal(diagnostic.code, expected.code);
  assert.equal(diagnostic.severity, expected.severity ?? 'error', `severity of ${diagnostic.code}`);
  assert.equal(diagnostic.line, line, `line of ${diagnostic.code}`);
  assert.equal(diagnostic.column, column(text, expected.at), `column of ${diagnostic.code}`);
  if (typeof expected.message === 'string') assert.equal(diagnostic.message, expected.message);
  else assert.match(diagnostic.message, expected.message);
  if (diagnostic.endColumn !== undefined) assert.ok(diagnostic.endColumn >= diagnostic.column, 'the range is well-formed');
  if (expected.related) {
    assert.deepEqual(
      diagnostic.related?.map((r) => ({ line: r.line, column: r.column })),
      [expected.related],
    );
  }
}

describe('jsonl validator: rejected requests', () => {
  for (const c of CASES) {
    it(`flags ${c.name}`, () => {
      const result = validateBatchText(c.text);
      const lines = c.text.split('\n');
      assert.deepEqual(
        result.diagnostics.map((d) => d.code),
        c.expect.map((e) => e.code),
        `diagnostics were:\n${brief(result.diagnostics).join('\n')}`,
      );
      result.diagnostics.forEach((d, i) => check(d, c.expect[i], lines));
      const errors = c.expect.filter((e) => (e.severity ?? 'error') === 'error').length;
      assert.equal(result.errorCount, errors);
      assert.equal(result.warningCount, c.expect.length - errors);
    });
  }

  it('does not send lines with errors but does send lines with only warnings', () => {
    const text = [request('ok'), request('bad', { model: 3 }), request('warned', { foo: 1 })].join('\n');
    const sent: string[] = [];
    const result = validateBatchText(text, { onRequestLine: (line) => sent.push(line.customId) });
    assert.deepEqual(sent, ['ok', 'warned']);
    assert.equal(result.requestCount, 3);
    assert.equal(result.acceptedCount, 2);
  });

  it('gives the range of the offending value', () => {
    const text = request('a', { max_tokens: '1024' });
    const [d] = validateBatchText(text).diagnostics;
    assert.equal(text.slice(d.column - 1, (d.endColumn ?? 0) - 1), '"1024"');
  });
});
