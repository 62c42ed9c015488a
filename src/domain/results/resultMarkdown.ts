// One result in full, as Markdown (the document "Open in Full" shows), or as its raw JSON. Nothing
// is cut, whatever its size: the results document shows the start of each entry, this shows all.
//
// What is the model's own writing (its reply text, its thinking) is Markdown already and goes in
// as it is: that is how it reads best, and the preview renders no HTML or scripts. Everything
// else is untrusted text that must read as itself: names, ids, URLs, titles and cited text from
// web pages go through markdownText (every punctuation character escaped, so no link, image,
// HTML or emphasis can start); longer untrusted text (a fetched page, tool output, error
// messages, tool inputs as JSON) goes in fenced code blocks whose fence is longer than any run
// of backticks inside, so it cannot close them. Control and bidi characters are shown, never
// acted on, everywhere (textLines).
import * as l10n from '@vscode/l10n';
import { tokenLine } from './resultUsage';
import type { MessageBatchResult } from '../../api';
import { formatCount } from '../../common/format';
import { markdownText } from '../markdown';
import { errorMessageOf, errorRequestIdOf, errorTypeOf } from './outcomes';
import { displayText, safeJson, textLines } from './untrustedText';

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Untrusted text inline: shown as itself. */
const inline = (value: unknown): string => markdownText(textLines(displayText(value)).join(' '));

/** Text that is Markdown by intent (the model's), with controls shown and line breaks kept. */
const markdown = (text: string): string => textLines(text).join('\n');

/** Untrusted text in a fenced block no line of it can close. */
export function fenced(text: string, language = 'text'): string {
  const lines = textLines(text);
  let longest = 0;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${lines.join('\n')}\n${fence}`;
}

const json = (value: unknown): string => fenced(safeJson(value, 2), 'json');

function citation(c: Json): string {
  const quoted = inline(c.cited_text);
  switch (c.type) {
    case 'web_search_result_location':
      return `“${quoted}” — ${inline(c.title ?? l10n.t('web page'))}, ${inline(c.url ?? '')}`;
    case 'search_result_location':
      return `“${quoted}” — ${inline(c.title ?? c.source ?? l10n.t('search result'))}`;
    case 'char_location':
    case 'page_location':
    case 'content_block_location':
      return `“${quoted}” — ${inline(c.document_title ?? l10n.t('document {0}', num(c.document_index) + 1))}`;
    default:
      return `“${quoted}” — ${inline(safeJson(c))}`;
  }
}

/** Output usually ends with a line break: no empty line for it. */
const withoutFinalBreak = (text: string): string => text.replace(/(?:\r\n|[\r\n\u0085\u2028\u2029])$/, '');

function streams(out: string[], content: Json): void {
  if (str(content.stdout)) out.push('stdout:', fenced(withoutFinalBreak(str(content.stdout)!)));
  if (str(content.stderr)) out.push('stderr:', fenced(withoutFinalBreak(str(content.stderr)!)));
  if (str(content.encrypted_stdout) !== undefined) out.push(l10n.t('_stdout encrypted_'));
}

function errorCode(content: Json): string {
  return `${inline(content.error_code ?? 'error')}${str(content.error_message) ? `: ${inline(content.error_message)}` : ''}`;
}

/** The Markdown paragraphs of one content block. */
function block(out: string[], b: Json): void {
  switch (b.type) {
    case 'text':
      out.push(markdown(displayText(b.text)));
      if (Array.isArray(b.citations) && b.citations.length > 0) out.push(l10n.t('**Citations**\n\n{0}', b.citations.filter(isObject).map((c) => `- ${citation(c)}`).join('\n')));
      return;
    case 'thinking':
      out.push(l10n.t('**Thinking**\n\n{0}', textLines(displayText(b.thinking)).map((line) => `> ${line}`).join('\n')));
      return;
    case 'redacted_thinking':
      out.push(l10n.t('**Redacted thinking**: {0} characters of encrypted data, not shown.', formatCount(str(b.data)?.length ?? 0)));
      return;
    case 'tool_use':
    case 'server_tool_use':
      out.push(`**${b.type === 'tool_use' ? l10n.t('Tool call') : l10n.t('Server tool call')}**: ${inline(b.name ?? '?')} (${inline(b.id ?? l10n.t('no id'))})`, json(b.input ?? {}));
      return;
    case 'web_search_tool_result': {
      const content = b.content;
      if (Array.isArray(content)) {
        const items = content.filter(isObject).map((r, i) => `${i + 1}. ${inline(r.title ?? l10n.t('(untitled)'))} — ${inline(r.url ?? '?')}${str(r.page_age) ? ` (${inline(r.page_age)})` : ''}`);
        out.push(l10n.t('**Web search results** for {0}\n\n{1}', inline(b.tool_use_id ?? '?'), items.join('\n') || l10n.t('(none)')));
      } else if (isObject(content)) {
        out.push(l10n.t('**Web search failed**: {0}', errorCode(content)));
      }
      return;
    }
    case 'web_fetch_tool_result': {
      const content = isObject(b.content) ? b.content : {};
      if (content.type === 'web_fetch_tool_result_error') {
        out.push(l10n.t('**Web fetch failed**: {0}', errorCode(content)));
        return;
      }
      const doc = isObject(content.content) ? content.content : {};
      const source = isObject(doc.source) ? doc.source : {};
      out.push(l10n.t('**Web fetch**: {0}{1}{2}', inline(content.url ?? '?'), str(content.retrieved_at) ? l10n.t(', retrieved {0}', inline(content.retrieved_at)) : '', str(doc.title) ? l10n.t('\n\nTitle: {0}', inline(doc.title)) : ''));
      if (source.type === 'text' && typeof source.data === 'string') out.push(l10n.t('Text of the page ({0} characters, from the web: untrusted):', formatCount(source.data.length)), fenced(source.data));
      else if (source.type === 'base64') out.push(l10n.t('{0} document, {1} bytes', inline(source.media_type ?? 'binary'), formatCount(Math.floor(((str(source.data)?.length ?? 0) * 3) / 4))));
      return;
    }
    case 'code_execution_tool_result':
    case 'bash_code_execution_tool_result': {
      const what = b.type === 'bash_code_execution_tool_result' ? l10n.t('Bash') : l10n.t('Code execution');
      const content = isObject(b.content) ? b.content : {};
      if ((str(content.type) ?? '').endsWith('_error')) {
        out.push(l10n.t('**{0} failed**: {1}', what, errorCode(content)));
        return;
      }
      out.push(l10n.t('**{0}**: return code {1}', what, inline(content.return_code ?? '?')));
      streams(out, content);
      if (Array.isArray(content.content) && content.content.length > 0) out.push(l10n.t('Output files: {0}', content.content.map((f) => inline(isObject(f) ? (f.file_id ?? '?') : '?')).join(', ')));
      return;
    }
    case 'text_editor_code_execution_tool_result': {
      const content = isObject(b.content) ? b.content : {};
      out.push(l10n.t('**Text editor**: {0}', inline(content.type ?? '?')));
      if (typeof content.content === 'string') out.push(fenced(content.content));
      else if (content.type === 'text_editor_code_execution_tool_result_error') out.push(errorCode(content));
      else out.push(json(content));
      return;
    }
    case 'tool_search_tool_result': {
      const content = isObject(b.content) ? b.content : {};
      if (content.type === 'tool_search_tool_result_error') {
        out.push(l10n.t('**Tool search failed**: {0}', errorCode(content)));
        return;
      }
      const refs = Array.isArray(content.tool_references) ? content.tool_references : [];
      out.push(l10n.t('**Tool search** found {0}', refs.length === 0 ? l10n.t('no tools') : refs.map((t) => inline(isObject(t) ? (t.tool_name ?? '?') : '?')).join(', ')));
      return;
    }
    case 'container_upload':
      out.push(l10n.t('**Container upload**: file {0}', inline(b.file_id ?? '?')));
      return;
    default:
      out.push(`**${inline(b.type ?? 'untyped')} block**`, json(b));
  }
}

/** The usage line of a reply. */
function usage(message: Json): string | undefined {
  return tokenLine(message.usage) || undefined;
}

export interface ResultMarkdownOptions {
  batchId?: string;
  /** What the user calls the batch (its file name). */
  label?: string;
  /** The command title that shows the raw JSON, named in the text. */
  rawCommand?: string;
}

/** One result in full, as Markdown. */
export function renderResultMarkdown(customId: string, result: MessageBatchResult, options: ResultMarkdownOptions = {}): string {
  const out: string[] = [`# ${inline(customId)}`];
  const facts: string[] = [];
  if (options.label || options.batchId) facts.push(l10n.t('- Batch: {0}{1}', inline(options.label ?? options.batchId), options.label && options.batchId ? ` (${inline(options.batchId)})` : ''));
  facts.push(l10n.t('- Outcome: {0}', inline(result.type)));
  const r = result as unknown as Json;
  if (result.type === 'succeeded' && isObject(r.message)) {
    const message = r.message;
    facts.push(l10n.t('- Model: {0}', inline(message.model ?? 'unknown')), l10n.t('- Stop reason: {0}', inline(message.stop_reason ?? 'none')));
    const used = usage(message);
    if (used) facts.push(l10n.t('- Usage: {0}', used));
  }
  if (options.rawCommand) facts.push(l10n.t('- Raw JSON: "{0}"', options.rawCommand));
  out.push(facts.join('\n'));
  switch (result.type) {
    case 'succeeded': {
      const message = isObject(r.message) ? r.message : {};
      if (message.stop_reason === 'max_tokens') out.push(l10n.t('_Cut off at max_tokens: raise max_tokens to get the whole reply._'));
      out.push(l10n.t('## Reply'));
      const content = message.content;
      if (typeof content === 'string') out.push(markdown(content));
      else if (!Array.isArray(content) || content.length === 0) out.push(l10n.t('_(empty reply)_'));
      else {
        for (const b of content) {
          if (isObject(b)) block(out, b);
          else out.push(json(b));
        }
      }
      break;
    }
    case 'errored': {
      out.push(l10n.t('## Error'), l10n.t('Type: {0}', inline(errorTypeOf(result))), fenced(errorMessageOf(result) || l10n.t('(no message)')));
      const requestId = errorRequestIdOf(result);
      if (requestId) out.push(l10n.t('Request id: {0}', inline(requestId)));
      break;
    }
    case 'expired':
      out.push(l10n.t('Not processed within 24 hours: resubmit it ("Claude Batches: Retry Failed Requests" builds a batch of the expired and retryable requests).'));
      break;
    case 'canceled':
      out.push(l10n.t('Canceled before it was processed: resubmit it if you still need its answer.'));
      break;
    default:
      out.push(json(result));
  }
  return `${out.join('\n\n')}\n`;
}

/** One result's line as pretty JSON (deeper than the JSON walker goes is said so; nothing else is cut). */
export function renderResultJson(line: unknown): string {
  return `${safeJson(line, 2)}\n`;
}
