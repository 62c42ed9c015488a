import * as vscode from 'vscode';
import { batchCapabilities, batchIcon, batchRowAccessibleLabel, batchRowDescription, batchRowLabel, batchTooltip } from '../../domain/batchPresentation';
import type { BatchStore } from '../../domain/batchStore';
import { BatchRow, BatchTree, GroupRow, LoadMoreRow, groupPresentation, type TreeRow } from '../../domain/batchTree';
import { DisposableObject } from '../../domain/lifecycle';
import type { SubmissionRegistry } from '../../domain/submissionRegistry';
import { CommandIds, groupRef } from '../commands/commandIds';
import { commandOf } from '../commands/commandRunner';

// The rows are the domain's (src/domain/batchTree.ts); commands receive them from menus.
export { BatchRow as BatchNode, GroupRow as GroupNode };
export type BatchesTreeNode = TreeRow;

/**
 * The Batches view: renders the rows computed from the store and the registry, again each time
 * either changes. Reading it never calls the API or changes anything. Empty, signed-out and
 * offline states are welcome views selected by the `claudeBatches.listState` context key (see
 * batchesView.ts).
 */
export class BatchesTreeProvider extends DisposableObject implements vscode.TreeDataProvider<BatchesTreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<BatchesTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private built: BatchTree | undefined;
  /** The store or the registry changed since the rows were last computed. */
  private stale = true;

  constructor(
    private readonly store: BatchStore,
    private readonly registry: SubmissionRegistry,
    /** A Markdown line about this machine's copy of a batch's results, if there is one. */
    private readonly localCopy: (batchId: string) => Promise<string | undefined> = async () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    super();
    // Computed when read (the view asks for rows only while it shows): a hidden view costs
    // nothing at activation nor while the poller updates the store.
    const update = () => {
      this.stale = true;
      this.changed.fire(undefined);
    };
    this.register(store.onDidChange(update));
    this.register(registry.onDidChange(update));
  }

  private get tree(): BatchTree {
    if (this.stale || !this.built) {
      const { store, registry } = this;
      // The earlier tree is passed on, so unchanged rows keep their identity for VS Code.
      this.built = BatchTree.from({ batches: store.batches, hasMore: store.hasMore, record: (id) => registry.get(id) }, this.built);
      this.stale = false;
    }
    return this.built;
  }

  getChildren(element?: BatchesTreeNode): BatchesTreeNode[] {
    return [...this.tree.childrenOf(element)];
  }

  getParent(node: BatchesTreeNode): BatchesTreeNode | undefined {
    return this.tree.parentOf(node);
  }

  getTreeItem(node: BatchesTreeNode): vscode.TreeItem {
    if (node instanceof GroupRow) return groupItem(node);
    if (node instanceof LoadMoreRow) return loadMoreItem();
    const { batch, record } = node;
    const item = new vscode.TreeItem(batchRowLabel(batch, record));
    item.id = batch.id;
    item.description = batchRowDescription(batch, this.now());
    const icon = batchIcon(batch);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    // No theme icons: the tooltip has none of its own, so `$(…)` in a file name stays text.
    item.tooltip = new vscode.MarkdownString(batchTooltip(batch, record, this.now()));
    item.contextValue = batchCapabilities(batch);
    item.accessibilityInformation = { label: batchRowAccessibleLabel(batch, record) };
    return item;
  }

  /** Completes a batch's tooltip when it is shown: where the local copy of its results is. */
  async resolveTreeItem(item: vscode.TreeItem, node: BatchesTreeNode): Promise<vscode.TreeItem> {
    if (!(node instanceof BatchRow) || !(item.tooltip instanceof vscode.MarkdownString)) return item;
    const line = await this.localCopy(node.batch.id).catch(() => undefined);
    if (line) item.tooltip.appendMarkdown(`\n\n${line}`);
    return item;
  }

  /** The node showing a batch, for TreeView.reveal. */
  nodeFor(batchId: string): BatchRow | undefined {
    return this.tree.row(batchId);
  }
}

function groupItem(node: GroupRow): vscode.TreeItem {
  const shown = groupPresentation(node);
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = groupRef(node.groupId);
  item.description = shown.description;
  item.iconPath = new vscode.ThemeIcon(shown.icon);
  item.tooltip = shown.tooltip;
  item.contextValue = shown.capabilities;
  item.accessibilityInformation = { label: shown.accessibleLabel };
  return item;
}

function loadMoreItem(): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Load more…'));
  item.id = 'claudeBatches.loadMore';
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.tooltip = vscode.l10n.t('Load the next page of older batches');
  item.command = commandOf(CommandIds.loadMore, vscode.l10n.t('Load More'));
  item.contextValue = 'loadMore';
  item.accessibilityInformation = { label: vscode.l10n.t('Load more…'), role: 'treeitem' };
  return item;
}
