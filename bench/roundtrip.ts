// The whole round trip a data user makes, on 100,000 CSV rows (~100 MB): the CSV becomes a batch
// file through the template builder, is submitted to the emulator, its results are downloaded,
// and saved as a CSV beside the data. Each phase is printed beside its own floor measured in the
// same run (bench/roundtripWorker.ts says what each floor does), with the whole run's peak RSS
// growth. Each run is one fresh process doing every phase in turn; the emulator runs in this one
// (timing 'instant': the batch has ended when its results are asked for), so its parsing of the
// body and writing of the results are in both sides' wall time.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../test/emulator';
import { generateCsv } from './data';
import { median, printTable } from './table';
import { writeBody } from './upload';

const ROWS = Number(process.env.BENCH_ROUNDTRIP_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_ROUNDTRIP_RUNS ?? 2);
const MB = 1024 * 1024;
const PHASES = ['data → batch file', 'submit', 'results download', 'results CSV'] as const;
const FLOORS: Record<(typeof PHASES)[number], string> = {
  'data → batch file': 'bare streaming csv-parse of the data',
  submit: 'raw HTTP POST of the finished body',
  'results download': 'raw GET, split lines, JSON.parse (to disk)',
  'results CSV': 'bare CSV write: data parsed again, results zipped by position',
};

interface WorkerResult {
  mode: string;
  ms: number;
  peakRssDelta: number;
  phases: Record<(typeof PHASES)[number], number> & { rss: Record<(typeof PHASES)[number], number>; checkPass?: number };
}

async function runWorker(mode: 'ours' | 'baseline', dir: string, url: string, key: string, bodyFile = ''): Promise<WorkerResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'roundtripWorker.js'), mode, dir, url, key, bodyFile], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as WorkerResult;
}

export async function benchRoundtrip(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-bench-roundtrip-'));
  const emulator = await startEmulator({ timing: 'instant' });
  try {
    const dataBytes = generateCsv(path.join(dir, 'data.csv'), ROWS);
    // A first round trip makes the batch file the raw POST sends, and warms the page cache.
    await runWorker('ours', dir, emulator.url, emulator.apiKey);
    emulator.reset();
    const batchFile = path.join(dir, 'ours', 'data.batch.jsonl');
    const bodyFile = path.join(dir, 'body.json');
    const batchBytes = fs.statSync(batchFile).size;
    const bodyBytes = writeBody(batchFile, bodyFile);
    const results: Record<'ours' | 'baseline', WorkerResult[]> = { ours: [], baseline: [] };
    for (let run = 0; run < RUNS; run++) {
      results.baseline.push(await runWorker('baseline', dir, emulator.url, emulator.apiKey, bodyFile));
      emulator.reset(); // drop the batches: the emulator holds every request it accepted
      results.ours.push(await runWorker('ours', dir, emulator.url, emulator.apiKey));
      emulator.reset();
    }
    const resultsBytes = fs.readdirSync(path.join(dir, 'ours', 'archive')).filter((f) => f.endsWith('.jsonl')).reduce((n, f) => n + fs.statSync(path.join(dir, 'ours', 'archive', f)).size, 0);
    const csvBytes = fs.statSync(path.join(dir, 'ours', 'data.results.csv')).size;
    const cells = (ms: number[]) => [median(ms).toFixed(0), Math.min(...ms).toFixed(0), Math.max(...ms).toFixed(0)];
    const rows: string[][] = [];
    for (const phase of PHASES) {
      const floor = results.baseline.map((r) => r.phases[phase]);
      const ours = results.ours.map((r) => r.phases[phase]);
      const rss = (rs: WorkerResult[]) => `${median(rs.map((r) => r.phases.rss[phase] / MB)).toFixed(1)} MB`;
      rows.push([`${phase}: baseline, ${FLOORS[phase]}`, ...cells(floor), '', rss(results.baseline)]);
      rows.push([`${phase}: ours`, ...cells(ours), `${(median(ours) / median(floor)).toFixed(2)}×`, rss(results.ours)]);
      if (phase === 'submit') {
        // The floor has no check pass: ours' upload pass alone is what compares with the raw POST.
        const check = results.ours.map((r) => r.phases.checkPass ?? NaN);
        const upload = results.ours.map((r) => r.phases.submit - (r.phases.checkPass ?? NaN));
        rows.push(['  of which check pass (validate, hash, plan)', ...cells(check), '', '']);
        rows.push(['  of which upload pass', ...cells(upload), `${(median(upload) / median(floor)).toFixed(2)}×`, '']);
      }
    }
    const wholeFloor = results.baseline.map((r) => r.ms);
    const wholeOurs = results.ours.map((r) => r.ms);
    const wholeRss = (rs: WorkerResult[]) => `${median(rs.map((r) => r.peakRssDelta / MB)).toFixed(1)} MB`;
    rows.push(['whole: baseline', ...cells(wholeFloor), '', wholeRss(results.baseline)]);
    rows.push(['whole: ours', ...cells(wholeOurs), `${(median(wholeOurs) / median(wholeFloor)).toFixed(2)}×`, wholeRss(results.ours)]);
    printTable(
      `Round trip: ${ROWS.toLocaleString('en-US')} CSV rows (${(dataBytes / MB).toFixed(1)} MB) → batch file (${(batchBytes / MB).toFixed(1)} MB, ${(bodyBytes / MB).toFixed(1)} MB body) → emulator → results (${(resultsBytes / MB).toFixed(1)} MB) → results CSV (${(csvBytes / MB).toFixed(1)} MB), ${RUNS} fresh processes each`,
      ['phase', 'ms (median)', 'min', 'max', 'ours / baseline', 'peak RSS growth (median)'],
      rows,
    );
    const rss = (rs: WorkerResult[]) => rs.map((r) => r.peakRssDelta / MB);
    console.log(
      `peak RSS growth over the whole run: ours ${median(rss(results.ours)).toFixed(1)} MB (max ${Math.max(...rss(results.ours)).toFixed(1)} MB), baseline ${median(rss(results.baseline)).toFixed(1)} MB; goal ≤ 150 MB`,
    );
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRoundtrip().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
