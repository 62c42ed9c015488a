import * as l10n from '@vscode/l10n';
import type { JsonPath } from './jsonLocator';
import type { Severity } from './types';
import type { RuleCode } from './codes';
import { emptyTally, type InputTally } from '../cost/tokenEstimate';

/**
 * A problem found by the rules, addressed by its JSON path rather than a column: the path is
 * turned into a position only when the line is reported (see jsonLocator), so lines without
 * problems are never scanned character by character.
 */
export interface Issue {
  severity: Severity;
  code: RuleCode;
  message: string;
  path: JsonPath;
  /** Underline the key at the path, its value, or the whole line. */
  target: 'key' | 'value' | 'line';
  /** Another place in the same line that explains this one (e.g. the tool_use a result lacks). */
  relatedPath?: { path: JsonPath; message: string };
}

/** Collects one line's issues and input tally; reused from line to line. */
export class LineFindings {
  issues: Issue[] = [];
  errors = 0;
  tally: InputTally = emptyTally();
  cacheBreakpoints = 0;
  customId: string | undefined;
  model: string | undefined;
  maxTokens: number | undefined;

  reset(): void {
    if (this.issues.length) this.issues = [];
    this.errors = 0;
    this.customId = undefined;
    this.model = undefined;
    this.maxTokens = undefined;
    const t = this.tally;
    t.textChars = 0;
    t.images = 0;
    t.pdfBytes = 0;
    t.unsizedDocuments = 0;
    t.messages = 0;
    t.hasTools = false;
    this.cacheBreakpoints = 0;
  }

  error(code: RuleCode, path: JsonPath, message: string, target: Issue['target'] = 'value'): void {
    this.errors++;
    this.issues.push({ severity: 'error', code, message, path, target });
  }

  warning(code: RuleCode, path: JsonPath, message: string, target: Issue['target'] = 'value'): void {
    this.issues.push({ severity: 'warning', code, message, path, target });
  }
}

export { isPlainObject } from '../../common/json';

/** A short description of a JSON value for messages: `a string ("1024")`, `null`, `an array`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return l10n.t('an array');
  switch (typeof value) {
    case 'string':
      return l10n.t('a string ({0})', quote(value));
    case 'number':
      return l10n.t('the number {0}', value);
    case 'boolean':
      return String(value);
    case 'object':
      return l10n.t('an object');
    default:
      return typeof value;
  }
}

/** JSON-quotes a value for a message, shortened past 40 characters. */
export function quote(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 37)}…` : value;
  return JSON.stringify(short);
}

/** Lists allowed literal values for a message: `"a", "b" or "c"`. */
export function oneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `"${v}"`);
  return quoted.length === 1 ? quoted[0] : l10n.t('{0} or {1}', quoted.slice(0, -1).join(', '), quoted[quoted.length - 1]);
}
