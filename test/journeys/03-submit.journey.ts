import { strict as assert } from 'node:assert';
import { answerDialog, batchRow, chooseMenuItem, clickViewAction, openBatchesView, openExplorer } from './workbench';
import { screenshot, world } from './world';

describe('journey: submit a file from the Explorer', () => {
  it('right-click prompts.jsonl → Submit as Batch → confirm → in progress → the emulator finishes → counts', async () => {
    const { page, emulator } = world();
    const explorer = await openExplorer(page);
    const file = explorer.getByRole('treeitem', { name: 'prompts.jsonl' });
    await file.click({ button: 'right' });
    await screenshot('03-submit-1-explorer-menu');
    await chooseMenuItem(page, 'Submit as Batch');
    const dialogText = await answerDialog(page, 'Submit');
    assert.match(dialogText, /Submit 8 requests from prompts\.jsonl as a batch\?/);
    assert.match(dialogText, /claude-sonnet-4-5 \(8\)/);

    await openBatchesView(page);
    const row = batchRow(page, /^prompts\.jsonl, in progress, 8 requests/);
    await row.waitFor({ timeout: 30_000 });
    await screenshot('03-submit-2-in-progress');
    assert.equal(emulator.batchIds().length, 1);

    emulator.finish(emulator.batchIds()[0]);
    await clickViewAction(page, 'Refresh');
    await batchRow(page, /^prompts\.jsonl, ended, 8 succeeded/).waitFor({ timeout: 30_000 });
    await screenshot('03-submit-3-ended-with-counts');
  });
});
