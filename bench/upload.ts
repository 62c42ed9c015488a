// Submitting a 100,000-line, ~250 MB file to the emulator: time and peak memory of the upload
// process, ours (check pass + body streamed from the validated lines) beside a raw HTTP POST of
// the same request body, in the same run. Each measurement runs in a fresh process; the emulator
// runs in this one, so its parsing of the body is in neither figure.
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
}

async function runWorker(mode: 'raw' | 'ours', file: string, url: string, key: string, nodeFlags: string[] = []): Promise<WorkerResult> {
  const worker = path.join(__dirname, 'uploadWorker.js');
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, worker, mode, file, url, key], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as WorkerResult;
}

/** The request body the raw POST sends: the file's lines inside {"requests":[…]}. */
function writeBody(file: string, bodyFile: string): number {
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
    const results: Record<'raw' | 'ours' | 'capped', WorkerResult[]> = { raw: [], ours: [], capped: [] };
    for (let run = 0; run < RUNS; run++) {
      results.raw.push(await runWorker('raw', bodyFile, emulator.url, emulator.apiKey));
      emulator.reset(); // drop the batches: the emulator holds every request it accepted
      results.ours.push(await runWorker('ours', file, emulator.url, emulator.apiKey));
      emulator.reset();
      // The same with V8's heap capped at 96 MB: it completes, so what ours holds is bounded;
      // the default figure is mostly garbage V8 has not collected yet.
      results.capped.push(await runWorker('ours', file, emulator.url, emulator.apiKey, ['--max-old-space-size=96']));
      emulator.reset();
    }
    const row = (label: string, rs: WorkerResult[]) => {
      const ms = rs.map((r) => r.ms);
      const rss = rs.map((r) => r.peakRssDelta / MB);
      return [label, median(ms).toFixed(0), Math.min(...ms).toFixed(0), Math.max(...ms).toFixed(0), `${median(rss).toFixed(1)} MB`, `${Math.max(...rss).toFixed(1)} MB`];
    };
    printTable(
      `Submitting ${LINES.toLocaleString('en-US')} requests (${(bytes / MB).toFixed(1)} MB file, ${(bodyBytes / MB).toFixed(1)} MB body) to the emulator, ${RUNS} fresh processes each`,
      ['what', 'ms (median)', 'min', 'max', 'peak RSS growth (median)', 'max'],
      [
        row('baseline: raw HTTP POST of the finished body', results.raw),
        row('ours: check pass + body streamed from validated lines', results.ours),
        row('ours, V8 heap capped at 96 MB', results.capped),
      ],
    );
    const ratio = median(results.ours.map((r) => r.ms)) / median(results.raw.map((r) => r.ms));
    console.log(`ours / raw time: ${ratio.toFixed(2)}× (ours reads the file twice: once to check it, once to send it); peak memory goal < 100 MB`);
  } finally {
    await emulator.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
