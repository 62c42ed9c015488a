import { strict as assert } from 'node:assert';
import { batchRows, clickViewAction, openBatchesView } from './workbench';
import { screenshot, setUserSetting, world } from './world';

const request = (id: string) => ({ custom_id: id, params: { model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: id }] } });

describe('journey: Load more…', () => {
  it('shows 45+ batches 20 at a time', async () => {
    const { page, emulator } = world();
    // 45 older, ended batches besides those the earlier journeys left (ids stay unique: no reset).
    const start = Date.now() - 48 * 60 * 60_000;
    for (let i = 0; i < 45; i++) emulator.finish(emulator.createBatch([request(`r${i}`)], { createdAt: start + i * 60_000 }).id);
    const total = emulator.batchIds().length;
    assert.ok(total > 40 && total <= 60, `unexpected number of batches: ${total}`);
    await setUserSetting('claudeBatches.pageSize', 20);
    const container = await openBatchesView(page);
    await clickViewAction(page, 'Refresh');
    // The tree is virtualised (only visible rows are in the page); every row carries the number of
    // rows the tree has in aria-setsize.
    const rowCount = async (expected: string) => {
      await page.waitForFunction(
        ([selector, n]) => document.querySelector(`${selector} [role="treeitem"]`)?.getAttribute('aria-setsize') === n,
        ['[id="workbench.view.extension.claudeBatches"]', expected] as const,
        { timeout: 30_000 },
      );
    };
    const loadMore = container.getByRole('treeitem', { name: 'Load more…' });
    await loadMore.waitFor({ timeout: 30_000 });
    await rowCount('21');
    await screenshot('05-load-more-1-first-page');
    await loadMore.click();
    await rowCount('41');
    // "Load more…" is now row 41, below the fold: go to the end of the tree as a keyboard user would.
    await batchRows(page).first().click();
    await page.keyboard.press('End');
    await loadMore.click();
    await rowCount(String(total));
    assert.equal(await loadMore.count(), 0);
    assert.ok((await batchRows(page).count()) > 0);
    await screenshot('05-load-more-2-all');
  });
});
