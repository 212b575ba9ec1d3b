import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { multiTenantFixture } from '../../engine/model/testDocument';
import { memoryStorage, readJournal, writeJournal } from './journal';
import { memoryStore } from './kv';
import { SESSION_KEY, type SessionSnapshot } from './session';

// Web Locks as the browser grants them: one holder at a time, the others queued in order.
function fakeLocks() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request(_name: string, callback: () => Promise<void>) {
      const run = tail.then(callback);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/** This page (tab B), fresh: its own modules and stores, the other tab (A) holding the save. */
async function tabB() {
  vi.resetModules();
  const locks = fakeLocks();
  vi.stubGlobal('navigator', { locks });
  vi.stubGlobal('window', Object.assign(new EventTarget(), { location: { search: '', hash: '' } }));
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
  let closeA: () => void = () => undefined;
  void locks.request('hnv-lab-session-save', () => new Promise<void>((r) => (closeA = r)));
  const persistence = await import('./index');
  const { useDocumentStore } = await import('../store/document');
  const { useChoice } = await import('../shell/ChoiceBanner');
  const docs = (name: string) => ({ ...multiTenantFixture(), name });
  /** A snapshot as tab A writes it (later ones are newer). */
  const snapshotOf = (name: string): SessionSnapshot => {
    useDocumentStore.getState().loadDocument(docs(name), 'multi-tenant');
    return persistence.currentSnapshot();
  };
  return { persistence, useDocumentStore, useChoice, docs, snapshotOf, closeA: () => closeA() };
}

describe('a tab taking the save over from a closed tab', () => {
  beforeEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ['IndexedDB', false],
    ['only its journal (its last write never landed)', true],
  ])(
    'loads what the other tab saved since this one opened (in %s), and asks about its own changes',
    async (_, inJournal) => {
      const b = await tabB();
      const store = memoryStore();
      const journal = memoryStorage();
      await store.set(SESSION_KEY, b.snapshotOf('A, when B opened'));
      const later = b.snapshotOf('A, 5 logical subnets and a router later');
      b.useDocumentStore.getState().loadDocument(b.docs('a fresh page'), 'empty');
      b.persistence.setSessionStore(store, journal);
      await b.persistence.restoreSession();
      const stop = b.persistence.startAutosave();

      // A saves on; B edits the document it opened with (not saved: A holds the save).
      if (inJournal) writeJournal(later, journal);
      else await store.set(SESSION_KEY, later);
      b.useDocumentStore.getState().loadDocument(b.docs("B's edit"), 'multi-tenant');
      b.closeA();

      await vi.waitFor(() => expect(b.useDocumentStore.getState().doc.name).toBe(later.doc.name));
      expect(b.useChoice.getState().choice?.text).toMatch(/shows the work it saved.*one Undo away/);
      expect(b.useDocumentStore.getState().past.at(-1)?.doc.name).toBe("B's edit");
      // What is saved is the other tab's work, until B changes it; the journal is then retired.
      await b.persistence.flushAutosave();
      expect(((await store.get(SESSION_KEY)) as SessionSnapshot).doc.name).toBe(later.doc.name);
      b.useDocumentStore
        .getState()
        .loadDocument({ ...later.doc, name: 'A’s work, edited in B' }, 'multi-tenant');
      await b.persistence.flushAutosave();
      expect(((await store.get(SESSION_KEY)) as SessionSnapshot).doc.name).toBe('A’s work, edited in B');
      expect(readJournal(journal)).toBeNull();
      stop();
    },
  );

  it('keeps its own changes, without asking, when nothing was saved since it opened', async () => {
    const b = await tabB();
    const store = memoryStore();
    await store.set(SESSION_KEY, b.snapshotOf('A, when B opened'));
    b.persistence.setSessionStore(store, memoryStorage());
    await b.persistence.restoreSession();
    const stop = b.persistence.startAutosave();
    b.useDocumentStore.getState().loadDocument(b.docs("B's edit"), 'multi-tenant');
    b.closeA();

    await vi.waitFor(async () => {
      // B saves once it holds the save (its edit came before: a change of view schedules it).
      b.useDocumentStore.getState().setView('virtual');
      await b.persistence.flushAutosave();
      expect(((await store.get(SESSION_KEY)) as SessionSnapshot | undefined)?.doc.name).toBe("B's edit");
    });
    expect(b.useChoice.getState().choice).toBeNull();
    stop();
  });

  it('an edit made while the other tab held the save is saved once this tab takes over (no later edit needed)', async () => {
    const b = await tabB();
    const store = memoryStore();
    const journal = memoryStorage();
    await store.set(SESSION_KEY, b.snapshotOf('A, when B opened'));
    b.persistence.setSessionStore(store, journal);
    await b.persistence.restoreSession();
    const stop = b.persistence.startAutosave();
    b.useDocumentStore.getState().loadDocument(b.docs('edited in B while A saved'), 'multi-tenant');
    b.closeA();
    await vi.waitFor(
      async () => {
        const saved = (await store.get(SESSION_KEY)) as SessionSnapshot;
        expect(saved.doc.name).toBe('edited in B while A saved');
      },
      { timeout: 3000, interval: 50 },
    );
    stop();
  });
});
