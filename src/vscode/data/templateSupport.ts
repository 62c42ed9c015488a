// Templates in the editor: diagnostics, placeholder completion and the "Build batch from …"
// CodeLens. Loaded with the data bundle when the first template is opened (templateStub.ts
// registers thin providers at activation). The data a template is shown against is its
// `options.data`; what the data holds (columns, first record, request count and estimate) is
// read once per template text and data version, and kept until either changes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatCount, formatUsd } from '../../common/format';
import { estimateCost } from '../../domain/cost';
import {
  buildBatchFromData,
  checkTemplate,
  discardBuild,
  openDataSource,
  parseTemplate,
  type DataRecord,
  type TemplateData,
} from '../../domain/data';
import { CommandIds, type ExtensionCommands } from '../commands/commandIds';
import type { PriceTable } from '../../domain/cost';

interface DataFacts {
  key: string;
  data?: TemplateData;
  /** Why the data could not be read, when it could not. */
  problem?: string;
  path?: string;
}

const dataCache = new Map<string, Promise<DataFacts>>();
const lensCache = new Map<string, Promise<string>>();

/** The data a template names, relative to the template. */
function dataPathOf(document: vscode.TextDocument): string | undefined {
  try {
    const data = parseTemplate(document.getText()).options.data;
    return data ? path.resolve(path.dirname(document.uri.fsPath), data) : undefined;
  } catch {
    return undefined;
  }
}

async function versionOf(file: string): Promise<string | undefined> {
  const stat = await fs.promises.stat(file).catch(() => undefined);
  return stat && `${file}:${stat.size}:${stat.mtimeMs}`;
}

/** Columns and the first usable record of the data, read once per version of the data. */
async function dataFacts(file: string): Promise<DataFacts> {
  const key = await versionOf(file);
  if (!key) return { key: file, problem: vscode.l10n.t('{0} does not exist', path.basename(file)), path: file };
  let facts = dataCache.get(key);
  if (!facts) {
    facts = (async (): Promise<DataFacts> => {
      try {
        const source = await openDataSource(file);
        const columns = await source.columns();
        let sample: DataRecord | undefined;
        for await (const item of source.records()) {
          if (item.kind === 'record') {
            sample = item;
            break;
          }
        }
        const complete = source.kind === 'csv' || source.kind === 'tsv' || source.kind === 'folder';
        return { key, path: file, data: { name: path.basename(file), columns, complete, sample } };
      } catch (err) {
        return { key, path: file, problem: err instanceof Error ? err.message : String(err) };
      }
    })();
    dataCache.clear();
    dataCache.set(key, facts);
  }
  return facts;
}

/** Diagnostics for a template document. */
export async function templateDiagnostics(document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  const text = document.getText();
  const file = dataPathOf(document);
  const facts = file ? await dataFacts(file) : undefined;
  const check = checkTemplate(text, facts?.data);
  const diagnostics = check.problems.map((p) => {
    const d = new vscode.Diagnostic(new vscode.Range(document.positionAt(p.start), document.positionAt(Math.max(p.end, p.start + 1))), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    d.source = vscode.l10n.t('Claude Batches');
    return d;
  });
  if (facts?.problem) {
    const at = text.indexOf('"data"');
    const start = document.positionAt(Math.max(0, at));
    const d = new vscode.Diagnostic(new vscode.Range(start, start.translate(0, 6)), vscode.l10n.t('The data of this template cannot be read: {0}', facts.problem), vscode.DiagnosticSeverity.Warning);
    d.source = vscode.l10n.t('Claude Batches');
    diagnostics.push(d);
  }
  return diagnostics;
}

/** Placeholder names after `{{` (or `{{json:`): the columns of the template's data. */
export async function templateCompletions(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
  const before = document.lineAt(position.line).text.slice(0, position.character);
  const open = /\{\{\s*(json:)?([^{}"]*)$/.exec(before);
  if (!open) return [];
  const file = dataPathOf(document);
  const facts = file ? await dataFacts(file) : undefined;
  const columns = facts?.data?.columns ?? [];
  const range = new vscode.Range(position.translate(0, -open[2].length), position);
  const after = document.lineAt(position.line).text.slice(position.character);
  return columns.map((name, i) => {
    const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Field);
    item.range = range;
    item.insertText = after.startsWith('}}') ? name : `${name}}}`;
    item.detail = vscode.l10n.t('column of {0}', facts?.data?.name ?? '');
    item.sortText = String(i).padStart(5, '0');
    return item;
  });
}

/** The count and estimate of what the template builds from its data: a build that writes to a temp file it then removes. */
async function lensTitle(document: vscode.TextDocument, file: string, prices: PriceTable): Promise<string> {
  const key = `${document.uri.toString()}#${document.version}#${await versionOf(file)}`;
  let title = lensCache.get(key);
  if (!title) {
    title = (async () => {
      const source = await openDataSource(file);
      const build = await buildBatchFromData({ source, template: parseTemplate(document.getText()), output: path.join(path.dirname(file), `.${path.basename(file)}.lens.batch.jsonl`), onBad: 'skip' });
      await discardBuild(build);
      const cost = estimateCost(build.models, prices);
      const usd = formatUsd(cost.totalMaxUsd);
      const estimate = cost.totalMaxUsd > 0 ? (usd.startsWith('<') ? vscode.l10n.t(' · est. {0}', usd) : vscode.l10n.t(' · est. ≤ {0}', usd)) : '';
      const bad = build.badCount ? (build.badCount === 1 ? vscode.l10n.t(' · 1 bad record') : vscode.l10n.t(' · {0} bad records', formatCount(build.badCount))) : '';
      return build.requests === 1
        ? vscode.l10n.t('$(play) Build batch from {0} · 1 request{1}{2}', path.basename(file), estimate, bad)
        : vscode.l10n.t('$(play) Build batch from {0} · {1} requests{2}{3}', path.basename(file), formatCount(build.requests), estimate, bad);
    })();
    lensCache.clear();
    lensCache.set(key, title);
  }
  return title;
}

/** The lens's command (not commandRunner's commandOf: that module is the extension's, see dataHost.ts). */
function buildCommand(title: string, data: vscode.Uri | undefined, template: vscode.Uri): vscode.Command {
  const args: Parameters<ExtensionCommands['claudeBatches.createBatchFromData']> = [data, template];
  return { command: CommandIds.createBatchFromData, title, arguments: args };
}

export async function templateCodeLenses(document: vscode.TextDocument, prices: PriceTable): Promise<vscode.CodeLens[]> {
  const top = new vscode.Range(0, 0, 0, 0);
  const file = dataPathOf(document);
  if (!file) {
    return [new vscode.CodeLens(top, buildCommand(vscode.l10n.t('$(play) Build batch from data… (choose the data; "options": {"data": …} names it here)'), undefined, document.uri))];
  }
  let title: string;
  try {
    title = await lensTitle(document, file, prices);
  } catch (err) {
    title = vscode.l10n.t('$(warning) Build batch from {0} ({1})', path.basename(file), err instanceof Error ? err.message : String(err));
  }
  return [new vscode.CodeLens(top, buildCommand(title, vscode.Uri.file(file), document.uri))];
}
