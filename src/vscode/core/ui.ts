import * as vscode from 'vscode';
import { redactKnownSecrets } from '../../api';

/**
 * Every prompt and message the commands show goes through this, so the extension-host tests can
 * answer dialogs (and fail on unexpected ones) while everything else runs for real. The journeys
 * click the real dialogs. It is also where shown text is redacted: no API key reaches a
 * notification or a dialog, whatever put it into the text.
 */
export interface Ui {
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
  /** A modal confirmation; resolves to the chosen action, undefined when dismissed. */
  confirm(message: string, detail: string, ...actions: string[]): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  /** A quick pick where several items can be chosen; undefined when dismissed. */
  pickMany<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T[] | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  saveDialog(options: vscode.SaveDialogOptions): Thenable<vscode.Uri | undefined>;
}

const vscodeUi: Ui = {
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
  confirm: (message, detail, ...actions) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  pickMany: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: true }),
  input: (options) => vscode.window.showInputBox(options),
  saveDialog: (options) => vscode.window.showSaveDialog(options),
};

/** `ui` with every message and detail redacted on its way to the screen. */
function redacting(ui: Ui): Ui {
  const r = redactKnownSecrets;
  return {
    info: (message, ...actions) => ui.info(r(message), ...actions),
    warn: (message, ...actions) => ui.warn(r(message), ...actions),
    error: (message, ...actions) => ui.error(r(message), ...actions),
    confirm: (message, detail, ...actions) => ui.confirm(r(message), r(detail), ...actions),
    pick: (items, options) => ui.pick(items, options),
    pickMany: (items, options) => ui.pickMany(items, options),
    input: (options) => ui.input(options),
    saveDialog: (options) => ui.saveDialog(options),
  };
}

let current: Ui = redacting(vscodeUi);

/** The Ui in use: VS Code's own, unless a test replaced it; redacting either way. */
export function ui(): Ui {
  return current;
}

/** For the extension-host tests only (through the test entry's ExtensionTestApi). */
export function setUi(replacement: Ui | undefined): void {
  current = redacting(replacement ?? vscodeUi);
}
