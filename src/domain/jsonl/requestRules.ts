// Rules for the request object a line holds: exactly `custom_id` and `params`. Problems here fail
// the whole create call (the API validates every item before it accepts the batch).

import * as l10n from '@vscode/l10n';
import { RuleCode } from './codes';
import { describe, isPlainObject, LineFindings, quote } from './issues';
import { checkParams, KNOWN_PARAMS, REJECTED_PARAMS } from './paramsRules';

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const CUSTOM_ID_MAX_LENGTH = 64;

/** What a custom_id may hold (a function: the words are translated when used, not when loaded). */
const customIdRule = () => l10n.t('use 1–64 letters, digits, "_" or "-"');
const CUSTOM_ID_LOOKALIKES: ReadonlySet<string> = new Set(['customid', 'custom-id', 'custom_id ', 'id', 'request_id', 'customerid', 'custom_ids']);

function isIdChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** Why `id` is not a valid custom_id, or undefined when it is. */
function customIdProblem(id: string): string | undefined {
  if (CUSTOM_ID_PATTERN.test(id)) return undefined;
  if (id.length === 0) return l10n.t('custom_id is empty: {0}', customIdRule());
  const base = l10n.t('custom_id {0} is invalid: {1}', quote(id), customIdRule());
  if (id.length > CUSTOM_ID_MAX_LENGTH) return l10n.t('{0} (it has {1} characters)', base, id.length);
  for (const ch of id) {
    if (ch.length > 1 || !isIdChar(ch.charCodeAt(0))) return l10n.t('{0} ({1} is not allowed)', base, JSON.stringify(ch));
  }
  return base;
}

function unknownKeyMessage(key: string): string {
  if (KNOWN_PARAMS.has(key) || REJECTED_PARAMS.has(key)) {
    return l10n.t('"{0}" belongs inside "params": a request line has only "custom_id" and "params" (the API rejects the whole batch otherwise)', key);
  }
  const lower = key.toLowerCase().replace(/_/g, '');
  let hint = '';
  if (CUSTOM_ID_LOOKALIKES.has(key.toLowerCase()) || lower === 'customid') hint = l10n.t(' Did you mean "custom_id"?');
  else if (lower === 'param' || lower === 'parameters' || lower === 'body' || lower === 'request') hint = l10n.t(' Did you mean "params"?');
  return l10n.t('"{0}" is not allowed here: a request line has only "custom_id" and "params"; the API rejects the whole batch.{1}', key, hint);
}

/** Checks one parsed request object; sets f.customId when it holds a valid one. */
export function checkRequest(request: Record<string, unknown>, f: LineFindings): void {
  let hasCustomId = false;
  let hasParams = false;
  for (const key in request) {
    if (key === 'custom_id') hasCustomId = true;
    else if (key === 'params') hasParams = true;
    else f.error(RuleCode.unknownKey, [key], unknownKeyMessage(key), 'key');
  }

  if (!hasCustomId) {
    f.error(RuleCode.missingCustomId, [], l10n.t('this request has no "custom_id": add a unique id (1–64 letters, digits, "_" or "-") to match its result'), 'line');
  } else {
    const id = request.custom_id;
    if (typeof id !== 'string') {
      const hint = typeof id === 'number' ? l10n.t(': write it in quotes ("{0}")', id) : '';
      f.error(RuleCode.customIdNotString, ['custom_id'], l10n.t('custom_id must be a string, got {0}{1}', describe(id), hint));
    } else {
      const problem = customIdProblem(id);
      if (problem) f.error(RuleCode.invalidCustomId, ['custom_id'], problem);
      else f.customId = id;
    }
  }

  if (!hasParams) {
    f.error(RuleCode.missingParams, [], l10n.t('this request has no "params": add {"model": …, "max_tokens": …, "messages": […]}'), 'line');
  } else if (!isPlainObject(request.params)) {
    f.error(RuleCode.paramsNotObject, ['params'], l10n.t('"params" must be an object with "model", "max_tokens" and "messages", got {0}', describe(request.params)));
  } else {
    checkParams(request.params, f);
  }
}
