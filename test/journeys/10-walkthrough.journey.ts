import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { answerDialog, batchRow, clearNotifications, clickViewAction, openExplorer, runCommand } from './workbench';
import { screenshot, world } from './world';

const WALKTHROUGH = 'Get Started with Claude Batches';

/** Opens the walkthrough from the palette, as a person finds it (Welcome: Open Walkthrough…). */
async function openWalkthrough(page: Page): Promise<Locator> {
  const container = page.locator('.gettingStartedContainer');
  if (await container.isVisible()) return container;
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const input = page.locator('.quick-input-widget input');
  await input.fill(WALKTHROUGH);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: WALKTHROUGH }).first().waitFor();
  await page.keyboard.press('Enter');
  await container.getByText(WALKTHROUGH).first().waitFor({ timeout: 30_000 });
  return container;
}

/** A step of the walkthrough, by its id in package.json. */
function step(page: Page, id: string): Locator {
  return page.locator(`.gettingStartedContainer [data-step-id$="#${id}"]`).first();
}

/** Opens a step and clicks its button (the command link of its description). */
async function doStep(page: Page, id: string, button: string): Promise<void> {
  await openWalkthrough(page);
  const s = step(page, id);
  await s.click();
  await s.getByRole('button', { name: button }).click();
}

/** Waits until VS Code shows the step as done (its check mark). */
async function stepDone(page: Page, id: string): Promise<void> {
  await openWalkthrough(page);
  await page.waitForFunction(
    (stepId) => {
      const el = document.querySelector(`.gettingStartedContainer [data-step-id$="#${stepId}"]`);
      return !!el && (el.classList.contains('complete') || !!el.querySelector('.codicon-pass-filled, .codicon-getting-started-step-checked'));
    },
    id,
    { timeout: 30_000 },
  );
}

/** Picks the quick-pick row holding the text. */
async function pick(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  // A click, not Enter: the walkthrough page may hold the keyboard focus.
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: text }).first();
  await row.click();
  await input.waitFor({ state: 'hidden' });
}

describe('journey: the Get Started walkthrough', () => {
  it('every step runs its command from the walkthrough and checks itself off', async () => {
    const { page, emulator, server } = world();
    await openWalkthrough(page);
    await screenshot('10-walkthrough-1-open');

    // 1. The key, typed into the password box (checked against the API before it is stored).
    await doStep(page, 'setApiKey', 'Set API Key');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(emulator.apiKey);
    await page.keyboard.press('Enter');
    await stepDone(page, 'setApiKey');

    // 2. A starter batch file, written into the workspace and opened.
    const file = path.join(server.workspace, 'requests.batch.jsonl');
    fs.rmSync(file, { force: true });
    await doStep(page, 'newBatchFile', 'New Batch File');
    for (let i = 0; i < 100 && !fs.existsSync(file); i++) await page.waitForTimeout(100);
    assert.ok(fs.existsSync(file), 'New Batch File wrote no requests.batch.jsonl');
    await page.getByRole('tab', { name: /requests\.batch\.jsonl/ }).waitFor({ timeout: 30_000 });
    await stepDone(page, 'newBatchFile');
    // One request that the emulator fails, so that the last step has something to retry.
    fs.appendFileSync(
      file,
      `${JSON.stringify({ custom_id: 'starter-fails', params: { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'This one fails. [[emulator:api_error]]' }] } })}\n`,
    );

    // 3. Submit: the file is picked, the cost confirmed.
    await clearNotifications(page);
    const before = new Set(emulator.batchIds());
    await doStep(page, 'submit', 'Submit as Batch');
    await pick(page, 'requests.batch.jsonl');
    const dialog = page.locator('.monaco-dialog-box');
    if (!(await dialog.waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false))) {
      throw new Error(`Submit showed no confirmation; notifications: ${(await page.locator('.notification-toast').allInnerTexts()).join(' | ')}`);
    }
    const confirmation = await answerDialog(page, 'Submit');
    assert.match(confirmation, /Submit 4 requests from requests\.batch\.jsonl as a batch\?/);
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      id = emulator.batchIds().find((b) => !before.has(b));
      if (!id) await page.waitForTimeout(100);
    }
    assert.ok(id, 'the batch was not created');
    // The submission ends by revealing the new batch in the Batches view; the view is hidden below
    // only once that is over, or the reveal would bring it back.
    await page.locator('.notification-toast').filter({ hasText: `Submitted requests.batch.jsonl as batch ${id}` }).first().waitFor({ timeout: 30_000 });
    await stepDone(page, 'submit');

    // 4. Watch: the Batches view (hidden first: the step is done when the view comes into sight).
    await openExplorer(page);
    await doStep(page, 'watch', 'Show the Batches View');
    await page.locator('[id="workbench.view.extension.claudeBatches"]').waitFor({ state: 'visible' });
    await stepDone(page, 'watch');

    // 5. Results, once the batch ended (and the view shows it).
    emulator.finish(id);
    await clickViewAction(page, 'Refresh');
    await batchRow(page, /^requests\.batch\.jsonl, ended, 3 succeeded, 1 errored/).waitFor({ timeout: 30_000 });
    await doStep(page, 'openResults', 'Open Results');
    await pick(page, 'requests.batch.jsonl');
    await page.getByRole('tab', { name: /requests\.batch\.jsonl\.results/ }).waitFor({ timeout: 30_000 });
    await stepDone(page, 'openResults');

    // 6. Retry what failed: a new batch file with the one failed request.
    await doStep(page, 'retryFailed', 'Retry Failed Requests');
    // With one batch to retry there may be no pick; the retry file opens, and submitting it is offered.
    const retryDialog = page.locator('.monaco-dialog-box');
    const retryPick = page.locator('.quick-input-widget input');
    await Promise.race([retryDialog.waitFor({ state: 'visible', timeout: 30_000 }), retryPick.waitFor({ state: 'visible', timeout: 30_000 })]);
    if (await retryPick.isVisible()) await pick(page, 'requests.batch.jsonl');
    const offer = await answerDialog(page, 'Cancel');
    assert.match(offer, /Submit the 1 failed requests of "requests\.batch\.jsonl" as a new batch\?/);
    await page.getByRole('tab', { name: /requests\.batch\.retry\.jsonl/ }).waitFor({ timeout: 30_000 });
    await stepDone(page, 'retryFailed');
    await screenshot('10-walkthrough-2-all-done');
    for (const made of [file, path.join(server.workspace, 'requests.batch.retry.jsonl')]) fs.rmSync(made, { force: true });
  });
});
