// Installing into the cache: atomic (nothing half-built is ever taken for a cache) and locked
// (two runs at once wait for each other). The builders here are small stand-ins for code-server's
// install, so these run in a second; the real install is exercised by the set-up commands tier.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installOnce, isComplete } from '../../../scripts/setup/cacheInstall.mjs';

const moduleUrl = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'setup', 'cacheInstall.mjs')).href;

/** A child process that installs `name` into `root`, its build taking `ms` and writing `who`. */
function installInChild(root, name, ms, who) {
  const code = `
    import { installOnce } from ${JSON.stringify(moduleUrl)};
    import * as fs from 'node:fs';
    import * as path from 'node:path';
    const dir = await installOnce({ root: ${JSON.stringify(root)}, name: ${JSON.stringify(name)}, pollMs: 50,
      log: (m) => console.error(m),
      build: async (temp) => {
        fs.appendFileSync(path.join(${JSON.stringify(root)}, 'builds.log'), ${JSON.stringify(who)} + '\\n');
        fs.writeFileSync(path.join(temp, 'half'), 'x');
        console.log('building');
        await new Promise((r) => setTimeout(r, ${ms}));
        fs.writeFileSync(path.join(temp, 'built-by'), ${JSON.stringify(who)});
      } });
    console.log('done ' + dir);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  const started = new Promise((resolve) => child.stdout.on('data', () => out.includes('building') && resolve()));
  return { child, exited, started };
}

describe('set-up: installing into the cache', () => {
  let root;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-batches-cache-test-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const entries = () => fs.readdirSync(root).filter((e) => e !== 'builds.log').sort();
  const builds = () => (fs.existsSync(path.join(root, 'builds.log')) ? fs.readFileSync(path.join(root, 'builds.log'), 'utf8').trim().split('\n') : []);

  it('builds once, then reuses the folder without building again', async () => {
    let count = 0;
    const build = (temp) => {
      count++;
      fs.writeFileSync(path.join(temp, 'x'), 'y');
    };
    const first = await installOnce({ root, name: 'thing-1', build });
    const second = await installOnce({ root, name: 'thing-1', build });
    assert.equal(first, path.join(root, 'thing-1'));
    assert.equal(second, first);
    assert.equal(count, 1);
    assert.equal(fs.readFileSync(path.join(first, 'x'), 'utf8'), 'y');
    assert.ok(isComplete(first));
    assert.deepEqual(entries(), ['thing-1']); // no lock, no temp folder left
  });

  it('a failed build leaves nothing behind, and the next run builds afresh', async () => {
    await assert.rejects(
      installOnce({ root, name: 'thing-1', build: (temp) => { fs.writeFileSync(path.join(temp, 'half'), ''); throw new Error('npm said no'); } }),
      /npm said no/,
    );
    assert.deepEqual(entries(), []);
    const dir = await installOnce({ root, name: 'thing-1', build: (temp) => fs.writeFileSync(path.join(temp, 'ok'), '') });
    assert.ok(fs.existsSync(path.join(dir, 'ok')));
    assert.ok(!fs.existsSync(path.join(dir, 'half')));
  });

  it('an install killed halfway leaves nothing that counts as a cache; the next run cleans up and builds', async () => {
    const victim = installInChild(root, 'thing-1', 60_000, 'victim');
    await victim.started;
    victim.child.kill('SIGKILL');
    await victim.exited;
    // What the killed run left: its lock and its temp folder, never the final folder.
    assert.ok(!fs.existsSync(path.join(root, 'thing-1')));
    assert.ok(entries().some((e) => e.endsWith('.lock')));
    assert.ok(entries().some((e) => e.includes('.tmp-')));

    const messages = [];
    const dir = await installOnce({ root, name: 'thing-1', pollMs: 20, log: (m) => messages.push(m), build: (temp) => fs.writeFileSync(path.join(temp, 'built-by'), 'second') });
    assert.equal(fs.readFileSync(path.join(dir, 'built-by'), 'utf8'), 'second');
    assert.ok(!fs.existsSync(path.join(dir, 'half')));
    assert.deepEqual(entries(), ['thing-1']);
    assert.ok(messages.some((m) => /taking over the install lock/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /interrupted install/.test(m)), messages.join('\n'));
  });

  it('two runs at once: the second waits for the first and builds nothing', async () => {
    const first = installInChild(root, 'thing-1', 1500, 'first');
    await first.started;
    const second = installInChild(root, 'thing-1', 1500, 'second');
    const [a, b] = await Promise.all([first.exited, second.exited]);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    assert.deepEqual(builds(), ['first']);
    assert.match(b.err, /waiting for another run that is installing thing-1/);
    assert.equal(fs.readFileSync(path.join(root, 'thing-1', 'built-by'), 'utf8'), 'first');
    assert.deepEqual(entries(), ['thing-1']);
  });

  it('a folder without its completion mark is not taken for a cache', async () => {
    fs.mkdirSync(path.join(root, 'thing-1'));
    fs.writeFileSync(path.join(root, 'thing-1', 'stale'), '');
    const dir = await installOnce({ root, name: 'thing-1', build: (temp) => fs.writeFileSync(path.join(temp, 'fresh'), '') });
    assert.ok(fs.existsSync(path.join(dir, 'fresh')));
    assert.ok(!fs.existsSync(path.join(dir, 'stale')));
  });

  it('a lock held too long by a live process ends with a message that says what to do', async () => {
    fs.mkdirSync(path.join(root, 'thing-1.lock'));
    fs.writeFileSync(path.join(root, 'thing-1.lock', 'owner.json'), JSON.stringify({ pid: process.pid, host: os.hostname() }));
    await assert.rejects(
      installOnce({ root, name: 'thing-1', waitMs: 200, pollMs: 20, build: () => assert.fail('must not build') }),
      (err) => /has held .*thing-1\.lock.*remove that folder and run again/s.test(err.message),
    );
  });
});
