import { strict as assert } from 'node:assert';
import { openBatchesView, widenSidebar } from './workbench';
import { screenshot, world } from './world';

describe('journey: set the API key', () => {
  it('clicks "Set API Key" in the view, types the key into a password box, and the view lists batches', async () => {
    const { page, emulator } = world();
    const container = await openBatchesView(page);
    await widenSidebar(page);
    await container.getByRole('button', { name: 'Set API Key' }).click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    assert.equal(await input.getAttribute('type'), 'password');
    await screenshot('02-api-key-1-input');
    await input.fill(emulator.apiKey);
    await page.keyboard.press('Enter');
    // The key was checked with a one-item list before it was stored.
    await container.getByText('No batches yet').waitFor({ timeout: 30_000 });
    const check = emulator.requests.find((r) => r.route === 'list' && r.query.limit === '1');
    assert.ok(check, 'the key was not checked against the API');
    await screenshot('02-api-key-2-empty-view');
  });
});
