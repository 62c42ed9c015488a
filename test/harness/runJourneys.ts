// Runs the UI journeys (out/test/journeys/*.journey.js): a real VS Code (code-server) with the
// extension under development, a headless Chromium clicking through its workbench, and the
// emulator behind it. Screenshots go to test-results/screenshots/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { startEmulator } from '../emulator';
import { setWorld } from '../journeys/world';
import { copyFixture, ensureCodeServer, launchChromium, openWorkbench, repoRoot, startCodeServer } from './codeServer';

async function main(): Promise<number> {
  const install = ensureCodeServer();
  const emulator = await startEmulator({ timing: 'manual' });
  const workspace = copyFixture('workspace');
  const verbose = !!process.env.CLAUDE_BATCHES_VERBOSE;
  const server = await startCodeServer(install, {
    workspace,
    // No key in the environment: the journeys set one through the UI, as a person does.
    env: { ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined },
    settings: { 'claudeBatches.baseUrl': emulator.url },
    // Loaded as an installed extension (linked), not through the smoke-test driver's payload:
    // that driver turns notification toasts off, and the journeys must see what a person sees.
    smokeTestDriver: false,
    linkExtension: repoRoot,
    log: verbose ? (line) => console.log(line) : undefined,
  });
  const browser = await launchChromium();
  const logFile = path.join(repoRoot, 'test-results', 'journeys-workbench.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, '');
  try {
    const page = await openWorkbench(browser, server, {
      onLog: (type, args) => fs.appendFileSync(logFile, `[${type}] ${args.map(String).join(' ')}\n`),
    });
    setWorld({ page, emulator, server });
    const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, reporter: 'spec', bail: false });
    const grep = process.env.CLAUDE_BATCHES_GREP;
    if (grep) mocha.grep(grep);
    const dir = path.join(repoRoot, 'out', 'test', 'journeys');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.journey.js')).sort()) {
      mocha.addFile(path.join(dir, file));
    }
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failures > 0) {
      await page.screenshot({ path: path.join(repoRoot, 'test-results', 'screenshots', 'failure-last-state.png') }).catch(() => undefined);
      console.error(`Screenshots: test-results/screenshots; workbench log: ${path.relative(process.cwd(), logFile)}`);
    }
    return failures > 0 ? 1 : 0;
  } finally {
    setWorld(undefined);
    await browser.close();
    await server.stop();
    await emulator.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
