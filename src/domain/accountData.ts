import * as fs from 'node:fs';
import * as path from 'node:path';
import { ANNOUNCED_ENDS_KEY } from './endAnnouncer';
import { SUBMISSIONS_KEY, type KeyValueStorage } from './submissionRegistry';
import { UNFINISHED_KEY } from './unfinishedBatches';

// Where each account's local data lives: its submission registry (labels, groups), the batches
// it knows unfinished, the ends it announced (global state), and its results copies and claims
// (global storage). The account that was in use before accounts existed keeps the data of then
// where it was (no move, nothing to lose halfway); every other account has its own.

/** The places of one account's local data. */
export interface AccountDataPlaces {
  readonly accountId: string;
  /** The global-state key under which this account keeps what `key` names. */
  key(key: string): string;
  /** The folder of this account's files (results copies, announcement claims). */
  readonly dir: string;
}

/** The data of account `accountId`; `legacyOwner` is the account that owns the data of before accounts. */
export function accountDataPlaces(storageRoot: string, accountId: string, legacyOwner: string | undefined): AccountDataPlaces {
  const legacy = accountId === legacyOwner;
  return {
    accountId,
    key: (key) => (legacy ? key : `${key}@${accountId}`),
    dir: legacy ? storageRoot : path.join(storageRoot, 'accounts', accountId),
  };
}

/**
 * Global state as one account sees it, the account being whichever `places()` says at each read
 * and write: the registry and the other stores built on it follow the active account.
 */
export class AccountScopedStorage implements KeyValueStorage {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly places: () => AccountDataPlaces,
  ) {}

  get<T>(key: string): T | undefined {
    return this.storage.get<T>(this.places().key(key));
  }

  update(key: string, value: unknown): PromiseLike<void> {
    return this.storage.update(this.places().key(key), value);
  }
}

/** Global state fixed to one account (a background watch, or a removal, of an account not in use). */
export function storageOf(storage: KeyValueStorage, places: AccountDataPlaces): KeyValueStorage {
  return new AccountScopedStorage(storage, () => places);
}

/** The global-state entries each account has (registry, unfinished batches, announced ends). */
const ACCOUNT_STATE_KEYS = [SUBMISSIONS_KEY, UNFINISHED_KEY, ANNOUNCED_ENDS_KEY] as const;
/** The folders each account has in its own folder (results copies, announcement claims). */
const ACCOUNT_FOLDERS = ['results', 'announced'] as const;

/**
 * Deletes one account's local data: its global-state entries and its folders (for the owner of
 * the data of before, only those folders: its folder is global storage itself). `storage` is
 * global state as it is, not one account's view of it: the account's keys are named here.
 */
export async function deleteAccountData(storage: KeyValueStorage, places: AccountDataPlaces): Promise<void> {
  for (const key of ACCOUNT_STATE_KEYS) await storage.update(places.key(key), undefined);
  for (const folder of ACCOUNT_FOLDERS) await fs.promises.rm(path.join(places.dir, folder), { recursive: true, force: true });
  // An account's own folder, now empty, goes too (never global storage itself).
  if (path.basename(path.dirname(places.dir)) === 'accounts') await fs.promises.rmdir(places.dir).catch(() => undefined);
}
