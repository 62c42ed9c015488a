/** What the batch JSONL validator reports. Positions are 1-based, columns in UTF-16 code units. */

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedPosition {
  line: number;
  column: number;
  message: string;
}

export interface Diagnostic {
  /** error: the API would reject the batch or this request; warning: handled or suspicious. */
  severity: Severity;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Stable identifier of the rule (see RULE_CODES), for quick fixes and tests. */
  code: string;
  /** What is wrong and what to do about it. */
  message: string;
  related?: RelatedPosition[];
}

/** One request line without errors, as an uploader should send it. */
export interface AcceptedLine {
  line: number;
  customId: string;
  /** The line's JSON text without BOM, CR or surrounding whitespace: one element of `requests`. */
  json: string;
  /** Its size in UTF-8 bytes, as sent. */
  bytes: number;
  model?: string;
  maxTokens?: number;
  estimatedInputTokens: number;
}

export interface ModelUsageEstimate {
  requests: number;
  /** Sum of max_tokens: the most output the requests can produce. */
  maxTokens: number;
  estimatedInputTokens: number;
}

export interface BatchValidation {
  /** At most `maxDiagnostics` of them, sorted by position; the counts below include the ones left out. */
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
  /** True when diagnostics were left out because of `maxDiagnostics`. */
  truncated: boolean;
  /** Request lines (every non-blank line), valid or not. */
  requestCount: number;
  /** Request lines without errors: the ones `onRequestLine` received. */
  acceptedCount: number;
  /** UTF-8 size of the input. */
  byteSize: number;
  /** UTF-8 size of the create body `{"requests":[…]}` built from every request line. */
  bodyBytes: number;
  /** Per model, over the accepted lines. */
  models: Record<string, ModelUsageEstimate>;
  /** Lines in the input (a final newline does not start another line). */
  lines: number;
}

export interface ValidationOptions {
  /** Diagnostics kept (all are counted). Default 1000. */
  maxDiagnostics?: number;
  /** Requests per batch. Default 100,000. */
  maxRequests?: number;
  /** Bytes per create body. Default 256 MB. */
  maxBytes?: number;
  /** Warn when a count reaches this share of its limit. Default 0.9 (within 10 %). */
  nearLimitRatio?: number;
}

export interface StreamValidationOptions extends ValidationOptions {
  /** Longest line read from a stream, in bytes; reading stops at a longer one. Default MAX_LINE_BYTES (32 MiB). */
  maxLineBytes?: number;
  /** Called in order for each line without errors, while the stream is read. */
  onRequestLine?: (line: AcceptedLine) => void;
}
