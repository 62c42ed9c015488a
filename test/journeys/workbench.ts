// Small, readable steps on the real workbench, by role and accessible name where VS Code has them.
import type { Locator, Page } from 'playwright-core';

export const BATCHES_CONTAINER = '[id="workbench.view.extension.claudeBatches"]';

/** Opens the Claude Batches view container from the activity bar. */
export async function openBatchesView(page: Page): Promise<Locator> {
  const container = page.locator(BATCHES_CONTAINER);
  if (!(await container.isVisible())) {
    const tab = page.getByRole('tab', { name: /Claude Batches/ });
    await tab.waitFor({ timeout: 60_000 });
    await tab.click();
  }
  await container.waitFor({ state: 'visible' });
  return container;
}

/** Opens the Explorer view. */
export async function openExplorer(page: Page): Promise<Locator> {
  const explorer = page.locator('[id="workbench.view.explorer"]');
  if (!(await explorer.isVisible())) {
    await page.getByRole('tab', { name: /Explorer/ }).first().click();
    // A click on the activity bar can land while the workbench is busy (or toggle the side bar
    // away); the command is what a person falls back on.
    if (!(await explorer.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false))) await runCommand(page, 'View: Show Explorer');
  }
  await explorer.waitFor({ state: 'visible' });
  return explorer;
}

/** The rows of the Batches tree (each row's accessible name is "label, description"). */
export function batchRows(page: Page): Locator {
  return page.locator(BATCHES_CONTAINER).getByRole('treeitem');
}

/** The row whose accessible name matches. */
export function batchRow(page: Page, name: RegExp): Locator {
  return page.locator(BATCHES_CONTAINER).getByRole('treeitem', { name });
}

/** Clicks an action in a VS Code context menu that is open. */
export async function chooseMenuItem(page: Page, name: string | RegExp): Promise<void> {
  const item = page.getByRole('menuitem', { name }).first();
  await item.waitFor({ state: 'visible' });
  // A click that lands while the menu is still settling is ignored by the workbench and leaves
  // the menu open; a second click is then safe (an accepted click closes the menu).
  for (let attempt = 0; attempt < 3; attempt++) {
    await item.click().catch(() => undefined);
    if (await item.waitFor({ state: 'hidden', timeout: 1500 }).then(() => true, () => false)) return;
  }
  throw new Error(`The menu item ${String(name)} did not respond to clicks`);
}

/** Clicks a button in the modal dialog VS Code shows for `showWarningMessage({modal: true})`. */
export async function answerDialog(page: Page, button: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible' });
  const text = (await dialog.innerText()).trim();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  return text;
}

/** Runs a command through the command palette, as a person would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Clicks a button in the Batches view's title bar (Refresh, Submit as Batch…). With one view in
 * the container, VS Code shows the view's actions in the side bar's title, outside the view.
 */
export async function clickViewAction(page: Page, name: string): Promise<void> {
  await openBatchesView(page);
  const sidebar = page.locator('.part.sidebar');
  await sidebar.hover();
  await sidebar.getByRole('button', { name, exact: true }).first().click();
}

/** Makes the side bar wide enough to read the rows' descriptions (as a person would drag it). */
export async function widenSidebar(page: Page, width = 560): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box || box.width >= width) return;
  const x = box.x + box.width;
  await page.mouse.move(x + 1, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + width, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
}

/**
 * Waits until a notification toast containing the text shows, and returns its text. A toast can
 * be gone before it is looked at (VS Code hides an information toast after 15 s, and shows none
 * while the notification center is open): the notification is then looked for in the center,
 * which keeps every one, and the run says so.
 */
export async function notification(page: Page, text: RegExp, timeout = 30_000): Promise<string> {
  const toast = page.locator('.notification-toast').filter({ hasText: text });
  try {
    await toast.first().waitFor({ state: 'visible', timeout });
    return (await toast.first().innerText()).trim();
  } catch (err) {
    const listed = await inNotificationCenter(page, text);
    if (listed === undefined) throw err;
    console.log(`      (the notification ${String(text)} was found in the notification center: its toast was not seen)`);
    return listed;
  }
}

/** The text of a notification in the notification center, or undefined; the center is closed again. */
async function inNotificationCenter(page: Page, text: RegExp): Promise<string | undefined> {
  await runCommand(page, 'Notifications: Show Notifications').catch(() => undefined);
  const item = page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first();
  try {
    await item.waitFor({ state: 'visible', timeout: 5_000 });
    return (await item.innerText()).trim();
  } catch {
    return undefined;
  } finally {
    await runCommand(page, 'Notifications: Hide Notifications').catch(() => undefined);
  }
}

/** Closes every notification toast, so the next step starts clean. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}
