// What the batch file shows beside each request once its results are local: per custom_id, how it
// ended and the start of its answer. Built in one streaming pass over a local copy and kept
// compact (a few numbers and at most ANSWER_CHARS characters per request), so hovers and hints
// on a 100,000-line batch file look answers up in a map instead of reading the results again.
// Capped at `maxEntries` custom_ids (the API's largest batch by default); what is over the cap is
// counted, not kept.
import * as l10n from '@vscode/l10n';
import type { MessageBatchIndividualResponse } from '../../api';
import { errorMessageOf, errorTypeOf, outcomeOf, type Outcome } from './outcomes';
import { scanResults } from './resultsReader';
import { clip } from './sourceIndex';
import { oneLine } from './untrustedText';

/** The most requests one batch holds: a map of one batch's answers never needs more. */
export const MAX_BRIEFS = 100_000;
/** Characters of each answer (or error message) kept. */
export const ANSWER_CHARS = 120;

/** How one request ended, in a few words. */
export interface AnswerBrief {
  /** undefined: a result type this code does not know. */
  outcome: Outcome | undefined;
  model?: string;
  stopReason?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** The start of the answer's text, on one line (succeeded). */
  answer?: string;
  /** The API's error category and the start of its message (errored). */
  errorType?: string;
  errorMessage?: string;
}

export interface AnswerBriefs {
  readonly byId: ReadonlyMap<string, AnswerBrief>;
  /** Results read, by outcome (every result, kept or not). */
  counts: Record<Outcome, number>;
  results: number;
  /** Results whose custom_id was not kept: over the cap. */
  notKept: number;
}

const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The start of a reply's readable text, on one line: its text blocks, else the kinds of its blocks. */
export function answerStart(content: unknown, chars = ANSWER_CHARS): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const parts: string[] = [];
  let length = 0;
  for (const block of content as unknown[]) {
    if (length > chars) break;
    if (typeof block !== 'object' || block === null) continue;
    const b = block as { type?: unknown; text?: unknown; name?: unknown };
    const part = b.type === 'text' && typeof b.text === 'string' ? b.text.slice(0, chars + 1) : b.type === 'tool_use' && typeof b.name === 'string' ? l10n.t('[tool call: {0}]', b.name) : undefined;
    if (part === undefined) continue;
    parts.push(part);
    length += part.length + 1;
  }
  const joined = parts.join(' ').replace(/[\s\u0085]+/g, ' ').trim();
  return joined ? oneLine(clip(joined, chars)) : undefined;
}

/** The brief of one result. */
export function briefOf(line: MessageBatchIndividualResponse, chars = ANSWER_CHARS): AnswerBrief {
  const result = line.result;
  const outcome = outcomeOf(result);
  if (outcome === 'succeeded' && result.type === 'succeeded') {
    const message = result.message;
    const usage = message?.usage as unknown as Record<string, unknown> | undefined;
    return {
      outcome,
      model: text(message?.model),
      stopReason: text(message?.stop_reason),
      inputTokens: finite(usage?.input_tokens),
      outputTokens: finite(usage?.output_tokens),
      cacheReadTokens: finite(usage?.cache_read_input_tokens),
      cacheWriteTokens: finite(usage?.cache_creation_input_tokens),
      answer: answerStart(message?.content, chars),
    };
  }
  if (outcome === 'errored') {
    const message = errorMessageOf(result);
    return { outcome, errorType: oneLine(errorTypeOf(result)), errorMessage: message ? oneLine(clip(message.replace(/[\s\u0085]+/g, ' '), chars)) : undefined };
  }
  return { outcome };
}

/** One pass over a local copy of results: each custom_id's brief (the first result of an id wins). */
export async function readAnswerBriefs(resultsPath: string, options: { maxEntries?: number; answerChars?: number; signal?: AbortSignal } = {}): Promise<AnswerBriefs> {
  const max = Math.max(0, options.maxEntries ?? MAX_BRIEFS);
  const byId = new Map<string, AnswerBrief>();
  const counts: Record<Outcome, number> = { succeeded: 0, errored: 0, expired: 0, canceled: 0 };
  let results = 0;
  let notKept = 0;
  await scanResults(
    resultsPath,
    (line) => {
      results++;
      const outcome = outcomeOf(line.result);
      if (outcome) counts[outcome]++;
      if (byId.has(line.custom_id)) return;
      if (byId.size >= max) {
        notKept++;
        return;
      }
      byId.set(line.custom_id, briefOf(line, options.answerChars));
    },
    { signal: options.signal },
  );
  return { byId, counts, results, notKept };
}

/** Where the id of a request written id first is found without parsing. */
const FAST_SCAN_CHARS = 4096;
/** Longer lines are not parsed to find an id placed after their params. */
const PARSE_CHARS = 1_000_000;
const ID_IN_LINE = /"custom_id"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/**
 * The custom_id a batch file's line names, read without parsing the whole line (a line can be
 * megabytes of prompt). The first `"custom_id": "…"` of the line: in a request written as the API
 * documents it, that is the request's own.
 */
export function customIdOfLine(line: string): string | undefined {
  const match = ID_IN_LINE.exec(line.length > FAST_SCAN_CHARS ? line.slice(0, FAST_SCAN_CHARS) : line);
  if (match) {
    try {
      return JSON.parse(`"${match[1]}"`) as string;
    } catch {
      return undefined;
    }
  }
  // The id after a long `params`: parse the line, when it is not too long to parse on a hover.
  if (line.length <= FAST_SCAN_CHARS || line.length > PARSE_CHARS) return undefined;
  try {
    const value = JSON.parse(line) as { custom_id?: unknown } | null;
    return typeof value === 'object' && value !== null && typeof value.custom_id === 'string' ? value.custom_id : undefined;
  } catch {
    return undefined;
  }
}
