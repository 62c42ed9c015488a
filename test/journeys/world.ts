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
