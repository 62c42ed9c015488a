// Rules for params.messages and the content blocks inside them (also used for system blocks).
// Block types and their required fields follow MessageCreateParams in @anthropic-ai/sdk 1.12,
// beta types included (a batch may carry beta features when created with the beta header).
// Only what the API checks for certain is an error; block types added later than this list show
// as unknown, so keep the list in step with the SDK.

import { RuleCode } from './codes';
import { describe, isPlainObject, LineFindings, oneOf, quote } from './issues';
import type { JsonPath } from './jsonLocator';
import { base64DecodedBytes } from '../cost/tokenEstimate';

const P_MESSAGES: JsonPath = ['params', 'messages'];

/** Block types accepted in a message's content. */
const MESSAGE_BLOCK_TYPES: ReadonlySet<string> = new Set([
  'text',
  'image',
  'document',
  'search_result',
  'thinking',
  'redacted_thinking',
  'tool_use',
  'tool_result',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
  // beta
  'advisor_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
  'compaction',
  'tool_addition',
  'tool_removal',
  'mcp_tool_listing',
  'fallback',
]);

/** Block types accepted inside a tool_result's content. */
const TOOL_RESULT_BLOCK_TYPES: ReadonlySet<string> = new Set([
  'text',
  'image',
  'search_result',
  'document',
  'tool_reference',
  'browser_state',
]);

const SYSTEM_BLOCK_TYPES: ReadonlySet<string> = new Set(['text']);
const DOCUMENT_SOURCE_BLOCK_TYPES: ReadonlySet<string> = new Set(['text', 'image']);

const COMMON_TYPES = oneOf(['text', 'image', 'document', 'tool_use', 'tool_result', 'thinking']);
const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const MESSAGE_KEYS: ReadonlySet<string> = new Set(['role', 'content']);
const CACHE_TTLS = ['5m', '1h'];
const MAX_WALK_DEPTH = 64;

/** Roughly how many characters a JSON value takes (keys, strings and scalars), for the estimate. */
export function jsonChars(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object' || value === null) return 5;
  if (depth > MAX_WALK_DEPTH) return 0;
  let n = 2;
  if (Array.isArray(value)) {
    for (const item of value) n += jsonChars(item, depth + 1) + 1;
    return n;
  }
  for (const key in value) n += key.length + 4 + jsonChars((value as Record<string, unknown>)[key], depth + 1);
  return n;
}

/** Checks an optional cache_control value and counts it as a breakpoint. */
export function checkCacheControl(value: unknown, path: JsonPath, f: LineFindings): void {
  if (value === undefined || value === null) return;
  f.cacheBreakpoints++;
  if (!isPlainObject(value) || value.type !== 'ephemeral') {
    f.error(RuleCode.invalidParam, path, `cache_control must be {"type": "ephemeral"} (optionally with "ttl": "5m" or "1h"), got ${describe(value)}`);
    return;
  }
  if (value.ttl !== undefined && !CACHE_TTLS.includes(value.ttl as string)) {
    f.error(RuleCode.invalidParam, [...path, 'ttl'], `cache_control.ttl must be ${oneOf(CACHE_TTLS)}, got ${describe(value.ttl)}`);
  }
}

function requireString(block: Record<string, unknown>, key: string, base: JsonPath, what: string, f: LineFindings): string | undefined {
  const value = block[key];
  if (typeof value === 'string') return value;
  if (value === undefined) f.error(RuleCode.invalidBlock, base, `${what} needs a "${key}" string`, 'value');
  else f.error(RuleCode.invalidBlock, [...base, key], `"${key}" of ${what} must be a string, got ${describe(value)}`);
  return undefined;
}

/**
 * Tool-use bookkeeping across one messages array: the tool_use ids of the latest assistant turn
 * that the user turn after it has not answered yet.
 */
class ToolTurn {
  open: Map<string, JsonPath> | undefined;

  add(id: string, path: JsonPath): void {
    (this.open ??= new Map()).set(id, path);
  }

  answer(id: string): boolean {
    return this.open?.delete(id) ?? false;
  }
}

/**
 * Checks one content block. `allowed` is the set of types valid where it sits; `toolTurn`
 * collects tool_use ids (assistant) or answers them (user).
 */
function checkBlock(
  block: unknown,
  base: JsonPath,
  allowed: ReadonlySet<string>,
  where: string,
  f: LineFindings,
  role?: string,
  toolTurn?: ToolTurn,
): void {
  if (!isPlainObject(block)) {
    f.error(RuleCode.invalidContent, base, `${where} must be a content block object such as {"type": "text", "text": "…"}, got ${describe(block)}`);
    return;
  }
  const type = block.type;
  if (typeof type !== 'string') {
    f.error(
      RuleCode.unknownBlockType,
      type === undefined ? base : [...base, 'type'],
      type === undefined ? `${where} has no "type": add one of ${COMMON_TYPES}` : `"type" of ${where} must be a string, got ${describe(type)}`,
    );
    return;
  }
  if (!allowed.has(type)) {
    const known = MESSAGE_BLOCK_TYPES.has(type) || TOOL_RESULT_BLOCK_TYPES.has(type);
    const options = allowed === SYSTEM_BLOCK_TYPES ? '"text"' : allowed === TOOL_RESULT_BLOCK_TYPES ? oneOf([...TOOL_RESULT_BLOCK_TYPES]) : COMMON_TYPES;
    f.error(
      RuleCode.unknownBlockType,
      [...base, 'type'],
      known ? `"${type}" blocks are not allowed in ${where.replace(/\[\d+\]$/, '')}: use ${options}` : `${quote(type)} is not a content block type: use ${options}`,
    );
    return;
  }
  checkCacheControl(block.cache_control, [...base, 'cache_control'], f);
  const tally = f.tally;
  switch (type) {
    case 'text': {
      const text = requireString(block, 'text', base, 'a text block', f);
      if (text === undefined) break;
      tally.textChars += text.length;
      if (text.length === 0) f.error(RuleCode.emptyContent, [...base, 'text'], 'text blocks must not be empty: remove the block or add text');
      break;
    }
    case 'image':
      tally.images++;
      checkImageSource(block.source, [...base, 'source'], f);
      break;
    case 'document':
      checkDocument(block, base, f);
      break;
    case 'tool_use':
    case 'server_tool_use':
    case 'mcp_tool_use': {
      const id = requireString(block, 'id', base, `a ${type} block`, f);
      const name = requireString(block, 'name', base, `a ${type} block`, f);
      if (name !== undefined) tally.textChars += name.length;
      if (!isPlainObject(block.input)) {
        f.error(RuleCode.invalidBlock, block.input === undefined ? base : [...base, 'input'], `a ${type} block needs an "input" object, got ${describe(block.input)}`);
      } else {
        tally.textChars += jsonChars(block.input);
      }
      if (type !== 'server_tool_use' && id !== undefined && role === 'assistant' && toolTurn) toolTurn.add(id, base);
      break;
    }
    case 'tool_result':
    case 'mcp_tool_result': {
      const id = requireString(block, 'tool_use_id', base, `a ${type} block`, f);
      if (id !== undefined && role === 'user' && toolTurn) {
        if (!toolTurn.answer(id)) {
          f.error(
            RuleCode.unknownToolUseId,
            [...base, 'tool_use_id'],
            `${type} answers tool_use_id ${quote(id)}, but the assistant message before it has no tool_use with that id: each tool_result must answer a tool_use of the immediately preceding assistant turn`,
          );
        }
      }
      if (block.is_error !== undefined && typeof block.is_error !== 'boolean') {
        f.error(RuleCode.invalidBlock, [...base, 'is_error'], `"is_error" must be true or false, got ${describe(block.is_error)}`);
      }
      const content = block.content;
      if (typeof content === 'string') {
        tally.textChars += content.length;
      } else if (Array.isArray(content)) {
        for (let k = 0; k < content.length; k++) {
          checkBlock(content[k], [...base, 'content', k], TOOL_RESULT_BLOCK_TYPES, `${type} content[${k}]`, f);
        }
      } else if (content !== undefined) {
        f.error(RuleCode.invalidBlock, [...base, 'content'], `the content of a ${type} must be a string or an array of blocks, got ${describe(content)}`);
      }
      break;
    }
    case 'thinking': {
      const thinking = requireString(block, 'thinking', base, 'a thinking block', f);
      requireString(block, 'signature', base, 'a thinking block', f);
      if (thinking !== undefined) tally.textChars += thinking.length;
      break;
    }
    case 'redacted_thinking':
      requireString(block, 'data', base, 'a redacted_thinking block', f);
      break;
    case 'search_result': {
      requireString(block, 'source', base, 'a search_result block', f);
      const title = requireString(block, 'title', base, 'a search_result block', f);
      if (title !== undefined) tally.textChars += title.length;
      if (!Array.isArray(block.content)) {
        f.error(RuleCode.invalidBlock, block.content === undefined ? base : [...base, 'content'], `a search_result block needs a "content" array of text blocks, got ${describe(block.content)}`);
      } else {
        for (let k = 0; k < block.content.length; k++) {
          checkBlock(block.content[k], [...base, 'content', k], SYSTEM_BLOCK_TYPES, `search_result content[${k}]`, f);
        }
      }
      break;
    }
    default:
      // Server tool results, compaction, listings…: counted, not checked field by field.
      tally.textChars += jsonChars(block);
  }
}

function checkImageSource(source: unknown, path: JsonPath, f: LineFindings): void {
  if (!isPlainObject(source)) {
    f.error(RuleCode.invalidBlock, path, `an image block needs a "source" object ({"type": "base64", "media_type": "image/png", "data": "…"}, {"type": "url", "url": "…"} or {"type": "file", "file_id": "…"}), got ${describe(source)}`);
    return;
  }
  switch (source.type) {
    case 'base64':
      if (!IMAGE_MEDIA_TYPES.includes(source.media_type as string)) {
        f.error(RuleCode.invalidBlock, source.media_type === undefined ? path : [...path, 'media_type'], `image source.media_type must be ${oneOf(IMAGE_MEDIA_TYPES)}, got ${describe(source.media_type)}`);
      }
      requireString(source, 'data', path, 'a base64 image source', f);
      break;
    case 'url':
      requireString(source, 'url', path, 'a url image source', f);
      break;
    case 'file':
      requireString(source, 'file_id', path, 'a file image source', f);
      break;
    default:
      f.error(RuleCode.invalidBlock, source.type === undefined ? path : [...path, 'type'], `image source.type must be ${oneOf(['base64', 'url', 'file'])}, got ${describe(source.type)}`);
  }
}

function checkDocument(block: Record<string, unknown>, base: JsonPath, f: LineFindings): void {
  const tally = f.tally;
  if (typeof block.title === 'string') tally.textChars += block.title.length;
  if (typeof block.context === 'string') tally.textChars += block.context.length;
  const source = block.source;
  const path = [...base, 'source'];
  if (!isPlainObject(source)) {
    f.error(RuleCode.invalidBlock, block.source === undefined ? base : path, `a document block needs a "source" object (base64 PDF, text, content, url or file), got ${describe(source)}`);
    return;
  }
  switch (source.type) {
    case 'base64': {
      if (source.media_type !== 'application/pdf') {
        const hint = source.media_type === 'text/plain' ? ' (for plain text use {"type": "text", "media_type": "text/plain", "data": "…"})' : '';
        f.error(RuleCode.invalidBlock, source.media_type === undefined ? path : [...path, 'media_type'], `a base64 document must have media_type "application/pdf", got ${describe(source.media_type)}${hint}`);
      }
      const data = requireString(source, 'data', path, 'a base64 document source', f);
      if (data !== undefined) tally.pdfBytes += base64DecodedBytes(data);
      break;
    }
    case 'text': {
      if (source.media_type !== 'text/plain') {
        f.error(RuleCode.invalidBlock, source.media_type === undefined ? path : [...path, 'media_type'], `a text document must have media_type "text/plain", got ${describe(source.media_type)}`);
      }
      const data = requireString(source, 'data', path, 'a text document source', f);
      if (data !== undefined) tally.textChars += data.length;
      break;
    }
    case 'content': {
      const content = source.content;
      if (typeof content === 'string') {
        tally.textChars += content.length;
      } else if (Array.isArray(content)) {
        for (let k = 0; k < content.length; k++) {
          checkBlock(content[k], [...path, 'content', k], DOCUMENT_SOURCE_BLOCK_TYPES, `document source content[${k}]`, f);
        }
      } else {
        f.error(RuleCode.invalidBlock, content === undefined ? path : [...path, 'content'], `a content document source needs "content": a string or an array of text and image blocks, got ${describe(content)}`);
      }
      break;
    }
    case 'url':
      requireString(source, 'url', path, 'a url document source', f);
      tally.unsizedDocuments++;
      break;
    case 'file':
      requireString(source, 'file_id', path, 'a file document source', f);
      tally.unsizedDocuments++;
      break;
    default:
      f.error(RuleCode.invalidBlock, source.type === undefined ? path : [...path, 'type'], `document source.type must be ${oneOf(['base64', 'text', 'content', 'url', 'file'])}, got ${describe(source.type)}`);
  }
}

/** system: a string or an array of text blocks. */
export function checkSystem(system: unknown, f: LineFindings): void {
  if (typeof system === 'string') {
    f.tally.textChars += system.length;
    return;
  }
  if (!Array.isArray(system)) {
    f.error(RuleCode.invalidSystem, ['params', 'system'], `"system" must be a string or an array of text blocks ([{"type": "text", "text": "…"}]), got ${describe(system)}`);
    return;
  }
  for (let k = 0; k < system.length; k++) {
    checkBlock(system[k], ['params', 'system', k], SYSTEM_BLOCK_TYPES, `system[${k}]`, f);
  }
}

function reportUnanswered(turn: ToolTurn | undefined, f: LineFindings): void {
  if (!turn?.open) return;
  for (const [id, path] of turn.open) {
    f.error(
      RuleCode.missingToolResult,
      [...path, 'id'],
      `tool_use ${quote(id)} has no tool_result in the user message after it: the API requires a tool_result for every tool_use, in the next user message`,
    );
  }
  turn.open.clear();
}

/** params.messages: a non-empty array of {role, content}, starting with a user message. */
export function checkMessages(messages: unknown, f: LineFindings): void {
  if (!Array.isArray(messages)) {
    f.error(RuleCode.invalidMessages, P_MESSAGES, `"messages" must be an array of {"role", "content"} objects, got ${describe(messages)}`);
    return;
  }
  if (messages.length === 0) {
    f.error(RuleCode.emptyMessages, P_MESSAGES, '"messages" is empty: add at least one message, e.g. [{"role": "user", "content": "Hello"}]');
    return;
  }
  const tally = f.tally;
  const last = messages.length - 1;
  let sawConversation = false;
  let turn: ToolTurn | undefined;
  // The role of the previous user/assistant message, for tool_use/tool_result pairing.
  let previousRole: string | undefined;
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isPlainObject(message)) {
      f.error(RuleCode.invalidMessage, ['params', 'messages', i], `messages[${i}] must be an object like {"role": "user", "content": "…"}, got ${describe(message)}`);
      continue;
    }
    tally.messages++;
    const role = message.role;
    const validRole = role === 'user' || role === 'assistant' || role === 'system';
    if (!validRole) {
      f.error(
        RuleCode.invalidRole,
        role === undefined ? ['params', 'messages', i] : ['params', 'messages', i, 'role'],
        role === undefined ? `messages[${i}] has no "role": add "role": "user" or "assistant"` : `messages[${i}].role must be "user" or "assistant", got ${describe(role)}`,
      );
    } else if (role !== 'system' && !sawConversation) {
      sawConversation = true;
      if (role === 'assistant') {
        f.error(RuleCode.firstMessageNotUser, ['params', 'messages', i, 'role'], `the first message must come from the user, not the assistant: add a user message before messages[${i}]`);
      }
    }
    for (const key in message) {
      if (!MESSAGE_KEYS.has(key)) {
        f.warning(RuleCode.unknownParam, ['params', 'messages', i, key], `"${key}" is not a message field (only "role" and "content" are); the API will reject this request`, 'key');
      }
    }

    // A new assistant turn closes the user turn that had to answer the previous tool_use blocks.
    if (role === 'assistant' && previousRole !== 'assistant') reportUnanswered(turn, f);

    const isPrefill = i === last && role === 'assistant';
    const content = message.content;
    if (typeof content === 'string') {
      tally.textChars += content.length;
      if (content.length === 0 && !isPrefill) {
        f.error(RuleCode.emptyContent, ['params', 'messages', i, 'content'], `messages[${i}] has empty content: only a final assistant message may be empty; write the text or remove the message`);
      } else if (isPrefill && content.length > 0 && isWhitespace(content.charCodeAt(content.length - 1))) {
        f.error(RuleCode.prefillTrailingWhitespace, ['params', 'messages', i, 'content'], 'the final assistant message (a prefill) must not end with whitespace: remove the trailing spaces or newlines');
      }
    } else if (Array.isArray(content)) {
      if (content.length === 0 && !isPrefill) {
        f.error(RuleCode.emptyContent, ['params', 'messages', i, 'content'], `messages[${i}] has no content blocks: add at least one, or remove the message`);
      }
      const allowed = role === 'system' ? SYSTEM_BLOCK_TYPES : MESSAGE_BLOCK_TYPES;
      turn ??= new ToolTurn();
      for (let j = 0; j < content.length; j++) {
        checkBlock(content[j], ['params', 'messages', i, 'content', j], allowed, `messages[${i}].content[${j}]`, f, role as string, turn);
      }
      if (isPrefill && content.length > 0) {
        const lastBlock: unknown = content[content.length - 1];
        if (isPlainObject(lastBlock) && lastBlock.type === 'text' && typeof lastBlock.text === 'string' && lastBlock.text.length > 0 && isWhitespace(lastBlock.text.charCodeAt(lastBlock.text.length - 1))) {
          f.error(RuleCode.prefillTrailingWhitespace, ['params', 'messages', i, 'content', content.length - 1, 'text'], 'the final assistant message (a prefill) must not end with whitespace: remove the trailing spaces or newlines');
        }
      }
    } else {
      f.error(
        RuleCode.invalidContent,
        content === undefined ? ['params', 'messages', i] : ['params', 'messages', i, 'content'],
        content === undefined ? `messages[${i}] has no "content": add the message text, e.g. "content": "Hello"` : `messages[${i}].content must be a string or an array of content blocks, got ${describe(content)}`,
      );
    }
    if (role === 'user' || role === 'assistant') previousRole = role;
  }
  // An assistant turn with tool_use at the very end is a prefill: nothing to answer yet.
  if (previousRole === 'user') reportUnanswered(turn, f);
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
