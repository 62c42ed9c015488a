import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MessageBatch } from '../../../src/api';
import { EndAnnouncer, endSummary, fileClaims } from '../../../src/domain/endAnnouncer';
import type { KeyValueStorage } from '../../../src/domain/submissionRegistry';
import { UnfinishedBatches } from '../../../src/domain/unfinishedBatches';

class MemoryStorage implements KeyValueStorage {
  data = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const ended = (id: string, counts: Partial<MessageBatch['request_counts']> = {}): MessageBatch => ({
  id,
  type: 'message_batch',
  processing_status: 'ended',
  request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0, ...counts },
  created_at: '2026-11-01T00:00:00Z',
  expires_at: '2026-11-02T00:00:00Z',
  ended_at: '2026-11-01T01:00:00Z',
  cancel_initiated_at: null,
  archived_at: null,
  results_url: 'https://x/results',
});

describe('EndAnnouncer', () => {
  it('announces a watched batch once', async () => {
    const announcer = new EndAnnouncer(new MemoryStorage());
    const a = ended('a');
    assert.deepEqual((await announcer.take([a], () => true, () => false)).map((b) => b.id), ['a']);
    assert.deepEqual(await announcer.take([a], () => true, () => false), []);
  });

  it('announces a batch this machine submitted that ended while VS Code was closed: on the next start, not every start', async () => {
    const storage = new MemoryStorage();
    const mine = (id: string) => id === 'mine';
    // First start after it ended: a new announcer (a new extension host) over the same storage.
    const first = await new EndAnnouncer(storage).take([ended('mine'), ended('theirs')], () => false, mine);
    assert.deepEqual(first.map((b) => b.id), ['mine']);
    const second = await new EndAnnouncer(storage).take([ended('mine'), ended('theirs')], () => false, mine);
    assert.deepEqual(second, []);
  });

  it('a batch seen in flight last session (not submitted here) that ended while VS Code was closed: announced once, at the next start', async () => {
    const storage = new MemoryStorage();
    // Last session saw it running; then VS Code was closed.
    await new UnfinishedBatches(storage, () => []).observe([{ id: 'seen', processing_status: 'in_progress' }]);
    const starts = async () => {
      const unfinished = new UnfinishedBatches(storage, () => []);
      const fresh = await new EndAnnouncer(storage).take([ended('seen'), ended('never-seen')], (id) => unfinished.atStart.has(id), () => false);
      await unfinished.observe([ended('seen'), ended('never-seen')]);
      return fresh.map((b) => b.id);
    };
    assert.deepEqual(await starts(), ['seen']);
    assert.deepEqual(await starts(), []);
  });

  it('two windows sharing storage announce a batch once between them', async () => {
    const storage = new MemoryStorage();
    const one = await new EndAnnouncer(storage).take([ended('a')], () => true, () => false);
    const two = await new EndAnnouncer(storage).take([ended('a')], () => true, () => false);
    assert.equal(one.length + two.length, 1);
  });

  it('two windows starting at once, before either sees the other\'s storage, announce a batch once between them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-claims-'));
    try {
      const window = () => new EndAnnouncer(new MemoryStorage(), Date.now, fileClaims(dir));
      const [one, two] = await Promise.all([window().take([ended('a')], () => true, () => false), window().take([ended('a')], () => true, () => false)]);
      assert.equal(one.length + two.length, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('claims are kept a month, then let go', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-claims-'));
    try {
      assert.equal(await fileClaims(dir)('msgbatch_old'), true);
      const old = (Date.now() - 31 * 24 * 3600_000) / 1000;
      fs.utimesSync(path.join(dir, 'msgbatch_old'), old, old);
      assert.equal(await fileClaims(dir)('msgbatch_new'), true);
      assert.deepEqual(fs.readdirSync(dir), ['msgbatch_new']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not announce batches it never watched and did not submit, nor archived ones', async () => {
    const announcer = new EndAnnouncer(new MemoryStorage());
    assert.deepEqual(await announcer.take([ended('old')], () => false, () => false), []);
    assert.deepEqual(await announcer.take([{ ...ended('gone'), archived_at: '2026-11-20T00:00:00Z' }], () => false, () => true), []);
  });

  it('forgets very old announcements so storage does not grow without bound', async () => {
    const storage = new MemoryStorage();
    let now = 0;
    const announcer = new EndAnnouncer(storage, () => now);
    await announcer.take([ended('a')], () => true, () => false);
    now = 31 * 24 * 3600_000;
    await announcer.take([ended('b')], () => true, () => false);
    assert.deepEqual(Object.keys(storage.get<Record<string, number>>('claudeBatches.announcedEnds')!), ['b']);
  });

  it('summarises counts in words', () => {
    assert.equal(endSummary('prompts.jsonl', ended('x', { succeeded: 980, errored: 15, expired: 5 })), '"prompts.jsonl" ended: 980 succeeded, 15 errored, 5 expired');
  });

  it('names the account the batch ran in, when there is one to name', () => {
    assert.equal(endSummary('prompts.jsonl', ended('x', { succeeded: 2 }), 'Personal'), '"prompts.jsonl" ended in the account "Personal": 2 succeeded');
  });
});
