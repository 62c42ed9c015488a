// Runs inside the extension host as extensionTestsPath: activates one extension and writes how
// long `activate()` took (loading its main module included) to the file the runner named.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

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
  const ms = performance.now() - started;
  fs.writeFileSync(outFile, JSON.stringify({ ms }));
}
