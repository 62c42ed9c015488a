// Bundle size and activation time of the extension, measured in a real VS Code (code-server),
// beside the floor: the SDK alone, bundled and minified, loaded by an extension's activate().
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer, launchChromium, openWorkbench, repoRoot, startCodeServer } from '../test/harness/codeServer';
import { kb, median, printTable } from './table';

const RUNS = Number(process.env.BENCH_ACTIVATION_RUNS ?? 5);

export async function benchActivation(): Promise<void> {
  const dist = path.join(repoRoot, 'dist');
  const extensionBytes = fs.statSync(path.join(dist, 'extension.js')).size;
  const lazySdkBytes = fs.statSync(path.join(dist, 'sdk.js')).size;

  // The floor: the SDK alone, bundled and minified the same way.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-bench-'));
  const baseline = path.join(tmp, 'sdk-eager-extension');
  fs.cpSync(path.join(repoRoot, 'bench', 'fixtures', 'sdk-eager-extension'), baseline, { recursive: true });
  await esbuild.build({
    stdin: { contents: "export { default as Anthropic } from '@anthropic-ai/sdk';", resolveDir: repoRoot },
    bundle: true,
    minify: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: path.join(baseline, 'sdk.js'),
    logLevel: 'error',
  });
  const sdkAloneBytes = fs.statSync(path.join(baseline, 'sdk.js')).size;

  const empty = path.join(repoRoot, 'bench', 'fixtures', 'empty-extension');
  const ours = await measureActivation(repoRoot, 'claude-batches.claude-batches', tmp);
  const floor = await measureActivation(baseline, 'claude-batches-bench.sdk-eager-baseline', tmp);
  const nothing = await measureActivation(empty, 'claude-batches-bench.empty-baseline', tmp);
  fs.rmSync(tmp, { recursive: true, force: true });

  printTable(
    `Activation in a real VS Code (code-server), ${RUNS} fresh extension hosts each`,
    ['what', 'loaded at activation', 'activate() ms (median)', 'min', 'max'],
    [
      ['Claude Batches (dist/extension.js)', kb(extensionBytes), median(ours).toFixed(1), Math.min(...ours).toFixed(1), Math.max(...ours).toFixed(1)],
      ['baseline: SDK alone, bundled + minified', kb(sdkAloneBytes), median(floor).toFixed(1), Math.min(...floor).toFixed(1), Math.max(...floor).toFixed(1)],
      ['baseline: an extension that does nothing', '0 KB', median(nothing).toFixed(1), Math.min(...nothing).toFixed(1), Math.max(...nothing).toFixed(1)],
    ],
  );
  console.log(`(the SDK bundle dist/sdk.js, ${kb(lazySdkBytes)}, is loaded on the first API call, not at activation)`);
}

async function measureActivation(extensionPath: string, extensionId: string, tmp: string): Promise<number[]> {
  const install = ensureCodeServer();
  // An empty folder: nothing in it triggers the extension before the probe activates it.
  const workspace = fs.mkdtempSync(path.join(tmp, 'workspace-'));
  const target = path.join(tmp, 'target.json');
  const server = await startCodeServer(install, { workspace, env: { CLAUDE_BATCHES_BENCH_TARGET: target, ANTHROPIC_API_KEY: undefined } });
  const browser = await launchChromium();
  const times: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const outFile = path.join(tmp, `activation-${run}.json`);
      fs.writeFileSync(target, JSON.stringify({ extensionId, outFile }));
      const exited = new Promise<number>((resolve) => {
        void openWorkbench(browser, server, {
          extensionDevelopmentPath: extensionPath,
          extensionTestsPath: path.join(repoRoot, 'out', 'bench', 'host', 'activationProbe.js'),
          onExit: resolve,
        });
      });
      const code = await exited;
      if (code !== 0 || !fs.existsSync(outFile)) throw new Error(`activation probe failed for ${extensionId} (exit ${code})`);
      times.push((JSON.parse(fs.readFileSync(outFile, 'utf8')) as { ms: number }).ms);
      await Promise.all(browser.contexts().map((c) => c.close()));
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return times;
}
