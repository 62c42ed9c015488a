// Runs inside the extension host as extensionTestsPath: activates one extension, and writes what
// its timing wrapper measured from inside (loading the main module, the activate() call and the
// steps activate() marked) beside how long VS Code's activate() took in all.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { InsideTimes } from '../activation';

export async function run(): Promise<void> {
  const { extensionId, outFile } = JSON.parse(fs.readFileSync(process.env.CLAUDE_BATCHES_BENCH_TARGET!, 'utf8')) as {
    extensionId: string;
    outFile: string;
  };
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext) throw new Error(`${extensionId} is not loaded`);
  if (ext.isActive) throw new Error(`${extensionId} was already active: the measurement would be empty`);
  const started = performance.now();
  await ext.activate();
  const hostMs = performance.now() - started;
  const inside = (globalThis as { __claudeBatchesBenchActivation?: InsideTimes }).__claudeBatchesBenchActivation;
  if (!inside) throw new Error(`${extensionId} was not activated through the bench's timing wrapper`);
  fs.writeFileSync(outFile, JSON.stringify({ hostMs, ...inside }));
}
