// One measurement of bench/upload.ts in a fresh process, so memory figures are the upload's own:
// `node out/bench/uploadWorker.js <raw|ours> <file> <emulatorUrl> <apiKey>`. Prints one JSON line.
import * as fs from 'node:fs';
import * as http from 'node:http';
import { BatchesApi, createClient } from '../src/api';
import { partBody, scanBatchFile } from '../src/domain/batchUpload';
import { measure } from './measure';


/** The floor: the finished request body, already on disk, streamed in one HTTP POST. */
function raw(bodyFile: string, url: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/v1/messages/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-length': fs.statSync(bodyFile).size },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(1) : reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 300)}`))));
    });
    req.on('error', reject);
    fs.createReadStream(bodyFile).pipe(req);
  });
}

/** Ours: the check pass over the .jsonl, then the body built from the validated lines as they are read. */
async function ours(file: string, url: string, key: string): Promise<number> {
  const source = { open: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }) };
  const scan = await scanBatchFile(source);
  if (scan.validation.errorCount > 0 || scan.parts.length !== 1) throw new Error('the bench file must be one valid batch');
  const api = new BatchesApi(createClient({ apiKey: key, baseUrl: url, timeoutMs: 600_000 }));
  await api.createFromStream(partBody(source, scan.parts[0]));
  return 1;
}

async function main(): Promise<void> {
  const [mode, file, url, key] = process.argv.slice(2);
  const run = mode === 'raw' ? raw : mode === 'ours' ? ours : undefined;
  if (!run || !file || !url || !key) throw new Error('usage: uploadWorker <raw|ours> <file> <url> <key>');
  const { ms, rssBefore, peakRssDelta } = await measure(() => run(file, url, key));
  process.stdout.write(`${JSON.stringify({ mode, ms, rssBefore, peakRssDelta })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
