// Runs inside the extension host of the floor VS Code (test/harness/runFloorTests.ts), loaded by
// a small installed extension that activates on startup. That VS Code has no smoke-test driver,
// so nothing loads a test module for it or hands its exit code back: this does both, through
// files the runner outside names in the environment.
//   CLAUDE_BATCHES_FLOOR_TESTS   the folder of *.test.js files to run (out/test/suite, out/test/vsix)
//   CLAUDE_BATCHES_FLOOR_OUTPUT  the reporter's lines are appended here as they come
//   CLAUDE_BATCHES_FLOOR_RESULT  written once, at the end: {"passed": true} or {"passed": false, "error": "…"}
import * as fs from 'node:fs';
import { runHostMocha } from './hostMocha';

export interface FloorResult {
  passed: boolean;
  /** Why not, when not: failed tests, or a suite that could not even start. */
  error?: string;
}

export function activate(): void {
  const tests = process.env.CLAUDE_BATCHES_FLOOR_TESTS;
  const output = process.env.CLAUDE_BATCHES_FLOOR_OUTPUT;
  const result = process.env.CLAUDE_BATCHES_FLOOR_RESULT;
  if (!tests || !output || !result) return; // not started by the floor runner
  // Not awaited: the suite activates extensions and waits for the workbench, which must not wait
  // for this extension's activation in turn.
  setTimeout(() => void run(tests, output, result), 0);
}

async function run(tests: string, output: string, result: string): Promise<void> {
  // Written whole, then renamed: the runner outside never reads half a result.
  const report = (outcome: FloorResult) => {
    fs.writeFileSync(`${result}.partial`, JSON.stringify(outcome));
    fs.renameSync(`${result}.partial`, result);
  };
  try {
    await runHostMocha(tests, (line) => fs.appendFileSync(output, `${line}\n`));
    report({ passed: true });
  } catch (err) {
    report({ passed: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

export function deactivate(): void {}
