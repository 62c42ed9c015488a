import { strict as assert } from 'node:assert';
import { answerDialog, batchRow, chooseMenuItem, clickViewAction, openBatchesView, openExplorer } from './workbench';
import { screenshot, setUserSetting, world } from './world';

describe('journey: results', () => {
  it('opens results from the context menu, grouped by outcome, and folds a section', async () => {
    const { page, emulator } = world();
    const explorer = await openExplorer(page);
    await explorer.getByRole('treeitem', { name: 'some-will-fail.jsonl' }).click({ button: 'right' });
    await chooseMenuItem(page, 'Submit as Batch');
    await answerDialog(page, 'Submit');
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      id = emulator.batchIds().find((b) => emulator.batch(b)!.processing_status === 'in_progress');
      if (!id) await page.waitForTimeout(100);
    }
    assert.ok(id, 'the batch was not created');
    emulator.finish(id);
    await openBatchesView(page);
    await clickViewAction(page, 'Refresh');
    const row = batchRow(page, /^some-will-fail\.jsonl, ended, 6 succeeded, 3 errored, 1 expired/);
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: 'right' });
    await chooseMenuItem(page, 'Open Results');

    // Monaco renders spaces as no-break spaces: match them with \s.
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const tab = page.getByRole('tab', { name: /some-will-fail\.jsonl\.results/ });
    await tab.waitFor({ timeout: 30_000 });
    await editor.getByText(/Succeeded\s·\s6/).first().waitFor({ timeout: 30_000 });
    await screenshot('08-results-1-document');

    // Fold the Succeeded section with the chevron in its gutter (shown on hover by default; always
    // here, so the screenshot shows them).
    await setUserSetting('editor.showFoldingControls', 'always');
    const lines = async () => (await editor.locator('.view-line').allInnerTexts()).join('\n');
    const before = await lines();
    const heading = editor.locator('.view-line').filter({ hasText: /Succeeded\s·\s6/ }).first();
    const box = (await heading.boundingBox())!;
    const chevrons = editor.locator('.margin-view-overlays .codicon-folding-expanded');
    await chevrons.first().waitFor({ timeout: 10_000 });
    let clicked = false;
    for (const chevron of await chevrons.all()) {
      const b = await chevron.boundingBox();
      if (b && Math.abs(b.y + b.height / 2 - (box.y + box.height / 2)) < box.height / 2) {
        await chevron.click();
        clicked = true;
        break;
      }
    }
    assert.ok(clicked, 'no folding chevron on the Succeeded heading');
    await page.waitForFunction(
      () => !Array.from(document.querySelectorAll('.editor-instance .view-line')).some((l) => /prime-1\s/.test(l.textContent ?? '')),
      undefined,
      { timeout: 10_000 },
    );
    const after = await lines();
    assert.ok(/prime-1\s/.test(before) && !/prime-1\s/.test(after), 'folding did not hide the entries');
    // With Succeeded folded, the sections below come into view (the editor renders visible lines only).
    for (const text of [/Errored\s·\s3/, /api_error/]) {
      await editor.getByText(text).first().waitFor({ timeout: 10_000 });
    }
    await screenshot('08-results-2-folded');
    // The end of the document: Expired, then Canceled.
    await page.keyboard.press('Control+End');
    await editor.getByText(/Expired\s·\s1/).first().waitFor({ timeout: 10_000 });
  });
});
