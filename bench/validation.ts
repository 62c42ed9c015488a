// Validation of a full-size batch file (100,000 requests, about 250 MB) beside the floor: a
// streamed read that only splits lines and JSON.parses each one. Each measurement runs in a fresh
// process (bench/validationWorker.ts) with RSS sampled every 20 ms. The file is generated into
// the temp folder at bench time and deleted afterwards.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, printTable } from './table';

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

/** A small deterministic PRNG (mulberry32), so every run benches the same file. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a of to and in that is for it as with on be by this are from at or an was have not but which ' +
  'summarize review explain classify extract translate rewrite compare invoice customer ticket contract ' +
  'clause payment refund shipping warranty product feature release incident report analysis quarterly ' +
  'revenue growth margin forecast risk compliance policy security latency throughput database index query ' +
  'function module service request response error timeout retry cache batch token model prompt answer ' +
  'café naïve résumé “quoted” — déjà vu Zürich São Paulo 東京 данные'
).split(' ');

function paragraph(next: () => number, chars: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const sentence: string[] = [];
    const words = 8 + Math.floor(next() * 14);
    for (let i = 0; i < words; i++) sentence.push(WORDS[Math.floor(next() * WORDS.length)]);
    const text = sentence.join(' ');
    const s = text.charAt(0).toUpperCase() + text.slice(1) + (next() < 0.1 ? '?\n' : '. ');
    parts.push(s);
    length += s.length;
  }
  return parts.join('');
}

const MODELS = ['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-7'];

/** Writes a realistic batch: ~2.5 KB per line, three models, some multi-turn and cached system blocks. */
export function generateBatch(file: string, lines: number): number {
  const next = random(42);
  // A pool of prompt texts, combined per line, keeps generation fast but lines distinct.
  const pool = Array.from({ length: 400 }, () => paragraph(next, 620));
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
