import { batchRow, chooseMenuItem, openBatchesView, runCommand } from './workbench';
import { screenshot, setUserSetting, world } from './world';

// Follows 08-results: the batch of some-will-fail.jsonl has ended and its results are on this machine.
describe('journey: working with results', () => {
  it('opens an answer in full from its entry, goes to a custom_id, and finds the entries in the Outline', async () => {
    const { page } = world();
    await openBatchesView(page);
    const row = batchRow(page, /^some-will-fail\.jsonl, ended/);
    await row.waitFor({ timeout: 30_000 });
    await row.click({ button: 'right' });
    await chooseMenuItem(page, 'Open Results');
    const results = page.getByRole('tab', { name: /some-will-fail\.jsonl\.results/ });
    await results.waitFor({ timeout: 30_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    // The document may still be open as 08 left it (Succeeded folded, at its end): all of it, from the top.
    await editor.locator('.view-lines').click();
    await runCommand(page, 'Unfold All');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await editor.getByText(/Succeeded\s·\s6/).first().waitFor({ timeout: 30_000 });

    // Each entry's heading has an "Open in Full" lens: the first is prime-1's.
    const lens = page.locator('.codelens-decoration a').filter({ hasText: 'Open in Full' }).first();
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();
    await page.getByRole('tab', { name: /prime-1\.md/ }).waitFor({ timeout: 30_000 });
    const full = page.locator('.editor-instance .monaco-editor').first();
    await full.getByText(/Emulated\sreply\sto:\sQuestion\s1:\sname\sa\sprime\snumber\slarger\sthan\s0\./).first().waitFor({ timeout: 30_000 });
    await full.getByText(/Outcome:\ssucceeded/).first().waitFor({ timeout: 10_000 });
    await screenshot('08a-results-1-in-full');

    // Its raw JSON, through the lens at the top of the full view.
    await page.locator('.codelens-decoration a').filter({ hasText: 'Show Raw JSON' }).first().click();
    await page.getByRole('tab', { name: /prime-1\.json/ }).waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .monaco-editor').first().getByText(/"custom_id":\s"prime-1"/).first().waitFor({ timeout: 30_000 });

    // Back in the results document, from the top: Go to custom_id… prime-9, the expired one at the end.
    await results.click();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await runCommand(page, 'Claude Batches: Go to custom_id…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('prime-9');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'prime-9' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const selected = editor.locator('.view-line').filter({ hasText: /▸\sprime-9\s·\sexpired/ }).first();
    await selected.waitFor({ timeout: 15_000 });
    await editor.locator('.selected-text').first().waitFor({ timeout: 10_000 });
    await screenshot('08a-results-2-go-to-custom-id');

    // The Outline: sections, then the entries by custom_id.
    await setUserSetting('outline.collapseItems', 'alwaysExpand');
    await runCommand(page, 'Explorer: Focus on Outline View');
    for (const name of [/^Succeeded/, /^prime-1\b/, /^prime-2\b/]) await page.getByRole('treeitem', { name }).first().waitFor({ timeout: 30_000 });
    await screenshot('08a-results-3-outline');
    // Succeeded folded in the Outline: the other sections and their error types come into its view.
    await page.getByRole('treeitem', { name: /^Succeeded/ }).first().click();
    await page.keyboard.press('ArrowLeft');
    for (const name of [/^Errored/, /^api_error/, /^prime-3\b/]) await page.getByRole('treeitem', { name }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('treeitem', { name: /^Errored/ }).first().click();
    await page.keyboard.press('ArrowLeft');
    for (const name of [/^Expired/, /^prime-9\b/]) await page.getByRole('treeitem', { name }).first().waitFor({ timeout: 30_000 });
    await screenshot('08a-results-4-outline-sections');
  });
});
