import { strict as assert } from 'node:assert';
import { openExplorer, runCommand } from './workbench';
import { screenshot, world } from './world';

describe('journey: mistakes caught while typing', () => {
  it('opens the sample with mistakes: squiggles, the Problems panel, a quick fix', async () => {
    const { page } = world();
    const explorer = await openExplorer(page);
    await explorer.getByRole('treeitem', { name: 'with-mistakes.jsonl' }).dblclick();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 30_000 });
    // The CodeLens at the top says there are problems to fix first.
    await page.locator('.codelens-decoration').filter({ hasText: /problems to fix first/ }).waitFor({ timeout: 30_000 });
    // The status bar says it is taken for a batch file; one click on it offers the other languages.
    const language = page.locator('[id="status.editor.mode"]');
    await language.filter({ hasText: 'Claude Batch (JSONL)' }).waitFor({ timeout: 30_000 });
    await language.click();
    // The picker lists every language (rendered lazily): filter it as a person would.
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
    await page.keyboard.type('JSON Lines');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'JSON Lines' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');

    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problems = page.locator('.markers-panel');
    await problems.waitFor({ state: 'visible' });
    const duplicate = problems.getByText(/custom_id "ok-1" is already used on line 1/);
    await duplicate.first().waitFor({ timeout: 30_000 });
    for (const text of [/temperature/, /max_tokens/, /stream/, /invalid JSON/]) {
      assert.ok((await problems.getByText(text).count()) > 0, `the Problems panel does not mention ${text}`);
    }
    await screenshot('07-authoring-1-problems');

    // Go to the duplicate and apply the quick fix, as with Ctrl+.
    await duplicate.first().click();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    // Quick Fix… on the duplicate (what Ctrl+. and the light bulb open).
    await runCommand(page, 'Quick Fix...');
    const fix = page.locator('.action-widget').getByText('Make this custom_id unique');
    await fix.first().waitFor({ timeout: 15_000 });
    await screenshot('07-authoring-2-quick-fix');
    await fix.first().click();
    await duplicate.first().waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot('07-authoring-3-fixed');
  });
});
