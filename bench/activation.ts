// Bundle size and activation cost of the extension, measured in a real VS Code (code-server),
// beside an extension that does nothing and one that loads the SDK at once, in the same run.
//
// What VS Code's own activate() takes is dominated by the extension host (its start, reading the
// manifest, the API object), which varies by hundreds of ms from host to host. So each extension
// is measured from inside: a wrapper (its manifest's main) times the require() of the real main
// module and the activate() call, and collects the User Timing marks activate() leaves (one per
// step of the wiring) — the same two figures VS Code's Running Extensions view shows as code
// loading and activation call.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer, launchChromium, openWorkbench, repoRoot, startCodeServer } from '../test/harness/codeServer';
import { kb, median, printTable } from './table';

const RUNS = Number(process.env.BENCH_ACTIVATION_RUNS ?? 15);
/** The goal: our code loading plus activate() call, median, at most this much over the empty extension's. */
const GOAL_MS = 10;
const MARK_PREFIX = 'claudeBatches.activate:';

/** What the wrapper measures inside the extension host, in ms. */
export interface InsideTimes {
  loadMs: number;
  activateMs: number;
  /** Each step activate() marked, with the time since the previous mark (the first: since the call). */
  steps: { step: string; ms: number }[];
}

interface Run extends InsideTimes {
  hostMs: number;
  /** The first command after activation, with the features' load and wiring (ours only). */
  firstUseMs?: number;
  /** The wiring's steps during that first command. */
  wiring: { step: string; ms: number }[];
}

/** The command the bench runs after activation to measure the features' load: no dialog, no request without a key. */
const FIRST_USE_COMMAND = 'claudeBatches.refresh';

export async function benchActivation(): Promise<void> {
  const dist = path.join(repoRoot, 'dist');
  const extensionBytes = fs.statSync(path.join(dist, 'extension.js')).size;
  const lazySdkBytes = fs.statSync(path.join(dist, 'sdk.js')).size;
  const featuresBytes = fs.statSync(path.join(dist, 'features.js')).size;
  const resultsBytes = fs.statSync(path.join(dist, 'results.js')).size;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-bench-'));

  // The floor of loading the API at once: the SDK alone, bundled and minified the same way.
  const sdkEager = path.join(tmp, 'sdk-eager-source');
  fs.cpSync(path.join(repoRoot, 'bench', 'fixtures', 'sdk-eager-extension'), sdkEager, { recursive: true });
  await esbuild.build({
    stdin: { contents: "export { default as Anthropic } from '@anthropic-ai/sdk';", resolveDir: repoRoot },
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: path.join(sdkEager, 'sdk.js'),
    logLevel: 'error',
  });
  const sdkAloneBytes = fs.statSync(path.join(sdkEager, 'sdk.js')).size;

  // Ours: the manifest (its views and commands, which activate() registers against) and dist/.
  const oursSource = path.join(tmp, 'ours-source');
  fs.mkdirSync(oursSource);
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(oursSource, 'package.json'));
  fs.cpSync(dist, path.join(oursSource, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.map') && !f.endsWith('extension.test.js') });
  if (fs.existsSync(path.join(repoRoot, 'media'))) fs.cpSync(path.join(repoRoot, 'media'), path.join(oursSource, 'media'), { recursive: true });

  const measured: [string, string, Run[]][] = [];
  for (const [label, source, size, firstUse] of [
    ['Claude Batches (dist/extension.js)', oursSource, kb(extensionBytes), FIRST_USE_COMMAND],
    ['baseline: an extension that does nothing', path.join(repoRoot, 'bench', 'fixtures', 'empty-extension'), '0 KB', undefined],
    ['baseline: SDK alone, bundled + minified, loaded at once', sdkEager, kb(sdkAloneBytes), undefined],
  ] as const) {
    const { folder, extensionId } = wrap(source, tmp);
    measured.push([label, size, await measureActivation(folder, extensionId, tmp, firstUse)]);
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  const stats = (values: number[]) => [median(values).toFixed(1), Math.min(...values).toFixed(1), Math.max(...values).toFixed(1)];
  const own = (r: Run) => r.loadMs + r.activateMs;
  printTable(
    `Activation in a real VS Code (code-server), ${RUNS} fresh extension hosts each, measured inside the host: ms (median, min, max)`,
    ['what', 'loaded at activation', 'load + activate()', 'min', 'max', 'code loading', 'activate() call', "VS Code's activate() in all"],
    measured.map(([label, size, runs]) => [label, size, ...stats(runs.map(own)), median(runs.map((r) => r.loadMs)).toFixed(1), median(runs.map((r) => r.activateMs)).toFixed(1), median(runs.map((r) => r.hostMs)).toFixed(1)]),
  );
  const ours = measured[0][2];
  const empty = measured[1][2];
  const over = median(ours.map(own)) - median(empty.map(own));
  console.log(`Claude Batches over the empty extension: ${over.toFixed(1)} ms (median of load + activate()); goal ≤ ${GOAL_MS} ms: ${over <= GOAL_MS ? 'met' : 'NOT met'}`);
  console.log(
    `(loaded later: the features, dist/features.js ${kb(featuresBytes)}, on first use; the SDK, dist/sdk.js ${kb(lazySdkBytes)}, on the first API call; the results, dist/results.js ${kb(resultsBytes)}, on the first results document)`,
  );

  const breakdown = (title: string, of: (r: Run) => { step: string; ms: number }[]) => {
    const steps = of(ours[0])?.map((s) => s.step) ?? [];
    printTable(
      title,
      ['step (ends at)', 'median', 'max'],
      steps.map((step) => {
        const times = ours.map((r) => of(r).find((s) => s.step === step)?.ms ?? 0);
        return [step, median(times).toFixed(2), Math.max(...times).toFixed(2)];
      }),
    );
  };
  breakdown("Where Claude Batches' activate() spends its time: ms per step (median, max)", (r) => r.steps);
  const firstUse = ours.map((r) => r.firstUseMs ?? NaN);
  console.log(
    `First use after activation (the command ${FIRST_USE_COMMAND}: loads dist/features.js, wires the features, runs it): ${stats(firstUse).join(' ms, ')} ms (median, min, max)`,
  );
  breakdown('Where the first use spends its time: ms per step of the wiring (median, max; "start" includes loading dist/features.js)', (r) => r.wiring);
}

/**
 * A copy of the extension whose main is a timing wrapper around the real one, activated only by
 * the probe (no activation event: at startup it would be active before the probe runs).
 */
function wrap(source: string, tmp: string): { folder: string; extensionId: string } {
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { name: string; publisher: string; main: string; activationEvents?: string[] };
  const folder = path.join(tmp, `${manifest.name}-timed`);
  fs.cpSync(source, folder, { recursive: true });
  const realMain = `./${path.posix.normalize(manifest.main).replace(/^\.\//, '')}`;
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, main: './bench-timed-main.js', activationEvents: [] }, null, 2));
  fs.writeFileSync(
    path.join(folder, 'bench-timed-main.js'),
    `// Written by bench/activation.ts: times loading ${realMain} and its activate() from inside the extension host.
const { performance } = require('node:perf_hooks');
let main;
exports.activate = function activate(context) {
  const before = performance.now();
  main = require(${JSON.stringify(realMain)});
  const loaded = performance.now();
  const returned = main.activate(context);
  const activated = performance.now();
  let previous = loaded;
  const steps = performance
    .getEntriesByType('mark')
    .filter((m) => m.name.startsWith(${JSON.stringify(MARK_PREFIX)}) && m.startTime >= loaded)
    .map((m) => {
      const step = { step: m.name.slice(${MARK_PREFIX.length}), ms: m.startTime - previous };
      previous = m.startTime;
      return step;
    });
  globalThis.__claudeBatchesBenchActivation = { loadMs: loaded - before, activateMs: activated - loaded, steps };
  return returned;
};
exports.deactivate = function deactivate() {
  return main && main.deactivate && main.deactivate();
};
`,
  );
  return { folder, extensionId: `${manifest.publisher}.${manifest.name}` };
}

async function measureActivation(extensionPath: string, extensionId: string, tmp: string, firstUse: string | undefined): Promise<Run[]> {
  const install = ensureCodeServer();
  // An empty folder: nothing in it triggers the extension before the probe activates it.
  const workspace = fs.mkdtempSync(path.join(tmp, 'workspace-'));
  const target = path.join(tmp, 'target.json');
  const server = await startCodeServer(install, { workspace, env: { CLAUDE_BATCHES_BENCH_TARGET: target, ANTHROPIC_API_KEY: undefined } });
  const browser = await launchChromium();
  const runs: Run[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const outFile = path.join(tmp, `activation-${run}.json`);
      fs.writeFileSync(target, JSON.stringify({ extensionId, outFile, firstUse }));
      const exited = new Promise<number>((resolve) => {
        void openWorkbench(browser, server, {
          extensionDevelopmentPath: extensionPath,
          extensionTestsPath: path.join(repoRoot, 'out', 'bench', 'host', 'activationProbe.js'),
          onExit: resolve,
        });
      });
      const code = await exited;
      if (code !== 0 || !fs.existsSync(outFile)) throw new Error(`activation probe failed for ${extensionId} (exit ${code})`);
      runs.push(JSON.parse(fs.readFileSync(outFile, 'utf8')) as Run);
      fs.rmSync(outFile);
      await Promise.all(browser.contexts().map((c) => c.close()));
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return runs;
}
