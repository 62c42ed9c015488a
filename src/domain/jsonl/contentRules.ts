// Rules for params.messages and the content blocks inside them (also used for system blocks).
// Block types and their required fields follow MessageCreateParams in @anthropic-ai/sdk 1.12,
// beta types included (a batch may carry beta features when created with the beta header).
// Only what the API checks for certain is an error; block types added later than this list show
// as unknown, so keep the list in step with the SDK.

import * as l10n from '@vscode/l10n';
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
    f.error(RuleCode.invalidParam, path, l10n.t('cache_control must be {"type": "ephemeral"} (optionally with "ttl": "5m" or "1h"), got {0}', describe(value)));
    return;
  }
  if (value.ttl !== undefined && !CACHE_TTLS.includes(value.ttl as string)) {
    f.error(RuleCode.invalidParam, [...path, 'ttl'], l10n.t('cache_control.ttl must be {0}, got {1}', oneOf(CACHE_TTLS), describe(value.ttl)));
  }
}

function requireString(block: Record<string, unknown>, key: string, base: JsonPath, what: string, f: LineFindings): string | undefined {
  const value = block[key];
  if (typeof value === 'string') return value;
  if (value === undefined) f.error(RuleCode.invalidBlock, base, l10n.t('{0} needs a "{1}" string', what, key), 'value');
  else f.error(RuleCode.invalidBlock, [...base, key], l10n.t('"{0}" of {1} must be a string, got {2}', key, what, describe(value)));
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
    f.error(RuleCode.invalidContent, base, l10n.t('{0} must be a content block object such as {"type": "text", "text": "…"}, got {1}', where, describe(block)));
    return;
  }
  const type = block.type;
  if (typeof type !== 'string') {
    f.error(
      RuleCode.unknownBlockType,
      type === undefined ? base : [...base, 'type'],
      type === undefined ? l10n.t('{0} has no "type": add one of {1}', where, COMMON_TYPES) : l10n.t('"type" of {0} must be a string, got {1}', where, describe(type)),
    );
    return;
  }
  if (!allowed.has(type)) {
    const known = MESSAGE_BLOCK_TYPES.has(type) || TOOL_RESULT_BLOCK_TYPES.has(type);
    const options = allowed === SYSTEM_BLOCK_TYPES ? '"text"' : allowed === TOOL_RESULT_BLOCK_TYPES ? oneOf([...TOOL_RESULT_BLOCK_TYPES]) : COMMON_TYPES;
    f.error(
      RuleCode.unknownBlockType,
      [...base, 'type'],
      known ? l10n.t('"{0}" blocks are not allowed in {1}: use {2}', type, where.replace(/\[\d+\]$/, ''), options) : l10n.t('{0} is not a content block type: use {1}', quote(type), options),
    );
    return;
  }
  checkCacheControl(block.cache_control, [...base, 'cache_control'], f);
  const tally = f.tally;
  switch (type) {
    case 'text': {
      const text = requireString(block, 'text', base, l10n.t('a text block'), f);
      if (text === undefined) break;
      tally.textChars += text.length;
      if (text.length === 0) f.error(RuleCode.emptyContent, [...base, 'text'], l10n.t('text blocks must not be empty: remove the block or add text'));
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
      const id = requireString(block, 'id', base, l10n.t('a {0} block', type), f);
      const name = requireString(block, 'name', base, l10n.t('a {0} block', type), f);
      if (name !== undefined) tally.textChars += name.length;
      if (!isPlainObject(block.input)) {
        f.error(RuleCode.invalidBlock, block.input === undefined ? base : [...base, 'input'], l10n.t('a {0} block needs an "input" object, got {1}', type, describe(block.input)));
      } else {
        tally.textChars += jsonChars(block.input);
      }
      if (type !== 'server_tool_use' && id !== undefined && role === 'assistant' && toolTurn) toolTurn.add(id, base);
      break;
    }
    case 'tool_result':
    case 'mcp_tool_result': {
      const id = requireString(block, 'tool_use_id', base, l10n.t('a {0} block', type), f);
      if (id !== undefined && role === 'user' && toolTurn) {
        if (!toolTurn.answer(id)) {
          f.error(
            RuleCode.unknownToolUseId,
            [...base, 'tool_use_id'],
            l10n.t('{0} answers tool_use_id {1}, but the assistant message before it has no tool_use with that id: each tool_result must answer a tool_use of the immediately preceding assistant turn', type, quote(id)),
          );
        }
      }
      if (block.is_error !== undefined && typeof block.is_error !== 'boolean') {
        f.error(RuleCode.invalidBlock, [...base, 'is_error'], l10n.t('"is_error" must be true or false, got {0}', describe(block.is_error)));
      }
      const content = block.content;
      if (typeof content === 'string') {
        tally.textChars += content.length;
      } else if (Array.isArray(content)) {
        for (let k = 0; k < content.length; k++) {
          checkBlock(content[k], [...base, 'content', k], TOOL_RESULT_BLOCK_TYPES, `${type} content[${k}]`, f);
        }
      } else if (content !== undefined) {
        f.error(RuleCode.invalidBlock, [...base, 'content'], l10n.t('the content of a {0} must be a string or an array of blocks, got {1}', type, describe(content)));
      }
      break;
    }
    case 'thinking': {
      const thinking = requireString(block, 'thinking', base, l10n.t('a thinking block'), f);
      requireString(block, 'signature', base, l10n.t('a thinking block'), f);
      if (thinking !== undefined) tally.textChars += thinking.length;
      break;
    }
    case 'redacted_thinking':
      requireString(block, 'data', base, l10n.t('a redacted_thinking block'), f);
      break;
    case 'search_result': {
      requireString(block, 'source', base, l10n.t('a search_result block'), f);
      const title = requireString(block, 'title', base, l10n.t('a search_result block'), f);
      if (title !== undefined) tally.textChars += title.length;
      if (!Array.isArray(block.content)) {
        f.error(RuleCode.invalidBlock, block.content === undefined ? base : [...base, 'content'], l10n.t('a search_result block needs a "content" array of text blocks, got {0}', describe(block.content)));
      } else {
        for (let k = 0; k < block.content.length; k++) {
          checkBlock(block.content[k], [...base, 'content', k], SYSTEM_BLOCK_TYPES, l10n.t('search_result content[{0}]', k), f);
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
    f.error(RuleCode.invalidBlock, path, l10n.t('an image block needs a "source" object ({"type": "base64", "media_type": "image/png", "data": "…"}, {"type": "url", "url": "…"} or {"type": "file", "file_id": "…"}), got {0}', describe(source)));
    return;
  }
  switch (source.type) {
    case 'base64':
      if (!IMAGE_MEDIA_TYPES.includes(source.media_type as string)) {
        f.error(RuleCode.invalidBlock, source.media_type === undefined ? path : [...path, 'media_type'], l10n.t('image source.media_type must be {0}, got {1}', oneOf(IMAGE_MEDIA_TYPES), describe(source.media_type)));
      }
      requireString(source, 'data', path, l10n.t('a base64 image source'), f);
      break;
    case 'url':
      requireString(source, 'url', path, l10n.t('a url image source'), f);
      break;
    case 'file':
      requireString(source, 'file_id', path, l10n.t('a file image source'), f);
      break;
    default:
      f.error(RuleCode.invalidBlock, source.type === undefined ? path : [...path, 'type'], l10n.t('image source.type must be {0}, got {1}', oneOf(['base64', 'url', 'file']), describe(source.type)));
  }
}

function checkDocument(block: Record<string, unknown>, base: JsonPath, f: LineFindings): void {
  const tally = f.tally;
  if (typeof block.title === 'string') tally.textChars += block.title.length;
  if (typeof block.context === 'string') tally.textChars += block.context.length;
  const source = block.source;
  const path = [...base, 'source'];
  if (!isPlainObject(source)) {
    f.error(RuleCode.invalidBlock, block.source === undefined ? base : path, l10n.t('a document block needs a "source" object (base64 PDF, text, content, url or file), got {0}', describe(source)));
    return;
  }
  switch (source.type) {
    case 'base64': {
      if (source.media_type !== 'application/pdf') {
        const hint = source.media_type === 'text/plain' ? l10n.t(' (for plain text use {"type": "text", "media_type": "text/plain", "data": "…"})') : '';
        f.error(RuleCode.invalidBlock, source.media_type === undefined ? path : [...path, 'media_type'], l10n.t('a base64 document must have media_type "application/pdf", got {0}{1}', describe(source.media_type), hint));
      }
      const data = requireString(source, 'data', path, l10n.t('a base64 document source'), f);
      if (data !== undefined) tally.pdfBytes += base64DecodedBytes(data);
      break;
    }
    case 'text': {
      if (source.media_type !== 'text/plain') {
        f.error(RuleCode.invalidBlock, source.media_type === undefined ? path : [...path, 'media_type'], l10n.t('a text document must have media_type "text/plain", got {0}', describe(source.media_type)));
      }
      const data = requireString(source, 'data', path, l10n.t('a text document source'), f);
      if (data !== undefined) tally.textChars += data.length;
      break;
    }
    case 'content': {
      const content = source.content;
      if (typeof content === 'string') {
        tally.textChars += content.length;
      } else if (Array.isArray(content)) {
        for (let k = 0; k < content.length; k++) {
          checkBlock(content[k], [...path, 'content', k], DOCUMENT_SOURCE_BLOCK_TYPES, l10n.t('document source content[{0}]', k), f);
        }
      } else {
        f.error(RuleCode.invalidBlock, content === undefined ? path : [...path, 'content'], l10n.t('a content document source needs "content": a string or an array of text and image blocks, got {0}', describe(content)));
      }
      break;
    }
    case 'url':
      requireString(source, 'url', path, l10n.t('a url document source'), f);
      tally.unsizedDocuments++;
      break;
    case 'file':
      requireString(source, 'file_id', path, l10n.t('a file document source'), f);
      tally.unsizedDocuments++;
      break;
    default:
      f.error(RuleCode.invalidBlock, source.type === undefined ? path : [...path, 'type'], l10n.t('document source.type must be {0}, got {1}', oneOf(['base64', 'text', 'content', 'url', 'file']), describe(source.type)));
  }
}

/** system: a string or an array of text blocks. */
export function checkSystem(system: unknown, f: LineFindings): void {
  if (typeof system === 'string') {
    f.tally.textChars += system.length;
    return;
  }
  if (!Array.isArray(system)) {
    f.error(RuleCode.invalidSystem, ['params', 'system'], l10n.t('"system" must be a string or an array of text blocks ([{"type": "text", "text": "…"}]), got {0}', describe(system)));
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
      l10n.t('tool_use {0} has no tool_result in the user message after it: the API requires a tool_result for every tool_use, in the next user message', quote(id)),
    );
  }
  turn.open.clear();
}

/** params.messages: a non-empty array of {role, content}, starting with a user message. */
export function checkMessages(messages: unknown, f: LineFindings): void {
  if (!Array.isArray(messages)) {
    f.error(RuleCode.invalidMessages, P_MESSAGES, l10n.t('"messages" must be an array of {"role", "content"} objects, got {0}', describe(messages)));
    return;
  }
  if (messages.length === 0) {
    f.error(RuleCode.emptyMessages, P_MESSAGES, l10n.t('"messages" is empty: add at least one message, e.g. [{"role": "user", "content": "Hello"}]'));
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
      f.error(RuleCode.invalidMessage, ['params', 'messages', i], l10n.t('messages[{0}] must be an object like {"role": "user", "content": "…"}, got {1}', i, describe(message)));
      continue;
    }
    tally.messages++;
    const role = message.role;
    const validRole = role === 'user' || role === 'assistant' || role === 'system';
    if (!validRole) {
      f.error(
        RuleCode.invalidRole,
        role === undefined ? ['params', 'messages', i] : ['params', 'messages', i, 'role'],
        role === undefined ? l10n.t('messages[{0}] has no "role": add "role": "user" or "assistant"', i) : l10n.t('messages[{0}].role must be "user" or "assistant", got {1}', i, describe(role)),
      );
    } else if (role !== 'system' && !sawConversation) {
      sawConversation = true;
      if (role === 'assistant') {
        f.error(RuleCode.firstMessageNotUser, ['params', 'messages', i, 'role'], l10n.t('the first message must come from the user, not the assistant: add a user message before messages[{0}]', i));
      }
    }
    for (const key in message) {
      if (!MESSAGE_KEYS.has(key)) {
        f.warning(RuleCode.unknownParam, ['params', 'messages', i, key], l10n.t('"{0}" is not a message field (only "role" and "content" are); the API will reject this request', key), 'key');
      }
    }

    // A new assistant turn closes the user turn that had to answer the previous tool_use blocks.
    if (role === 'assistant' && previousRole !== 'assistant') reportUnanswered(turn, f);

    const isPrefill = i === last && role === 'assistant';
    const content = message.content;
    if (typeof content === 'string') {
      tally.textChars += content.length;
      if (content.length === 0 && !isPrefill) {
        f.error(RuleCode.emptyContent, ['params', 'messages', i, 'content'], l10n.t('messages[{0}] has empty content: only a final assistant message may be empty; write the text or remove the message', i));
      } else if (isPrefill && content.length > 0 && isWhitespace(content.charCodeAt(content.length - 1))) {
        f.error(RuleCode.prefillTrailingWhitespace, ['params', 'messages', i, 'content'], l10n.t('the final assistant message (a prefill) must not end with whitespace: remove the trailing spaces or newlines'));
      }
    } else if (Array.isArray(content)) {
      if (content.length === 0 && !isPrefill) {
        f.error(RuleCode.emptyContent, ['params', 'messages', i, 'content'], l10n.t('messages[{0}] has no content blocks: add at least one, or remove the message', i));
      }
      const allowed = role === 'system' ? SYSTEM_BLOCK_TYPES : MESSAGE_BLOCK_TYPES;
      turn ??= new ToolTurn();
      for (let j = 0; j < content.length; j++) {
        checkBlock(content[j], ['params', 'messages', i, 'content', j], allowed, `messages[${i}].content[${j}]`, f, role as string, turn);
      }
      if (isPrefill && content.length > 0) {
        const lastBlock: unknown = content[content.length - 1];
        if (isPlainObject(lastBlock) && lastBlock.type === 'text' && typeof lastBlock.text === 'string' && lastBlock.text.length > 0 && isWhitespace(lastBlock.text.charCodeAt(lastBlock.text.length - 1))) {
          f.error(RuleCode.prefillTrailingWhitespace, ['params', 'messages', i, 'content', content.length - 1, 'text'], l10n.t('the final assistant message (a prefill) must not end with whitespace: remove the trailing spaces or newlines'));
        }
      }
    } else {
      f.error(
        RuleCode.invalidContent,
        content === undefined ? ['params', 'messages', i] : ['params', 'messages', i, 'content'],
        content === undefined ? l10n.t('messages[{0}] has no "content": add the message text, e.g. "content": "Hello"', i) : l10n.t('messages[{0}].content must be a string or an array of content blocks, got {1}', i, describe(content)),
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
