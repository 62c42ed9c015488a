import { errorEnvelope } from './errors';
import { derivedId } from './ids';
import type { ForcedOutcome } from './types';
import { paramsProblem } from './validation';

// What each request turns into. At create time a request's params are reduced to a small plan
// (outcome kind plus the few values its result needs), so a batch of 100,000 requests costs a few
// small objects each, and results are rendered line by line only when downloaded.

/** s = succeeded, e = errored, c = canceled (forced), x = expired (forced). */
export type PlanKind = 's' | 'e' | 'c' | 'x';

/** Compact per-request plan; short keys because it is also what the state file stores. */
export interface RequestPlan {
  /** custom_id */
  id: string;
  k: PlanKind;
  /** model (succeeded) */
  m?: string;
  /** reply text before any max_tokens cut (succeeded) */
  r?: string;
  /** input tokens (succeeded) */
  it?: number;
  /** max_tokens (succeeded) */
  mt?: number;
  /** error type (errored) */
  et?: string;
  /** error message (errored) */
  em?: string;
  /** 1: the reply holds one block of every kind (BLOCKS_MARKER) */
  bl?: 1;
}

export const MARKERS: readonly ForcedOutcome[] = ['api_error', 'overloaded_error', 'invalid_request_error', 'expired', 'canceled'];
const MARKER_PATTERN = /\[\[emulator:(api_error|overloaded_error|invalid_request_error|expired|canceled)\]\]/;

const FORCED_ERROR_MESSAGE: Record<string, string> = {
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
  invalid_request_error: 'prompt is too long: 212417 tokens > 200000 maximum',
};

/** In the first user message: the reply is that message's text verbatim, line breaks and all. */
export const ECHO_MARKER = '[[emulator:echo]]';

/** In the first user message: the reply holds one content block of every kind a reply can hold. */
export const BLOCKS_MARKER = '[[emulator:blocks]]';

/**
 * A reply with thinking, redacted thinking, text with citations (of a document and of a web page),
 * a tool call, a server tool call with web search results, a fetched web page, code execution and
 * bash output: what results with extended thinking, tools and citations look like.
 */
export function everyBlockContent(): Json[] {
  return [
    { type: 'thinking', thinking: 'Let me think about the capital.\nIt is Paris.', signature: 'sig_emulated' },
    { type: 'redacted_thinking', data: 'ZW5jcnlwdGVkIHRob3VnaHRz' },
    {
      type: 'text',
      text: 'The capital of France is **Paris**.',
      citations: [
        { type: 'char_location', cited_text: 'Paris is the capital of France', document_index: 0, document_title: 'Atlas', start_char_index: 0, end_char_index: 30, file_id: null },
        { type: 'web_search_result_location', cited_text: 'Paris, capital city', encrypted_index: 'eidx', title: 'Paris - Wikipedia', url: 'https://en.wikipedia.org/wiki/Paris' },
      ],
    },
    { type: 'tool_use', id: 'toolu_emulated', name: 'get_weather', input: { city: 'Paris', days: 3 } },
    { type: 'server_tool_use', id: 'srvtoolu_emulated', name: 'web_search', input: { query: 'capital of France' } },
    {
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_emulated',
      content: [{ type: 'web_search_result', title: 'Paris [click](https://evil.example)', url: 'https://example.com/paris', page_age: '2 days ago', encrypted_content: 'enc' }],
    },
    {
      type: 'web_fetch_tool_result',
      tool_use_id: 'srvtoolu_fetch',
      content: { type: 'web_fetch_result', url: 'https://example.com/page', retrieved_at: '2026-01-01T00:00:00Z', content: { type: 'document', title: 'Example page', citations: null, source: { type: 'text', media_type: 'text/plain', data: 'Fetched page text.\n```\n<script>alert(1)</script>' } } },
    },
    { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_code', content: { type: 'code_execution_result', return_code: 0, stdout: 'hello from python\n', stderr: '', content: [] } },
    { type: 'bash_code_execution_tool_result', tool_use_id: 'srvtoolu_bash', content: { type: 'bash_code_execution_result', return_code: 2, stdout: '', stderr: 'ls: cannot access nowhere', content: [] } },
  ];
}

const SNIPPET_CHARS = 60;
export const REPLY_PREFIX = 'Emulated reply to: ';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The readable text of a content value: a string, or the text inside an array of blocks. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const block of content) {
    if (typeof block === 'string') parts.push(block);
    if (!isObject(block)) continue;
    if (typeof block.text === 'string') parts.push(block.text);
    else if (block.type === 'tool_result') parts.push(textOf(block.content));
    else if (block.type === 'document' && isObject(block.source)) {
      if (block.source.type === 'text' && typeof block.source.data === 'string') parts.push(block.source.data);
      else if (block.source.type === 'content') parts.push(textOf(block.source.content));
    }
  }
  return parts.join('\n');
}

/** The first `[[emulator:…]]` marker in any string anywhere inside the messages. */
export function findMarker(messages: unknown): ForcedOutcome | null {
  const stack: unknown[] = [messages];
  let visited = 0;
  while (stack.length > 0 && visited++ < 100_000) {
    const value = stack.pop();
    if (typeof value === 'string') {
      const match = MARKER_PATTERN.exec(value);
      if (match) return match[1] as ForcedOutcome;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
    } else if (isObject(value)) {
      const values = Object.values(value);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
    }
  }
  return null;
}

function snippetOf(messages: unknown[]): string {
  const firstUser = messages.find((m) => isObject(m) && m.role === 'user') as Json | undefined;
  const text = textOf(firstUser?.content).replace(/\s+/g, ' ').trim();
  if (!text) return '(no text)';
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text;
}

/** The reply text of a request that succeeds: its first user message verbatim with the echo marker, else a snippet of it. */
function replyOf(messages: unknown[]): string {
  const firstUser = messages.find((m) => isObject(m) && m.role === 'user') as Json | undefined;
  const text = textOf(firstUser?.content);
  return text.includes(ECHO_MARKER) ? text : REPLY_PREFIX + snippetOf(messages);
}

function promptChars(params: Json): number {
  let chars = textOf(params.system).length;
  for (const message of params.messages as unknown[]) {
    if (isObject(message)) chars += textOf(message.content).length;
  }
  return chars;
}

/** Reduces one request to its plan. Params problems win over markers; `forced` wins over markers. */
export function planRequest(customId: string, params: unknown, apiVersion: string, forced?: ForcedOutcome): RequestPlan {
  const problem = paramsProblem(params, apiVersion);
  if (problem !== null) return { id: customId, k: 'e', et: 'invalid_request_error', em: problem };
  const p = params as Json;
  const outcome = forced ?? findMarker(p.messages);
  if (outcome === 'canceled') return { id: customId, k: 'c' };
  if (outcome === 'expired') return { id: customId, k: 'x' };
  if (outcome !== null) return { id: customId, k: 'e', et: outcome, em: FORCED_ERROR_MESSAGE[outcome] };
  const firstUser = (p.messages as unknown[]).find((m) => isObject(m) && m.role === 'user') as Json | undefined;
  return {
    id: customId,
    k: 's',
    m: p.model as string,
    r: replyOf(p.messages as unknown[]),
    it: Math.max(1, Math.ceil(promptChars(p) / 4)),
    mt: p.max_tokens as number,
    ...(textOf(firstUser?.content).includes(BLOCKS_MARKER) ? { bl: 1 as const } : {}),
  };
}

/** The SDK's `Message`, with every field it declares. */
export function renderMessage(plan: RequestPlan, batchId: string, index: number): Json {
  const full = plan.r ?? '';
  const maxTokens = plan.mt ?? 1;
  let text = full;
  let outputTokens = Math.max(1, Math.ceil(full.length / 4));
  let stopReason = 'end_turn';
  if (outputTokens > maxTokens) {
    text = full.slice(0, maxTokens * 4);
    outputTokens = maxTokens;
    stopReason = 'max_tokens';
  }
  return {
    id: derivedId('msg_', batchId, index),
    type: 'message',
    role: 'assistant',
    model: plan.m,
    content: plan.bl ? everyBlockContent() : [{ type: 'text', text, citations: null }],
    stop_reason: plan.bl ? 'end_turn' : stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: plan.it ?? 1,
      output_tokens: outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      server_tool_use: null,
      service_tier: 'batch',
      inference_geo: null,
      output_tokens_details: null,
      speed: 'standard',
    },
  };
}

export type FinalKind = 'succeeded' | 'errored' | 'canceled' | 'expired';

export function planKindName(kind: PlanKind): FinalKind {
  return kind === 's' ? 'succeeded' : kind === 'e' ? 'errored' : kind === 'c' ? 'canceled' : 'expired';
}

/** One JSONL result line (without the newline). `final` overrides the plan when the batch was canceled or expired first. */
export function renderResultLine(plan: RequestPlan, batchId: string, index: number, final: FinalKind): string {
  let result: Json;
  switch (final) {
    case 'succeeded':
      result = { type: 'succeeded', message: renderMessage(plan, batchId, index) };
      break;
    case 'errored':
      result = {
        type: 'errored',
        error: errorEnvelope(plan.et ?? 'api_error', plan.em ?? 'Internal server error', derivedId('req_', batchId, index)),
      };
      break;
    default:
      result = { type: final };
  }
  return JSON.stringify({ custom_id: plan.id, result });
}
