import * as vscode from 'vscode';
import type { BatchStore } from '../../domain/batchStore';
import { listView, wantsFirstPage, type ListStateKey } from '../../domain/batchTree';
import { DisposableObject } from '../../domain/lifecycle';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { executeCommand } from '../commands/commandRunner';
import { BatchesTreeProvider, type BatchesTreeNode } from './batchesTree';

/**
 * The Batches tree view, kept in step with the store: its context key and message follow the
 * store's state (welcome views when there is nothing to list, a message above the rows when a
 * refresh failed but older rows are still shown). Asks the store for the first page when the
 * view is first shown (not at activation: a view never opened costs no request).
 */
export class BatchesView extends DisposableObject {
  readonly provider: BatchesTreeProvider;
  readonly view: vscode.TreeView<BatchesTreeNode>;
  private lastKey: ListStateKey | undefined;

  constructor(
    private readonly store: BatchStore,
    registry: SubmissionRegistry,
    localCopy: (batchId: string) => Promise<string | undefined>,
  ) {
    super();
    this.provider = this.register(new BatchesTreeProvider(store, registry, localCopy));
    this.view = this.register(vscode.window.createTreeView('claudeBatches.batches', { treeDataProvider: this.provider, showCollapseAll: false, canSelectMany: true }));
    this.register(store.onDidChange(() => this.sync()));
    this.register(this.view.onDidChangeVisibility(() => this.sync()));
    this.sync();
  }

  /** Shows the Batches view with this batch's row selected. */
  async reveal(batchId: string): Promise<void> {
    await executeCommand('claudeBatches.batches.focus');
    const node = this.provider.nodeFor(batchId);
    if (node) await this.view.reveal(node, { select: true, focus: false });
  }

  private sync(): void {
    const { store, view } = this;
    const shown = listView(store.state, store.batches.length);
    if (shown.key !== this.lastKey) {
      this.lastKey = shown.key;
      void executeCommand('setContext', 'claudeBatches.listState', shown.key);
    }
    view.message = shown.message;
    if (view.visible && wantsFirstPage(store.state, store.isLoaded)) void store.refresh();
  }
}

/** Creates the Batches view; disposing what it returns removes it. */
export function createBatchesView(store: BatchStore, registry: SubmissionRegistry, localCopy: (batchId: string) => Promise<string | undefined>): BatchesView {
  return new BatchesView(store, registry, localCopy);
}
