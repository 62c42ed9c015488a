import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';

type CreateBody = Anthropic.Messages.Batches.BatchCreateParams;
type Counts = Anthropic.Messages.Batches.MessageBatchRequestCounts;

const T0 = Date.UTC(2026, 4, 10, 8, 0, 0);
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

function body(n: number): CreateBody {
  return {
    requests: Array.from({ length: n }, (_, i) => ({
      custom_id: `item-${i}`,
      params: { model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user' as const, content: `Question ${i}` }] },
    })),
  };
}

function counts(partial: Partial<Counts>): Counts {
  return { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0, ...partial };
}

async function resultTypes(sdk: Anthropic, id: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const line of await sdk.messages.batches.results(id)) out[line.custom_id] = line.result.type;
  return out;
}

describe('emulator lifecycle', () => {
  let emu: Emulator;
  let sdk: Anthropic;

  async function start(opts: EmulatorOptions): Promise<void> {
    emu = await startEmulator({ now: () => T0, ...opts });
    sdk = new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries: 0 });
  }
  afterEach(async () => {
    await emu.close();
  });

  it('instant: create still says in_progress, the next retrieve says ended', async () => {
    await start({ timing: 'instant' });
    const created = await sdk.messages.batches.create(body(3));
    assert.equal(created.processing_status, 'in_progress');
    assert.deepEqual(created.request_counts, counts({ processing: 3 }));
    const batch = await sdk.messages.batches.retrieve(created.id);
    assert.equal(batch.processing_status, 'ended');
    assert.deepEqual(batch.request_counts, counts({ succeeded: 3 }));
  });

  it('manual: only step/finish progress a batch, and counts stay all-processing until it ends', async () => {
    await start({ timing: 'manual' });
    const { id } = await sdk.messages.batches.create(body(5));
    emu.clock.advance(HOUR);
    let batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.processing_status, 'in_progress');
    assert.deepEqual(batch.request_counts, counts({ processing: 5 }));

    emu.step(id, 2);
    batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.processing_status, 'in_progress');
    assert.deepEqual(batch.request_counts, counts({ processing: 5 }), 'internally done requests must not show');
    assert.equal(batch.results_url, null);

    emu.step(id, 2);
    assert.equal(emu.batch(id)?.processing_status, 'in_progress');
    emu.clock.advance(5 * SECOND);
    emu.step(id, 1);
    batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.processing_status, 'ended');
    assert.deepEqual(batch.request_counts, counts({ succeeded: 5 }));
    assert.equal(batch.ended_at, new Date(T0 + HOUR + 5 * SECOND).toISOString());
  });

  it('manual: finish completes everything at once', async () => {
    await start({ timing: 'manual' });
    const { id } = await sdk.messages.batches.create(body(4));
    emu.finish(id);
    assert.deepEqual(emu.batch(id)?.request_counts, counts({ succeeded: 4 }));
    emu.finish(id); // ended: nothing to do
    assert.throws(() => emu.step('msgbatch_unknown'), /no batch/);
  });

  it('perRequestMs: request i completes at created + (i+1)*N, the batch ends with the last', async () => {
    await start({ timing: { perRequestMs: 1000 } });
    const { id, created_at } = await sdk.messages.batches.create(body(4));
    assert.equal(created_at, new Date(T0).toISOString());
    emu.clock.advance(3999);
    let batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.processing_status, 'in_progress');
    assert.deepEqual(batch.request_counts, counts({ processing: 4 }));
    emu.clock.advance(1);
    batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.processing_status, 'ended');
    assert.equal(batch.ended_at, new Date(T0 + 4000).toISOString());
    assert.deepEqual(batch.request_counts, counts({ succeeded: 4 }));
  });

  it('cancel (manual): canceling until the next step, then ended with the unstarted requests canceled', async () => {
    await start({ timing: 'manual' });
    const { id } = await sdk.messages.batches.create(body(5));
    emu.step(id, 2);
    emu.clock.advance(10 * SECOND);
    const canceling = await sdk.messages.batches.cancel(id);
    assert.equal(canceling.processing_status, 'canceling');
    assert.equal(canceling.cancel_initiated_at, new Date(T0 + 10 * SECOND).toISOString());
    assert.deepEqual(canceling.request_counts, counts({ processing: 5 }));
    emu.clock.advance(HOUR);
    assert.equal((await sdk.messages.batches.retrieve(id)).processing_status, 'canceling');
    // Canceling again is harmless.
    const again = await sdk.messages.batches.cancel(id);
    assert.equal(again.cancel_initiated_at, canceling.cancel_initiated_at);

    emu.step(id);
    const ended = await sdk.messages.batches.retrieve(id);
    assert.equal(ended.processing_status, 'ended');
    assert.deepEqual(ended.request_counts, counts({ succeeded: 2, canceled: 3 }));
    assert.equal(ended.cancel_initiated_at, canceling.cancel_initiated_at);
    assert.deepEqual(await resultTypes(sdk, id), {
      'item-0': 'succeeded',
      'item-1': 'succeeded',
      'item-2': 'canceled',
      'item-3': 'canceled',
      'item-4': 'canceled',
    });
  });

  it('cancel (perRequestMs): canceling lasts cancelLatencyMs, requests done before the cancel keep their results', async () => {
    await start({ timing: { perRequestMs: 1000 }, cancelLatencyMs: 5000 });
    const { id } = await sdk.messages.batches.create(body(10));
    emu.clock.advance(3500);
    const canceling = await sdk.messages.batches.cancel(id);
    assert.equal(canceling.processing_status, 'canceling');
    emu.clock.advance(4999);
    assert.equal((await sdk.messages.batches.retrieve(id)).processing_status, 'canceling');
    emu.clock.advance(1);
    const ended = await sdk.messages.batches.retrieve(id);
    assert.equal(ended.processing_status, 'ended');
    assert.equal(ended.ended_at, new Date(T0 + 3500 + 5000).toISOString());
    assert.deepEqual(ended.request_counts, counts({ succeeded: 3, canceled: 7 }));
  });

  it('cancel with no latency: the answer says canceling, the next retrieve says ended', async () => {
    await start({ timing: { perRequestMs: 1000 } });
    const { id } = await sdk.messages.batches.create(body(3));
    const canceling = await sdk.messages.batches.cancel(id);
    assert.equal(canceling.processing_status, 'canceling');
    assert.notEqual(canceling.cancel_initiated_at, null);
    const ended = await sdk.messages.batches.retrieve(id);
    assert.equal(ended.processing_status, 'ended');
    assert.deepEqual(ended.request_counts, counts({ canceled: 3 }));
  });

  it('cancel of an ended batch is 400 invalid_request_error; unknown ids are 404 on every route', async () => {
    await start({ timing: 'instant' });
    const { id } = await sdk.messages.batches.create(body(1));
    await assert.rejects(sdk.messages.batches.cancel(id), (err: unknown) => {
      assert.ok(err instanceof Anthropic.BadRequestError, String(err));
      assert.equal(err.type, 'invalid_request_error');
      assert.match(err.apiMessage ?? '', /ended/);
      return true;
    });
    const unknown = 'msgbatch_01doesNotExist';
    for (const call of [
      () => sdk.messages.batches.retrieve(unknown),
      () => sdk.messages.batches.cancel(unknown),
      () => sdk.messages.batches.delete(unknown),
    ]) {
      await assert.rejects(call(), (err: unknown) => err instanceof Anthropic.NotFoundError && err.type === 'not_found_error');
    }
    const res = await fetch(`${emu.url}/v1/messages/batches/${unknown}/results`, {
      headers: { 'x-api-key': emu.apiKey, 'anthropic-version': '2023-06-01' },
    });
    assert.equal(res.status, 404);
  });

  it('results before the batch has ended: 400 invalid_request_error (the SDK refuses earlier)', async () => {
    await start({ timing: 'manual' });
    const { id } = await sdk.messages.batches.create(body(2));
    const res = await fetch(`${emu.url}/v1/messages/batches/${id}/results`, {
      headers: { 'x-api-key': emu.apiKey, 'anthropic-version': '2023-06-01' },
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.type, 'invalid_request_error');
    await assert.rejects(sdk.messages.batches.results(id), (err: unknown) => err instanceof Anthropic.AnthropicError && !(err instanceof Anthropic.APIError));
  });

  it('expiry: 24 h after creation unfinished requests are expired and the batch ends', async () => {
    await start({ timing: 'manual' });
    const { id, expires_at } = await sdk.messages.batches.create(body(3));
    emu.step(id, 1);
    emu.clock.advance(DAY - 1);
    assert.equal((await sdk.messages.batches.retrieve(id)).processing_status, 'in_progress');
    emu.clock.advance(1);
    const batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.processing_status, 'ended');
    assert.equal(batch.ended_at, expires_at);
    assert.deepEqual(batch.request_counts, counts({ succeeded: 1, expired: 2 }));
    assert.deepEqual(await resultTypes(sdk, id), { 'item-0': 'succeeded', 'item-1': 'expired', 'item-2': 'expired' });
  });

  it('expiry with perRequestMs: requests that would finish after 24 h expire', async () => {
    await start({ timing: { perRequestMs: 10 * HOUR } });
    const { id } = await sdk.messages.batches.create(body(4));
    emu.clock.advance(2 * DAY);
    const batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.ended_at, new Date(T0 + DAY).toISOString());
    assert.deepEqual(batch.request_counts, counts({ succeeded: 2, expired: 2 }));
  });

  it('retention: 29 days after creation archived_at is set and results answer 404', async () => {
    await start({ timing: 'instant' });
    const { id } = await sdk.messages.batches.create(body(2));
    emu.clock.advance(29 * DAY - 1);
    let batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.archived_at, null);
    assert.equal(Object.keys(await resultTypes(sdk, id)).length, 2);

    emu.clock.advance(1);
    batch = await sdk.messages.batches.retrieve(id);
    assert.equal(batch.archived_at, new Date(T0 + 29 * DAY).toISOString());
    assert.equal(batch.processing_status, 'ended');
    assert.equal(batch.results_url, `${emu.url}/v1/messages/batches/${id}/results`);
    await assert.rejects(sdk.messages.batches.results(id), (err: unknown) => {
      assert.ok(err instanceof Anthropic.NotFoundError, String(err));
      assert.equal(err.type, 'not_found_error');
      assert.match(err.apiMessage ?? '', /deleted/);
      return true;
    });
    assert.deepEqual(
      (await sdk.messages.batches.list()).data.map((b) => b.id),
      [id],
    );
  });

  it('delete: 400 while in progress or canceling, fine once ended, then 404', async () => {
    await start({ timing: 'manual' });
    const { id } = await sdk.messages.batches.create(body(2));
    await assert.rejects(sdk.messages.batches.delete(id), (err: unknown) => {
      assert.ok(err instanceof Anthropic.BadRequestError, String(err));
      assert.equal(err.type, 'invalid_request_error');
      assert.match(err.apiMessage ?? '', /cancel/);
      return true;
    });
    await sdk.messages.batches.cancel(id);
    await assert.rejects(sdk.messages.batches.delete(id), Anthropic.BadRequestError);
    emu.step(id);
    const deleted = await sdk.messages.batches.delete(id);
    assert.equal(deleted.id, id);
    assert.equal(deleted.type, 'message_batch_deleted');
    assert.equal(emu.batch(id), undefined);
    await assert.rejects(sdk.messages.batches.retrieve(id), Anthropic.NotFoundError);
    await assert.rejects(sdk.messages.batches.delete(id), Anthropic.NotFoundError);
    assert.deepEqual((await sdk.messages.batches.list()).data, []);
  });

  it('seeded batches may be created in the past and are judged by the clock', async () => {
    await start({ timing: 'instant' });
    const old = emu.createBatch(body(2).requests, { createdAt: T0 - 30 * DAY });
    assert.equal(old.processing_status, 'ended');
    assert.notEqual(old.archived_at, null);
    const running = emu.createBatch(body(2).requests, { createdAt: T0 - HOUR, timing: { perRequestMs: HOUR } });
    assert.equal(running.processing_status, 'in_progress');
    emu.clock.advance(HOUR);
    assert.equal(emu.batch(running.id)?.processing_status, 'ended');
  });
});
