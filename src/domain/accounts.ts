// Several Anthropic accounts on one machine: their names, which one is active, and where their
// keys and local data are filed. Pure: the extension persists what these functions return (the
// names in global state, which Settings Sync may carry; the keys in SecretStorage, which it never
// does) and files each account's local data under its id.

import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';

/** One named account. Its key is in SecretStorage under `accountSecretKey(id)`, never here. */
export interface Account {
  /** Made once when the account is added, never derived from the key: it names the account's local data. */
  readonly id: string;
  readonly name: string;
}

/** The accounts as persisted. */
export interface AccountsState {
  readonly accounts: readonly Account[];
  /** The account in use; undefined: the first account, else the environment's key. */
  readonly activeId?: string;
  /** Per account, the base URL its key is sent to (this machine only: never synced). */
  readonly baseUrls: Readonly<Record<string, string>>;
}

/** The implicit account of ANTHROPIC_API_KEY, present while the variable is set. */
export const ENVIRONMENT_ACCOUNT_ID = 'env';
const ENVIRONMENT_ACCOUNT_NAME = 'ANTHROPIC_API_KEY';
/** The id of the account made from the single key stored before accounts existed. */
export const MIGRATED_ACCOUNT_ID = 'default';
/** The name of the account made from the single key of before (a function: translated when asked). */
export function migratedAccountName(): string {
  return l10n.t('Default');
}
/** Where the key was stored before accounts existed. */
export const LEGACY_SECRET_KEY = 'claudeBatches.apiKey';

export const MAX_ACCOUNTS = 20;
const MAX_NAME_LENGTH = 60;
const ID_SHAPE = /^[A-Za-z0-9_-]{1,40}$/;

export const EMPTY_ACCOUNTS: AccountsState = { accounts: [], baseUrls: {} };

/** The SecretStorage entry holding an account's key. */
export function accountSecretKey(accountId: string): string {
  return `${LEGACY_SECRET_KEY}/${accountId}`;
}

/** An account as shown: named ones, then the environment's when it is set. */
export interface AccountView extends Account {
  readonly implicit: boolean;
  readonly baseUrl: string;
}

/** Every account there is: the named ones, and ANTHROPIC_API_KEY's when it is set. */
export function allAccounts(state: AccountsState, environmentKeySet: boolean): AccountView[] {
  const named = state.accounts.map((a) => ({ ...a, implicit: false, baseUrl: state.baseUrls[a.id] ?? '' }));
  return environmentKeySet ? [...named, { id: ENVIRONMENT_ACCOUNT_ID, name: ENVIRONMENT_ACCOUNT_NAME, implicit: true, baseUrl: '' }] : named;
}

/** The account in use: the one chosen while it exists, else the first named one, else the environment's. */
export function activeAccount(state: AccountsState, environmentKeySet: boolean): AccountView | undefined {
  const all = allAccounts(state, environmentKeySet);
  return all.find((a) => a.id === state.activeId) ?? all[0];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** A display name: trimmed, not empty, not too long, printable, and unlike every other account's. */
export function checkAccountName(state: AccountsState, raw: string, renaming?: string): Checked<string> {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (!name) return { ok: false, problem: l10n.t('An account needs a name.') };
  if (name.length > MAX_NAME_LENGTH) return { ok: false, problem: l10n.t('An account name has at most {0} characters.', MAX_NAME_LENGTH) };
  if (/\p{Cc}/u.test(name)) return { ok: false, problem: l10n.t('An account name cannot hold control characters.') };
  // A name may come by Settings Sync: none may reorder how the text around it reads.
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(name)) return { ok: false, problem: l10n.t('An account name cannot hold characters that change the direction of text.') };
  const taken = [...state.accounts.filter((a) => a.id !== renaming).map((a) => a.name), ENVIRONMENT_ACCOUNT_NAME];
  if (taken.some((n) => n.toLowerCase() === name.toLowerCase())) return { ok: false, problem: l10n.t('There is already an account named "{0}". Choose another name.', name) };
  return { ok: true, value: name };
}

/** Checks a base URL, as typed or as found stored: empty (the default), or an http(s) URL without credentials. */
export function checkBaseUrl(raw: string): Checked<string> {
  const value = raw.trim();
  if (!value) return { ok: true, value: '' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: l10n.t('That is not a URL. Leave it empty for the default server.') };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: l10n.t('The base URL must start with https:// (or http://).') };
  if (url.username || url.password) return { ok: false, problem: l10n.t('The base URL must not hold a user name or password.') };
  return { ok: true, value: value.replace(/\/+$/, '') };
}

/** Adds an account (made active); `id` is made by the caller (random), never from the key. */
export function addAccount(state: AccountsState, id: string, rawName: string, baseUrl = ''): Checked<AccountsState> {
  if (!ID_SHAPE.test(id) || id === ENVIRONMENT_ACCOUNT_ID || state.accounts.some((a) => a.id === id)) return { ok: false, problem: l10n.t('The account id "{0}" cannot be used.', id) };
  if (state.accounts.length >= MAX_ACCOUNTS) return { ok: false, problem: l10n.t('There are already {0} accounts; remove one first.', MAX_ACCOUNTS) };
  const name = checkAccountName(state, rawName);
  if (!name.ok) return name;
  const baseUrls = baseUrl ? { ...state.baseUrls, [id]: baseUrl } : state.baseUrls;
  return { ok: true, value: { accounts: [...state.accounts, { id, name: name.value }], activeId: id, baseUrls } };
}

export function renameAccount(state: AccountsState, id: string, rawName: string): Checked<AccountsState> {
  if (!state.accounts.some((a) => a.id === id)) return { ok: false, problem: l10n.t('That account no longer exists.') };
  const name = checkAccountName(state, rawName, id);
  if (!name.ok) return name;
  return { ok: true, value: { ...state, accounts: state.accounts.map((a) => (a.id === id ? { ...a, name: name.value } : a)) } };
}

/** Removes a named account; when it was active, the first remaining one (or the environment's) is. */
export function removeAccount(state: AccountsState, id: string): AccountsState {
  const accounts = state.accounts.filter((a) => a.id !== id);
  const { [id]: _gone, ...baseUrls } = state.baseUrls;
  const activeId = state.activeId === id ? accounts[0]?.id : state.activeId;
  return { accounts, activeId, baseUrls };
}

export function setActive(state: AccountsState, id: string, environmentKeySet: boolean): Checked<AccountsState> {
  if (!allAccounts(state, environmentKeySet).some((a) => a.id === id)) return { ok: false, problem: l10n.t('That account no longer exists.') };
  return { ok: true, value: { ...state, activeId: id } };
}

/**
 * Reads the persisted accounts whatever they hold (global state is shared by every window and
 * carried by Settings Sync): malformed entries are dropped, duplicates by id or name kept once.
 * `synced` holds the names; `local` the active id and base URLs of this machine.
 */
export function parseAccounts(synced: unknown, local: unknown): AccountsState {
  const list = isRecord(synced) && Array.isArray(synced.accounts) ? synced.accounts : [];
  const accounts: Account[] = [];
  for (const item of list.slice(0, MAX_ACCOUNTS)) {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.name !== 'string') continue;
    const name = checkAccountName({ ...EMPTY_ACCOUNTS, accounts }, item.name);
    if (!ID_SHAPE.test(item.id) || item.id === ENVIRONMENT_ACCOUNT_ID || accounts.some((a) => a.id === item.id) || !name.ok) continue;
    accounts.push({ id: item.id, name: name.value });
  }
  const machine = isRecord(local) ? local : {};
  const activeId = typeof machine.activeId === 'string' ? machine.activeId : undefined;
  const baseUrls: Record<string, string> = {};
  if (isRecord(machine.baseUrls)) {
    for (const [id, url] of Object.entries(machine.baseUrls)) {
      const checked = typeof url === 'string' ? checkBaseUrl(url) : undefined;
      if (checked?.ok && checked.value && accounts.some((a) => a.id === id)) baseUrls[id] = checked.value;
    }
  }
  return activeId === undefined ? { accounts, baseUrls } : { accounts, activeId, baseUrls };
}

/** The two halves to persist: what may roam (names) and what stays on this machine. */
export function serializeAccounts(state: AccountsState): { synced: { accounts: Account[] }; local: { activeId?: string; baseUrls: Record<string, string> } } {
  return { synced: { accounts: state.accounts.map(({ id, name }) => ({ id, name })) }, local: { activeId: state.activeId, baseUrls: { ...state.baseUrls } } };
}

/**
 * The first start with accounts: the single stored key of before becomes the account "Default"
 * (its id fixed, so two windows migrating at once make the same account), and the local data of
 * before is filed under the account that was in use then. Undefined `dataOwner`: no account was.
 */
export function migrateAccounts(hadStoredKey: boolean, environmentKeySet: boolean): { state: AccountsState; dataOwner: string | undefined } {
  if (hadStoredKey) return { state: { accounts: [{ id: MIGRATED_ACCOUNT_ID, name: migratedAccountName() }], activeId: MIGRATED_ACCOUNT_ID, baseUrls: {} }, dataOwner: MIGRATED_ACCOUNT_ID };
  return { state: EMPTY_ACCOUNTS, dataOwner: environmentKeySet ? ENVIRONMENT_ACCOUNT_ID : undefined };
}

/** A name for a new account that no other has: "Account 2", "Account 3"… */
export function freeAccountName(state: AccountsState, base = l10n.t('Account')): string {
  // Among count + 1 candidates one is free: each account takes at most one of them.
  const count = state.accounts.length;
  for (let n = count + 1; n < 2 * count + 1; n++) {
    const name = `${base} ${n}`;
    if (checkAccountName(state, name).ok) return name;
  }
  return `${base} ${2 * count + 1}`;
}

/** How many removed accounts' kept data this machine remembers how to find again. */
export const MAX_KEPT_ACCOUNTS = 50;

/**
 * What the data of a removed account is found again by when its key is added again: a one-way
 * digest of the key (with a fixed prefix of its own, so it matches no other digest of the key).
 * The key itself is never kept; a digest of a random 100-character key does not give it back.
 */
export function keyFingerprint(key: string): string {
  // not translated: the digest's own prefix, never shown
  return createHash('sha256').update('claude-batches: kept account data\n').update(key.trim()).digest('hex').slice(0, 32);
}

/** The kept data of removed accounts (fingerprint → account id), as found stored: malformed entries dropped. */
export function parseKeptAccounts(raw: unknown): Record<string, string> {
  const kept: Record<string, string> = {};
  if (!isRecord(raw)) return kept;
  for (const [fingerprint, id] of Object.entries(raw).slice(-MAX_KEPT_ACCOUNTS)) {
    if (/^[0-9a-f]{32}$/.test(fingerprint) && typeof id === 'string' && ID_SHAPE.test(id) && id !== ENVIRONMENT_ACCOUNT_ID) kept[fingerprint] = id;
  }
  return kept;
}

/** Remembers that account `id`'s data, kept on removal, belongs to the key of `fingerprint` (the oldest forgotten past the bound). */
export function keepAccountData(kept: Readonly<Record<string, string>>, fingerprint: string, id: string): Record<string, string> {
  const { [fingerprint]: _before, ...rest } = kept;
  const entries = [...Object.entries(rest).filter(([, keptId]) => keptId !== id), [fingerprint, id] as [string, string]];
  return Object.fromEntries(entries.slice(-MAX_KEPT_ACCOUNTS));
}

/**
 * The ids whose data may be a removed account's with its key still on this machine (its name went
 * by Settings Sync): the owner of the data of before and the account folders found, less the
 * accounts there are, at most `max`. Names found on disk are checked as ids are.
 */
export function orphanCandidates(state: AccountsState, legacyOwner: string | undefined, folders: readonly string[], max = MAX_KEPT_ACCOUNTS): string[] {
  const named = new Set(state.accounts.map((a) => a.id));
  const found = new Set([...(legacyOwner ? [legacyOwner] : []), ...folders]);
  return [...found].filter((id) => !named.has(id) && id !== ENVIRONMENT_ACCOUNT_ID && ID_SHAPE.test(id)).slice(0, max);
}

/**
 * The id an account added with the key of `fingerprint` takes: the removed account's whose data
 * was kept (its results and records come back), unless an account has that id now; else none.
 */
export function takeKeptAccount(kept: Readonly<Record<string, string>>, fingerprint: string, state: AccountsState): { id: string | undefined; kept: Record<string, string> } {
  const { [fingerprint]: id, ...rest } = kept;
  if (id === undefined) return { id: undefined, kept: { ...kept } };
  return { id: state.accounts.some((a) => a.id === id) ? undefined : id, kept: rest };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
