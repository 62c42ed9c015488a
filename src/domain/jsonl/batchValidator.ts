// The per-line logic both entry points share. Lines are fed in order; the validator keeps only
// what the rules need across lines (custom_id → first line, for duplicates; a few counters; the
// per-model summary) and at most `maxDiagnostics` diagnostics, so its memory does not grow with
// the size of the file.

import * as l10n from '@vscode/l10n';
import { RuleCode } from './codes';
import { isPlainObject, LineFindings, type Issue } from './issues';
import { findSyntaxError, locate } from './jsonLocator';
import { checkRequest } from './requestRules';
import type { InvalidUtf8 } from './lineSplitter';
import type { AcceptedLine, BatchValidation, Diagnostic, ModelUsageEstimate, StreamValidationOptions } from './types';
import type { LineTooLongError } from '../lineLimit';
import { estimateInputTokens } from '../cost/tokenEstimate';
import { formatBytes, formatCount } from '../../common/format';

export const DEFAULT_MAX_REQUESTS = 100_000;
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_DIAGNOSTICS = 1000;
const DEFAULT_NEAR_LIMIT_RATIO = 0.9;

/** `{"requests":[` and `]}` around the request lines, joined by commas. */
const BODY_FRAME_BYTES = '{"requests":[]}'.length;
const BOM = 0xfeff;
/** Packs a line (< 2^32) and a column (< 2^20) into one number for the duplicate map. */
const LINE_SPAN = 2 ** 32;
/** Column of the custom_id value in a line that starts `{"custom_id":` (as `pushRequest` lines do). */
const CUSTOM_ID_FIRST_COLUMN = '{"custom_id":'.length + 1;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

export class BatchValidator {
  private readonly maxDiagnostics: number;
  private readonly maxRequests: number;
  private readonly maxBytes: number;
  private readonly nearLimitRatio: number;
  private readonly onRequestLine?: (line: AcceptedLine) => void;

  private readonly diagnostics: Diagnostic[] = [];
  /** The file-level diagnostics among them (a handful), which the cap never evicts. */
  private readonly fileLevel = new Set<Diagnostic>();
  private errorCount = 0;
  private warningCount = 0;
  private truncated = false;
  private lineNumber = 0;
  private requestCount = 0;
  private acceptedCount = 0;
  private jsonBytes = 0;
  private crlfLines = 0;
  private firstCrlf: { line: number; column: number } | undefined;
  private requestLimitLine = 0;
  private sizeLimitLine = 0;
  /** custom_id → line + column × 2^32 of its first use. */
  private readonly firstUse = new Map<string, number>();
  private readonly models = new Map<string, ModelUsageEstimate>();
  private readonly findings = new LineFindings();

  constructor(options: StreamValidationOptions = {}) {
    this.maxDiagnostics = options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS;
    this.maxRequests = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.nearLimitRatio = options.nearLimitRatio ?? DEFAULT_NEAR_LIMIT_RATIO;
    this.onRequestLine = options.onRequestLine;
  }

  /**
   * One line of the input without its "\n"; `byteLength` is its UTF-8 size (without the "\n").
   * Columns in diagnostics count from the start of `raw`, after a byte-order mark. `invalidUtf8`
   * says where the line's bytes were not UTF-8 (`raw` then holds U+FFFD there): the line is an
   * error and is not sent, since it would carry characters nobody wrote.
   */
  pushLine(raw: string, byteLength: number, invalidUtf8?: InvalidUtf8): void {
    const lineNumber = ++this.lineNumber;
    let text = raw;
    let jsonBytes = byteLength;
    let bom = 0;
    if (lineNumber === 1 && text.charCodeAt(0) === BOM) {
      bom = 1;
      text = text.slice(1);
      jsonBytes -= 3;
      this.addFileDiagnostic({
        severity: 'warning',
        line: 1,
        column: 1,
        code: RuleCode.byteOrderMark,
        message: l10n.t('the file starts with a byte-order mark (BOM): it is ignored and not sent, but most JSONL tools do not expect one; save the file as UTF-8 without BOM'),
      });
    }
    let end = text.length;
    if (end > 0 && text.charCodeAt(end - 1) === 13) {
      end--;
      jsonBytes--;
      this.crlfLines++;
      this.firstCrlf ??= { line: lineNumber, column: end + 1 };
    }
    let start = 0;
    while (start < end && isWs(text.charCodeAt(start))) start++;
    if (start === end) {
      this.add({
        severity: 'warning',
        line: lineNumber,
        column: 1,
        code: RuleCode.blankLine,
        message: l10n.t('blank line: it is skipped (not sent); remove it to keep one request per line'),
      });
      return;
    }
    const contentEnd = end;
    while (isWs(text.charCodeAt(end - 1))) end--;
    // Trimmed characters are ASCII whitespace: one byte each.
    jsonBytes -= start + (contentEnd - end);
    const json = start === 0 && end === text.length ? text : text.slice(start, end);

    this.countRequest(jsonBytes, lineNumber);
    if (invalidUtf8) {
      const column = Math.max(0, invalidUtf8.index - bom) + 1;
      this.add({
        severity: 'error',
        line: lineNumber,
        column,
        endLine: lineNumber,
        endColumn: column + 1,
        code: RuleCode.invalidUtf8,
        message: l10n.t('invalid UTF-8 at byte {0} of the line ({1}): a batch file must be UTF-8, and this line would be sent with replacement characters (U+FFFD) in place of those bytes; save the file as UTF-8, or fix the text at this position', invalidUtf8.byte + 1, invalidUtf8.bytes),
      });
      return;
    }
    this.checkRequestLine(json, jsonBytes, lineNumber, start);
  }

  /**
   * A line over the length cap: reported at its line (and kept whatever `maxDiagnostics` says).
   * Reading stopped there, so nothing after it was checked.
   */
  lineTooLong(err: LineTooLongError): void {
    // The line is in the file, though it was never pushed.
    this.lineNumber = Math.max(this.lineNumber, err.line);
    this.addFileDiagnostic({ severity: 'error', line: err.line, column: 1, code: RuleCode.lineTooLong, message: err.message });
  }

  private bodyBytes(): number {
    return this.requestCount === 0 ? BODY_FRAME_BYTES : BODY_FRAME_BYTES + this.jsonBytes + this.requestCount - 1;
  }

  /**
   * One request given as the value its line parses to, with the line's UTF-8 size and a way to
   * get its text (without BOM, CR or surrounding whitespace, starting `{"custom_id":`), asked
   * for only when the text itself is needed: to place a diagnostic that is kept, or for
   * `onRequestLine`. For a writer that made the line from that value (the builder of batches from
   * data): the line is not parsed back. Returns whether the request was accepted.
   */
  pushRequest(request: Record<string, unknown>, bytes: number, text: () => string): boolean {
    const lineNumber = ++this.lineNumber;
    this.countRequest(bytes, lineNumber);
    const accepted = this.acceptedCount;
    this.checkRequestValue(request, text, CUSTOM_ID_FIRST_COLUMN, bytes, lineNumber, 0);
    return this.acceptedCount > accepted;
  }

  private countRequest(bytes: number, lineNumber: number): void {
    this.requestCount++;
    this.jsonBytes += bytes;
    if (this.requestCount === this.maxRequests + 1) this.requestLimitLine = lineNumber;
    if (this.sizeLimitLine === 0 && this.bodyBytes() > this.maxBytes) this.sizeLimitLine = lineNumber;
  }

  private checkRequestLine(json: string, bytes: number, lineNumber: number, offset: number): void {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      const problem = findSyntaxError(json) ?? { offset: 0, message: err instanceof Error ? err.message : String(err) };
      this.add({
        severity: 'error',
        line: lineNumber,
        column: offset + problem.offset + 1,
        endLine: lineNumber,
        endColumn: offset + Math.min(problem.offset + 1, json.length) + 1,
        code: RuleCode.invalidJson,
        message: l10n.t('invalid JSON at column {0}: {1}', offset + problem.offset + 1, problem.message),
      });
      return;
    }
    const idColumn = this.customIdColumn(json, offset);
    this.checkRequestValue(value, () => json, idColumn > 0 ? idColumn - offset : 0, bytes, lineNumber, offset);
  }

  /** `idColumn`: 1-based column of the custom_id value in the text (0: unknown). */
  private checkRequestValue(value: unknown, text: () => string, idColumn: number, bytes: number, lineNumber: number, offset: number): void {
    const f = this.findings;
    f.reset();
    if (!isPlainObject(value)) {
      const got = Array.isArray(value) ? l10n.t('an array') : value === null ? 'null' : `a ${typeof value}`;
      f.error(
        RuleCode.notAnObject,
        [],
        l10n.t('each line must be a JSON object {"custom_id": "…", "params": {…}}, got {0}{1}', got, Array.isArray(value) ? l10n.t(': put each request on its own line instead of a list') : ''),
        'line',
      );
    } else {
      checkRequest(value, f);
    }

    const id = f.customId;
    if (id !== undefined) {
      const first = this.firstUse.get(id);
      if (first === undefined) {
        this.firstUse.set(id, lineNumber + (idColumn > 0 ? offset + idColumn : 0) * LINE_SPAN);
      } else {
        const firstLine = first % LINE_SPAN;
        const firstColumn = Math.floor(first / LINE_SPAN) || 1;
        f.issues.push({
          severity: 'error',
          code: RuleCode.duplicateCustomId,
          message: l10n.t('custom_id "{0}" is already used on line {1}: each custom_id must be unique within a batch (the API rejects the whole batch); rename this one', id, firstLine),
          path: ['custom_id'],
          target: 'value',
        });
        f.errors++;
        this.report(text, lineNumber, offset, [{ line: firstLine, column: firstColumn, message: l10n.t('custom_id "{0}" first used here', id) }]);
        return;
      }
    }

    if (f.errors === 0 && id !== undefined) {
      this.accept(text, bytes, lineNumber, id);
    }
    if (f.issues.length) this.report(text, lineNumber, offset);
  }

  /** 1-based column of the custom_id value; cheap when custom_id is the first key, as usual. */
  private customIdColumn(json: string, offset: number): number {
    if (json.startsWith('{"custom_id":')) {
      let i = 13;
      while (isWs(json.charCodeAt(i))) i++;
      return offset + i + 1;
    }
    const column = offset + locate(json, ['custom_id'], 'value').start + 1;
    return column < 2 ** 20 ? column : 0;
  }

  private accept(text: () => string, bytes: number, lineNumber: number, customId: string): void {
    const f = this.findings;
    this.acceptedCount++;
    const estimatedInputTokens = estimateInputTokens(f.tally);
    const model = f.model;
    if (model !== undefined) {
      let summary = this.models.get(model);
      if (!summary) {
        summary = { requests: 0, maxTokens: 0, estimatedInputTokens: 0 };
        this.models.set(model, summary);
      }
      summary.requests++;
      summary.maxTokens += f.maxTokens ?? 0;
      summary.estimatedInputTokens += estimatedInputTokens;
    }
    this.onRequestLine?.({ line: lineNumber, customId, json: text(), bytes, model, maxTokens: f.maxTokens, estimatedInputTokens });
  }

  /**
   * Turns the line's issues into diagnostics, locating each path in the line text. Once no more
   * are kept, they are only counted: the text is neither asked for nor scanned.
   */
  private report(text: () => string, lineNumber: number, offset: number, related?: Diagnostic['related']): void {
    let json: string | undefined;
    for (const issue of this.findings.issues) {
      if (this.diagnostics.length >= this.maxDiagnostics) {
        this.count(issue);
        this.truncated = true;
        continue;
      }
      json ??= text();
      this.add(this.toDiagnostic(issue, json, lineNumber, offset, issue.code === RuleCode.duplicateCustomId ? related : undefined));
    }
  }

  private toDiagnostic(issue: Issue, json: string, lineNumber: number, offset: number, related?: Diagnostic['related']): Diagnostic {
    const span = issue.target === 'line' ? { start: 0, end: json.length } : locate(json, issue.path, issue.target);
    const diagnostic: Diagnostic = {
      severity: issue.severity,
      line: lineNumber,
      column: offset + span.start + 1,
      endLine: lineNumber,
      endColumn: offset + span.end + 1,
      code: issue.code,
      message: issue.message,
    };
    if (related) diagnostic.related = related;
    return diagnostic;
  }

  private count(diagnostic: Pick<Diagnostic, 'severity'>): void {
    if (diagnostic.severity === 'error') this.errorCount++;
    else if (diagnostic.severity === 'warning') this.warningCount++;
  }

  private add(diagnostic: Diagnostic): void {
    this.count(diagnostic);
    if (this.diagnostics.length < this.maxDiagnostics) this.diagnostics.push(diagnostic);
    else this.truncated = true;
  }

  /** File-level diagnostics are always kept: when full, they take the place of the last line one. */
  private addFileDiagnostic(diagnostic: Diagnostic): void {
    this.count(diagnostic);
    if (this.maxDiagnostics <= 0) {
      this.truncated = true;
      return;
    }
    if (this.diagnostics.length >= this.maxDiagnostics) {
      let last = this.diagnostics.length - 1;
      while (last >= 0 && this.fileLevel.has(this.diagnostics[last])) last--;
      this.truncated = true;
      if (last < 0) return;
      this.diagnostics.splice(last, 1);
    }
    this.diagnostics.push(diagnostic);
    this.fileLevel.add(diagnostic);
  }

  /** Adds the file-level diagnostics and returns the result; `byteSize` is the input's UTF-8 size. */
  finish(byteSize: number): BatchValidation {
    if (this.firstCrlf) {
      this.addFileDiagnostic({
        severity: 'warning',
        line: this.firstCrlf.line,
        column: this.firstCrlf.column,
        code: RuleCode.crlfLineEndings,
        message:
          this.crlfLines === 1
            ? l10n.t('the file uses Windows (CRLF) line endings (1 line): they are handled and not sent, but LF is the JSONL convention')
            : l10n.t('the file uses Windows (CRLF) line endings ({0} lines): they are handled and not sent, but LF is the JSONL convention', formatCount(this.crlfLines)),
      });
    }
    const requests = this.requestCount;
    if (requests === 0) {
      this.addFileDiagnostic({
        severity: 'error',
        line: 1,
        column: 1,
        code: RuleCode.noRequests,
        message: l10n.t('the file has no requests: a batch needs at least one line {"custom_id": "…", "params": {…}}'),
      });
    } else if (requests > this.maxRequests) {
      this.addFileDiagnostic({
        severity: 'error',
        line: this.requestLimitLine,
        column: 1,
        code: RuleCode.tooManyRequests,
        message: l10n.t('the file has {0} requests; a batch may have at most {1}: split the file (this line is the first one over the limit)', formatCount(requests), formatCount(this.maxRequests)),
      });
    } else if (requests >= this.maxRequests * this.nearLimitRatio) {
      this.addFileDiagnostic({
        severity: 'warning',
        line: 1,
        column: 1,
        code: RuleCode.nearRequestLimit,
        message: l10n.t('the file has {0} requests, close to the limit of {1} per batch', formatCount(requests), formatCount(this.maxRequests)),
      });
    }
    const bodyBytes = this.bodyBytes();
    if (bodyBytes > this.maxBytes) {
      this.addFileDiagnostic({
        severity: 'error',
        line: this.sizeLimitLine,
        column: 1,
        code: RuleCode.tooLarge,
        message: l10n.t('the batch would be {0}; the API accepts at most {1} per batch: split the file (this line is the first one over the limit)', formatBytes(bodyBytes), formatBytes(this.maxBytes)),
      });
    } else if (requests > 0 && bodyBytes >= this.maxBytes * this.nearLimitRatio) {
      this.addFileDiagnostic({
        severity: 'warning',
        line: 1,
        column: 1,
        code: RuleCode.nearSizeLimit,
        message: l10n.t('the batch would be {0}, close to the limit of {1} per batch', formatBytes(bodyBytes), formatBytes(this.maxBytes)),
      });
    }
    const diagnostics = this.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return {
      diagnostics,
      errorCount: this.errorCount,
      warningCount: this.warningCount,
      truncated: this.truncated,
      requestCount: requests,
      acceptedCount: this.acceptedCount,
      byteSize,
      bodyBytes,
      models: Object.fromEntries(this.models),
      lines: this.lineNumber,
    };
  }
}
