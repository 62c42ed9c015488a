// One measured round trip of bench/roundtrip.ts, in a fresh process, every phase timed and the
// whole run's peak RSS growth sampled every 20 ms:
//   node out/bench/roundtripWorker.js <ours|baseline> <dir> <emulatorUrl> <apiKey> [bodyFile]
// ours: CSV → batch file (template builder) → submit (check pass + upload pass) → results
// download (the archive, as Open Results / Save Results as CSV do) → results CSV.
// baseline: each phase's floor: a bare csv-parse of the data; a raw HTTP POST of the finished
// request body; a raw GET of the results split into lines and JSON.parse'd (written to disk, as
// ours keeps them); a bare CSV write (the data parsed again, each row written beside the result
// read in the same position: no matching by custom_id, no guards).
// Prints one JSON line.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { parse } from 'csv-parse';
import { BatchesApi, createClient } from '../src/api';
import { fileSource, partBody, scanBatchFile } from '../src/domain/batchUpload';
import { buildBatchFromData, commitBuild, CsvSource, openDataSource, parseTemplate, readSourceLink, writeResultsCsv } from '../src/domain/data';
import { ResultsArchive } from '../src/domain/results';
import { measure } from './measure';

export const ROUNDTRIP_TEMPLATE = {
  params: { model: 'claude-sonnet-4-5', max_tokens: 1024, system: 'You summarise product reviews.', messages: [{ role: 'user', content: 'Review "{{title}}" ({{stars}} stars):\n{{text}}' }] },
  options: { customIdColumn: 'id' },
};

const HEADERS = { 'anthropic-version': '2023-06-01' };

type PhaseName = 'data → batch file' | 'submit' | 'results download' | 'results CSV';
/** Per phase: its time, and the peak RSS growth over the run's start while it ran. */
type Phases = Partial<Record<PhaseName, number>> & { rss?: Partial<Record<PhaseName, number>>; checkPass?: number };

const runStartRss = process.memoryUsage.rss();
let phasePeak = 0;
setInterval(() => (phasePeak = Math.max(phasePeak, process.memoryUsage.rss())), 20).unref();

async function timed<T>(phases: Phases, name: PhaseName, run: () => Promise<T>): Promise<T> {
  phasePeak = process.memoryUsage.rss();
  const started = performance.now();
  const result = await run();
  phases[name] = performance.now() - started;
  phases.rss = { ...phases.rss, [name]: Math.max(phasePeak, process.memoryUsage.rss()) - runStartRss };
  return result;
}

async function ours(dir: string, url: string, key: string): Promise<Phases> {
  const phases: Phases = {};
  const data = path.join(dir, 'data.csv');
  const batchFile = path.join(dir, 'ours', 'data.batch.jsonl');
  await timed(phases, 'data → batch file', async () => {
    const build = await buildBatchFromData({ source: new CsvSource(data, { delimiter: ',' }), template: parseTemplate(JSON.stringify(ROUNDTRIP_TEMPLATE)), output: batchFile, onBad: 'stop' });
    await commitBuild(build, { overwrite: true });
  });
  const api = new BatchesApi(createClient({ apiKey: key, baseUrl: url, timeoutMs: 600_000, maxRetries: 0 }));
  const batch = await timed(phases, 'submit', async () => {
    const source = fileSource(batchFile);
    const started = performance.now();
    const scan = await scanBatchFile(source);
    phases.checkPass = performance.now() - started;
    if (scan.validation.errorCount > 0 || scan.parts.length !== 1) throw new Error('the built file must be one valid batch');
    return api.createFromStream(partBody(source, scan.parts[0]));
  });
  const results = await timed(phases, 'results download', async () => {
    const done = await new ResultsArchive(path.join(dir, 'ours', 'archive')).downloadAndSummarize(api, batch.id);
    if (!done.download.complete) throw new Error(`download incomplete: ${done.download.reason}`);
    return done.download.path;
  });
  await timed(phases, 'results CSV', async () => {
    const link = await readSourceLink(batchFile);
    if (!link) throw new Error('the built file has no link to its data');
    const summary = await writeResultsCsv({ resultsPaths: [results], link, source: await openDataSource(data), output: path.join(dir, 'ours', 'data.results.csv') });
    if (summary.withResult !== summary.rows) throw new Error(`${summary.withResult} of ${summary.rows} rows have a result`);
  });
  return phases;
}

function rawPost(bodyFile: string, url: string, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/messages/batches`, { method: 'POST', headers: { ...HEADERS, 'content-type': 'application/json', 'x-api-key': key, 'content-length': fs.statSync(bodyFile).size } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(body) as { id: string }).id) : reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 300)}`))));
    });
    req.on('error', reject);
    fs.createReadStream(bodyFile).pipe(req);
  });
}

/** The non-empty lines of a byte stream, as text. */
async function* lines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      if (nl > start) yield text.slice(start, nl);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.trim()) yield carry;
}

const bareCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

async function baseline(dir: string, url: string, key: string, bodyFile: string): Promise<Phases> {
  const phases: Phases = {};
  const data = path.join(dir, 'data.csv');
  await timed(phases, 'data → batch file', async () => {
    let rows = 0;
    for await (const _row of fs.createReadStream(data).pipe(parse())) rows++;
    if (rows < 2) throw new Error('no rows');
  });
  const id = await timed(phases, 'submit', () => rawPost(bodyFile, url, key));
  const resultsFile = path.join(dir, 'baseline-results.jsonl');
  await timed(phases, 'results download', async () => {
    const batch = (await (await fetch(`${url}/v1/messages/batches/${id}`, { headers: { ...HEADERS, 'x-api-key': key } })).json()) as { results_url: string };
    const response = await fetch(batch.results_url, { headers: { ...HEADERS, 'x-api-key': key } });
    if (!response.ok || !response.body) throw new Error(`results: HTTP ${response.status}`);
    const out = fs.createWriteStream(resultsFile);
    const written = (async function* () {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (!out.write(chunk)) await new Promise<void>((resume) => out.once('drain', () => resume()));
        yield chunk;
      }
    })();
    let count = 0;
    for await (const line of lines(written)) count += JSON.parse(line) ? 1 : 0;
    if (count === 0) throw new Error('no results');
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  });
  await timed(phases, 'results CSV', async () => {
    // Results are read as the rows need them: both files stream side by side.
    const resultLines = lines(fs.createReadStream(resultsFile, { highWaterMark: 1 << 20 }));
    const out = fs.createWriteStream(path.join(dir, 'baseline.results.csv'));
    let first = true;
    for await (const row of fs.createReadStream(data).pipe(parse()) as AsyncIterable<string[]>) {
      let cells: string[];
      if (first) {
        cells = [...row, 'outcome', 'result_text', 'error_type', 'error_message', 'stop_reason', 'input_tokens', 'output_tokens'];
        first = false;
      } else {
        const next = await resultLines.next();
        const result = (next.done ? { result: { type: 'none' } } : JSON.parse(next.value)) as { result: { type: string; message?: { content: { text?: string }[]; stop_reason?: string; usage?: { input_tokens: number; output_tokens: number } } } };
        const message = result.result.message;
        cells = [...row, result.result.type, message?.content.map((b) => b.text ?? '').join('\n') ?? '', '', '', message?.stop_reason ?? '', String(message?.usage?.input_tokens ?? ''), String(message?.usage?.output_tokens ?? '')];
      }
      if (!out.write(`${cells.map(bareCell).join(',')}\r\n`)) await new Promise<void>((resume) => out.once('drain', () => resume()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  });
  return phases;
}

async function main(): Promise<void> {
  const [mode, dir, url, key, bodyFile] = process.argv.slice(2);
  if ((mode !== 'ours' && mode !== 'baseline') || !dir || !url || !key || (mode === 'baseline' && !bodyFile)) {
    throw new Error('usage: roundtripWorker <ours|baseline> <dir> <emulatorUrl> <apiKey> [bodyFile]');
  }
  const { result, ms, rssBefore, peakRssDelta } = await measure(() => (mode === 'ours' ? ours(dir, url, key) : baseline(dir, url, key, bodyFile)));
  process.stdout.write(`${JSON.stringify({ mode, ms, rssBefore, peakRssDelta, phases: result })}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
