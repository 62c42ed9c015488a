// A new batch file of the requests worth resubmitting: those that errored with a retryable
// category, and those that expired (and, on request, the canceled ones). Each is the source
// line byte for byte, in input order, so the new batch is exactly what was sent before. Requests
// the API refused (invalid_request_error and the like) are not resubmitted: they are listed with
// their message and source line so they can be fixed first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessageOf, errorRequestIdOf, errorTypeOf, isRetryableErrorType } from './outcomes';
import { scanResults, type ResultsReadStats } from './resultsReader';
import { indexSource, type SourceIndex } from './sourceIndex';

export interface RetryOptions {
  /** The JSONL the batch was submitted from. Missing: SourceFileMissingError. */
  source: string | SourceIndex;
  /** The local results file (ResultsArchive status().path). */
  resultsPath: string;
  /** sha256 (hex) of the bytes submitted, to tell whether the source changed since. */
  expectedSha256?: string;
  /** Resubmit canceled requests too. Default false: a cancel was someone's decision. */
  includeCanceled?: boolean;
  /** Write the new batch here (through a temp file); without it the text is returned. */
  output?: string;
  signal?: AbortSignal;
}

export interface FixNeeded {
  customId: string;
  /** 1-based line in the source. */
  line: number;
  errorType: string;
  message: string;
  requestId?: string;
}

export interface RetryBuild {
  /** The new batch's JSONL (when no `output` was given). */
  text?: string;
  /** Where it was written (when `output` was given). */
  file?: string;
  /** custom_ids in the new batch, in input order. */
  customIds: string[];
  /** How many of them for each reason: an error category, 'expired' or 'canceled'. */
  reasons: Record<string, number>;
  /** Requests that need fixing before they can be resubmitted (input order). */
  needsFixing: FixNeeded[];
  /** Failed results whose custom_id the source does not have: they cannot be resubmitted from it. */
  missingFromSource: string[];
  /** The source's bytes differ from what was submitted (the lines taken are today's). */
  sourceChanged: boolean;
  sourceSha256: string;
  /** Results read; blank and malformed lines of the results file are counted in it. */
  read: ResultsReadStats;
}

/** Builds the retry batch (see the top of this file). */
export async function buildRetryBatch(options: RetryOptions): Promise<RetryBuild> {
  const index = typeof options.source === 'string' ? await indexSource(options.source, { signal: options.signal }) : options.source;
  // One byte per request: 1 = resubmit, 2 = needs fixing.
  const marks = new Uint8Array(index.size);
  // Error categories come from the results: counted in a Map, so "constructor" or "__proto__" is a
  // key like any other (Object.fromEntries then makes them own properties).
  const reasons = new Map<string, number>();
  const reasonOf: (string | undefined)[] = [];
  const fixes = new Map<number, FixNeeded>();
  const missing: string[] = [];
  const read = await scanResults(
    options.resultsPath,
    (line) => {
      const result = line.result;
      let reason: string | undefined;
      let fix = false;
      if (result.type === 'errored') {
        const type = errorTypeOf(result);
        if (isRetryableErrorType(type)) reason = type;
        else fix = true;
      } else if (result.type === 'expired' || (result.type === 'canceled' && options.includeCanceled)) {
        reason = result.type;
      }
      if (reason === undefined && !fix) return;
      const at = index.indexOf(line.custom_id);
      if (at === undefined) {
        missing.push(line.custom_id);
        return;
      }
      if (fix) {
        marks[at] = 2;
        const type = errorTypeOf(result);
        fixes.set(at, { customId: line.custom_id, line: index.at(at).line, errorType: type, message: errorMessageOf(result), requestId: errorRequestIdOf(result) });
      } else if (marks[at] === 0) {
        marks[at] = 1;
        reasonOf[at] = reason;
      }
    },
    { signal: options.signal },
  );

  const picked: number[] = [];
  for (let i = 0; i < marks.length; i++) {
    if (marks[i] !== 1) continue;
    picked.push(i);
    const reason = reasonOf[i]!;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const needsFixing = [...fixes.keys()].sort((a, b) => a - b).map((i) => fixes.get(i)!);
  const customIds = picked.map((i) => index.at(i).customId);

  const build: RetryBuild = {
    customIds,
    reasons: Object.fromEntries(reasons),
    needsFixing,
    missingFromSource: missing,
    sourceChanged: options.expectedSha256 !== undefined && !index.matches(options.expectedSha256),
    sourceSha256: index.sha256,
    read,
  };
  if (options.output) {
    await writeLines(index, picked, options.output, options.signal);
    build.file = options.output;
  } else {
    const parts: string[] = [];
    await index.readLines(picked, (bytes) => void parts.push(bytes.toString('utf8')), options.signal);
    build.text = parts.length ? `${parts.join('\n')}\n` : '';
  }
  return build;
}

/** Copies the chosen source lines to a file, through a temp file renamed at the end. */
async function writeLines(index: SourceIndex, picked: number[], output: string, signal: AbortSignal | undefined): Promise<void> {
  await fs.promises.mkdir(path.dirname(output), { recursive: true });
  const temp = `${output}.${process.pid}.part`;
  const handle = await fs.promises.open(temp, 'w');
  const newline = Buffer.from('\n');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const block = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    let written = 0;
    while (written < block.length) written += (await handle.write(block, written, block.length - written)).bytesWritten;
  };
  try {
    await index.readLines(
      picked,
      async (bytes) => {
        // A copy: the reader reuses nothing, but the block it came from is big; keep only the line.
        pending.push(Buffer.from(bytes), newline);
        pendingBytes += bytes.length + 1;
        if (pendingBytes >= 1024 * 1024) await flush();
      },
      signal,
    );
    await flush();
  } catch (err) {
    await handle.close();
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await fs.promises.rename(temp, output);
}
