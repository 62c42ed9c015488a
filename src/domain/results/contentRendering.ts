// How each kind of content block of a reply reads in the results document: text as text, tool
// calls as a name and pretty JSON, thinking quoted, redacted thinking as a placeholder, server
// tool results in a few readable lines, and any block type this code does not know as its JSON.
// Everything in a reply is untrusted (see untrustedText.ts): each line goes through the budget,
// which splits at every line terminator, shows control characters, and indents by the caller's
// indent, so nothing in a reply can look like a heading or an entry.
import * as l10n from '@vscode/l10n';
import type Anthropic from '@anthropic-ai/sdk';
import { formatCount } from '../../common/format';
import { clip } from './sourceIndex';
import { displayText, lineEnd, numberOf, oneLine, safeJson } from './untrustedText';

type ContentBlock = Anthropic.Messages.ContentBlock;
type Json = Record<string, unknown>;

/** Collects the lines of one entry within a character budget; what is over it is counted, not kept. */
export class LineBudget {
  readonly lines: string[] = [];
  /** Characters left out once the budget ran out. */
  omittedChars = 0;

  constructor(private remaining: number) {}

  get exhausted(): boolean {
    return this.remaining <= 0;
  }

  /** One line: line terminators and control characters in `text` are shown, not acted on. */
  push(indent: string, text: string): void {
    text = oneLine(text);
    if (this.remaining <= 0) {
      this.omittedChars += text.length;
      return;
    }
    if (text.length > this.remaining) {
      this.omittedChars += text.length - this.remaining;
      text = clip(text, this.remaining + 1);
    }
    this.remaining -= Math.max(1, text.length);
    this.lines.push(indent + text);
  }

  /**
   * Each line of a multi-line text, with the same indent and prefix. Lines end at every line
   * terminator VS Code knows (\r\n, \r, \n, U+0085, U+2028, U+2029), so the lines counted here
   * are the lines the editor shows.
   */
  pushText(indent: string, text: string, prefix = ''): void {
    this.pushLines(indent, text, prefix, indent);
  }

  /**
   * A labelled multi-line text: the first line after `label`, the next ones indented two more
   * spaces (e.g. "error: first line" then its continuation).
   */
  pushLabelled(indent: string, label: string, text: string): void {
    this.pushLines(indent, text, '', `${indent}  `, label);
  }

  private pushLines(indent: string, text: string, prefix: string, nextIndent: string, label = ''): void {
    let start = 0;
    for (let first = true; ; first = false) {
      if (this.remaining <= 0) {
        this.omittedChars += text.length - start;
        return;
      }
      const { end, next } = lineEnd(text, start);
      this.push(first ? indent : nextIndent, (first ? label : '') + prefix + text.slice(start, end));
      if (next < 0) return;
      start = next;
    }
  }

  /** Pretty JSON of a value, one line per line, cut at a safe depth. */
  pushJson(indent: string, value: unknown): void {
    this.pushText(indent, safeJson(value, 2));
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
/** Output usually ends with a line break: no empty line for it. */
const withoutFinalBreak = (text: string): string => text.replace(/(?:\r\n|[\r\n\u0085\u2028\u2029])$/, '');
/** The length of an untrusted string, 0 for anything else. */
const lengthOf = (value: unknown): number => (typeof value === 'string' ? value.length : 0);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

type SpanUnit = 'character' | 'page' | 'block' | 'line';
/** One of a unit, and a range of them: whole messages, so each language words its own plural. */
const ONE: Record<SpanUnit, (at: string) => string> = {
  character: (at) => l10n.t('character {0}', at),
  page: (at) => l10n.t('page {0}', at),
  block: (at) => l10n.t('block {0}', at),
  line: (at) => l10n.t('line {0}', at),
};
const RANGE: Record<SpanUnit, (from: number, to: number) => string> = {
  character: (from, to) => l10n.t('characters {0}–{1}', from, to),
  page: (from, to) => l10n.t('pages {0}–{1}', from, to),
  block: (from, to) => l10n.t('blocks {0}–{1}', from, to),
  line: (from, to) => l10n.t('lines {0}–{1}', from, to),
};

/** "page 3" or "pages 3–5" from a start and an exclusive end. */
function span(unit: SpanUnit, start: unknown, endExclusive: unknown): string {
  const a = numberOf(start);
  const b = numberOf(endExclusive) - 1;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) return ONE[unit](displayText(start));
  return RANGE[unit](a, b);
}

/** One citation of a text block, in a line: what is quoted and where it is from. */
function citationLine(citation: Json): string {
  const quoted = `"${clip(displayText(citation.cited_text).replace(/[\s\u0085]+/g, ' ').trim(), 120)}"`;
  const documentName = str(citation.document_title) ?? l10n.t('document {0}', numberOf(citation.document_index) + 1);
  switch (citation.type) {
    case 'char_location':
      return `${quoted} — ${documentName}, ${span('character', citation.start_char_index, citation.end_char_index)}`;
    case 'page_location':
      return `${quoted} — ${documentName}, ${span('page', citation.start_page_number, citation.end_page_number)}`;
    case 'content_block_location':
      return `${quoted} — ${documentName}, ${span('block', citation.start_block_index, citation.end_block_index)}`;
    case 'web_search_result_location':
      return `${quoted} — ${str(citation.title) ?? l10n.t('web page')} <${str(citation.url) ?? ''}>`;
    case 'search_result_location':
      return `${quoted} — ${str(citation.title) ?? str(citation.source) ?? l10n.t('search result')} (${str(citation.source) ?? ''})`;
    default:
      return `${quoted} — ${safeJson(citation)}`;
  }
}

function outputFiles(out: LineBudget, indent: string, content: unknown): void {
  if (!Array.isArray(content) || content.length === 0) return;
  const ids = content.map((file) => (isObject(file) ? (str(file.file_id) ?? '?') : '?'));
  out.push(indent, l10n.t('output files: {0}', ids.join(', ')));
}

function streams(out: LineBudget, indent: string, result: Json): void {
  const stdout = str(result.stdout);
  const stderr = str(result.stderr);
  if (stdout) {
    out.push(indent, 'stdout:');
    out.pushText(`${indent}  `, withoutFinalBreak(stdout));
  }
  if (str(result.encrypted_stdout) !== undefined) out.push(indent, l10n.t('stdout: (encrypted)'));
  if (stderr) {
    out.push(indent, 'stderr:');
    out.pushText(`${indent}  `, withoutFinalBreak(stderr));
  }
  if (!stdout && !stderr && str(result.encrypted_stdout) === undefined) out.push(indent, l10n.t('(no output)'));
}

function errorCode(content: Json): string {
  const message = str(content.error_message);
  return `${str(content.error_code) ?? 'error'}${message ? `: ${message}` : ''}`;
}

function webFetch(out: LineBudget, indent: string, content: Json): void {
  if (content.type === 'web_fetch_tool_result_error') {
    out.push(indent, l10n.t('web fetch failed: {0}', errorCode(content)));
    return;
  }
  const retrieved = str(content.retrieved_at);
  out.push(indent, l10n.t('web fetch: <{0}>{1}', str(content.url) ?? '?', retrieved ? l10n.t(' retrieved {0}', retrieved) : ''));
  const doc = isObject(content.content) ? content.content : undefined;
  const source = isObject(doc?.source) ? doc.source : undefined;
  if (doc && str(doc.title)) out.push(`${indent}  `, l10n.t('title: {0}', str(doc.title) ?? ''));
  if (source?.type === 'text' && typeof source.data === 'string') {
    out.push(`${indent}  `, l10n.t('text ({0} characters):', formatCount(source.data.length)));
    out.pushText(`${indent}    `, clip(source.data, 1000));
  } else if (source?.type === 'base64') {
    out.push(`${indent}  `, l10n.t('{0} document ({1} bytes)', str(source.media_type) ?? 'binary', formatCount(Math.floor((lengthOf(source.data) * 3) / 4))));
  }
}

function textEditor(out: LineBudget, indent: string, content: Json): void {
  switch (content.type) {
    case 'text_editor_code_execution_view_result': {
      const range = content.start_line != null && content.num_lines != null ? `, ${span('line', content.start_line, numberOf(content.start_line) + numberOf(content.num_lines))}` : '';
      const total = content.total_lines != null ? l10n.t(' of {0}', displayText(content.total_lines)) : '';
      out.push(indent, l10n.t('text editor: viewed a {0} file{1}{2}', str(content.file_type) ?? 'text', range, total));
      if (content.file_type === 'text' || content.file_type === undefined) out.pushText(`${indent}  `, displayText(content.content));
      return;
    }
    case 'text_editor_code_execution_create_result':
      out.push(indent, content.is_file_update ? l10n.t('text editor: updated a file') : l10n.t('text editor: created a file'));
      return;
    case 'text_editor_code_execution_str_replace_result': {
      const old = content.old_start != null ? span('line', content.old_start, numberOf(content.old_start) + numberOf(content.old_lines ?? 1)) : l10n.t('text');
      const now = content.new_start != null ? l10n.t(' (now {0})', span('line', content.new_start, numberOf(content.new_start) + numberOf(content.new_lines ?? 1))) : '';
      out.push(indent, l10n.t('text editor: replaced {0}{1}', old, now));
      if (Array.isArray(content.lines)) for (const line of content.lines) out.pushText(`${indent}  `, displayText(line));
      return;
    }
    case 'text_editor_code_execution_tool_result_error':
      out.push(indent, l10n.t('text editor failed: {0}', errorCode(content)));
      return;
    default:
      out.push(indent, l10n.t('text editor result:'));
      out.pushJson(`${indent}  `, content);
  }
}

/** Lines for one content block of a reply. */
export function renderBlock(out: LineBudget, indent: string, block: ContentBlock | Json): void {
  const b = block as Json;
  const inner = `${indent}  `;
  switch (b.type) {
    case 'text': {
      out.pushText(indent, displayText(b.text));
      if (Array.isArray(b.citations) && b.citations.length > 0) {
        for (const citation of b.citations) if (isObject(citation)) out.push(inner, l10n.t('[cites] {0}', citationLine(citation)));
      }
      return;
    }
    case 'thinking':
      out.push(indent, 'thinking:');
      out.pushText(indent, displayText(b.thinking), '> ');
      return;
    case 'redacted_thinking':
      out.push(indent, l10n.t('[redacted thinking: {0} characters of encrypted data, not shown]', formatCount(lengthOf(b.data))));
      return;
    case 'tool_use':
      out.push(indent, l10n.t('tool call: {0} ({1})', str(b.name) ?? '?', str(b.id) ?? l10n.t('no id')));
      out.pushJson(inner, b.input ?? {});
      return;
    case 'server_tool_use':
      out.push(indent, l10n.t('server tool call: {0} ({1})', str(b.name) ?? '?', str(b.id) ?? l10n.t('no id')));
      out.pushJson(inner, b.input ?? {});
      return;
    case 'web_search_tool_result': {
      const content = b.content;
      if (Array.isArray(content)) {
        out.push(indent, l10n.t('web search results ({0}) for {1}:', content.length, str(b.tool_use_id) ?? '?'));
        content.forEach((r, i) => {
          if (!isObject(r)) return;
          const age = str(r.page_age);
          out.push(inner, `${i + 1}. ${str(r.title) ?? l10n.t('(untitled)')} <${str(r.url) ?? '?'}>${age ? ` (${age})` : ''}`);
        });
      } else if (isObject(content)) {
        out.push(indent, l10n.t('web search failed: {0}', errorCode(content)));
      }
      return;
    }
    case 'web_fetch_tool_result':
      if (isObject(b.content)) webFetch(out, indent, b.content);
      return;
    case 'code_execution_tool_result':
    case 'bash_code_execution_tool_result': {
      const what = b.type === 'bash_code_execution_tool_result' ? 'bash' : l10n.t('code execution');
      const content = isObject(b.content) ? b.content : {};
      if ((str(content.type) ?? '').endsWith('_error')) {
        out.push(indent, l10n.t('{0} failed: {1}', what, errorCode(content)));
        return;
      }
      out.push(indent, l10n.t('{0}: return code {1}{2}', what, displayText(content.return_code ?? '?'), content.type === 'encrypted_code_execution_result' ? l10n.t(' (output encrypted)') : ''));
      streams(out, inner, content);
      outputFiles(out, inner, content.content);
      return;
    }
    case 'text_editor_code_execution_tool_result':
      if (isObject(b.content)) textEditor(out, indent, b.content);
      return;
    case 'tool_search_tool_result': {
      const content = isObject(b.content) ? b.content : {};
      if (content.type === 'tool_search_tool_result_error') {
        out.push(indent, l10n.t('tool search failed: {0}', errorCode(content)));
        return;
      }
      const refs = Array.isArray(content.tool_references) ? content.tool_references : [];
      const names = refs.map((r) => (isObject(r) ? (str(r.tool_name) ?? '?') : '?'));
      out.push(indent, l10n.t('tool search found {0}', names.length === 0 ? l10n.t('no tools') : names.join(', ')));
      return;
    }
    case 'container_upload':
      out.push(indent, l10n.t('container upload: file {0}', str(b.file_id) ?? '?'));
      return;
    default:
      out.push(indent, `[${str(b.type) ?? 'untyped'} block]`);
      out.pushJson(inner, block);
  }
}

/** Lines for the whole content of a reply. */
export function renderContent(out: LineBudget, indent: string, content: unknown): void {
  if (typeof content === 'string') {
    out.pushText(indent, content);
    return;
  }
  if (!Array.isArray(content) || content.length === 0) {
    out.push(indent, l10n.t('(empty reply)'));
    return;
  }
  for (const block of content) {
    if (isObject(block)) renderBlock(out, indent, block);
    else out.pushJson(indent, block);
  }
}

/**
 * `  key   value`: the key padded to `width`, with two spaces at least after it however long its
 * translation (the results grammar reads two spaces as the end of a key).
 */
export function keyField(key: string, value: string, width: number): string {
  return `  ${key.padEnd(key ? Math.max(width, key.length + 2) : width)}${value}`;
}
