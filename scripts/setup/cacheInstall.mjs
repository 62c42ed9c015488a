// Installs a thing into a cache folder once, safely:
// - built in a temporary folder beside its final place, and renamed into place only when complete,
//   so a failed or killed install leaves nothing that a later run mistakes for a cache;
// - under a lock (a directory, created atomically), so two runs at once wait for each other
//   instead of building into the same folder; a lock whose owner died is taken over.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const COMPLETE = '.complete';

/**
 * Returns the folder `root/name`, building it with `build(tempDir)` first when it is not there.
 * `build` fills the temporary folder it is given (and may be async); anything it throws leaves
 * no trace in the cache. Options: `log(message)`, `waitMs` (how long to wait for another run's
 * lock, default 30 minutes), `pollMs`.
 */
export async function installOnce({ root, name, build, log = () => {}, waitMs = 30 * 60_000, pollMs = 500 }) {
  const target = path.join(root, name);
  if (isComplete(target)) return target;
  fs.mkdirSync(root, { recursive: true });
  const lock = path.join(root, `${name}.lock`);
  await acquire(lock, { log, waitMs, pollMs, what: name });
  try {
    if (isComplete(target)) return target; // another run finished it while we waited
    removeLeftovers(root, name, log);
    const temp = path.join(root, `.${name}.tmp-${process.pid}-${Date.now()}`);
    fs.mkdirSync(temp);
    try {
      await build(temp);
      fs.writeFileSync(path.join(temp, COMPLETE), new Date().toISOString() + '\n');
      fs.renameSync(temp, target);
    } catch (err) {
      fs.rmSync(temp, { recursive: true, force: true });
      throw err;
    }
    return target;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export function isComplete(dir) {
  return fs.existsSync(path.join(dir, COMPLETE));
}

/** Temporary folders of earlier runs that died, and a target without its completion mark. */
function removeLeftovers(root, name, log) {
  const prefix = `.${name}.tmp-`;
  for (const entry of fs.readdirSync(root)) {
    if (!entry.startsWith(prefix)) continue;
    log(`removing what an interrupted install left behind: ${path.join(root, entry)}`);
    fs.rmSync(path.join(root, entry), { recursive: true, force: true });
  }
  const target = path.join(root, name);
  if (fs.existsSync(target) && !isComplete(target)) {
    log(`removing an incomplete install: ${target}`);
    fs.rmSync(target, { recursive: true, force: true });
  }
}

async function acquire(lock, { log, waitMs, pollMs, what }) {
  const started = Date.now();
  let lastSaid = 0;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'owner.json'), JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const owner = readOwner(lock);
    if (owner === 'dead') {
      log(`taking over the install lock of a run that ended without releasing it (${lock})`);
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    const waited = Date.now() - started;
    if (waited > waitMs) {
      throw new Error(
        `Another install of ${what} (${owner ? `process ${owner.pid}` : 'unknown process'}) has held ${lock} for over ${Math.round(waitMs / 60_000)} minutes. ` +
          `If no other npm test or npm start is running, remove that folder and run again.`,
      );
    }
    if (waited - lastSaid >= 30_000 || lastSaid === 0) {
      lastSaid = waited || 1;
      log(`waiting for another run that is installing ${what}${owner ? ` (process ${owner.pid})` : ''}; ${Math.round(waited / 1000)} s so far`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The lock's owner, 'dead' when it is a process of this machine that no longer runs. */
function readOwner(lock) {
  let owner;
  try {
    owner = JSON.parse(fs.readFileSync(path.join(lock, 'owner.json'), 'utf8'));
  } catch {
    // Created but not yet written (the owner is between mkdir and writeFile), or written by
    // something else: judge by age, so a lock left empty by a crash does not block forever.
    try {
      return Date.now() - fs.statSync(lock).mtimeMs > 60_000 ? 'dead' : undefined;
    } catch {
      return undefined; // released meanwhile
    }
  }
  if (owner?.host === os.hostname() && Number.isInteger(owner.pid) && !isAlive(owner.pid)) return 'dead';
  return owner;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}
