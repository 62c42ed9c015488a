// Rules for one request's `params`: Messages API parameters without streaming. Problems here do
// not fail the create call; the request comes back `errored` after the batch ran (and was paid
// for), so they are errors all the same. Parameter names and shapes follow MessageCreateParams in
// @anthropic-ai/sdk 1.12, beta body parameters included.

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
  f.error(RuleCode.invalidModel, p('model'), `"model" must be a model name such as "claude-sonnet-4-5", got ${describe(value)}`);
}

function checkMaxTokens(value: unknown, f: LineFindings): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    f.maxTokens = value;
    if (value === 0) {
      f.warning(RuleCode.maxTokensZero, p('max_tokens'), '"max_tokens": 0 generates no answer (it only pre-warms the prompt cache): use at least 1 to get a response');
    }
    return;
  }
  const hint = typeof value === 'string' && /^\d+$/.test(value) ? ': write the number without quotes' : '';
  f.error(RuleCode.invalidMaxTokens, p('max_tokens'), `"max_tokens" must be a positive whole number such as 1024, got ${describe(value)}${hint}`);
}

function checkTools(value: unknown, f: LineFindings, names: Set<string>): boolean {
  if (!Array.isArray(value)) {
    f.error(RuleCode.invalidTools, p('tools'), `"tools" must be an array of tool definitions, got ${describe(value)}`);
    return false;
  }
  if (value.length > 0) f.tally.hasTools = true;
  let allNamed = true;
  for (let i = 0; i < value.length; i++) {
    const tool: unknown = value[i];
    if (!isPlainObject(tool)) {
      f.error(RuleCode.invalidTools, p('tools', i), `tools[${i}] must be an object like {"name": "…", "description": "…", "input_schema": {"type": "object", …}}, got ${describe(tool)}`);
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
            ? `tools[${i}] has no "name": add one (letters, digits, "_" or "-")`
            : `tools[${i}].name must be 1–128 letters, digits, "_" or "-", got ${describe(name)}`,
        );
      }
      const schema = tool.input_schema;
      if (!isPlainObject(schema)) {
        f.error(
          RuleCode.invalidTools,
          schema === undefined ? p('tools', i) : p('tools', i, 'input_schema'),
          `tools[${i}] needs an "input_schema" object, a JSON schema such as {"type": "object", "properties": {…}}; got ${describe(schema)}`,
        );
      } else {
        if (schema.type !== 'object') {
          f.error(RuleCode.invalidTools, schema.type === undefined ? p('tools', i, 'input_schema') : p('tools', i, 'input_schema', 'type'), `tools[${i}].input_schema.type must be "object", got ${describe(schema.type)}`);
        }
        f.tally.textChars += jsonChars(schema);
      }
      if (typeof name === 'string') f.tally.textChars += name.length;
      if (typeof tool.description === 'string') f.tally.textChars += tool.description.length;
    } else if (typeof type !== 'string') {
      f.error(RuleCode.invalidTools, p('tools', i, 'type'), `tools[${i}].type must be a string (a server tool version such as "web_search_20250305") or "custom", got ${describe(type)}`);
    } else {
      // A server tool or toolset: its definition is versioned by type, so it is not checked here.
      f.tally.textChars += jsonChars(tool);
    }
    if (typeof name === 'string') {
      if (names.has(name)) {
        f.error(RuleCode.duplicateToolName, p('tools', i, 'name'), `tool name ${quote(name)} is used twice: tool names must be unique within a request`);
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
    f.error(RuleCode.invalidToolChoice, path, `"tool_choice" must be {"type": ${oneOf(TOOL_CHOICE_TYPES)}} (with "name" for "tool"), got ${got}`);
    return undefined;
  }
  if (value.disable_parallel_tool_use !== undefined && typeof value.disable_parallel_tool_use !== 'boolean') {
    f.error(RuleCode.invalidToolChoice, p('tool_choice', 'disable_parallel_tool_use'), `tool_choice.disable_parallel_tool_use must be true or false, got ${describe(value.disable_parallel_tool_use)}`);
  }
  if (value.type !== 'tool') return undefined;
  if (typeof value.name !== 'string') {
    f.error(RuleCode.invalidToolChoice, value.name === undefined ? p('tool_choice') : p('tool_choice', 'name'), `tool_choice {"type": "tool"} needs the "name" of the tool to use, got ${describe(value.name)}`);
    return undefined;
  }
  return value.name;
}

function checkThinking(value: unknown, f: LineFindings): number | undefined {
  if (!isPlainObject(value) || !THINKING_TYPES.includes(value.type as string)) {
    const path = isPlainObject(value) && value.type !== undefined ? p('thinking', 'type') : p('thinking');
    const got = isPlainObject(value) ? describe(value.type) : describe(value);
    f.error(RuleCode.invalidThinking, path, `"thinking" must be {"type": ${oneOf(THINKING_TYPES)}} (with "budget_tokens" for "enabled"), got ${got}`);
    return undefined;
  }
  if (value.type !== 'enabled') return undefined;
  const budget = value.budget_tokens;
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < MIN_THINKING_BUDGET) {
    f.error(
      RuleCode.invalidThinking,
      budget === undefined ? p('thinking') : p('thinking', 'budget_tokens'),
      `thinking {"type": "enabled"} needs "budget_tokens", a whole number of at least ${MIN_THINKING_BUDGET}, got ${describe(budget)}`,
    );
    return undefined;
  }
  return budget;
}

function checkStopSequences(value: unknown, f: LineFindings): void {
  if (!Array.isArray(value)) {
    f.error(RuleCode.invalidParam, p('stop_sequences'), `"stop_sequences" must be an array of strings, got ${describe(value)}`);
    return;
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') {
      f.error(RuleCode.invalidParam, p('stop_sequences', i), `stop_sequences[${i}] must be a string, got ${describe(value[i])}`);
    }
  }
}

function checkMetadata(value: unknown, f: LineFindings): void {
  if (!isPlainObject(value)) {
    f.error(RuleCode.invalidParam, p('metadata'), `"metadata" must be an object such as {"user_id": "…"}, got ${describe(value)}`);
    return;
  }
  for (const key in value) {
    if (key === 'user_id') {
      if (value.user_id !== null && typeof value.user_id !== 'string') {
        f.error(RuleCode.invalidParam, p('metadata', 'user_id'), `metadata.user_id must be a string, got ${describe(value.user_id)}`);
      }
    } else {
      f.warning(RuleCode.unknownParam, p('metadata', key), `"${key}" is not a metadata field (only "user_id" is); the API will reject this request`, 'key');
    }
  }
}

function checkJsonOutputFormat(value: unknown, path: JsonPath, name: string, f: LineFindings): void {
  if (value === null || value === undefined) return;
  if (!isPlainObject(value) || value.type !== 'json_schema' || !isPlainObject(value.schema)) {
    f.error(RuleCode.invalidParam, path, `${name} must be {"type": "json_schema", "schema": {…}} or null, got ${describe(value)}`);
    return;
  }
  f.tally.textChars += jsonChars(value.schema);
}

function checkOutputConfig(value: unknown, f: LineFindings): void {
  if (value === null) return;
  if (!isPlainObject(value)) {
    f.error(RuleCode.invalidParam, p('output_config'), `"output_config" must be an object such as {"effort": "high"}, got ${describe(value)}`);
    return;
  }
  if (value.effort !== undefined && value.effort !== null && !EFFORTS.includes(value.effort as string)) {
    f.error(RuleCode.invalidParam, p('output_config', 'effort'), `output_config.effort must be ${oneOf(EFFORTS)}, got ${describe(value.effort)}`);
  }
  checkJsonOutputFormat(value.format, p('output_config', 'format'), 'output_config.format', f);
}

function checkMcpServers(value: unknown, f: LineFindings): void {
  if (!Array.isArray(value)) {
    f.error(RuleCode.invalidParam, p('mcp_servers'), `"mcp_servers" must be an array of {"type": "url", "name", "url"} objects, got ${describe(value)}`);
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const server: unknown = value[i];
    if (!isPlainObject(server) || server.type !== 'url' || typeof server.name !== 'string' || typeof server.url !== 'string') {
      f.error(RuleCode.invalidParam, p('mcp_servers', i), `mcp_servers[${i}] must be {"type": "url", "name": "…", "url": "https://…"}, got ${describe(server)}`);
    }
  }
}

function checkEnum(value: unknown, key: string, allowed: string[], nullable: boolean, f: LineFindings): void {
  if ((nullable && value === null) || allowed.includes(value as string)) return;
  f.error(RuleCode.invalidParam, p(key), `"${key}" must be ${oneOf(allowed)}${nullable ? ' or null' : ''}, got ${describe(value)}`);
}

function checkObjectOrNull(value: unknown, key: string, f: LineFindings, stringToo = false): void {
  if (value === null || isPlainObject(value) || (stringToo && typeof value === 'string')) return;
  f.error(RuleCode.invalidParam, p(key), `"${key}" must be an object${stringToo ? ', a string' : ''} or null, got ${describe(value)}`);
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
          f.error(RuleCode.streamNotAllowed, p('stream'), '"stream": true is not allowed in a batch (results are collected when the batch ends): remove it', 'key');
        } else if (value !== false) {
          f.error(RuleCode.invalidParam, p('stream'), `"stream" must be false or absent in a batch, got ${describe(value)}`);
        }
        break;
      case 'service_tier':
        checkEnum(value, key, SERVICE_TIERS, false, f);
        break;
      case 'speed':
        checkEnum(value, key, SPEEDS, true, f);
        break;
      case 'inference_geo':
        if (value !== null && typeof value !== 'string') f.error(RuleCode.invalidParam, p(key), `"inference_geo" must be a string or null, got ${describe(value)}`);
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
  if (!sawModel) missing(RuleCode.missingModel, 'params has no "model": add the model to use, e.g. "model": "claude-sonnet-4-5"');
  if (!sawMaxTokens) missing(RuleCode.missingMaxTokens, 'params has no "max_tokens": add the most tokens the answer may use, e.g. "max_tokens": 1024');
  if (!sawMessages) missing(RuleCode.missingMessages, 'params has no "messages": add the conversation, e.g. "messages": [{"role": "user", "content": "Hello"}]');

  if (toolChoiceName !== undefined && toolNames && allToolsNamed && !hasMcpServers && !toolNames.has(toolChoiceName)) {
    f.error(RuleCode.invalidToolChoice, p('tool_choice', 'name'), `tool_choice names the tool ${quote(toolChoiceName)}, which is not in "tools": use the name of one of the tools defined`);
  }
  if (thinkingBudget !== undefined && f.maxTokens !== undefined && thinkingBudget >= f.maxTokens) {
    f.warning(
      RuleCode.thinkingBudgetTooLarge,
      p('thinking', 'budget_tokens'),
      `thinking.budget_tokens (${thinkingBudget}) must be less than max_tokens (${f.maxTokens}): the API rejects this request unless interleaved thinking is on; raise max_tokens or lower the budget`,
    );
  }
  if (f.cacheBreakpoints > MAX_CACHE_BREAKPOINTS) {
    f.error(RuleCode.tooManyCacheBreakpoints, ['params'], `this request has ${f.cacheBreakpoints} cache_control breakpoints; the API allows at most ${MAX_CACHE_BREAKPOINTS}: remove some`, 'key');
  }
}

function checkOtherParam(key: string, f: LineFindings): void {
  if (REJECTED_PARAMS.has(key)) {
    f.error(
      RuleCode.unsupportedParam,
      p(key),
      `"${key}" is rejected by the current API version (2026-10-21): remove it, or the request comes back errored`,
      'key',
    );
  } else if (HEADER_PARAMS.has(key)) {
    f.warning(RuleCode.headerParam, p(key), `"${key}" is an SDK option sent as a header, not a Messages API parameter; the API will reject this request: remove it from params`, 'key');
  } else {
    const suggestion = suggestParam(key);
    f.warning(
      RuleCode.unknownParam,
      p(key),
      `"${key}" is not a Messages API parameter; the API will reject this request${suggestion ? `. Did you mean "${suggestion}"?` : ': remove it'}`,
      'key',
    );
  }
}
