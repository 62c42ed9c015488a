import * as vscode from 'vscode';
import { checkApiKey, describeError, rememberSecret } from '../../api';
import { deleteAccountData } from '../../domain/accountData';
import { checkAccountName, checkBaseUrl, ENVIRONMENT_ACCOUNT_ID, freeAccountName, migratedAccountName, parseAccounts } from '../../domain/accounts';
import type { KeyValueStorage } from '../../domain/submissionRegistry';
import type { AccountStore, AccountView } from '../account/accountStore';
import type { ClientProvider } from '../account/clientProvider';
import { UserCancelled } from './commandRunner';
import type { Log } from '../core/log';
import { ui } from '../core/ui';

/** What the account commands use. */
export interface AccountDeps {
  keys: AccountStore;
  clients: ClientProvider;
  log: Log;
  /** Global state, where each account's registry and memories are (deleted with the account when asked). */
  globalState: KeyValueStorage;
}

/**
 * Asks for a key in a password box and checks it with one cheap call (a one-item list) against
 * the server it will be sent to. Returns the key, or undefined when it must not be stored (the
 * user was told why). A rejected key is never stored.
 */
async function askCheckedKey(clients: ClientProvider, log: Log, title: string, baseUrl = ''): Promise<string | undefined> {
  const key = await ui().input({
    title,
    prompt: vscode.l10n.t('Paste your Anthropic API key. It is kept in VS Code secret storage, never in settings.'),
    placeHolder: 'sk-ant-…',
    password: true,
    ignoreFocusOut: true,
    // Whitespace around the key is dropped; inside it, it is refused (see checkApiKey).
    validateInput: (value) => {
      const checked = checkApiKey(value);
      return checked.ok ? undefined : checked.problem;
    },
  });
  if (key === undefined) throw new UserCancelled();
  rememberSecret(key);
  const checkedKey = checkApiKey(key);
  if (!checkedKey.ok) {
    void ui().error(vscode.l10n.t('{0} The key was not saved.', checkedKey.problem));
    return undefined;
  }
  const trimmed = checkedKey.key;
  const checked = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the API key…') }, async () => {
    try {
      await clients.probe(trimmed, baseUrl).listPage({ limit: 1 });
      return undefined;
    } catch (err) {
      return err;
    }
  });
  if (checked !== undefined) {
    const described = describeError(checked, { action: vscode.l10n.t('Checking the API key') });
    log.warn(described.message);
    if (described.kind === 'auth' || described.kind === 'permission') {
      void ui().error(vscode.l10n.t('{0} The key was not saved.', described.message));
      return undefined;
    }
    // The API could not be reached: the key may be fine. Let the user decide.
    const saveAnyway = vscode.l10n.t('Save Anyway');
    const choice = await ui().confirm(vscode.l10n.t('Save the API key without checking it?'), described.message, saveAnyway);
    if (choice !== saveAnyway) return undefined;
  }
  return trimmed;
}

/**
 * "Set API Key": the key of the account in use, checked before it is stored. Without a named
 * account in use (none yet, or ANTHROPIC_API_KEY's), it makes one and uses it.
 */
export async function setApiKey({ keys, clients, log }: AccountDeps): Promise<boolean> {
  await keys.ready();
  const active = keys.active();
  const named = active && !active.implicit ? active : undefined;
  const key = await askCheckedKey(clients, log, vscode.l10n.t('Claude Batches: Set API Key'), named?.baseUrl);
  if (key === undefined) return false;
  if (named) {
    await keys.storeKey(named.id, key);
    log.info(`API key of the account "${named.name}" saved to secret storage.`);
  } else {
    const state = parseAccounts({ accounts: keys.list().filter((a) => !a.implicit) }, undefined);
    const name = checkAccountName(state, migratedAccountName()).ok ? migratedAccountName() : freeAccountName(state);
    const added = await keys.add(name, key);
    if (!added.ok) {
      void ui().error(vscode.l10n.t('{0} The key was not saved.', added.problem));
      return false;
    }
    log.info(`API key saved to secret storage as the account "${added.value.name}"${added.value.restoredData ? ', with the local data it had before' : ''}.`);
    if (added.value.restoredData) {
      void ui().info(vscode.l10n.t('Claude Batches: API key saved. The local results and records this key had before are back.'));
      return true;
    }
  }
  void ui().info(vscode.l10n.t('Claude Batches: API key saved.'));
  return true;
}

/** "Clear API Key": forgets the account in use and its key (its local data stays). */
export async function clearApiKey({ keys, log }: AccountDeps): Promise<void> {
  await keys.ready();
  const active = keys.active();
  if (active && !active.implicit) {
    // Its local data stays, found again when the same key is set again.
    await keys.remove(active.id, true);
    log.info(`API key of the account "${active.name}" removed from secret storage.`);
  }
  const now = await keys.resolve();
  void ui().info(
    now.key
      ? now.source === 'environment'
        ? vscode.l10n.t('Claude Batches: stored API key removed. ANTHROPIC_API_KEY from the environment is used now.')
        : vscode.l10n.t('Claude Batches: stored API key removed. The account "{0}" is used now.', now.account?.name ?? '')
      : `${vscode.l10n.t('Claude Batches: API key removed.')}${now.problem ? ` ${now.problem}` : ''}`,
  );
}


/** "Add Account…": a name, a key (checked before it is stored) and, if wanted, a base URL; then it is in use. */
export async function addAccount({ keys, clients, log }: AccountDeps): Promise<AccountView | undefined> {
  await keys.ready();
  const named = () => parseAccounts({ accounts: keys.list().filter((a) => !a.implicit) }, undefined);
  const name = await ui().input({
    title: vscode.l10n.t('Claude Batches: Add Account'),
    prompt: vscode.l10n.t('A name for the account, as the Batches view and the notifications will show it.'),
    value: freeAccountName(named()),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const checked = checkAccountName(named(), value);
      return checked.ok ? undefined : checked.problem;
    },
  });
  if (name === undefined) throw new UserCancelled();
  const checkedName = checkAccountName(named(), name);
  if (!checkedName.ok) {
    void ui().error(checkedName.problem);
    return undefined;
  }
  const baseUrl = await ui().input({
    title: vscode.l10n.t('Claude Batches: Add Account'),
    prompt: vscode.l10n.t('The server of this account: leave empty for the default (claudeBatches.baseUrl, else the Anthropic API). Kept on this machine only.'),
    placeHolder: 'https://api.anthropic.com',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const checked = checkBaseUrl(value);
      return checked.ok ? undefined : checked.problem;
    },
  });
  if (baseUrl === undefined) throw new UserCancelled();
  const checkedUrl = checkBaseUrl(baseUrl);
  if (!checkedUrl.ok) {
    void ui().error(checkedUrl.problem);
    return undefined;
  }
  const key = await askCheckedKey(clients, log, vscode.l10n.t('Claude Batches: Add Account'), checkedUrl.value);
  if (key === undefined) return undefined;
  const added = await keys.add(checkedName.value, key, checkedUrl.value);
  if (!added.ok) {
    void ui().error(vscode.l10n.t('{0} The key was not saved.', added.problem));
    return undefined;
  }
  log.info(`Account "${added.value.name}" added; its key is in secret storage${added.value.restoredData ? '; the local data kept when its key was removed is back' : ''}.`);
  void ui().info(
    added.value.restoredData
      ? vscode.l10n.t('Claude Batches: account "{0}" added and in use. The local results and records kept when this key was removed are back.', added.value.name)
      : vscode.l10n.t('Claude Batches: account "{0}" added and in use.', added.value.name),
  );
  return added.value;
}

interface AccountItem extends vscode.QuickPickItem {
  account?: AccountView;
}

/** A pick of the accounts (`onlyNamed`: those that can be renamed or removed); one alone is taken without asking. */
async function pickAccount(keys: AccountStore, placeHolder: string, onlyNamed: boolean): Promise<AccountView> {
  const active = keys.active();
  const accounts = keys.list().filter((a) => !onlyNamed || !a.implicit);
  if (accounts.length === 0) {
    void ui().info(vscode.l10n.t('Claude Batches: there is no account yet. Add one with "Claude Batches: Add Account".'));
    throw new UserCancelled();
  }
  const items: AccountItem[] = accounts.map((account) => ({
    label: account.name,
    description: account.id === active?.id ? vscode.l10n.t('in use') : undefined,
    detail: account.implicit ? vscode.l10n.t('The key in the environment variable ANTHROPIC_API_KEY') : account.baseUrl || undefined,
    account,
  }));
  const picked = await ui().pick(items, { placeHolder, ignoreFocusOut: true });
  if (!picked?.account) throw new UserCancelled();
  return picked.account;
}

/** "Switch Account…": the account whose batches the view, the status bar and the commands use. */
export async function switchAccount(deps: AccountDeps, accountId?: string): Promise<AccountView | undefined> {
  const { keys, log } = deps;
  await keys.ready();
  const addItem = vscode.l10n.t('$(add) Add Account…');
  let target: AccountView | undefined = accountId ? keys.get(accountId) : undefined;
  if (!target) {
    const active = keys.active();
    const items: AccountItem[] = [
      ...keys.list().map((account) => ({
        label: account.name,
        description: account.id === active?.id ? vscode.l10n.t('in use') : undefined,
        detail: account.implicit ? vscode.l10n.t('The key in the environment variable ANTHROPIC_API_KEY') : account.baseUrl || undefined,
        account,
      })),
      { label: addItem },
    ];
    const picked = await ui().pick(items, { placeHolder: vscode.l10n.t('Which account should Claude Batches use?'), ignoreFocusOut: true });
    if (!picked) throw new UserCancelled();
    if (!picked.account) return addAccount(deps);
    target = picked.account;
  }
  if (target.id === keys.active()?.id) return target;
  const used = await keys.use(target.id);
  if (!used.ok) {
    void ui().error(used.problem);
    return undefined;
  }
  log.info(`Now using the account "${used.value.name}".`);
  return used.value;
}

/** "Rename Account…". */
export async function renameAccount({ keys, log }: AccountDeps): Promise<AccountView | undefined> {
  await keys.ready();
  const account = await pickAccount(keys, vscode.l10n.t('Which account do you want to rename?'), true);
  const others = () => parseAccounts({ accounts: keys.list().filter((a) => !a.implicit) }, undefined);
  const name = await ui().input({
    title: vscode.l10n.t('Claude Batches: Rename Account'),
    prompt: vscode.l10n.t('The new name of the account "{0}".', account.name),
    value: account.name,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const checked = checkAccountName(others(), value, account.id);
      return checked.ok ? undefined : checked.problem;
    },
  });
  if (name === undefined) throw new UserCancelled();
  const renamed = await keys.rename(account.id, name);
  if (!renamed.ok) {
    void ui().error(renamed.problem);
    return undefined;
  }
  log.info(`Account "${account.name}" renamed "${renamed.value.name}".`);
  return renamed.value;
}

/**
 * "Remove Account…": once confirmed, the account and its key go; its local data (results copies,
 * what was submitted from here) is kept or deleted as the user chose in the same confirmation.
 */
export async function removeAccount({ keys, log, globalState }: AccountDeps): Promise<boolean> {
  await keys.ready();
  if (keys.list().every((a) => a.implicit)) {
    void ui().info(vscode.l10n.t('Claude Batches: there is no stored account to remove. ANTHROPIC_API_KEY is removed by unsetting the variable.'));
    return false;
  }
  const account = await pickAccount(keys, vscode.l10n.t('Which account do you want to remove?'), true);
  if (account.id === ENVIRONMENT_ACCOUNT_ID) throw new UserCancelled();
  const keep = vscode.l10n.t('Remove, Keep Local Results');
  const drop = vscode.l10n.t('Remove, Delete Local Results');
  const choice = await ui().confirm(
    vscode.l10n.t('Remove the account "{0}"?', account.name),
    vscode.l10n.t("Its API key is deleted from this machine's secret storage, and its name from the machines Settings Sync shares it with. Its local copies of results and the record of what was submitted from here can stay on disk (adding the same key again brings them back), or be deleted for good."),
    keep,
    drop,
  );
  if (choice !== keep && choice !== drop) throw new UserCancelled();
  const places = keys.places(account.id);
  await keys.remove(account.id, choice === keep);
  if (choice === drop) await deleteAccountData(globalState, places);
  log.info(`Account "${account.name}" removed${choice === drop ? ' with its local data' : '; its local data was kept'}.`);
  void ui().info(
    choice === drop
      ? vscode.l10n.t('Claude Batches: account "{0}" removed, and its local results deleted.', account.name)
      : vscode.l10n.t('Claude Batches: account "{0}" removed; its local results were kept. Add an account with the same key to see them again.', account.name),
  );
  return true;
}
