// One measurement of bench/results.ts, in a fresh process so that no run inherits another's heap:
//   node out/bench/resultsWorker.js <baseline|ours|ours-decoder|reopen|reopen-scan|reopen-section|reopen-section-scan> <baseUrl> <apiKey> <batchId> <dir> [source]
// Prints one JSON line: total ms, per-phase ms, RSS at start and peak RSS − start (sampled every 20 ms).
import { BatchesApi, createClient } from '../src/api';
import { renderResultsDocument, ResultsArchive, summarizeResults, type ResultsSource } from '../src/domain/results';
import { measure } from './measure';



interface Outcome {
  lines: number;
  phases: Record<string, number>;
  documentChars?: number;
}

/** The floor: GET the results URL, split the body into lines, JSON.parse each one. Nothing kept. */
async function baseline(baseUrl: string, apiKey: string, batchId: string): Promise<Outcome> {
  const started = performance.now();
  const batch = (await (await fetch(`${baseUrl}/v1/messages/batches/${batchId}`, { headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' } })).json()) as { results_url: string };
  const response = await fetch(batch.results_url, { headers: { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' } });
  if (!response.ok || !response.body) throw new Error(`results: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let carry = '';
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      if (nl > start) {
        JSON.parse(text.slice(start, nl));
        lines++;
      }
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.trim()) {
    JSON.parse(carry);
    lines++;
  }
  return { lines, phases: { download: performance.now() - started } };
}

/**
 * "Open Results" minus VS Code. First open: download into the archive while summarizing each line
 * as it is written (keeping the index beside the copy), then render the default document. Reopen:
 * the summary from the index kept beside the copy (its entries' lines read back), then render.
 * Reopen-scan: what reopening did before the index, one summary pass over the whole copy.
 * Reopen-section (-scan): the Errored section on its own, through the index (or a pass over the copy).
 */
async function ours(mode: string, raw: BatchesApi, batchId: string, dir: string, source: string | undefined): Promise<Outcome> {
  const archive = new ResultsArchive(dir);
  const phases: Record<string, number> = {};
  let t = performance.now();
  let summary;
  let got;
  // A section on its own: every error group, up to the default 2,000 entries each.
  const section = mode.startsWith('reopen-section') ? ({ section: 'errored', maxEntries: 2000 } as const) : {};
  if (mode.startsWith('reopen')) {
    got = await archive.status(batchId);
    if (!got?.complete) throw new Error('nothing archived to reopen');
    if (mode === 'reopen' || mode === 'reopen-section') {
      const kept = await archive.summarize(batchId, got.path, { source, ...section });
      if (kept.rebuilt) throw new Error(`the index was not used: ${kept.rebuilt.message}`);
      summary = kept.summary;
    } else {
      summary = await summarizeResults(got.path, { source, ...section });
    }
    phases.summary = performance.now() - t;
  } else {
    // Without resultsBody the archive falls back to the SDK's decoder.
    const api: ResultsSource = mode === 'ours-decoder' ? { results: (id, options) => raw.results(id, options) } : raw;
    const done = await archive.downloadAndSummarize(api, batchId, { source });
    if (!done.download.complete) throw new Error(`download incomplete: ${done.download.reason} ${done.download.error ?? ''}`);
    got = done.download;
    summary = done.summary;
    phases['download + summary'] = performance.now() - t;
  }
  t = performance.now();
  const doc = renderResultsDocument(summary, { batch: got.batch, label: 'bench.jsonl', sourcePath: source, archive: got, section: 'section' in section ? section.section : undefined });
  phases.render = performance.now() - t;
  if (summary.results !== got.lines) throw new Error(`summary read ${summary.results} of ${got.lines}`);
  return { lines: got.lines, phases, documentChars: doc.text.length };
}

async function main(): Promise<void> {
  const [mode, baseUrl, apiKey, batchId, dir, source] = process.argv.slice(2);
  if (!mode || !baseUrl || !apiKey || !batchId) throw new Error('usage: resultsWorker <baseline|ours|ours-decoder|reopen|reopen-scan|reopen-section|reopen-section-scan> <baseUrl> <apiKey> <batchId> <dir> [source]');
  // The extension has its API client (and so the SDK) loaded before anyone opens results.
  const api = mode === 'baseline' ? undefined : new BatchesApi(createClient({ apiKey, baseUrl, maxRetries: 0 }));
  const { result: outcome, ms, rssBefore, peakRssDelta } = await measure(() =>
    mode === 'baseline' ? baseline(baseUrl, apiKey, batchId) : ours(mode, api!, batchId, dir, source || undefined),
  );
  process.stdout.write(`${JSON.stringify({ mode, ms, ...outcome, rssBefore, peakRssDelta })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
