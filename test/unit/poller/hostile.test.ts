import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { FilePollCoordinator } from '../../../src/domain/pollCoordinator';
import { MIN_INTERVAL_SECONDS } from '../../../src/domain/pollSchedule';
import { FakeTimers } from './fakeTimers';
import { PollWorld } from './world';

// Servers (and lease files) that say absurd things about when to come back. Whatever they say,
// the next look at the API comes no sooner than the poll floor and no later than the maximum, and
// no timer is ever asked for a delay Node cannot hold (past 2^31 − 1 ms it fires after 1 ms).

const SECOND = 1000;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const FLOOR_MS = MIN_INTERVAL_SECONDS * SECOND;
/** The delay after one failed tick when the server's wait is ignored: 30 s × 1.5. */
const BACKOFF_MS = 45 * SECOND;

/** Runs the poller until `until` (simulated), at most `maxTicks` timers; returns how many fired. */
async function runUntil(world: PollWorld, until: number, maxTicks: number): Promise<number> {
  let fired = 0;
  while (fired < maxTicks && world.timers.fireNext(until)) {
    fired++;
    await world.poller.settled();
  }
  return fired;
}

describe('Poller against a hostile server', () => {
  let world: PollWorld;
  beforeEach(async () => {
    world = await PollWorld.start();
    world.seed(1);
    await world.store.refresh();
  });
  afterEach(() => world.close());

  const cases: { name: string; headers: Record<string, string>; delayMs: number }[] = [
    { name: 'retry-after 1e12 s (as digits)', headers: { 'retry-after': '1000000000000' }, delayMs: HOUR },
    { name: 'retry-after-ms huge', headers: { 'retry-after-ms': '999999999999999999999', 'retry-after': '1' }, delayMs: HOUR },
    { name: 'retry-after 30 days (under the timer limit, still absurd)', headers: { 'retry-after': String(30 * 86_400) }, delayMs: HOUR },
    { name: 'retry-after negative', headers: { 'retry-after': '-5' }, delayMs: BACKOFF_MS },
    { name: 'retry-after NaN', headers: { 'retry-after': 'NaN' }, delayMs: BACKOFF_MS },
    { name: 'retry-after Infinity', headers: { 'retry-after': 'Infinity' }, delayMs: BACKOFF_MS },
    { name: 'retry-after non-numeric', headers: { 'retry-after': 'soon, I promise' }, delayMs: BACKOFF_MS },
    { name: 'retry-after in exponent form', headers: { 'retry-after': '1e12' }, delayMs: BACKOFF_MS },
    { name: 'retry-after-ms negative, retry-after 120', headers: { 'retry-after-ms': '-1', 'retry-after': '120' }, delayMs: 120 * SECOND },
    { name: 'retry-after 0: not sooner than the floor or the backoff', headers: { 'retry-after': '0' }, delayMs: BACKOFF_MS },
    { name: 'HTTP date in the far past', headers: { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' }, delayMs: BACKOFF_MS },
    { name: 'HTTP date in the far future', headers: { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' }, delayMs: HOUR },
    {
      name: 'HTTP date 2 min after the server’s own Date, both years off the local clock',
      headers: { date: 'Mon, 01 Jan 2001 00:00:00 GMT', 'retry-after': 'Mon, 01 Jan 2001 00:02:00 GMT' },
      delayMs: 120 * SECOND,
    },
    {
      name: 'HTTP date a year after the server’s Date',
      headers: { date: 'Mon, 01 Jan 2001 00:00:00 GMT', 'retry-after': 'Tue, 01 Jan 2002 00:00:00 GMT' },
      delayMs: HOUR,
    },
  ];
  for (const c of cases) {
    it(`429 with ${c.name}: next look in ${c.delayMs / SECOND} s`, async () => {
      world.startPoller();
      world.emulator.faults.add({ route: 'list', status: 429, headers: c.headers });
      await world.tick();
      assert.equal(world.kind(), 'failing');
      assert.equal(world.schedules.at(-1)!.delayMs, c.delayMs);
      assert.equal(world.timers.nextAt()! - world.timers.now(), c.delayMs, 'the timer waits what the schedule says');
      const requests = await world.tick();
      assert.equal(requests.length, 1);
      assert.equal(requests[0].status, 200, 'polls again, and recovers');
      assert.equal(world.kind(), 'polling');
      assert.equal(world.timers.overflows, 0);
    });
  }

  it('a server that always answers retry-after 1e12 s: one request an hour over a day, no spin', async () => {
    world.startPoller();
    world.emulator.faults.add({ route: 'list', status: 429, headers: { 'retry-after': '1000000000000' }, times: 10_000 });
    const start = world.timers.now();
    const fired = await runUntil(world, start + DAY, 200);
    const requests = world.apiRequests().filter((r) => r.time > start);
    assert.ok(fired < 200, `${fired} ticks in a simulated day: the poller spins`);
    assert.ok(requests.length >= 20 && requests.length <= 25, `${requests.length} requests in a day`);
    for (let i = 1; i < requests.length; i++) {
      const gap = requests[i].time - requests[i - 1].time;
      assert.ok(gap >= FLOOR_MS && gap <= HOUR, `gap ${gap} ms between requests ${i - 1} and ${i}`);
    }
    assert.equal(world.timers.overflows, 0);
    assert.ok(world.timers.nextAt()! - world.timers.now() <= HOUR, 'the next look within an hour');
  });

  it('a retry-after and then the clock set back a month: polling resumes as told, no spin', async () => {
    world.startPoller();
    world.emulator.faults.add({ route: 'list', status: 429, retryAfter: 600 });
    await world.tick();
    world.timers.shiftWallClock(-30 * DAY);
    const start = world.timers.now();
    const logged = world.emulator.requests.length;
    const fired = await runUntil(world, start + 2 * HOUR, 200);
    assert.ok(fired < 200, 'no spin');
    const after = world.emulator.requests.slice(logged).map((r) => ({ at: r.time - start, status: r.status }));
    assert.deepEqual(after[0], { at: 600 * SECOND, status: 200 }, 'the retry-after is kept in elapsed time');
    assert.equal(after[1].at - after[0].at, 68 * SECOND, 'then the usual backoff, not a wait on the old clock');
    assert.equal(world.timers.overflows, 0);
  });

  it('settings of absurd size are bounded too', async () => {
    world.settings = { intervalSeconds: 1e12, maxIntervalSeconds: 1e15 };
    world.startPoller();
    const start = world.timers.now();
    await runUntil(world, start + DAY, 200);
    assert.ok(world.schedules.every((s) => s.delayMs >= FLOOR_MS && s.delayMs <= HOUR), JSON.stringify(world.delays()));
    assert.ok(world.apiRequests().filter((r) => r.time > start).length >= 20, 'still polls every hour');
    assert.equal(world.timers.overflows, 0);
  });

  it('property: for any retry-after (and retry-after-ms) header, the next look is within [floor, max]', async () => {
    const header = fc
      .oneof(
        fc.string(),
        fc.double().map(String),
        fc.bigInt().map(String),
        fc.nat().map(String),
        fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toUTCString())),
        fc.constantFrom('', ' ', '-0', '1e400', '0x10', '+5', '5 ', '1.5', 'Infinity', 'NaN', 'Thu, 01 Jan 1970 00:00:00 GMT'),
      )
      .filter((v) => /^[\t\x20-\x7e]*$/.test(v));
    await fc.assert(
      fc.asyncProperty(header, fc.option(header, { nil: undefined }), async (retryAfter, retryAfterMs) => {
        const w = await PollWorld.start(new FakeTimers());
        try {
          w.seed(1);
          await w.store.refresh();
          w.startPoller();
          const headers: Record<string, string> = { 'retry-after': retryAfter };
          if (retryAfterMs !== undefined) headers['retry-after-ms'] = retryAfterMs;
          w.emulator.faults.add({ route: 'list', status: 429, headers });
          await w.tick();
          const delay = w.timers.nextAt()! - w.timers.now();
          assert.ok(delay >= FLOOR_MS && delay <= HOUR, `delay ${delay} ms for ${JSON.stringify(headers)}`);
          assert.equal(w.timers.overflows, 0);
        } finally {
          await w.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('Poller against a hostile lease file', () => {
  let world: PollWorld;
  let dir: string;
  let lines: string[];
  beforeEach(async () => {
    world = await PollWorld.start();
    world.seed(1);
    await world.store.refresh();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poll-hostile-'));
    lines = [];
  });
  afterEach(async () => {
    await world.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const leasePath = () => path.join(dir, 'poll-lease.json');
  const startWindow = () => world.startPoller({ coordinator: new FilePollCoordinator(dir, 'a', world.timers, (l) => lines.push(l)) });
  const readLease = () => JSON.parse(fs.readFileSync(leasePath(), 'utf8')) as { holder: string; notBefore: number; until: number };

  for (const [label, ahead] of [
    ['20 days (under the timer limit: would stop polling)', 20 * DAY],
    ['1e15 ms (past the timer limit: would spin)', 1e15],
  ] as const) {
    it(`another window’s lease with notBefore ${label} ahead is ignored: polling goes on, no spin`, async () => {
      const now = world.timers.now();
      fs.writeFileSync(leasePath(), JSON.stringify({ version: 1, holder: 'other', until: now + 60_000, focused: true, notBefore: now + ahead }));
      startWindow();
      const start = world.timers.now();
      const fired = await runUntil(world, start + DAY, 500);
      assert.ok(fired < 500, `${fired} ticks in a simulated day: spins`);
      const requests = world.apiRequests().filter((r) => r.time > start);
      assert.ok(requests.length > 0, 'polled');
      assert.ok(requests[0].time - start <= HOUR, `first request after ${(requests[0].time - start) / 1000} s`);
      assert.ok(readLease().notBefore <= world.timers.now() + HOUR, 'the bad notBefore is not kept in the shared file');
      assert.ok(lines.some((l) => /lease/.test(l) && /notBefore/.test(l)), `logged: ${JSON.stringify(lines)}`);
      assert.equal(world.timers.overflows, 0);
    });
  }

  const malformed: { name: string; text: (now: number) => string }[] = [
    { name: 'until Infinity (1e400)', text: (now) => `{"version":1,"holder":"other","until":1e400,"focused":true,"notBefore":${now}}` },
    { name: 'until a century ahead', text: (now) => JSON.stringify({ version: 1, holder: 'other', until: now + 100 * 365 * DAY, focused: true, notBefore: 0 }) },
    { name: 'notBefore a string', text: (now) => JSON.stringify({ version: 1, holder: 'other', until: now + 60_000, focused: true, notBefore: 'tomorrow' }) },
    { name: 'notBefore Infinity', text: (now) => `{"version":1,"holder":"other","until":${now + 60_000},"focused":true,"notBefore":1e999}` },
    { name: 'holder not a string', text: (now) => JSON.stringify({ version: 1, holder: 42, until: now + 60_000, focused: true, notBefore: 0 }) },
    { name: 'focused not a boolean', text: (now) => JSON.stringify({ version: 1, holder: 'other', until: now + 60_000, focused: 'yes', notBefore: 0 }) },
    { name: 'an array', text: () => '[1,2,3]' },
  ];
  for (const m of malformed) {
    it(`a malformed lease (${m.name}) is ignored and overwritten`, async () => {
      fs.writeFileSync(leasePath(), m.text(world.timers.now()));
      startWindow();
      const requests = await world.tick();
      assert.equal(requests.length, 1, 'this window polls');
      assert.equal(requests[0].status, 200);
      const lease = readLease();
      assert.equal(lease.holder, 'a');
      assert.ok(Number.isFinite(lease.until) && lease.until <= world.timers.now() + 3 * HOUR);
      assert.equal(world.timers.overflows, 0);
    });
  }
});
