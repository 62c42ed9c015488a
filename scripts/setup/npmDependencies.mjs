// The project's own npm dependencies, installed with `npm ci` when node_modules is missing or
// does not match package-lock.json (a pull that changed the lockfile, a half-finished install).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanInstallEnv } from './cleanEnv.mjs';

/**
 * What in node_modules disagrees with the lockfile: a list of short reasons, empty when every
 * package the lockfile installs here is present at its locked version. Optional packages (other
 * platforms' binaries) may be absent.
 */
export function lockfileMismatches(repoRoot, { most = 5 } = {}) {
  const lockPath = path.join(repoRoot, 'package-lock.json');
  const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
  if (!fs.existsSync(path.join(repoRoot, 'node_modules'))) return ['node_modules is missing'];
  const reasons = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (!where.startsWith('node_modules/') || entry.link) continue;
    let installed;
    try {
      installed = JSON.parse(fs.readFileSync(path.join(repoRoot, where, 'package.json'), 'utf8'));
    } catch {
      if (!entry.optional) reasons.push(`${where.slice('node_modules/'.length)} is not installed`);
      continue;
    }
    if (entry.version && installed.version !== entry.version) {
      reasons.push(`${where.slice('node_modules/'.length)} is ${installed.version}, the lockfile says ${entry.version}`);
    }
    if (reasons.length >= most) break;
  }
  return reasons;
}

/** Runs `npm ci` when node_modules does not match the lockfile. Returns true when it ran. */
export function ensureNpmDependencies(repoRoot, { log = (m) => console.error(m) } = {}) {
  const reasons = lockfileMismatches(repoRoot);
  if (reasons.length === 0) return false;
  log(`Installing npm dependencies (npm ci): ${reasons[0]}${reasons.length > 1 ? ', …' : ''}.`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    env: cleanInstallEnv(process.env),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`npm ci failed (exit ${result.status}); see its messages above. Fix what it says, then run again.`);
  }
  const left = lockfileMismatches(repoRoot);
  if (left.length) throw new Error(`npm ci finished but node_modules still differs from the lockfile: ${left.join('; ')}`);
  return true;
}
