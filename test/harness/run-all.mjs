// `npm test`: every tier, in order, each against a build made once at the start.
//   lint + types → unit (plain Node) → extension host (real VS Code) → .vsix install → UI journeys
// Prints each tier's own output, then one closing line: "tests: N passed, N failed, N skipped".
import { spawn } from 'node:child_process';

const tiers = [
  { name: 'build', cmd: 'node', args: ['esbuild.mjs'], always: true },
  { name: 'compile tests (tsc, also type-checks)', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.test.json'], always: true },
  { name: 'lint', cmd: 'npx', args: ['eslint', '.'] },
  { name: 'unit', cmd: 'npx', args: ['mocha', '--config', '.mocharc.unit.json'], counts: true },
  { name: 'extension host (code-server)', cmd: 'node', args: ['out/test/harness/runVsCodeTests.js'], counts: true },
  { name: 'packaged .vsix (code-server)', cmd: 'node', args: ['out/test/harness/runVsixTest.js'], counts: true },
  { name: 'UI journeys (code-server + Chromium)', cmd: 'node', args: ['out/test/harness/runJourneys.js'], counts: true },
];

// CLAUDE_BATCHES_TIERS=unit,extension runs only the tiers whose names start so (after the build).
const only = process.env.CLAUDE_BATCHES_TIERS?.split(',');
const wanted = (tier) => !only || tier.always || only.some((o) => tier.name.startsWith(o));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedTiers = [];

for (const tier of tiers) {
  if (!wanted(tier)) continue;
  const started = Date.now();
  console.log(`\n━━ ${tier.name} ━━`);
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
