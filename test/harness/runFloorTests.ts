// `npm test`'s floor tier: the extension-host suite (out/test/suite) and the packaged-.vsix check
// (out/test/vsix) again, in the oldest VS Code that package.json's engines.vscode admits
// (code-server's `floor` build, scripts/setup/codeServer.mjs). What the compile against that
// release's @types/vscode cannot see (contribution points, runtime behaviour, the extension
// host's Node) shows up here.
//
// That code-server predates `--vscode-option`, so it has no smoke-test driver to load a test
// module: everything is installed as a .vsix instead, the extension (the test build, or the
// package itself) and a runner extension that activates on startup, runs the tests
// (test/harness/floorRunner.ts) and writes their outcome where this process reads it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyFixture, ensureCodeServer, launchChromium, openWorkbench, repoRoot, startCodeServer, type CodeServerInstall } from './codeServer';
import type { FloorResult } from './floorRunner';
import { exitWith, HOST_TEST_KEY } from './hostSuite';

const stage = path.join(repoRoot, 'out', 'floor');
const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  engines: { vscode: string };
  [key: string]: unknown;
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;

async function main(): Promise<number> {
  const install = ensureCodeServer('floor');
  const vscodeVersion = floorVsCodeVersion(install);
  console.log(`VS Code ${vscodeVersion} (engines.vscode ${manifest.engines.vscode})`);

  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  // The test build first: packaging below rebuilds dist/ for production.
  const testBuild = packFolder(testBuildFolder(), path.join(stage, 'claude-batches-test-build.vsix'));
  const runner = packFolder(runnerFolder(), path.join(stage, 'claude-batches-floor-runner.vsix'));
  const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: 'inherit' });
  if (packaged.status !== 0) throw new Error('npm run package failed; its messages are above.');
  const vsix = path.join(repoRoot, 'dist-vsix', 'claude-batches.vsix');

  let failed = 0;
  console.log('\nThe extension-host suite, from the test build installed as a .vsix:');
  if (!(await runInstalled(install, { name: 'floor-host', vsix: [testBuild, runner], tests: path.join(repoRoot, 'out', 'test', 'suite'), env: { ANTHROPIC_API_KEY: HOST_TEST_KEY }, minutes: 20 }))) failed++;
  console.log('\nThe packaged .vsix:');
  if (!(await runInstalled(install, { name: 'floor-vsix', vsix: [vsix, runner], tests: path.join(repoRoot, 'out', 'test', 'vsix'), env: { ANTHROPIC_API_KEY: undefined }, minutes: 5 }))) failed++;
  return failed ? 1 : 0;
}

/**
 * The VS Code version of the floor build, checked against engines.vscode: the tier proves the
 * floor only if it runs the release the manifest names (same major and minor).
 */
function floorVsCodeVersion(install: CodeServerInstall): string {
  const file = path.join(install.dir, 'cs', 'node_modules', 'code-server', 'lib', 'vscode', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string };
  const floor = /^\^(\d+)\.(\d+)\.\d+$/.exec(manifest.engines.vscode);
  if (!floor) throw new Error(`package.json's engines.vscode is "${manifest.engines.vscode}"; the floor tier expects "^major.minor.0".`);
  const [major, minor] = version.split('.').map(Number);
  if (major !== Number(floor[1]) || minor !== Number(floor[2])) {
    throw new Error(
      `The floor code-server runs VS Code ${version}, but package.json's engines.vscode is ${manifest.engines.vscode}: ` +
        'change the floor build in scripts/setup/codeServer.mjs to the code-server release of that VS Code (or the other way round).',
    );
  }
  return version;
}

/**
 * The extension as the extension-host suite loads it: this manifest and media, with the test
 * bundle (dist/extension.test.js, whose activate() returns the internals) as its main, beside the
 * lazily loaded bundles it requires. Copied, not linked: it is packed into a .vsix.
 */
function testBuildFolder(): string {
  const folder = path.join(stage, 'test-build');
  const dist = path.join(repoRoot, 'dist');
  if (!fs.existsSync(path.join(dist, 'extension.test.js'))) throw new Error(`${dist}/extension.test.js is missing: build with \`node esbuild.mjs\` (not --production).`);
  fs.mkdirSync(path.join(folder, 'dist'), { recursive: true });
  // No scripts (vsce would run vscode:prepublish), no dependencies: it is built already.
  const { scripts: _scripts, devDependencies: _dev, dependencies: _deps, ...rest } = manifest;
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...rest, main: './dist/extension.js' }, null, 2));
  fs.copyFileSync(path.join(dist, 'extension.test.js'), path.join(folder, 'dist', 'extension.js'));
  for (const file of fs.readdirSync(dist)) {
    // Every lazily loaded sibling bundle (features, sdk, results…), and the maps; the test bundle is the main.
    if (/\.js(\.map)?$/.test(file) && !/^extension(\.test)?\.js$/.test(file)) fs.copyFileSync(path.join(dist, file), path.join(folder, 'dist', file));
  }
  for (const entry of ['media', 'package.nls.json', 'l10n', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (fs.existsSync(path.join(repoRoot, entry))) fs.cpSync(path.join(repoRoot, entry), path.join(folder, entry), { recursive: true });
  }
  return folder;
}

/** The runner extension: activates on startup and hands over to floorRunner.js in out/. */
function runnerFolder(): string {
  const folder = path.join(stage, 'runner');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify(
      {
        name: 'claude-batches-floor-runner',
        publisher: 'claude-batches-tests',
        version: '0.0.0',
        description: 'Runs the extension-host tests in a VS Code without a smoke-test driver.',
        engines: { vscode: manifest.engines.vscode },
        activationEvents: ['onStartupFinished'],
        main: './extension.js',
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(folder, 'extension.js'), runnerStub(path.join(__dirname, 'floorRunner.js')));
  return folder;
}

/**
 * The runner extension's main: loads `runner` (floorRunner.js) and activates it. Plain JS, so
 * that a runner that cannot even load (a dependency that needs a newer Node, say) still writes
 * why to the result file at once, instead of leaving the floor tier waiting for its time-out.
 */
export function runnerStub(runner: string): string {
  return `const fs = require('node:fs');
exports.activate = () => {
  let runner;
  try {
    runner = require(${JSON.stringify(runner)});
  } catch (err) {
    const result = process.env.CLAUDE_BATCHES_FLOOR_RESULT;
    if (result) {
      fs.writeFileSync(result + '.partial', JSON.stringify({ passed: false, error: 'The floor runner could not load: ' + ((err && err.stack) || err) }));
      fs.renameSync(result + '.partial', result);
    }
    throw err;
  }
  return runner.activate();
};
exports.deactivate = () => {};
`;
}

function packFolder(folder: string, out: string): string {
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out];
  const packed = spawnSync(vsce, args, { cwd: folder, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`vsce could not package ${folder}:\n${packed.stdout}${packed.stderr}`);
  return out;
}

interface InstalledRun {
  /** Used for the log file name. */
  name: string;
  vsix: string[];
  /** The folder of *.test.js files. */
  tests: string;
  env: Record<string, string | undefined>;
  minutes: number;
}

/** Starts the floor VS Code with `vsix` installed, opens its workbench, and waits for the runner's outcome. */
async function runInstalled(install: CodeServerInstall, run: InstalledRun): Promise<boolean> {
  const workspace = copyFixture('workspace');
  const exchange = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-floor-'));
  const output = path.join(exchange, 'output.txt');
  const result = path.join(exchange, 'result.json');
  fs.writeFileSync(output, '');
  const verbose = !!process.env.CLAUDE_BATCHES_VERBOSE;
  const logFile = path.join(repoRoot, 'test-results', `${run.name}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, '');
  const log = (line: string) => {
    fs.appendFileSync(logFile, `${line}\n`);
    if (verbose) console.log(line);
  };

  const server = await startCodeServer(install, {
    workspace,
    smokeTestDriver: false,
    installVsix: run.vsix,
    env: {
      ANTHROPIC_BASE_URL: undefined,
      CLAUDE_BATCHES_TEST_WORKSPACE: workspace,
      CLAUDE_BATCHES_REPO: repoRoot,
      CLAUDE_BATCHES_FLOOR_TESTS: run.tests,
      CLAUDE_BATCHES_FLOOR_OUTPUT: output,
      CLAUDE_BATCHES_FLOOR_RESULT: result,
      ...run.env,
    },
    log,
  });
  let serverExited = false;
  void server.exited.then(() => (serverExited = true));
  const browser = await launchChromium();
  let printed = 0;
  const printNew = () => {
    const text = fs.readFileSync(output, 'utf8');
    const end = text.lastIndexOf('\n') + 1; // whole lines only
    if (end > printed) process.stdout.write(text.slice(printed, end));
    printed = Math.max(printed, end);
  };
  try {
    const page = await openWorkbench(browser, server, { clipboard: true });
    page.on('console', (message) => log(`[workbench ${message.type()}] ${message.text()}`));
    const deadline = Date.now() + run.minutes * 60_000;
    while (!fs.existsSync(result) && !serverExited && Date.now() < deadline) {
      printNew();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    printNew();
    if (!fs.existsSync(result)) {
      console.error(
        serverExited
          ? 'code-server ended before the tests reported an outcome.'
          : `The tests reported no outcome within ${run.minutes} minutes${printed === 0 ? ' and printed nothing: did the runner extension activate?' : '.'}`,
      );
      console.error(`The workbench's full log is in ${path.relative(process.cwd(), logFile)}.`);
      return false;
    }
    const outcome = JSON.parse(fs.readFileSync(result, 'utf8')) as FloorResult;
    if (!outcome.passed) {
      console.error(outcome.error ?? 'The tests failed.');
      console.error(`The workbench's full log is in ${path.relative(process.cwd(), logFile)}.`);
    }
    return outcome.passed;
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(exchange, { recursive: true, force: true });
  }
}

if (require.main === module) exitWith(main());
