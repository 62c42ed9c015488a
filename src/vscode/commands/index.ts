import type { SectionId } from '../../domain/results';
import { CommandIds } from '../commandIds';
import { registerCommand } from '../commandRunner';
import type { Services } from '../services';
import { clearApiKey, setApiKey } from './apiKeyCommands';
import { cancelBatch, copyBatchId, deleteBatch, saveResults } from './batchCommands';
import { openResults, retryFailed } from './resultsCommands';
import { manageStorage } from './storageCommands';
import { submitFile } from './submitFile';

/** Registers every command in the CommandIds table, each behind the one error wrapper. */
export function registerCommands(services: Services): void {
  const { context, log, keys, clients, store, polling } = services;
  /** After what the user did, check on running batches soon (and forget the poller's backoff). */
  const thenPoke =
    <T>(run: (arg?: unknown) => Promise<T>) =>
    async (arg?: unknown): Promise<T> => {
      try {
        return await run(arg);
      } finally {
        polling.poke();
      }
    };
  const register = (id: Parameters<typeof registerCommand>[2], action: string, handler: (arg?: unknown, arg2?: unknown) => unknown) =>
    registerCommand(context, log, id, handler, action);

  register(CommandIds.submitFile, 'Submitting the file', thenPoke((arg) => submitFile(services, arg)));
  register(CommandIds.cancel, 'Cancelling the batch', thenPoke((arg) => cancelBatch(services, arg)));
  register(CommandIds.delete, 'Deleting the batch', (arg) => deleteBatch(services, arg));
  register(CommandIds.openResults, 'Opening the results', (arg) => openResults(services, services.results, arg));
  register(CommandIds.openResultsSection, 'Opening the results', (batchId, section) => openResults(services, services.results, batchId, section as SectionId));
  register(CommandIds.retryFailed, 'Retrying the failed requests', (arg) => retryFailed(services, services.results, arg));
  register(CommandIds.saveResults, 'Saving the results', (arg) => saveResults(services, arg));
  register(CommandIds.copyId, 'Copying the batch id', (arg) => copyBatchId(services, arg));
  register(CommandIds.refresh, 'Refreshing the batches', thenPoke(() => store.refresh()));
  register(CommandIds.loadMore, 'Loading more batches', () => store.loadMore());
  register(CommandIds.setApiKey, 'Setting the API key', thenPoke(() => setApiKey(keys, clients, log)));
  register(CommandIds.clearApiKey, 'Clearing the API key', () => clearApiKey(keys, log));
  register(CommandIds.showLog, 'Showing the log', () => log.show());
  register(CommandIds.manageStorage, 'Managing the local results', () => manageStorage(services));
}
