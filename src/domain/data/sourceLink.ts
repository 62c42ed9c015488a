// The link from a batch file built from data back to that data: a small sidecar next to the batch
// file, `<name>.batch.jsonl.source.json`. A file, not the submission registry: the link exists
// from the moment the batch file is written (before any submit), survives restarts and moves
// with the two files; the registry (global state) knows only what was submitted, from which file,
// and the hash of its bytes, which the link also holds, so a link is used only for the exact
// batch it was written with.
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { readRegularFile } from '../regularFile';
import type { DataKind } from './dataRecord';

export const LINK_SUFFIX = '.source.json';
const VERSION = 1;
/** A link names one custom_id per record: far under this for any batch file a build writes. */
const MAX_LINK_BYTES = 256 * 1024 * 1024;

export interface SourceLink {
  version: typeof VERSION;
  /** The data file or folder, relative to the batch file's folder. */
  data: string;
  dataKind: DataKind;
  /** The template, relative to the batch file's folder (absent when it was not a file). */
  template?: string;
  /** The data's own columns, in its order: the first columns of the results CSV. */
  columns: string[];
  /** sha256 (hex) of the batch file's bytes as written. */
  batchSha256: string;
  /** The data's size and modification time when the batch was built, to notice it changed. */
  dataSize: number;
  dataMtimeMs: number;
  /** The custom_id of each data record, by its number (index + 1); "" for a record left out. */
  customIds: string[];
}

export function linkPath(batchFile: string): string {
  return `${batchFile}${LINK_SUFFIX}`;
}

/** The link of `batchFile`, or undefined when it has none (or not one this version reads). */
export async function readSourceLink(batchFile: string): Promise<SourceLink | undefined> {
  let bytes: Buffer;
  try {
    // It sits in the workspace, where anything can be put under its name: a pipe, a huge file.
    bytes = await readRegularFile(linkPath(batchFile), MAX_LINK_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let link: SourceLink;
  try {
    link = JSON.parse(bytes.toString('utf8')) as SourceLink;
  } catch {
    link = undefined as unknown as SourceLink;
  }
  if (link?.version !== VERSION || !Array.isArray(link.customIds) || !Array.isArray(link.columns) || typeof link.data !== 'string') {
    throw new Error(l10n.t('{0} is not a link this version of Claude Batches reads: build the batch file from its data again.', path.basename(linkPath(batchFile))));
  }
  return link;
}

/** The absolute path of something the link names relative to the batch file. */
export function resolveFromLink(batchFile: string, relative: string): string {
  return path.resolve(path.dirname(batchFile), relative);
}
