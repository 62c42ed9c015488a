// Counts the listeners still subscribed through an event: the disposal tests (unit and
// extension-host) wrap a service's event with it before the features subscribe, dispose the
// features, and expect no listener left.
import type { Disposable } from '../src/domain/events';

/** The shape of both vscode.Event and the domain's Event. */
type AnyEvent<T> = (listener: (value: T) => void) => Disposable;

export interface CountedEvent<T> {
  /** Subscribe through this one. */
  readonly event: AnyEvent<T>;
  /** Listeners subscribed through `event` and not yet disposed. */
  live(): number;
}

export function countListeners<T>(event: AnyEvent<T>): CountedEvent<T> {
  let live = 0;
  return {
    live: () => live,
    event: (listener) => {
      const subscription = event(listener);
      live++;
      let disposed = false;
      return {
        dispose: () => {
          if (disposed) return;
          disposed = true;
          live--;
          subscription.dispose();
        },
      };
    },
  };
}

/** Replaces `owner.onDidChange` (or another event field) with a counted one; returns the count. */
export function countListenersOf<K extends string, T>(owner: { [key in K]: AnyEvent<T> }, key: K): CountedEvent<T> {
  const counted = countListeners(owner[key]);
  Object.defineProperty(owner, key, { value: counted.event });
  return counted;
}
