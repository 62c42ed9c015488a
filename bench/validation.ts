// Validation of a full-size batch file (100,000 requests, about 250 MB) beside the floor: a
// streamed read that only splits lines and JSON.parses each one. Each measurement runs in a fresh
// process (bench/validationWorker.ts) with RSS sampled every 20 ms. The file is generated into
// the temp folder at bench time and deleted afterwards.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, printTable } from './table';
import { paragraph, random } from './text';

const RUNS = Number(process.env.BENCH_VALIDATION_RUNS ?? 3);
const LINES = Number(process.env.BENCH_VALIDATION_LINES ?? 100_000);
const MB = 1024 * 1024;

interface WorkerResult {
  mode: string;
  ms: number;
  lines: number;
  rssBefore: number;
  peakRssDelta: number;
}


const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-7'];

/** Writes a realistic batch: ~2.5 KB per line, three models, some multi-turn and cached system blocks. */
export function generateBatch(file: string, lines: number): number {
  const next = random(42);
  // A pool of prompt texts, combined per line, keeps generation fast but lines distinct.
  const pool = Array.from({ length: 400 }, () => paragraph(next, 596));
  const systems = Array.from({ length: 20 }, () => paragraph(next, 280));
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  try {
    let buffer: string[] = [];
    for (let i = 0; i < lines; i++) {
      const pick = () => pool[Math.floor(next() * pool.length)];
      const prompt = `Request ${i}: ${pick()}${pick()}${pick()}`;
      const params: Record<string, unknown> = {
        model: MODELS[i % MODELS.length],
        max_tokens: 1024 + (i % 4) * 512,
        system: i % 20 === 0 ? [{ type: 'text', text: systems[i % systems.length], cache_control: { type: 'ephemeral' } }] : systems[i % systems.length],
        messages:
          i % 10 === 0
            ? [
                { role: 'user', content: prompt },
                { role: 'assistant', content: pick().slice(0, 300) },
                { role: 'user', content: [{ type: 'text', text: 'Now make it shorter.' }] },
              ]
            : [{ role: 'user', content: prompt }],
      };
      if (i % 7 === 0) params.metadata = { user_id: `user-${i % 1000}` };
      buffer.push(JSON.stringify({ custom_id: `request-${String(i).padStart(6, '0')}`, params }));
      if (buffer.length === 1000 || i === lines - 1) {
        const chunk = `${buffer.join('\n')}\n`;
        bytes += fs.writeSync(fd, chunk);
        buffer = [];
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

function runWorker(mode: 'baseline' | 'validate', file: string): WorkerResult {
  const worker = path.join(__dirname, 'validationWorker.js');
  const out = execFileSync(process.execPath, [worker, mode, file], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerResult;
}

export async function benchValidation(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-bench-validation-'));
  const file = path.join(tmp, 'batch.jsonl');
  try {
    const generated = performance.now();
    const bytes = generateBatch(file, LINES);
    const generationMs = performance.now() - generated;
    const results: Record<'baseline' | 'validate', WorkerResult[]> = { baseline: [], validate: [] };
    // Alternate the two so that both see the same page cache and machine state.
    runWorker('baseline', file); // warms the page cache
    for (let run = 0; run < RUNS; run++) {
      results.baseline.push(runWorker('baseline', file));
      results.validate.push(runWorker('validate', file));
    }
    const row = (label: string, rs: WorkerResult[]) => {
      const ms = rs.map((r) => r.ms);
      const rss = rs.map((r) => r.peakRssDelta / MB);
      return [label, median(ms).toFixed(0), Math.min(...ms).toFixed(0), Math.max(...ms).toFixed(0), `${median(rss).toFixed(1)} MB`, `${Math.max(...rss).toFixed(1)} MB`];
    };
    const ratio = median(results.validate.map((r) => r.ms)) / median(results.baseline.map((r) => r.ms));
    printTable(
      `Batch validation: ${LINES.toLocaleString('en-US')} lines, ${(bytes / MB).toFixed(1)} MB, ${RUNS} fresh processes each (generated in ${(generationMs / 1000).toFixed(1)} s)`,
      ['what', 'ms (median)', 'min', 'max', 'peak RSS − start (median)', 'max'],
      [row('baseline: stream + split lines + JSON.parse', results.baseline), row('validateBatchStream', results.validate)],
    );
    console.log(`validation / baseline time: ${ratio.toFixed(2)}× (goal ≤ 1.3×; peak RSS goal < 150 MB)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchValidation().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
