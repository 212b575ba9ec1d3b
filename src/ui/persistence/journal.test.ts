import { describe, expect, it } from 'vitest';
import { emptyDocument } from '../../engine/model/schema';
import {
  clearJournal,
  JOURNAL_KEY,
  memoryStorage,
  newerSnapshot,
  readJournal,
  type SyncStore,
  writeJournal,
} from './journal';
import { parseSnapshot, SESSION_FORMAT, SESSION_VERSION, type SessionSnapshot } from './session';

function snapshot(name: string, savedAt: string): SessionSnapshot {
  const parsed = parseSnapshot({
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    savedAt,
    doc: emptyDocument(name),
  });
  if (!parsed) throw new Error('bad test snapshot');
  return parsed;
}

describe('journal', () => {
  const t1 = '2026-01-01T10:00:00.001Z';
  const t2 = '2026-01-01T10:00:00.002Z';

  it('round-trips a snapshot', () => {
    const storage = memoryStorage();
    expect(writeJournal(snapshot('A', t1), storage)).toBe(true);
    expect(readJournal(storage)).toEqual(snapshot('A', t1));
  });

  it('is retired only by a save at least as new', () => {
    const storage = memoryStorage();
    writeJournal(snapshot('A', t2), storage);
    clearJournal(storage, snapshot('older write landing late', t1));
    expect(readJournal(storage)?.doc.name).toBe('A');
    clearJournal(storage, snapshot('A', t2));
    expect(readJournal(storage)).toBeNull();
    expect(storage.data.size).toBe(0);
  });

  it('a full or broken storage leaves no half journal, and garbage reads as none', () => {
    const full: SyncStore = {
      ...memoryStorage(),
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(writeJournal(snapshot('A', t1), full)).toBe(false);
    expect(readJournal(full)).toBeNull();
    const storage = memoryStorage();
    storage.setItem(JOURNAL_KEY, '{not json');
    expect(readJournal(storage)).toBeNull();
    expect(readJournal(null)).toBeNull();
  });

  it('the newer of the saved session and the journal wins; the saved one on a tie', () => {
    const saved = snapshot('saved', t1);
    const journal = snapshot('journal', t2);
    expect(newerSnapshot(saved, journal)).toBe(journal);
    expect(newerSnapshot(journal, saved)).toBe(journal);
    expect(newerSnapshot(saved, snapshot('journal', t1))).toBe(saved);
    expect(newerSnapshot(null, journal)).toBe(journal);
    expect(newerSnapshot(saved, null)).toBe(saved);
    expect(newerSnapshot(null, null)).toBeNull();
  });
});
