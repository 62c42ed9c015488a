// One measurement of bench/validation.ts, in a fresh process so that no run inherits another's
// heap: `node out/bench/validationWorker.js <baseline|validate> <file>`. Prints one JSON line.
import * as fs from 'node:fs';
import { validateBatchStream } from '../src/domain/jsonl';
import { measure } from './measure';


/** The floor: a streamed read, split into lines, JSON.parse of each line. */
async function baseline(file: string): Promise<number> {
  let lines = 0;
  let carry = '';
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8' })) {
    const text: string = carry + (chunk as string);
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      JSON.parse(text.slice(start, nl));
      lines++;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry.length > 0) {
    JSON.parse(carry);
    lines++;
  }
  return lines;
}

async function validate(file: string): Promise<number> {
  const result = await validateBatchStream(fs.createReadStream(file));
  if (result.errorCount > 0) throw new Error(`the bench file has ${result.errorCount} errors: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  return result.requestCount;
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  const run = mode === 'baseline' ? baseline : mode === 'validate' ? validate : undefined;
  if (!run || !file) throw new Error('usage: validationWorker <baseline|validate> <file>');
  const { result: lines, ms, rssBefore, peakRssDelta } = await measure(() => run(file));
  process.stdout.write(`${JSON.stringify({ mode, ms, lines, rssBefore, peakRssDelta })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
