// Small, readable steps on the real workbench, by role and accessible name where VS Code has them.
import type { Locator, Page } from 'playwright-core';

/** Opens the Claude Batches view container from the activity bar. */
export async function openBatchesView(page: Page): Promise<Locator> {
  const tab = page.getByRole('tab', { name: /Claude Batches/ });
  await tab.waitFor({ timeout: 60_000 });
  const view = page.locator('.pane').filter({ has: page.getByRole('button', { name: /Batches/ }) });
  if (!(await page.locator('[id="workbench.view.extension.claudeBatches"]').isVisible())) await tab.click();
  await page.locator('[id="workbench.view.extension.claudeBatches"]').waitFor({ state: 'visible' });
  return view;
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
