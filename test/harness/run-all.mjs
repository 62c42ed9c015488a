// `npm test`: every tier, in order, each against a build made once at the start.
//   set-up → lint + types → unit (plain Node) → set-up commands (code-server install, npm start)
//   → extension host (real VS Code) → .vsix install → floor (both again, on the oldest VS Code
//   engines.vscode admits) → UI journeys
// Prints each tier's own output, then one closing line: "tests: N passed, N failed, N skipped".
//
// On a fresh clone it first installs what is missing: npm dependencies (npm ci) when node_modules
// does not match the lockfile, and Chromium for the tiers that drive a real VS Code. code-server
// is installed into its cache by the first tier that needs it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from '../../scripts/setup/debianPackages.mjs';
import { ensureNpmDependencies } from '../../scripts/setup/npmDependencies.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const tiers = [
  { name: 'build', cmd: 'node', args: ['esbuild.mjs'], always: true },
  // out/ is emptied first: a test file moved or deleted must not go on running from an old build.
  { name: 'compile tests (tsc, also type-checks)', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.test.json'], always: true, emptyFirst: 'out' },
  { name: 'lint', cmd: 'npx', args: ['eslint', '.'] },
  { name: 'unit', cmd: 'npx', args: ['mocha', '--config', '.mocharc.unit.json'], counts: true },
  { name: 'set-up commands (code-server install, npm start)', cmd: 'npx', args: ['mocha', '--timeout', '1200000', 'out/test/setup/*.test.js'], counts: true, realVsCode: true },
  { name: 'extension host (code-server)', cmd: 'node', args: ['out/test/harness/runVsCodeTests.js'], counts: true, realVsCode: true },
  { name: 'packaged .vsix (code-server)', cmd: 'node', args: ['out/test/harness/runVsixTest.js'], counts: true, realVsCode: true },
  { name: 'translated: the extension in another display language, from pseudo-translations', cmd: 'node', args: ['out/test/harness/runL10nTests.js'], counts: true, realVsCode: true },
  // The extension-host suite and the .vsix check again, in the oldest VS Code engines.vscode admits.
  { name: 'floor: extension host + .vsix on the oldest supported VS Code (code-server 4.90.3)', cmd: 'node', args: ['out/test/harness/runFloorTests.js'], counts: true, realVsCode: true },
  { name: 'UI journeys (code-server + Chromium)', cmd: 'node', args: ['out/test/harness/runJourneys.js'], counts: true, realVsCode: true },
];

// CLAUDE_BATCHES_TIERS=unit,extension runs only the tiers whose names start so (after the build).
const only = process.env.CLAUDE_BATCHES_TIERS?.split(',');
const wanted = (tier) => !only || tier.always || only.some((o) => tier.name.startsWith(o));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedTiers = [];

console.log('━━ set-up ━━');
try {
  ensureNpmDependencies(repoRoot, { log: (m) => console.log(m) });
  if (tiers.some((tier) => tier.realVsCode && wanted(tier)) && !hasChromium()) {
    ensureDebianPackages(['chromium'], { why: 'the tests drive a real VS Code in it', log: (m) => console.log(m) });
  }
  console.log('━━ set-up: ok');
} catch (err) {
  console.log(`━━ set-up: FAILED\n${err instanceof Error ? err.message : err}`);
  console.log('\ntests: 0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

for (const tier of tiers) {
  if (!wanted(tier)) continue;
  const started = Date.now();
  console.log(`\n━━ ${tier.name} ━━`);
  if (tier.emptyFirst) fs.rmSync(path.join(repoRoot, tier.emptyFirst), { recursive: true, force: true });
  const { code, output } = await run(tier.cmd, tier.args);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (tier.counts) {
    const counts = mochaCounts(output);
    totals.passed += counts.passing;
    totals.failed += counts.failing;
    totals.skipped += counts.pending;
    if (code !== 0 && counts.failing === 0) totals.failed += 1; // the tier itself broke
    console.log(`━━ ${tier.name}: ${counts.passing} passed, ${counts.failing} failed, ${counts.pending} skipped in ${seconds} s`);
  } else {
    console.log(`━━ ${tier.name}: ${code === 0 ? 'ok' : 'FAILED'} in ${seconds} s`);
  }
  if (code !== 0) {
    failedTiers.push(tier.name);
    if (!tier.counts) break; // nothing after a broken build can mean anything
  }
}

console.log('');
if (failedTiers.length) console.log(`Failed: ${failedTiers.join('; ')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedTiers.length ? 1 : 0);

/** Same search as the harness's findChromium(): an explicit path, else the usual places. */
function hasChromium() {
  const explicit = [process.env.CHROMIUM_PATH, process.env.CHROME_PATH].filter(Boolean);
  const usual = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];
  return [...explicit, ...usual].some((candidate) => fs.existsSync(candidate));
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    const forward = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function mochaCounts(output) {
  const num = (re) => [...output.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    passing: num(/^\s*(\d+) passing/gm),
    failing: num(/^\s*(\d+) failing/gm),
    pending: num(/^\s*(\d+) pending/gm),
  };
}
