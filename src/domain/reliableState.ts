import { createHash } from 'node:crypto';
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
 * been, the key is read back. If it holds a value this window had before (what it wrote or
 * replaced earlier), an echo put it back, and the write is made again (a few times at most). Any
 * other value is another window's newer write, and stands. Keys this window does not write follow
 * the global state as it is.
 */
export class ReliableState implements StateStorage {
  private readonly pending = new Map<string, { value: unknown; text: string }>();
  /** Per key, digests of the values this window wrote or replaced lately: what an echo can bring back. */
  private readonly earlier = new Map<string, string[]>();

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
    this.remember(key, textOf(this.get(key)));
    const entry = { value, text: textOf(value) };
    this.remember(key, entry.text);
    this.pending.set(key, entry);
    try {
      for (let write = 0; write < MAX_WRITES; write++) {
        await this.state.update(key, value);
        // A later write of the key took over: it settles the key.
        if (this.pending.get(key) !== entry) return;
        const now = textOf(this.state.get(key));
        if (now === entry.text || !this.earlier.get(key)?.includes(digest(now))) return;
      }
    } finally {
      if (this.pending.get(key) === entry) this.pending.delete(key);
    }
  }

  private remember(key: string, text: string): void {
    const list = this.earlier.get(key) ?? [];
    const d = digest(text);
    if (!list.includes(d)) list.push(d);
    if (list.length > REMEMBERED) list.shift();
    this.earlier.set(key, list);
  }
}

/** Values remembered per key: the echoes that can arrive late are of the last few writes. */
const REMEMBERED = 8;

function textOf(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined';
}

function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}
