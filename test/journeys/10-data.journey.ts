import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { answerDialog, batchRow, chooseMenuItem, clickViewAction, notification, openBatchesView, openExplorer, runCommand } from './workbench';
import { screenshot, world } from './world';

describe('journey: a batch from data', () => {
  it('right-click reviews.csv → Create Batch File from Data… → new template → preview → submit → results → Save Results as CSV, row for row', async () => {
    const { page, emulator, server } = world();
    // Run alone (filtered), the key the earlier journey sets is not there: set it as a person does
    // (setting it again after that journey changes nothing).
    await openBatchesView(page);
    await runCommand(page, 'Claude Batches: Set API Key');
    const key = page.locator('.quick-input-widget input');
    await key.waitFor({ state: 'visible' });
    await key.fill(emulator.apiKey);
    await page.keyboard.press('Enter');
    await notification(page, /API key saved/);

    const explorer = await openExplorer(page);
    await explorer.getByRole('treeitem', { name: 'reviews.csv', exact: true }).click({ button: 'right' });
    await screenshot('10-data-1-explorer-menu');
    await chooseMenuItem(page, 'Create Batch File from Data…');

    const template = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'New template from these columns' });
    await template.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot('10-data-2-template-pick');
    await template.click();

    const preview = await answerDialog(page, 'Create');
    assert.match(preview, /Create reviews\.batch\.jsonl: 3 requests/);
    assert.match(preview, /First request:/);
    await notification(page, /Created reviews\.batch\.jsonl: 3 requests, ready to submit/);
    await screenshot('10-data-3-created');
    const batchFile = path.join(server.workspace, 'reviews.batch.jsonl');
    assert.ok(fs.existsSync(batchFile) && fs.existsSync(`${batchFile}.source.json`), 'the batch file and its link are written');
    assert.ok(fs.existsSync(path.join(server.workspace, 'reviews.batch-template.json')), 'the new template is written');

    const before = new Set(emulator.batchIds());
    await explorer.getByRole('treeitem', { name: 'reviews.batch.jsonl', exact: true }).click({ button: 'right' });
    await chooseMenuItem(page, 'Submit as Batch');
    assert.match(await answerDialog(page, 'Submit'), /Submit 3 requests from reviews\.batch\.jsonl/);
    let id: string | undefined;
    for (let i = 0; i < 300 && !id; i++) {
      id = emulator.batchIds().find((b) => !before.has(b));
      if (!id) await page.waitForTimeout(100);
    }
    assert.ok(id, 'the batch was not created');
    emulator.finish(id);
    await openBatchesView(page);
    await clickViewAction(page, 'Refresh');
    const row = batchRow(page, /^reviews\.batch\.jsonl, ended, 3 succeeded/);
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: 'right' });
    await chooseMenuItem(page, 'Save Results as CSV…');

    // The save dialog (code-server's own): it proposes reviews.results.csv beside the data.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    // The dialog fills its path in a moment after it opens.
    let proposed = '';
    for (let i = 0; i < 100 && !/reviews\.results\.csv$/.test(proposed); i++) {
      proposed = await input.inputValue();
      if (!/reviews\.results\.csv$/.test(proposed)) await page.waitForTimeout(100);
    }
    assert.match(proposed, /reviews\.results\.csv$/);
    await screenshot('10-data-4-save-dialog');
    await page.keyboard.press('Enter');
    await notification(page, /Saved 3 rows of reviews\.csv with their results/);
    await screenshot('10-data-5-saved');

    const data = parse(fs.readFileSync(path.join(server.workspace, 'reviews.csv'), 'utf8')) as string[][];
    const saved = parse(fs.readFileSync(path.join(server.workspace, 'reviews.results.csv'), 'utf8')) as string[][];
    assert.equal(saved.length, data.length, 'one row per data row');
    saved.forEach((row, i) => assert.deepEqual(row.slice(0, 3), data[i], `row ${i + 1} keeps the data's cells`));
    assert.deepEqual(saved.slice(1).map((r) => r[3]), ['succeeded', 'succeeded', 'succeeded']);
  });
});
