import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AccountScopedStorage } from '../../src/domain/accountData';
import { SubmissionRegistry, type SubmissionRecord } from '../../src/domain/submissionRegistry';
import { AccountStore, SYNCED_ACCOUNTS_KEY } from '../../src/vscode/account/accountStore';
import type { ScriptedUi } from './scriptedUi';
import { extensionApi, logFiles, scriptUi, useEmulator, writeBatchFile, type TestEmulator } from './helpers';

const WORK_KEY = 'sk-ant-emulator-work-account-1111';
const PERSONAL_KEY = 'sk-ant-emulator-personal-account-2222';

async function until(condition: () => boolean, what: () => string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Global state as VS Code keeps it, in memory. */
class MemoryMemento implements vscode.Memento {
  readonly data = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.data.has(key) ? (this.data.get(key) as T) : fallback;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

/** SecretStorage as VS Code keeps it, in memory, with its change event. */
class MemorySecrets {
  readonly data = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;
  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    this.changed.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
    this.changed.fire({ key });
  }
}

const record = (batchId: string, label: string): SubmissionRecord => ({ batchId, label, contentHash: 'h', requestCount: 1, byteSize: 1, submittedAt: '2026-11-01T00:00:00Z', models: [] });

describe('accounts: migration from the single stored key', () => {
  const root = path.join(os.tmpdir(), `claude-batches-accounts-${process.pid}`);
  const make = (memento: MemoryMemento, secrets: MemorySecrets, env: NodeJS.ProcessEnv = {}) => new AccountStore(memento, secrets as unknown as vscode.SecretStorage, root, env);

  it('the key stored before becomes the account "Default", in use, keeping the local data of before, with no action from the user', async () => {
    const memento = new MemoryMemento();
    const secrets = new MemorySecrets();
    await secrets.store('claudeBatches.apiKey', WORK_KEY);
    await memento.update('claudeBatches.submissions', { msgbatch_old: record('msgbatch_old', 'old.jsonl') });
    const accounts = make(memento, secrets, { ANTHROPIC_API_KEY: PERSONAL_KEY });
    await accounts.ready();
    assert.deepEqual(accounts.list().map((a) => [a.id, a.name, a.implicit]), [['default', 'Default', false], ['env', 'ANTHROPIC_API_KEY', true]]);
    assert.equal(accounts.active()?.id, 'default');
    const resolved = await accounts.resolve();
    assert.equal(resolved.key, WORK_KEY);
    assert.equal(resolved.source, 'secretStorage');
    assert.equal(await secrets.get('claudeBatches.apiKey'), undefined, 'the key of before is left behind');
    assert.equal(await secrets.get('claudeBatches.apiKey/default'), WORK_KEY);
    const registry = new SubmissionRegistry(new AccountScopedStorage(memento, () => accounts.activePlaces()));
    assert.equal(registry.get('msgbatch_old')?.label, 'old.jsonl');
    assert.equal(accounts.activePlaces().dir, root, 'the results copies of before stay where they are');

    // A second start, or a second window, finds it done.
    const again = make(memento, secrets, { ANTHROPIC_API_KEY: PERSONAL_KEY });
    await again.ready();
    assert.deepEqual(again.list().map((a) => a.id), ['default', 'env']);
    assert.equal((await again.resolve()).key, WORK_KEY);

    // Another account has its data apart.
    const added = await accounts.add('Personal', PERSONAL_KEY);
    assert.ok(added.ok);
    assert.equal(registry.get('msgbatch_old'), undefined);
    assert.equal(accounts.activePlaces().dir, path.join(root, 'accounts', added.value.id));
    assert.notEqual(added.value.id, 'default');
    assert.ok(!JSON.stringify([...memento.data]).includes(PERSONAL_KEY) && !JSON.stringify([...memento.data]).includes(WORK_KEY), 'a key is in global state');
  });

  it('without a stored key, ANTHROPIC_API_KEY is the account in use and keeps the data of before', async () => {
    const memento = new MemoryMemento();
    const accounts = make(memento, new MemorySecrets(), { ANTHROPIC_API_KEY: PERSONAL_KEY });
    await accounts.ready();
    assert.deepEqual(accounts.list().map((a) => a.id), ['env']);
    assert.equal((await accounts.resolve()).source, 'environment');
    assert.equal(accounts.activePlaces().dir, root);
    const added = await accounts.add('Work', WORK_KEY);
    assert.ok(added.ok);
    assert.equal(accounts.activePlaces().dir, path.join(root, 'accounts', added.value.id));
    await accounts.use('env');
    assert.equal(accounts.activePlaces().dir, root);
  });

  it('with no key at all, the first account added takes the data of before', async () => {
    const memento = new MemoryMemento();
    await memento.update('claudeBatches.submissions', { msgbatch_old: record('msgbatch_old', 'old.jsonl') });
    const accounts = make(memento, new MemorySecrets());
    await accounts.ready();
    assert.deepEqual(accounts.list(), []);
    assert.equal((await accounts.resolve()).key, undefined);
    await accounts.add('Work', WORK_KEY);
    const registry = new SubmissionRegistry(new AccountScopedStorage(memento, () => accounts.activePlaces()));
    assert.equal(registry.get('msgbatch_old')?.label, 'old.jsonl');
  });

  it('with ANTHROPIC_API_KEY and names that came by Settings Sync (no key of theirs here), ANTHROPIC_API_KEY stays in use, with the data of before', async () => {
    const memento = new MemoryMemento();
    await memento.update('claudeBatches.accounts', { accounts: [{ id: 'default', name: 'Default' }] });
    const accounts = make(memento, new MemorySecrets(), { ANTHROPIC_API_KEY: PERSONAL_KEY });
    await accounts.ready();
    assert.equal(accounts.active()?.id, 'env');
    assert.equal((await accounts.resolve()).key, PERSONAL_KEY);
    assert.equal(accounts.activePlaces().dir, root);
  });

  it('names that came by Settings Sync stay; the migrated account joins them once; no key roams', async () => {
    const memento = new MemoryMemento();
    await memento.update('claudeBatches.accounts', { accounts: [{ id: 'default', name: 'Default' }, { id: 'laptop1', name: 'Laptop' }] });
    const secrets = new MemorySecrets();
    await secrets.store('claudeBatches.apiKey', WORK_KEY);
    const accounts = make(memento, secrets);
    await accounts.ready();
    assert.deepEqual(accounts.list().map((a) => a.name), ['Default', 'Laptop']);
    assert.equal((await accounts.resolve()).key, WORK_KEY);
    // The other machine's account has no key here: said so, never another account's key used.
    await accounts.use('laptop1');
    const laptop = await accounts.resolve();
    assert.equal(laptop.key, undefined);
    assert.match(laptop.problem!, /The account "Laptop" has no API key on this machine/);
    assert.deepEqual(memento.get('claudeBatches.accounts'), { accounts: [{ id: 'default', name: 'Default' }, { id: 'laptop1', name: 'Laptop' }] });
  });
});

describe('accounts: two accounts in the running extension', () => {
  let emulator: TestEmulator;
  let ui: ScriptedUi;
  let restore: () => void;

  beforeEach(async () => {
    emulator = await useEmulator({ apiKey: WORK_KEY, otherApiKeys: [PERSONAL_KEY], timing: 'manual' });
    ({ ui, restore } = await scriptUi());
  });
  afterEach(async () => {
    restore();
    const { keys, store } = await extensionApi();
    for (const account of keys.list()) if (!account.implicit) await keys.remove(account.id);
    store.reset();
    await emulator.stop();
  });

  async function addAccount(name: string, key: string, baseUrl = ''): Promise<{ id: string; name: string }> {
    ui.answer('input', /A name for the account/, name);
    ui.answer('input', /The server of this account/, baseUrl);
    ui.answer('input', /Paste your Anthropic API key/, key);
    const added = await vscode.commands.executeCommand<{ id: string; name: string } | undefined>('claudeBatches.addAccount');
    ui.verify();
    assert.ok(added, `the account ${name} was not added: ${JSON.stringify(ui.shown)}`);
    return added;
  }

  async function submit(count: number): Promise<string> {
    ui.answer('confirm', new RegExp(`^Submit ${count} request`), 'Submit');
    const batch = await vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', writeBatchFile(count));
    ui.verify();
    assert.ok(batch, `nothing submitted: ${JSON.stringify(ui.shown)}`);
    return batch.id;
  }

  async function listed(): Promise<string[]> {
    const { store } = await extensionApi();
    await store.refresh();
    return store.batches.map((b) => b.id);
  }

  it('each account shows only its own batches and its own local records; the view and the status bar name the one in use', async () => {
    const { keys, registry, results, view, accountItem } = await extensionApi();
    const work = await addAccount('Work', WORK_KEY);
    const workBatch = await submit(2);
    assert.equal(view.description, 'Work');
    assert.match(String(accountItem.text), /Work/);
    const workDir = results.dir;

    const personal = await addAccount('Personal', PERSONAL_KEY, emulator.url);
    assert.equal(keys.active()?.id, personal.id);
    assert.equal(view.description, 'Personal');
    assert.equal(view.title, 'Batches (Personal)', 'the title names the account (alone in its container, the view shows no description)');
    assert.match(String(accountItem.tooltip), /Personal/);
    assert.deepEqual(await listed(), [], 'the Work batch shows under Personal');
    assert.equal(registry.get(workBatch), undefined, 'Work\'s record shows under Personal');
    assert.notEqual(results.dir, workDir);
    const personalBatch = await submit(1);
    assert.deepEqual(await listed(), [personalBatch]);
    assert.deepEqual(emulator.batchIds(PERSONAL_KEY), [personalBatch]);
    assert.deepEqual(emulator.batchIds(WORK_KEY), [workBatch]);

    const switched = await vscode.commands.executeCommand<{ name: string }>('claudeBatches.switchAccount', work.id);
    assert.equal(switched?.name, 'Work');
    assert.equal(view.description, 'Work');
    assert.deepEqual(await listed(), [workBatch]);
    assert.ok(registry.get(workBatch));
    assert.equal(registry.get(personalBatch), undefined);
    assert.equal(results.dir, workDir);

    // From the pick, as the status bar's click and the palette offer it.
    ui.answer('pick', /Which account should Claude Batches use/, 'Personal');
    await vscode.commands.executeCommand('claudeBatches.switchAccount');
    ui.verify();
    assert.equal(keys.active()?.name, 'Personal');
    assert.deepEqual(await listed(), [personalBatch]);

    ui.answer('pick', /Which account do you want to rename/, 'Personal');
    ui.answer('input', /The new name of the account "Personal"/, 'Home');
    await vscode.commands.executeCommand('claudeBatches.renameAccount');
    ui.verify();
    assert.equal(view.description, 'Home');
    assert.deepEqual(await listed(), [personalBatch], 'a new name is the same account');
  });

  it('a batch running in the account not in use is still watched, and its end is announced naming the account', async () => {
    const { keys, store, accountWatches, endNotifications } = await extensionApi();
    const work = await addAccount('Work', WORK_KEY);
    const workBatch = await submit(2);
    await addAccount('Personal', PERSONAL_KEY);
    await until(() => !!accountWatches.watchOf(work.id), () => 'a watch of Work');
    const watch = accountWatches.watchOf(work.id)!;
    await watch.startup.ready;
    assert.deepEqual(watch.store.inFlight().map((b) => b.id), [workBatch]);
    assert.equal(store.get(workBatch), undefined, 'the view\'s store has the Work batch under Personal');

    emulator.finish(workBatch);
    await vscode.commands.executeCommand('claudeBatches.refresh');
    await watch.store.refresh();
    await watch.endNotifications.settled();
    await until(() => ui.messages('info').some((m) => /ended in the account "Work": 2 succeeded/.test(m)), () => `the end of the Work batch announced (shown: ${JSON.stringify(ui.messages())})`);
    await endNotifications.settled();
    assert.equal(keys.active()?.name, 'Personal', 'the announcement switched the account by itself');
    assert.equal(ui.messages('info').filter((m) => /ended/.test(m)).length, 1);
  });

  it('a batch in flight older than the first page is watched again when its account is put back in use, and its end announced', async () => {
    const { keys, store, accountWatches, endNotifications } = await extensionApi();
    await vscode.workspace.getConfiguration('claudeBatches').update('pageSize', 1, vscode.ConfigurationTarget.Global);
    try {
      const work = await addAccount('Work', WORK_KEY);
      const workBatch = await submit(2);
      // Newer batches push it off the first page.
      for (const id of ['n1', 'n2']) emulator.finish(emulator.createBatch([{ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: id }] } }], { apiKey: WORK_KEY }).id);
      await addAccount('Personal', PERSONAL_KEY);
      await until(() => !!accountWatches.watchOf(work.id), () => 'a watch of Work');
      await accountWatches.watchOf(work.id)!.startup.ready;

      await vscode.commands.executeCommand('claudeBatches.switchAccount', work.id);
      assert.equal(accountWatches.watchOf(work.id), undefined, 'Work, in use, still has a watch of its own');
      await until(() => !!store.get(workBatch), () => `the Work batch in flight, off the first page, is not in the store (${store.batches.map((b) => b.id).join(', ')})`);
      assert.equal(store.batches.length, 2, 'the first page and the batch looked up');
      assert.equal(store.inFlight()[0]?.id, workBatch);

      emulator.finish(workBatch);
      await vscode.commands.executeCommand('claudeBatches.refresh');
      await until(() => store.get(workBatch)?.processing_status === 'ended', () => 'the Work batch seen ended');
      await endNotifications.settled();
      assert.equal(ui.messages('info').filter((m) => /ended in the account "Work": 2 succeeded/.test(m)).length, 1, `shown: ${JSON.stringify(ui.messages())}`);
      assert.equal(keys.active()?.id, work.id);
    } finally {
      await vscode.workspace.getConfiguration('claudeBatches').update('pageSize', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a submission under way when another account is put in use is filed under the account it was sent with', async () => {
    const { keys, registry, store } = await extensionApi();
    const work = await addAccount('Work', WORK_KEY);
    const personal = await addAccount('Personal', PERSONAL_KEY);
    await vscode.commands.executeCommand('claudeBatches.switchAccount', work.id);
    // The create answers late: meanwhile the user puts Personal in use.
    emulator.faults.add({ route: 'create', delayMs: 1500 });
    ui.answer('confirm', /^Submit 1 request/, 'Submit');
    const submitting = vscode.commands.executeCommand<{ id: string }>('claudeBatches.submitFile', writeBatchFile(1));
    await until(() => emulator.requests.some((r) => r.route === 'create'), () => 'the create request');
    await vscode.commands.executeCommand('claudeBatches.switchAccount', personal.id);
    const batch = await submitting;
    ui.verify();
    assert.ok(batch);
    assert.deepEqual(emulator.batchIds(WORK_KEY), [batch.id]);
    assert.equal(registry.get(batch.id), undefined, 'the Work batch is filed under Personal');
    assert.equal(store.get(batch.id), undefined, 'the Work batch shows under Personal');
    assert.equal(keys.active()?.id, personal.id);
    const { accountWatches } = await extensionApi();
    assert.ok(accountWatches.watchOf(work.id), 'the Work batch, in flight, is not watched');
    await vscode.commands.executeCommand('claudeBatches.switchAccount', work.id);
    assert.ok(registry.get(batch.id), 'the Work batch is not filed under Work');
  });

  it('removing an account asks first, then keeps or deletes its local data as chosen', async () => {
    const { keys, registry, results } = await extensionApi();
    const work = await addAccount('Work', WORK_KEY);
    const workBatch = await submit(1);
    const workDir = results.dir;
    fs.mkdirSync(workDir, { recursive: true });
    fs.writeFileSync(path.join(workDir, 'local-copy-stand-in.jsonl'), '{}\n');
    const personal = await addAccount('Personal', PERSONAL_KEY);
    await submit(1);
    const personalDir = results.dir;
    fs.mkdirSync(personalDir, { recursive: true });
    fs.writeFileSync(path.join(personalDir, 'local-copy-stand-in.jsonl'), '{}\n');

    // Backing out of the confirmation removes nothing.
    ui.answer('pick', /Which account do you want to remove/, 'Work');
    ui.answer('confirm', /^Remove the account "Work"\?/, undefined);
    await vscode.commands.executeCommand('claudeBatches.removeAccount');
    ui.verify();
    assert.ok(keys.get(work.id));

    ui.answer('pick', /Which account do you want to remove/, 'Work');
    ui.answer('confirm', /^Remove the account "Work"\?/, 'Remove, Keep Local Results');
    assert.equal(await vscode.commands.executeCommand('claudeBatches.removeAccount'), true);
    ui.verify();
    assert.equal(keys.get(work.id), undefined);
    assert.equal((await keys.resolveFor({ ...keys.active()!, id: work.id, implicit: false, name: 'Work' })).key, undefined, 'the Work key is still stored');
    assert.ok(fs.existsSync(path.join(workDir, 'local-copy-stand-in.jsonl')), 'the kept results are gone');
    assert.equal(keys.active()?.id, personal.id);
    const { globalState } = await extensionApi();
    assert.ok(globalState.get<Record<string, unknown>>(`claudeBatches.submissions@${work.id}`)?.[workBatch], 'the kept record is gone');

    ui.answer('pick', /Which account do you want to remove/, 'Personal');
    ui.answer('confirm', /^Remove the account "Personal"\?/, 'Remove, Delete Local Results');
    await vscode.commands.executeCommand('claudeBatches.removeAccount');
    ui.verify();
    assert.ok(!fs.existsSync(personalDir), 'the deleted results are still there');
    assert.equal(keys.active()?.implicit, true, 'ANTHROPIC_API_KEY is what is left');
    // Its memories in global state are gone too, and nothing written after the removal brings one back.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const left = ['claudeBatches.submissions', 'claudeBatches.unfinished', 'claudeBatches.announcedEnds'].filter((key) => globalState.get(`${key}@${personal.id}`) !== undefined);
    assert.deepEqual(left, [], 'memories of Personal are left in global state');
    assert.equal(registry.get(workBatch), undefined);

    // The same key added again gets the kept data back; a key whose data was deleted starts afresh.
    const again = await addAccount('Work again', WORK_KEY);
    assert.equal(again.id, work.id);
    assert.match(ui.messages('info').at(-1)!, /account "Work again" added and in use\. The local results and records kept when this key was removed are back/);
    assert.ok(registry.get(workBatch), 'the kept record is not back');
    assert.equal(results.dir, workDir);
    assert.ok(fs.existsSync(path.join(workDir, 'local-copy-stand-in.jsonl')));
    const personalAgain = await addAccount('Personal again', PERSONAL_KEY);
    assert.notEqual(personalAgain.id, personal.id);
    assert.doesNotMatch(ui.messages('info').at(-1)!, /are back/);
    assert.equal(registry.get(workBatch), undefined);
  });

  it('an account removed on another machine (its name gone by Settings Sync) gets its local data back when its key is added here again', async () => {
    const { keys, registry, results, globalState } = await extensionApi();
    const work = await addAccount('Work', WORK_KEY);
    const workBatch = await submit(1);
    fs.mkdirSync(results.dir, { recursive: true });
    await addAccount('Personal', PERSONAL_KEY);
    // What Settings Sync brings when another machine removed Work: the names without it.
    const synced = globalState.get<{ accounts: { id: string; name: string }[] }>(SYNCED_ACCOUNTS_KEY)!;
    await globalState.update(SYNCED_ACCOUNTS_KEY, { accounts: synced.accounts.filter((a) => a.id !== work.id) });
    assert.equal(keys.get(work.id), undefined);
    const again = await addAccount('Work', WORK_KEY);
    assert.equal(again.id, work.id, 'the key of this machine did not find its data');
    assert.ok(registry.get(workBatch));
    assert.match(ui.messages('info').at(-1)!, /are back/);
  });

  it('Clear API Key, then Set API Key with the same key: the local records of before are there again', async () => {
    const { keys, registry } = await extensionApi();
    const work = await addAccount('Work', WORK_KEY);
    const workBatch = await submit(1);
    await vscode.commands.executeCommand('claudeBatches.clearApiKey');
    assert.equal(keys.get(work.id), undefined);
    assert.equal(registry.get(workBatch), undefined);
    ui.answer('input', /Paste your Anthropic API key/, WORK_KEY);
    assert.equal(await vscode.commands.executeCommand('claudeBatches.setApiKey'), true);
    ui.verify();
    assert.equal(keys.active()?.id, work.id);
    assert.ok(registry.get(workBatch), 'the record of the batch submitted before is lost');
    assert.match(ui.messages('info').at(-1)!, /The local results and records this key had before are back/);
  });

  it('neither key appears in any log, state file or message', async () => {
    const { keys, logUri, globalState } = await extensionApi();
    await addAccount('Work', WORK_KEY);
    await submit(1);
    await addAccount('Personal', PERSONAL_KEY, emulator.url);
    await submit(1);
    ui.answer('input', /A name for the account/, 'Wrong');
    ui.answer('input', /The server of this account/, '');
    ui.answer('input', /Paste your Anthropic API key/, `${WORK_KEY}-wrong`);
    await vscode.commands.executeCommand('claudeBatches.addAccount');
    ui.verify();
    ui.answer('pick', /Which account do you want to remove/, 'Work');
    ui.answer('confirm', /^Remove the account "Work"\?/, 'Remove, Delete Local Results');
    await vscode.commands.executeCommand('claudeBatches.removeAccount');
    ui.verify();

    const storageRoot = path.dirname(path.dirname(keys.places('x').dir));
    // Every file of this VS Code's user data: logs, global storage (the results copies), state.
    const userData = path.resolve(path.dirname(logUri), '..', '..', '..');
    assert.ok(storageRoot.startsWith(userData), `${storageRoot} is outside ${userData}`);
    const files = logFiles(userData).filter((f) => fs.statSync(f).size < 64 * 1024 * 1024);
    assert.ok(files.some((f) => f.includes('claude-batches') || /Claude Batches/.test(path.basename(f))), `no log file of ours among ${files.length}`);
    for (const file of files) {
      const text = fs.readFileSync(file, 'latin1');
      for (const key of [WORK_KEY, PERSONAL_KEY]) assert.ok(!text.includes(key), `a key appears in ${file}`);
    }
    // Global state, as the extension reads it (the workbench may keep it outside this folder).
    const state = JSON.stringify(globalState.keys().map((k) => [k, globalState.get(k)]));
    assert.match(state, /claudeBatches\.accounts/);
    for (const key of [WORK_KEY, PERSONAL_KEY]) assert.ok(!state.includes(key), 'a key is in global state');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('claudeBatches'));
    for (const key of [WORK_KEY, PERSONAL_KEY]) {
      assert.ok(!settings.includes(key), 'a key is in the settings');
      for (const shown of ui.shown) assert.ok(!`${shown.message} ${shown.detail ?? ''} ${(shown.actions ?? []).join(' ')}`.includes(key), `a key is shown: ${shown.message}`);
    }
  });
});
