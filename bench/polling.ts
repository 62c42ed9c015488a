// API requests spent on keeping in-flight batches up to date over one simulated day: our Poller
// beside a naive poller that retrieves every in-flight batch every 60 s, against the emulator,
// on a fake clock (the emulator's `now` follows it), so a day takes seconds.
import * as http from 'node:http';
import { BatchesApi, createClient, type MessageBatch } from '../src/api';
import { BatchStore } from '../src/domain/batchStore';
import { Poller } from '../src/domain/poller';
import { startEmulator, type Emulator } from '../test/emulator';
import { FakeTimers } from '../test/unit/poller/fakeTimers';
import { printTable } from './table';
import { random as seeded } from './text';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MIN_DURATION = 30 * 60_000;
const MAX_DURATION = 6 * HOUR;
const NAIVE_INTERVAL = 60_000;
const IN_FLIGHT = (process.env.BENCH_POLLING_LANES ?? '1,10,100').split(',').map(Number);

interface DayResult {
  requests: number;
  /** Batches that ended during the day (the same for both pollers: one seeded scenario). */
  ends: number;
  /** Mean time from a batch's ended_at to the store knowing it, ms. */
  meanNoticeMs: number;
  maxNoticeMs: number;
  wallMs: number;
}

export async function benchPolling(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const lanes of IN_FLIGHT) {
    const ours = await simulateDay(lanes, 'ours');
    const naive = await simulateDay(lanes, 'naive');
    if (ours.ends !== naive.ends) throw new Error(`the two runs simulated different days (${ours.ends} vs ${naive.ends} ends)`);
    rows.push([
      lanes,
      ours.ends,
      ours.requests,
      (ours.requests / 24).toFixed(1),
      naive.requests,
      (naive.requests / 24).toFixed(1),
      `${(ours.meanNoticeMs / 1000).toFixed(0)} s / ${(ours.maxNoticeMs / 1000).toFixed(0)} s`,
      `${(naive.meanNoticeMs / 1000).toFixed(0)} s / ${(naive.maxNoticeMs / 1000).toFixed(0)} s`,
      `${((ours.wallMs + naive.wallMs) / 1000).toFixed(1)} s`,
    ]);
  }
  printTable(
    'Polling: API requests over 24 simulated hours, N batches always in flight (each takes 30 min–6 h; when one ends the next is submitted)',
    ['in flight', 'batches ended', 'ours: requests', 'ours: req/h', 'naive: requests', 'naive: req/h', 'ours: notice end mean/max', 'naive: notice end mean/max', 'wall time'],
    rows,
  );
  console.log('(ours: one list or retrieve per tick, 30 s growing ×1.5 to 300 s while nothing changes, focused window;');
  console.log(' naive: GET each in-flight batch every 60 s; both counted in the emulator request log, same seeded day.');
  console.log(' Ours never exceeds one request per 30 s (120/h) however many are in flight; it rises with N only because');
  console.log(' more batches end per hour, and every end resets its backoff.)');
}

/** One simulated day: `lanes` pipelines, each submitting its next batch when the previous ends. */
async function simulateDay(lanes: number, who: 'ours' | 'naive'): Promise<DayResult> {
  const wallStart = Date.now();
  const timers = new FakeTimers(Date.UTC(2026, 10, 2, 0, 0, 0));
  const emulator = await startEmulator({ timing: 'manual', now: () => timers.now() });
  // Seeded: the same day for both pollers, and from run to run.
  const random = seeded(lanes * 7919 + 17);
  const api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }));
  const store = new BatchStore({ api: async () => api, pageSize: () => 1000 });
  const start = timers.now();
  const end = start + DAY;
  const notice: number[] = [];
  store.onDidChange((change) => {
    for (const b of change.ended ?? []) notice.push(timers.now() - Date.parse(b.ended_at!));
  });

  // Each lane starts partway through a batch, so ends are spread over the day from the start.
  let seq = 0;
  let ends = 0;
  const submit = (lane: number, createdAt: number): void => {
    const duration = MIN_DURATION + Math.floor(random() * (MAX_DURATION - MIN_DURATION));
    const request = { custom_id: `lane${lane}_${seq++}`, params: { model: 'claude-bench', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] } };
    const batch = emulator.createBatch([request], { createdAt, timing: { perRequestMs: duration } }) as MessageBatch;
    if (createdAt === timers.now()) store.upsert(batch);
    const endsAt = createdAt + duration;
    if (endsAt < end) {
      ends++;
      timers.setTimeout(() => submit(lane, endsAt), endsAt - timers.now());
    }
  };
  for (let lane = 0; lane < lanes; lane++) submit(lane, start - Math.floor(random() * MAX_DURATION * 0.5));
  await store.refresh();
  emulator.requests.length = 0;

  let settle: () => Promise<void>;
  let dispose: () => void;
  if (who === 'ours') {
    const poller = new Poller({ store, api: async () => api, timers, settings: () => ({ intervalSeconds: 30, maxIntervalSeconds: 300 }) });
    settle = () => poller.settled();
    dispose = () => poller.dispose();
  } else {
    const naive = new NaivePoller(store, emulator, timers);
    settle = () => naive.settled();
    dispose = () => naive.dispose();
  }

  let requests = 0;
  while (timers.fireNext(end)) {
    await settle();
    requests += emulator.requests.filter((r) => (r.route === 'list' || r.route === 'retrieve') && r.time < end).length;
    emulator.requests.length = 0; // 100 lanes × a day of naive polling is ~150k log entries
  }
  dispose();
  await emulator.close();
  const mean = notice.length ? notice.reduce((a, b) => a + b, 0) / notice.length : 0;
  return { requests, ends, meanNoticeMs: mean, maxNoticeMs: Math.max(0, ...notice), wallMs: Date.now() - wallStart };
}

/**
 * The baseline: a fixed 60 s timer that GETs every in-flight batch. It speaks plain HTTP with
 * keep-alive rather than the SDK, only so that 150k requests fit in a few seconds of bench.
 */
class NaivePoller {
  private timer: unknown;
  private running: Promise<void> | undefined;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

  constructor(
    private readonly store: BatchStore,
    private readonly emulator: Emulator,
    private readonly timers: FakeTimers,
  ) {
    this.schedule();
  }

  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  dispose(): void {
    this.timers.clearTimeout(this.timer);
    this.agent.destroy();
  }

  private schedule(): void {
    this.timer = this.timers.setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = undefined));
    }, NAIVE_INTERVAL);
  }

  private async tick(): Promise<void> {
    const batches = await Promise.all(this.store.inFlight().map((b) => this.retrieve(b.id)));
    for (const b of batches) this.store.upsert(b);
    this.schedule();
  }

  private retrieve(id: string): Promise<MessageBatch> {
    const url = new URL(`/v1/messages/batches/${id}`, this.emulator.url);
    return new Promise((resolve, reject) => {
      const req = http.get(url, { agent: this.agent, headers: { 'x-api-key': this.emulator.apiKey, 'anthropic-version': '2023-06-01' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessageBatch) : reject(new Error(`HTTP ${res.statusCode}`))));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  }
}

