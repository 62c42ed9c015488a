// Submitting a 100,000-line, ~250 MB file to the emulator: time and peak memory of the upload
// process, in the same run, each pass beside its own floor: the check pass (validate, hash, plan)
// beside a bare parse of every line, the upload pass (the body streamed from the file's bytes)
// beside a raw HTTP POST of the finished body, and the whole beside both floors together. Each
// measurement runs in a fresh process; the emulator runs in this one, so the time it spends
// parsing the body it receives is in both the upload pass and the raw POST.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../test/emulator';
import { median, printTable } from './table';
import { generateBatch } from './validation';

const LINES = 100_000;
const RUNS = Number(process.env.BENCH_UPLOAD_RUNS ?? 2);
const MB = 1024 * 1024;

interface WorkerResult {
  mode: string;
  ms: number;
  peakRssDelta: number;
  cpuMs: number;
  checkMs?: number;
  uploadMs?: number;
  checkCpuMs?: number;
  uploadCpuMs?: number;
}

async function runWorker(mode: 'raw' | 'parse' | 'ours', file: string, url: string, key: string, nodeFlags: string[] = []): Promise<WorkerResult> {
  const worker = path.join(__dirname, 'uploadWorker.js');
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, worker, mode, file, url, key], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as WorkerResult;
}

/** The request body the raw POST sends: the file's lines inside {"requests":[…]}. */
export function writeBody(file: string, bodyFile: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  fs.writeFileSync(bodyFile, `{"requests":[${lines.join(',')}]}`);
  return fs.statSync(bodyFile).size;
}

export async function benchUpload(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-bench-upload-'));
  const file = path.join(tmp, 'batch.jsonl');
  const bodyFile = path.join(tmp, 'body.json');
  const emulator = await startEmulator({ timing: 'manual' });
  try {
    const bytes = generateBatch(file, LINES);
    const bodyBytes = writeBody(file, bodyFile);
    const results: Record<'raw' | 'parse' | 'ours' | 'capped', WorkerResult[]> = { raw: [], parse: [], ours: [], capped: [] };
    for (let run = 0; run < RUNS; run++) {
      results.parse.push(await runWorker('parse', file, emulator.url, emulator.apiKey));
      results.raw.push(await runWorker('raw', bodyFile, emulator.url, emulator.apiKey));
      emulator.reset(); // drop the batches: the emulator holds every request it accepted
      results.ours.push(await runWorker('ours', file, emulator.url, emulator.apiKey));
      emulator.reset();
      // The same with V8's heap capped at 96 MB: it completes, so what ours holds is bounded;
      // the default figure is mostly garbage V8 has not collected yet.
      results.capped.push(await runWorker('ours', file, emulator.url, emulator.apiKey, ['--max-old-space-size=96']));
      emulator.reset();
    }
    const row = (label: string, ms: number[], cpu: number[], rs: WorkerResult[] = []) => {
      const rss = rs.map((r) => r.peakRssDelta / MB);
      return [label, median(ms).toFixed(0), Math.min(...ms).toFixed(0), Math.max(...ms).toFixed(0), median(cpu).toFixed(0), rss.length ? `${median(rss).toFixed(1)} MB` : '', rss.length ? `${Math.max(...rss).toFixed(1)} MB` : ''];
    };
    const ms = (rs: WorkerResult[], of: (r: WorkerResult) => number = (r) => r.ms) => rs.map(of);
    const parseMs = ms(results.parse);
    const rawMs = ms(results.raw);
    const checkMs = ms(results.ours, (r) => r.checkMs ?? NaN);
    const uploadMs = ms(results.ours, (r) => r.uploadMs ?? NaN);
    const floors = results.parse.map((r, i) => r.ms + results.raw[i].ms);
    const cpu = (rs: WorkerResult[], of: (r: WorkerResult) => number = (r) => r.cpuMs) => rs.map(of);
    const floorsCpu = results.parse.map((r, i) => r.cpuMs + results.raw[i].cpuMs);
    printTable(
      `Submitting ${LINES.toLocaleString('en-US')} requests (${(bytes / MB).toFixed(1)} MB file, ${(bodyBytes / MB).toFixed(1)} MB body) to the emulator, ${RUNS} fresh processes each`,
      ['what', 'ms (median)', 'min', 'max', 'CPU ms (median)', 'peak RSS growth (median)', 'max'],
      [
        row('baseline: bare parse (read, split lines, JSON.parse each)', parseMs, cpu(results.parse), results.parse),
        row('ours: check pass (validate, hash, plan the parts)', checkMs, cpu(results.ours, (r) => r.checkCpuMs ?? NaN)),
        row('baseline: raw HTTP POST of the finished body', rawMs, cpu(results.raw), results.raw),
        row('ours: upload pass (body streamed from the file, hash verified)', uploadMs, cpu(results.ours, (r) => r.uploadCpuMs ?? NaN)),
        row('baseline: bare parse + raw POST', floors, floorsCpu),
        row('ours: whole (check pass + upload pass)', ms(results.ours), cpu(results.ours), results.ours),
        row('ours, whole, V8 heap capped at 96 MB', ms(results.capped), cpu(results.capped), results.capped),
      ],
    );
    const ratio = (a: number[], b: number[]) => `${(median(a) / median(b)).toFixed(2)}×`;
    console.log(`check pass / bare parse: ${ratio(checkMs, parseMs)} (goal ≤ 1.3×); upload pass / raw POST: ${ratio(uploadMs, rawMs)} (goal ≤ 1.15×)`);
    console.log(`(the emulator's own parsing of the body, in this process, is in both upload figures' wall time and in neither's CPU time)`);
    console.log(`whole / (bare parse + raw POST): ${ratio(ms(results.ours), floors)}; whole / raw POST: ${ratio(ms(results.ours), rawMs)}; peak memory goal < 100 MB`);
  } finally {
    await emulator.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
