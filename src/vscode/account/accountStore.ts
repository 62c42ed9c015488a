import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rememberSecret, resolveApiKey, type ResolvedKey } from '../../api';
import { accountDataPlaces, type AccountDataPlaces } from '../../domain/accountData';
import {
  accountSecretKey,
  activeAccount,
  addAccount,
  allAccounts,
  checkAccountName,
  freeAccountName,
  ENVIRONMENT_ACCOUNT_ID,
  keepAccountData,
  keyFingerprint,
  orphanCandidates,
  parseKeptAccounts,
  takeKeptAccount,
  LEGACY_SECRET_KEY,
  migrateAccounts,
  MIGRATED_ACCOUNT_ID,
  parseAccounts,
  removeAccount,
  renameAccount,
  serializeAccounts,
  setActive,
  type AccountsState,
  type AccountView,
  type Checked,
} from '../../domain/accounts';
import { DisposableObject } from '../../domain/lifecycle';
import { SYNCED_ACCOUNTS_KEY } from '../../domain/accountsAtStart';
import type { StateStorage } from '../../domain/reliableState';

export type { KeySource, ResolvedKey } from '../../api';
export type { AccountView } from '../../domain/accounts';

export { SYNCED_ACCOUNTS_KEY };
/** This machine's side: the account last chosen, base URLs, who owns the data of before accounts. */
const MACHINE_KEY = 'claudeBatches.accounts.machine';

interface MachineState {
  activeId?: string;
  baseUrls: Record<string, string>;
  /** The account the local data of before accounts belongs to; absent: the first account added. */
  legacyOwner?: string;
  /** Removed accounts whose local data was kept: a digest of the key → the id the data is filed under. */
  kept: Record<string, string>;
}

/** A resolved key and the account it is for. */
export interface AccountKey extends ResolvedKey {
  account: AccountView | undefined;
}

/**
 * The accounts: names and base URLs in global state, each key in VS Code's SecretStorage under its
 * account's id, ANTHROPIC_API_KEY as an implicit account while it is set. Keys are never written
 * to settings, logs or documents. Which account a window uses is chosen in that window (a new
 * window starts with the last chosen), so one window never shows one account's batches with
 * another's local data.
 */
export class AccountStore extends DisposableObject {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when an account, a key or the account in use changed (here or, for keys, in another window). */
  readonly onDidChange = this.changed.event;
  private readonly activeChanged = this.register(new vscode.EventEmitter<void>());
  /**
   * Fires at once (before anything is written) when this window uses another account: whatever
   * shows the account's batches must let go of them before anything reads the new account's data.
   */
  readonly onDidChangeActive = this.activeChanged.event;
  private readonly migration: Promise<void>;
  private activeId: string | undefined;
  /** The accounts as last parsed, with the stored values they were parsed from. */
  private parsed: { synced: unknown; machine: unknown; activeId: string | undefined; state: AccountsState } | undefined;

  constructor(
    private readonly memento: StateStorage,
    private readonly secrets: vscode.SecretStorage,
    private readonly storageRoot: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.activeId = this.machine().activeId;
    this.register(
      secrets.onDidChange((e) => {
        if (e.key === LEGACY_SECRET_KEY || e.key.startsWith(`${LEGACY_SECRET_KEY}/`)) this.changed.fire();
      }),
    );
    this.migration = this.migrate();
  }

  /** Settles once the single key of before accounts is an account (at once after the first start). */
  ready(): Promise<void> {
    return this.migration;
  }

  private get environmentKeySet(): boolean {
    return !!this.env.ANTHROPIC_API_KEY?.trim();
  }

  private state(): AccountsState {
    // Read for every registry access (each row of the view): parsed again only when what is stored changed.
    const synced = this.memento.get<unknown>(SYNCED_ACCOUNTS_KEY);
    const machineRaw = this.memento.get<unknown>(MACHINE_KEY);
    const cached = this.parsed;
    if (cached && cached.synced === synced && cached.machine === machineRaw && cached.activeId === this.activeId) return cached.state;
    const state = parseAccounts(synced, { ...this.machine(), activeId: this.activeId });
    this.parsed = { synced, machine: machineRaw, activeId: this.activeId, state };
    return state;
  }

  private machine(): MachineState {
    const raw = this.memento.get<unknown>(MACHINE_KEY);
    const value = typeof raw === 'object' && raw !== null ? (raw as Partial<MachineState>) : {};
    return {
      activeId: typeof value.activeId === 'string' ? value.activeId : undefined,
      baseUrls: typeof value.baseUrls === 'object' && value.baseUrls !== null ? value.baseUrls : {},
      legacyOwner: typeof value.legacyOwner === 'string' ? value.legacyOwner : undefined,
      kept: parseKeptAccounts(value.kept),
    };
  }

  /** Every account, ANTHROPIC_API_KEY's last. */
  list(): AccountView[] {
    return allAccounts(this.state(), this.environmentKeySet);
  }

  /** The account this window uses. */
  active(): AccountView | undefined {
    return activeAccount(this.state(), this.environmentKeySet);
  }

  get(accountId: string): AccountView | undefined {
    return this.list().find((a) => a.id === accountId);
  }

  /** Where an account's local data lives. */
  places(accountId: string): AccountDataPlaces {
    return accountDataPlaces(this.storageRoot, accountId, this.machine().legacyOwner);
  }

  /** Where the account in use keeps its local data (before the first account: where the data of before is). */
  activePlaces(): AccountDataPlaces {
    const machine = this.machine();
    const id = this.active()?.id ?? machine.legacyOwner ?? 'none';
    return accountDataPlaces(this.storageRoot, id, machine.legacyOwner ?? id);
  }

  /** The key of the account in use, trimmed; a key with whitespace or control characters inside is refused (see checkApiKey). */
  async resolve(): Promise<AccountKey> {
    await this.migration;
    return this.resolveFor(this.active());
  }

  /** The key of one account (a background watch of an account not in use). */
  async resolveFor(account: AccountView | undefined): Promise<AccountKey> {
    await this.migration;
    rememberSecret(this.env.ANTHROPIC_API_KEY);
    if (!account) return { account, ...resolveApiKey(undefined, undefined) };
    if (account.id === ENVIRONMENT_ACCOUNT_ID) return { account, ...resolveApiKey(undefined, this.env.ANTHROPIC_API_KEY) };
    const stored = await this.secrets.get(accountSecretKey(account.id));
    // Redacted wherever it shows, as found (a stray character and all), even when it is refused.
    rememberSecret(stored);
    if (!stored) return { account, key: undefined, source: 'none', problem: vscode.l10n.t('The account "{0}" has no API key on this machine. Set one with "Claude Batches: Set API Key".', account.name) };
    return { account, ...resolveApiKey(stored, undefined) };
  }

  /**
   * Adds an account with its (already checked) key, and uses it. A key whose account was removed
   * here with its local data kept gets that data back (`restoredData`): the account takes its id.
   */
  async add(name: string, key: string, baseUrl = ''): Promise<Checked<AccountView & { readonly restoredData: boolean }>> {
    await this.migration;
    const state = this.state();
    const machine = this.machine();
    const found = takeKeptAccount(machine.kept, keyFingerprint(key), state);
    const orphan = found.id === undefined ? await this.orphanWithKey(key, state, machine.legacyOwner) : undefined;
    const id = found.id ?? orphan ?? randomBytes(6).toString('hex');
    const restored = (found.id ?? orphan) !== undefined;
    const next = addAccount(state, id, name, baseUrl);
    if (!next.ok) return next;
    await this.secrets.store(accountSecretKey(id), key);
    // The data of before belongs to nobody yet (there was no key): the first account takes it.
    await this.save(next.value, machine.legacyOwner ?? id, found.kept);
    return { ok: true, value: { ...this.get(id)!, restoredData: restored } };
  }

  /**
   * An account that went from the list without this machine removing it (Settings Sync brought
   * its removal from another machine) leaves its key here under its id, beside its data: an
   * account added with that key takes the id back. Only ids with data here are asked about.
   */
  private async orphanWithKey(key: string, state: AccountsState, legacyOwner: string | undefined): Promise<string | undefined> {
    const folders = await fs.promises.readdir(path.join(this.storageRoot, 'accounts')).catch(() => [] as string[]);
    for (const id of orphanCandidates(state, legacyOwner, folders)) if ((await this.secrets.get(accountSecretKey(id)))?.trim() === key.trim()) return id;
    return undefined;
  }

  async rename(accountId: string, name: string): Promise<Checked<AccountView>> {
    const next = renameAccount(this.state(), accountId, name);
    if (!next.ok) return next;
    await this.save(next.value);
    return { ok: true, value: this.get(accountId)! };
  }

  /**
   * Forgets an account and its key. Its local data is the caller's to keep or delete; when kept
   * (`keepData`), adding the same key again later brings it back.
   */
  async remove(accountId: string, keepData = false): Promise<void> {
    await this.migration;
    const machine = this.machine();
    let kept = machine.kept;
    if (keepData && accountId !== ENVIRONMENT_ACCOUNT_ID) {
      const key = await this.secrets.get(accountSecretKey(accountId));
      if (key) kept = keepAccountData(kept, keyFingerprint(key), accountId);
    }
    await this.secrets.delete(accountSecretKey(accountId));
    await this.save(removeAccount(this.state(), accountId), machine.legacyOwner, kept);
  }

  async use(accountId: string): Promise<Checked<AccountView>> {
    const next = setActive(this.state(), accountId, this.environmentKeySet);
    if (!next.ok) return next;
    await this.save(next.value);
    return { ok: true, value: this.active()! };
  }

  /** Replaces the key of a named account (Set API Key on the account in use). */
  async storeKey(accountId: string, key: string): Promise<void> {
    await this.secrets.store(accountSecretKey(accountId), key);
    this.changed.fire();
  }

  private async save(state: AccountsState, legacyOwner = this.machine().legacyOwner, kept = this.machine().kept): Promise<void> {
    const { synced, local } = serializeAccounts(state);
    const before = this.active()?.id;
    // Both writes are started (global state answers reads with them at once) before anything
    // hears of another account: whatever it reads then is the new list, never the one of before
    // (where a removed account could still be the first, so in use, and get written to).
    const writes = Promise.all([this.memento.update(SYNCED_ACCOUNTS_KEY, synced), this.memento.update(MACHINE_KEY, { ...local, legacyOwner, kept } satisfies MachineState)]);
    this.activeId = local.activeId;
    if (activeAccount(state, this.environmentKeySet)?.id !== before) this.activeChanged.fire();
    await writes;
    this.changed.fire();
  }

  /**
   * The first start with accounts on this machine: the key stored before becomes the account
   * "Default", which keeps the local data of before. Its id is fixed, so two windows starting
   * together (or a machine whose names came by Settings Sync) agree on it.
   */
  private async migrate(): Promise<void> {
    if (this.memento.get(MACHINE_KEY) !== undefined) return;
    const legacy = await this.secrets.get(LEGACY_SECRET_KEY);
    const migratedAlready = !!(await this.secrets.get(accountSecretKey(MIGRATED_ACCOUNT_ID)));
    if (legacy) await this.secrets.store(accountSecretKey(MIGRATED_ACCOUNT_ID), legacy);
    const { state, dataOwner } = migrateAccounts(!!legacy || migratedAlready, this.environmentKeySet);
    // Names that came by Settings Sync stay; the migrated account joins them (once).
    const synced = parseAccounts(this.memento.get(SYNCED_ACCOUNTS_KEY), undefined);
    const merged: AccountsState = {
      accounts: [
        ...synced.accounts,
        ...state.accounts
          .filter((a) => !synced.accounts.some((s) => s.id === a.id))
          .map((a) => (checkAccountName(synced, a.name).ok ? a : { ...a, name: freeAccountName(synced) })),
      ],
      // No key of before: the account that owns the data of before (ANTHROPIC_API_KEY's, when set)
      // stays in use, not a name that came by Settings Sync with no key on this machine.
      activeId: state.activeId ?? dataOwner,
      baseUrls: {},
    };
    const { synced: names, local } = serializeAccounts(merged);
    await this.save(parseAccounts(names, local), dataOwner);
    if (legacy) await this.secrets.delete(LEGACY_SECRET_KEY);
  }
}
