// What activation registers in place of the features, so that VS Code knows the commands, the
// Batches view and the results scheme before the features' bundle is loaded. Each stand-in loads
// the features the first time VS Code uses it, then hands over to what they attached. Kept
// small and free of the project's other modules: it is what every window pays for at startup.
import * as vscode from 'vscode';

/** Loads and wires the features (once), so that they attach to the stand-ins. */
export type LoadFeatures = () => void;

/** A command's handler, as the features attach it. */
export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * One registration per command at activation; the handlers arrive with the features. A command
 * run before then loads them first.
 */
export class CommandStandIns implements vscode.Disposable {
  private readonly handlers = new Map<string, CommandHandler>();
  private readonly registrations: vscode.Disposable[];

  constructor(
    ids: readonly string[],
    private readonly load: LoadFeatures,
  ) {
    this.registrations = ids.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, args)));
  }

  /** The features' handler for one command; disposing what it returns takes it back. */
  attach(id: string, handler: CommandHandler): vscode.Disposable {
    if (this.handlers.has(id)) throw new Error(vscode.l10n.t('The command {0} has a handler already.', id));
    this.handlers.set(id, handler);
    return new vscode.Disposable(() => {
      if (this.handlers.get(id) === handler) this.handlers.delete(id);
    });
  }

  private run(id: string, args: unknown[]): unknown {
    if (!this.handlers.has(id)) this.load();
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(vscode.l10n.t('Claude Batches has no handler for the command {0}: reload the window, and report it if it happens again.', id));
    return handler(...args);
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
    this.handlers.clear();
  }
}

/**
 * The Batches view, created at activation with a provider that loads the features the first time
 * the view asks for rows (it is shown), then answers with theirs.
 */
export class TreeStandIn implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private target: vscode.TreeDataProvider<unknown> | undefined;
  private forwarding: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<unknown>;

  constructor(
    viewId: string,
    private readonly load: LoadFeatures,
  ) {
    // canSelectMany: Compare Results takes the two rows selected.
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: false, canSelectMany: true });
  }

  /** The features' provider answers from now on; the view is theirs to use. */
  attach<T>(provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
    if (this.target) throw new Error(vscode.l10n.t('The Batches view has a provider already.'));
    this.target = provider as vscode.TreeDataProvider<unknown>;
    this.forwarding = provider.onDidChangeTreeData?.((e) => this.changed.fire(e));
    this.changed.fire(undefined);
    return this.view as vscode.TreeView<T>;
  }

  private provider(): vscode.TreeDataProvider<unknown> {
    if (!this.target) this.load();
    if (!this.target) throw new Error(vscode.l10n.t('The Batches view has no provider.'));
    return this.target;
  }

  getChildren(element?: unknown): vscode.ProviderResult<unknown[]> {
    return this.provider().getChildren(element);
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.provider().getTreeItem(element);
  }

  getParent(element: unknown): vscode.ProviderResult<unknown> {
    return this.provider().getParent?.(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: unknown, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    const provider = this.provider();
    return provider.resolveTreeItem ? provider.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}

/**
 * The content provider of a scheme, registered at activation so that a document of it restored
 * with the window opens; the first document loads the features, whose provider answers.
 */
export class ContentStandIn implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private target: vscode.TextDocumentContentProvider | undefined;
  private forwarding: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(
    scheme: string,
    private readonly load: LoadFeatures,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, this);
  }

  /** The features' provider answers from now on. */
  attach(provider: vscode.TextDocumentContentProvider): vscode.Disposable {
    if (this.target) throw new Error(vscode.l10n.t('The results documents have a provider already.'));
    this.target = provider;
    this.forwarding = provider.onDidChange?.((uri) => this.changed.fire(uri));
    return new vscode.Disposable(() => {
      if (this.target !== provider) return;
      this.target = undefined;
      this.forwarding?.dispose();
    });
  }

  provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): vscode.ProviderResult<string> {
    if (!this.target) this.load();
    if (!this.target) throw new Error(vscode.l10n.t('The results documents have no provider.'));
    return this.target.provideTextDocumentContent(uri, token);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.registration.dispose();
    this.changed.dispose();
  }
}

/** What the features attach to: the stand-ins activation registered. */
export interface StandIns {
  readonly commands: CommandStandIns;
  readonly tree: TreeStandIn;
  readonly results: ContentStandIn;
}
