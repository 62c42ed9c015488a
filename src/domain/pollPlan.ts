import type { MessageBatch } from '../api';
import { isEnded } from '../common/batchStatus';

// Which request one tick of the poller makes: pure, so that the choice reads (and is tested) as a
// table. One list call covers every in-flight batch among the newest 1000; the others, and any a
// list did not return, are retrieved one per tick, the one checked longest ago first, every other
// tick.

/** A list request covers at least this many batches (the API's default page)… */
const LIST_MIN_LIMIT = 20;
/** …and at most this many (the API's maximum); older in-flight batches are retrieved one by one. */
const LIST_MAX_LIMIT = 1000;
/** Room in the list window for batches created since the store was loaded. */
const LIST_SLACK = 10;

/** What the plan reads of a batch. */
export type PlannedBatch = Pick<MessageBatch, 'id' | 'processing_status'>;

/** What the poller remembers from earlier ticks to choose the next request. Never changed in place. */
export interface PlanMemory {
  /** The last request made: a list and a retrieve take turns while both have work. */
  readonly lastRequest: 'list' | 'retrieve' | undefined;
  /** In-flight batches a list that should have covered them did not return: retrieved instead. */
  readonly missedByList: ReadonlySet<string>;
  /** When each batch was last retrieved (ms): the one checked longest ago goes first. */
  readonly lastRetrieved: ReadonlyMap<string, number>;
  /** Batches in the last list answer the store does not know: they push ours further down. */
  readonly unknownInWindow: number;
}

export const NO_MEMORY: PlanMemory = { lastRequest: undefined, missedByList: new Set(), lastRetrieved: new Map(), unknownInWindow: 0 };

export type RequestPlan =
  | { kind: 'list'; limit: number; targets: readonly string[] }
  | { kind: 'retrieve'; batchId: string };

/**
 * The request to make now, if any, for the store's batches (newest first), and the memory once it
 * is made (it forgets batches no longer in flight).
 */
export function plan(batches: readonly PlannedBatch[], memory: PlanMemory, now: number): { request: RequestPlan | undefined; memory: PlanMemory } {
  const inFlight = new Set<string>();
  const listTargets: string[] = [];
  const retrieveTargets: string[] = [];
  let deepest = -1;
  // Oldest first, so that ties in retrieve order go to the oldest batch.
  for (let i = batches.length - 1; i >= 0; i--) {
    const b = batches[i];
    if (isEnded(b)) continue;
    inFlight.add(b.id);
    if (i < LIST_MAX_LIMIT && !memory.missedByList.has(b.id)) {
      listTargets.push(b.id);
      deepest = Math.max(deepest, i);
    } else {
      retrieveTargets.push(b.id);
    }
  }
  const pruned: PlanMemory = {
    ...memory,
    missedByList: new Set([...memory.missedByList].filter((id) => inFlight.has(id))),
    lastRetrieved: new Map([...memory.lastRetrieved].filter(([id]) => inFlight.has(id))),
  };

  if (retrieveTargets.length > 0 && (listTargets.length === 0 || memory.lastRequest === 'list')) {
    const checked = (id: string) => pruned.lastRetrieved.get(id) ?? -Infinity;
    const batchId = retrieveTargets.reduce((pick, id) => (checked(id) < checked(pick) ? id : pick));
    const lastRetrieved = new Map(pruned.lastRetrieved).set(batchId, now);
    return { request: { kind: 'retrieve', batchId }, memory: { ...pruned, lastRequest: 'retrieve', lastRetrieved } };
  }
  if (listTargets.length === 0) return { request: undefined, memory: pruned };
  const limit = Math.min(LIST_MAX_LIMIT, Math.max(LIST_MIN_LIMIT, deepest + 1 + memory.unknownInWindow + LIST_SLACK));
  return { request: { kind: 'list', limit, targets: listTargets }, memory: { ...pruned, lastRequest: 'list' } };
}

/**
 * What a list answer teaches: which of its targets it did not return (retrieved from now on), and
 * how many batches in it the store does not know (`known`: the ids the store holds).
 */
export function rememberList(memory: PlanMemory, targets: readonly string[], returned: readonly Pick<MessageBatch, 'id'>[], known: ReadonlySet<string>): PlanMemory {
  const ids = new Set(returned.map((b) => b.id));
  const missedByList = new Set(memory.missedByList);
  for (const id of targets) if (!ids.has(id)) missedByList.add(id);
  for (const id of ids) missedByList.delete(id);
  return { ...memory, missedByList, unknownInWindow: returned.filter((b) => !known.has(b.id)).length };
}

/** A batch that no longer exists leaves the memory. */
export function forgetBatch(memory: PlanMemory, batchId: string): PlanMemory {
  const missedByList = new Set(memory.missedByList);
  missedByList.delete(batchId);
  const lastRetrieved = new Map(memory.lastRetrieved);
  lastRetrieved.delete(batchId);
  return { ...memory, missedByList, lastRetrieved };
}
