// Saving a batch's results straight to a file the user chose (no archive): the same streaming
// writer as the archive, with the same guarantee that a cut-off download never passes for a
// complete one. Kept for "Save Results…" until it goes through the archive and exportResults.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatch } from '../api';
import { streamResultsToFile, type DownloadProgress, type IncompleteReason, type ResultsSource } from './results';

export type { DownloadProgress } from './results';

export interface DownloadResult {
  batch: MessageBatch;
  lines: number;
  total: number;
  file: string;
}

/** A download that stopped before the end; what arrived is in `partialFile`. */
export class IncompleteDownloadError extends Error {
  constructor(
    readonly partialFile: string,
    readonly partialLines: number,
    readonly total: number,
    readonly reason: IncompleteReason,
    readonly failure: unknown,
  ) {
    super(`The download stopped after ${partialLines} of ${total} results (${reason}).`);
    this.name = 'IncompleteDownloadError';
  }
}

/**
 * Streams a batch's results into a JSONL file, one result per line, as they arrive: memory does
 * not grow with the number of results. Writes to `<file>.part` and renames when complete; when
 * the stream breaks, the `.part` file keeps what arrived and the error thrown is the one that
 * broke it (or an IncompleteDownloadError for a short or malformed stream), with `partialLines`
 * and `partialFile` on it.
 */
export async function downloadResults(
  api: ResultsSource,
  batchId: string,
  file: string,
  options: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void } = {},
): Promise<DownloadResult> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.part`;
  let streamed;
  try {
    streamed = await streamResultsToFile(api, batchId, partial, options);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  if (!streamed.complete) {
    const reason = streamed.reason ?? 'cut';
    const incomplete = new IncompleteDownloadError(partial, streamed.lines, streamed.total, reason, streamed.error);
    const thrown = streamed.error instanceof Error && reason !== 'short' ? streamed.error : incomplete;
    throw Object.assign(thrown, { partialLines: streamed.lines, partialFile: partial });
  }
  fs.renameSync(partial, file);
  return { batch: streamed.batch, lines: streamed.lines, total: streamed.total, file };
}
