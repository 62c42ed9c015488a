import { strict as assert } from 'node:assert';
import { answerDialog, clickViewAction, notification, openExplorer } from './workbench';
import { screenshot, setUserSetting, world } from './world';

const STATUS_ITEM = '[id="claude-batches.claude-batches.claudeBatches.status"]';

describe('journey: watch a batch from the status bar', () => {
  it('submit → the status bar spins → the emulator finishes → one notification with actions', async () => {
    const { page, emulator } = world();
    await setUserSetting('claudeBatches.pollIntervalSeconds', 10);
    await clickViewAction(page, 'Refresh');

    // Submit from the editor title bar this time.
    const explorer = await openExplorer(page);
    await explorer.getByRole('treeitem', { name: 'translations.jsonl' }).click();
    await page.locator('.editor-actions').getByRole('button', { name: 'Submit as Batch' }).first().click();
    const dialog = await answerDialog(page, 'Submit');
    assert.match(dialog, /Submit 20 requests from translations\.jsonl/);
    assert.match(dialog, /claude-sonnet-4-5 \(10\), claude-haiku-4-5 \(10\)|claude-haiku-4-5 \(10\), claude-sonnet-4-5 \(10\)/);

    const status = page.locator(STATUS_ITEM);
    await status.filter({ hasText: '1 batch running' }).waitFor({ timeout: 30_000 });
    assert.equal(await status.locator('.codicon-sync.codicon-modifier-spin, .codicon-sync~spin, .codicon-modifier-spin').count() > 0, true, 'the icon does not spin');
    await status.hover();
    await page.locator('.monaco-hover').filter({ hasText: 'translations.jsonl' }).first().waitFor({ timeout: 10_000 });
    await screenshot('06-watch-1-status-bar-running');

    const submitted = emulator.batchIds().find((id) => emulator.batch(id)!.processing_status === 'in_progress')!;
    emulator.finish(submitted);
    // No refresh: the poller notices by itself (interval 10 s in this journey, longer while the
    // headless window does not have focus).
    const toast = await notification(page, /"translations\.jsonl" ended: 20 succeeded/, 120_000);
    assert.match(toast, /Open Results/);
    assert.match(toast, /Save Results/);
    // Batches that ended in the earlier journeys may still count as "just ended".
    await status.filter({ hasText: /\d+ batch(es)? ended/ }).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.notification-toast').filter({ hasText: /translations\.jsonl" ended/ }).count(), 1);
    await page.mouse.move(700, 300);
    await page.locator('.notification-toast').filter({ hasText: /translations\.jsonl" ended/ }).getByRole('button', { name: 'Open Results' }).waitFor();
    await page.waitForTimeout(400); // the toast's fade-in, for a readable screenshot
    await screenshot('06-watch-2-ended-notification');
  });
});
