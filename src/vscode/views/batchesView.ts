import * as vscode from 'vscode';
import type { BatchStore } from '../../domain/batchStore';
import { listView, wantsFirstPage, type ListStateKey } from '../../domain/batchTree';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { executeCommand } from '../commandRunner';
import { BatchesTreeProvider, type BatchesTreeNode } from './batchesTree';

/**
 * Creates the Batches tree view and keeps its context key and message in step with the store:
 * welcome views when there is nothing to list, a message above the rows when a refresh failed
 * but older rows are still shown. Asks the store for the first page when the view is first
 * shown (not at activation: a view never opened costs no request).
 */
export function createBatchesView(
  store: BatchStore,
  registry: SubmissionRegistry,
  localCopy: (batchId: string) => Promise<string | undefined>,
): {
  view: vscode.TreeView<BatchesTreeNode>;
  provider: BatchesTreeProvider;
  disposables: vscode.Disposable[];
  reveal(batchId: string): Promise<void>;
} {
  const provider = new BatchesTreeProvider(store, registry, localCopy);
  const view = vscode.window.createTreeView('claudeBatches.batches', { treeDataProvider: provider, showCollapseAll: false });
  let lastKey: ListStateKey | undefined;
  const sync = () => {
    const shown = listView(store.state, store.batches.length);
    if (shown.key !== lastKey) {
      lastKey = shown.key;
      void executeCommand('setContext', 'claudeBatches.listState', shown.key);
    }
    view.message = shown.message;
    if (view.visible && wantsFirstPage(store.state, store.isLoaded)) void store.refresh();
  };
  sync();
  const reveal = async (batchId: string) => {
    await executeCommand('claudeBatches.batches.focus');
    const node = provider.nodeFor(batchId);
    if (node) await view.reveal(node, { select: true, focus: false });
  };
  return { view, provider, reveal, disposables: [view, provider, store.onDidChange(sync), view.onDidChangeVisibility(sync)] };
}
