// The last edit, written synchronously. An IndexedDB write started as a page goes away (a
// reload, a closed tab) often never lands, so an edit made just before a reload was lost. When
// the saving tab is hidden or unloaded with a change not yet saved, it also writes the session to
// localStorage, which is synchronous and survives the unload. Whoever reads the session next
// takes the newer of the two; a later IndexedDB save makes the journal obsolete and removes it.
import { parseSnapshot, type SessionSnapshot } from './session';

/** The part of the Web Storage API used here (tests pass a Map-backed one). */
export interface SyncStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const JOURNAL_KEY = 'hnv-lab-session-journal';
/** The journal's savedAt on its own, so a save can retire it without parsing a large document. */
const JOURNAL_AT_KEY = 'hnv-lab-session-journal-at';

export function browserStorage(): SyncStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled for this origin
  }
}

/** A Map-backed SyncStore (tests). */
export function memoryStorage(): SyncStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const time = (snapshot: SessionSnapshot) => Date.parse(snapshot.savedAt) || 0;

/** Write the journal; false when the browser refuses (quota, disabled): the IndexedDB save remains. */
export function writeJournal(snapshot: SessionSnapshot, storage = browserStorage()): boolean {
  if (!storage) return false;
  try {
    storage.setItem(JOURNAL_KEY, JSON.stringify(snapshot));
    storage.setItem(JOURNAL_AT_KEY, snapshot.savedAt);
    return true;
  } catch {
    clearJournal(storage);
    return false;
  }
}

export function readJournal(storage = browserStorage()): SessionSnapshot | null {
  const text = storage?.getItem(JOURNAL_KEY);
  if (!text) return null;
  try {
    return parseSnapshot(JSON.parse(text));
  } catch {
    return null;
  }
}

/** Remove the journal; with `savedUpTo`, only if that save is at least as new as the journal. */
export function clearJournal(storage = browserStorage(), savedUpTo?: SessionSnapshot): void {
  if (!storage) return;
  try {
    const at = storage.getItem(JOURNAL_AT_KEY);
    if (savedUpTo && at !== null && (Date.parse(at) || 0) > time(savedUpTo)) return;
    if (at === null && storage.getItem(JOURNAL_KEY) === null) return;
    storage.removeItem(JOURNAL_KEY);
    storage.removeItem(JOURNAL_AT_KEY);
  } catch {
    // nothing to do: a stale journal is only ever read if it is newer than the saved session
  }
}

/** The newer of the saved session and the journal (the saved one on a tie). */
export function newerSnapshot(
  saved: SessionSnapshot | null,
  journal: SessionSnapshot | null,
): SessionSnapshot | null {
  if (!saved || !journal) return saved ?? journal;
  return time(journal) > time(saved) ? journal : saved;
}
