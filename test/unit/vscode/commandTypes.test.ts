// The command map's types, checked by the compiler: the unit tier compiles this file first, and
// each line marked `@ts-expect-error` fails that build the day it compiles, i.e. the day a call
// with a command or an argument that is not in the map would be accepted. Nothing here runs
// VS Code: the functions are only declared (their types), and `compileChecks` is never called.
import type * as vscode from 'vscode';
import type { commandLink, commandOf, executeCommand } from '../../../src/vscode/commands/commandRunner';
import { CommandIds, groupRef } from '../../../src/vscode/commands/commandIds';

declare const run: typeof executeCommand;
declare const command: typeof commandOf;
declare const link: typeof commandLink;

export function compileChecks(uri: vscode.Uri): void {
  // What the extension does call.
  void run(CommandIds.openResults, 'msgbatch_01');
  void run(CommandIds.openResults);
  void run(CommandIds.saveResults, groupRef('g-1'));
  void run(CommandIds.submitFile, { uri, parentBatchId: 'msgbatch_01' });
  void run(CommandIds.setApiKey);
  void run('setContext', 'claudeBatches.listState', 'ready');
  void run('claudeBatches.batches.focus');
  const opened: Thenable<vscode.Uri | undefined> = run(CommandIds.openResults, 'msgbatch_01');
  void command(CommandIds.loadMore, 'Load More');
  void command(CommandIds.submitFile, 'Submit', uri);
  void link(CommandIds.openResultsSection, 'msgbatch_01', 'errored:api_error');

  // What it cannot.
  // @ts-expect-error not a command of the map
  void run('claudeBatches.nope');
  // @ts-expect-error a batch is an id or a row, not a number
  void run(CommandIds.openResults, 42);
  // @ts-expect-error Open Results Section needs the section
  void run(CommandIds.openResultsSection, 'msgbatch_01');
  // @ts-expect-error not a section of a results document
  void run(CommandIds.openResultsSection, 'msgbatch_01', 'bogus');
  // @ts-expect-error Refresh takes no argument
  void run(CommandIds.refresh, 'msgbatch_01');
  // @ts-expect-error Submit as Batch takes a file, not a batch id
  void run(CommandIds.submitFile, 'msgbatch_01');
  // @ts-expect-error not a value of the context key
  void run('setContext', 'claudeBatches.listState', 'bogus');
  // @ts-expect-error Open Results resolves to the document's URI, not a boolean
  const wrong: Thenable<boolean | undefined> = run(CommandIds.openResults, 'msgbatch_01');
  // @ts-expect-error not a command of the map
  void command('claudeBatches.nope', 'Nope');
  // @ts-expect-error Load More takes no argument
  void command(CommandIds.loadMore, 'Load More', 'x');
  // @ts-expect-error links are to the extension's own commands
  void link('workbench.action.reloadWindow');
  void opened;
  void wrong;
}

// No runtime test here: the checks above are compile-time only. `npm test` compiles this file
// (tsc, before any test runs), and an @ts-expect-error line that starts compiling fails the build.
