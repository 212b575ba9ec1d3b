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
}

export interface Autosaver {
  /** A change happened: save soon. */
  schedule(): void;
  /** Save now (and wait for it). */
  flush(): Promise<void>;
  /** Stop saving (pending changes are dropped). */
  cancel(): void;
}

export function createAutosaver<T>(options: AutosaverOptions<T>): Autosaver {
  const { store, key, read, delayMs = 300, maxWaitMs = 1000, onState } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstChangeAt: number | null = null;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    firstChangeAt = null;
    const value = read();
    onState?.('saving');
    // Writes are chained so an older snapshot never lands after a newer one.
    writing = writing
      .catch(() => undefined)
      .then(() => store.set(key, value))
      .then(
        () => {
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
    },
  };
}
