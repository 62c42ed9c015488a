import type * as vscode from 'vscode';
import type { BatchStore } from '../../domain/batchStore';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import type { AccountStore } from '../account/accountStore';
import type { ClientProvider } from '../account/clientProvider';
import type { AccountWatches } from '../watching/accountWatches';
import type { Log } from './log';
import type { PollingService } from '../watching/polling';
import type { ResultsService } from '../results/resultsService';
import type { ResultsDocumentProvider } from '../results/resultsDocumentProvider';
import type { BatchesTreeNode } from '../views/batchesTree';

/** What activate() builds once and hands to every feature. */
export interface Services {
  log: Log;
  keys: AccountStore;
  /** VS Code's global state, where each account keeps its local memories (see accountData). */
  globalState: import('../../domain/submissionRegistry').KeyValueStorage;
  clients: ClientProvider;
  /** The watches of the accounts not in use: told when one is given a batch in flight. */
  accountWatches: Pick<AccountWatches, 'sync'>;
  store: BatchStore;
  registry: SubmissionRegistry;
  view: vscode.TreeView<BatchesTreeNode>;
  polling: PollingService;
  results: ResultsService;
  /** The open results documents and the structure each was rendered with. */
  resultsDocuments: ResultsDocumentProvider;
  /** Shows the Batches view with this batch's row selected. */
  revealBatch(batchId: string): Promise<void>;
}
