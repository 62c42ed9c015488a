import * as vscode from 'vscode';
import { rememberSecret, resolveApiKey, type ResolvedKey } from '../../api';
import { DisposableObject } from '../../domain/lifecycle';

export type { KeySource, ResolvedKey } from '../../api';

const SECRET_KEY = 'claudeBatches.apiKey';

/**
 * Where the API key comes from: VS Code's SecretStorage first, then ANTHROPIC_API_KEY from the
 * environment. The key is never written to settings, logs or documents.
 */
export class ApiKeyStore extends DisposableObject {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    // Another window setting or clearing the key fires this too.
    this.register(
      secrets.onDidChange((e) => {
        if (e.key === SECRET_KEY) this.changed.fire();
      }),
    );
  }

  /** The key to use, trimmed; a key with whitespace or control characters inside is refused (see checkApiKey). */
  async resolve(): Promise<ResolvedKey> {
    const stored = await this.secrets.get(SECRET_KEY);
    // Redacted wherever it shows, as found (a stray character and all), even when it is refused.
    rememberSecret(stored);
    rememberSecret(this.env.ANTHROPIC_API_KEY);
    return resolveApiKey(stored, this.env.ANTHROPIC_API_KEY);
  }

  async store(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key);
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.changed.fire();
  }
}
