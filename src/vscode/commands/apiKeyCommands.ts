import * as vscode from 'vscode';
import { checkApiKey, describeError, rememberSecret } from '../../api';
import type { ApiKeyStore } from '../account/apiKeyStore';
import type { ClientProvider } from '../account/clientProvider';
import { UserCancelled } from './commandRunner';
import type { Log } from '../core/log';
import { ui } from '../core/ui';

/**
 * "Set API Key": asks in a password box, checks the key with one cheap call (a one-item list),
 * and only then stores it in SecretStorage. A rejected key is never stored.
 */
export async function setApiKey(keys: ApiKeyStore, clients: ClientProvider, log: Log): Promise<boolean> {
  const key = await ui().input({
    title: vscode.l10n.t('Claude Batches: Set API Key'),
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
    return false;
  }
  const trimmed = checkedKey.key;

  const checked = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the API key…') },
    async () => {
      try {
        await clients.probe(trimmed).listPage({ limit: 1 });
        return undefined;
      } catch (err) {
        return err;
      }
    },
  );
  if (checked !== undefined) {
    const described = describeError(checked, { action: vscode.l10n.t('Checking the API key') });
    log.warn(described.message);
    if (described.kind === 'auth' || described.kind === 'permission') {
      void ui().error(vscode.l10n.t('{0} The key was not saved.', described.message));
      return false;
    }
    // The API could not be reached: the key may be fine. Let the user decide.
    const choice = await ui().confirm(vscode.l10n.t('Save the API key without checking it?'), described.message, vscode.l10n.t('Save Anyway'));
    if (choice !== vscode.l10n.t('Save Anyway')) return false;
  }
  await keys.store(trimmed);
  log.info('API key saved to secret storage.');
  void ui().info(vscode.l10n.t('Claude Batches: API key saved.'));
  return true;
}

export async function clearApiKey(keys: ApiKeyStore, log: Log): Promise<void> {
  await keys.clear();
  log.info('API key removed from secret storage.');
  const now = await keys.resolve();
  void ui().info(
    now.key
      ? vscode.l10n.t('Claude Batches: stored API key removed. ANTHROPIC_API_KEY from the environment is used now.')
      : vscode.l10n.t('Claude Batches: API key removed.{0}', now.problem ? ` ${now.problem}` : ''),
  );
}
