import { strict as assert } from 'node:assert';
import type { MessageBatch, UserFacingError } from '../../../src/api';
import type { LeaseGrant, LeaseRequest, PollCoordinator, SharedSnapshot } from '../../../src/domain/pollCoordinator';
import { PollLease } from '../../../src/domain/pollLease';
import { FakeTimers } from './fakeTimers';

// This window's side of the shared poll, against a coordinator that answers what the test says
// and records what it was asked.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

class ScriptedCoordinator implements PollCoordinator {
  readonly asked: LeaseRequest[] = [];
  readonly published: { at: number; batches: readonly MessageBatch[]; removed?: readonly string[] }[] = [];
  readonly reads: number[] = [];
  grant: LeaseGrant = { leader: true, notBefore: 0 };
  snapshot: SharedSnapshot = { batches: [], removed: [] };
  released = 0;

  acquire(request: LeaseRequest): LeaseGrant {
    this.asked.push(request);
    return this.grant;
  }
  publish(update: { at: number; batches: readonly MessageBatch[]; removed?: readonly string[] }): void {
    this.published.push(update);
  }
  readSince(since: number): SharedSnapshot {
    this.reads.push(since);
    return this.snapshot;
  }
  release(): void {
    this.released++;
  }
}

describe('poll lease', () => {
  let timers: FakeTimers;
  let coordinator: ScriptedCoordinator;
  let lease: PollLease;
  beforeEach(() => {
    timers = new FakeTimers();
    coordinator = new ScriptedCoordinator();
    lease = new PollLease(coordinator, timers);
  });

  it('asks for the lease for two intervals and a grace, and takes it by force only once after takeOverNext()', () => {
    assert.equal(lease.acquire(30_000, true), 'lead');
    lease.takeOverNext();
    assert.equal(lease.acquire(45_000, false), 'lead');
    assert.equal(lease.acquire(45_000, false), 'lead');
    const now = timers.now();
    assert.deepEqual(coordinator.asked, [
      { until: now + 75_000, focused: true, force: false },
      { until: now + 105_000, focused: false, force: true },
      { until: now + 105_000, focused: false, force: false },
    ]);
  });

  it('another window holds it: follow; a wait another window was told: wait', () => {
    coordinator.grant = { leader: false, notBefore: 0 };
    assert.equal(lease.acquire(30_000, true), 'follow');
    coordinator.grant = { leader: true, notBefore: timers.now() + MINUTE };
    assert.equal(lease.acquire(30_000, true), 'wait');
    assert.equal(lease.waitUntil(timers.now()), timers.now() + MINUTE, 'the shared wait is kept');
    coordinator.grant = { leader: true, notBefore: NaN };
    assert.equal(lease.acquire(30_000, true), 'wait', 'a grant without a usable time changes nothing');
  });

  const tooMany = (retryAfterSeconds?: number): UserFacingError => ({ kind: 'rateLimited', retryable: true, status: 429, message: 'Too many requests.', retryAfterSeconds });

  it('a retry-after holds until then, never under the poll floor; a later answer ends it; a failure without one keeps it', () => {
    const now = timers.now();
    lease.afterTick({ request: 'list', error: tooMany(120) });
    assert.equal(lease.waitUntil(now), now + 2 * MINUTE);
    lease.afterTick({ request: 'list', error: tooMany(60) });
    assert.equal(lease.waitUntil(now), now + 2 * MINUTE, 'a shorter wait does not shorten a longer one');
    lease.afterTick({ request: 'list', error: tooMany() });
    lease.afterTick({ request: 'shared' });
    lease.afterTick({ request: 'none' });
    assert.equal(lease.waitUntil(now), now + 2 * MINUTE, 'no answer from the API: the wait stands');
    lease.afterTick({ request: 'retrieve' });
    assert.equal(lease.waitUntil(now), 0);
    lease.afterTick({ request: 'list', error: tooMany(0) });
    assert.equal(lease.waitUntil(now), now + 10_000, 'retry-after 0: the poll floor');
    lease.afterTick({ request: 'list', error: tooMany(NaN) });
    assert.equal(lease.waitUntil(now), now + 10_000, 'no usable wait: nothing changes');
  });

  it('a wait is never more than an hour from now, however far the other windows were told', () => {
    coordinator.grant = { leader: true, notBefore: timers.now() + 20 * 24 * HOUR };
    assert.equal(lease.acquire(30_000, true), 'wait');
    assert.equal(lease.waitUntil(timers.now()), timers.now() + HOUR);
    timers.shiftWallClock(-30 * 24 * HOUR);
    assert.equal(lease.waitUntil(timers.now()), timers.now() + HOUR, 'the clock set back a month: still an hour at most');
  });

  it('renew() passes the wait on to the other windows', () => {
    lease.afterTick({ request: 'list', error: tooMany(120) });
    lease.renew(30_000, false);
    assert.deepEqual(coordinator.asked, [{ until: timers.now() + 75_000, focused: false, notBefore: timers.now() + 2 * MINUTE }]);
  });

  it('reads only what was shared since it last read or published', () => {
    const batch = { id: 'msgbatch_1' } as MessageBatch;
    coordinator.snapshot = { batches: [{ batch, seenAt: timers.now() - 5 }], removed: [{ batchId: 'msgbatch_2', seenAt: timers.now() - 2 }] };
    assert.deepEqual(lease.readShared(), coordinator.snapshot);
    coordinator.snapshot = { batches: [], removed: [] };
    lease.readShared();
    timers.advance(MINUTE);
    lease.publish([batch], ['msgbatch_3']);
    lease.readShared();
    assert.deepEqual(coordinator.reads, [0, timers.now() - MINUTE - 2, timers.now()]);
    assert.deepEqual(coordinator.published, [{ at: timers.now(), batches: [batch], removed: ['msgbatch_3'] }]);
    lease.release();
    assert.equal(coordinator.released, 1);
  });

  it('without a coordinator: always leads (the timer already waited), shares nothing, still keeps the wait', () => {
    const solo = new PollLease(undefined, timers);
    solo.afterTick({ request: 'list', error: tooMany(60) });
    assert.equal(solo.acquire(30_000, true), 'lead');
    assert.deepEqual(solo.readShared(), { batches: [], removed: [] });
    solo.publish([], []);
    solo.renew(30_000, true);
    solo.release();
    assert.equal(solo.waitUntil(timers.now()), timers.now() + MINUTE);
  });
});
