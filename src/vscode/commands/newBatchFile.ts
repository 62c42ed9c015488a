import * as vscode from 'vscode';
import { freeFileName, starterBatchText } from '../../domain/jsonl';
import { ui } from '../core/ui';
import type { CommandTarget } from './commandArguments';
import { UserCancelled } from './commandRunner';

/** The starter's name; a taken one becomes `requests-2.batch.jsonl`, and so on. */
const STARTER_NAME = 'requests.batch.jsonl';

/**
 * Writes a starter batch file (a few requests that validate cleanly) and opens it: in the folder
 * the Explorer passed (or the folder of the file it passed), else the first workspace folder,
 * never over an existing file; without a folder, where the user saves it. Goes through
 * `workspace.fs`, so it works in virtual workspaces too.
 */
export async function newBatchFile(target: CommandTarget): Promise<vscode.Uri> {
  const folder = await folderFor(target);
  let uri: vscode.Uri | undefined;
  if (folder) {
    const taken = new Set((await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name));
    const name = freeFileName(STARTER_NAME, (candidate) => taken.has(candidate));
    if (!name) throw new Error(vscode.l10n.t('{0} already has 1,000 starter batch files: delete or rename some, then try again.', folder.fsPath));
    uri = vscode.Uri.joinPath(folder, name);
  } else {
    uri = await ui().saveDialog({ saveLabel: vscode.l10n.t('Create Batch File'), filters: { 'Claude Batch (JSONL)': ['jsonl'] }, title: vscode.l10n.t('New Batch File') });
    if (!uri) throw new UserCancelled();
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(starterBatchText()));
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

async function folderFor(target: CommandTarget): Promise<vscode.Uri | undefined> {
  if (target.kind === 'file') {
    const stat = await Promise.resolve(vscode.workspace.fs.stat(target.uri)).catch(() => undefined);
    if (stat && stat.type & vscode.FileType.Directory) return target.uri;
    return vscode.Uri.joinPath(target.uri, '..');
  }
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}
