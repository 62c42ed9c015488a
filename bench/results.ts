// Opening the results of a 100,000-request batch (about 150 MB of results) beside the floor: a
// raw GET of the results URL that only splits lines and JSON.parses each one. "Ours" is what
// "Open Results" does minus VS Code: the archive download (streamed to disk, each line summarized
// as it is written, the index kept beside it) and the default document; "reopen" is a later open
// from the local copy through that index, beside a pass over the whole copy (reopening before the
// index), for 1,000, 20,000 and 100,000 results, whole and with the Errored section on its own. Each measurement runs in a fresh process (bench/resultsWorker.ts) with
// RSS sampled every 20 ms; 20,000 vs 100,000 results shows memory does not grow with the count.
//
// The batch is created in the emulator (timing 'manual', then finish) with markers for errors,
// expiry and cancels. The emulator's replies are one short sentence (~700-byte lines, 70 MB for
// 100,000): to bench realistic reply sizes, its results are fetched once, each reply is given
// ~900 characters of text (usage adjusted), and that file is served with the batch object by a
// small same-origin server in this process. Both sides download from that server.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../test/emulator';
import { median, printTable } from './table';
import { paragraph, random } from './text';

const run = promisify(execFile);
const LINES = Number(process.env.BENCH_RESULTS_LINES ?? 100_000);
const SMALL = Number(process.env.BENCH_RESULTS_SMALL ?? 20_000);
const TINY = Number(process.env.BENCH_RESULTS_TINY ?? 1_000);
const RUNS = Number(process.env.BENCH_RESULTS_RUNS ?? 5);
const MB = 1024 * 1024;
const API_KEY = 'sk-ant-bench';

interface WorkerResult {
  mode: string;
  ms: number;
  lines: number;
  phases: Record<string, number>;
  documentChars?: number;
  rssBefore: number;
  peakRssDelta: number;
}


/** The requests as a user would write them; 1% api_error, 0.5% overloaded, 0.5% invalid, 0.3% expired, 0.2% canceled. */
function writeRequests(file: string, count: number): { custom_id: string; params: unknown }[] {
  const next = random(7);
  const pool = Array.from({ length: 300 }, () => paragraph(next, 400));
  const requests: { custom_id: string; params: unknown }[] = [];
  const fd = fs.openSync(file, 'w');
  let buffer: string[] = [];
  for (let i = 0; i < count; i++) {
    const roll = next();
    const marker =
      roll < 0.01 ? ' [[emulator:api_error]]' : roll < 0.015 ? ' [[emulator:overloaded_error]]' : roll < 0.02 ? ' [[emulator:invalid_request_error]]' : roll < 0.023 ? ' [[emulator:expired]]' : roll < 0.025 ? ' [[emulator:canceled]]' : '';
    const request = {
      custom_id: `request-${String(i).padStart(6, '0')}`,
      params: { model: i % 3 === 0 ? 'claude-haiku-4-5' : 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: `Request ${i}: ${pool[Math.floor(next() * pool.length)]}${marker}` }] },
    };
    requests.push(request);
    buffer.push(JSON.stringify(request));
    if (buffer.length === 1000 || i === count - 1) {
      fs.writeSync(fd, `${buffer.join('\n')}\n`);
      buffer = [];
    }
  }
  fs.closeSync(fd);
  return requests;
}

interface Served {
  batch: Record<string, unknown>;
  file: string;
}

/** Fetches the emulator's results once and gives every reply realistic length; returns counts. */
async function inflateResults(url: string, batchId: string, files: { path: string; limit: number }[]): Promise<{ counts: Record<string, number>; bytes: number }[]> {
  const next = random(99);
  const replies = Array.from({ length: 200 }, () => paragraph(next, 850));
  const response = await fetch(`${url}/v1/messages/batches/${batchId}/results`, { headers: { 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' } });
  const text = await response.text();
  const out = files.map((f) => ({ fd: fs.openSync(f.path, 'w'), limit: f.limit, counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 } as Record<string, number>, bytes: 0, buffer: [] as string[] }));
  let n = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const line = JSON.parse(text.slice(start, nl)) as { result: { type: string; message?: { content: { text: string }[]; usage: { output_tokens: number } } } };
    start = nl + 1;
    const message = line.result.message;
    if (message) {
      const reply = `${message.content[0].text.replace(/^Emulated reply to: /, 'About: ')}\n\n${replies[n % replies.length]}`;
      message.content[0].text = reply;
      message.usage.output_tokens = Math.ceil(reply.length / 4);
    }
    const json = `${JSON.stringify(line)}\n`;
    for (const o of out) {
      if (n >= o.limit) continue;
      o.counts[line.result.type]++;
      o.buffer.push(json);
      o.bytes += Buffer.byteLength(json);
      if (o.buffer.length === 1000) {
        fs.writeSync(o.fd, o.buffer.join(''));
        o.buffer = [];
      }
    }
    n++;
  }
  return out.map((o) => {
    if (o.buffer.length) fs.writeSync(o.fd, o.buffer.join(''));
    fs.closeSync(o.fd);
    return { counts: o.counts, bytes: o.bytes };
  });
}

/** Serves batch objects and their results files, results_url on its own origin. */
async function serve(batches: Map<string, Served>): Promise<{ url: string; close(): Promise<void> }> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const match = /^\/v1\/messages\/batches\/([^/?]+)(\/results)?/.exec(req.url ?? '');
    const served = match ? batches.get(match[1]) : undefined;
    if (!match || !served) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"type":"error","error":{"type":"not_found_error","message":"not found"},"request_id":"req_bench"}');
      return;
    }
    if (!match[2]) {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_bench' });
      res.end(JSON.stringify({ ...served.batch, results_url: `${origin}/v1/messages/batches/${match[1]}/results` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-jsonl', 'request-id': 'req_bench' });
    fs.createReadStream(served.file, { highWaterMark: 256 * 1024 }).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function worker(mode: string, url: string, batchId: string, dir: string, source = ''): Promise<WorkerResult> {
  const { stdout } = await run(process.execPath, [path.join(__dirname, 'resultsWorker.js'), mode, url, API_KEY, batchId, dir, source], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as WorkerResult;
}

function reopenRow(count: number, bytes: number, indexed: WorkerResult[], scanned: WorkerResult[], section: WorkerResult[], sectionScanned: WorkerResult[]): string[] {
  const ms = (rs: WorkerResult[]) => median(rs.map((r) => r.ms)).toFixed(0);
  return [count.toLocaleString('en-US'), (bytes / MB).toFixed(1), ms(indexed), ms(scanned), `${(median(indexed.map((r) => r.peakRssDelta)) / MB).toFixed(1)} MB`, ms(section), ms(sectionScanned)];
}

/** Reopens of one batch's copy, whole and its Errored section alone, through the index and by a pass, alternated. */
async function reopens(url: string, id: string, dir: string): Promise<WorkerResult[][]> {
  const out: WorkerResult[][] = [[], [], [], []];
  for (let i = 0; i < RUNS; i++) {
    for (const [k, mode] of ['reopen', 'reopen-scan', 'reopen-section', 'reopen-section-scan'].entries()) out[k].push(await worker(mode, url, id, dir));
  }
  return out;
}

export async function benchResults(): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-bench-results-'));
  const emu = await startEmulator({ timing: 'manual', apiKey: API_KEY });
  let server: { url: string; close(): Promise<void> } | undefined;
  try {
    const prepared = performance.now();
    const sourcePath = path.join(tmp, 'bench.jsonl');
    const requests = writeRequests(sourcePath, LINES);
    const created = emu.createBatch(requests);
    requests.length = 0;
    emu.finish(created.id);
    const batch = emu.batch(created.id)!;
    const bigFile = path.join(tmp, 'results-100k.jsonl');
    const smallFile = path.join(tmp, 'results-20k.jsonl');
    const tinyFile = path.join(tmp, 'results-1k.jsonl');
    const [big, small, tiny] = await inflateResults(emu.url, created.id, [
      { path: bigFile, limit: LINES },
      { path: smallFile, limit: SMALL },
      { path: tinyFile, limit: TINY },
    ]);
    await emu.close();
    const smallId = `${created.id}_small`;
    const tinyId = `${created.id}_tiny`;
    server = await serve(
      new Map([
        [created.id, { batch: { ...batch }, file: bigFile }],
        [smallId, { batch: { ...batch, id: smallId, request_counts: small.counts }, file: smallFile }],
        [tinyId, { batch: { ...batch, id: tinyId, request_counts: tiny.counts }, file: tinyFile }],
      ]),
    );
    const prepMs = performance.now() - prepared;
    const archiveDir = path.join(tmp, 'archive');

    // Warm the page cache and the server once; alternate the two so both see the same machine state.
    await worker('baseline', server.url, created.id, archiveDir);
    const results: Record<string, WorkerResult[]> = { baseline: [], ours: [] };
    for (let i = 0; i < RUNS; i++) {
      results.baseline.push(await worker('baseline', server.url, created.id, archiveDir));
      results.ours.push(await worker('ours', server.url, created.id, archiveDir));
    }
    const [reopen, reopenScan, reopenSection, reopenSectionScan] = await reopens(server.url, created.id, archiveDir);
    const withSource = await worker('ours', server.url, created.id, archiveDir, sourcePath);
    const viaDecoder = await worker('ours-decoder', server.url, created.id, archiveDir);
    const smallBaseline = await worker('baseline', server.url, smallId, archiveDir);
    const smallOurs = await worker('ours', server.url, smallId, archiveDir);
    await worker('ours', server.url, tinyId, archiveDir);
    // Reopen by size: the index beside each copy, against a pass over the whole copy (before the index).
    const bySize: [number, number, string][] = [
      [TINY, tiny.bytes, tinyId],
      [SMALL, small.bytes, smallId],
    ];
    const reopenRows: string[][] = [];
    for (const [count, bytes, id] of bySize) reopenRows.push(reopenRow(count, bytes, ...((await reopens(server.url, id, archiveDir)) as [WorkerResult[], WorkerResult[], WorkerResult[], WorkerResult[]])));
    reopenRows.push(reopenRow(LINES, big.bytes, reopen, reopenScan, reopenSection, reopenSectionScan));

    const phases = (r: WorkerResult) => ['download', 'download + summary', 'summary', 'render'].filter((p) => r.phases[p] !== undefined).map((p) => `${p} ${r.phases[p].toFixed(0)}`).join(' + ');
    const row = (label: string, rs: WorkerResult[]) => {
      const ms = rs.map((r) => r.ms);
      const rss = rs.map((r) => r.peakRssDelta / MB);
      // The phases of the run closest to the median.
      const typical = rs.reduce((best, r) => (Math.abs(r.ms - median(ms)) < Math.abs(best.ms - median(ms)) ? r : best));
      return [label, median(ms).toFixed(0), Math.min(...ms).toFixed(0), Math.max(...ms).toFixed(0), `${median(rss).toFixed(1)} MB`, phases(typical)];
    };
    const ratio = median(results.ours.map((r) => r.ms)) / median(results.baseline.map((r) => r.ms));
    printTable(
      `Results: ${LINES.toLocaleString('en-US')} results, ${(big.bytes / MB).toFixed(1)} MB (${big.counts.succeeded.toLocaleString('en-US')} succeeded, ${big.counts.errored} errored, ${big.counts.expired} expired, ${big.counts.canceled} canceled), ${RUNS} fresh processes each (prepared in ${(prepMs / 1000).toFixed(1)} s)`,
      ['what', 'ms (median)', 'min', 'max', 'peak RSS − start', 'phases (ms)'],
      [
        row('baseline: GET + split lines + JSON.parse', results.baseline),
        row('ours, first open: download to archive + summary + document', results.ours),
        row('ours, reopen: index beside the local copy + document', reopen),
        row('before the index, reopen: summary pass over the local copy + document', reopenScan),
        row('ours, first open in input order (source indexed too)', [withSource]),
        row('ours, first open via the SDK decoder (no raw body)', [viaDecoder]),
      ],
    );
    console.log(`ours / baseline time: ${ratio.toFixed(2)}× (goal ≤ 1.5×); document: ${(results.ours[0].documentChars ?? 0).toLocaleString('en-US')} characters`);
    printTable(
      `Reopen is flat in the number of results (median of ${RUNS} fresh processes; goal ≤ 150 ms at ${LINES.toLocaleString('en-US')})`,
      ['results', 'MB of results', 'reopen from the index (ms)', 'before: pass over the copy (ms)', 'peak RSS − start (index)', 'Errored alone, index (ms)', 'Errored alone, pass (ms)'],
      reopenRows,
    );
    printTable(
      'Memory does not grow with the number of results (peak RSS − start, one fresh process each)',
      ['results', 'MB of results', 'baseline', 'ours'],
      [
        [SMALL.toLocaleString('en-US'), (small.bytes / MB).toFixed(1), `${(smallBaseline.peakRssDelta / MB).toFixed(1)} MB`, `${(smallOurs.peakRssDelta / MB).toFixed(1)} MB`],
        [LINES.toLocaleString('en-US'), (big.bytes / MB).toFixed(1), `${(median(results.baseline.map((r) => r.peakRssDelta)) / MB).toFixed(1)} MB`, `${(median(results.ours.map((r) => r.peakRssDelta)) / MB).toFixed(1)} MB`],
      ],
    );
  } finally {
    await server?.close();
    await emu.close().catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchResults().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
