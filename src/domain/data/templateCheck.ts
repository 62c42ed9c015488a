// What the editor says about a template: its own mistakes, placeholders the chosen data does not
// have, and whether the request it renders for the data's first record (or, without data, for
// sample values) is one the API would take, checked by the batch validator itself.
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
  return { kind: 'record', number: 1, line: 1, where: 'sample values', get: (name) => `<${name}>`, columns: () => [] };
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
      problems.push({ severity, start: p.nameStart + shift, end: p.nameEnd + shift, message: `${data.name} has no ${data.complete ? 'column' : 'key'} "${p.name}"${listed ? ` (it has: ${listed})` : ''}.` });
    }
    const idColumn = template.options.customIdColumn;
    if (idColumn && !has(idColumn)) {
      missing = true;
      const span = spanOf(body, ['options', 'customIdColumn'], 'value');
      problems.push({ severity, start: span.start + shift, end: span.end + shift, message: `${data.name} has no column "${idColumn}" to take custom_ids from.` });
    }
  }
  if (missing) return { template, problems };
  const record = data?.sample ?? placeholderRecord();
  const from = data?.sample ? `${data.name} ${record.where}` : 'sample values';
  let sampleRequest: string | undefined;
  try {
    const renderer = compileTemplate(template);
    sampleRequest = requestLine('sample-1', renderer.params(record));
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    const span = spanOf(body, ['params'], 'key');
    problems.push({ severity: 'error', start: span.start + shift, end: span.end + shift, message: `The request for ${from} cannot be rendered: ${err.message}.` });
    return { template, problems };
  }
  const check = validateBatchText(sampleRequest, { maxDiagnostics: 20 });
  const span = spanOf(body, ['params'], 'key');
  for (const d of check.diagnostics) {
    if (d.severity === 'info') continue;
    problems.push({ severity: d.severity, start: span.start + shift, end: span.end + shift, message: `The request rendered from ${from} would be ${d.severity === 'error' ? 'rejected' : 'sent with a warning'}: ${d.message}` });
  }
  return { template, problems, sampleRequest };
}
