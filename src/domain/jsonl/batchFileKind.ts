import * as l10n from '@vscode/l10n';
/**
 * Whether a JSONL text is a batch file, decided from its first lines. JSONL is everywhere
 * (fine-tuning data, logs, eval sets, this extension's own results exports), so the extension
 * only looks after a file whose content says it is a batch: one request per line, an object with
 * `params` (and `custom_id`). A results line has `custom_id` too, but `result` instead of `params`,
 * and an OpenAI batch line has `custom_id` with `body`: neither is a batch line of this API.
 */
export type BatchFileKind = 'batch' | 'notBatch' | 'undecided';

export interface BatchFileClassification {
  kind: BatchFileKind;
  /** Why, in words that can follow "it": "line 1 has no custom_id/params (its keys: messages)". */
  reason: string;
  /** The 1-based line that decided it, if one did. */
  line?: number;
}

/** How many non-blank lines are looked at: enough to see past a stray line, cheap on any file. */
const CLASSIFY_LINES = 10;

/** Blank lines looked at, at most: a file of nothing but blank lines is not read to its end. */
const MAX_BLANK_LINES = 1000;

/** The bytes of a file read to classify it: its first lines, however large the file. */
export const CLASSIFY_BYTES = 64 * 1024;

/** A line being typed (not yet valid JSON) that already names `params` reads as a batch line. */
const PARAMS_KEY = /"params"\s*:/;

/**
 * Classifies a file from its first lines (any more are ignored). A line that is an object with
 * `params` decides "batch", even when another of the first lines is broken: the diagnostics are
 * there to say what is wrong with it. Otherwise a line that is JSON but not a request (an object
 * without `params`, an array, a string, a number) decides "notBatch". Blank lines and lines that
 * are not JSON decide nothing; a file of only those (an empty file) is "undecided".
 */
export function classifyBatchText(lines: Iterable<string>): BatchFileClassification {
  let notBatch: BatchFileClassification | undefined;
  let seen = 0;
  let lineNumber = 0;
  for (const raw of lines) {
    lineNumber++;
    const text = (lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text === '') {
      if (lineNumber - seen > MAX_BLANK_LINES) break;
      continue;
    }
    if (++seen > CLASSIFY_LINES) break;
    const shape = lineShape(text);
    if (shape.kind === 'request') return { kind: 'batch', reason: l10n.t('line {0} is a request (it has params)', lineNumber), line: lineNumber };
    if (shape.kind === 'other' && !notBatch) notBatch = { kind: 'notBatch', reason: l10n.t('line {0} {1}', lineNumber, shape.what), line: lineNumber };
  }
  if (notBatch) return notBatch;
  return { kind: 'undecided', reason: seen === 0 ? l10n.t('it is empty') : l10n.t('none of its first lines is JSON') };
}

/** Splits a text into lines for {@link classifyBatchText}, reading no further than it needs. */
export function* firstLines(text: string): Generator<string> {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    yield text.slice(start, end);
    start = end + 1;
  }
}

type LineShape = { kind: 'request' } | { kind: 'other'; what: string } | { kind: 'unknown' };

function lineShape(text: string): LineShape {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return PARAMS_KEY.test(text) ? { kind: 'request' } : { kind: 'unknown' };
  }
  if (value === null) return { kind: 'other', what: l10n.t('is null, not a request object') };
  if (Array.isArray(value)) return { kind: 'other', what: l10n.t('is an array, not a request object') };
  if (typeof value !== 'object') return { kind: 'other', what: l10n.t('is a {0}, not a request object', typeof value) };
  if (Object.prototype.hasOwnProperty.call(value, 'params')) return { kind: 'request' };
  const keys = Object.keys(value);
  const listed = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
  return { kind: 'other', what: l10n.t('has no custom_id/params ({0})', keys.length ? l10n.t('its keys: {0}', listed) : l10n.t('it is an empty object')) };
}
