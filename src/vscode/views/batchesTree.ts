import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import { batchCapabilities, batchDescription, batchIcon, batchLabel, batchTooltip, formatCount } from '../../domain/batchPresentation';
import type { BatchStore } from '../../domain/batchStore';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { CommandIds, groupRef } from '../commandIds';
import { commandOf } from '../commandRunner';

/** A row for one batch. Its `id` is the batch id, so expansion and selection survive refreshes. */
export class BatchNode {
  readonly kind = 'batch';
  constructor(readonly batch: MessageBatch) {}
}

/** The batches one file over the limits was split into, shown together. */
export class GroupNode {
  readonly kind = 'group';
  constructor(
    readonly groupId: string,
    readonly label: string,
    readonly members: BatchNode[],
  ) {}
}

/** The "Load more…" row at the end of a page. */
export class LoadMoreNode {
  readonly kind = 'loadMore';
}

export type BatchesTreeNode = BatchNode | GroupNode | LoadMoreNode;

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
  private groups = new Map<string, GroupNode>();

  constructor(
    private readonly store: BatchStore,
    private readonly registry: SubmissionRegistry,
    /** A Markdown line about this machine's copy of a batch's results, if there is one. */
    private readonly localCopy: (batchId: string) => Promise<string | undefined> = async () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions.push(
      store.onDidChange(() => this.changed.fire(undefined)),
      registry.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  getChildren(element?: BatchesTreeNode): BatchesTreeNode[] {
    if (element instanceof GroupNode) return element.members;
    if (element) return [];
    if (!this.store.isLoaded && this.store.state.kind === 'loading') void this.store.refresh();
    const next = new Map<string, BatchNode>();
    const groups = new Map<string, GroupNode>();
    const rows: BatchesTreeNode[] = [];
    for (const batch of this.store.batches) {
      // Reuse node objects so TreeView.reveal and selection keep working across refreshes.
      const known = this.nodes.get(batch.id);
      const node = known && known.batch === batch ? known : new BatchNode(batch);
      next.set(batch.id, node);
      const group = this.registry.get(batch.id)?.group;
      if (!group) {
        rows.push(node);
        continue;
      }
      let groupNode = groups.get(group.id);
      if (!groupNode) {
        groupNode = new GroupNode(group.id, group.label, []);
        groups.set(group.id, groupNode);
        rows.push(groupNode);
      }
      groupNode.members.push(node);
    }
    for (const g of groups.values()) {
      const part = (n: BatchNode) => this.registry.get(n.batch.id)?.group?.part ?? 0;
      g.members.sort((a, b) => part(a) - part(b));
    }
    this.nodes = next;
    this.groups = groups;
    if (this.store.hasMore) rows.push(this.loadMoreNode);
    return rows;
  }

  getParent(node: BatchesTreeNode): BatchesTreeNode | undefined {
    if (!(node instanceof BatchNode)) return undefined;
    const group = this.registry.get(node.batch.id)?.group;
    return group ? this.groups.get(group.id) : undefined;
  }

  getTreeItem(node: BatchesTreeNode): vscode.TreeItem {
    if (node instanceof GroupNode) return this.groupItem(node);
    if (node instanceof LoadMoreNode) {
      const item = new vscode.TreeItem('Load more…');
      item.id = 'claudeBatches.loadMore';
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.tooltip = 'Load the next page of older batches';
      item.command = commandOf(CommandIds.loadMore, 'Load More');
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
    // No theme icons: the tooltip has none of its own, so `$(…)` in a file name stays text.
    item.tooltip = new vscode.MarkdownString(batchTooltip(batch, record, this.now()));
    item.contextValue = batchCapabilities(batch);
    item.accessibilityInformation = { label: `${item.label as string}, ${item.description}` };
    return item;
  }

  private groupItem(node: GroupNode): vscode.TreeItem {
    const batches = node.members.map((m) => m.batch);
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = groupRef(node.groupId);
    const running = batches.filter((b) => b.processing_status !== 'ended').length;
    const sum = (key: 'succeeded' | 'errored' | 'expired' | 'canceled') => batches.reduce((n, b) => n + b.request_counts[key], 0);
    const counts = [`${formatCount(sum('succeeded'))} ✓`];
    if (sum('errored')) counts.push(`${formatCount(sum('errored'))} ✗`);
    if (sum('expired')) counts.push(`${formatCount(sum('expired'))} expired`);
    if (sum('canceled')) counts.push(`${formatCount(sum('canceled'))} canceled`);
    item.description = `${batches.length} batches · ${running ? `${running} running` : `ended · ${counts.join(' ')}`}`;
    item.iconPath = new vscode.ThemeIcon(running ? 'sync~spin' : 'layers');
    item.tooltip = `${node.label}: one file submitted as ${batches.length} batches (each within the API's limits).`;
    const allEnded = running === 0 && batches.every((b) => b.results_url && !b.archived_at);
    item.contextValue = allEnded ? 'group hasResults' : 'group';
    item.accessibilityInformation = { label: `${node.label}, ${item.description}` };
    return item;
  }

  /** Completes a batch's tooltip when it is shown: where the local copy of its results is. */
  async resolveTreeItem(item: vscode.TreeItem, node: BatchesTreeNode): Promise<vscode.TreeItem> {
    if (!(node instanceof BatchNode) || !(item.tooltip instanceof vscode.MarkdownString)) return item;
    const line = await this.localCopy(node.batch.id).catch(() => undefined);
    if (line) item.tooltip.appendMarkdown(`\n\n${line}`);
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
