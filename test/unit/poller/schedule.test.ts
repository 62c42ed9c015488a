import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { ageIntervalMs, BUDGET_BURST, BUDGET_REFILL_MS, effectiveIntervals, PollSchedule, RequestBudget, timerDelay, type PollSettings } from '../../../src/domain/pollSchedule';
import { PollWorld } from './world';

/** Old enough that the backoff alone decides, young enough not to have expired. */
const OLD = 7 * 3600_000;
const MIN = 60_000;
const HOUR = 3600_000;

describe('poll schedule (pure)', () => {
  const defaults: PollSettings = { intervalSeconds: 30, maxIntervalSeconds: 300 };

  it('grows ×1.5 while nothing changes, up to the maximum, and stays there', () => {
    const schedule = new PollSchedule(() => defaults);
    const delays = [schedule.start(true)];
    for (let i = 0; i < 8; i++) delays.push(schedule.afterTick('quiet', true));
    assert.deepEqual(delays.map((ms) => ms / 1000), [30, 45, 68, 102, 153, 230, 300, 300, 300]);
  });

  it('goes back to the base interval after a change, and failures back off like quiet ticks', () => {
    const schedule = new PollSchedule(() => defaults);
    schedule.start(true);
    schedule.afterTick('quiet', true);
    schedule.afterTick('failed', true);
    assert.equal(schedule.afterTick('changed', true), 30_000);
    assert.equal(schedule.afterTick('failed', true), 45_000);
  });

  it('unfocused: four times longer, at most ten minutes', () => {
    const schedule = new PollSchedule(() => defaults);
    const delays = [schedule.start(false)];
    for (let i = 0; i < 5; i++) delays.push(schedule.afterTick('quiet', false));
    assert.deepEqual(delays.map((ms) => ms / 1000), [120, 180, 272, 408, 600, 600]);
  });

  it('enforces a 10 s minimum, a maximum no lower than the interval, and defaults for nonsense', () => {
    assert.deepEqual(effectiveIntervals({ intervalSeconds: 2, maxIntervalSeconds: 300 }), { baseMs: 10_000, maxMs: 300_000 });
    assert.deepEqual(effectiveIntervals({ intervalSeconds: 60, maxIntervalSeconds: 20 }), { baseMs: 60_000, maxMs: 60_000 });
    assert.deepEqual(effectiveIntervals({ intervalSeconds: NaN, maxIntervalSeconds: -1 }), { baseMs: 30_000, maxMs: 300_000 });
  });

  it('never more than an hour, whatever the settings say', () => {
    assert.deepEqual(effectiveIntervals({ intervalSeconds: 30, maxIntervalSeconds: 1e15 }), { baseMs: 30_000, maxMs: 3600_000 });
    assert.deepEqual(effectiveIntervals({ intervalSeconds: 1e12, maxIntervalSeconds: 300 }), { baseMs: 3600_000, maxMs: 3600_000 });
    const schedule = new PollSchedule(() => ({ intervalSeconds: 3600, maxIntervalSeconds: 3600 }));
    assert.equal(schedule.start(false), 3600_000, 'unfocused too');
  });

  it('timerDelay keeps every timer within [floor, an hour], in whole ms', () => {
    assert.equal(timerDelay(2 ** 31, 10_000), 3600_000);
    assert.equal(timerDelay(Infinity, 10_000), 3600_000);
    assert.equal(timerDelay(-5, 10_000), 10_000);
    assert.equal(timerDelay(NaN, 0), 10_000, 'NaN is a bug somewhere: wait the poll floor');
    assert.equal(timerDelay(1_500.4, 0), 1_500);
    assert.equal(timerDelay(500, 1e15), 3600_000, 'a floor cannot push past the maximum');
  });
});

describe('Poller schedule (fake clock, emulator)', () => {
  let world: PollWorld;
  beforeEach(async () => {
    world = await PollWorld.start();
  });
  afterEach(() => world.close());

  async function oneInFlight(count = 1) {
    // Old: these tests are about the backoff, which alone decides for batches that old.
    const batches = world.seed(count, OLD);
    await world.store.refresh();
    world.startPoller();
    return batches;
  }

  it('while nothing changes the intervals grow by the factor up to the cap', async () => {
    await oneInFlight();
    for (let i = 0; i < 8; i++) await world.tick();
    assert.deepEqual(world.delays(), [30, 45, 68, 102, 153, 230, 300, 300, 300]);
    assert.deepEqual(world.schedules.map((s) => s.reason), ['start', ...Array(8).fill('tick')]);
    assert.equal(world.kind(), 'polling');
  });

  it('resets to the base interval when a batch changed', async () => {
    const [a] = await oneInFlight(2);
    for (let i = 0; i < 6; i++) await world.tick();
    assert.equal(world.delays().at(-1), 300);
    world.emulator.finish(a.id);
    await world.tick();
    assert.equal(world.store.get(a.id)?.processing_status, 'ended');
    assert.equal(world.ticks.at(-1)?.changed, true);
    await world.tick();
    assert.deepEqual(world.delays().slice(-3), [300, 30, 45]);
  });

  it('poke() polls within a couple of seconds and restarts the backoff', async () => {
    await oneInFlight();
    for (let i = 0; i < 6; i++) await world.tick();
    const before = world.timers.now();
    world.poller.poke();
    world.poller.poke(); // twice: still one tick
    assert.equal(world.timers.pending, 1);
    const requests = await world.tick();
    assert.equal(requests.length, 1);
    assert.ok(world.timers.now() - before <= 2_000, 'polled within 2 s');
    await world.tick();
    assert.deepEqual(world.delays().slice(-4), [300, 1, 30, 45]);
    assert.deepEqual(world.schedules.slice(-4).map((s) => s.reason), ['tick', 'poke', 'tick', 'tick']);
  });

  it('poke() during a tick: the next tick comes within a second, still one request per tick', async () => {
    await oneInFlight();
    for (let i = 0; i < 4; i++) await world.tick();
    const before = world.emulator.requests.length;
    world.timers.fireNext();
    world.poller.poke();
    assert.equal(world.timers.pending, 0, 'nothing scheduled beside the running tick');
    await world.poller.settled();
    assert.equal(world.emulator.requests.length, before + 1);
    assert.deepEqual(world.delays().slice(-2), [153, 1]);
    await world.tick();
    assert.equal(world.delays().at(-1), 30);
  });

  it('unfocused: longer intervals; on focus a far-away poll comes within 3 s', async () => {
    const randoms = [0.999];
    await oneInFlight();
    world.poller.dispose();
    world.schedules.length = 0;
    world.startPoller({ random: () => randoms.shift() ?? 0.5 });
    world.poller.setFocused(false);
    for (let i = 0; i < 6; i++) await world.tick();
    // The first interval was scheduled while focused.
    assert.deepEqual(world.delays(), [30, 180, 272, 408, 600, 600, 600]);

    world.timers.advance(20_000); // focus comes back a while after the last check
    world.poller.setFocused(true);
    const focus = world.schedules.at(-1)!;
    assert.equal(focus.reason, 'focus');
    assert.ok(focus.delayMs >= 0 && focus.delayMs < 3_000, `jitter ${focus.delayMs} ms`);
    assert.equal(world.timers.pending, 1);
    await world.tick();
    assert.equal(world.delays().at(-1), 300, 'focused again: the focused interval');

    // Unfocus and refocus with the next poll near: nothing is moved.
    world.timers.advance(20_000);
    world.poller.setFocused(false);
    world.poller.setFocused(true);
    assert.equal(world.schedules.at(-1)!.reason, 'focus');
    assert.ok(world.schedules.at(-1)!.delayMs < 3_000);
    const count = world.schedules.length;
    world.timers.advance(world.timers.nextAt()! - world.timers.now() - 1_000);
    world.poller.setFocused(false);
    world.poller.setFocused(true);
    assert.equal(world.schedules.length, count, 'a poll due within 3 s is left alone');
  });

  it('honours the setting, never below 10 s', async () => {
    world.settings = { intervalSeconds: 1, maxIntervalSeconds: 12 };
    await oneInFlight();
    for (let i = 0; i < 3; i++) await world.tick();
    assert.deepEqual(world.delays(), [10, 12, 12, 12]);
  });
});

describe('poll schedule by age, within the request budget', () => {
  const defaults: PollSettings = { intervalSeconds: 30, maxIntervalSeconds: 300 };

  it('the youngest batch in flight bounds the quiet backoff: 30 s under 10 min, 60 s under an hour, 120 s under 6 h', () => {
    const bounds = effectiveIntervals(defaults);
    assert.deepEqual(
      [0, 9 * MIN, 10 * MIN, 59 * MIN, HOUR, 6 * HOUR - 1, 6 * HOUR, 24 * HOUR].map((age) => ageIntervalMs(age, bounds) / 1000),
      [30, 30, 60, 60, 120, 120, 300, 300],
    );
    assert.equal(ageIntervalMs(0, effectiveIntervals({ intervalSeconds: 90, maxIntervalSeconds: 300 })), 90_000, 'never below the set interval');
    assert.equal(ageIntervalMs(3 * HOUR, effectiveIntervals({ intervalSeconds: 30, maxIntervalSeconds: 60 })), 60_000, 'nor above the set maximum');
    const schedule = new PollSchedule(() => defaults);
    const delays = [schedule.start(true, 0)];
    for (let i = 0; i < 4; i++) delays.push(schedule.afterTick('quiet', true, 5 * MIN));
    for (let i = 0; i < 4; i++) delays.push(schedule.afterTick('quiet', true, 30 * MIN));
    assert.deepEqual(delays.map((ms) => ms / 1000), [30, 30, 30, 30, 30, 60, 60, 60, 60]);
    assert.equal(schedule.afterTick('failed', true, 5 * MIN) > 60_000, true, 'a failing API is not pressed, however young the batch');
  });

  it('the budget lets at most 60 requests through in any hour, however they are asked for', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 * MIN }), { minLength: 1, maxLength: 400 }), (gaps) => {
        const budget = new RequestBudget();
        const times: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += Math.max(gap, budget.waitMs(now));
          assert.equal(budget.waitMs(now), 0);
          budget.spend(now);
          times.push(now);
        }
        for (let i = 0; i < times.length; i++) {
          const inHour = times.filter((t) => t >= times[i] && t < times[i] + HOUR).length;
          assert.ok(inHour <= 60, `${inHour} requests in the hour from ${times[i]} ms`);
        }
      }),
    );
    const budget = new RequestBudget();
    for (let i = 0; i < BUDGET_BURST; i++) budget.spend(0);
    assert.equal(budget.waitMs(0), Math.ceil(BUDGET_REFILL_MS), 'once the burst is spent, one request per refill');
  });
});

describe('Poller by age (fake clock, emulator)', () => {
  let world: PollWorld;
  beforeEach(async () => {
    world = await PollWorld.start();
  });
  afterEach(() => world.close());

  it('a batch just submitted is checked every 30 s, then about every minute, and the store knows when it was checked', async () => {
    world.seed(1);
    await world.store.refresh();
    world.startPoller();
    assert.equal(world.poller.lastCheckedAt, undefined);
    for (let i = 0; i < 12; i++) await world.tick();
    assert.equal(world.poller.lastCheckedAt, world.timers.now());
    const delays = world.delays();
    assert.deepEqual(delays.slice(0, 7), [30, 30, 30, 30, 30, 30, 30], 'the burst: every 30 s');
    for (const d of delays.slice(7)) assert.ok(d >= 30 && d <= 67, `then about a minute apart (the budget): ${d} s`);
  });

  it('a batch submitted every few minutes for hours: at most 60 requests in any hour, and none waits more than about a minute', async () => {
    world.seed(1);
    await world.store.refresh();
    world.startPoller();
    const start = world.timers.now();
    let nextSubmit = start;
    for (let fired = 0; fired < 2000 && world.timers.now() < start + 3 * 3600_000; fired++) {
      if (world.timers.now() >= nextSubmit) {
        world.store.upsert(world.seed(1)[0]);
        nextSubmit += 3 * MIN;
      }
      await world.tick();
    }
    const times = world.apiRequests().map((r) => r.time).filter((t) => t > start);
    for (const t of times) {
      const inHour = times.filter((u) => u >= t && u < t + HOUR).length;
      assert.ok(inHour <= 60, `${inHour} requests in the hour from ${t - start} ms`);
    }
    for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] <= 67_000, `gap ${times[i] - times[i - 1]} ms`);
  });

  it('lookSoon (the view shown, focus back): a far-away check comes within 3 s, but not right after one', async () => {
    world.seed(1, OLD);
    await world.store.refresh();
    world.startPoller();
    for (let i = 0; i < 6; i++) await world.tick();
    assert.equal(world.delays().at(-1), 300);
    world.timers.advance(20_000);
    world.poller.lookSoon();
    assert.equal(world.schedules.at(-1)!.reason, 'focus');
    assert.ok(world.schedules.at(-1)!.delayMs < 3_000);
    await world.tick();
    const scheduled = world.schedules.length;
    world.timers.advance(5_000);
    world.poller.lookSoon();
    assert.equal(world.schedules.length, scheduled, 'checked 5 s ago: nothing sooner');
  });
});
