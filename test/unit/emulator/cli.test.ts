import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';

// Compiled to out/test/unit/emulator/; the CLI is out/test/emulator/cli.js.
const CLI = path.join(__dirname, '..', '..', 'emulator', 'cli.js');

interface Running {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first line that matches. */
  waitFor(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffer = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => pattern.test(l));
        if (found !== undefined) return resolve(found);
        waiters.push({ pattern, resolve });
        exited.then((code) => reject(new Error(`cli exited (${code}) before printing ${pattern}; stdout: ${lines.join(' | ')}`)));
      }),
  };
}

describe('emulator cli', () => {
  const children: ChildProcess[] = [];
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batches-emulator-cli-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints where it listens and the key, logs each request, and exits cleanly on SIGTERM', async () => {
    const cli = run(['--port', '0', '--api-key', 'sk-ant-cli-test', '--timing', 'manual']);
    children.push(cli.child);
    const first = await cli.waitFor(/^listening on /);
    assert.equal(cli.lines[0], first);
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(first);
    assert.ok(match, first);
    assert.notEqual(match[2], '0');
    assert.equal(await cli.waitFor(/^api key: /), 'api key: sk-ant-cli-test');
    assert.equal(cli.lines[1], 'api key: sk-ant-cli-test');

    const sdk = new Anthropic({ apiKey: 'sk-ant-cli-test', baseURL: match[1], maxRetries: 0 });
    const batch = await sdk.messages.batches.create({
      requests: [{ custom_id: 'a', params: { model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] } }],
    });
    assert.equal((await sdk.messages.batches.retrieve(batch.id)).processing_status, 'in_progress', 'manual timing');
    const logLine = await cli.waitFor(/^GET \/v1\/messages\/batches\/msgbatch_/);
    assert.match(logLine, / 200 req_\w+$/);
    assert.ok(cli.lines.slice(2).every((l) => !l.includes('sk-ant-cli-test')), 'the key is printed once, never logged');

    // The control endpoints let another process drive manual timing.
    const finish = await fetch(`${match[1]}/_emulator/finish`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-cli-test', 'content-type': 'application/json' },
      body: JSON.stringify({ batch_id: batch.id }),
    });
    assert.equal(finish.status, 200);
    assert.equal((await sdk.messages.batches.retrieve(batch.id)).processing_status, 'ended');

    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0);
  });

  it('--sample seeds history only into an empty state, which survives a restart', async () => {
    const state = path.join(dir, 'state.json');
    const first = run(['--state', state, '--sample']);
    children.push(first.child);
    const url = (await first.waitFor(/^listening on /)).slice('listening on '.length);
    const sdk = new Anthropic({ apiKey: 'sk-ant-emulator', baseURL: url, maxRetries: 0 });
    const count = async (client: Anthropic): Promise<number> => {
      let n = 0;
      for await (const _b of client.messages.batches.list({ limit: 100 })) n++;
      return n;
    };
    assert.equal(await count(sdk), 8);
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0);

    const second = run(['--state', state, '--sample']);
    children.push(second.child);
    const url2 = (await second.waitFor(/^listening on /)).slice('listening on '.length);
    assert.equal(await count(new Anthropic({ apiKey: 'sk-ant-emulator', baseURL: url2, maxRetries: 0 })), 8);
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  it('refuses unknown options with exit code 2', async () => {
    const cli = run(['--bogus']);
    children.push(cli.child);
    assert.equal(await cli.exited, 2);
    assert.deepEqual(cli.lines, []);
  });
});
