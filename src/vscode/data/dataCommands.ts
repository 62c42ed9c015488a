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

const NEW_TEMPLATE = vscode.l10n.t('$(add) New template from these columns');
const PREVIEW_CHARS = 1500;
const BAD_SHOWN = 5;

/** A data file's problem said with the file and line, as the user can find it. */
function dataError(err: unknown): never {
  if (err instanceof DataFileError) throw new Error(vscode.l10n.t('{0}, line {1}: {2}', path.basename(err.file), formatCount(err.line), err.message), { cause: err });
  throw err;
}

/** The data file or folder to build from: the one given, or a pick of the workspace's data files. */
async function pickData(host: DataHost, target: CommandTarget): Promise<string> {
  const ui = () => host.ui();
  if (target.kind === 'file') return target.uri.fsPath;
  const isData = (name: string) => DATA_EXTENSIONS.includes(path.extname(name).toLowerCase()) && !/\.batch\.jsonl$|\.source\.json$/.test(name) && !name.endsWith(TEMPLATE_SUFFIX);
  const usable = await findWorkspaceFiles((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), isData);
  if (!usable.length) {
    void ui().info(vscode.l10n.t('No CSV, TSV, JSON or JSONL data in this workspace: right-click a data file or a folder in the Explorer and choose Create Batch File from Data….'));
    throw host.cancelled();
  }
  const picked = await ui().pick(
    usable.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri })),
    { placeHolder: vscode.l10n.t('Which data should the batch be built from?') },
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
      return { label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), detail: forThis ? vscode.l10n.t('made for {0}', path.basename(dataPath)) : undefined, forThis, uri };
    }),
  );
  items.sort((a, b) => Number(b.forThis) - Number(a.forThis) || a.label.localeCompare(b.label));
  const shown = columns.length > 8 ? `${columns.slice(0, 8).join(', ')}, …` : columns.join(', ');
  const picked = await ui.pick([...items, { label: NEW_TEMPLATE, description: shown, detail: undefined, forThis: false, uri: undefined }], {
    placeHolder: vscode.l10n.t('Which template should each record of {0} fill?', path.basename(dataPath)),
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
      throw new Error(vscode.l10n.t('{0} is not a template that can be filled: {1}', path.basename(file), err.message), { cause: err });
    }
    throw err;
  }
}

function estimateText(host: DataHost, build: BatchBuild): string {
  const cost = estimateCost(build.models, host.prices());
  if (cost.totalMaxUsd <= 0) return '';
  const usd = formatUsd(cost.totalMaxUsd);
  return usd.startsWith('<') ? vscode.l10n.t(' · est. {0}', usd) : vscode.l10n.t(' · est. ≤ {0}', usd);
}

function previewDetail(build: BatchBuild, source: DataSource): string {
  const lines: string[] = [];
  if (build.firstRequest) {
    const pretty = JSON.stringify(JSON.parse(build.firstRequest), null, 2);
    lines.push(vscode.l10n.t('First request:'), pretty.length > PREVIEW_CHARS ? `${pretty.slice(0, PREVIEW_CHARS)}\n…` : pretty, '');
  }
  lines.push(vscode.l10n.t('{0} requests from {1} records, {2}.', formatCount(build.requests), formatCount(build.records), formatBytes(build.byteSize)));
  if (build.parts > 1) {
    lines.push(vscode.l10n.t('That is more than one batch holds (100,000 requests or 256 MB): Submit will send it as {0} batches, remembered as one group, as it does for any file over the limits.', formatCount(build.parts)));
  }
  if (build.badCount) {
    lines.push('', build.badCount === 1 ? vscode.l10n.t('1 record of {0} cannot be used:', path.basename(source.path)) : vscode.l10n.t('{0} records of {1} cannot be used:', formatCount(build.badCount), path.basename(source.path)));
    for (const bad of build.bad.slice(0, BAD_SHOWN)) lines.push(`• ${bad.where}${bad.column ? vscode.l10n.t(', column "{0}"', bad.column) : ''}: ${bad.message}`);
    if (build.badCount > BAD_SHOWN) lines.push(vscode.l10n.t('• … and {0} more', formatCount(build.badCount - BAD_SHOWN)));
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
    .withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Building {0} from {1}', path.basename(output), path.basename(dataPath)), cancellable: true }, (progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      return buildBatchFromData({
        source,
        template,
        output,
        templatePath,
        onBad: 'skip',
        signal: abort.signal,
        onProgress: (records) => progress.report({ message: vscode.l10n.t('{0} records…', formatCount(records)) }),
      }).finally(() => listener.dispose());
    })
    .then(undefined, dataError);
  let committed = false;
  try {
    if (build.requests === 0) {
      const first = build.bad[0];
      throw new Error(vscode.l10n.t('No request could be built from {0}{1}.', path.basename(dataPath), first ? `: ${first.where}${first.column ? vscode.l10n.t(', column "{0}"', first.column) : ''}: ${first.message}` : vscode.l10n.t(': it holds no records')));
    }
    const create = build.badCount ? (build.badCount === 1 ? vscode.l10n.t('Skip 1 Bad Record and Create') : vscode.l10n.t('Skip {0} Bad Records and Create', formatCount(build.badCount))) : vscode.l10n.t('Create');
    const title = build.requests === 1
        ? vscode.l10n.t('Create {0}: 1 request{1}?', path.basename(output), estimateText(host, build))
        : vscode.l10n.t('Create {0}: {1} requests{2}?', path.basename(output), formatCount(build.requests), estimateText(host, build));
    const choice = await ui().confirm(title, previewDetail(build, source), create);
    if (choice !== create) throw host.cancelled();
    let overwrite = false;
    if (fs.existsSync(output)) {
      const replace = await ui().confirm(vscode.l10n.t('{0} already exists. Replace it?', path.basename(output)), vscode.l10n.t('The file there now (and its link to its data) will be replaced by the new batch file.'), vscode.l10n.t('Replace'));
      if (replace !== vscode.l10n.t('Replace')) throw host.cancelled();
      overwrite = true;
    }
    await commitBuild(build, { overwrite });
    committed = true;
  } finally {
    if (!committed) await discardBuild(build);
  }
  const uri = vscode.Uri.file(output);
  await vscode.window.showTextDocument(uri, { preview: false });
  const skipped = build.badCount ? (build.badCount === 1 ? vscode.l10n.t(' (1 bad record left out)') : vscode.l10n.t(' ({0} bad records left out)', formatCount(build.badCount))) : '';
  services.log.info(`Built ${output} from ${dataPath} with ${templatePath}: ${build.requests} requests${skipped}.`);
  void ui()
    .info(vscode.l10n.t('Created {0}: {1} requests{2}, ready to submit.', vscode.workspace.asRelativePath(uri), formatCount(build.requests), skipped), vscode.l10n.t('Submit'))
    .then((action) => {
      if (action === vscode.l10n.t('Submit')) host.submit(uri);
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
    placeHolder: vscode.l10n.t('Select a batch built from data to save its results as CSV'),
    none: vscode.l10n.t('No ended batch submitted from this machine: results can be saved as CSV for a batch built from data once it has ended.'),
  });
  const label = host.labelOf(batch);
  if (!isEnded(batch)) {
    void ui().info(vscode.l10n.t('"{0}" has not ended yet: its results can be saved once it has.', label));
    throw host.cancelled();
  }
  const record = services.registry.get(batch.id);
  if (!record?.sourcePath) throw new Error(vscode.l10n.t('"{0}" was not submitted from this machine, so the data it was built from is unknown.', label));
  const link = await readSourceLink(record.sourcePath);
  if (!link) throw new Error(vscode.l10n.t('"{0}" was not built from data: {1} has no {2}.source.json beside it. Use Save Results… instead.', label, path.basename(record.sourcePath), path.basename(record.sourcePath)));
  if (link.batchSha256 !== record.contentHash) {
    throw new Error(vscode.l10n.t('{0} was built from data again or changed after "{1}" was submitted: its link to the data describes other requests. Use Save Results… instead.', path.basename(record.sourcePath), label));
  }
  const dataPath = resolveFromLink(record.sourcePath, link.data);
  const stat = await fs.promises.stat(dataPath).catch(() => undefined);
  if (!stat) throw new Error(vscode.l10n.t('The data "{0}" was built from is gone ({1}).', label, dataPath));
  if (!stat.isDirectory() && (stat.size !== link.dataSize || Math.abs(stat.mtimeMs - link.dataMtimeMs) > 1)) {
    const go = await ui().confirm(vscode.l10n.t('{0} changed after the batch was built from it.', path.basename(dataPath)), vscode.l10n.t('Its rows may no longer be the ones the requests were built from: each result is joined to the row that now has its number.'), vscode.l10n.t('Save Anyway'));
    if (go !== vscode.l10n.t('Save Anyway')) throw host.cancelled();
  }
  const resultsPaths: string[] = [];
  for (const id of partsOf(services, batch)) {
    const part = id === batch.id ? batch : (services.store.get(id) ?? (await (await host.requireApi()).retrieve(id)));
    if (!isEnded(part)) {
      void ui().info(vscode.l10n.t('"{0}" is one of several batches its file was split into, and {1} has not ended yet: the CSV can be saved once all have.', label, host.labelOf(part)));
      throw host.cancelled();
    }
    const local = await services.results.ensureLocal(part, host.labelOf(part));
    if (!local) throw host.cancelled();
    resultsPaths.push(local.path);
  }
  const targetUri = await ui().saveDialog({
    title: vscode.l10n.t('Save the results of "{0}" as CSV', label),
    defaultUri: vscode.Uri.file(path.join(path.dirname(dataPath), `${dataBase(dataPath)}.results.csv`)),
    filters: { CSV: ['csv'] },
    saveLabel: vscode.l10n.t('Save as CSV'),
  });
  if (!targetUri) return undefined;
  const source = await openDataSource(dataPath);
  const summary = await vscode.window
    .withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving the results of "{0}" as CSV', label) }, () => writeResultsCsv({ resultsPaths, link, source, output: targetUri.fsPath }))
    .then(undefined, dataError);
  const notes = [
    summary.notSent ? vscode.l10n.t('{0} not sent (bad records)', formatCount(summary.notSent)) : '',
    summary.withoutResult ? vscode.l10n.t('{0} without a result', formatCount(summary.withoutResult)) : '',
    summary.unmatchedResults ? vscode.l10n.t('{0} results matched no row', formatCount(summary.unmatchedResults)) : '',
  ].filter(Boolean);
  void ui().info(vscode.l10n.t('Saved {0} rows of {1} with their results to {2}{3}.', formatCount(summary.rows), path.basename(dataPath), vscode.workspace.asRelativePath(targetUri), notes.length ? ` (${notes.join(', ')})` : ''));
  return targetUri;
}
