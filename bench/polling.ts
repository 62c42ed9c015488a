// API requests spent on keeping in-flight batches up to date, and how soon an end is noticed:
// over one simulated day with N batches in flight, and by the age at which batches end. Our Poller
// beside a naive poller that retrieves every in-flight batch every 60 s, against the emulator, on
// a fake clock (the emulator's `now` follows it), so a day takes seconds.
import * as http from 'node:http';
import { BatchesApi, createClient, type MessageBatch } from '../src/api';
import { BatchStore } from '../src/domain/batchStore';
import { Poller } from '../src/domain/poller';
import { startEmulator, type Emulator } from '../test/emulator';
import { FakeTimers } from '../test/unit/poller/fakeTimers';
import { median, printTable } from './table';
import { random as seeded } from './text';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const MIN_DURATION = 30 * 60_000;
const MAX_DURATION = 6 * HOUR;
const NAIVE_INTERVAL = 60_000;
const IN_FLIGHT = (process.env.BENCH_POLLING_LANES ?? '1,10,100').split(',').map(Number);

/** One simulated run: the batches, how long each takes, and how long the run lasts. */
interface Scenario {
  /** Pipelines: each submits its next batch once the previous one ends (plus `gapMs`). */
  lanes: number;
  /** How long the next batch runs, ms. */
  durationMs: (random: () => number) => number;
  /** Between one batch's end and the next one's submission, ms. */
  gapMs: (random: () => number) => number;
  /** The first batches started this long ago at most (so ends are spread from the start). */
  headStartMs: number;
  /** The run ends at this simulated time (ms after the start)… */
  lengthMs: number;
  seed: number;
}

interface RunResult {
  requests: number;
  /** Simulated hours the run lasted. */
  hours: number;
  /** The most requests in any hour of the run (a sliding window). */
  maxInAnyHour: number;
  /** Batches that ended during the run (the same for both pollers: one seeded scenario). */
  ends: number;
  /** For each end noticed before the run ended: how long after the batch's ended_at the store knew it, ms. */
  notices: number[];
  wallMs: number;
}

export async function benchPolling(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const lanes of IN_FLIGHT) {
    const scenario: Scenario = {
      lanes,
      durationMs: (random) => MIN_DURATION + Math.floor(random() * (MAX_DURATION - MIN_DURATION)),
      gapMs: () => 0,
      headStartMs: MAX_DURATION * 0.5,
      lengthMs: DAY,
      seed: lanes * 7919 + 17,
    };
    const ours = await simulate(scenario, 'ours');
    const naive = await simulate(scenario, 'naive');
    if (ours.ends !== naive.ends) throw new Error(`the two runs simulated different days (${ours.ends} vs ${naive.ends} ends)`);
    rows.push([
      lanes,
      ours.ends,
      ours.requests,
      rate(ours),
      ours.maxInAnyHour,
      naive.requests,
      rate(naive),
      noticeFigures(ours.notices),
      noticeFigures(naive.notices),
      `${((ours.wallMs + naive.wallMs) / 1000).toFixed(1)} s`,
    ]);
  }
  printTable(
    'Polling: API requests over 24 simulated hours, N batches always in flight (each takes 30 min–6 h; when one ends the next is submitted)',
    ['in flight', 'batches ended', 'ours: requests', 'ours: req/h', 'ours: most in any hour', 'naive: requests', 'naive: req/h', 'ours: notice median/p95/max', 'naive: notice median/p95/max', 'wall time'],
    rows,
  );
  console.log('(ours: one list or retrieve per tick; 30 s while the youngest batch in flight is under 10 min, 60 s under');
  console.log(' an hour, 120 s under 6 h, else 30 s growing ×1.5 to 300 s while nothing changes; at most 6 requests at once');
  console.log(' and one per 66.7 s after, so never more than 60 in any hour; focused window.');
  console.log(' naive: GET each in-flight batch every 60 s; both counted in the emulator request log, same seeded day.)');

  const ageRows: (string | number)[][] = [];
  for (const [name, ageMs] of AGES) {
    const scenario: Scenario = {
      lanes: 1,
      // Ends spread over the fifth of the age before it: never past the API's 24 h expiry.
      durationMs: (random) => Math.round(ageMs * (0.8 + 0.2 * random())),
      gapMs: (random) => Math.floor(random() * 10 * 60_000),
      headStartMs: 0,
      lengthMs: AGE_ENDS * (ageMs + 5 * 60_000),
      seed: ageMs % 100_003,
    };
    const ours = await simulate(scenario, 'ours');
    const naive = await simulate(scenario, 'naive');
    if (ours.ends !== naive.ends) throw new Error(`the two runs simulated different ends (${ours.ends} vs ${naive.ends})`);
    ageRows.push([name, ours.ends, noticeFigures(ours.notices), rate(ours), ours.maxInAnyHour, noticeFigures(naive.notices), rate(naive), `${((ours.wallMs + naive.wallMs) / 1000).toFixed(1)} s`]);
  }
  printTable(
    `Polling: how soon an end is noticed, by the batch's age when it ends (one batch in flight; ${AGE_ENDS} ends each, at 80–100 % of the age; the next submitted 0–10 min later)`,
    ['ends at age', 'ends', 'ours: notice median/p95/max', 'ours: req/h', 'ours: most in any hour', 'naive: notice median/p95/max', 'naive: req/h', 'wall time'],
    ageRows,
  );
  console.log('(goal: median ≤ 45 s and p95 ≤ 120 s for batches younger than an hour, ≤ 60 requests an hour per account)');
}

const AGES: [string, number][] = [
  ['1 min', 60_000],
  ['10 min', 10 * 60_000],
  ['1 h', HOUR],
  ['6 h', 6 * HOUR],
  ['24 h', DAY],
];
/** Ends simulated per age: enough for a p95, few enough that 24 h batches take seconds of bench. */
const AGE_ENDS = 40;

function rate(run: RunResult): string {
  return (run.requests / run.hours).toFixed(1);
}

function noticeFigures(notices: number[]): string {
  if (notices.length === 0) return '–';
  const sorted = [...notices].sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
  return `${s(median(sorted))} / ${s(percentile(sorted, 0.95))} / ${s(sorted.at(-1)!)}`;
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** One simulated run: `lanes` pipelines, each submitting its next batch when the previous ends. */
async function simulate(scenario: Scenario, who: 'ours' | 'naive'): Promise<RunResult> {
  const wallStart = Date.now();
  const timers = new FakeTimers(Date.UTC(2026, 10, 2, 0, 0, 0));
  const emulator = await startEmulator({ timing: 'manual', now: () => timers.now() });
  // Seeded: the same run for both pollers, and from run to run.
  const random = seeded(scenario.seed);
  const api = new BatchesApi(createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, maxRetries: 0 }));
  const store = new BatchStore({ api: async () => api, pageSize: () => 1000 });
  const start = timers.now();
  const end = start + scenario.lengthMs;
  const notices: number[] = [];
  store.onDidChange((change) => {
    for (const b of change.ended ?? []) notices.push(timers.now() - Date.parse(b.ended_at!));
  });

  let seq = 0;
  let ends = 0;
  const submit = (lane: number, createdAt: number): void => {
    const duration = scenario.durationMs(random);
    const request = { custom_id: `lane${lane}_${seq++}`, params: { model: 'claude-bench', max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] } };
    const batch = emulator.createBatch([request], { createdAt, timing: { perRequestMs: duration } }) as MessageBatch;
    if (createdAt === timers.now()) store.upsert(batch);
    const endsAt = createdAt + duration;
    if (endsAt < end) {
      ends++;
      const nextAt = endsAt + scenario.gapMs(random);
      if (nextAt < end) timers.setTimeout(() => submit(lane, nextAt), nextAt - timers.now());
    }
  };
  for (let lane = 0; lane < scenario.lanes; lane++) submit(lane, start - Math.floor(random() * scenario.headStartMs));
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

  // Request times, one entry per request (100 lanes × a day of naive polling is ~150k of them).
  const times: number[] = [];
  while (timers.fireNext(end)) {
    await settle();
    for (const r of emulator.requests) if ((r.route === 'list' || r.route === 'retrieve') && r.time < end) times.push(r.time);
    emulator.requests.length = 0;
  }
  dispose();
  await emulator.close();
  return { requests: times.length, hours: scenario.lengthMs / HOUR, maxInAnyHour: maxInWindow(times, HOUR), ends, notices, wallMs: Date.now() - wallStart };
}

/** The most of `times` (ascending) within any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i] - times[first] >= windowMs) first++;
    most = Math.max(most, i - first + 1);
  }
  return most;
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

