// The command map: every command the extension registers, what each takes and what it resolves
// to, and the built-in commands it calls. Types only from vscode, so a plain unit test loads it
// and checks it against package.json (test/unit/vscode/commandMap.test.ts); the typed helpers
// that call commands are in commandRunner.ts, the decoding of what VS Code passes in
// commandArguments.ts.
import type * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import type { SectionId } from '../../domain/results';
import type { ListStateKey } from '../../domain/batchTree';
import type { BatchRow, GroupRow } from '../../domain/batchTree';

/**
 * A batch, as item commands take it: its row in the Batches view (menus pass it) or its id
 * (notifications, links, tests). Without one, the command offers a pick.
 */
export type BatchRef = BatchRow | string;

/** The batches one file was split into: the group's row, or `group:<id>` (groupRef). */
export type GroupRef = GroupRow | `group:${string}`;

/** A file to submit (menus and the CodeLens pass it); a retry passes the batch it retries too. */
export type FileRef = vscode.Uri | { uri: vscode.Uri; parentBatchId: string };

/** Where a result's line is in the local copy (a hint a results document passes; checked before use). */
export interface ResultPlace {
  offset: number;
  length: number;
}

/** An account as commands return it: never its key. */
export interface AccountSummary {
  id: string;
  name: string;
  implicit: boolean;
  baseUrl: string;
}

const GROUP_PREFIX = 'group:';

/** How a group of batches is named to commands, and to the tree as its row's id. */
export function groupRef(groupId: string): `group:${string}` {
  return `${GROUP_PREFIX}${groupId}`;
}

/** The group a `group:<id>` string names, or undefined when it names none. */
export function parseGroupRef(text: string): string | undefined {
  return text.startsWith(GROUP_PREFIX) ? text.slice(GROUP_PREFIX.length) : undefined;
}

/**
 * Each command's signature: what callers pass, and what it resolves to. Through
 * `executeCommand`, a command that failed (it said so) or that the user backed out of resolves to
 * undefined instead.
 */
export interface ExtensionCommands {
  'claudeBatches.submitFile': (file?: FileRef) => MessageBatch | undefined;
  'claudeBatches.newBatchFile': (folder?: vscode.Uri) => vscode.Uri;
  'claudeBatches.cancel': (batch?: BatchRef) => MessageBatch | undefined;
  'claudeBatches.delete': (batch?: BatchRef) => boolean;
  'claudeBatches.refresh': () => void;
  'claudeBatches.checkNow': () => void;
  'claudeBatches.loadMore': () => void;
  'claudeBatches.openResults': (batch?: BatchRef) => vscode.Uri | undefined;
  'claudeBatches.saveResults': (target?: BatchRef | GroupRef) => boolean;
  'claudeBatches.openResultsSection': (batchId: string, section: SectionId) => vscode.Uri | undefined;
  'claudeBatches.retryFailed': (batch?: BatchRef) => vscode.Uri | undefined;
  'claudeBatches.openResultInFull': (batchId?: string, customId?: string, at?: ResultPlace) => vscode.Uri | undefined;
  'claudeBatches.goToCustomId': () => vscode.Uri | undefined;
  'claudeBatches.filterResults': () => vscode.Uri | undefined;
  'claudeBatches.toggleResultView': (uri?: vscode.Uri) => vscode.Uri | undefined;
  'claudeBatches.copyId': (batch?: BatchRef) => string;
  'claudeBatches.setApiKey': () => boolean;
  'claudeBatches.clearApiKey': () => void;
  'claudeBatches.addAccount': () => AccountSummary | undefined;
  /** With an account id, uses it without asking; without, offers a pick. */
  'claudeBatches.switchAccount': (accountId?: string) => AccountSummary | undefined;
  'claudeBatches.renameAccount': () => AccountSummary | undefined;
  'claudeBatches.removeAccount': () => boolean;
  'claudeBatches.showLog': () => void;
  'claudeBatches.manageStorage': () => string[];
  /** The Batches view passes the clicked row, then the selected rows; others pass two batches, or nothing (two picks). */
  'claudeBatches.compareResults': (first?: BatchRef, second?: BatchRef | BatchRef[]) => vscode.Uri[];
  'claudeBatches.showUsage': () => vscode.Uri;
  'claudeBatches.createBatchFromData': (data?: vscode.Uri, template?: vscode.Uri) => vscode.Uri | undefined;
  'claudeBatches.saveResultsAsCsv': (batch?: BatchRef) => vscode.Uri | undefined;
}

/** The commands of VS Code (and of the view it makes from package.json) the extension calls. */
export interface BuiltInCommands {
  setContext: (key: 'claudeBatches.listState', value: ListStateKey) => void;
  'claudeBatches.batches.focus': () => void;
  'workbench.actions.view.problems': () => void;
  'workbench.action.openSettings': (query: string) => void;
  'vscode.diff': (left: vscode.Uri, right: vscode.Uri, title: string, options?: vscode.TextDocumentShowOptions) => void;
}

export type AllCommands = ExtensionCommands & BuiltInCommands;
export type CommandId = keyof ExtensionCommands;
export type AnyCommandId = keyof AllCommands;

/** The arguments a command takes, and what it resolves to (before failures turn it to undefined). */
export type CommandArgs<K extends AnyCommandId> = Parameters<AllCommands[K]>;
export type CommandResult<K extends AnyCommandId> = ReturnType<AllCommands[K]>;

/**
 * Every command, as package.json contributes it: all are in the Command Palette unless
 * `hiddenFromPalette` says why not (and package.json hides it with `"when": "false"`).
 */
export const COMMANDS: { readonly [K in CommandId]: { readonly hiddenFromPalette?: string } } = {
  'claudeBatches.submitFile': {},
  'claudeBatches.newBatchFile': {},
  'claudeBatches.cancel': {},
  'claudeBatches.delete': {},
  'claudeBatches.refresh': {},
  'claudeBatches.checkNow': {},
  // not translated: why a command is left out of the palette, for the test that checks the manifest
  'claudeBatches.loadMore': { hiddenFromPalette: 'the "Load more…" row at the end of the Batches view runs it' },
  'claudeBatches.openResults': {},
  'claudeBatches.saveResults': {},
  // not translated: as above
  'claudeBatches.openResultsSection': { hiddenFromPalette: 'the links of a results document run it, with the batch and the section' },
  'claudeBatches.retryFailed': {},
  'claudeBatches.openResultInFull': {},
  'claudeBatches.goToCustomId': {},
  'claudeBatches.filterResults': {},
  'claudeBatches.toggleResultView': {},
  'claudeBatches.copyId': {},
  'claudeBatches.setApiKey': {},
  'claudeBatches.clearApiKey': {},
  'claudeBatches.addAccount': {},
  'claudeBatches.switchAccount': {},
  'claudeBatches.renameAccount': {},
  'claudeBatches.removeAccount': {},
  'claudeBatches.showLog': {},
  'claudeBatches.manageStorage': {},
  'claudeBatches.compareResults': {},
  'claudeBatches.showUsage': {},
  'claudeBatches.createBatchFromData': {},
  'claudeBatches.saveResultsAsCsv': {},
};

/** The ids by name, for call sites: `CommandIds.openResults`. */
export const CommandIds = {
  submitFile: 'claudeBatches.submitFile',
  newBatchFile: 'claudeBatches.newBatchFile',
  cancel: 'claudeBatches.cancel',
  delete: 'claudeBatches.delete',
  refresh: 'claudeBatches.refresh',
  checkNow: 'claudeBatches.checkNow',
  loadMore: 'claudeBatches.loadMore',
  openResults: 'claudeBatches.openResults',
  saveResults: 'claudeBatches.saveResults',
  openResultsSection: 'claudeBatches.openResultsSection',
  retryFailed: 'claudeBatches.retryFailed',
  openResultInFull: 'claudeBatches.openResultInFull',
  goToCustomId: 'claudeBatches.goToCustomId',
  filterResults: 'claudeBatches.filterResults',
  toggleResultView: 'claudeBatches.toggleResultView',
  copyId: 'claudeBatches.copyId',
  setApiKey: 'claudeBatches.setApiKey',
  clearApiKey: 'claudeBatches.clearApiKey',
  addAccount: 'claudeBatches.addAccount',
  switchAccount: 'claudeBatches.switchAccount',
  renameAccount: 'claudeBatches.renameAccount',
  removeAccount: 'claudeBatches.removeAccount',
  showLog: 'claudeBatches.showLog',
  manageStorage: 'claudeBatches.manageStorage',
  compareResults: 'claudeBatches.compareResults',
  showUsage: 'claudeBatches.showUsage',
  createBatchFromData: 'claudeBatches.createBatchFromData',
  saveResultsAsCsv: 'claudeBatches.saveResultsAsCsv',
} as const satisfies Record<string, CommandId>;
