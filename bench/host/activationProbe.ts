// Runs inside the extension host as extensionTestsPath: activates one extension, and writes what
// its timing wrapper measured from inside (loading the main module, the activate() call and the
// steps activate() marked) beside how long VS Code's activate() took in all.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { InsideTimes } from '../activation';

export async function run(): Promise<void> {
  const { extensionId, outFile, firstUse } = JSON.parse(fs.readFileSync(process.env.CLAUDE_BATCHES_BENCH_TARGET!, 'utf8')) as {
    extensionId: string;
    outFile: string;
    /** A command to run after activation: what its first use costs (the features' load and wiring). */
    firstUse?: string;
  };
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext) throw new Error(`${extensionId} is not loaded`);
  if (ext.isActive) throw new Error(`${extensionId} was already active: the measurement would be empty`);
  const started = performance.now();
  await ext.activate();
  const hostMs = performance.now() - started;
  const inside = (globalThis as { __claudeBatchesBenchActivation?: InsideTimes }).__claudeBatchesBenchActivation;
  if (!inside) throw new Error(`${extensionId} was not activated through the bench's timing wrapper`);
  let firstUseMs: number | undefined;
  let wiring: { step: string; ms: number }[] = [];
  if (firstUse) {
    const before = performance.now();
    await vscode.commands.executeCommand(firstUse);
    firstUseMs = performance.now() - before;
    wiring = steps(FEATURES_PREFIX, before);
  }
  fs.writeFileSync(outFile, JSON.stringify({ hostMs, ...inside, firstUseMs, wiring }));
}

const FEATURES_PREFIX = 'claudeBatches.features:';

/** The marks of one prefix left since `since`, each with the time since the one before (the first: since `since`). */
function steps(prefix: string, since: number): { step: string; ms: number }[] {
  let previous = since;
  return performance
    .getEntriesByType('mark')
    .filter((m) => m.name.startsWith(prefix) && m.startTime >= since)
    .map((m) => {
      const step = { step: m.name.slice(prefix.length), ms: m.startTime - previous };
      previous = m.startTime;
      return step;
    });
}
