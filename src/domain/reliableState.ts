import type { KeyValueStorage } from './submissionRegistry';

/** VS Code's global state as this module needs it (`vscode.Memento` has all of it). */
export interface StateStorage extends KeyValueStorage {
  keys(): readonly string[];
}

/** How many times a write is made again when the state it reads back is not the one written. */
const MAX_WRITES = 5;

/**
 * VS Code's global state, made to read back what this window wrote.
 *
 * The extension host keeps global state as one object per extension, written whole a moment after
 * each update, and the workbench sends every change back to it, its own included, as the whole
 * object at the time of the change. An echo of an earlier write that arrives after a later update
 * puts the earlier object back: a record just forgotten is there again, and if the echo comes
 * before the later write is sent, that write is lost for good. With two quick writes of the
 * submission registry (record, then forget) that is a duplicate-detection record resurrected, or
 * a new one dropped.
 *
 * So: until a write has been persisted, reads of its key answer the value written; once it has
 * been, the key is read back, and written again (a few times at most) if the echo of an older
 * object replaced it. Keys this window does not write follow the global state as it is,
 * changes from other windows included.
 */
export class ReliableState implements StateStorage {
  private readonly pending = new Map<string, { value: unknown; text: string }>();

  constructor(private readonly state: StateStorage) {}

  get<T>(key: string): T | undefined {
    const pending = this.pending.get(key);
    return pending ? (pending.value as T | undefined) : this.state.get<T>(key);
  }

  keys(): readonly string[] {
    const keys = new Set(this.state.keys());
    for (const [key, { value }] of this.pending) {
      if (value === undefined) keys.delete(key);
      else keys.add(key);
    }
    return [...keys];
  }

  async update(key: string, value: unknown): Promise<void> {
    const entry = { value, text: textOf(value) };
    this.pending.set(key, entry);
    try {
      for (let write = 0; write < MAX_WRITES; write++) {
        await this.state.update(key, value);
        // A later write of the key took over: it settles the key.
        if (this.pending.get(key) !== entry) return;
        if (textOf(this.state.get(key)) === entry.text) return;
      }
    } finally {
      if (this.pending.get(key) === entry) this.pending.delete(key);
    }
  }
}

function textOf(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}
