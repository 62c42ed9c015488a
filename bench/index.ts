// `npm run bench`: every benchmark, each printed beside a baseline measured in the same run.
import { benchActivation } from './activation';
import { benchData } from './data';
import { benchPolling } from './polling';
import { benchResults } from './results';
import { benchRoundtrip } from './roundtrip';
import { benchUpload } from './upload';
import { benchValidation } from './validation';

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const sections: [string, () => Promise<void>][] = [
    ['activation', benchActivation],
    ['validation', benchValidation],
    ['upload', benchUpload],
    ['polling', benchPolling],
    ['results', benchResults],
    ['data', benchData],
    ['roundtrip', benchRoundtrip],
  ];
  for (const [name, run] of sections) {
    if (only && !only.includes(name)) continue;
    await run();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
