import { seedSampleHistory } from './sampleHistory';
import { DEFAULT_API_KEY, startEmulator } from './server';
import type { EmulatorOptions, Timing } from './types';

// node out/test/emulator/cli.js [--port N] [--api-key K] [--timing instant|manual|<ms per request>]
//                               [--cancel-latency MS] [--state FILE] [--sample] [--seed N]
// First line: `listening on http://127.0.0.1:N`; second: `api key: K`; then one line per request.

const USAGE =
  'usage: cli.js [--port N] [--api-key K] [--timing instant|manual|<ms per request>] [--cancel-latency MS] [--state FILE] [--sample] [--seed N]';

export interface CliArgs {
  options: EmulatorOptions;
  sample: boolean;
}

function fail(message: string): never {
  throw new Error(`${message}\n${USAGE}`);
}

function integer(flag: string, value: string | undefined, min: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min) fail(`${flag} needs an integer >= ${min}`);
  return Number(value);
}

export function parseCliArgs(argv: string[]): CliArgs {
  const options: EmulatorOptions = { port: 0, apiKey: DEFAULT_API_KEY };
  let sample = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string | undefined => argv[++i];
    switch (flag) {
      case '--port':
        options.port = integer(flag, next(), 0);
        break;
      case '--api-key': {
        const key = next();
        if (!key) fail('--api-key needs a value');
        options.apiKey = key;
        break;
      }
      case '--timing': {
        const value = next();
        let timing: Timing;
        if (value === 'instant' || value === 'manual') timing = value;
        else timing = { perRequestMs: integer(flag, value, 1) };
        options.timing = timing;
        break;
      }
      case '--cancel-latency':
        options.cancelLatencyMs = integer(flag, next(), 0);
        break;
      case '--state': {
        const file = next();
        if (!file) fail('--state needs a file');
        options.statePath = file;
        break;
      }
      case '--seed':
        options.seed = integer(flag, next(), 0);
        break;
      case '--sample':
        sample = true;
        break;
      case '--help':
      case '-h':
        fail('');
        break;
      default:
        fail(`unknown option ${flag}`);
    }
  }
  return { options, sample };
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message.trim()}\n`);
    process.exit(2);
  }
  const emu = await startEmulator({ ...args.options, log: (line) => console.log(line) });
  console.log(`listening on ${emu.url}`);
  console.log(`api key: ${emu.apiKey}`);
  if (args.sample && emu.batchIds().length === 0) {
    seedSampleHistory(emu);
    process.stderr.write(`seeded ${emu.batchIds().length} sample batches\n`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`emulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
