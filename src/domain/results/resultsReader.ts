// Reading a local results file (JSONL, one `{custom_id, result}` per line) one line at a time.
// A blank or unreadable line is skipped and counted, never fatal: one bad line must not hide the
// 99,999 good ones after it.
import type { MessageBatchIndividualResponse } from '../../api';
import { readFileChunks } from '../regularFile';
import { isBlank, LineSplitter, readLines, READ_CHUNK_BYTES, type LineHandler, type LineRange } from './lineReader';
import { isResultLine } from './outcomes';

export interface ResultsReadStats {
  /** Lines in the file, blank ones included. */
  lines: number;
  /** Lines that parsed as results. */
  results: number;
  blankLines: number;
  /** Lines that are not JSON, or JSON without a custom_id and a result type. */
  malformedLines: number;
  /** 1-based line numbers of the first few malformed lines, for the message that reports them. */
  malformedLineNumbers: number[];
}

const MALFORMED_EXAMPLES = 10;

export function emptyReadStats(): ResultsReadStats {
  return { lines: 0, results: 0, blankLines: 0, malformedLines: 0, malformedLineNumbers: [] };
}

/** Where a result sits in its file (to read it again without another pass) and its text. */
export interface ResultLocation extends LineRange {
  /** 1-based line number. */
  line: number;
  /** The line as it is in the file. */
  text: string;
}

export type ResultHandler = (result: MessageBatchIndividualResponse, where: ResultLocation) => void;

/** A line handler that parses result lines, counts blank and malformed ones, and calls `onResult`. */
export function resultLineHandler(stats: ResultsReadStats, onResult: ResultHandler): LineHandler {
  return (buffer: Buffer, start: number, end: number, offset: number, line: number): void => {
    stats.lines++;
    if (isBlank(buffer, start, end)) {
      stats.blankLines++;
      return;
    }
    let parsed: unknown;
    const text = buffer.toString('utf8', start, end);
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isResultLine(parsed)) {
      stats.malformedLines++;
      if (stats.malformedLineNumbers.length < MALFORMED_EXAMPLES) stats.malformedLineNumbers.push(line);
      return;
    }
    stats.results++;
    onResult(parsed, { offset, length: end - start, line, text });
  };
}

/**
 * The fast path: one streaming pass calling `onResult` for each readable result. Used by the
 * summary, the retry builder and the exports.
 */
export async function scanResults(file: string, onResult: ResultHandler, options: { signal?: AbortSignal; afterChunk?: () => Promise<void> } = {}): Promise<ResultsReadStats> {
  const stats = emptyReadStats();
  await readLines(file, resultLineHandler(stats, onResult), options);
  return stats;
}

/** Results read one at a time; `stats` fills in as the iteration goes and is final at its end. */
export interface ResultsReader extends AsyncIterable<MessageBatchIndividualResponse> {
  readonly stats: ResultsReadStats;
}

/**
 * An async iterable over a results file, parsed line by line from a stream: memory holds one
 * chunk's results at most. Iterate it once.
 */
export function readResults(file: string, options: { signal?: AbortSignal; maxLineBytes?: number } = {}): ResultsReader {
  const stats = emptyReadStats();
  async function* iterate(): AsyncGenerator<MessageBatchIndividualResponse> {
    let batch: MessageBatchIndividualResponse[] = [];
    const splitter = new LineSplitter(
      resultLineHandler(stats, (result) => batch.push(result)),
      { maxLineBytes: options.maxLineBytes, where: file },
    );
    for await (const chunk of readFileChunks(file, { chunkBytes: READ_CHUNK_BYTES, signal: options.signal })) {
      splitter.push(chunk);
      const ready = batch;
      batch = [];
      yield* ready;
    }
    splitter.end();
    yield* batch;
  }
  return { stats, [Symbol.asyncIterator]: () => iterate() };
}
