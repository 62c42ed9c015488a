// The names of the files in the results archive's folder, and what they add up to. Small and
// without dependencies on the rest of the results code, so that the tidying done after activation
// does not load it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type ArchiveFileKind = 'complete' | 'partial' | 'meta' | 'usage' | 'index' | 'temp';

export interface ArchiveFile {
  name: string;
  kind: ArchiveFileKind;
  bytes: number;
  mtimeMs: number;
}

/** Everything the folder holds for one batch. */
export interface BatchFiles {
  batchId: string;
  files: ArchiveFile[];
  /** Bytes of all its files. */
  bytes: number;
  /** Whether results are there (complete or partial), not only temp files or a meta. */
  hasResults: boolean;
}

/** A day: a temp file that old belongs to no download still running (writing touches it). */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/**
 * What a file name in the archive is: `<id>.jsonl`, `<id>.partial.jsonl`, `<id>.meta.json`,
 * `<id>.usage.json` (the tokens the copy counts, usageLedger.ts), an index (`<id>.index.json`,
 * `<id>.entries.json`, resultsIndex.ts), or a temp file (`<id>.<…>.part` of a download,
 * `<id>.meta.json.<…>.tmp` of a meta, and likewise of a usage or an index). Batch ids hold no dot,
 * so the id is what comes before the first one.
 */
function classifyArchiveFile(name: string): { batchId: string; kind: ArchiveFileKind } | undefined {
  const match = /^([A-Za-z0-9_-]{1,128})\.(.+)$/.exec(name);
  if (!match) return undefined;
  const [, batchId, rest] = match;
  if (rest === 'jsonl') return { batchId, kind: 'complete' };
  if (rest === 'partial.jsonl') return { batchId, kind: 'partial' };
  if (rest === 'meta.json') return { batchId, kind: 'meta' };
  if (rest === 'usage.json') return { batchId, kind: 'usage' };
  if (rest === 'index.json' || rest === 'entries.json') return { batchId, kind: 'index' };
  const tempOf = (file: string) => rest.startsWith(`${file}.`) && rest.endsWith('.tmp');
  if (rest.endsWith('.part') || tempOf('meta.json') || tempOf('usage.json') || tempOf('index.json') || tempOf('entries.json')) return { batchId, kind: 'temp' };
  return undefined;
}

/** Every batch the folder holds files for (an absent folder holds none). */
export async function scanArchive(dir: string): Promise<Map<string, BatchFiles>> {
  const batches = new Map<string, BatchFiles>();
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const known = classifyArchiveFile(name);
    if (!known) continue;
    const stat = await fs.promises.stat(path.join(dir, name)).catch(() => undefined);
    if (!stat?.isFile()) continue;
    let entry = batches.get(known.batchId);
    if (!entry) batches.set(known.batchId, (entry = { batchId: known.batchId, files: [], bytes: 0, hasResults: false }));
    entry.files.push({ name, kind: known.kind, bytes: stat.size, mtimeMs: stat.mtimeMs });
    entry.bytes += stat.size;
    if (known.kind === 'complete' || known.kind === 'partial') entry.hasResults = true;
  }
  return batches;
}

/**
 * Removes temp files older than `maxAgeMs` (left by a crash or a killed window: a running download
 * writes its temp file all the time, so an old one is dead), and meta, usage and index files left alone. Returns
 * what it removed.
 */
export async function removeStaleFiles(dir: string, now: number, maxAgeMs = STALE_TEMP_MS): Promise<{ files: string[]; bytes: number }> {
  const removed = { files: [] as string[], bytes: 0 };
  for (const entry of (await scanArchive(dir)).values()) {
    for (const file of entry.files) {
      const stale = now - file.mtimeMs > maxAgeMs && (file.kind === 'temp' || ((file.kind === 'meta' || file.kind === 'usage' || file.kind === 'index') && !entry.hasResults));
      if (!stale) continue;
      await fs.promises.rm(path.join(dir, file.name), { force: true });
      removed.files.push(file.name);
      removed.bytes += file.bytes;
    }
  }
  return removed;
}
