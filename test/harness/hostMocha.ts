// Runs inside the extension host: mocha over the *.test.js files of one folder. The workbench
// reports exit code 0 when the returned promise resolves and 1 when it rejects.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { HOST_OUTPUT_MARKER } from './marker';

/**
 * `print`: where the reporter's lines go. By default the extension host's console, marked for the
 * runner outside, which the workbench's smoke-test driver forwards to it; a VS Code without that
 * driver (the floor tier) passes its own.
 */
export function runHostMocha(dir: string, print: (line: string) => void = (line) => console.log(HOST_OUTPUT_MARKER + line)): Promise<void> {
  // The reporter prints through Base.consoleLog.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) print(line);
  };
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.CLAUDE_BATCHES_GREP;
  if (grep) mocha.grep(grep);
  for (const file of findTests(dir)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
  });
}

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}
