import type { KeyValueStorage } from './submissionRegistry';

// What activation reads of the accounts, without their module (activation stays small).

/** The accounts' names, as `{ accounts: [{ id, name }] }`: Settings Sync may carry them (never a key). */
export const SYNCED_ACCOUNTS_KEY = 'claudeBatches.accounts';

/** The ids of the named accounts stored (whatever else is stored there is left out). */
export function storedAccountIds(storage: Pick<KeyValueStorage, 'get'>): Set<string> {
  const synced = storage.get<{ accounts?: unknown }>(SYNCED_ACCOUNTS_KEY);
  const list = typeof synced === 'object' && synced !== null && Array.isArray(synced.accounts) ? (synced.accounts as unknown[]) : [];
  return new Set(list.flatMap((a) => (typeof a === 'object' && a !== null && typeof (a as { id?: unknown }).id === 'string' ? [(a as { id: string }).id] : [])));
}

/**
 * Whether there are several accounts (named ones, and ANTHROPIC_API_KEY's): then the status bar
 * names the one in use from the start.
 */
export function hasSeveralAccounts(storage: Pick<KeyValueStorage, 'get'>, env: NodeJS.ProcessEnv): boolean {
  const synced = storage.get<{ accounts?: unknown }>(SYNCED_ACCOUNTS_KEY);
  const named = typeof synced === 'object' && synced !== null && Array.isArray(synced.accounts) ? synced.accounts.length : 0;
  return named + (env.ANTHROPIC_API_KEY?.trim() ? 1 : 0) >= 2;
}
