import * as vscode from 'vscode';
import type { MessageBatch } from '../../api';
import type { ClientProvider } from '../clientProvider';
import { reportError } from '../commandRunner';
import type { Log } from '../log';
import { Settings } from '../settings';

/** The Batches view. Placeholder until the store lands: one page, newest first. */
export class BatchesTreeProvider implements vscode.TreeDataProvider<MessageBatch>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly clients: ClientProvider,
    private readonly log: Log,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(element?: MessageBatch): Promise<MessageBatch[]> {
    if (element) return [];
    const handle = await this.clients.get();
    if (!handle) return [];
    try {
      const page = await handle.api.listPage({ limit: Settings.pageSize() });
      return page.batches;
    } catch (err) {
      reportError(this.log, err, 'Listing batches');
      return [];
    }
  }

  getTreeItem(batch: MessageBatch): vscode.TreeItem {
    const item = new vscode.TreeItem(batch.id);
    item.id = batch.id;
    item.description = batch.processing_status.replace('_', ' ');
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
