// Debounced saving: every change schedules a save; a burst of changes (a drag) is saved
// at most `maxWaitMs` after its first change, so nothing waits longer than a second.
import type { KeyValueStore } from './kv';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface AutosaverOptions<T> {
  store: KeyValueStore;
  key: string;
  read: () => T;
  delayMs?: number;
  maxWaitMs?: number;
  onState?: (state: SaveState, error?: unknown) => void;
  /** A write landed; `value` is what it wrote. */
  onSaved?: (value: T) => void;
}

export interface Autosaver {
  /** A change happened: save soon. */
  schedule(): void;
  /** Save now (and wait for it). */
  flush(): Promise<void>;
  /** Stop saving (pending changes are dropped). */
  cancel(): void;
  /** A change is not in the store yet (waiting, being written, or its write failed). */
  hasUnsaved(): boolean;
}

export function createAutosaver<T>(options: AutosaverOptions<T>): Autosaver {
  const { store, key, read, delayMs = 300, maxWaitMs = 1000, onState, onSaved } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstChangeAt: number | null = null;
  let writing: Promise<void> = Promise.resolve();
  // Changes counted as they come and as their writes land: unsaved while the two differ.
  let changes = 0;
  let savedChanges = 0;

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    firstChangeAt = null;
    const value = read();
    const upTo = changes;
    onState?.('saving');
    // Writes are chained so an older snapshot never lands after a newer one.
    writing = writing
      .catch(() => undefined)
      .then(() => store.set(key, value))
      .then(
        () => {
          savedChanges = Math.max(savedChanges, upTo);
          onSaved?.(value);
          if (timer === undefined) onState?.('saved');
        },
        (error: unknown) => {
          onState?.('error', error);
        },
      );
    return writing;
  };

  return {
    schedule() {
      const now = Date.now();
      changes++;
      firstChangeAt ??= now;
      clearTimeout(timer);
      const wait = Math.max(0, Math.min(delayMs, firstChangeAt + maxWaitMs - now));
      timer = setTimeout(() => void flush(), wait);
      onState?.('pending');
    },
    flush,
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      firstChangeAt = null;
      savedChanges = changes;
    },
    hasUnsaved: () => changes > savedChanges,
  };
}
