import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import type { BatchesApi, MessageBatch } from '../api';

export interface DownloadProgress {
  lines: number;
  total: number;
}

export interface DownloadResult {
  batch: MessageBatch;
  lines: number;
  total: number;
  file: string;
}

/**
 * Streams a batch's results into a JSONL file, one result per line, as they arrive: memory does
 * not grow with the number of results. Writes to `<file>.part` and renames when complete, so a
 * cut-off download never passes for a complete one.
 */
export async function downloadResults(
  api: BatchesApi,
  batchId: string,
  file: string,
  options: { signal?: AbortSignal; onProgress?: (p: DownloadProgress) => void } = {},
): Promise<DownloadResult> {
  const { batch, results } = await api.results(batchId, { signal: options.signal });
  const c = batch.request_counts;
  const total = c.succeeded + c.errored + c.canceled + c.expired + c.processing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.part`;
  const out = fs.createWriteStream(partial);
  let lines = 0;
  try {
    for await (const result of results) {
      if (!out.write(`${JSON.stringify(result)}\n`)) await once(out, 'drain');
      lines++;
      if (lines % 500 === 0) options.onProgress?.({ lines, total });
    }
    out.end();
    await once(out, 'finish');
  } catch (err) {
    out.end();
    await once(out, 'close').catch(() => undefined);
    throw Object.assign(err as object, { partialLines: lines, partialFile: partial });
  }
  fs.renameSync(partial, file);
  options.onProgress?.({ lines, total });
  return { batch, lines, total, file };
}
