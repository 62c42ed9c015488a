import * as vscode from 'vscode';
import { BatchesApi, createClient } from '../../api';
import { DisposableObject } from '../../domain/lifecycle';
import { pollScope } from '../../domain/pollCoordinator';
import type { ApiKeyStore, KeySource } from './apiKeyStore';
import type { Log } from '../core/log';
import { Settings } from '../core/settings';

export interface ApiHandle {
  api: BatchesApi;
  keySource: KeySource;
  /** A short hash of base URL + key: names per-account state (shared poll results) without the key. */
  accountScope: string;
}

/**
 * The one place the extension gets an API client. Builds it from the current key and base URL,
 * keeps it until either changes, and tells listeners when they do.
 */
export class ClientProvider extends DisposableObject {
  private cached: { key: string; baseUrl: string; handle: ApiHandle } | undefined;
  private reportedProblem: string | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when the key or the base URL changed: whatever was loaded may belong to another account. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly log: Log,
  ) {
    super();
    this.register(keys.onDidChange(() => this.invalidate(vscode.l10n.t('API key changed'))));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('claudeBatches.baseUrl')) this.invalidate(vscode.l10n.t('base URL changed'));
      }),
    );
  }

  /** The client for the current key, or undefined when there is no key at all. */
  async get(): Promise<ApiHandle | undefined> {
    const { key, source, problem } = await this.keys.resolve();
    if (problem !== this.reportedProblem && problem) this.log.warn(problem);
    this.reportedProblem = problem;
    if (!key) return undefined;
    const baseUrl = Settings.baseUrl();
    if (this.cached && this.cached.key === key && this.cached.baseUrl === baseUrl) return this.cached.handle;
    const api = new BatchesApi(createClient({ apiKey: key, baseUrl }));
    this.log.info(`Using the API at ${api.baseUrl} with the key from ${source === 'secretStorage' ? 'secret storage' : 'ANTHROPIC_API_KEY'}.`);
    this.cached = { key, baseUrl, handle: { api, keySource: source, accountScope: pollScope(api.baseUrl, key) } };
    return this.cached.handle;
  }

  /** A throwaway client for checking a key before storing it. */
  probe(key: string): BatchesApi {
    return new BatchesApi(createClient({ apiKey: key, baseUrl: Settings.baseUrl(), maxRetries: 1 }));
  }

  private invalidate(reason: string): void {
    this.cached = undefined;
    this.log.info(`${reason}; reconnecting.`);
    this.changed.fire();
  }
}
