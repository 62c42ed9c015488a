import * as vscode from 'vscode';

const SECRET_KEY = 'claudeBatches.apiKey';

export type KeySource = 'secretStorage' | 'environment' | 'none';

export interface ResolvedKey {
  key: string | undefined;
  source: KeySource;
}

/**
 * Where the API key comes from: VS Code's SecretStorage first, then ANTHROPIC_API_KEY from the
 * environment. The key is never written to settings, logs or documents.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    // Another window setting or clearing the key fires this too.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) this.changed.fire();
    });
  }

  async resolve(): Promise<ResolvedKey> {
    const stored = await this.secrets.get(SECRET_KEY);
    if (stored) return { key: stored, source: 'secretStorage' };
    const fromEnv = this.env.ANTHROPIC_API_KEY?.trim();
    if (fromEnv) return { key: fromEnv, source: 'environment' };
    return { key: undefined, source: 'none' };
  }

  async store(key: string): Promise<void> {
    await this.secrets.store(SECRET_KEY, key);
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
