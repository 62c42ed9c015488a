import type { BatchStore } from '../../domain/batchStore';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import type * as vscode from 'vscode';
import type { LazyAuthoring } from '../authoring';
import type { BatchDiagnostics } from '../authoring/batchDiagnostics';
import type { StartupWatch } from '../watching/startupWatch';
import type { ClientProvider } from '../account/clientProvider';
import type { AccountStore } from '../account/accountStore';
import type { StateStorage } from '../../domain/reliableState';
import type { AccountWatches } from '../watching/accountWatches';
import type { EndNotifications } from '../watching/endNotifications';
import type { PollingService } from '../watching/polling';
import type { PruneReport } from '../commands/storageCommands';
import type { ResultsDocumentProvider } from '../results/resultsDocumentProvider';
import type { LazyAnswersBeside } from '../results/answersBeside';
import type { ComparisonDocuments } from '../results/comparisonDocuments';
import type { ResultsService } from '../results/resultsService';
import type { BatchesTreeProvider } from '../views/batchesTree';
import type { Ui } from './ui';
import type { TemplateSupport } from '../data/templateStub';

/**
 * The services the running extension built. Never handed to other extensions: the packaged
 * `activate()` returns nothing. Only the test-only entry (test/hostEntry.ts) returns them, with
 * `setUi`, so the extension-host tests reach the running services instead of building second
 * copies, and answer the extension's dialogs.
 */
export interface ExtensionInternals {
  /** The accounts and their keys (never a key through this: only what the commands show). */
  readonly keys: AccountStore;
  /** The extension's global state (what each account remembers), for tests that look into it. */
  readonly globalState: StateStorage;
  readonly clients: ClientProvider;
  readonly store: BatchStore;
  readonly registry: SubmissionRegistry;
  readonly polling: PollingService;
  readonly statusBar: vscode.StatusBarItem;
  /** The status-bar item naming the account in use (a click switches). */
  readonly accountItem: vscode.StatusBarItem;
  /** The Batches view (its description names the account in use). */
  readonly view: vscode.TreeView<unknown>;
  readonly endNotifications: EndNotifications;
  /** The watches of the accounts not in use. */
  readonly accountWatches: AccountWatches;
  /** Picks the watch up again after a restart. */
  readonly startupWatch: StartupWatch;
  /** The authoring features, registered with the first batch document. */
  readonly authoring: LazyAuthoring;
  /** Reading it registers the authoring features. */
  readonly diagnostics: BatchDiagnostics;
  /** The Batches view's data, as the tree shows it. */
  readonly tree: BatchesTreeProvider;
  readonly resultsDocuments: ResultsDocumentProvider;
  /** Answers beside the requests of batch files, registered with the first submitted file. */
  readonly answersBeside: LazyAnswersBeside;
  /** The two sides of Compare Results. */
  readonly comparisons: ComparisonDocuments;
  /** The local copies of results. */
  readonly results: ResultsService;
  /** Batch templates in the editor: their diagnostics (the data code loads with the first one). */
  readonly templates: TemplateSupport;
  /** Runs the tidying of local data done a minute after activation, now. */
  tidy(): Promise<PruneReport>;
  /** The extension's log folder; the log files of this window's extension host sit beside it. */
  readonly logUri: string;
}

/** What the test-only entry's `activate()` returns. */
export interface ExtensionTestApi extends ExtensionInternals {
  /** Replaces the dialogs with scripted answers; undefined restores VS Code's own. */
  setUi(ui: Ui | undefined): void;
}
