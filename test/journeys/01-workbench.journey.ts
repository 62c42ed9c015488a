import { strict as assert } from 'node:assert';
import { openBatchesView } from './workbench';
import { screenshot, world } from './world';

describe('journey: the workbench shows Claude Batches', () => {
  it('has a Claude Batches view container in the activity bar, and its view asks for a key', async () => {
    const { page } = world();
    await openBatchesView(page);
    const container = page.locator('[id="workbench.view.extension.claudeBatches"]');
    await container.getByText('Set API Key').first().waitFor({ timeout: 30_000 });
    assert.equal(await container.getByRole('button', { name: 'Set API Key' }).count(), 1);
    await screenshot('01-workbench-view-container');
  });
});
