#!/usr/bin/env node
// Installs code-server into the cache when it is not there yet, and prints the cache folder as
// the last line of its output. Messages go to stderr. Used by the test harness and `npm start`.
//
//   node scripts/ensure-code-server.mjs [build]
//
// `build` is `current` (the default: the VS Code the extension is developed against) or `floor`
// (the oldest VS Code that package.json's engines.vscode admits); scripts/setup/codeServer.mjs
// says what each installs.
import { ensureCodeServer } from './setup/codeServer.mjs';

try {
  const install = await ensureCodeServer({ build: process.argv[2] ?? 'current' });
  console.log(install.dir);
} catch (err) {
  console.error(`Could not install code-server: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
