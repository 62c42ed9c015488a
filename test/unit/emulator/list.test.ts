import { strict as assert } from 'node:assert';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type Emulator } from '../../emulator';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const MINUTE = 60_000;

function requests(tag: string): { custom_id: string; params: unknown }[] {
  return [{ custom_id: tag, params: { model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: tag }] } }];
}

async function listRaw(emu: Emulator, query: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emu.url}/v1/messages/batches${query}`, {
    headers: { authorization: `Bearer ${emu.apiKey}`, 'anthropic-version': '2026-10-21' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('emulator list paging', () => {
  let emu: Emulator;
  let sdk: Anthropic;
  /** Newest first, as list answers. */
  let ids: string[];

  beforeEach(async () => {
    emu = await startEmulator({ now: () => T0 });
    sdk = new Anthropic({ apiKey: emu.apiKey, baseURL: emu.url, maxRetries: 0 });
    // Seven batches; two share a created_at, so creation order breaks the tie.
    const created: string[] = [];
    for (const [i, minutesAgo] of [60, 50, 40, 40, 30, 20, 10].entries()) {
      created.push(emu.createBatch(requests(`b${i}`), { createdAt: T0 - minutesAgo * MINUTE }).id);
    }
    ids = [...created].reverse();
  });
  afterEach(async () => {
    await emu.close();
  });

  it('lists newest first, ties broken by creation order', async () => {
    const page = await sdk.messages.batches.list();
    assert.deepEqual(
      page.data.map((b) => b.id),
      ids,
    );
    assert.deepEqual(emu.batchIds(), ids);
    assert.equal(page.has_more, false);
    assert.equal(page.first_id, ids[0]);
    assert.equal(page.last_id, ids[6]);
    const nowFirst = emu.createBatch(requests('late'));
    assert.equal((await sdk.messages.batches.list({ limit: 1 })).data[0].id, nowFirst.id);
  });

  it('pages forward with after_id and backward with before_id', async () => {
    const first = await listRaw(emu, '?limit=3');
    assert.deepEqual(Object.keys(first.body).sort(), ['data', 'first_id', 'has_more', 'last_id']);
    assert.equal(first.body.has_more, true);
    assert.equal(first.body.first_id, ids[0]);
    assert.equal(first.body.last_id, ids[2]);
    assert.deepEqual(
      (first.body.data as { id: string }[]).map((b) => b.id),
      ids.slice(0, 3),
    );

    const second = await listRaw(emu, `?limit=3&after_id=${ids[2]}`);
    assert.deepEqual(
      (second.body.data as { id: string }[]).map((b) => b.id),
      ids.slice(3, 6),
    );
    assert.equal(second.body.has_more, true);

    const third = await listRaw(emu, `?limit=3&after_id=${ids[5]}`);
    assert.deepEqual(
      (third.body.data as { id: string }[]).map((b) => b.id),
      [ids[6]],
    );
    assert.equal(third.body.has_more, false);

    const back = await listRaw(emu, `?limit=3&before_id=${ids[6]}`);
    assert.deepEqual(
      (back.body.data as { id: string }[]).map((b) => b.id),
      ids.slice(3, 6),
    );
    assert.equal(back.body.has_more, true);

    const backToTop = await listRaw(emu, `?limit=3&before_id=${ids[2]}`);
    assert.deepEqual(
      (backToTop.body.data as { id: string }[]).map((b) => b.id),
      ids.slice(0, 2),
    );
    assert.equal(backToTop.body.has_more, false);
  });

  it('walks every page with for await (limit 2), one list request per page', async () => {
    const seen: string[] = [];
    for await (const batch of sdk.messages.batches.list({ limit: 2 })) seen.push(batch.id);
    assert.deepEqual(seen, ids);
    const lists = emu.requests.filter((r) => r.route === 'list');
    assert.deepEqual(
      lists.map((r) => r.query.after_id ?? null),
      [null, ids[1], ids[3], ids[5]],
    );
  });

  it('walks toward newer batches with for await and before_id', async () => {
    const seen: string[] = [];
    for await (const batch of sdk.messages.batches.list({ limit: 2, before_id: ids[6] })) seen.push(batch.id);
    assert.deepEqual(seen, [ids[4], ids[5], ids[2], ids[3], ids[0], ids[1]]);
  });

  it('defaults to 20 per page', async () => {
    for (let i = 0; i < 20; i++) emu.createBatch(requests(`more${i}`));
    const page = await sdk.messages.batches.list();
    assert.equal(page.data.length, 20);
    assert.equal(page.has_more, true);
  });

  it('accepts limits 1 and 1000 and rejects 0, 1001 and non-integers with 400', async () => {
    assert.equal((await sdk.messages.batches.list({ limit: 1 })).data.length, 1);
    assert.equal((await sdk.messages.batches.list({ limit: 1000 })).data.length, 7);
    for (const limit of ['0', '1001', '-1', '2.5', 'ten']) {
      const { status, body } = await listRaw(emu, `?limit=${limit}`);
      assert.equal(status, 400, `limit=${limit}`);
      assert.equal((body.error as { type: string }).type, 'invalid_request_error');
      assert.match((body.error as { message: string }).message, /^limit: /);
    }
    await assert.rejects(sdk.messages.batches.list({ limit: 0 }), Anthropic.BadRequestError);
  });

  it('answers an empty page with nulls', async () => {
    const past = await listRaw(emu, `?after_id=${ids[6]}`);
    assert.deepEqual(past, { status: 200, body: { data: [], has_more: false, first_id: null, last_id: null } });
    const beforeNewest = await listRaw(emu, `?before_id=${ids[0]}`);
    assert.deepEqual(beforeNewest.body, { data: [], has_more: false, first_id: null, last_id: null });
    emu.reset();
    assert.deepEqual((await listRaw(emu, '')).body, { data: [], has_more: false, first_id: null, last_id: null });
  });

  it('rejects an unknown cursor and both cursors at once, but keeps a deleted batch usable as a cursor', async () => {
    assert.equal((await listRaw(emu, '?after_id=msgbatch_unknown')).status, 400);
    assert.equal((await listRaw(emu, `?after_id=${ids[1]}&before_id=${ids[4]}`)).status, 400);
    await sdk.messages.batches.delete(ids[2]);
    const after = await listRaw(emu, `?limit=2&after_id=${ids[2]}`);
    assert.deepEqual(
      (after.body.data as { id: string }[]).map((b) => b.id),
      [ids[3], ids[4]],
    );
  });
});
