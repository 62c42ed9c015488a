// A batch template (`*.batch-template.json`): one request as in a batch file, `custom_id` and
// `params`, with placeholders in its string values, and options:
//   "options": { "data": "people.csv", "customIdColumn": "id" }
// `data` is the data the editor shows the template against (relative to the template), and the
// custom_id comes from `customIdColumn`, else from the `custom_id` string (placeholders allowed),
// else from the record's number (`row-12`).
import * as l10n from '@vscode/l10n';
import { findSyntaxError } from '../jsonl/jsonLocator';
import { jsonKind } from './fieldPath';
import { scanPlaceholders, wholeJsonField } from './placeholders';

export const TEMPLATE_SUFFIX = '.batch-template.json';

export interface TemplateOptions {
  data?: string;
  customIdColumn?: string;
}

export interface Template {
  customId?: string;
  params: Record<string, unknown>;
  options: TemplateOptions;
  /** Every field the template uses (custom_id column included), in order of first use. */
  fields: string[];
}

/** What is wrong with a template, at an offset of its text when one is known. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly offset = 0,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

const KEYS = new Set(['custom_id', 'params', 'options']);
const OPTION_KEYS = new Set(['data', 'customIdColumn']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Fields used in the string values of `value`; keys with placeholders are refused (only values are filled). */
function collectFields(value: unknown, into: Set<string>, where: string): void {
  if (typeof value === 'string') {
    const found = scanPlaceholders(value);
    for (const p of found) {
      if (!p.name) throw new TemplateError(l10n.t('An empty placeholder {{}} at {0}: name a column or key inside the braces.', where));
      if (p.json && wholeJsonField(value) === undefined) throw new TemplateError(l10n.t('{0} at {1} must be the whole string ("{2}"): it stands for a whole JSON value.', `{{json:${p.name}}}`, where, `{{json:${p.name}}}`));
      into.add(p.name);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => collectFields(v, into, `${where}[${i}]`));
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (scanPlaceholders(key).length) throw new TemplateError(l10n.t('The key "{0}" at {1} holds a placeholder: placeholders are filled in string values only.', key, where));
      collectFields(v, into, `${where}.${key}`);
    }
  }
}

/** Parses a template's text; throws TemplateError saying what is wrong and where. */
export function parseTemplate(text: string): Template {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const problem = findSyntaxError(body, 'file');
  if (problem) throw new TemplateError(l10n.t('The template is not JSON: {0}.', problem.message), problem.offset);
  const value = JSON.parse(body) as unknown;
  if (!isObject(value)) throw new TemplateError(l10n.t('A batch template is an object {"custom_id", "params", "options"}, not {0}.', jsonKind(value)));
  for (const key of Object.keys(value)) if (!KEYS.has(key)) throw new TemplateError(l10n.t('Unknown key "{0}": a template holds "custom_id", "params" and "options".', key));
  if (!isObject(value.params)) throw new TemplateError(l10n.t('"params" must be an object: the request\'s Messages API parameters, as in a batch file.'));
  if (value.custom_id !== undefined && typeof value.custom_id !== 'string') throw new TemplateError(l10n.t('"custom_id" must be a string (placeholders allowed), or left out to number the records.'));
  const rawOptions = value.options ?? {};
  if (!isObject(rawOptions)) throw new TemplateError(l10n.t('"options" must be an object.'));
  for (const key of Object.keys(rawOptions)) if (!OPTION_KEYS.has(key)) throw new TemplateError(l10n.t('Unknown option "{0}": options are "data" and "customIdColumn".', key));
  for (const key of OPTION_KEYS) {
    if (rawOptions[key] !== undefined && typeof rawOptions[key] !== 'string') throw new TemplateError(l10n.t('The option "{0}" must be a string.', key));
  }
  const options = rawOptions as TemplateOptions;
  const fields = new Set<string>();
  if (options.customIdColumn) fields.add(options.customIdColumn);
  else if (typeof value.custom_id === 'string') collectFields(value.custom_id, fields, 'custom_id');
  collectFields(value.params, fields, 'params');
  return { customId: value.custom_id as string | undefined, params: value.params, options, fields: [...fields] };
}

/** A new template naming every column, for "New template from these columns". */
export function templateForColumns(columns: string[], data: string): string {
  const idColumn = columns.find((c) => /^(custom_?id|id|key)$/i.test(c));
  const content = columns
    .filter((c) => c !== idColumn)
    .map((c) => `${c}: {{${c}}}`)
    .join('\n');
  // Without an id column, custom_ids are the records' numbers (row-1, row-2, …).
  const template = {
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content }],
    },
    options: { data, ...(idColumn ? { customIdColumn: idColumn } : {}) },
  };
  return `${JSON.stringify(template, null, 2)}\n`;
}
