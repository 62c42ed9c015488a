import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../emulator';
import { answerDialog, batchRow, notification, openBatchesView, runCommand, widenSidebar } from './workbench';
import { screenshot, world } from './world';

const ACCOUNT_ITEM = '[id="claude-batches.claude-batches.claudeBatches.account"]';
const WORK_KEY = 'sk-ant-emulator-journey-work-1111';
const PERSONAL_KEY = 'sk-ant-emulator-journey-personal-2222';

const REQUEST = (id: string) => ({ custom_id: id, params: { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user' as const, content: `Hi ${id}` }] } });

/** Types into the quick input that asks `prompt` and accepts it. */
async function answerInput(page: Page, prompt: RegExp, text: string, options: { password?: boolean } = {}): Promise<void> {
  // One input box after another in the same widget: wait for this one's prompt.
  await page.locator('.quick-input-widget').filter({ hasText: prompt }).waitFor({ state: 'visible' });
  const input = page.locator('.quick-input-widget input');
  if (options.password) assert.equal(await input.getAttribute('type'), 'password', 'the key is typed in the clear');
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** Adds an account through the palette: name, its server, its key (checked before it is stored). */
async function addAccount(page: Page, name: string, url: string, key: string): Promise<void> {
  await runCommand(page, 'Claude Batches: Add Account…');
  await answerInput(page, /A name for the account/, name);
  await answerInput(page, /The server of this account/, url);
  await answerInput(page, /Paste your Anthropic API key/, key, { password: true });
  await notification(page, new RegExp(`account "${name}" added and in use`), 30_000);
}

/** Picks an account in the quick pick that is open. */
async function pickAccount(page: Page, name: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

describe('journey: two accounts', () => {
  let emulator: Emulator | undefined;
  after(async () => {
    await emulator?.close();
  });

  it('adds two accounts, switches from the status bar, each shows only its batches, a batch of the other ends with a notification naming it, one is removed', async () => {
    const { page } = world();
    // Two keys of one emulator: two accounts, each with its own batches.
    emulator = await startEmulator({ apiKey: WORK_KEY, otherApiKeys: [PERSONAL_KEY], timing: 'manual' });
    const work = emulator.createBatch([REQUEST('w1'), REQUEST('w2')], { apiKey: WORK_KEY });
    const personal = emulator.createBatch([REQUEST('p1')], { apiKey: PERSONAL_KEY });
    emulator.finish(personal.id);

    const container = await openBatchesView(page);
    await widenSidebar(page);
    await addAccount(page, 'Work', emulator.url, WORK_KEY);
    const item = page.locator(ACCOUNT_ITEM);
    await item.filter({ hasText: 'Work' }).waitFor({ timeout: 30_000 });
    await batchRow(page, new RegExp(work.id)).waitFor({ timeout: 30_000 });
    assert.equal(await batchRow(page, new RegExp(personal.id)).count(), 0);
    await screenshot('11-accounts-1-work');

    await addAccount(page, 'Personal', emulator.url, PERSONAL_KEY);
    await item.filter({ hasText: 'Personal' }).waitFor({ timeout: 30_000 });
    await batchRow(page, new RegExp(personal.id)).waitFor({ timeout: 30_000 });
    assert.equal(await batchRow(page, new RegExp(work.id)).count(), 0, 'the Work batch shows under Personal');
    // The view's title names the account in use.
    await page.locator('.part.sidebar .composite.title').filter({ hasText: /Batches \(Personal\)/ }).waitFor({ timeout: 10_000 });
    await screenshot('11-accounts-2-personal');

    // One click on the status bar, one pick: the other account.
    await item.click();
    await pickAccount(page, 'Work');
    await item.filter({ hasText: 'Work' }).waitFor({ timeout: 30_000 });
    await batchRow(page, new RegExp(work.id)).waitFor({ timeout: 30_000 });
    assert.equal(await batchRow(page, new RegExp(personal.id)).count(), 0, 'the Personal batch shows under Work');

    // Back to Personal while the Work batch runs: it is still watched, and its end is announced.
    await item.click();
    await pickAccount(page, 'Personal');
    await batchRow(page, new RegExp(personal.id)).waitFor({ timeout: 30_000 });
    emulator.finish(work.id);
    const toast = await notification(page, /ended in the account "Work": 2 succeeded/, 120_000);
    assert.match(toast, new RegExp(work.id));
    assert.equal(await batchRow(page, new RegExp(work.id)).count(), 0, 'the ended Work batch shows under Personal');
    await screenshot('11-accounts-3-work-ended-while-personal');

    // Remove Work, after a confirmation that offers to keep or delete its local results.
    await runCommand(page, 'Claude Batches: Remove Account…');
    await pickAccount(page, 'Work');
    const dialog = await answerDialog(page, 'Remove, Delete Local Results');
    assert.match(dialog, /Remove the account "Work"\?/);
    await notification(page, /account "Work" removed/);
    await item.click();
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    assert.deepEqual((await rows.allInnerTexts()).filter((t) => /Work/.test(t)), [], 'Work is still offered');
    await page.keyboard.press('Escape');
    await screenshot('11-accounts-4-removed');

    // Leave the workbench as the other journeys expect it: the journey's accounts gone.
    await runCommand(page, 'Claude Batches: Remove Account…');
    await pickAccount(page, 'Personal');
    await answerDialog(page, 'Remove, Delete Local Results');
    await notification(page, /account "Personal" removed/);
    assert.ok(await container.isVisible());
  });
});
