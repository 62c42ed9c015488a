// Save Results as CSV for a batch built from data: one row per data record, in the data's order,
// with the data's own columns followed by how its request ended. Streaming: the results file is
// indexed by byte range (custom_id → where its line is), then the data is read again in order and
// each slice of rows reads its results back with a few reads; neither file is held in memory.
// A record that was left out when the batch was built (a bad row) has outcome "not_sent".
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageBatchIndividualResponse } from '../../api';
import { readRanges, type LineRange } from '../results/lineReader';
import { errorMessageOf, errorTypeOf } from '../results/outcomes';
import { scanResults } from '../results/resultsReader';
import { csvRow } from './csvText';
import { fieldText, type DataItem, type DataSource } from './dataRecord';
import type { SourceLink } from './sourceLink';

export const RESULT_COLUMNS = ['outcome', 'text', 'error_type', 'error_message', 'stop_reason', 'input_tokens', 'output_tokens'] as const;

export interface ResultsCsvOptions {
  /** The local results files: one, or each part of a file Submit split into several batches. */
  resultsPaths: string[];
  link: SourceLink;
  /** The data, read again (it must be the data the link names). */
  source: DataSource;
  output: string;
  signal?: AbortSignal;
}

export interface ResultsCsvSummary {
  rows: number;
  withResult: number;
  /** Records sent whose result is not in the results file (yet). */
  withoutResult: number;
  notSent: number;
  /** Results whose custom_id no record has (the data changed?). */
  unmatchedResults: number;
}

const SLICE = 1000;

/** The text of a succeeded message: its text blocks joined. */
function messageText(result: MessageBatchIndividualResponse['result']): string {
  if (result.type !== 'succeeded') return '';
  const content = (result.message as { content?: unknown }).content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((b): b is { type: 'text'; text: string } => typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'text' && typeof (b as { text?: unknown }).text === 'string')
    .map((b) => b.text)
    .join('\n');
}

function resultCells(result: MessageBatchIndividualResponse['result'] | undefined, notSent: boolean): string[] {
  if (notSent) return ['not_sent', '', '', '', '', '', ''];
  if (!result) return ['no_result', '', '', '', '', '', ''];
  const message = result.type === 'succeeded' ? (result.message as { stop_reason?: unknown; usage?: { input_tokens?: unknown; output_tokens?: unknown } }) : undefined;
  const number = (v: unknown) => (typeof v === 'number' ? String(v) : '');
  return [
    result.type,
    messageText(result),
    result.type === 'errored' ? errorTypeOf(result) : '',
    result.type === 'errored' ? errorMessageOf(result) : '',
    typeof message?.stop_reason === 'string' ? message.stop_reason : '',
    number(message?.usage?.input_tokens),
    number(message?.usage?.output_tokens),
  ];
}

/** The result columns' names, prefixed where the data already has a column of that name. */
export function resultColumnNames(dataColumns: readonly string[]): string[] {
  const taken = new Set(dataColumns);
  return RESULT_COLUMNS.map((name) => {
    let out = name as string;
    while (taken.has(out)) out = `result_${out}`;
    return out;
  });
}

export async function writeResultsCsv(options: ResultsCsvOptions): Promise<ResultsCsvSummary> {
  const { link } = options;
  const index = new Map<string, LineRange & { file: number }>();
  for (const [file, resultsPath] of options.resultsPaths.entries()) {
    await scanResults(resultsPath, (result, where) => index.set(result.custom_id, { file, offset: where.offset, length: where.length }), { signal: options.signal });
  }
  const summary: ResultsCsvSummary = { rows: 0, withResult: 0, withoutResult: 0, notSent: 0, unmatchedResults: 0 };
  const matched = new Set<string>();
  await fs.promises.mkdir(path.dirname(options.output), { recursive: true });
  const temp = `${options.output}.${process.pid}.part`;
  const handle = await fs.promises.open(temp, 'w');
  try {
    await handle.write(csvRow([...link.columns, ...resultColumnNames(link.columns)]));
    let slice: DataItem[] = [];
    const writeSlice = async () => {
      // Per results file, the ranges this slice needs and which row each one fills.
      const wanted = options.resultsPaths.map(() => ({ ranges: [] as LineRange[], rows: [] as number[] }));
      slice.forEach((item, i) => {
        const id = link.customIds[item.number - 1];
        const found = id ? index.get(id) : undefined;
        if (found) {
          wanted[found.file].ranges.push(found);
          wanted[found.file].rows.push(i);
          matched.add(id);
        }
      });
      const results = new Array<MessageBatchIndividualResponse['result'] | undefined>(slice.length);
      for (const [file, { ranges, rows }] of wanted.entries()) {
        await readRanges(options.resultsPaths[file], ranges, (bytes, k) => {
          results[rows[k]] = (JSON.parse(bytes.toString('utf8')) as MessageBatchIndividualResponse).result;
        }, options.signal);
      }
      const rows: string[] = [];
      slice.forEach((item, i) => {
        const notSent = !link.customIds[item.number - 1];
        const data = item.kind === 'record' ? link.columns.map((c) => fieldText(item.get(c) ?? '')) : link.columns.map(() => '');
        rows.push(csvRow([...data, ...resultCells(results[i], notSent)]));
        summary.rows++;
        if (notSent) summary.notSent++;
        else if (results[i]) summary.withResult++;
        else summary.withoutResult++;
      });
      await handle.write(rows.join(''));
      slice = [];
    };
    for await (const item of options.source.records(options.signal)) {
      slice.push(item);
      if (slice.length >= SLICE) await writeSlice();
    }
    await writeSlice();
    await handle.close();
    summary.unmatchedResults = index.size - matched.size;
    await fs.promises.rename(temp, options.output);
    return summary;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true });
    throw err;
  }
}
