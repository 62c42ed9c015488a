import * as vscode from 'vscode';
import { DisposableObject } from '../../domain/lifecycle';
import { commandTarget, type CommandTarget } from './commandArguments';
import type { CommandId, CommandResult } from './commandIds';
import { executeCommand, guardCommand } from './commandRunner';
import type { Services } from '../core/services';
import { addAccount, clearApiKey, removeAccount, renameAccount, setApiKey, switchAccount, type AccountDeps } from './accountCommands';
import { compareResults, showUsage } from './compareCommands';
import { cancelBatch, copyBatchId, deleteBatch } from './batchCommands';
import { openResults, retryFailed, saveResults, sectionArgument } from './resultsCommands';
import { filterResults, goToCustomId, openResultInFull, toggleResultView } from './resultNavigationCommands';
import { manageStorage } from './storageCommands';
import { newBatchFile } from './newBatchFile';
import { submitFile } from './submitFile';
import { createBatchFromData, saveResultsAsCsv } from '../data/dataCommandStubs';

/** The Batches view, whose progress bar shows a refresh. */
const BATCHES_VIEW = 'claudeBatches.batches';

/** A command's handler: gets its first argument decoded (commandArguments.ts), the rest as given. */
interface Handler<K extends CommandId> {
  /** What the command does, for error messages: "Cancelling the batch failed: …". */
  action: string;
  run(target: CommandTarget, ...more: unknown[]): Promise<CommandResult<K>> | CommandResult<K>;
}

/** One handler for each command of the map: the compiler refuses a missing, extra or mistyped one. */
type Handlers = { [K in CommandId]: Handler<K> };

/** Where the handlers go: the commands activation registered, which call them once attached. */
export interface CommandHost {
  attach(id: string, handler: (...args: unknown[]) => unknown): vscode.Disposable;
}

/** Attaches a handler for every command of the map, each behind the one error wrapper; disposing what it returns detaches them. */
export function registerCommands(services: Services, host: CommandHost): DisposableObject {
  const { log, keys, clients, store, polling } = services;
  const accounts: AccountDeps = { keys, clients, log, globalState: services.globalState };
  /** After what the user did, check on running batches soon (and forget the poller's backoff). */
  const thenPoke =
    <T>(run: (target: CommandTarget) => Promise<T>) =>
    async (target: CommandTarget): Promise<T> => {
      try {
        return await run(target);
      } finally {
        polling.poke();
      }
    };

  const handlers: Handlers = {
    'claudeBatches.submitFile': { action: vscode.l10n.t('Submitting the file'), run: thenPoke((target) => submitFile(services, target)) },
    'claudeBatches.newBatchFile': { action: vscode.l10n.t('Creating a batch file'), run: (target) => newBatchFile(target) },
    'claudeBatches.cancel': { action: vscode.l10n.t('Cancelling the batch'), run: thenPoke((target) => cancelBatch(services, target)) },
    'claudeBatches.delete': { action: vscode.l10n.t('Deleting the batch'), run: (target) => deleteBatch(services, target) },
    'claudeBatches.openResults': { action: vscode.l10n.t('Opening the results'), run: (target) => openResults(services, target) },
    'claudeBatches.openResultsSection': { action: vscode.l10n.t('Opening the results'), run: (target, section) => openResults(services, target, sectionArgument(section)) },
    'claudeBatches.retryFailed': { action: vscode.l10n.t('Retrying the failed requests'), run: (target) => retryFailed(services, target) },
    'claudeBatches.saveResults': { action: vscode.l10n.t('Saving the results'), run: (target) => saveResults(services, target) },
    'claudeBatches.openResultInFull': { action: vscode.l10n.t('Opening the result in full'), run: (target, customId, at) => openResultInFull(services, target, customId, at) },
    'claudeBatches.goToCustomId': { action: vscode.l10n.t('Going to the custom_id'), run: () => goToCustomId(services) },
    'claudeBatches.filterResults': { action: vscode.l10n.t('Filtering the results'), run: () => filterResults(services) },
    'claudeBatches.toggleResultView': { action: vscode.l10n.t('Switching the view of the result'), run: (target) => toggleResultView(target) },
    'claudeBatches.copyId': { action: vscode.l10n.t('Copying the batch id'), run: (target) => copyBatchId(services, target) },
    // The view's own progress bar: the refresh shows where its result will appear.
    'claudeBatches.refresh': { action: vscode.l10n.t('Refreshing the batches'), run: thenPoke(() => Promise.resolve(vscode.window.withProgress({ location: { viewId: BATCHES_VIEW } }, () => store.refresh()))) },
    // The status bar's click: the running batches are checked within a second, and the view shows them.
    'claudeBatches.checkNow': { action: vscode.l10n.t('Checking the running batches'), run: thenPoke(async () => void (await executeCommand('claudeBatches.batches.focus'))) },
    'claudeBatches.loadMore': { action: vscode.l10n.t('Loading more batches'), run: () => store.loadMore() },
    'claudeBatches.setApiKey': { action: vscode.l10n.t('Setting the API key'), run: thenPoke(() => setApiKey(accounts)) },
    'claudeBatches.clearApiKey': { action: vscode.l10n.t('Clearing the API key'), run: () => clearApiKey(accounts) },
    'claudeBatches.addAccount': { action: vscode.l10n.t('Adding the account'), run: thenPoke(() => addAccount(accounts)) },
    'claudeBatches.switchAccount': { action: vscode.l10n.t('Switching the account'), run: thenPoke((target) => switchAccount(accounts, target.kind === 'batchId' ? target.batchId : undefined)) },
    'claudeBatches.renameAccount': { action: vscode.l10n.t('Renaming the account'), run: () => renameAccount(accounts) },
    'claudeBatches.removeAccount': { action: vscode.l10n.t('Removing the account'), run: () => removeAccount(accounts) },
    'claudeBatches.showLog': { action: vscode.l10n.t('Showing the log'), run: () => log.show() },
    'claudeBatches.manageStorage': { action: vscode.l10n.t('Managing the local results'), run: () => manageStorage(services) },
    'claudeBatches.compareResults': { action: vscode.l10n.t('Comparing the results'), run: (target, more) => compareResults(services, target, more) },
    'claudeBatches.showUsage': { action: vscode.l10n.t('Showing the usage'), run: () => showUsage() },
    // The data code is its own bundle (dist/data.js), loaded when one of these first runs.
    'claudeBatches.createBatchFromData': { action: vscode.l10n.t('Creating the batch file from data'), run: (target, template) => createBatchFromData(services, target, template) },
    'claudeBatches.saveResultsAsCsv': { action: vscode.l10n.t('Saving the results as CSV'), run: (target) => saveResultsAsCsv(services, target) },
  };

  const commands = new DisposableObject();
  for (const id of Object.keys(handlers) as CommandId[]) {
    const { action, run } = handlers[id] as Handler<CommandId>;
    commands.register(host.attach(id, guardCommand(log, (arg, ...more) => run(commandTarget(arg), ...more), action)));
  }
  return commands;
}
