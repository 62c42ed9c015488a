// What the editor says about a template: its own mistakes, placeholders the chosen data does not
// have, and whether the request it renders for the data's first record (or, without data, for
// sample values) is one the API would take, checked by the batch validator itself.
import * as l10n from '@vscode/l10n';
import { validateBatchText } from '../jsonl';
import { locate, type JsonPath } from '../jsonl/jsonLocator';
import type { DataRecord } from './dataRecord';
import { scanPlaceholders } from './placeholders';
import { compileTemplate, RenderError, requestLine } from './render';
import { parseTemplate, TemplateError, type Template } from './template';

export interface TemplateProblem {
  severity: 'error' | 'warning';
  /** Offsets in the template's text (end exclusive). */
  start: number;
  end: number;
  message: string;
}

export interface TemplateData {
  /** How the data is named in messages ("people.csv"). */
  name: string;
  columns: string[];
  /** Whether `columns` is every column (CSV header, folder) or a sample (JSON keys of the first records). */
  complete: boolean;
  /** The first usable record, to render the sample request from. */
  sample?: DataRecord;
}

export interface TemplateCheck {
  template?: Template;
  problems: TemplateProblem[];
  /** The sample request as a batch file line, when it could be rendered. */
  sampleRequest?: string;
}

/** A record whose every field is its own name in angle brackets: renders a template without data. */
function placeholderRecord(): DataRecord {
  return { kind: 'record', number: 1, line: 1, where: l10n.t('sample values'), get: (name) => `<${name}>`, columns: () => [] };
}

function spanOf(text: string, path: JsonPath, target: 'key' | 'value'): { start: number; end: number } {
  try {
    return locate(text, path, target);
  } catch {
    return { start: 0, end: 1 };
  }
}

export function checkTemplate(text: string, data?: TemplateData): TemplateCheck {
  const problems: TemplateProblem[] = [];
  let template: Template;
  try {
    template = parseTemplate(text);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return { problems: [{ severity: 'error', start: err.offset, end: err.offset + 1, message: err.message }] };
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = text.length - body.length;
  let missing = false;
  if (data) {
    const known = new Set(data.columns);
    const has = (name: string) => known.has(name) || (!!data.sample && data.sample.get(name) !== undefined);
    const severity = data.complete ? 'error' : 'warning';
    const listed = data.columns.length > 12 ? `${data.columns.slice(0, 12).join(', ')}, …` : data.columns.join(', ');
    for (const p of scanPlaceholders(body)) {
      if (!p.name || has(p.name)) continue;
      missing = true;
      problems.push({ severity, start: p.nameStart + shift, end: p.nameEnd + shift, message: (data.complete ? l10n.t('{0} has no column "{1}"{2}.', data.name, p.name, listed ? l10n.t(' (it has: {0})', listed) : '') : l10n.t('{0} has no key "{1}"{2}.', data.name, p.name, listed ? l10n.t(' (it has: {0})', listed) : '')) });
    }
    const idColumn = template.options.customIdColumn;
    if (idColumn && !has(idColumn)) {
      missing = true;
      const span = spanOf(body, ['options', 'customIdColumn'], 'value');
      problems.push({ severity, start: span.start + shift, end: span.end + shift, message: l10n.t('{0} has no column "{1}" to take custom_ids from.', data.name, idColumn) });
    }
  }
  if (missing) return { template, problems };
  const record = data?.sample ?? placeholderRecord();
  const from = data?.sample ? `${data.name} ${record.where}` : l10n.t('sample values');
  let sampleRequest: string | undefined;
  try {
    const renderer = compileTemplate(template);
    sampleRequest = requestLine('sample-1', renderer.params(record));
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    const span = spanOf(body, ['params'], 'key');
    problems.push({ severity: 'error', start: span.start + shift, end: span.end + shift, message: l10n.t('The request for {0} cannot be rendered: {1}.', from, err.message) });
    return { template, problems };
  }
  const check = validateBatchText(sampleRequest, { maxDiagnostics: 20 });
  const span = spanOf(body, ['params'], 'key');
  for (const d of check.diagnostics) {
    if (d.severity === 'info') continue;
    problems.push({ severity: d.severity, start: span.start + shift, end: span.end + shift, message: (d.severity === 'error' ? l10n.t('The request rendered from {0} would be rejected: {1}', from, d.message) : l10n.t('The request rendered from {0} would be sent with a warning: {1}', from, d.message)) });
  }
  return { template, problems, sampleRequest };
}
