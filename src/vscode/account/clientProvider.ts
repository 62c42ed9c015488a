import * as vscode from 'vscode';
import { BatchesApi, createClient } from '../../api';
import { DisposableObject } from '../../domain/lifecycle';
import { pollScope } from '../../domain/pollCoordinator';
import type { AccountStore, AccountView, KeySource } from './accountStore';
import type { Log } from '../core/log';
import { Settings } from '../core/settings';

export interface ApiHandle {
  api: BatchesApi;
  keySource: KeySource;
  /** The account the client is for. */
  account: AccountView;
  /** A short hash of base URL + key: names per-account state (shared poll results) without the key. */
  accountScope: string;
}

/**
 * The one place the extension gets an API client. Builds it from an account's key and base URL
 * (the account's own, else claudeBatches.baseUrl), keeps it until either changes, and tells
 * listeners when the client of the account in use changes: another account, key or server.
 */
export class ClientProvider extends DisposableObject {
  private readonly cached = new Map<string, { key: string; baseUrl: string; handle: ApiHandle }>();
  private reportedProblem: string | undefined;
  /**
   * Which account, key and server the last client of the account in use was for (a hash: no key);
   * PENDING after a reconnection, until the next client is asked for (nothing of before is left).
   */
  private lastIdentity: string | undefined | typeof PENDING;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when the account in use, its key or its base URL changed: whatever was loaded may belong to another account. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly accounts: AccountStore,
    private readonly log: Log,
  ) {
    super();
    // Another account in use: let go of everything at once, before its data is read.
    this.register(accounts.onDidChangeActive(() => this.invalidate(vscode.l10n.t('account changed'))));
    this.register(accounts.onDidChange(() => void this.checkIdentity(vscode.l10n.t('API key changed'))));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('claudeBatches.baseUrl')) this.invalidate(vscode.l10n.t('base URL changed'));
      }),
    );
  }

  /** The client for the account in use, or undefined when it has no key. */
  async get(): Promise<ApiHandle | undefined> {
    const resolved = await this.accounts.resolve();
    if (resolved.problem !== this.reportedProblem && resolved.problem) this.log.warn(resolved.problem);
    this.reportedProblem = resolved.problem;
    this.lastIdentity = identity(resolved);
    return this.handleFor(resolved);
  }

  /** The client for one account (watching an account not in use), or undefined when it has no key here. */
  async getFor(accountId: string): Promise<ApiHandle | undefined> {
    const account = this.accounts.get(accountId);
    return account && this.handleFor(await this.accounts.resolveFor(account));
  }

  private handleFor({ account, key, source }: { account: AccountView | undefined; key: string | undefined; source: KeySource }): ApiHandle | undefined {
    if (!key || !account) return undefined;
    const baseUrl = account.baseUrl || Settings.baseUrl();
    const cached = this.cached.get(account.id);
    if (cached && cached.key === key && cached.baseUrl === baseUrl) return { ...cached.handle, account };
    const api = new BatchesApi(createClient({ apiKey: key, baseUrl }));
    this.log.info(`Using the API at ${api.baseUrl} for the account "${account.name}" (key from ${source === 'secretStorage' ? 'secret storage' : 'ANTHROPIC_API_KEY'}).`);
    const handle: ApiHandle = { api, keySource: source, account, accountScope: pollScope(api.baseUrl, key) };
    this.cached.set(account.id, { key, baseUrl, handle });
    return handle;
  }

  /** A throwaway client for checking a key before storing it. */
  probe(key: string, baseUrl = ''): BatchesApi {
    return new BatchesApi(createClient({ apiKey: key, baseUrl: baseUrl || Settings.baseUrl(), maxRetries: 1 }));
  }

  /** Something about the accounts changed: only a change of the account in use, its key or server reconnects. */
  private async checkIdentity(reason: string): Promise<void> {
    if (this.lastIdentity === PENDING) return;
    const now = identity(await this.accounts.resolve());
    // Read again: a reconnection may have come meanwhile.
    const last = this.lastIdentity as string | undefined | typeof PENDING;
    if (last !== PENDING && now !== last) this.invalidate(reason);
  }

  private invalidate(reason: string): void {
    this.cached.clear();
    this.lastIdentity = PENDING;
    this.log.info(`${reason}; reconnecting.`);
    this.changed.fire();
  }
}

const PENDING = Symbol('pending');

/** Which account, key and server a resolved key is for, as a hash (never the key). */
function identity({ account, key }: { account: AccountView | undefined; key: string | undefined }): string {
  return `${account?.id ?? ''}/${account && key ? pollScope(account.baseUrl || Settings.baseUrl(), key) : ''}`;
}
