// The text of the read-only results document (language id `claude-batch-results`), with the
// structure the editor needs beside it: folding ranges for sections and entries, and where each
// section and entry starts. The VS Code layer only maps these; it never parses the text.
//
// Layout, designed for folding and for a small grammar:
//   a title line, then "  Key  value" lines          (the summary)
//   "══ Succeeded · 980 ══…"                          (a section, column 0)
//   "── api_error · 8 · retryable ──…"                (an error group inside Errored, column 0)
//   "▸ custom_id · details"                           (an entry, column 0)
//   "    …"                                           (the entry's body, always indented)
//   "  … 780 more: …"                                 (what was left out of a section)
// Rendering is linear in what is shown: the summary pass already picked the entries.
//
// Results, file names and error messages are untrusted (untrustedText.ts): every line goes
// through the builder, which never lets one hold a line terminator or a control character, and
// text of several lines (replies, error messages) continues on indented lines. So the line
// numbers recorded here are the lines VS Code shows, and only the lines written as headings and
// entries start like them.
import { tokenLine } from './resultUsage';
import type { MessageBatch, MessageBatchResult } from '../../api';
import { resultsDeletedAt } from '../batchPresentation';
import { formatCount, formatDate, formatDuration, formatUsd } from '../../common/format';
import { LineBudget, renderContent } from './contentRendering';
import { errorMessageOf, errorRequestIdOf, errorTypeOf, parseSectionId, type Outcome, type SectionId } from './outcomes';
import type { EntryList, ErrorGroup, ResultEntry, ResultsSummary } from './resultsSummary';
import { oneLine } from './untrustedText';

export interface FoldingRange {
  /** 0-based line numbers, both inclusive. */
  start: number;
  end: number;
  kind: 'section' | 'entry';
}

export interface DocumentSection {
  id: SectionId;
  /** As shown in its heading (an error category from the results is shown escaped). */
  title: string;
  /** 0-based line of the section's heading, and its last line. */
  line: number;
  endLine: number;
  count: number;
  shown: number;
  /** The line saying how many more there are, when some were left out. */
  moreLine?: number;
}

export interface DocumentEntry {
  customId: string;
  section: SectionId;
  /** 0-based line of the entry's heading. */
  line: number;
  /** 1-based line of the request in the source file, when known. */
  sourceLine?: number;
  /** Where the result's line is in the local copy, when read from it (to open it in full). */
  at?: { offset: number; length: number };
}

export interface ResultsDocument {
  /**
   * The source file whose lines the entries' source lines are, when it is there and unchanged
   * since it was submitted; undefined when entries cannot be linked to it.
   */
  linkedSource?: string;
  text: string;
  lineCount: number;
  folding: FoldingRange[];
  sections: DocumentSection[];
  entries: DocumentEntry[];
}

export interface ArchiveInfo {
  path: string;
  complete: boolean;
  lines: number;
  total: number;
  downloadedAt: string;
  error?: string;
}

export interface RenderOptions {
  batchId?: string;
  /** The batch as last seen: dates, and whether the API still has the results. */
  batch?: MessageBatch;
  /** What the user calls it (the file name). */
  label?: string;
  /** The source file, as the user would recognise it. */
  sourcePath?: string;
  /** Where the local copy is and whether it is complete. */
  archive?: ArchiveInfo;
  /** Render this section only (the summary should have been made with `section` too). */
  section?: SectionId;
  /** Characters of each entry's body before it is cut. Default 4,000. */
  maxCharsPerEntry?: number;
  now?: number;
  /** Command titles named in the text. */
  saveCommand?: string;
  retryCommand?: string;
}

const DEFAULT_ENTRY_CHARS = 4000;
const RULE_WIDTH = 72;
const OUTCOME_TITLES: Record<Outcome, string> = { succeeded: 'Succeeded', errored: 'Errored', expired: 'Expired', canceled: 'Canceled' };

/** Builds lines with their folding ranges; the line number is always `lines.length`. */
class DocumentBuilder {
  readonly lines: string[] = [];
  readonly folding: FoldingRange[] = [];
  readonly sections: DocumentSection[] = [];
  readonly entries: DocumentEntry[] = [];

  get next(): number {
    return this.lines.length;
  }

  /** One line; a line terminator or control character in it is shown, never acted on. */
  add(line: string): void {
    this.lines.push(oneLine(line));
  }

  addAll(lines: string[]): void {
    for (const line of lines) this.lines.push(oneLine(line));
  }

  /** Folds [start, last non-blank line]; a range of one line does not fold. */
  fold(start: number, kind: FoldingRange['kind']): number {
    let end = this.lines.length - 1;
    while (end > start && this.lines[end] === '') end--;
    if (end > start) this.folding.push({ start, end, kind });
    return end;
  }
}

function heading(mark: string, text: string): string {
  const head = `${mark}${mark} ${text} `;
  return head + mark.repeat(Math.max(2, RULE_WIDTH - head.length));
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function tokensOf(result: MessageBatchResult): string {
  return result.type === 'succeeded' ? tokenLine(result.message?.usage) : '';
}

function entryHeading(entry: ResultEntry): string {
  const r = entry.result;
  const parts = [entry.customId];
  switch (r.type) {
    case 'succeeded':
      parts.push(stringOf(r.message?.model) ?? 'unknown model', stringOf(r.message?.stop_reason) ?? 'no stop reason', tokensOf(r));
      break;
    case 'errored':
      parts.push(errorTypeOf(r));
      break;
    default:
      parts.push(r.type);
  }
  return `▸ ${parts.filter(Boolean).join(' · ')}`;
}

function entryBody(entry: ResultEntry, budget: LineBudget, retryCommand: string): void {
  const indent = '    ';
  if (entry.prompt !== undefined || entry.sourceLine !== undefined) {
    const where = entry.sourceLine !== undefined ? ` (source line ${formatCount(entry.sourceLine)})` : '';
    budget.push(indent, `prompt: ${entry.prompt ?? '(no text)'}${where}`);
  }
  const r = entry.result;
  switch (r.type) {
    case 'succeeded': {
      if (r.message?.stop_reason === 'max_tokens') budget.push(indent, 'note: cut off at max_tokens: raise max_tokens to get the whole reply');
      if (r.message?.stop_reason === 'refusal') budget.push(indent, 'note: the model declined to answer');
      if (entry.prompt !== undefined) budget.push(indent, 'reply:');
      renderContent(budget, indent, r.message?.content);
      break;
    }
    case 'errored': {
      budget.pushLabelled(indent, 'error: ', errorMessageOf(r) || '(no message)');
      const requestId = errorRequestIdOf(r);
      if (requestId) budget.push(indent, `request id: ${requestId}`);
      break;
    }
    case 'expired':
      budget.push(indent, `Not processed within 24 hours. Resubmit it: "${retryCommand}" builds a new batch of the expired and retryable requests.`);
      break;
    case 'canceled':
      budget.push(indent, 'Canceled before it was processed. Resubmit it if you still need its answer.');
      break;
    default:
      budget.pushJson(indent, r);
  }
}

function addEntries(doc: DocumentBuilder, list: EntryList, section: SectionId, options: Required<Pick<RenderOptions, 'maxCharsPerEntry' | 'retryCommand'>>): void {
  for (const entry of list.entries) {
    const start = doc.next;
    doc.add(entryHeading(entry));
    const at = entry.offset !== undefined && entry.length !== undefined ? { offset: entry.offset, length: entry.length } : undefined;
    doc.entries.push({ customId: entry.customId, section, line: start, sourceLine: entry.sourceLine, ...(at ? { at } : {}) });
    const budget = new LineBudget(options.maxCharsPerEntry);
    entryBody(entry, budget, options.retryCommand);
    doc.addAll(budget.lines);
    if (budget.omittedChars > 0) doc.add(`    … ${plural(budget.omittedChars, 'more character')}: "Open in Full" above the entry shows all of it`);
    doc.fold(start, 'entry');
    doc.add('');
  }
}

function moreLine(doc: DocumentBuilder, list: EntryList, focused: boolean, saveCommand: string): number | undefined {
  const more = list.count - list.entries.length;
  if (more <= 0) return undefined;
  const line = doc.next;
  const how = focused ? `use "${saveCommand}" to get all of them` : `use "${saveCommand}" or open this section on its own`;
  doc.add(`  … ${formatCount(more)} more: ${how}`);
  doc.add('');
  return line;
}

function sectionTitle(outcome: Outcome, count: number): string {
  const title = `${OUTCOME_TITLES[outcome]} · ${formatCount(count)}`;
  if (outcome === 'expired' && count > 0) return `${title} · resubmit`;
  return title;
}

function groupTitle(group: ErrorGroup): string {
  return `${oneLine(group.type)} · ${formatCount(group.count)} · ${group.retryable ? 'retryable' : 'fix the request'}`;
}

function addGroup(doc: DocumentBuilder, group: ErrorGroup, focused: boolean, options: Required<Pick<RenderOptions, 'maxCharsPerEntry' | 'retryCommand' | 'saveCommand'>>): void {
  const start = doc.next;
  doc.add(heading('─', groupTitle(group)));
  doc.add(
    group.retryable
      ? '  A problem on the API side: resubmitting these requests unchanged can succeed.'
      : '  The API refused these requests as they are: fix them before resubmitting.',
  );
  doc.add('');
  addEntries(doc, group, group.section, options);
  const more = moreLine(doc, group, focused, options.saveCommand);
  const end = doc.fold(start, 'section');
  doc.sections.push({ id: group.section, title: groupTitle(group), line: start, endLine: end, count: group.count, shown: group.entries.length, moreLine: more });
}

function addSection(doc: DocumentBuilder, summary: ResultsSummary, outcome: Outcome, focused: boolean, options: Required<Pick<RenderOptions, 'maxCharsPerEntry' | 'retryCommand' | 'saveCommand'>>, onlyGroup?: string): void {
  const list = summary[outcome];
  const start = doc.next;
  const title = sectionTitle(outcome, list.count);
  doc.add(heading('═', title));
  doc.add('');
  let more: number | undefined;
  if (list.count === 0) {
    doc.add(`  No ${OUTCOME_TITLES[outcome].toLowerCase()} requests.`);
    doc.add('');
  } else if (outcome === 'errored') {
    for (const group of summary.errored.groups) {
      if (onlyGroup === undefined || group.type === onlyGroup) addGroup(doc, group, focused, options);
    }
  } else {
    addEntries(doc, list, outcome, options);
    more = moreLine(doc, list, focused, options.saveCommand);
  }
  const end = doc.fold(start, 'section');
  doc.sections.push({ id: outcome, title, line: start, endLine: end, count: list.count, shown: outcome === 'errored' ? summary.errored.groups.reduce((n, g) => n + g.entries.length, 0) : list.entries.length, moreLine: more });
}

function field(doc: DocumentBuilder, key: string, value: string): void {
  doc.add(`  ${key.padEnd(12)}${value}`);
}

function countsLine(summary: ResultsSummary): string {
  const c = summary.counts;
  const retryable = summary.retryableIds.length;
  const fix = summary.fixIds.length;
  const errored = c.errored === 0 ? '0 errored' : `${formatCount(c.errored)} errored (${formatCount(retryable)} retryable, ${formatCount(fix)} to fix)`;
  const parts = [`${formatCount(c.succeeded)} succeeded`, errored, `${formatCount(c.expired)} expired`, `${formatCount(c.canceled)} canceled`];
  if (summary.otherTypes) parts.push(`${formatCount(summary.otherTypes)} of an unknown type`);
  return `${plural(summary.results, 'result')}: ${parts.join(' · ')}`;
}

function addHeader(doc: DocumentBuilder, summary: ResultsSummary, options: RenderOptions, now: number): void {
  const batch = options.batch;
  const batchId = options.batchId ?? batch?.id;
  const focus = options.section ? parseSectionId(options.section) : undefined;
  const name = options.label ?? batchId ?? 'batch';
  const focusTitle = focus ? ` · ${OUTCOME_TITLES[focus.outcome]}${focus.errorType ? ` (${focus.errorType})` : ''}` : '';
  doc.add(`Results of "${name}"${focusTitle}`);
  if (batchId) field(doc, 'Batch', batchId);
  if (options.sourcePath ?? summary.source?.path) {
    const source = summary.source;
    let note = '';
    if (source?.missing) note = ' (not found: entries follow the order of the results file, without prompts)';
    else if (source?.error) note = ` (could not be read: ${source.error})`;
    else if (source?.changed) note = ' (edited since it was submitted: its line numbers may name other requests, so entries are not linked to it)';
    field(doc, 'Source', `${options.sourcePath ?? source?.path}${note}`);
  }
  if (!focus) {
    if (batch) {
      field(doc, 'Created', formatDate(batch.created_at));
      if (batch.ended_at) field(doc, 'Ended', `${formatDate(batch.ended_at)}, after ${formatDuration(Date.parse(batch.ended_at) - Date.parse(batch.created_at))}`);
    }
    field(doc, 'Results', countsLine(summary));
    const t = summary.usage.totals;
    field(
      doc,
      'Tokens',
      `${formatCount(t.inputTokens)} input · ${formatCount(t.outputTokens)} output · ${formatCount(t.cacheCreationInputTokens)} cache write · ${formatCount(t.cacheReadInputTokens)} cache read`,
    );
    const cost = summary.cost;
    const priced = Object.keys(summary.usage.perModel).filter((m) => !cost.unknownModels.includes(m));
    if (priced.length > 0 || cost.unknownModels.length === 0) {
      field(doc, 'Cost', `${formatUsd(cost.usd)} at batch prices (estimate; prices as of ${cost.pricesAsOf})`);
    } else {
      field(doc, 'Cost', 'unknown: no price for these models (add them in the claudeBatches price settings)');
    }
    const models = Object.entries(summary.usage.perModel);
    if (models.length > 1 || cost.unknownModels.length > 0) {
      for (const [model, usage] of models) {
        const usd = cost.perModel[model]?.usd;
        const price = usd === undefined ? 'no price: not in the total' : formatUsd(usd);
        field(doc, '', `${model}: ${price} for ${plural(usage.requests, 'request')}, ${formatCount(usage.inputTokens)} in / ${formatCount(usage.outputTokens)} out tokens`);
      }
    }
  }
  const archive = options.archive;
  if (archive) {
    const state = archive.complete
      ? `complete, downloaded ${formatDate(archive.downloadedAt)}`
      : `INCOMPLETE: ${formatCount(archive.lines)} of ${formatCount(archive.total)} results${archive.error ? ` (${archive.error})` : ''}; download again to get the rest`;
    field(doc, 'Local copy', `${archive.path} (${state})`);
  }
  if (batch) {
    const deletedAt = resultsDeletedAt(batch);
    if (batch.archived_at || now >= deletedAt) {
      const when = batch.archived_at ?? new Date(deletedAt).toISOString();
      field(doc, 'API copy', `the API deleted its copy on ${formatDate(when)}: the local copy is the only one left`);
    } else {
      field(doc, 'API copy', `results deleted by the API on ${formatDate(new Date(deletedAt).toISOString())} (in ${formatDuration(deletedAt - now)})`);
    }
  }
  const read = summary.read;
  if (read.malformedLines > 0) {
    const where = read.malformedLineNumbers.map((n) => formatCount(n)).join(', ');
    field(doc, 'Unreadable', `${plural(read.malformedLines, 'line')} of the local copy could not be read as results (line ${where}${read.malformedLines > read.malformedLineNumbers.length ? ', …' : ''})`);
  }
  const source = summary.source;
  if (source && !source.missing && !source.error) {
    const notes: string[] = [];
    if (source.resultsNotInSource) notes.push(`${plural(source.resultsNotInSource, 'result')} with a custom_id the source does not have (edited since?)`);
    if (source.requestsWithoutResult) notes.push(`${plural(source.requestsWithoutResult, 'request')} of the source without a result`);
    if (source.duplicateResults) notes.push(`${plural(source.duplicateResults, 'custom_id')} with more than one result`);
    if (notes.length) field(doc, 'Mismatch', notes.join('; '));
  }
  field(doc, 'Order', summary.order === 'input' ? 'as in the source file' : 'as the API returned them (the source file is not known)');
  doc.add('');
}

/**
 * Renders the results document from a summary. Without `section`: the summary, then Succeeded,
 * Errored (grouped by category), Expired and Canceled with their first entries. With `section`:
 * a short header and that section only.
 */
export function renderResultsDocument(summary: ResultsSummary, options: RenderOptions = {}): ResultsDocument {
  const now = options.now ?? Date.now();
  const resolved = {
    maxCharsPerEntry: options.maxCharsPerEntry ?? DEFAULT_ENTRY_CHARS,
    saveCommand: options.saveCommand ?? 'Claude Batches: Save Results…',
    retryCommand: options.retryCommand ?? 'Claude Batches: Retry Failed Requests',
  };
  const doc = new DocumentBuilder();
  addHeader(doc, summary, options, now);
  const focus = options.section ? parseSectionId(options.section) : undefined;
  if (options.section && !focus) throw new Error(`Unknown results section: ${options.section}`);
  if (focus) {
    addSection(doc, summary, focus.outcome, true, resolved, focus.errorType);
  } else {
    for (const outcome of ['succeeded', 'errored', 'expired', 'canceled'] as const) addSection(doc, summary, outcome, false, resolved);
  }
  while (doc.lines.length > 1 && doc.lines[doc.lines.length - 1] === '') doc.lines.pop();
  doc.sections.sort((a, b) => a.line - b.line);
  doc.folding.sort((a, b) => a.start - b.start);
  const source = summary.source;
  const linkedSource = source && !source.missing && !source.error && source.changed === false ? source.path : undefined;
  return { text: `${doc.lines.join('\n')}\n`, lineCount: doc.lines.length, folding: doc.folding, sections: doc.sections, entries: doc.entries, linkedSource };
}
