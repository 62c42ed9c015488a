// Create Batch File from Data… and Save Results as CSV…, loaded with the data bundle
// (dist/data.js) the first time either runs. The domain does the work (src/domain/data); this
// file asks, shows and opens, through what the extension hands it (dataHost.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { isEnded } from '../../common/batchStatus';
import { formatBytes, formatCount, formatUsd } from '../../common/format';
import { estimateCost } from '../../domain/cost';
import {
  buildBatchFromData,
  commitBuild,
  DataFileError,
  DATA_EXTENSIONS,
  discardBuild,
  openDataSource,
  parseTemplate,
  readSourceLink,
  resolveFromLink,
  TemplateError,
  templateForColumns,
  TEMPLATE_SUFFIX,
  writeResultsCsv,
  type BatchBuild,
  type DataSource,
  type Template,
} from '../../domain/data';
import type { CommandTarget } from '../commands/commandArguments';
import type { Ui } from '../core/ui';
import type { DataHost } from './dataHost';

const NEW_TEMPLATE = '$(add) New template from these columns';
const PREVIEW_CHARS = 1500;
const BAD_SHOWN = 5;

/** A data file's problem said with the file and line, as the user can find it. */
function dataError(err: unknown): never {
  if (err instanceof DataFileError) throw new Error(`${path.basename(err.file)}, line ${formatCount(err.line)}: ${err.message}`, { cause: err });
  throw err;
}

/** The data file or folder to build from: the one given, or a pick of the workspace's data files. */
async function pickData(host: DataHost, target: CommandTarget): Promise<string> {
  const ui = () => host.ui();
  if (target.kind === 'file') return target.uri.fsPath;
  const isData = (name: string) => DATA_EXTENSIONS.includes(path.extname(name).toLowerCase()) && !/\.batch\.jsonl$|\.source\.json$/.test(name) && !name.endsWith(TEMPLATE_SUFFIX);
  const usable = await findWorkspaceFiles((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), isData);
  if (!usable.length) {
    void ui().info('No CSV, TSV, JSON or JSONL data in this workspace: right-click a data file or a folder in the Explorer and choose Create Batch File from Data….');
    throw host.cancelled();
  }
  const picked = await ui().pick(
    usable.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri })),
    { placeHolder: 'Which data should the batch be built from?' },
  );
  if (!picked) throw host.cancelled();
  return picked.uri.fsPath;
}

/** The first name `<base><suffix>` (then `<base>-2<suffix>`, …) not taken in `dir`. */
function freeName(dir: string, base: string, suffix: string): string {
  let file = path.join(dir, `${base}${suffix}`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(dir, `${base}-${n}${suffix}`);
  return file;
}

function dataBase(dataPath: string): string {
  return path.parse(dataPath).name;
}

const SEARCH_ENTRIES = 20_000;
const SEARCH_DEPTH = 8;

/**
 * The files in these folders and below (not in hidden folders nor node_modules) whose name
 * `wanted` accepts, walked on the file system with bounds on depth and entries: the workspace
 * search (findFiles) was seen to stall in a remote workbench, and a command must not hang on it.
 */
async function findWorkspaceFiles(roots: string[], wanted: (name: string) => boolean): Promise<vscode.Uri[]> {
  const found = new Set<string>();
  let budget = SEARCH_ENTRIES;
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (--budget < 0) return;
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < SEARCH_DEPTH) await walk(full, depth + 1);
      else if (entry.isFile() && wanted(entry.name)) found.add(full);
    }
  };
  for (const root of roots) await walk(root, 0);
  return [...found].map((f) => vscode.Uri.file(f));
}

/** The template to fill: one of the workspace's (those made for this data first), or a new one from the columns. */
async function pickTemplate(ui: Ui, cancelled: () => Error, dataPath: string, columns: string[], given?: vscode.Uri): Promise<string> {
  if (given) return given.fsPath;
  const roots = [path.dirname(dataPath), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)];
  const found = await findWorkspaceFiles(roots, (name) => name.endsWith(TEMPLATE_SUFFIX));
  const items = await Promise.all(
    found.map(async (uri) => {
      let forThis = false;
      try {
        const data = parseTemplate(await fs.promises.readFile(uri.fsPath, 'utf8')).options.data;
        forThis = !!data && path.resolve(path.dirname(uri.fsPath), data) === path.resolve(dataPath);
      } catch {
        // A template with mistakes is still offered: choosing it says what is wrong.
      }
      return { label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), detail: forThis ? `made for ${path.basename(dataPath)}` : undefined, forThis, uri };
    }),
  );
  items.sort((a, b) => Number(b.forThis) - Number(a.forThis) || a.label.localeCompare(b.label));
  const shown = columns.length > 8 ? `${columns.slice(0, 8).join(', ')}, …` : columns.join(', ');
  const picked = await ui.pick([...items, { label: NEW_TEMPLATE, description: shown, detail: undefined, forThis: false, uri: undefined }], {
    placeHolder: `Which template should each record of ${path.basename(dataPath)} fill?`,
  });
  if (!picked) throw cancelled();
  if (picked.uri) return picked.uri.fsPath;
  const file = freeName(path.dirname(dataPath), dataBase(dataPath), TEMPLATE_SUFFIX);
  await fs.promises.writeFile(file, templateForColumns(columns, path.basename(dataPath)), { flag: 'wx' });
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  return file;
}

async function readTemplate(file: string): Promise<Template> {
  try {
    return parseTemplate(await fs.promises.readFile(file, 'utf8'));
  } catch (err) {
    if (err instanceof TemplateError) {
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
      throw new Error(`${path.basename(file)} is not a template that can be filled: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

function estimateText(host: DataHost, build: BatchBuild): string {
  const cost = estimateCost(build.models, host.prices());
  if (cost.totalMaxUsd <= 0) return '';
  const usd = formatUsd(cost.totalMaxUsd);
  return usd.startsWith('<') ? ` · est. ${usd}` : ` · est. ≤ ${usd}`;
}

function previewDetail(build: BatchBuild, source: DataSource): string {
  const lines: string[] = [];
  if (build.firstRequest) {
    const pretty = JSON.stringify(JSON.parse(build.firstRequest), null, 2);
    lines.push('First request:', pretty.length > PREVIEW_CHARS ? `${pretty.slice(0, PREVIEW_CHARS)}\n…` : pretty, '');
  }
  lines.push(`${formatCount(build.requests)} requests from ${formatCount(build.records)} records, ${formatBytes(build.byteSize)}.`);
  if (build.parts > 1) {
    lines.push(`That is more than one batch holds (100,000 requests or 256 MB): Submit will send it as ${formatCount(build.parts)} batches, remembered as one group, as it does for any file over the limits.`);
  }
  if (build.badCount) {
    lines.push('', `${formatCount(build.badCount)} ${build.badCount === 1 ? 'record' : 'records'} of ${path.basename(source.path)} cannot be used:`);
    for (const bad of build.bad.slice(0, BAD_SHOWN)) lines.push(`• ${bad.where}${bad.column ? `, column "${bad.column}"` : ''}: ${bad.message}`);
    if (build.badCount > BAD_SHOWN) lines.push(`• … and ${formatCount(build.badCount - BAD_SHOWN)} more`);
  }
  return lines.join('\n');
}

/**
 * Create Batch File from Data…: data → template → build (to a temp file) → preview → the batch
 * file in place, with its link to the data. Returns the batch file, or undefined when the user
 * backed out (nothing is left behind then).
 */
export async function createBatchFromData(host: DataHost, target: CommandTarget, templateUri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const { services } = host;
  const ui = () => host.ui();
  const dataPath = await pickData(host, target);
  const source = await openDataSource(dataPath);
  const columns = await source.columns().catch(dataError);
  const templatePath = await pickTemplate(host.ui(), () => host.cancelled(), dataPath, columns, templateUri);
  const template = await readTemplate(templatePath);
  const output = path.join(path.dirname(dataPath), `${dataBase(dataPath)}.batch.jsonl`);
  const build = await vscode.window
    .withProgress({ location: vscode.ProgressLocation.Notification, title: `Building ${path.basename(output)} from ${path.basename(dataPath)}`, cancellable: true }, (progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      return buildBatchFromData({
        source,
        template,
        output,
        templatePath,
        onBad: 'skip',
        signal: abort.signal,
        onProgress: (records) => progress.report({ message: `${formatCount(records)} records…` }),
      }).finally(() => listener.dispose());
    })
    .then(undefined, dataError);
  let committed = false;
  try {
    if (build.requests === 0) {
      const first = build.bad[0];
      throw new Error(`No request could be built from ${path.basename(dataPath)}${first ? `: ${first.where}${first.column ? `, column "${first.column}"` : ''}: ${first.message}` : ': it holds no records'}.`);
    }
    const create = build.badCount ? `Skip ${formatCount(build.badCount)} Bad ${build.badCount === 1 ? 'Record' : 'Records'} and Create` : 'Create';
    const title = `Create ${path.basename(output)}: ${formatCount(build.requests)} ${build.requests === 1 ? 'request' : 'requests'}${estimateText(host, build)}?`;
    const choice = await ui().confirm(title, previewDetail(build, source), create);
    if (choice !== create) throw host.cancelled();
    let overwrite = false;
    if (fs.existsSync(output)) {
      const replace = await ui().confirm(`${path.basename(output)} already exists. Replace it?`, 'The file there now (and its link to its data) will be replaced by the new batch file.', 'Replace');
      if (replace !== 'Replace') throw host.cancelled();
      overwrite = true;
    }
    await commitBuild(build, { overwrite });
    committed = true;
  } finally {
    if (!committed) await discardBuild(build);
  }
  const uri = vscode.Uri.file(output);
  await vscode.window.showTextDocument(uri, { preview: false });
  const skipped = build.badCount ? ` (${formatCount(build.badCount)} bad ${build.badCount === 1 ? 'record' : 'records'} left out)` : '';
  services.log.info(`Built ${output} from ${dataPath} with ${templatePath}: ${build.requests} requests${skipped}.`);
  void ui()
    .info(`Created ${vscode.workspace.asRelativePath(uri)}: ${formatCount(build.requests)} requests${skipped}, ready to submit.`, 'Submit')
    .then((action) => {
      if (action === 'Submit') host.submit(uri);
    });
  return uri;
}

/** The parts of a batch's group, in order, or the batch alone. */
function partsOf(services: DataHost['services'], batch: MessageBatch): string[] {
  const group = services.registry.get(batch.id)?.group;
  if (!group) return [batch.id];
  return services.registry
    .list()
    .filter((r) => r.group?.id === group.id)
    .sort((a, b) => a.group!.part - b.group!.part)
    .map((r) => r.batchId);
}

/**
 * Save Results as CSV…: for a batch built from data, the data's rows one to one, in order, with
 * how each request ended. The batch file's link (`….source.json`) says which data and which
 * custom_id each row got; it is used only if it was written for exactly the bytes submitted.
 */
export async function saveResultsAsCsv(host: DataHost, target: CommandTarget): Promise<vscode.Uri | undefined> {
  const { services } = host;
  const ui = () => host.ui();
  const batch = await host.resolveBatch(target, {
    applies: (b) => isEnded(b) && !!services.registry.get(b.id)?.sourcePath,
    placeHolder: 'Select a batch built from data to save its results as CSV',
    none: 'No ended batch submitted from this machine: results can be saved as CSV for a batch built from data once it has ended.',
  });
  const label = host.labelOf(batch);
  if (!isEnded(batch)) {
    void ui().info(`"${label}" has not ended yet: its results can be saved once it has.`);
    throw host.cancelled();
  }
  const record = services.registry.get(batch.id);
  if (!record?.sourcePath) throw new Error(`"${label}" was not submitted from this machine, so the data it was built from is unknown.`);
  const link = await readSourceLink(record.sourcePath);
  if (!link) throw new Error(`"${label}" was not built from data: ${path.basename(record.sourcePath)} has no ${path.basename(record.sourcePath)}.source.json beside it. Use Save Results… instead.`);
  if (link.batchSha256 !== record.contentHash) {
    throw new Error(`${path.basename(record.sourcePath)} was built from data again or changed after "${label}" was submitted: its link to the data describes other requests. Use Save Results… instead.`);
  }
  const dataPath = resolveFromLink(record.sourcePath, link.data);
  const stat = await fs.promises.stat(dataPath).catch(() => undefined);
  if (!stat) throw new Error(`The data "${label}" was built from is gone (${dataPath}).`);
  if (!stat.isDirectory() && (stat.size !== link.dataSize || Math.abs(stat.mtimeMs - link.dataMtimeMs) > 1)) {
    const go = await ui().confirm(`${path.basename(dataPath)} changed after the batch was built from it.`, 'Its rows may no longer be the ones the requests were built from: each result is joined to the row that now has its number.', 'Save Anyway');
    if (go !== 'Save Anyway') throw host.cancelled();
  }
  const resultsPaths: string[] = [];
  for (const id of partsOf(services, batch)) {
    const part = id === batch.id ? batch : (services.store.get(id) ?? (await (await host.requireApi()).retrieve(id)));
    if (!isEnded(part)) {
      void ui().info(`"${label}" is one of several batches its file was split into, and ${host.labelOf(part)} has not ended yet: the CSV can be saved once all have.`);
      throw host.cancelled();
    }
    const local = await services.results.ensureLocal(part, host.labelOf(part));
    if (!local) throw host.cancelled();
    resultsPaths.push(local.path);
  }
  const targetUri = await ui().saveDialog({
    title: `Save the results of "${label}" as CSV`,
    defaultUri: vscode.Uri.file(path.join(path.dirname(dataPath), `${dataBase(dataPath)}.results.csv`)),
    filters: { CSV: ['csv'] },
    saveLabel: 'Save as CSV',
  });
  if (!targetUri) return undefined;
  const source = await openDataSource(dataPath);
  const summary = await vscode.window
    .withProgress({ location: vscode.ProgressLocation.Notification, title: `Saving the results of "${label}" as CSV` }, () => writeResultsCsv({ resultsPaths, link, source, output: targetUri.fsPath }))
    .then(undefined, dataError);
  const notes = [
    summary.notSent ? `${formatCount(summary.notSent)} not sent (bad records)` : '',
    summary.withoutResult ? `${formatCount(summary.withoutResult)} without a result` : '',
    summary.unmatchedResults ? `${formatCount(summary.unmatchedResults)} results matched no row` : '',
  ].filter(Boolean);
  void ui().info(`Saved ${formatCount(summary.rows)} rows of ${path.basename(dataPath)} with their results to ${vscode.workspace.asRelativePath(targetUri)}${notes.length ? ` (${notes.join(', ')})` : ''}.`);
  return targetUri;
}
