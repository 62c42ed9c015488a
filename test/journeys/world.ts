// What every journey shares: one real VS Code (code-server) with the extension under development,
// one Chromium page on its workbench, and the emulator the extension talks to.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { Emulator } from '../emulator';
import { repoRoot, type RunningCodeServer } from '../harness/codeServer';

export interface World {
  page: Page;
  emulator: Emulator;
  server: RunningCodeServer;
}

let current: World | undefined;

export function setWorld(world: World | undefined): void {
  current = world;
}

export function world(): World {
  if (!current) throw new Error('Journeys run through test/harness/runJourneys (npm run test:journeys).');
  return current;
}

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

/** Saves a screenshot of the whole workbench as test-results/screenshots/<name>.png. */
export async function screenshot(name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await world().page.screenshot({ path: file });
  return file;
}

/** Writes a user setting the way VS Code stores it; the running workbench picks the change up. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  const file = path.join(world().server.userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  settings[key] = value;
  fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  // VS Code watches the file; give it a moment to reload the configuration.
  await new Promise((resolve) => setTimeout(resolve, 1500));
}
