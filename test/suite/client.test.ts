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
    const { clients } = await extensionApi();
    const handle = await clients.get();
    assert.ok(handle, 'no client although ANTHROPIC_API_KEY is set');
    assert.equal(handle.keySource, 'environment');
    assert.equal(new URL(handle.api.baseUrl).origin, emulator.url);
    const page = await handle.api.listPage({ limit: 5 });
    assert.equal(page.batches.length, 1);
    const listCalls = emulator.requests.filter((r) => r.route === 'list');
    assert.equal(listCalls.length, 1);
    assert.equal(listCalls[0].status, 200);
  });
});
