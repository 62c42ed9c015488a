import * as vscode from 'vscode';

/**
 * Every prompt and message the commands show goes through this, so the extension-host tests can
 * answer dialogs (and fail on unexpected ones) while everything else runs for real. The journeys
 * click the real dialogs.
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

export const vscodeUi: Ui = {
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
  confirm: (message, detail, ...actions) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  pickMany: (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: true }),
  input: (options) => vscode.window.showInputBox(options),
  saveDialog: (options) => vscode.window.showSaveDialog(options),
};

let current: Ui = vscodeUi;

/** The Ui in use: VS Code's own, unless a test replaced it. */
export function ui(): Ui {
  return current;
}

/** For the extension-host tests only (through ExtensionApi). */
export function setUi(replacement: Ui | undefined): void {
  current = replacement ?? vscodeUi;
}
