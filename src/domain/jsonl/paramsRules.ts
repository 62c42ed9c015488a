// Rules for one request's `params`: Messages API parameters without streaming. Problems here do
// not fail the create call; the request comes back `errored` after the batch ran (and was paid
// for), so they are errors all the same. Parameter names and shapes follow MessageCreateParams in
// @anthropic-ai/sdk 1.12, beta body parameters included.

import * as l10n from '@vscode/l10n';
import { RuleCode } from './codes';
import { checkCacheControl, checkMessages, checkSystem, jsonChars } from './contentRules';
import { describe, isPlainObject, LineFindings, oneOf, quote } from './issues';
import type { JsonPath } from './jsonLocator';

/** Body parameters of the Messages API (API version 2026-10-21), beta ones included. */
export const KNOWN_PARAMS: ReadonlySet<string> = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'metadata',
  'stop_sequences',
  'stream',
  'thinking',
  'tool_choice',
  'tools',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'output_config',
  'service_tier',
  'speed',
  // beta (need the matching anthropic-beta header on the create call)
  'billing_policy',
  'compaction',
  'context_management',
  'fallback_credit_token',
  'fallbacks',
  'mcp_servers',
  'output_format',
  'thread',
]);

/** Sampling parameters the API rejects per request from version 2026-10-21 on. */
export const REJECTED_PARAMS: ReadonlySet<string> = new Set(['temperature', 'top_p', 'top_k']);

/** SDK options that travel as headers, never in the body. */
const HEADER_PARAMS: ReadonlySet<string> = new Set(['betas', 'user_profile_id', 'workspace_id', 'anthropic_version', 'anthropic-version']);

const ALIASES: Record<string, string> = {
  max_tokens_to_sample: 'max_tokens',
  maxtokens: 'max_tokens',
  system_prompt: 'system',
  prompt: 'messages',
  stop: 'stop_sequences',
  tool_config: 'tool_choice',
};

const THINKING_TYPES = ['enabled', 'disabled', 'adaptive', 'between_tools'];
const TOOL_CHOICE_TYPES = ['auto', 'any', 'tool', 'none'];
const SERVICE_TIERS = ['auto', 'standard_only'];
const SPEEDS = ['standard', 'fast'];
const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'];
const MIN_THINKING_BUDGET = 1024;
const MAX_CACHE_BREAKPOINTS = 4;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

function p(...rest: (string | number)[]): JsonPath {
  return ['params', ...rest];
}

/** The nearest known parameter name, for "did you mean" hints. */
function suggestParam(name: string): string | undefined {
  const lower = name.toLowerCase();
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/-/g, '_');
  if (ALIASES[lower]) return ALIASES[lower];
  if (KNOWN_PARAMS.has(snake)) return snake;
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of KNOWN_PARAMS) {
    const d = editDistance(snake, known, bestDistance);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it reaches `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length], limit);
}

function checkModel(value: unknown, f: LineFindings): void {
  if (typeof value === 'string' && value.length > 0) {
    f.model = value;
    return;
  }
  f.error(RuleCode.invalidModel, p('model'), l10n.t('"model" must be a model name such as "claude-sonnet-4-5", got {0}', describe(value)));
}

function checkMaxTokens(value: unknown, f: LineFindings): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    f.maxTokens = value;
    if (value === 0) {
      f.warning(RuleCode.maxTokensZero, p('max_tokens'), l10n.t('"max_tokens": 0 generates no answer (it only pre-warms the prompt cache): use at least 1 to get a response'));
    }
    return;
  }
  const hint = typeof value === 'string' && /^\d+$/.test(value) ? l10n.t(': write the number without quotes') : '';
  f.error(RuleCode.invalidMaxTokens, p('max_tokens'), l10n.t('"max_tokens" must be a positive whole number such as 1024, got {0}{1}', describe(value), hint));
}

function checkTools(value: unknown, f: LineFindings, names: Set<string>): boolean {
  if (!Array.isArray(value)) {
    f.error(RuleCode.invalidTools, p('tools'), l10n.t('"tools" must be an array of tool definitions, got {0}', describe(value)));
    return false;
  }
  if (value.length > 0) f.tally.hasTools = true;
  let allNamed = true;
  for (let i = 0; i < value.length; i++) {
    const tool: unknown = value[i];
    if (!isPlainObject(tool)) {
      f.error(RuleCode.invalidTools, p('tools', i), l10n.t('tools[{0}] must be an object like {"name": "…", "description": "…", "input_schema": {"type": "object", …}}, got {1}', i, describe(tool)));
      continue;
    }
    checkCacheControl(tool.cache_control, p('tools', i, 'cache_control'), f);
    const type = tool.type;
    const name = tool.name;
    if (type === undefined || type === null || type === 'custom') {
      if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
        f.error(
          RuleCode.invalidTools,
          name === undefined ? p('tools', i) : p('tools', i, 'name'),
          name === undefined
            ? l10n.t('tools[{0}] has no "name": add one (letters, digits, "_" or "-")', i)
            : l10n.t('tools[{0}].name must be 1–128 letters, digits, "_" or "-", got {1}', i, describe(name)),
        );
      }
      const schema = tool.input_schema;
      if (!isPlainObject(schema)) {
        f.error(
          RuleCode.invalidTools,
          schema === undefined ? p('tools', i) : p('tools', i, 'input_schema'),
          l10n.t('tools[{0}] needs an "input_schema" object, a JSON schema such as {"type": "object", "properties": {…}}; got {1}', i, describe(schema)),
        );
      } else {
        if (schema.type !== 'object') {
          f.error(RuleCode.invalidTools, schema.type === undefined ? p('tools', i, 'input_schema') : p('tools', i, 'input_schema', 'type'), l10n.t('tools[{0}].input_schema.type must be "object", got {1}', i, describe(schema.type)));
        }
        f.tally.textChars += jsonChars(schema);
      }
      if (typeof name === 'string') f.tally.textChars += name.length;
      if (typeof tool.description === 'string') f.tally.textChars += tool.description.length;
    } else if (typeof type !== 'string') {
      f.error(RuleCode.invalidTools, p('tools', i, 'type'), l10n.t('tools[{0}].type must be a string (a server tool version such as "web_search_20250305") or "custom", got {1}', i, describe(type)));
    } else {
      // A server tool or toolset: its definition is versioned by type, so it is not checked here.
      f.tally.textChars += jsonChars(tool);
    }
    if (typeof name === 'string') {
      if (names.has(name)) {
        f.error(RuleCode.duplicateToolName, p('tools', i, 'name'), l10n.t('tool name {0} is used twice: tool names must be unique within a request', quote(name)));
      }
      names.add(name);
    } else {
      allNamed = false;
    }
  }
  return allNamed;
}

function checkToolChoice(value: unknown, f: LineFindings): string | undefined {
  if (!isPlainObject(value) || !TOOL_CHOICE_TYPES.includes(value.type as string)) {
    const path = isPlainObject(value) && value.type !== undefined ? p('tool_choice', 'type') : p('tool_choice');
    const got = isPlainObject(value) ? describe(value.type) : describe(value);
    // not translated: the JSON shape, code in every language
    f.error(RuleCode.invalidToolChoice, path, l10n.t('"tool_choice" must be {0} (with "name" for "tool"), got {1}', `{"type": ${oneOf(TOOL_CHOICE_TYPES)}}`, got));
    return undefined;
  }
  if (value.disable_parallel_tool_use !== undefined && typeof value.disable_parallel_tool_use !== 'boolean') {
    f.error(RuleCode.invalidToolChoice, p('tool_choice', 'disable_parallel_tool_use'), l10n.t('tool_choice.disable_parallel_tool_use must be true or false, got {0}', describe(value.disable_parallel_tool_use)));
  }
  if (value.type !== 'tool') return undefined;
  if (typeof value.name !== 'string') {
    f.error(RuleCode.invalidToolChoice, value.name === undefined ? p('tool_choice') : p('tool_choice', 'name'), l10n.t('tool_choice {"type": "tool"} needs the "name" of the tool to use, got {0}', describe(value.name)));
    return undefined;
  }
  return value.name;
}

function checkThinking(value: unknown, f: LineFindings): number | undefined {
  if (!isPlainObject(value) || !THINKING_TYPES.includes(value.type as string)) {
    const path = isPlainObject(value) && value.type !== undefined ? p('thinking', 'type') : p('thinking');
    const got = isPlainObject(value) ? describe(value.type) : describe(value);
    // not translated: the JSON shape, code in every language
    f.error(RuleCode.invalidThinking, path, l10n.t('"thinking" must be {0} (with "budget_tokens" for "enabled"), got {1}', `{"type": ${oneOf(THINKING_TYPES)}}`, got));
    return undefined;
  }
  if (value.type !== 'enabled') return undefined;
  const budget = value.budget_tokens;
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < MIN_THINKING_BUDGET) {
    f.error(
      RuleCode.invalidThinking,
      budget === undefined ? p('thinking') : p('thinking', 'budget_tokens'),
      l10n.t('thinking {"type": "enabled"} needs "budget_tokens", a whole number of at least {0}, got {1}', MIN_THINKING_BUDGET, describe(budget)),
    );
    return undefined;
  }
  return budget;
}

function checkStopSequences(value: unknown, f: LineFindings): void {
  if (!Array.isArray(value)) {
    f.error(RuleCode.invalidParam, p('stop_sequences'), l10n.t('"stop_sequences" must be an array of strings, got {0}', describe(value)));
    return;
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') {
      f.error(RuleCode.invalidParam, p('stop_sequences', i), l10n.t('stop_sequences[{0}] must be a string, got {1}', i, describe(value[i])));
    }
  }
}

function checkMetadata(value: unknown, f: LineFindings): void {
  if (!isPlainObject(value)) {
    f.error(RuleCode.invalidParam, p('metadata'), l10n.t('"metadata" must be an object such as {"user_id": "…"}, got {0}', describe(value)));
    return;
  }
  for (const key in value) {
    if (key === 'user_id') {
      if (value.user_id !== null && typeof value.user_id !== 'string') {
        f.error(RuleCode.invalidParam, p('metadata', 'user_id'), l10n.t('metadata.user_id must be a string, got {0}', describe(value.user_id)));
      }
    } else {
      f.warning(RuleCode.unknownParam, p('metadata', key), l10n.t('"{0}" is not a metadata field (only "user_id" is); the API will reject this request', key), 'key');
    }
  }
}

function checkJsonOutputFormat(value: unknown, path: JsonPath, name: string, f: LineFindings): void {
  if (value === null || value === undefined) return;
  if (!isPlainObject(value) || value.type !== 'json_schema' || !isPlainObject(value.schema)) {
    f.error(RuleCode.invalidParam, path, l10n.t('{0} must be {"type": "json_schema", "schema": {…}} or null, got {1}', name, describe(value)));
    return;
  }
  f.tally.textChars += jsonChars(value.schema);
}

function checkOutputConfig(value: unknown, f: LineFindings): void {
  if (value === null) return;
  if (!isPlainObject(value)) {
    f.error(RuleCode.invalidParam, p('output_config'), l10n.t('"output_config" must be an object such as {"effort": "high"}, got {0}', describe(value)));
    return;
  }
  if (value.effort !== undefined && value.effort !== null && !EFFORTS.includes(value.effort as string)) {
    f.error(RuleCode.invalidParam, p('output_config', 'effort'), l10n.t('output_config.effort must be {0}, got {1}', oneOf(EFFORTS), describe(value.effort)));
  }
  checkJsonOutputFormat(value.format, p('output_config', 'format'), 'output_config.format', f);
}

function checkMcpServers(value: unknown, f: LineFindings): void {
  if (!Array.isArray(value)) {
    f.error(RuleCode.invalidParam, p('mcp_servers'), l10n.t('"mcp_servers" must be an array of {"type": "url", "name", "url"} objects, got {0}', describe(value)));
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const server: unknown = value[i];
    if (!isPlainObject(server) || server.type !== 'url' || typeof server.name !== 'string' || typeof server.url !== 'string') {
      f.error(RuleCode.invalidParam, p('mcp_servers', i), l10n.t('mcp_servers[{0}] must be {"type": "url", "name": "…", "url": "https://…"}, got {1}', i, describe(server)));
    }
  }
}

function checkEnum(value: unknown, key: string, allowed: string[], nullable: boolean, f: LineFindings): void {
  if ((nullable && value === null) || allowed.includes(value as string)) return;
  f.error(RuleCode.invalidParam, p(key), l10n.t('"{0}" must be {1}{2}, got {3}', key, oneOf(allowed), nullable ? l10n.t(' or null') : '', describe(value)));
}

function checkObjectOrNull(value: unknown, key: string, f: LineFindings, stringToo = false): void {
  if (value === null || isPlainObject(value) || (stringToo && typeof value === 'string')) return;
  f.error(RuleCode.invalidParam, p(key), (stringToo ? l10n.t('"{0}" must be an object, a string or null, got {1}', key, describe(value)) : l10n.t('"{0}" must be an object or null, got {1}', key, describe(value))));
}

/** Checks params (already known to be an object); fills f.model, f.maxTokens and f.tally. */
export function checkParams(params: Record<string, unknown>, f: LineFindings): void {
  let sawModel = false;
  let sawMaxTokens = false;
  let sawMessages = false;
  let toolNames: Set<string> | undefined;
  let allToolsNamed = true;
  let hasMcpServers = false;
  let toolChoiceName: string | undefined;
  let thinkingBudget: number | undefined;
  for (const key in params) {
    const value = params[key];
    switch (key) {
      case 'model':
        sawModel = true;
        checkModel(value, f);
        break;
      case 'max_tokens':
        sawMaxTokens = true;
        checkMaxTokens(value, f);
        break;
      case 'messages':
        sawMessages = true;
        checkMessages(value, f);
        break;
      case 'system':
        checkSystem(value, f);
        break;
      case 'tools':
        toolNames = new Set();
        allToolsNamed = checkTools(value, f, toolNames);
        break;
      case 'tool_choice':
        toolChoiceName = checkToolChoice(value, f);
        break;
      case 'thinking':
        thinkingBudget = checkThinking(value, f);
        break;
      case 'metadata':
        checkMetadata(value, f);
        break;
      case 'stop_sequences':
        checkStopSequences(value, f);
        break;
      case 'stream':
        if (value === true) {
          f.error(RuleCode.streamNotAllowed, p('stream'), l10n.t('"stream": true is not allowed in a batch (results are collected when the batch ends): remove it'), 'key');
        } else if (value !== false) {
          f.error(RuleCode.invalidParam, p('stream'), l10n.t('"stream" must be false or absent in a batch, got {0}', describe(value)));
        }
        break;
      case 'service_tier':
        checkEnum(value, key, SERVICE_TIERS, false, f);
        break;
      case 'speed':
        checkEnum(value, key, SPEEDS, true, f);
        break;
      case 'inference_geo':
        if (value !== null && typeof value !== 'string') f.error(RuleCode.invalidParam, p(key), l10n.t('"inference_geo" must be a string or null, got {0}', describe(value)));
        break;
      case 'container':
      case 'fallback_credit_token':
        checkObjectOrNull(value, key, f, true);
        break;
      case 'cache_control':
        checkCacheControl(value, p('cache_control'), f);
        break;
      case 'output_config':
        checkOutputConfig(value, f);
        break;
      case 'output_format':
        checkJsonOutputFormat(value, p('output_format'), '"output_format"', f);
        break;
      case 'mcp_servers':
        hasMcpServers = true;
        checkMcpServers(value, f);
        break;
      case 'diagnostics':
      case 'context_management':
      case 'compaction':
      case 'fallbacks':
      case 'thread':
      case 'billing_policy':
        checkObjectOrNull(value, key, f);
        break;
      default:
        checkOtherParam(key, f);
    }
  }
  const missing = (code: RuleCode, message: string) => f.error(code, ['params'], message, 'key');
  if (!sawModel) missing(RuleCode.missingModel, l10n.t('params has no "model": add the model to use, e.g. "model": "claude-sonnet-4-5"'));
  if (!sawMaxTokens) missing(RuleCode.missingMaxTokens, l10n.t('params has no "max_tokens": add the most tokens the answer may use, e.g. "max_tokens": 1024'));
  if (!sawMessages) missing(RuleCode.missingMessages, l10n.t('params has no "messages": add the conversation, e.g. "messages": [{"role": "user", "content": "Hello"}]'));

  if (toolChoiceName !== undefined && toolNames && allToolsNamed && !hasMcpServers && !toolNames.has(toolChoiceName)) {
    f.error(RuleCode.invalidToolChoice, p('tool_choice', 'name'), l10n.t('tool_choice names the tool {0}, which is not in "tools": use the name of one of the tools defined', quote(toolChoiceName)));
  }
  if (thinkingBudget !== undefined && f.maxTokens !== undefined && thinkingBudget >= f.maxTokens) {
    f.warning(
      RuleCode.thinkingBudgetTooLarge,
      p('thinking', 'budget_tokens'),
      l10n.t('thinking.budget_tokens ({0}) must be less than max_tokens ({1}): the API rejects this request unless interleaved thinking is on; raise max_tokens or lower the budget', thinkingBudget, f.maxTokens),
    );
  }
  if (f.cacheBreakpoints > MAX_CACHE_BREAKPOINTS) {
    f.error(RuleCode.tooManyCacheBreakpoints, ['params'], l10n.t('this request has {0} cache_control breakpoints; the API allows at most {1}: remove some', f.cacheBreakpoints, MAX_CACHE_BREAKPOINTS), 'key');
  }
}

function checkOtherParam(key: string, f: LineFindings): void {
  if (REJECTED_PARAMS.has(key)) {
    f.error(
      RuleCode.unsupportedParam,
      p(key),
      l10n.t('"{0}" is rejected by the current API version (2026-10-21): remove it, or the request comes back errored', key),
      'key',
    );
  } else if (HEADER_PARAMS.has(key)) {
    f.warning(RuleCode.headerParam, p(key), l10n.t('"{0}" is an SDK option sent as a header, not a Messages API parameter; the API will reject this request: remove it from params', key), 'key');
  } else {
    const suggestion = suggestParam(key);
    f.warning(
      RuleCode.unknownParam,
      p(key),
      l10n.t('"{0}" is not a Messages API parameter; the API will reject this request{1}', key, suggestion ? l10n.t('. Did you mean "{0}"?', suggestion) : l10n.t(': remove it')),
      'key',
    );
  }
}
