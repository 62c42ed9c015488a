import * as l10n from '@vscode/l10n';
import type { Disposable } from './events';

/**
 * The one way an object owns what it must let go of: its emitters, its subscriptions, its
 * registrations with VS Code. `register` hands back what it is given, so a field is declared and
 * owned in one line; `dispose` lets go of all of it, last registered first (what was built on
 * something goes before it). Uses the domain's Disposable shape, so the domain and the VS Code
 * adapters share it, and a vscode.Disposable registers as it is.
 */
export class DisposableObject implements Disposable {
  // Private to this class (#): subclasses keep their own names, a `disposed` of their own included.
  readonly #owned: Disposable[] = [];
  #disposed = false;

  /** Whether `dispose` has run: anything registered since was disposed at once. */
  protected get isDisposed(): boolean {
    return this.#disposed;
  }

  register<T extends Disposable>(disposable: T): T {
    if (this.#disposed) disposable.dispose();
    else this.#owned.push(disposable);
    return disposable;
  }

  /**
   * Disposes everything registered, once. One that throws does not keep the others alive: every
   * one is disposed, then the failure is thrown (all of them, when several failed).
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const failures: unknown[] = [];
    for (let d = this.#owned.pop(); d; d = this.#owned.pop()) {
      try {
        d.dispose();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, l10n.t('{0} disposables failed to dispose.', failures.length));
  }
}
