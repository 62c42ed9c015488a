import * as vscode from 'vscode';
import { DisposableObject } from '../../domain/lifecycle';
import { CommandIds } from '../commands/commandIds';
import { commandOf } from '../commands/commandRunner';
import type { AccountStore } from './accountStore';

/**
 * Which account is in use, where the user looks: the Batches view's title and description (with
 * the view alone in its container, VS Code shows only the title), and a status-bar
 * item that switches accounts when clicked (shown once there is a named account, or more than one).
 */
export class AccountIndicator extends DisposableObject {
  readonly item = this.register(vscode.window.createStatusBarItem('claudeBatches.account', vscode.StatusBarAlignment.Left, 49));
  private readonly title: string | undefined;

  constructor(
    private readonly accounts: AccountStore,
    private readonly view: Pick<vscode.TreeView<unknown>, 'description' | 'title'>,
  ) {
    super();
    // The manifest's title, which not every VS Code reports before one is set.
    this.title = view.title || vscode.l10n.t('Batches');
    this.item.name = vscode.l10n.t('Claude Batches Account');
    this.item.command = commandOf(CommandIds.switchAccount, vscode.l10n.t('Switch account'));
    this.register(accounts.onDidChange(() => this.render()));
    void accounts.ready().then(() => !this.isDisposed && this.render());
    this.render();
  }

  render(): void {
    const all = this.accounts.list();
    const active = this.accounts.active();
    this.view.description = active?.name;
    this.view.title = active && this.title ? vscode.l10n.t('{0} ({1})', this.title, active.name) : this.title;
    if (!active || (all.length < 2 && active.implicit)) {
      this.item.hide();
      return;
    }
    // not translated: an icon and the account's own name
    this.item.text = `$(account) ${active.name}`;
    this.item.tooltip = vscode.l10n.t('Claude Batches account: {0} ({1} accounts). Click to switch.', active.name, all.length);
    this.item.accessibilityInformation = { label: vscode.l10n.t('Claude Batches account: {0}. Activate to switch accounts.', active.name), role: 'button' };
    this.item.show();
  }
}
