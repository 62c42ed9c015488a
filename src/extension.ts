import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type * as FeaturesModule from './features';
import { hasSeveralAccounts, storedAccountIds } from './domain/accountsAtStart';
import { mayHaveUnfinished } from './domain/unfinishedBatches';
import { isJsonLines } from './vscode/authoring/jsonLines';
import type { ExtensionInternals } from './vscode/core/extensionInternals';
import { CommandStandIns, ContentStandIn, TreeStandIn, type StandIns } from './vscode/core/standIns';
import { RESULTS_SCHEME } from './vscode/results/resultsScheme';

// Activation runs at every start of VS Code (so that running batches are watched across
// restarts), so it registers only stand-ins: the commands, the Batches view and the results
// scheme. The features (dist/features.js) load the first time one of those is used, a batch file
// or results document is open, or this machine has batches to watch.

/**
 * Returns nothing on purpose: whatever `activate()` returns, every other installed extension can
 * read through `vscode.extensions.getExtension(…).exports`, and the services reach the API key,
 * the client and the confirmations. The extension-host tests load a test-only entry instead
 * (test/hostEntry.ts, never packaged) that returns the internals.
 */
export function activate(context: vscode.ExtensionContext): void {
  start(context);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/** The features once loaded: their module and what their wiring built. */
export interface LoadedFeatures {
  readonly module: typeof FeaturesModule;
  readonly internals: ExtensionInternals;
}

/**
 * Registers the stand-ins, and loads the features now (`now`: the tests), soon (something at the
 * start needs them) or on first use. Returns the loader.
 */
export function start(context: vscode.ExtensionContext, { now = false } = {}): () => LoadedFeatures {
  mark('start');
  let loaded: LoadedFeatures | undefined;
  const load = (): LoadedFeatures => {
    if (!loaded) {
      // The build turns this into a require of the sibling bundle dist/features.js.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require('./features') as typeof FeaturesModule;
      loaded = { module, internals: module.wire(context, standIns) };
    }
    return loaded;
  };
  const standIns: StandIns = {
    commands: new CommandStandIns(commandIds(context), load),
    tree: new TreeStandIn('claudeBatches.batches', load),
    results: new ContentStandIn(RESULTS_SCHEME, load),
  };
  context.subscriptions.push(standIns.commands, standIns.tree, standIns.results);
  mark('stand-ins');

  if (now) {
    load();
  } else if (mayHaveUnfinished(context.globalState, storedAccountIds(context.globalState)) || hasSeveralAccounts(context.globalState, process.env) || vscode.workspace.textDocuments.some(needsFeatures)) {
    // Off the activation path, but at once: the status bar and the diagnostics are wanted soon.
    const soon = setTimeout(load, 0);
    context.subscriptions.push({ dispose: () => clearTimeout(soon) });
  } else {
    const waiting = vscode.workspace.onDidOpenTextDocument((document) => {
      if (!needsFeatures(document)) return;
      waiting.dispose();
      load();
    });
    context.subscriptions.push(waiting);
  }
  mark('end');
  return load;
}

/**
 * A batch file (diagnostics, the CodeLens), a batch template (its diagnostics, completion and
 * lens), or a document of the extension's (results, a comparison, usage) needs the features.
 */
function needsFeatures(document: vscode.TextDocument): boolean {
  return isJsonLines(document) || document.uri.path.endsWith(TEMPLATE_SUFFIX) || document.uri.scheme.startsWith(RESULTS_SCHEME);
}

/** Batch templates, as the data features name them (src/domain/data/template.ts). */
const TEMPLATE_SUFFIX = '.batch-template.json';

/** The extension's commands, as its manifest contributes them (a unit test holds the command map to it). */
function commandIds(context: vscode.ExtensionContext): string[] {
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: { command?: unknown }[] } }).contributes?.commands ?? [];
  return contributed.map((c) => c.command).filter((id): id is string => typeof id === 'string' && id.startsWith('claudeBatches.'));
}

/**
 * Marks the end of one step of activation in the extension host's performance timeline (User
 * Timing), where the activation bench (and a profiler) reads what each step cost.
 */
function mark(step: string): void {
  performance.mark(`claudeBatches.activate:${step}`);
}
