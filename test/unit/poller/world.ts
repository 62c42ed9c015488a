import { BatchesApi, createClient, type MessageBatch } from '../../../src/api';
import { BatchStore, type StoreChange } from '../../../src/domain/batchStore';
import { Poller } from '../../../src/domain/poller';
import type { PollerOptions, PollerState, PollTick, RemovedBatch, ScheduledPoll } from '../../../src/domain/pollerTypes';
import type { PollSettings } from '../../../src/domain/pollSchedule';
import { startEmulator, type Emulator, type LoggedRequest } from '../../emulator';
import { FakeTimers } from './fakeTimers';

export const request = (id: string) => ({ custom_id: id, params: { model: 'claude-test', max_tokens: 5, messages: [{ role: 'user', content: id }] } });

/** A store and a poller on it, talking to an emulator over loopback, all on one fake clock. */
export class PollWorld {
  readonly store: BatchStore;
  readonly api: BatchesApi;
  poller!: Poller;
  settings: PollSettings = { intervalSeconds: 30, maxIntervalSeconds: 300 };
  readonly schedules: ScheduledPoll[] = [];
  readonly ticks: PollTick[] = [];
  readonly states: PollerState[] = [];
  readonly removed: RemovedBatch[] = [];
  readonly changes: StoreChange[] = [];

  constructor(
    readonly emulator: Emulator,
    readonly timers: FakeTimers,
  ) {
    this.api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }));
    this.store = new BatchStore({ api: async () => this.api, pageSize: () => 1000 });
    this.store.onDidChange((c) => this.changes.push(c));
  }

  static async start(timers = new FakeTimers()): Promise<PollWorld> {
    const emulator = await startEmulator({ timing: 'manual', now: () => timers.now() });
    return new PollWorld(emulator, timers);
  }

  startPoller(options: Partial<PollerOptions> = {}): Poller {
    this.poller = new Poller({
      store: this.store,
      api: async () => this.api,
      timers: this.timers,
      settings: () => this.settings,
      random: () => 0.5,
      ...options,
    });
    this.poller.onDidSchedule((s) => this.schedules.push(s));
    this.poller.onDidTick((t) => this.ticks.push(t));
    this.poller.onDidChangeState((s) => this.states.push(s));
    this.poller.onDidRemoveBatch((r) => this.removed.push(r));
    // The poller starts in its constructor when batches are already in flight, before anyone listens.
    const state = this.poller.state;
    if (state.kind === 'polling') this.schedules.push({ reason: 'start', at: state.nextPollAt, delayMs: state.nextPollAt - this.timers.now() });
    return this.poller;
  }

  /** Creates `n` batches one minute apart, the newest now; returns them oldest first. */
  seed(n: number, createdBefore = 0): MessageBatch[] {
    const start = this.timers.now() - createdBefore - n * 60_000;
    return Array.from({ length: n }, (_, i) => this.emulator.createBatch([request(`r${i}`)], { createdAt: start + (i + 1) * 60_000 }) as MessageBatch);
  }

  /** Runs the next timer and waits for the tick it started; returns the API requests it made. */
  async tick(): Promise<LoggedRequest[]> {
    const before = this.emulator.requests.length;
    if (!this.timers.fireNext()) throw new Error('no timer pending');
    await this.poller.settled();
    return this.emulator.requests.slice(before);
  }

  /** The delays of the schedules so far, in seconds. */
  delays(): number[] {
    return this.schedules.map((s) => s.delayMs / 1000);
  }

  /** The poller's state kind (a function, so that assertions do not narrow it for good). */
  kind(): PollerState['kind'] {
    return this.poller.state.kind;
  }

  apiRequests(): LoggedRequest[] {
    return this.emulator.requests.filter((r) => r.route !== 'unknown');
  }

  async close(): Promise<void> {
    this.poller?.dispose();
    await this.emulator.close();
  }
}
