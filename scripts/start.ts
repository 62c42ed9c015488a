// `npm start`: the extension in a real VS Code, against the local emulator of the Batches API
// (with a sample history: batches in every state), or against the real API when ANTHROPIC_API_KEY
// is set in the environment.
//
//   npm start                      emulator + desktop VS Code if `code` is on PATH, else code-server
//   npm start -- --code-server     force code-server (prints the URL to open)
//   npm start -- --port 8080       code-server on this port
//   npm start -- --real            the real Anthropic API (the default when ANTHROPIC_API_KEY is set)
//   npm start -- --emulator        the emulator even when ANTHROPIC_API_KEY is set
//   npm start -- --home DIR        keep settings, secrets, the emulator's state and the workspace in DIR
//
// `npm start` runs scripts/start.mjs first, which installs what is missing (npm dependencies;
// code-server when there is no desktop VS Code) and builds. Settings, secrets and the emulator's
// batches are kept in ~/.cache/claude-batches/start between runs; the sample workspace is copied
// there once, so your edits to it survive too.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seedSampleHistory, startEmulator, type Emulator } from '../test/emulator';
import { ensureCodeServer, repoRoot, startCodeServer, workbenchUrl } from '../test/harness/codeServer';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const cacheRoot = process.env.CLAUDE_BATCHES_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'claude-batches');
const home = path.resolve(option('--home') ?? path.join(cacheRoot, 'start'));

async function main(): Promise<void> {
  fs.mkdirSync(home, { recursive: true });
  const workspace = path.join(home, 'workspace');
  if (!fs.existsSync(workspace)) fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });

  let emulator: Emulator | undefined;
  const env: Record<string, string | undefined> = {};
  const real = flag('--real') || (!!process.env.ANTHROPIC_API_KEY && !flag('--emulator'));
  if (real) {
    if (!process.env.ANTHROPIC_API_KEY) {
      throw new Error('--real needs ANTHROPIC_API_KEY in the environment (or drop --real to use the emulator).');
    }
    console.log('ANTHROPIC_API_KEY is set: using the real Anthropic API. Batches you submit cost money.');
    console.log('To use the built-in emulator instead: npm start -- --emulator');
  } else {
    emulator = await startEmulator({
      port: Number(option('--emulator-port') ?? 0),
      timing: { perRequestMs: 400 },
      statePath: path.join(home, 'emulator-state.json'),
    });
    if (emulator.batchIds().length === 0) seedSampleHistory(emulator);
    env.ANTHROPIC_API_KEY = emulator.apiKey;
    env.ANTHROPIC_BASE_URL = emulator.url;
    console.log(`Emulator of the Batches API: ${emulator.url} (key ${emulator.apiKey}, state in ${home})`);
  }

  const code = flag('--code-server') ? undefined : findDesktopCode();
  if (code) {
    console.log(`Opening desktop VS Code (${code}) with the extension under development…`);
    const child = spawn(
      code,
      ['--new-window', '--wait', `--extensionDevelopmentPath=${repoRoot}`, `--user-data-dir=${path.join(home, 'desktop-user')}`, workspace],
      { stdio: 'inherit', env: { ...process.env, ...env } },
    );
    await new Promise((resolve) => child.on('exit', resolve));
  } else {
    const install = ensureCodeServer();
    const server = await startCodeServer(install, {
      workspace,
      port: option('--port') ? Number(option('--port')) : undefined,
      userDataDir: path.join(home, 'code-server-user'),
      env,
      // Loaded as an installed extension (linked to this checkout): the smoke-test driver that
      // would load it as "under development" also turns notification toasts off.
      smokeTestDriver: false,
      linkExtension: repoRoot,
    });
    console.log('');
    console.log('Claude Batches is running in VS Code (code-server). Open this URL in a browser:');
    console.log('');
    console.log(`  ${workbenchUrl(server, {})}`);
    console.log('');
    console.log('Press Ctrl+C to stop.');
    const stop = async () => {
      await server.stop();
      await emulator?.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    await server.exited;
  }
  await emulator?.close();
}

function findDesktopCode(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const code = found.stdout.trim();
  // code-server also installs a `code` shim on some systems; only a desktop VS Code takes --wait.
  return found.status === 0 && code && !code.includes('code-server') ? code : undefined;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
