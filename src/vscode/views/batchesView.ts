import * as vscode from 'vscode';
import type { BatchStore, ListState } from '../../domain/batchStore';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { executeCommand } from '../commandRunner';
import { BatchesTreeProvider, type BatchesTreeNode } from './batchesTree';

/** The context key the welcome views in package.json are keyed on. */
export type ListStateKey = 'noKey' | 'loading' | 'empty' | 'ready' | 'keyRejected' | 'unreachable' | 'error';

export function listStateKey(state: ListState, count: number): ListStateKey {
  switch (state.kind) {
    case 'noKey':
      return 'noKey';
    case 'loading':
      return 'loading';
    case 'ready':
      return count === 0 ? 'empty' : 'ready';
    case 'error':
      if (state.error.kind === 'auth' || state.error.kind === 'permission') return 'keyRejected';
      if (state.error.kind === 'connection' || state.error.kind === 'timeout') return 'unreachable';
      return 'error';
  }
}

/**
 * Creates the Batches tree view and keeps its context key and message in step with the store:
 * welcome views when there is nothing to list, a message above the rows when a refresh failed
 * but older rows are still shown.
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
    const key = listStateKey(store.state, store.batches.length);
    if (key !== lastKey) {
      lastKey = key;
      void executeCommand('setContext', 'claudeBatches.listState', key);
    }
    const state = store.state;
    view.message = state.kind === 'error' && store.batches.length > 0 ? `⚠ ${state.error.message}` : undefined;
  };
  sync();
  const reveal = async (batchId: string) => {
    await executeCommand('claudeBatches.batches.focus');
    provider.getChildren(); // brings the node map up to date with the store
    const node = provider.nodeFor(batchId);
    if (node) await view.reveal(node, { select: true, focus: false });
  };
  return { view, provider, reveal, disposables: [view, provider, store.onDidChange(sync)] };
}
