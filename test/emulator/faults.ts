import type { Fault, Route } from './types';

// Faults are queued per route and consumed in the order they were added: the first pending fault
// for a route applies to the next request on that route, `times` times.

const ROUTES: readonly Route[] = ['create', 'retrieve', 'list', 'cancel', 'delete', 'results'];

interface PendingFault {
  fault: Fault;
  remaining: number;
}

export function checkFault(f: Fault): void {
  if (!ROUTES.includes(f.route)) throw new Error(`fault: unknown route ${JSON.stringify(f.route)}`);
  if (f.times !== undefined && !(Number.isInteger(f.times) && f.times >= 1)) throw new Error('fault: times must be an integer >= 1');
  if (f.status !== undefined && !(Number.isInteger(f.status) && f.status >= 400 && f.status <= 599)) {
    throw new Error('fault: status must be an HTTP error status (400-599)');
  }
  if (f.drop !== undefined && f.drop !== 'before-commit' && f.drop !== 'after-commit') {
    throw new Error("fault: drop must be 'before-commit' or 'after-commit'");
  }
  if (f.cutAfterLines !== undefined && f.route !== 'results') throw new Error('fault: cutAfterLines only applies to the results route');
  if (f.cutAfterLines !== undefined && !(Number.isInteger(f.cutAfterLines) && f.cutAfterLines >= 0)) {
    throw new Error('fault: cutAfterLines must be an integer >= 0');
  }
  if (f.delayMs !== undefined && !(f.delayMs >= 0)) throw new Error('fault: delayMs must be >= 0');
  if (f.retryAfter !== undefined && !(f.retryAfter >= 0)) throw new Error('fault: retryAfter must be >= 0');
  if (f.headers !== undefined && f.status === undefined) throw new Error('fault: headers are sent with an error status: set status too');
  for (const [name, value] of Object.entries(f.headers ?? {})) {
    // What Node's http refuses to send would fail inside the server, far from the test that asked.
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Error(`fault: ${JSON.stringify(name)} is not a header name`);
    if (typeof value !== 'string' || /[^\t\x20-\x7e\x80-\xff]/.test(value)) throw new Error(`fault: header ${name} has a value HTTP cannot carry`);
  }
}

export class FaultQueue {
  private readonly queue: PendingFault[] = [];

  add(f: Fault): void {
    checkFault(f);
    this.queue.push({ fault: { ...f }, remaining: f.times ?? 1 });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Faults not yet used up, in order. */
  pending(): Fault[] {
    return this.queue.map((p) => ({ ...p.fault, times: p.remaining }));
  }

  /** Consumes one use of the first pending fault for this route. */
  take(route: Route): Fault | undefined {
    const index = this.queue.findIndex((p) => p.fault.route === route);
    if (index < 0) return undefined;
    const pending = this.queue[index];
    if (--pending.remaining <= 0) this.queue.splice(index, 1);
    return pending.fault;
  }
}
