#!/usr/bin/env node
// Installs code-server into the cache when it is not there yet, and prints the cache folder as
// the last line of its output. Messages go to stderr. Used by the test harness and `npm start`.
import { ensureCodeServer } from './setup/codeServer.mjs';

try {
  const install = await ensureCodeServer();
  console.log(install.dir);
} catch (err) {
  console.error(`Could not install code-server: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
