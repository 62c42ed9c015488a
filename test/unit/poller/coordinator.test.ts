import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchesApi, createClient, type MessageBatch } from '../../../src/api';
import { BatchStore } from '../../../src/domain/batchStore';
import { Poller } from '../../../src/domain/poller';
import { FilePollCoordinator, MAX_LEASE_MS, pollScope } from '../../../src/domain/pollCoordinator';
import { startEmulator, type Emulator } from '../../emulator';
import { FakeTimers } from './fakeTimers';
import { request } from './world';

const MINUTE = 60_000;

describe('FilePollCoordinator', () => {
  let dir: string;
  let timers: FakeTimers;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poll-coord-'));
    timers = new FakeTimers();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const until = (ms: number) => timers.now() + ms;

  it('gives the lease to one window until it lapses', () => {
    const a = new FilePollCoordinator(dir, 'a', timers);
    const b = new FilePollCoordinator(dir, 'b', timers);
    assert.equal(a.acquire({ until: until(MINUTE), focused: true }).leader, true);
    assert.equal(b.acquire({ until: until(MINUTE), focused: true }).leader, false);
    assert.equal(a.acquire({ until: until(MINUTE), focused: true }).leader, true, 'renewed by its holder');
    timers.advance(MINUTE);
    assert.equal(b.acquire({ until: until(MINUTE), focused: true }).leader, true, 'a closed window’s lease lapses');
    assert.equal(a.acquire({ until: until(MINUTE), focused: true }).leader, false);
  });

  it('a focused window takes the lease from an unfocused one; force takes it from anyone; release gives it up', () => {
    const a = new FilePollCoordinator(dir, 'a', timers);
    const b = new FilePollCoordinator(dir, 'b', timers);
    assert.equal(a.acquire({ until: until(MINUTE), focused: false }).leader, true);
    assert.equal(b.acquire({ until: until(MINUTE), focused: false }).leader, false);
    assert.equal(b.acquire({ until: until(MINUTE), focused: true }).leader, true);
    assert.equal(a.acquire({ until: until(MINUTE), focused: true, force: true }).leader, true);
    b.release(); // not the holder: nothing happens
    assert.equal(b.acquire({ until: until(MINUTE), focused: false }).leader, false);
    a.release();
    assert.equal(b.acquire({ until: until(MINUTE), focused: false }).leader, true);
  });

  it('shares retry-after with every window', () => {
    const a = new FilePollCoordinator(dir, 'a', timers);
    const b = new FilePollCoordinator(dir, 'b', timers);
    a.acquire({ until: until(MINUTE), focused: true, notBefore: until(2 * MINUTE) });
    timers.advance(MINUTE + 1);
    const grant = b.acquire({ until: until(MINUTE), focused: true });
    assert.equal(grant.leader, true);
    assert.equal(grant.notBefore, timers.now() + MINUTE - 1);
  });

  it('writes no lease another window would have to reject: notBefore at most an hour ahead, until at most MAX_LEASE_MS', () => {
    const a = new FilePollCoordinator(dir, 'a', timers);
    const grant = a.acquire({ until: until(1e15), focused: true, notBefore: until(1e15) });
    const lease = JSON.parse(fs.readFileSync(path.join(dir, 'poll-lease.json'), 'utf8'));
    assert.equal(lease.notBefore, until(60 * MINUTE));
    assert.equal(grant.notBefore, until(60 * MINUTE));
    assert.equal(lease.until, until(MAX_LEASE_MS));
    a.acquire({ until: NaN, focused: true, notBefore: NaN });
    const next = JSON.parse(fs.readFileSync(path.join(dir, 'poll-lease.json'), 'utf8'));
    assert.ok(Number.isFinite(next.until) && Number.isFinite(next.notBefore), JSON.stringify(next));
  });

  it('ignores a lease it cannot trust, says so once, and takes it over', () => {
    const file = path.join(dir, 'poll-lease.json');
    const lines: string[] = [];
    const a = new FilePollCoordinator(dir, 'a', timers, (l) => lines.push(l));
    fs.writeFileSync(file, JSON.stringify({ version: 1, holder: 'b', until: until(MINUTE), focused: true, notBefore: until(20 * 24 * 60 * MINUTE) }));
    assert.deepEqual(a.readSince(0), { batches: [], removed: [] });
    a.release(); // reads the lease: not ours
    const grant = a.acquire({ until: until(MINUTE), focused: false });
    assert.deepEqual(grant, { leader: true, notBefore: 0 }, 'the bad notBefore is not passed on');
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).holder, 'a');
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.match(lines[0], /ignoring the lease .*notBefore is 20 days ahead, more than the 60 min a server may make us wait/);
  });

  it('shares results newer than what a window has seen, and forgets old ones', () => {
    const a = new FilePollCoordinator(dir, 'a', timers);
    const b = new FilePollCoordinator(dir, 'b', timers);
    const t = timers.now();
    const running = fakeBatch('msgbatch_1', 'in_progress');
    const endedLongAgo = fakeBatch('msgbatch_old', 'ended', new Date(t - 3 * 24 * 3600_000).toISOString());
    const endedJustNow = fakeBatch('msgbatch_new', 'ended', new Date(t - MINUTE).toISOString());
    a.publish({ at: t, batches: [running, endedLongAgo, endedJustNow] });
    a.publish({ at: t + 1000, batches: [], removed: ['msgbatch_2'] });
    assert.deepEqual(b.readSince(0).batches.map((e) => e.batch.id), ['msgbatch_1', 'msgbatch_new'], 'long-ended batches are not shared');
    assert.deepEqual(b.readSince(0).removed, [{ batchId: 'msgbatch_2', seenAt: t + 1000 }]);
    assert.deepEqual(b.readSince(t).batches, []);
    a.publish({ at: t + 25 * 3600_000, batches: [] });
    assert.deepEqual(b.readSince(0), { batches: [], removed: [] });
  });

  it('distrusts shared results entry by entry: a far-future, malformed or mislabelled entry is dropped, the rest still shared', () => {
    const t = timers.now();
    const good = fakeBatch('msgbatch_good', 'in_progress');
    const file = {
      version: 1,
      batches: {
        msgbatch_good: { batch: good, seenAt: t - 1000 },
        // Seen 20 days from now: a follower would ignore every later result for this batch.
        msgbatch_future: { batch: fakeBatch('msgbatch_future', 'in_progress'), seenAt: t + 20 * 24 * 3600_000 },
        msgbatch_nan: { batch: fakeBatch('msgbatch_nan', 'in_progress'), seenAt: 'soon' },
        msgbatch_mislabelled: { batch: fakeBatch('msgbatch_other', 'in_progress'), seenAt: t - 1000 },
        msgbatch_nobatch: { seenAt: t - 1000 },
        msgbatch_badstatus: { batch: { ...fakeBatch('msgbatch_badstatus', 'in_progress'), processing_status: 42 }, seenAt: t - 1000 },
        msgbatch_nocounts: { batch: { ...fakeBatch('msgbatch_nocounts', 'in_progress'), request_counts: undefined }, seenAt: t - 1000 },
      },
      removed: { msgbatch_gone: t - 1000, msgbatch_later: t + 20 * 24 * 3600_000, msgbatch_text: 'x' },
    };
    fs.writeFileSync(path.join(dir, 'poll-results.json'), JSON.stringify(file));
    const lines: string[] = [];
    const b = new FilePollCoordinator(dir, 'b', timers, (l) => lines.push(l));
    const seen = b.readSince(0);
    assert.deepEqual(seen.batches.map((e) => e.batch.id), ['msgbatch_good']);
    assert.deepEqual(seen.removed, [{ batchId: 'msgbatch_gone', seenAt: t - 1000 }]);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /ignoring 8 entries/);
    b.readSince(0);
    assert.equal(lines.length, 1, 'one bad file is logged once');
    // Publishing rewrites the file with only the trusted entries.
    b.publish({ at: t, batches: [fakeBatch('msgbatch_new', 'in_progress')] });
    const rewritten = JSON.parse(fs.readFileSync(path.join(dir, 'poll-results.json'), 'utf8')) as { batches: object; removed: object };
    assert.deepEqual(Object.keys(rewritten.batches).sort(), ['msgbatch_good', 'msgbatch_new']);
    assert.deepEqual(Object.keys(rewritten.removed), ['msgbatch_gone']);
  });

  it('does not read a shared file that is huge or not a regular file (reading is synchronous on the poll path)', () => {
    fs.writeFileSync(path.join(dir, 'poll-results.json'), `{"version":1,"batches":{},"pad":"${'x'.repeat(5 * 1024 * 1024)}"}`);
    const lines: string[] = [];
    const a = new FilePollCoordinator(dir, 'a', timers, (l) => lines.push(l));
    assert.deepEqual(a.readSince(0), { batches: [], removed: [] });
    assert.ok(lines.some((l) => /more than a shared poll file ever holds/.test(l)), lines.join('\n'));
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [path.join(dir, 'poll-lease.json')]);
      // A FIFO with no writer would block a read forever; it is refused without opening it.
      assert.equal(a.acquire({ until: until(MINUTE), focused: true }).leader, true);
      assert.ok(lines.some((l) => /not a regular file/.test(l)), lines.join('\n'));
    }
  });

  it('ids that name object properties (__proto__, constructor) index nothing: not-a-batch entries are dropped, removals kept as plain keys', () => {
    const a = new FilePollCoordinator(dir, 'a', timers);
    const b = new FilePollCoordinator(dir, 'b', timers);
    const t = timers.now();
    a.publish({ at: t, batches: [fakeBatch('__proto__', 'in_progress'), fakeBatch('constructor', 'in_progress'), fakeBatch('msgbatch_ok', 'in_progress')], removed: ['toString'] });
    // The API layer refuses such ids; read back from the file, they are not batches and are dropped.
    assert.deepEqual(b.readSince(0).batches.map((e) => e.batch.id), ['msgbatch_ok']);
    assert.deepEqual(b.readSince(0).removed.map((r) => r.batchId), ['toString']);
    assert.equal(({} as Record<string, unknown>).in_progress, undefined, 'no prototype was written to');
  });

  it('survives garbage in its files and an unwritable folder', () => {
    fs.writeFileSync(path.join(dir, 'poll-lease.json'), '{not json');
    fs.writeFileSync(path.join(dir, 'poll-results.json'), '[]');
    const a = new FilePollCoordinator(dir, 'a', timers);
    assert.deepEqual(a.readSince(0), { batches: [], removed: [] });
    assert.equal(a.acquire({ until: until(MINUTE), focused: true }).leader, true);
    const blocked = path.join(dir, 'file');
    fs.writeFileSync(blocked, '');
    const lines: string[] = [];
    const c = new FilePollCoordinator(path.join(blocked, 'sub'), 'c', timers, (l) => lines.push(l));
    assert.equal(c.acquire({ until: until(MINUTE), focused: true }).leader, true, 'polls by itself rather than not at all');
    assert.equal(lines.length, 1);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['file', 'poll-lease.json', 'poll-results.json'], 'no temp file left behind');
  });

  it('scopes by account', () => {
    assert.equal(pollScope('https://api.anthropic.com', 'k1'), pollScope('https://api.anthropic.com', 'k1'));
    assert.notEqual(pollScope('https://api.anthropic.com', 'k1'), pollScope('https://api.anthropic.com', 'k2'));
    assert.match(pollScope('x', 'y'), /^[0-9a-f]{16}$/);
  });
});

describe('Pollers in several windows', () => {
  let emulator: Emulator;
  let dir: string;
  let timers: FakeTimers;
  afterEach(async () => {
    await emulator?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Window {
    store: BatchStore;
    poller: Poller;
  }

  /** Two batches ending 20 and 50 minutes in; `windows` pollers on one machine; 2 simulated hours. */
  async function run(windows: number, options: { closeFirstAt?: number } = {}) {
    timers = new FakeTimers();
    emulator = await startEmulator({ timing: 'manual', now: () => timers.now() });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poll-windows-'));
    const ids = [20, 50].map((minutes, i) => emulator.createBatch([request(`r${i}`)], { timing: { perRequestMs: minutes * MINUTE } }).id);
    const list: Window[] = [];
    for (let w = 0; w < windows; w++) {
      const api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }));
      const store = new BatchStore({ api: async () => api, pageSize: () => 20 });
      await store.refresh();
      const poller = new Poller({
        store,
        api: async () => api,
        timers,
        settings: () => ({ intervalSeconds: 30, maxIntervalSeconds: 300 }),
        coordinator: windows > 1 ? new FilePollCoordinator(dir, `window-${w}`, timers) : undefined,
      });
      list.push({ store, poller });
    }
    const before = emulator.requests.length;
    const end = timers.now() + 120 * MINUTE;
    let closed = false;
    while (timers.fireNext(end)) {
      await Promise.all(list.map((w) => w.poller.settled()));
      if (options.closeFirstAt !== undefined && !closed && timers.now() >= options.closeFirstAt) {
        list[0].poller.dispose();
        closed = true;
      }
    }
    return { windows: list, ids, requests: emulator.requests.slice(before) };
  }

  it('two windows make as many requests as one, and the follower still sees every batch end', async () => {
    const solo = await run(1);
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.ok(solo.requests.length > 5);
    assert.equal(solo.windows[0].store.inFlight().length, 0);

    const pair = await run(2);
    assert.equal(pair.requests.length, solo.requests.length, 'no request is doubled');
    assert.deepEqual(
      pair.requests.map((r) => `${r.route} ${r.time}`),
      solo.requests.map((r) => `${r.route} ${r.time}`),
    );
    for (const w of pair.windows) {
      assert.equal(w.store.inFlight().length, 0);
      for (const id of pair.ids) assert.equal(w.store.get(id)?.processing_status, 'ended');
      assert.equal(w.poller.state.kind, 'idle');
    }
    assert.equal(timers.pending, 0);
    assert.equal(fs.existsSync(path.join(dir, 'poll-lease.json')), false, 'the lease is given up when polling stops');
  });

  it('when the polling window closes another one takes over', async () => {
    const start = Date.UTC(2026, 10, 2, 9, 0, 0);
    const pair = await run(2, { closeFirstAt: start + 10 * MINUTE });
    const follower = pair.windows[1];
    for (const id of pair.ids) assert.equal(follower.store.get(id)?.processing_status, 'ended');
    assert.equal(follower.poller.state.kind, 'idle');
    const after = pair.requests.filter((r) => r.time > start + 10 * MINUTE);
    assert.ok(after.length >= 2, 'the second window polled after the first closed');
  });
});

function fakeBatch(id: string, status: MessageBatch['processing_status'], endedAt: string | null = null): MessageBatch {
  return {
    id,
    type: 'message_batch',
    processing_status: status,
    request_counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    created_at: '2026-11-02T09:00:00Z',
    expires_at: '2026-11-03T09:00:00Z',
    ended_at: endedAt,
    cancel_initiated_at: null,
    archived_at: null,
    results_url: null,
  };
}
