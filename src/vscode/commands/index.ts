import { CommandIds } from '../commandIds';
import { registerCommand } from '../commandRunner';
import type { Services } from '../services';
import { clearApiKey, setApiKey } from './apiKeyCommands';
import { cancelBatch, copyBatchId, deleteBatch, openResults } from './batchCommands';
import { submitFile } from './submitFile';

/** Registers every command in the CommandIds table, each behind the one error wrapper. */
export function registerCommands(services: Services): void {
  const { context, log, keys, clients, store } = services;
  const register = (id: Parameters<typeof registerCommand>[2], action: string, handler: (arg?: unknown) => unknown) =>
    registerCommand(context, log, id, handler, action);

  register(CommandIds.submitFile, 'Submitting the file', (arg) => submitFile(services, arg));
  register(CommandIds.cancel, 'Cancelling the batch', (arg) => cancelBatch(services, arg));
  register(CommandIds.delete, 'Deleting the batch', (arg) => deleteBatch(services, arg));
  register(CommandIds.openResults, 'Opening the results', (arg) => openResults(services, arg));
  register(CommandIds.copyId, 'Copying the batch id', (arg) => copyBatchId(services, arg));
  register(CommandIds.refresh, 'Refreshing the batches', () => store.refresh());
  register(CommandIds.loadMore, 'Loading more batches', () => store.loadMore());
  register(CommandIds.setApiKey, 'Setting the API key', () => setApiKey(keys, clients, log));
  register(CommandIds.clearApiKey, 'Clearing the API key', () => clearApiKey(keys, log));
  register(CommandIds.showLog, 'Showing the log', () => log.show());
}
