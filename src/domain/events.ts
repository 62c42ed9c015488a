/** The shape of vscode.Disposable, without importing vscode. */
export interface Disposable {
  dispose(): void;
}

/** The shape of vscode.Event: VS Code adapters can subscribe to domain events directly. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/** A minimal event emitter for the domain layer (which must not import vscode). */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        // One failing listener must not stop the others; it is a bug, so make it visible.
        console.error(err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
