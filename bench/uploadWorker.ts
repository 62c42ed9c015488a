// One measurement of bench/upload.ts in a fresh process, so memory figures are the upload's own:
// `node out/bench/uploadWorker.js <raw|parse|ours> <file> <emulatorUrl> <apiKey>`. Prints one JSON
// line: the whole run's time and peak RSS growth, and for ours each pass's time.
import * as fs from 'node:fs';
import * as http from 'node:http';
import { BatchesApi, createClient } from '../src/api';
import { fileSource, partBody, scanBatchFile } from '../src/domain/batchUpload';
import { measure } from './measure';

/** Ours: how long each pass took. */
interface Passes {
  checkMs?: number;
  uploadMs?: number;
  checkCpuMs?: number;
  uploadCpuMs?: number;
}

/** CPU time this process used since `since` (all its threads), in ms. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** The floor: the finished request body, already on disk, streamed in one HTTP POST. */
function raw(bodyFile: string, url: string, key: string): Promise<Passes> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/messages/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-length': fs.statSync(bodyFile).size },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve({}) : reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 300)}`))));
    });
    req.on('error', reject);
    fs.createReadStream(bodyFile).pipe(req);
  });
}

/** The floor of a check pass: the file read in 1 MiB chunks, split into lines, each JSON.parse'd. */
async function parse(file: string): Promise<Passes> {
  let rest = '';
  let lines = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, encoding: 'utf8' })) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) if (line.trim()) lines += JSON.parse(line) ? 1 : 0;
  }
  if (rest.trim()) lines += JSON.parse(rest) ? 1 : 0;
  if (lines === 0) throw new Error('nothing parsed');
  return {};
}

/** Ours, as Submit does it: the check pass over the .jsonl, then the upload pass streaming the body from the file. */
async function ours(file: string, url: string, key: string): Promise<Passes> {
  const source = fileSource(file);
  const started = performance.now();
  const startCpu = process.cpuUsage();
  const scan = await scanBatchFile(source);
  if (scan.validation.errorCount > 0 || scan.parts.length !== 1) throw new Error('the bench file must be one valid batch');
  const checked = performance.now();
  const checkCpuMs = cpuMs(startCpu);
  const checkedCpu = process.cpuUsage();
  const api = new BatchesApi(createClient({ apiKey: key, baseUrl: url, timeoutMs: 600_000 }));
  await api.createFromStream(partBody(source, scan.parts[0]));
  return { checkMs: checked - started, uploadMs: performance.now() - checked, checkCpuMs, uploadCpuMs: cpuMs(checkedCpu) };
}

async function main(): Promise<void> {
  const [mode, file, url, key] = process.argv.slice(2);
  const run = mode === 'raw' ? raw : mode === 'parse' ? parse : mode === 'ours' ? ours : undefined;
  if (!run || !file || !url || !key) throw new Error('usage: uploadWorker <raw|parse|ours> <file> <url> <key>');
  // CPU time beside wall time: on a busy machine it says what this process itself spent (the
  // emulator parsing the body runs in the parent, in neither figure).
  const startCpu = process.cpuUsage();
  const { result, ms, rssBefore, peakRssDelta } = await measure(() => run(file, url, key));
  process.stdout.write(`${JSON.stringify({ mode, ms, cpuMs: cpuMs(startCpu), rssBefore, peakRssDelta, ...result })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
