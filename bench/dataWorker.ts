// One measured run of the data bench, in a fresh process: `baseline` streams the CSV through a
// bare csv-parse (the floor: reading and parsing the cells, nothing else); `build` builds the
// batch file from it (parse, render, custom_ids, validation of each request, write, hash), then
// removes what it wrote. Prints one JSON line.
import * as fs from 'node:fs';
import { parse } from 'csv-parse';
import { buildBatchFromData, CsvSource, discardBuild, parseTemplate } from '../src/domain/data';
import { measure } from './measure';

const TEMPLATE = {
  params: { model: 'claude-sonnet-4-5', max_tokens: 1024, system: 'You summarise product reviews.', messages: [{ role: 'user', content: 'Review "{{title}}" ({{stars}} stars):\n{{text}}' }] },
  options: { customIdColumn: 'id' },
};

async function baseline(file: string): Promise<number> {
  let records = 0;
  for await (const _record of fs.createReadStream(file).pipe(parse())) records++;
  return records - 1;
}

async function build(file: string, output: string): Promise<number> {
  const result = await buildBatchFromData({ source: new CsvSource(file, { delimiter: ',' }), template: parseTemplate(JSON.stringify(TEMPLATE)), output, onBad: 'skip' });
  await discardBuild(result);
  return result.requests;
}

async function main(): Promise<void> {
  const [mode, file, output] = process.argv.slice(2);
  const run = mode === 'baseline' ? () => baseline(file) : () => build(file, output);
  // CPU time beside wall time: on a busy machine it says what the run itself cost.
  const cpuBefore = process.cpuUsage();
  const m = await measure(run);
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ mode, ms: m.ms, cpuMs: (cpu.user + cpu.system) / 1000, records: m.result, rssBefore: m.rssBefore, peakRssDelta: m.peakRssDelta }));
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
