// Builds a batch file from data and a template in one streaming pass: each record is rendered,
// given a valid, unique custom_id, checked by the batch validator as one request, and written.
// Everything goes to a temp file beside the output; `commitBuild` renames it into place with its
// link (sourceLink.ts) once the user has seen the preview, and `discardBuild` removes it. So
// nothing half-written is ever left where a batch file is expected, whatever stops the build.
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BatchValidator, DEFAULT_MAX_BYTES, DEFAULT_MAX_REQUESTS, validateBatchText, type ModelUsageEstimate } from '../jsonl';
import { CustomIdMaker } from './customIds';
import type { BadRecord, DataSource } from './dataRecord';
import { compileTemplate, RenderError, type Filled } from './render';
import { linkPath, type SourceLink } from './sourceLink';
import type { Template } from './template';

export interface BuildOptions {
  source: DataSource;
  template: Template;
  /** Where the batch file goes once committed (`<name>.batch.jsonl`). */
  output: string;
  /** The template file, for the link (relative to the output). */
  templatePath?: string;
  /** 'stop': the first bad record ends the build (BadRecordError); 'skip': bad records are left out and listed. */
  onBad: 'stop' | 'skip';
  /** Bad records kept for the preview (all are counted). Default 100. */
  maxBadKept?: number;
  signal?: AbortSignal;
  onProgress?: (records: number) => void;
}

export interface BatchBuild {
  /** The finished batch file, not yet at `output`. */
  temp: string;
  output: string;
  requests: number;
  records: number;
  bad: BadRecord[];
  badCount: number;
  /** The first request written, as a line of the batch file. */
  firstRequest?: string;
  models: Record<string, ModelUsageEstimate>;
  byteSize: number;
  /** Size of the create body if sent as one batch (as the validator counts it). */
  bodyBytes: number;
  /** How many batches Submit will split the file into (1 when it fits one). */
  parts: number;
  link: SourceLink;
}

/** The build stopped at a bad record ('stop'). */
export class BadRecordError extends Error {
  constructor(readonly record: BadRecord) {
    super(record.column ? l10n.t('{0} (column "{1}"): {2}.', record.where, record.column, record.message) : l10n.t('{0}: {1}.', record.where, record.message));
    this.name = 'BadRecordError';
  }
}

const FLUSH_BYTES = 1024 * 1024;
const BODY_FRAME_BYTES = '{"requests":[]}'.length;

export async function buildBatchFromData(options: BuildOptions): Promise<BatchBuild> {
  const { source, template, output } = options;
  const maxBad = options.maxBadKept ?? 100;
  const renderer = compileTemplate(template);
  const ids = new CustomIdMaker();
  const temp = `${output}.${process.pid}.${Date.now()}.part`;
  await fs.promises.mkdir(path.dirname(output), { recursive: true });
  const handle = await fs.promises.open(temp, 'wx');
  const hash = createHash('sha256');
  // One validator for the whole build, as for a batch file: without limits (a file over one
  // batch's is split by Submit), it says whether each line would be accepted and sums the models.
  // Each request goes in as the value its line parses to (render.ts): the line is not parsed back.
  const validator = new BatchValidator({ maxDiagnostics: 0, maxRequests: Infinity, maxBytes: Infinity });
  const customIds: string[] = [];
  const columns: string[] = [];
  const seenColumns = new Set<string>();
  let lastColumns: string[] | undefined;
  const bad: BadRecord[] = [];
  let badCount = 0;
  let requests = 0;
  let records = 0;
  let jsonBytes = 0;
  let byteSize = 0;
  let firstRequest: string | undefined;
  // Lines are written as bytes straight into two reused blocks (no line string, no joined string,
  // no buffer per flush): a full block is hashed and written to the file while the next one
  // fills, and is only refilled once its write has finished. A block made larger for one huge
  // line goes back to the usual size.
  let block = Buffer.allocUnsafe(FLUSH_BYTES);
  let spare = Buffer.allocUnsafe(FLUSH_BYTES);
  let used = 0;
  let writing: Promise<void> = Promise.resolve();
  const writeOut = async (data: Buffer) => {
    let written = 0;
    while (written < data.length) written += (await handle.write(data, written, data.length - written)).bytesWritten;
  };
  const flush = async () => {
    await writing;
    if (used === 0) return;
    const data = block.subarray(0, used);
    used = 0;
    hash.update(data);
    byteSize += data.length;
    writing = writeOut(data);
    // Never rejected unawaited: the next flush, or the end, awaits it.
    writing.catch(() => undefined);
    [block, spare] = [spare.length === FLUSH_BYTES ? spare : Buffer.allocUnsafe(FLUSH_BYTES), block];
  };

  const reject = (record: BadRecord) => {
    customIds[record.number - 1] = '';
    if (options.onBad === 'stop') throw new BadRecordError(record);
    badCount++;
    if (bad.length < maxBad) bad.push(record);
  };
  try {
    for await (const item of source.records(options.signal)) {
      records++;
      if (item.kind === 'bad') {
        reject(item);
        continue;
      }
      // The union of the records' columns, in order of first appearance (CSV rows share one list).
      const itemColumns = item.columns();
      if (itemColumns !== lastColumns) {
        lastColumns = itemColumns;
        for (const column of itemColumns) {
          if (!seenColumns.has(column)) {
            seenColumns.add(column);
            columns.push(column);
          }
        }
      }
      let filled: Filled;
      let id: string;
      try {
        filled = renderer.fill(item);
        id = ids.make(renderer.rawCustomId(item), item.number);
      } catch (err) {
        if (!(err instanceof RenderError)) throw err;
        reject({ kind: 'bad', number: item.number, line: item.line, where: item.where, column: err.field, message: err.message });
        continue;
      }
      // The line is written into the block after the lines already there, and kept (the block's
      // end moved past it) only once the validator has taken the request it parses to.
      const room = renderer.maxRequestBytes(filled, id) + 1;
      if (used + room > block.length) {
        await flush();
        options.onProgress?.(records);
        if (room > block.length) block = Buffer.allocUnsafe(room);
      }
      const start = used;
      const end = renderer.writeRequest(filled, id, block, start);
      const bytes = end - start;
      const written = block;
      const text = () => written.toString('utf8', start, end);
      if (!validator.pushRequest({ custom_id: id, params: filled.params }, bytes, text)) {
        // Its custom_id stays taken: the validator has seen it, and a later request with it would be a duplicate.
        // Rare: the line is checked again on its own, for the message that says why.
        const first = validateBatchText(text(), { maxDiagnostics: 5 }).diagnostics.find((d) => d.severity === 'error');
        reject({ kind: 'bad', number: item.number, line: item.line, where: item.where, message: l10n.t('its request would be rejected: {0}', first?.message ?? l10n.t('the validator refused it')) });
        continue;
      }
      customIds[item.number - 1] = id;
      firstRequest ??= text();
      requests++;
      jsonBytes += bytes;
      block[end] = 0x0a;
      used = end + 1;
    }
    await flush();
    await writing;
    await handle.close();
  } catch (err) {
    await writing.catch(() => undefined);
    await handle.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
  const { models } = validator.finish(byteSize);
  const bodyBytes = requests === 0 ? BODY_FRAME_BYTES : BODY_FRAME_BYTES + jsonBytes + requests - 1;
  const stat = await fs.promises.stat(source.path);
  const relative = (to: string) => path.relative(path.dirname(output), to).split(path.sep).join('/');
  return {
    temp,
    output,
    requests,
    records,
    bad,
    badCount,
    firstRequest,
    models,
    byteSize,
    bodyBytes,
    parts: Math.max(1, Math.ceil(requests / DEFAULT_MAX_REQUESTS), Math.ceil(bodyBytes / DEFAULT_MAX_BYTES)),
    link: {
      version: 1,
      data: relative(source.path),
      dataKind: source.kind,
      template: options.templatePath ? relative(options.templatePath) : undefined,
      columns,
      batchSha256: hash.digest('hex'),
      dataSize: stat.isDirectory() ? 0 : stat.size,
      dataMtimeMs: stat.mtimeMs,
      customIds: Array.from({ length: records }, (_, i) => customIds[i] ?? ''),
    },
  };
}

/** An output that is already there: the caller asks before `commitBuild(…, { overwrite: true })`. */
export class OutputExistsError extends Error {
  constructor(readonly output: string) {
    super(l10n.t('{0} already exists.', path.basename(output)));
    this.name = 'OutputExistsError';
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.promises.access(file).then(
    () => true,
    () => false,
  );
}

/** Moves the built file into place, with its link beside it. The link is written first (to a temp file): a batch file in place always has its link. */
export async function commitBuild(build: BatchBuild, options: { overwrite: boolean }): Promise<void> {
  if (!options.overwrite && (await exists(build.output))) throw new OutputExistsError(build.output);
  const link = linkPath(build.output);
  const linkTemp = `${build.temp}.link`;
  try {
    await fs.promises.writeFile(linkTemp, `${JSON.stringify(build.link)}\n`, { flag: 'wx' });
    await fs.promises.rename(linkTemp, link);
    await fs.promises.rename(build.temp, build.output);
  } catch (err) {
    await fs.promises.rm(linkTemp, { force: true });
    throw err;
  }
}

/** Removes what a build wrote: nothing of it stays. */
export async function discardBuild(build: Pick<BatchBuild, 'temp'>): Promise<void> {
  await fs.promises.rm(build.temp, { force: true });
}
