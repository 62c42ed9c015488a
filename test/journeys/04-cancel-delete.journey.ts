import { strict as assert } from 'node:assert';
import { answerDialog, batchRow, chooseMenuItem, clickViewAction, openBatchesView } from './workbench';
import { screenshot, world } from './world';

const request = (id: string) => ({ custom_id: id, params: { model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: id }] } });

describe('journey: cancel and delete from the context menu', () => {
  it('cancels an in-progress batch', async () => {
    const { page, emulator } = world();
    const running = emulator.createBatch([request('a'), request('b'), request('c')]);
    await openBatchesView(page);
    await clickViewAction(page, 'Refresh');
    const row = batchRow(page, new RegExp(`^…${running.id.slice(-8)}, in progress, .*, ${running.id}$`));
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: 'right' });
    await screenshot('04-cancel-1-context-menu');
    await chooseMenuItem(page, 'Cancel Batch');
    const text = await answerDialog(page, 'Cancel Batch');
    assert.match(text, /Cancel the batch/);
    await batchRow(page, new RegExp(`^…${running.id.slice(-8)}, canceling, .*, ${running.id}$`)).waitFor({ timeout: 30_000 });
    await screenshot('04-cancel-2-canceling');
    emulator.finish(running.id);
    await clickViewAction(page, 'Refresh');
    await batchRow(page, new RegExp(`^…${running.id.slice(-8)}, canceled, 0 succeeded, 3 canceled, ${running.id}$`)).waitFor({ timeout: 30_000 });
    await screenshot('04-cancel-3-canceled');
  });

  it('deletes an ended batch', async () => {
    const { page, emulator } = world();
    const done = emulator.createBatch([request('d')]);
    emulator.finish(done.id);
    await clickViewAction(page, 'Refresh');
    const row = batchRow(page, new RegExp(`^…${done.id.slice(-8)}, ended, .*, ${done.id}$`));
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: 'right' });
    await chooseMenuItem(page, 'Delete Batch');
    const text = await answerDialog(page, 'Delete Everywhere');
    assert.match(text, /"Delete Everywhere" deletes both: results you have not saved elsewhere are gone for good/);
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(emulator.batch(done.id), undefined);
    await screenshot('04-delete-1-gone');
  });
});
