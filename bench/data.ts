// Building a batch file from CSV data (10,000 and 100,000 rows, about 1 KB each: ~10 and ~100 MB)
// beside the floor: a bare streaming csv-parse of the same file. Each measurement runs in a fresh
// process (bench/dataWorker.ts) with RSS sampled every 20 ms. The data is generated into the
// temp folder at bench time and deleted afterwards.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { csvRow } from '../src/domain/data';
import { median, printTable } from './table';
import { paragraph, random } from './text';

const RUNS = Number(process.env.BENCH_DATA_RUNS ?? 3);
const SIZES = (process.env.BENCH_DATA_ROWS ?? '10000,100000').split(',').map(Number);
const MB = 1024 * 1024;

interface WorkerResult {
  mode: string;
  ms: number;
  cpuMs: number;
  records: number;
  peakRssDelta: number;
}

/** Writes a realistic review export: quoted cells with commas, quotes and line breaks, ~1 KB a row. */
export function generateCsv(file: string, rows: number): number {
  const next = random(7);
  const pool = Array.from({ length: 300 }, () => paragraph(next, 480));
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  try {
    let buffer: string[] = [csvRow(['id', 'title', 'stars', 'text'])];
    for (let i = 0; i < rows; i++) {
      const pick = () => pool[Math.floor(next() * pool.length)];
      const text = i % 5 === 0 ? `${pick()}\n"Quoted", she said.\n${pick()}` : `${pick()} ${pick()}`;
      buffer.push(csvRow([`r${i}`, `Review ${i}, "${pick().slice(0, 30)}"`, String(1 + (i % 5)), text]));
      if (buffer.length >= 1000 || i === rows - 1) {
        bytes += fs.writeSync(fd, buffer.join(''));
        buffer = [];
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

function runWorker(mode: 'baseline' | 'build', file: string, output: string): WorkerResult {
  const worker = path.join(__dirname, 'dataWorker.js');
  const out = execFileSync(process.execPath, [worker, mode, file, output], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerResult;
}

export async function benchData(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-bench-data-'));
  try {
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const size of SIZES) {
      const file = path.join(tmp, `data-${size}.csv`);
      const output = path.join(tmp, `data-${size}.batch.jsonl`);
      const bytes = generateCsv(file, size);
      const results: Record<'baseline' | 'build', WorkerResult[]> = { baseline: [], build: [] };
      runWorker('baseline', file, output); // warms the page cache
      for (let run = 0; run < RUNS; run++) {
        results.baseline.push(runWorker('baseline', file, output));
        results.build.push(runWorker('build', file, output));
      }
      for (const r of results.build) if (r.records !== size) throw new Error(`the build wrote ${r.records} requests from ${size} rows`);
      const row = (label: string, rs: WorkerResult[]) => {
        const ms = rs.map((r) => r.ms);
        const rss = rs.map((r) => r.peakRssDelta / MB);
        const cpu = rs.map((r) => r.cpuMs);
        return [`${size.toLocaleString('en-US')} rows, ${(bytes / MB).toFixed(1)} MB: ${label}`, median(ms).toFixed(0), Math.min(...ms).toFixed(0), Math.max(...ms).toFixed(0), median(cpu).toFixed(0), `${median(rss).toFixed(1)} MB`, `${Math.max(...rss).toFixed(1)} MB`];
      };
      rows.push(row('baseline: streaming csv-parse', results.baseline), row('build the batch file', results.build));
      const ratio = median(results.build.map((r) => r.ms)) / median(results.baseline.map((r) => r.ms));
      const cpuRatio = median(results.build.map((r) => r.cpuMs)) / median(results.baseline.map((r) => r.cpuMs));
      notes.push(`${size.toLocaleString('en-US')} rows: build / baseline time ${ratio.toFixed(2)}× (CPU ${cpuRatio.toFixed(2)}×), peak RSS growth ${Math.max(...results.build.map((r) => r.peakRssDelta / MB)).toFixed(1)} MB`);
      fs.rmSync(file, { force: true });
    }
    printTable(`Batch file from CSV data, ${RUNS} fresh processes each`, ['what', 'ms (median)', 'min', 'max', 'CPU ms (median)', 'peak RSS − start (median)', 'max'], rows);
    for (const note of notes) console.log(note);
    console.log('(goals: ≤ 1.5× the baseline; peak RSS growth ≤ 100 MB)');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchData().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
