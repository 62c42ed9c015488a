import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { answerDialog, batchRow, chooseMenuItem, clearNotifications, clickViewAction, openBatchesView, widenSidebar } from './workbench';
import { screenshot, world } from './world';

const request = (id: string, text: string) => JSON.stringify({ custom_id: id, params: { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: text }] } });

/** Submits a batch file from the Explorer, and ends its batch. */
async function submitAndEnd(page: Page, name: string): Promise<string> {
  const { emulator } = world();
  const before = new Set(emulator.batchIds());
  // Opened with Quick Open and submitted from the editor's title bar: the Explorer's tree re-renders
  // as files appear, and a row can be replaced under the click.
  // The end notification of the batch before would come in over Quick Open: cleared first.
  await clearNotifications(page);
  // A file written a moment ago may not be in Quick Open's list yet: open it again until it is.
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  for (let attempt = 0; ; attempt++) {
    // A modal dialog left open makes the rest of the workbench inert: say which one.
    const dialog = page.locator('.monaco-dialog-box');
    if (await dialog.isVisible()) throw new Error(`A dialog is open before ${name} is opened: ${(await dialog.innerText()).replace(/\s+/g, ' ')}`);
    await page.keyboard.press('ControlOrMeta+P');
    await input.waitFor({ state: 'visible' });
    // Quick Open can close under the keyboard while the previous batch's end notification comes in
    // (its input is then inert): open it again.
    const filled = await input.fill(name, { timeout: 10_000 }).then(
      () => true,
      async (err: Error) => {
        if (attempt < 5) return false;
        await screenshot(`10-beside-inert-${attempt}`);
        const open = (await dialog.isVisible()) ? (await dialog.innerText()).replace(/\s+/g, ' ') : 'none visible';
        const toasts = (await page.locator('.notification-toast').allInnerTexts()).join(' | ');
        throw new Error(`${err.message.split('\n')[0]} — dialog: ${open}; notifications: ${toasts}`);
      },
    );
    if (filled && (await row.waitFor({ timeout: 5000 }).then(() => true, () => false))) break;
    if (attempt === 5) throw new Error(`Quick Open did not list ${name} in 30 s`);
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
  await page.getByRole('tab', { name: new RegExp(`^${name.replace(/\./g, '\\.')}`) }).and(page.locator('.tab.active')).waitFor({ timeout: 30_000 });
  await page.locator('.editor-actions').getByRole('button', { name: 'Submit as Batch' }).first().click({ timeout: 30_000 });
  await answerDialog(page, 'Submit');
  let id: string | undefined;
  for (let i = 0; i < 300 && !id; i++) {
    id = emulator.batchIds().find((b) => !before.has(b));
    if (!id) await page.waitForTimeout(100);
  }
  assert.ok(id, `${name} was not submitted`);
  emulator.finish(id);
  return id;
}

describe('journey: answers beside their prompts, compare, usage', () => {
  it('follows a results entry to its request, hovers a request for its answer, compares two batches, opens Usage', async () => {
    const { page, server } = world();
    const write = (name: string, lines: string[]) => fs.writeFileSync(path.join(server.workspace, name), `${lines.join('\n')}\n`);
    write('beside-a.jsonl', [request('ask-1', 'Where is Lyon?'), request('ask-2', 'Name a river.'), request('ask-3', 'x [[emulator:api_error]]')]);
    write('beside-b.jsonl', [request('ask-1', 'Where is Lyon?'), request('ask-2', 'Name a mountain.'), request('ask-4', 'Name a lake.')]);
    await submitAndEnd(page, 'beside-a.jsonl');
    await submitAndEnd(page, 'beside-b.jsonl');
    await openBatchesView(page);
    await widenSidebar(page);
    await clickViewAction(page, 'Refresh');
    const rowA = batchRow(page, /^beside-a\.jsonl, ended/);
    const rowB = batchRow(page, /^beside-b\.jsonl, ended/);
    await rowA.waitFor({ timeout: 30_000 });
    await rowB.waitFor({ timeout: 30_000 });

    // Open the results of A; its entries link to their requests' lines.
    await rowA.click({ button: 'right' });
    await chooseMenuItem(page, 'Open Results');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await page.getByRole('tab', { name: /beside-a\.jsonl\.results/ }).waitFor({ timeout: 30_000 });
    // Monaco renders spaces as no-break spaces: match them with \s.
    const link = editor.locator('.view-line span').filter({ hasText: /^source\sline\s2$/ }).first();
    await link.waitFor({ timeout: 30_000 });
    await screenshot('10-beside-1-results-links');
    // A hover or a toast over the line can take the click: dismiss, and try again.
    for (let attempt = 0; ; attempt++) {
      const clicked = await link.click({ modifiers: ['ControlOrMeta'], timeout: 10_000 }).then(() => true, (err: unknown) => (attempt < 2 ? false : Promise.reject(err)));
      if (clicked) break;
      await page.keyboard.press('Escape');
      await page.mouse.move(0, 0);
    }
    await page.getByRole('tab', { name: /^beside-a\.jsonl/ }).and(page.locator('.tab.active')).waitFor({ timeout: 30_000 });
    await page.locator('.statusbar').getByText(/Ln 2, Col 1/).waitFor({ timeout: 30_000 });

    // The batch file shows the answers: a lens at the top, hints after each request, a hover.
    const source = page.locator('.editor-instance .monaco-editor').first();
    await source.locator('.codelens-decoration').filter({ hasText: /2\s✓\s1\s✗/ }).waitFor({ timeout: 30_000 });
    // The workbench shortens a hint to editor.inlayHints.maximumLength characters.
    await source.locator('.view-line').filter({ hasText: /"ask-2".*✓\send_turn\s·\sEmulated\sreply\sto:\sName/ }).first().waitFor({ timeout: 30_000 });
    const line = source.locator('.view-line').filter({ hasText: /"ask-2"/ }).first();
    await line.getByText(/Name\sa\sriver\./).first().hover();
    const hover = page.locator('.monaco-hover').filter({ hasText: /Emulated reply to: Name a river/ });
    await hover.first().waitFor({ timeout: 30_000 });
    assert.match(await hover.first().innerText(), /succeeded · end_turn/);
    await screenshot('10-beside-2-hover');
    await page.keyboard.press('Escape');

    // Compare: select both rows, right-click, Compare Results….
    await openBatchesView(page);
    await rowA.click();
    await rowB.click({ modifiers: ['ControlOrMeta'] });
    await rowB.click({ button: 'right' });
    await chooseMenuItem(page, 'Compare Results…');
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ timeout: 30_000 });
    await diff.getByText(/\(not\sin\sthis\sbatch\)/).first().waitFor({ timeout: 30_000 });
    await screenshot('10-beside-3-compare');

    // Usage, from the Batches view's "…" menu.
    await openBatchesView(page);
    // A row's tooltip, left by the clicks above, would cover the title bar: move away until it goes.
    await page.mouse.move(900, 700);
    await page.locator('.context-view').filter({ hasText: /\S/ }).first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    const sidebar = page.locator('.part.sidebar');
    await sidebar.hover({ position: { x: 40, y: 12 } });
    await sidebar.getByRole('button', { name: /More Actions/ }).first().click();
    await chooseMenuItem(page, 'Usage');
    await page.getByRole('tab', { name: /Usage\.md/ }).waitFor({ timeout: 30_000 });
    const usage = page.locator('.editor-instance .monaco-editor').first();
    await usage.getByText(/##\sTotals/).first().waitFor({ timeout: 30_000 });
    await usage.getByText(/\|\sAll\s\|/).first().waitFor({ timeout: 30_000 });
    await screenshot('10-beside-4-usage');
  });
});
