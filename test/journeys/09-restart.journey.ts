import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answerDialog, chooseMenuItem, notification, openExplorer, runCommand } from './workbench';
import { screenshot, setUserSetting, world } from './world';

const STATUS_ITEM = '[id="claude-batches.claude-batches.claudeBatches.status"]';

describe('journey: the watch carries on after the window reloads', () => {
  it('submit → reload with the Explorer in front and no batch file open → the status bar shows the batch → the emulator finishes → one notification', async () => {
    const { page, emulator, server } = world();
    await setUserSetting('claudeBatches.pollIntervalSeconds', 10);
    const lines = [1, 2, 3].map((i) =>
      JSON.stringify({ custom_id: `after-reload-${i}`, params: { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: `Reload question ${i}` }] } }),
    );
    fs.writeFileSync(path.join(server.workspace, 'after-reload.jsonl'), `${lines.join('\n')}\n`);
    const before = new Set(emulator.batchIds());

    const explorer = await openExplorer(page);
    const file = explorer.getByRole('treeitem', { name: 'after-reload.jsonl' });
    await file.waitFor({ timeout: 30_000 });
    await file.click({ button: 'right' });
    await chooseMenuItem(page, 'Submit as Batch');
    assert.match(await answerDialog(page, 'Submit'), /Submit 3 requests from after-reload\.jsonl/);
    const status = page.locator(STATUS_ITEM);
    await status.filter({ hasText: /batch(es)? running/ }).waitFor({ timeout: 30_000 });
    const submitted = emulator.batchIds().find((id) => !before.has(id));
    assert.ok(submitted, 'the emulator received no batch');

    // No batch file open, the Explorer in front (not the Batches view): nothing but the start
    // itself activates the extension after the reload.
    // An earlier journey may have left a changed file open: closed without saving.
    await runCommand(page, 'View: Close All Editors');
    await page
      .getByRole('button', { name: "Don't Save" })
      .click({ timeout: 3000 })
      .catch(() => undefined);
    await page.locator('.tabs-container [role="tab"]').first().waitFor({ state: 'detached', timeout: 10_000 });
    await openExplorer(page);
    // The workbench keeps its layout (which view is in front) in browser storage: let it settle.
    await page.waitForTimeout(2000);
    await page.reload();
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('[id="workbench.view.explorer"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator('.tabs-container [role="tab"]').filter({ hasText: /\.jsonl/ }).count(), 0, 'a batch file is open after the reload');
    assert.equal(await page.locator('[id="workbench.view.extension.claudeBatches"]').isVisible(), false, 'the Batches view is in front');

    await status.filter({ hasText: /batch(es)? running/ }).waitFor({ timeout: 30_000 });
    await screenshot('09-restart-1-status-bar-after-reload');

    emulator.finish(submitted);
    await notification(page, /"after-reload\.jsonl" ended: 3 succeeded/, 120_000);
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('.notification-toast').filter({ hasText: /after-reload\.jsonl" ended/ }).count(), 1);
    await screenshot('09-restart-2-ended-after-reload');
  });
});
