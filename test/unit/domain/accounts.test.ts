import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  accountSecretKey,
  activeAccount,
  addAccount,
  checkAccountName,
  checkBaseUrl,
  allAccounts,
  EMPTY_ACCOUNTS,
  ENVIRONMENT_ACCOUNT_ID,
  freeAccountName,
  keepAccountData,
  keyFingerprint,
  MAX_ACCOUNTS,
  MAX_KEPT_ACCOUNTS,
  orphanCandidates,
  parseKeptAccounts,
  takeKeptAccount,
  migrateAccounts,
  MIGRATED_ACCOUNT_ID,
  parseAccounts,
  removeAccount,
  renameAccount,
  serializeAccounts,
  setActive,
  type AccountsState,
} from '../../../src/domain/accounts';
import { accountDataPlaces, AccountScopedStorage, deleteAccountData } from '../../../src/domain/accountData';
import { mayHaveUnfinished } from '../../../src/domain/unfinishedBatches';
import { hasSeveralAccounts, storedAccountIds, SYNCED_ACCOUNTS_KEY } from '../../../src/domain/accountsAtStart';
import { SubmissionRegistry, type KeyValueStorage } from '../../../src/domain/submissionRegistry';

function ok<T>(checked: { ok: true; value: T } | { ok: false; problem: string }): T {
  if (!checked.ok) throw new Error(checked.problem);
  return checked.value;
}

function two(): AccountsState {
  const one = ok(addAccount(EMPTY_ACCOUNTS, 'a1', 'Work'));
  return ok(addAccount(one, 'a2', 'Personal', 'http://127.0.0.1:9'));
}

describe('accounts: names, the active one, removal', () => {
  it('an added account becomes active; its base URL is kept for it alone', () => {
    const state = two();
    assert.deepEqual(state.accounts.map((a) => a.name), ['Work', 'Personal']);
    assert.equal(activeAccount(state, false)?.id, 'a2');
    assert.equal(activeAccount(state, false)?.baseUrl, 'http://127.0.0.1:9');
    assert.equal(allAccounts(state, false)[0].baseUrl, '');
  });

  it('names are trimmed and must differ (case aside) from every other, ANTHROPIC_API_KEY included', () => {
    const state = two();
    assert.equal(ok(renameAccount(state, 'a1', '  Team   A ')).accounts[0].name, 'Team A');
    assert.match((addAccount(state, 'a3', 'work') as { problem: string }).problem, /already an account named "work"/);
    assert.match((addAccount(state, 'a3', 'anthropic_api_key') as { problem: string }).problem, /already/);
    assert.match((addAccount(state, 'a3', '   ') as { problem: string }).problem, /needs a name/);
    assert.match((addAccount(state, 'a3', 'x'.repeat(61)) as { problem: string }).problem, /at most 60/);
    assert.match((addAccount(state, 'a3', 'a\u0007b') as { problem: string }).problem, /control characters/);
    assert.match((addAccount(state, 'a3', 'Work\u202Egnp') as { problem: string }).problem, /direction of text/);
    assert.equal(addAccount(state, 'a3', 'Team 👩‍💻 ✓').ok, true, 'emoji joined by a zero-width joiner are fine');
    // Renaming an account to its own name (another case) is fine.
    assert.equal(ok(renameAccount(state, 'a1', 'WORK')).accounts[0].name, 'WORK');
    assert.equal(renameAccount(state, 'gone', 'X').ok, false);
  });

  it('ids are the caller\'s, checked, never reused, never the environment\'s', () => {
    const state = two();
    assert.equal(addAccount(state, 'a1', 'Other').ok, false);
    assert.equal(addAccount(state, ENVIRONMENT_ACCOUNT_ID, 'Other').ok, false);
    assert.equal(addAccount(state, 'a/b', 'Other').ok, false);
    let many = EMPTY_ACCOUNTS;
    for (let i = 0; i < MAX_ACCOUNTS; i++) many = ok(addAccount(many, `id${i}`, `N${i}`));
    assert.match((addAccount(many, 'more', 'More') as { problem: string }).problem, /remove one first/);
  });

  it('removing the active account makes the first remaining one active; the environment\'s comes last', () => {
    const state = removeAccount(two(), 'a2');
    assert.deepEqual(state.accounts.map((a) => a.id), ['a1']);
    assert.equal(state.activeId, 'a1');
    assert.deepEqual(state.baseUrls, {});
    const none = removeAccount(state, 'a1');
    assert.equal(activeAccount(none, false), undefined);
    assert.equal(activeAccount(none, true)?.id, ENVIRONMENT_ACCOUNT_ID);
    assert.equal(activeAccount(none, true)?.implicit, true);
  });

  it('ANTHROPIC_API_KEY is an account while it is set, can be made active, and is never stored', () => {
    const state = ok(setActive(two(), ENVIRONMENT_ACCOUNT_ID, true));
    assert.equal(activeAccount(state, true)?.name, 'ANTHROPIC_API_KEY');
    // Unset later: the first named account is used.
    assert.equal(activeAccount(state, false)?.id, 'a1');
    assert.equal(setActive(two(), ENVIRONMENT_ACCOUNT_ID, false).ok, false);
    assert.ok(!JSON.stringify(serializeAccounts(state)).includes('ANTHROPIC_API_KEY'));
  });

  it('what may roam (names) is apart from what stays on this machine (active, base URLs); no key anywhere', () => {
    const { synced, local } = serializeAccounts(two());
    assert.deepEqual(synced, { accounts: [{ id: 'a1', name: 'Work' }, { id: 'a2', name: 'Personal' }] });
    assert.deepEqual(local, { activeId: 'a2', baseUrls: { a2: 'http://127.0.0.1:9' } });
    assert.deepEqual(parseAccounts(synced, local), two());
  });

  it('reads whatever global state holds: malformed entries and duplicates are dropped', () => {
    const state = parseAccounts(
      { accounts: [{ id: 'a1', name: 'Work' }, { id: 'a1', name: 'Again' }, { id: 'a2', name: 'work' }, { id: 'bad id', name: 'X' }, { id: 'env', name: 'E' }, 'junk', { id: 'a3', name: 7 }, { id: 'a4', name: ' Ok ' }] },
      { activeId: 42, baseUrls: { a1: 'http://x', a4: 5, gone: 'http://y' } },
    );
    assert.deepEqual(state, { accounts: [{ id: 'a1', name: 'Work' }, { id: 'a4', name: 'Ok' }], baseUrls: { a1: 'http://x' } });
    assert.deepEqual(parseAccounts(undefined, null), EMPTY_ACCOUNTS);
    assert.deepEqual(parseAccounts([1, 2], 'x'), EMPTY_ACCOUNTS);
    // A stored base URL is checked as a typed one: anything else is the default server.
    const urls = parseAccounts({ accounts: [{ id: 'a1', name: 'A' }, { id: 'a2', name: 'B' }, { id: 'a3', name: 'C' }] }, { baseUrls: { a1: 'not a url', a2: 'https://u:p@x.test', a3: 'https://x.test/' } });
    assert.deepEqual(urls.baseUrls, { a3: 'https://x.test' });
  });

  it('checks a base URL: empty for the default, http(s) only, no credentials, no trailing slash', () => {
    assert.deepEqual(checkBaseUrl('  '), { ok: true, value: '' });
    assert.deepEqual(checkBaseUrl(' https://api.example.test/// '), { ok: true, value: 'https://api.example.test' });
    assert.match((checkBaseUrl('api.example.test') as { problem: string }).problem, /not a URL/);
    assert.match((checkBaseUrl('ftp://x.test') as { problem: string }).problem, /must start with https:\/\//);
    assert.match((checkBaseUrl('https://me:secret@x.test') as { problem: string }).problem, /user name or password/);
  });

  it('a new account gets a name no other has', () => {
    assert.equal(freeAccountName(EMPTY_ACCOUNTS), 'Account 1');
    const state = ok(addAccount(ok(addAccount(EMPTY_ACCOUNTS, 'a', 'Account 2')), 'b', 'Other'));
    assert.equal(freeAccountName(state), 'Account 3');
    // The first candidates taken: the name is still one nobody has.
    const taken = ok(addAccount(ok(addAccount(EMPTY_ACCOUNTS, 'a', 'Account 3')), 'b', 'Account 4'));
    assert.equal(freeAccountName(taken), 'Account 5');
    for (let n = 1; n <= 6; n++) {
      let crowded = EMPTY_ACCOUNTS;
      for (let i = 0; i < n; i++) crowded = ok(addAccount(crowded, `c${i}`, `Account ${n + 1 + i}`));
      assert.equal(checkAccountName(crowded, freeAccountName(crowded)).ok, true, `${n} accounts`);
    }
  });

  it('each account\'s key has its own secret entry, named by the account id', () => {
    assert.equal(accountSecretKey('a1'), 'claudeBatches.apiKey/a1');
    assert.notEqual(accountSecretKey('a1'), accountSecretKey('a2'));
  });
});

describe('accounts: the kept data of a removed account comes back with its key', () => {
  const KEY = 'sk-ant-api03-' + 'x'.repeat(80);

  it('a fingerprint is a digest: stable, different per key, whitespace around the key ignored, and not the key', () => {
    const fp = keyFingerprint(KEY);
    assert.match(fp, /^[0-9a-f]{32}$/);
    assert.equal(keyFingerprint(`  ${KEY}\n`), fp);
    assert.notEqual(keyFingerprint(KEY + 'y'), fp);
    assert.ok(!fp.includes(KEY.slice(0, 12)) && !KEY.includes(fp));
  });

  it('a removed account kept is taken again by an account added with the same key, once', () => {
    const state = two();
    const kept = keepAccountData({}, keyFingerprint(KEY), 'a1');
    const afterRemoval = removeAccount(state, 'a1');
    const found = takeKeptAccount(kept, keyFingerprint(KEY), afterRemoval);
    assert.equal(found.id, 'a1');
    assert.deepEqual(found.kept, {}, 'forgotten once taken');
    assert.equal(ok(addAccount(afterRemoval, found.id!, 'Work again')).accounts.at(-1)?.id, 'a1');
    assert.equal(takeKeptAccount(kept, keyFingerprint('another key'), afterRemoval).id, undefined);
  });

  it('is not taken while an account has that id (a name that came back by Settings Sync)', () => {
    const kept = keepAccountData({}, keyFingerprint(KEY), 'a1');
    assert.equal(takeKeptAccount(kept, keyFingerprint(KEY), two()).id, undefined);
  });

  it('one entry per account and per key; the oldest go past the bound', () => {
    let kept = keepAccountData({}, keyFingerprint(KEY), 'a1');
    kept = keepAccountData(kept, keyFingerprint(KEY), 'a2');
    assert.deepEqual(Object.values(kept), ['a2'], 'the key now names its latest account');
    kept = keepAccountData(kept, keyFingerprint('other'), 'a2');
    assert.deepEqual(Object.keys(kept), [keyFingerprint('other')], 'an account is kept under one key');
    for (let i = 0; i < MAX_KEPT_ACCOUNTS + 5; i++) kept = keepAccountData(kept, keyFingerprint(`k${i}`), `id${i}`);
    assert.equal(Object.keys(kept).length, MAX_KEPT_ACCOUNTS);
    assert.equal(Object.values(kept).at(-1), `id${MAX_KEPT_ACCOUNTS + 4}`);
    assert.ok(!Object.values(kept).includes('id0'));
  });

  it('the ids asked for a key at an add: the owner of the data of before and the folders found, less the accounts there are, checked and bounded', () => {
    const state = two();
    assert.deepEqual(orphanCandidates(state, 'default', ['a1', 'gone1', 'default', ENVIRONMENT_ACCOUNT_ID, '..', 'x'.repeat(41), '.hidden']), ['default', 'gone1']);
    assert.deepEqual(orphanCandidates(state, undefined, []), []);
    assert.equal(orphanCandidates(EMPTY_ACCOUNTS, undefined, Array.from({ length: 500 }, (_, i) => `f${i}`)).length, MAX_KEPT_ACCOUNTS);
  });

  it('what is stored is read whatever it holds: malformed entries dropped, bounded', () => {
    assert.deepEqual(parseKeptAccounts(undefined), {});
    assert.deepEqual(parseKeptAccounts(['x']), {});
    const fp = keyFingerprint(KEY);
    assert.deepEqual(parseKeptAccounts({ [fp]: 'a1', short: 'a2', [keyFingerprint('e')]: ENVIRONMENT_ACCOUNT_ID, [keyFingerprint('n')]: 7, [keyFingerprint('p')]: '../x' }), { [fp]: 'a1' });
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [keyFingerprint(`k${i}`), `id${i}`]));
    assert.equal(Object.keys(parseKeptAccounts(many)).length, MAX_KEPT_ACCOUNTS);
  });
});

describe('accounts: migration from the single stored key', () => {
  it('the stored key becomes the active account "Default", which owns the local data of before', () => {
    const { state, dataOwner } = migrateAccounts(true, true);
    assert.deepEqual(state.accounts, [{ id: MIGRATED_ACCOUNT_ID, name: 'Default' }]);
    assert.equal(activeAccount(state, true)?.id, MIGRATED_ACCOUNT_ID);
    assert.equal(dataOwner, MIGRATED_ACCOUNT_ID);
  });

  it('without a stored key, the data of before was the environment key\'s, or nobody\'s yet', () => {
    assert.deepEqual(migrateAccounts(false, true), { state: EMPTY_ACCOUNTS, dataOwner: ENVIRONMENT_ACCOUNT_ID });
    assert.deepEqual(migrateAccounts(false, false), { state: EMPTY_ACCOUNTS, dataOwner: undefined });
  });
});

class MemoryStorage implements KeyValueStorage {
  data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    // As VS Code's global state: undefined removes the key.
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
  }
}

describe('accounts: each account\'s local data apart', () => {
  const root = path.join('/tmp', 'storage');

  it('the owner of the data of before keeps it where it was; other accounts have their own keys and folders', () => {
    const owner = accountDataPlaces(root, 'default', 'default');
    const other = accountDataPlaces(root, 'a1', 'default');
    assert.equal(owner.key('claudeBatches.submissions'), 'claudeBatches.submissions');
    assert.equal(owner.dir, root);
    assert.equal(other.key('claudeBatches.submissions'), 'claudeBatches.submissions@a1');
    assert.equal(other.dir, path.join(root, 'accounts', 'a1'));
  });

  it('deleting an account\'s data removes its own global-state entries and folders, and nothing of another account', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-account-data-'));
    const storage = new MemoryStorage();
    const keys = ['claudeBatches.submissions', 'claudeBatches.unfinished', 'claudeBatches.announcedEnds'];
    for (const key of keys) for (const k of [key, `${key}@a1`, `${key}@a2`]) storage.data.set(k, { kept: k });
    const a1 = accountDataPlaces(dir, 'a1', 'default');
    const owner = accountDataPlaces(dir, 'default', 'default');
    for (const places of [a1, owner, accountDataPlaces(dir, 'a2', 'default')]) for (const folder of ['results', 'announced']) fs.mkdirSync(path.join(places.dir, folder), { recursive: true });
    await deleteAccountData(storage, a1);
    assert.deepEqual(keys.filter((key) => storage.data.has(`${key}@a1`)), [], 'the entries of a1 are left');
    assert.deepEqual([...storage.data.keys()].filter((k) => !k.endsWith('@a1')).length, keys.length * 2, 'another account\'s entries went too');
    assert.ok(!fs.existsSync(a1.dir));
    assert.ok(fs.existsSync(path.join(dir, 'accounts', 'a2', 'results')));
    await deleteAccountData(storage, owner);
    assert.deepEqual(keys.filter((key) => storage.data.has(key)), [], 'the entries of the data of before are left');
    assert.ok(fs.existsSync(dir) && !fs.existsSync(path.join(dir, 'results')) && fs.existsSync(path.join(dir, 'accounts', 'a2')), 'global storage itself, or another account\'s folder, went');
  });

  it('a start looks for batches to watch in every account\'s memory', () => {
    const storage = new MemoryStorage();
    const withKeys = Object.assign(storage, { keys: () => [...storage.data.keys()] });
    assert.equal(mayHaveUnfinished(withKeys), true, 'nothing remembered yet: the first start works it out');
    storage.data.set('claudeBatches.unfinished', {});
    storage.data.set('claudeBatches.unfinishedX', { b0: 1 });
    assert.equal(mayHaveUnfinished(withKeys), false);
    storage.data.set('claudeBatches.unfinished@a1', { b1: 1 });
    assert.equal(mayHaveUnfinished(withKeys), true, 'an account not in use has a batch in flight');
    storage.data.set(SYNCED_ACCOUNTS_KEY, { accounts: [{ id: 'a2', name: 'Other' }, 'junk', { id: 7 }] });
    assert.deepEqual([...storedAccountIds(storage)], ['a2']);
    assert.equal(mayHaveUnfinished(withKeys, storedAccountIds(storage)), false, 'a removed account\'s memory loads the features at every start');
    storage.data.set('claudeBatches.unfinished@a2', { b2: 1 });
    assert.equal(mayHaveUnfinished(withKeys, storedAccountIds(storage)), true);
  });

  it('one registry follows the active account: a record made under one is not seen under the other', async () => {
    const storage = new MemoryStorage();
    let active = 'default';
    const registry = new SubmissionRegistry(new AccountScopedStorage(storage, () => accountDataPlaces(root, active, 'default')));
    const record = { batchId: 'msgbatch_1', label: 'work.jsonl', contentHash: 'h', requestCount: 1, byteSize: 1, submittedAt: '2026-01-01T00:00:00Z', models: [] };
    await registry.record(record);
    active = 'a1';
    assert.equal(registry.get('msgbatch_1'), undefined);
    assert.deepEqual(registry.list(), []);
    await registry.record({ ...record, batchId: 'msgbatch_2', label: 'personal.jsonl' });
    active = 'default';
    assert.deepEqual(registry.list().map((r) => r.label), ['work.jsonl']);
    assert.deepEqual([...storage.data.keys()].sort(), ['claudeBatches.submissions', 'claudeBatches.submissions@a1']);
  });
});

describe('accounts at start (read by activation)', () => {
  const storage = (value: unknown) => ({ get: <T>(key: string) => (key === SYNCED_ACCOUNTS_KEY ? (value as T) : undefined) });
  const named = (n: number) => ({ accounts: Array.from({ length: n }, (_, i) => ({ id: `a${i}`, name: `Account ${i}` })) });

  it('several: two named accounts, or one and ANTHROPIC_API_KEY', () => {
    assert.equal(hasSeveralAccounts(storage(named(2)), {}), true);
    assert.equal(hasSeveralAccounts(storage(named(1)), { ANTHROPIC_API_KEY: 'sk-ant-x' }), true);
  });

  it('not several: one account, none, a blank ANTHROPIC_API_KEY, or a stored value of another shape', () => {
    assert.equal(hasSeveralAccounts(storage(named(1)), {}), false);
    assert.equal(hasSeveralAccounts(storage(undefined), { ANTHROPIC_API_KEY: 'sk-ant-x' }), false);
    assert.equal(hasSeveralAccounts(storage(named(1)), { ANTHROPIC_API_KEY: '  ' }), false);
    for (const odd of [null, 'x', 7, { accounts: 'two' }, [1, 2]]) assert.equal(hasSeveralAccounts(storage(odd), {}), false, JSON.stringify(odd));
  });

  it('reads the key the accounts are saved under', () => {
    const memory = new Map<string, unknown>();
    const state = { get: <T>(key: string) => memory.get(key) as T, update: async (key: string, value: unknown) => void memory.set(key, value) };
    const { synced } = serializeAccounts({ accounts: [{ id: 'a1', name: 'Work' }, { id: 'a2', name: 'Personal' }], activeId: 'a1', baseUrls: {} });
    void state.update(SYNCED_ACCOUNTS_KEY, synced);
    assert.equal(hasSeveralAccounts(state, {}), true);
  });
});
