import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { BatchStore } from './domain/batchStore';
import { setFormatLocale } from './common/format';
import { useBundle } from './common/l10n';
import { SubmissionRegistry } from './domain/submissionRegistry';
import { UnfinishedBatches } from './domain/unfinishedBatches';
import { AccountScopedStorage } from './domain/accountData';
import { ReliableState } from './domain/reliableState';
import { AccountStore, SYNCED_ACCOUNTS_KEY } from './vscode/account/accountStore';
import { ClientProvider } from './vscode/account/clientProvider';
import { AccountIndicator } from './vscode/account/accountIndicator';
import { registerCommands } from './vscode/commands';
import { pruneStorage } from './vscode/commands/storageCommands';
import type { ExtensionInternals } from './vscode/core/extensionInternals';
import type { StandIns } from './vscode/core/standIns';
import { Log } from './vscode/core/log';
import { Settings } from './vscode/core/settings';
import { createBatchesView } from './vscode/views/batchesView';
import { registerAuthoring } from './vscode/authoring';
import { TemplateSupport } from './vscode/data/templateStub';
import { registerResultsDocuments } from './vscode/results/resultsDocumentProvider';
import { LazyAnswersBeside } from './vscode/results/answersBeside';
import { registerComparisonDocuments } from './vscode/results/comparisonDocuments';
import { registerSourceLinks } from './vscode/results/sourceLinks';
import { registerUsageDocument } from './vscode/results/usageDocument';
import { ResultsService } from './vscode/results/resultsService';
import { EndNotifications } from './vscode/watching/endNotifications';
import { PollingService } from './vscode/watching/polling';
import { StartupWatch } from './vscode/watching/startupWatch';
import { AccountWatches } from './vscode/watching/accountWatches';
import { BatchStatusBar } from './vscode/watching/statusBar';

/** How long after activation stale temp files and old records are tidied away. */
const TIDY_DELAY_MS = 60_000;

// Everything the extension does, wired: the bundle dist/features.js, which src/extension.ts loads
// on first need (a command, the Batches view shown, a batch file or results document opened, a
// batch to watch), so that a window that needs none of it pays for none of it at startup.

/**
 * Marks the end of one step of the wiring in the extension host's performance timeline (User
 * Timing), where the activation bench (and a profiler) reads what each step cost.
 */
function mark(step: string): void {
  performance.mark(`claudeBatches.features:${step}`);
}

export { setUi } from './vscode/core/ui';

/** Only wires: builds the services, hands them to the features, registers every disposable. */
export function wire(context: vscode.ExtensionContext, standIns: StandIns): ExtensionInternals {
  mark('start');
  // Numbers read in VS Code's display language (en-US where Intl lacks it).
  setFormatLocale(vscode.env.language);
  // Words of the layers that import no vscode, in the display language (package.nls / l10n bundles).
  useBundle(vscode.l10n.bundle);
  const log = new Log();
  const settingsProblems = Settings.reportTo((line) => log.warn(line));
  mark('log and settings');
  // Global state that reads back what this window wrote (an echo of an older write never undoes it).
  const globalState = new ReliableState(context.globalState);
  const keys = new AccountStore(globalState, context.secrets, context.globalStorageUri.fsPath);
  // Account names may roam with Settings Sync; keys (SecretStorage) and base URLs never do.
  context.globalState.setKeysForSync([SYNCED_ACCOUNTS_KEY]);
  // The registry (labels, groups), the unfinished batches and the announced ends: the account in use's.
  const accountState = new AccountScopedStorage(globalState, () => keys.activePlaces());
  const clients = new ClientProvider(keys, log);
  mark('key and client');
  const store = new BatchStore({
    api: async () => (await clients.get())?.api,
    pageSize: () => Settings.pageSize(),
    baseUrl: () => Settings.baseUrl() || undefined,
  });
  const registry = new SubmissionRegistry(accountState);
  const unfinished = new UnfinishedBatches(accountState, () => registry.list());
  mark('store and memory');
  const polling = new PollingService(context, store, clients, registry, log);
  mark('poller');
  const statusBar = new BatchStatusBar(store, registry, polling, Date.now, () => keys.active()?.name);
  mark('status bar');
  const endNotifications = new EndNotifications(store, registry, accountState, log, unfinished.atStart, () => path.join(keys.activePlaces().dir, 'announced'), {
    // With several accounts, a notification says which one the batch ran in.
    account: () => (keys.list().length > 1 ? keys.active()?.name : undefined),
  });
  // The accounts not in use with batches in flight: each watched on its own.
  const accountWatches = new AccountWatches({ keys, clients, globalState, context, log });
  // Last of the watchers: the store it may load at once is followed by all of the above.
  const startupWatch = new StartupWatch(unfinished, store, registry, polling, async () => (await clients.get())?.api, log);
  mark('end notifications and startup watch');
  const authoring = registerAuthoring();
  mark('authoring');
  const templates = new TemplateSupport(log);
  mark('templates');
  const results = new ResultsService(() => keys.activePlaces().dir, {
    registry,
    log,
    api: async () => {
      const handle = await clients.get();
      if (!handle) throw new Error(vscode.l10n.t('Claude Batches needs an Anthropic API key to download results. Set one with "Claude Batches: Set API Key".'));
      return handle.api;
    },
    knownBatch: (id) => store.get(id),
  });
  const resultsDocuments = registerResultsDocuments(results, standIns.results);
  const sourceLinks = registerSourceLinks(resultsDocuments);
  const answersBeside = new LazyAnswersBeside(registry, results);
  const comparisons = registerComparisonDocuments(results, registry);
  const usage = registerUsageDocument(results);
  mark('results');
  const batchesView = createBatchesView(store, registry, (id) => results.describeLocalCopy(id), standIns.tree);
  // Someone opened the view to see where their batches are: a far-away check comes now.
  const lookOnShow = batchesView.view.onDidChangeVisibility((e) => e.visible && polling.lookSoon());
  const accountIndicator = new AccountIndicator(keys, batchesView.view);
  // Another account: the running batches' status bar names the new one.
  const accountShown = keys.onDidChange(() => statusBar.render());
  mark('view');
  context.subscriptions.push(
    log,
    settingsProblems,
    keys,
    clients,
    store,
    registry,
    batchesView,
    lookOnShow,
    accountIndicator,
    accountShown,
    polling,
    statusBar,
    endNotifications,
    accountWatches,
    startupWatch,
    authoring,
    templates,
    results,
    resultsDocuments,
    sourceLinks,
    answersBeside,
    comparisons,
    usage,
    // Another key or server may be another account: forget what was listed, then list again,
    // with the batches it knows unfinished that are older than the first page.
    clients.onDidChange(() => {
      store.reset();
      void startupWatch.listAgain();
    }),
  );

  const services = { log, keys, globalState, clients, accountWatches, store, registry, polling, results, resultsDocuments, view: batchesView.view, revealBatch: (id: string) => batchesView.reveal(id) };
  context.subscriptions.push(registerCommands(services, standIns.commands));
  mark('commands');

  // Tidying local data is never urgent: a while after the start, off the activation path.
  const tidy = () => pruneStorage(services);
  const tidyTimer = setTimeout(() => void tidy().catch((err: unknown) => log.warn(`Tidying local data failed: ${err instanceof Error ? err.message : String(err)}`)), TIDY_DELAY_MS);
  context.subscriptions.push({ dispose: () => clearTimeout(tidyTimer) });

  log.info(`Claude Batches ${context.extension.packageJSON.version as string}: features loaded.`);
  mark('end');
  return {
    keys,
    globalState,
    clients,
    store,
    registry,
    polling,
    statusBar: statusBar.item,
    accountItem: accountIndicator.item,
    view: batchesView.view,
    endNotifications,
    accountWatches,
    startupWatch,
    authoring,
    // Asking for them registers the authoring features (they wait for the first batch document).
    get diagnostics() {
      return authoring.ensure().diagnostics;
    },
    tree: batchesView.provider,
    resultsDocuments,
    answersBeside,
    comparisons,
    results,
    templates,
    tidy,
    logUri: context.logUri.fsPath,
  };
}

