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
import * as l10n from '@vscode/l10n';
import { modelName, tokenLine } from './resultUsage';
import type { MessageBatch, MessageBatchResult } from '../../api';
import { resultsDeletedAt } from '../batchPresentation';
import { formatCount, formatDate, formatDuration, formatUsd } from '../../common/format';
import { requestsText } from '../../common/requestCounts';
import { keyField, LineBudget, renderContent } from './contentRendering';
import { errorMessageOf, errorRequestIdOf, errorTypeOf, parseSectionId, type Outcome, type SectionId } from './outcomes';
import { type EntryList, type ErrorGroup, type ResultEntry, type ResultsSummary } from './resultsSummary';
import { oneLine } from './untrustedText';
import { sourceLineWords } from './sourceLineWords';

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
/** A section's title, translated when the document is rendered. */
const OUTCOME_TITLES: Record<Outcome, () => string> = {
  succeeded: () => l10n.t('Succeeded'),
  errored: () => l10n.t('Errored'),
  expired: () => l10n.t('Expired'),
  canceled: () => l10n.t('Canceled'),
};
/** What an empty section says: a whole sentence per outcome, so a translation can word each. */
const NONE_IN: Record<Outcome, () => string> = {
  succeeded: () => l10n.t('No succeeded requests.'),
  errored: () => l10n.t('No errored requests.'),
  expired: () => l10n.t('No expired requests.'),
  canceled: () => l10n.t('No canceled requests.'),
};

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

/** `1 result` / `2 results`: each form a whole message. */
const resultsWord = (n: number) => (n === 1 ? l10n.t('1 result') : l10n.t('{0} results', formatCount(n)));

/** The model as the usage keeps it: the key of results without one is shown in words. */

const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function tokensOf(result: MessageBatchResult): string {
  return result.type === 'succeeded' ? tokenLine(result.message?.usage) : '';
}

function entryHeading(entry: ResultEntry): string {
  const r = entry.result;
  const parts = [entry.customId];
  switch (r.type) {
    case 'succeeded':
      parts.push(stringOf(r.message?.model) ?? l10n.t('unknown model'), stringOf(r.message?.stop_reason) ?? l10n.t('no stop reason'), tokensOf(r));
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
    const where = entry.sourceLine !== undefined ? ` (${sourceLineWords(entry.sourceLine)})` : '';
    budget.push(indent, `${l10n.t('prompt:')} ${entry.prompt ?? l10n.t('(no text)')}${where}`);
  }
  const r = entry.result;
  switch (r.type) {
    case 'succeeded': {
      if (r.message?.stop_reason === 'max_tokens') budget.push(indent, l10n.t('note: cut off at max_tokens: raise max_tokens to get the whole reply'));
      if (r.message?.stop_reason === 'refusal') budget.push(indent, l10n.t('note: the model declined to answer'));
      if (entry.prompt !== undefined) budget.push(indent, l10n.t('reply:'));
      renderContent(budget, indent, r.message?.content);
      break;
    }
    case 'errored': {
      budget.pushLabelled(indent, `${l10n.t('error:')} `, errorMessageOf(r) || l10n.t('(no message)'));
      const requestId = errorRequestIdOf(r);
      if (requestId) budget.push(indent, l10n.t('request id: {0}', requestId));
      break;
    }
    case 'expired':
      budget.push(indent, l10n.t('Not processed within 24 hours. Resubmit it: "{0}" builds a new batch of the expired and retryable requests.', retryCommand));
      break;
    case 'canceled':
      budget.push(indent, l10n.t('Canceled before it was processed. Resubmit it if you still need its answer.'));
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
    if (budget.omittedChars > 0) {
      const n = budget.omittedChars;
      const more = n === 1 ? l10n.t('1 more character') : l10n.t('{0} more characters', formatCount(n));
      doc.add(`    … ${l10n.t('{0}: "{1}" above the entry shows all of it', more, l10n.t('Open in Full'))}`);
    }
    doc.fold(start, 'entry');
    doc.add('');
  }
}

function moreLine(doc: DocumentBuilder, list: EntryList, focused: boolean, saveCommand: string): number | undefined {
  const more = list.count - list.entries.length;
  if (more <= 0) return undefined;
  const line = doc.next;
  const how = focused ? l10n.t('{0} more: use "{1}" to get all of them', formatCount(more), saveCommand) : l10n.t('{0} more: use "{1}" or open this section on its own', formatCount(more), saveCommand);
  doc.add(`  … ${how}`);
  doc.add('');
  return line;
}

function sectionTitle(outcome: Outcome, count: number): string {
  const title = `${OUTCOME_TITLES[outcome]()} · ${formatCount(count)}`;
  if (outcome === 'expired' && count > 0) return `${title} · ${l10n.t('resubmit')}`;
  return title;
}

function groupTitle(group: ErrorGroup): string {
  return `${oneLine(group.type)} · ${formatCount(group.count)} · ${group.retryable ? l10n.t('retryable') : l10n.t('fix the request')}`;
}

function addGroup(doc: DocumentBuilder, group: ErrorGroup, focused: boolean, options: Required<Pick<RenderOptions, 'maxCharsPerEntry' | 'retryCommand' | 'saveCommand'>>): void {
  const start = doc.next;
  doc.add(heading('─', groupTitle(group)));
  doc.add(
    group.retryable
      ? `  ${l10n.t('A problem on the API side: resubmitting these requests unchanged can succeed.')}`
      : `  ${l10n.t('The API refused these requests as they are: fix them before resubmitting.')}`,
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
    doc.add(`  ${NONE_IN[outcome]()}`);
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
  doc.add(keyField(key, value, 12));
}

function countsLine(summary: ResultsSummary): string {
  const c = summary.counts;
  const retryable = summary.retryableIds.length;
  const fix = summary.fixIds.length;
  const errored = c.errored === 0 ? l10n.t('{0} errored', formatCount(0)) : l10n.t('{0} errored ({1} retryable, {2} to fix)', formatCount(c.errored), formatCount(retryable), formatCount(fix));
  const parts = [l10n.t('{0} succeeded', formatCount(c.succeeded)), errored, l10n.t('{0} expired', formatCount(c.expired)), l10n.t('{0} canceled', formatCount(c.canceled))];
  if (summary.otherTypes) parts.push(l10n.t('{0} of an unknown type', formatCount(summary.otherTypes)));
  return `${resultsWord(summary.results)}: ${parts.join(' · ')}`;
}

function addHeader(doc: DocumentBuilder, summary: ResultsSummary, options: RenderOptions, now: number): void {
  const batch = options.batch;
  const batchId = options.batchId ?? batch?.id;
  const focus = options.section ? parseSectionId(options.section) : undefined;
  const name = options.label ?? batchId ?? l10n.t('batch');
  const focusTitle = focus ? ` · ${OUTCOME_TITLES[focus.outcome]()}${focus.errorType ? ` (${focus.errorType})` : ''}` : '';
  doc.add(`${l10n.t('Results of "{0}"', name)}${focusTitle}`);
  if (batchId) field(doc, l10n.t('Batch'), batchId);
  if (options.sourcePath ?? summary.source?.path) {
    const source = summary.source;
    let note = '';
    if (source?.missing) note = ` (${l10n.t('not found: entries follow the order of the results file, without prompts')})`;
    else if (source?.error) note = ` (${l10n.t('could not be read: {0}', source.error)})`;
    else if (source?.changed) note = ` (${l10n.t('edited since it was submitted: its line numbers may name other requests, so entries are not linked to it')})`;
    field(doc, l10n.t('Source'), `${options.sourcePath ?? source?.path}${note}`);
  }
  if (!focus) {
    if (batch) {
      field(doc, l10n.t('Created'), formatDate(batch.created_at));
      if (batch.ended_at) field(doc, l10n.t('Ended'), l10n.t('{0}, after {1}', formatDate(batch.ended_at), formatDuration(Date.parse(batch.ended_at) - Date.parse(batch.created_at))));
    }
    field(doc, l10n.t('Results'), countsLine(summary));
    const t = summary.usage.totals;
    field(
      doc,
      l10n.t('Tokens'),
      l10n.t(
        '{0} input · {1} output · {2} cache write · {3} cache read',
        formatCount(t.inputTokens),
        formatCount(t.outputTokens),
        formatCount(t.cacheCreationInputTokens),
        formatCount(t.cacheReadInputTokens),
      ),
    );
    const cost = summary.cost;
    const priced = Object.keys(summary.usage.perModel).filter((m) => !cost.unknownModels.includes(m));
    if (priced.length > 0 || cost.unknownModels.length === 0) {
      field(doc, l10n.t('Cost'), l10n.t('{0} at batch prices (estimate; prices as of {1})', formatUsd(cost.usd), cost.pricesAsOf));
    } else {
      field(doc, l10n.t('Cost'), l10n.t('unknown: no price for these models (add them in the claudeBatches price settings)'));
    }
    const models = Object.entries(summary.usage.perModel);
    if (models.length > 1 || cost.unknownModels.length > 0) {
      for (const [model, usage] of models) {
        const usd = cost.perModel[model]?.usd;
        const price = usd === undefined ? l10n.t('no price: not in the total') : formatUsd(usd);
        field(doc, '', l10n.t('{0}: {1} for {2}, {3} in / {4} out tokens', modelName(model), price, requestsText(usage.requests), formatCount(usage.inputTokens), formatCount(usage.outputTokens)));
      }
    }
  }
  const archive = options.archive;
  if (archive) {
    const state = archive.complete
      ? l10n.t('complete, downloaded {0}', formatDate(archive.downloadedAt))
      : archive.error
        ? l10n.t('INCOMPLETE: {0} of {1} results ({2}); download again to get the rest', formatCount(archive.lines), formatCount(archive.total), archive.error)
        : l10n.t('INCOMPLETE: {0} of {1} results; download again to get the rest', formatCount(archive.lines), formatCount(archive.total));
    field(doc, l10n.t('Local copy'), `${archive.path} (${state})`);
  }
  if (batch) {
    const deletedAt = resultsDeletedAt(batch);
    if (batch.archived_at || now >= deletedAt) {
      const when = batch.archived_at ?? new Date(deletedAt).toISOString();
      field(doc, l10n.t('API copy'), l10n.t('the API deleted its copy on {0}: the local copy is the only one left', formatDate(when)));
    } else {
      field(doc, l10n.t('API copy'), l10n.t('results deleted by the API on {0} (in {1})', formatDate(new Date(deletedAt).toISOString()), formatDuration(deletedAt - now)));
    }
  }
  const read = summary.read;
  if (read.malformedLines > 0) {
    const where = read.malformedLineNumbers.map((n) => formatCount(n)).join(', ') + (read.malformedLines > read.malformedLineNumbers.length ? ', …' : '');
    const n = read.malformedLines;
    field(
      doc,
      l10n.t('Unreadable'),
      n === 1
        ? l10n.t('1 line of the local copy could not be read as results (line {0})', where)
        : l10n.t('{0} lines of the local copy could not be read as results (line {1})', formatCount(n), where),
    );
  }
  const source = summary.source;
  if (source && !source.missing && !source.error) {
    const notes: string[] = [];
    const some = (n: number, one: string, many: string) => (n === 1 ? one : many);
    const n = { notInSource: source.resultsNotInSource, withoutResult: source.requestsWithoutResult, duplicates: source.duplicateResults };
    if (n.notInSource) notes.push(some(n.notInSource, l10n.t('1 result with a custom_id the source does not have (edited since?)'), l10n.t('{0} results with a custom_id the source does not have (edited since?)', formatCount(n.notInSource))));
    if (n.withoutResult) notes.push(some(n.withoutResult, l10n.t('1 request of the source without a result'), l10n.t('{0} requests of the source without a result', formatCount(n.withoutResult))));
    if (n.duplicates) notes.push(some(n.duplicates, l10n.t('1 custom_id with more than one result'), l10n.t('{0} custom_ids with more than one result', formatCount(n.duplicates))));
    if (notes.length) field(doc, l10n.t('Mismatch'), notes.join('; '));
  }
  field(doc, l10n.t('Order'), summary.order === 'input' ? l10n.t('as in the source file') : l10n.t('as the API returned them (the source file is not known)'));
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
    saveCommand: options.saveCommand ?? l10n.t('Claude Batches: Save Results…'),
    retryCommand: options.retryCommand ?? l10n.t('Claude Batches: Retry Failed Requests'),
  };
  const doc = new DocumentBuilder();
  addHeader(doc, summary, options, now);
  const focus = options.section ? parseSectionId(options.section) : undefined;
  if (options.section && !focus) throw new Error(l10n.t('Unknown results section: {0}', options.section));
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
