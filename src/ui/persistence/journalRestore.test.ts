import { describe, expect, it } from 'vitest';
import { multiTenantFixture } from '../../engine/model/testDocument';
import { useDocumentStore } from '../store/document';
import { currentSnapshot, restoreSession, setSessionStore } from './index';
import { memoryStorage, readJournal, writeJournal } from './journal';
import { memoryStore } from './kv';
import { mergeProgress, SESSION_KEY } from './session';

describe('restoring with a journal', () => {
  it('takes the journal when it is newer than the saved session (an edit just before a reload)', async () => {
    const d = useDocumentStore.getState();
    d.loadDocument(multiTenantFixture(), 'multi-tenant');
    const store = memoryStore();
    await store.set(SESSION_KEY, currentSnapshot());
    // The last edit made it only into the journal: its IndexedDB write never landed.
    d.loadDocument({ ...multiTenantFixture(), name: 'Edited just before the reload' }, 'multi-tenant');
    const storage = memoryStorage();
    writeJournal(currentSnapshot(), storage);

    d.loadDocument({ ...multiTenantFixture(), name: 'A fresh page' }, 'empty');
    setSessionStore(store, storage);
    expect(await restoreSession()).toBe(true);
    expect(useDocumentStore.getState().doc.name).toBe('Edited just before the reload');
    expect(readJournal(storage)?.doc.name).toBe('Edited just before the reload');
  });

  it('a snapshot read later is always newer, even within one millisecond', () => {
    const a = currentSnapshot();
    const b = currentSnapshot();
    expect(Date.parse(b.savedAt)).toBeGreaterThan(Date.parse(a.savedAt));
  });
});

describe('merging two tabs’ lesson progress', () => {
  it('keeps every answer and finished step, the further step, and this tab’s open lesson', () => {
    const saved = {
      activeLessonId: 'ca-vs-pa',
      stepIndex: { 'ca-vs-pa': 3, nvgre: 1 },
      answers: { 'ca-vs-pa/q1': 'a' },
      tasksDone: { 'ca-vs-pa/s1': true as const },
      skipped: { 'ca-vs-pa/s2': true as const },
    };
    const mine = {
      activeLessonId: 'nvgre',
      stepIndex: { 'ca-vs-pa': 1, nvgre: 2 },
      answers: { 'nvgre/q1': 'b' },
      tasksDone: { 'nvgre/s1': true as const },
    };
    expect(mergeProgress(saved, mine)).toEqual({
      activeLessonId: 'nvgre',
      stepIndex: { 'ca-vs-pa': 3, nvgre: 2 },
      answers: { 'ca-vs-pa/q1': 'a', 'nvgre/q1': 'b' },
      tasksDone: { 'ca-vs-pa/s1': true, 'nvgre/s1': true },
      skipped: { 'ca-vs-pa/s2': true },
    });
  });
});
