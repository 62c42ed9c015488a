// Debian packages the real-VS-Code tiers need, installed when missing: directly as root, with
// `sudo -n` when that needs no password, and otherwise a stop with the exact command to run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/** The packages of `names` that dpkg does not report as installed. */
export function missingPackages(names) {
  return names.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

export function installCommand(names) {
  return `sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`;
}

/**
 * Makes sure the Debian packages `names` are installed. `why` says what they are for, in the
 * messages. Throws an Error whose message is the command to run when it cannot install them.
 */
export function ensureDebianPackages(names, { why, log = (m) => console.error(m) } = {}) {
  if (!fs.existsSync('/usr/bin/dpkg-query') || !fs.existsSync('/usr/bin/apt-get')) {
    const missing = names.join(', ');
    throw new Error(`This machine has no apt-get: install ${missing} with its package manager${why ? ` (${why})` : ''}, then run again.`);
  }
  const missing = missingPackages(names);
  if (missing.length === 0) return [];
  const asRoot = process.getuid?.() === 0;
  const sudo = !asRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!asRoot && !sudo) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}${why ? ` (${why})` : ''}.\nInstall them with:\n\n  ${installCommand(missing)}\n\nthen run again.`);
  }
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`Installing Debian packages ${missing.join(', ')}${why ? ` (${why})` : ''}; this takes a minute or two, once.`);
  const run = (args) => {
    const [cmd, ...rest] = [...prefix, ...args];
    const result = spawnSync(cmd, rest, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0) {
      throw new Error(`\`${[...prefix, ...args].join(' ')}\` failed (exit ${result.status}). Install the packages by hand:\n\n  ${installCommand(missing)}\n`);
    }
  };
  // Another apt (an unattended upgrade, a second terminal) may hold dpkg's lock: wait for it.
  run(['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'update', '-qq']);
  run(['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
  const still = missingPackages(missing);
  if (still.length) throw new Error(`apt-get finished but ${still.join(', ')} is still not installed. Try: ${installCommand(still)}`);
  log(`Installed ${missing.join(', ')}.`);
  return missing;
}
