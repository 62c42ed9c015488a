import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { batchCapabilities, batchDescription, batchIcon, batchLabel, batchTooltip } from '../../domain/batchPresentation';
import type { BatchStore } from '../../domain/batchStore';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { CommandIds } from '../commandIds';

/** A row for one batch. Its `id` is the batch id, so expansion and selection survive refreshes. */
export class BatchNode {
  readonly kind = 'batch';
  constructor(readonly batch: MessageBatch) {}
}

/** The "Load more…" row at the end of a page. */
export class LoadMoreNode {
  readonly kind = 'loadMore';
}

export type BatchesTreeNode = BatchNode | LoadMoreNode;

/**
 * The Batches view: renders the store. Never calls the API itself; asks the store to load the
 * first page the first time it is shown. Empty, signed-out and offline states are welcome views
 * selected by the `claudeBatches.listState` context key.
 */
export class BatchesTreeProvider implements vscode.TreeDataProvider<BatchesTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BatchesTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly loadMoreNode = new LoadMoreNode();
  private nodes = new Map<string, BatchNode>();

  constructor(
    private readonly store: BatchStore,
    private readonly registry: SubmissionRegistry,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions.push(
      store.onDidChange(() => this.changed.fire(undefined)),
      registry.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  getChildren(element?: BatchesTreeNode): BatchesTreeNode[] {
    if (element) return [];
    if (!this.store.isLoaded && this.store.state.kind === 'loading') void this.store.refresh();
    const next = new Map<string, BatchNode>();
    const rows: BatchesTreeNode[] = this.store.batches.map((batch) => {
      // Reuse node objects so TreeView.reveal and selection keep working across refreshes.
      const node = this.nodes.get(batch.id);
      const fresh = node && node.batch === batch ? node : new BatchNode(batch);
      next.set(batch.id, fresh);
      return fresh;
    });
    this.nodes = next;
    if (this.store.hasMore) rows.push(this.loadMoreNode);
    return rows;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(node: BatchesTreeNode): vscode.TreeItem {
    if (node instanceof LoadMoreNode) {
      const item = new vscode.TreeItem('Load more…');
      item.id = 'claudeBatches.loadMore';
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.tooltip = 'Load the next page of older batches';
      item.command = { command: CommandIds.loadMore, title: 'Load More' };
      item.contextValue = 'loadMore';
      item.accessibilityInformation = { label: 'Load more…', role: 'treeitem' };
      return item;
    }
    const { batch } = node;
    const record = this.registry.get(batch.id);
    const item = new vscode.TreeItem(batchLabel(batch, record));
    item.id = batch.id;
    item.description = batchDescription(batch, this.now());
    const icon = batchIcon(batch);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    const tooltip = new vscode.MarkdownString(batchTooltip(batch, record, this.now()));
    tooltip.supportThemeIcons = true;
    item.tooltip = tooltip;
    item.contextValue = batchCapabilities(batch);
    item.accessibilityInformation = { label: `${item.label as string}, ${item.description}` };
    return item;
  }

  /** The node showing a batch, for TreeView.reveal. */
  nodeFor(batchId: string): BatchNode | undefined {
    return this.nodes.get(batchId);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
