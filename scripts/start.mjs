#!/usr/bin/env node
// `npm start`: set up what is missing, build, then run the extension in a real VS Code against
// the local emulator (scripts/start.ts). Plain Node with no dependency, because on a fresh clone
// nothing is installed yet when it starts.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNpmDependencies } from './setup/npmDependencies.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

try {
  ensureNpmDependencies(repoRoot);
  step('build the extension', [path.join(repoRoot, 'esbuild.mjs')]);
  step('compile the launcher and the emulator', [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(repoRoot, 'tsconfig.test.json')]);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
// The launcher reads its arguments from process.argv, as given to `npm start -- …`.
createRequire(import.meta.url)(path.join(repoRoot, 'out', 'scripts', 'start.js'));

function step(what, args) {
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`Could not ${what} (exit ${result.status}); see the messages above.`);
}
