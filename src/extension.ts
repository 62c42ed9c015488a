import * as vscode from 'vscode';
import { ApiKeyStore } from './vscode/apiKeyStore';
import { ClientProvider } from './vscode/clientProvider';
import { CommandIds } from './vscode/commandIds';
import { registerCommand } from './vscode/commandRunner';
import { clearApiKey, setApiKey } from './vscode/commands/apiKeyCommands';
import type { ExtensionApi } from './vscode/extensionApi';
import { Log } from './vscode/log';
import { BatchesTreeProvider } from './vscode/views/batchesTree';

/** Only wires: builds the services, hands them to the features, registers every disposable. */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = new Log();
  const keys = new ApiKeyStore(context.secrets);
  const clients = new ClientProvider(keys, log);
  const tree = new BatchesTreeProvider(clients, log);
  context.subscriptions.push(
    log,
    keys,
    clients,
    tree,
    vscode.window.registerTreeDataProvider('claudeBatches.batches', tree),
    clients.onDidChange(() => tree.refresh()),
  );

  registerCommand(context, log, CommandIds.refresh, () => tree.refresh());
  registerCommand(context, log, CommandIds.setApiKey, () => setApiKey(keys, clients, log));
  registerCommand(context, log, CommandIds.clearApiKey, () => clearApiKey(keys, log));
  registerCommand(context, log, CommandIds.showLog, () => log.show());

  log.info(`Claude Batches ${context.extension.packageJSON.version as string} activated.`);
  return { clients };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
