// Moving around the results of a batch: open one result in full (from an entry's CodeLens, or a
// pick), go to a custom_id, filter the document to one section or error type, and switch a result
// in full between its Markdown and its raw JSON. They act on the results document (or result in
// full) of the active editor.
import * as vscode from 'vscode';
import { formatCount } from '../../common/format';
import type { DocumentEntry, EntrySection, SectionId } from '../../domain/results';
import type { CommandTarget } from './commandArguments';
import { CommandIds, type ResultPlace } from './commandIds';
import { executeCommand, UserCancelled } from './commandRunner';
import { fullResultUri, parseFullResultUri, parseResultsUri, type FullResultTarget } from '../results/resultsUri';
import type { Services } from '../core/services';
import { ui } from '../core/ui';

/** The batch of the results document or result in full in the active editor. */
function activeResults(): { batchId: string; uri: vscode.Uri; editor: vscode.TextEditor } {
  const editor = vscode.window.activeTextEditor;
  const uri = editor?.document.uri;
  const batchId = uri && (parseResultsUri(uri) ?? parseFullResultUri(uri))?.batchId;
  if (!editor || !uri || !batchId) {
    void ui().info(vscode.l10n.t('Open the results of a batch first ("Open Results" on an ended batch in the Batches view), then run this again.'));
    throw new UserCancelled();
  }
  return { batchId, uri, editor };
}

/** What VS Code passed as a place: only two whole numbers are a place; anything else is none. */
function placeArgument(value: unknown): ResultPlace | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { offset, length } = value as { offset?: unknown; length?: unknown };
  return Number.isSafeInteger(offset) && Number.isSafeInteger(length) && (offset as number) >= 0 && (length as number) >= 0 ? { offset: offset as number, length: length as number } : undefined;
}

async function showFull(target: FullResultTarget): Promise<vscode.Uri> {
  const uri = fullResultUri(target);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false });
  return uri;
}

const SECTION_WORDS: Record<string, string> = { succeeded: 'succeeded', errored: 'errored', expired: 'expired', canceled: 'canceled', other: vscode.l10n.t('of an unknown type') };

function describeSection(section: EntrySection): string {
  if (section.startsWith('errored:')) return vscode.l10n.t('errored: {0}', section.slice('errored:'.length));
  return SECTION_WORDS[section] ?? section;
}

interface EntryPick extends vscode.QuickPickItem {
  customId: string;
  at: ResultPlace;
}

/** Every result of the batch's local copy, to pick one (from the entry index: no pass over the copy when it holds up). */
async function pickEntry(services: Services, batchId: string, shown: Map<string, DocumentEntry>, placeHolder: string): Promise<EntryPick | undefined> {
  const index = await services.results.entries(batchId);
  if (!index) {
    void ui().info(vscode.l10n.t('There is no local copy of the results of "{0}" any more: open the results again to download them.', services.results.labelOf(batchId)));
    throw new UserCancelled();
  }
  const items: EntryPick[] = index.ids.map((customId, i) => ({
    label: customId,
    description: describeSection(index.sections[index.sectionOf[i]]),
    detail: shown.has(customId) ? vscode.l10n.t('in this document') : undefined,
    customId,
    at: { offset: index.offsets[i], length: index.lengths[i] },
  }));
  return ui().pick(items, { placeHolder: `${placeHolder} (${formatCount(items.length)} results)`, matchOnDescription: true });
}

function shownEntries(services: Services, uri: vscode.Uri): Map<string, DocumentEntry> {
  const entries = new Map<string, DocumentEntry>();
  for (const entry of services.resultsDocuments.structure(uri)?.entries ?? []) if (!entries.has(entry.customId)) entries.set(entry.customId, entry);
  return entries;
}

/** Open in Full: the entry a CodeLens names, or one picked among the results of the active document. */
export async function openResultInFull(services: Services, target: CommandTarget, customId: unknown, at: unknown): Promise<vscode.Uri | undefined> {
  if (target.kind === 'batchId' && typeof customId === 'string') {
    return showFull({ batchId: target.batchId, customId, view: 'markdown', at: placeArgument(at) });
  }
  const { batchId, uri } = activeResults();
  const picked = await pickEntry(services, batchId, shownEntries(services, uri), vscode.l10n.t('Open which result in full?'));
  if (!picked) return undefined;
  return showFull({ batchId, customId: picked.customId, view: 'markdown', at: picked.at });
}

/**
 * Go to custom_id…: an entry the document shows is revealed and selected there; any other result
 * (past the first entries of its section) opens in full.
 */
export async function goToCustomId(services: Services): Promise<vscode.Uri | undefined> {
  const { batchId, uri, editor } = activeResults();
  const shown = parseResultsUri(uri) ? shownEntries(services, uri) : new Map<string, DocumentEntry>();
  const picked = await pickEntry(services, batchId, shown, vscode.l10n.t('Go to which custom_id?'));
  if (!picked) return undefined;
  const entry = shown.get(picked.customId);
  if (!entry) return showFull({ batchId, customId: picked.customId, view: 'markdown', at: picked.at });
  const shownEditor = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preview: false });
  const line = shownEditor.document.lineAt(Math.min(entry.line, shownEditor.document.lineCount - 1)).range;
  shownEditor.selection = new vscode.Selection(line.start, line.end);
  shownEditor.revealRange(line, vscode.TextEditorRevealType.AtTop);
  return uri;
}

interface SectionPick extends vscode.QuickPickItem {
  section?: SectionId;
}

/** Filter Results…: the same results document showing one section or one error type only, or all again. */
export async function filterResults(services: Services): Promise<vscode.Uri | undefined> {
  const { batchId, uri } = activeResults();
  let sections = services.resultsDocuments.structure(uri)?.sections;
  const current = parseResultsUri(uri)?.section;
  if (!sections || current) {
    // A result in full, or a document filtered already: the whole document lists every section.
    sections = (await services.results.render(batchId)).sections;
  }
  const picks: SectionPick[] = [
    { label: vscode.l10n.t('All results'), description: current ? vscode.l10n.t('remove the filter') : vscode.l10n.t('as now') },
    ...sections
      .filter((s) => s.count > 0)
      .map((s) => ({ label: s.id.startsWith('errored:') ? `    ${s.title.split(' · ')[0]}` : s.title.split(' · ')[0], description: s.id === current ? vscode.l10n.t('{0} results · shown now', formatCount(s.count)) : vscode.l10n.t('{0} results', formatCount(s.count)), section: s.id })),
  ];
  const picked = await ui().pick(picks, { placeHolder: vscode.l10n.t('Show which results of "{0}"?', services.results.labelOf(batchId)) });
  if (!picked) return undefined;
  const opened = picked.section ? await executeCommand(CommandIds.openResultsSection, batchId, picked.section) : await executeCommand(CommandIds.openResults, batchId);
  return opened;
}

/** Switches a result in full between its Markdown and its raw JSON (as `.json`). */
export async function toggleResultView(given: CommandTarget): Promise<vscode.Uri | undefined> {
  const uri = given.kind === 'file' ? given.uri : vscode.window.activeTextEditor?.document.uri;
  const target = uri && parseFullResultUri(uri);
  if (!target) {
    void ui().info(vscode.l10n.t('Open a result in full first ("Open in Full" above an entry of a results document), then run this again.'));
    throw new UserCancelled();
  }
  return showFull({ ...target, view: target.view === 'json' ? 'markdown' : 'json' });
}
