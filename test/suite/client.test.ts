import { strict as assert } from 'node:assert';
import { extensionApi, useEmulator } from './helpers';

describe('the API client', () => {
  let emulator: Awaited<ReturnType<typeof useEmulator>>;
  before(async () => {
    emulator = await useEmulator();
  });
  after(async () => {
    await emulator.stop();
  });

  it('reaches the emulator at claudeBatches.baseUrl with the key from ANTHROPIC_API_KEY', async () => {
    emulator.createBatch([{ custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] } }]);
    const { clients, store } = await extensionApi();
    const handle = await clients.get();
    // The view lists again when the setting changes: that list is done before this call is counted.
    await store.refresh();
    assert.ok(handle, 'no client although ANTHROPIC_API_KEY is set');
    assert.equal(handle.keySource, 'environment');
    assert.equal(new URL(handle.api.baseUrl).origin, emulator.url);
    // The extension's own view may list too (it reacts to the setting): count only this call.
    const before = emulator.requests.length;
    const page = await handle.api.listPage({ limit: 5 });
    assert.equal(page.batches.length, 1);
    const calls = emulator.requests.slice(before);
    assert.equal(calls.length, 1, JSON.stringify(calls.map((c) => [c.route, c.query, c.status])));
    assert.equal(calls[0].route, 'list');
    assert.equal(calls[0].status, 200);
    assert.equal(calls[0].query.limit, '5');
  });
});
