// Never lose work: the session (document, layout, lesson progress) is saved to IndexedDB
// on every change, debounced, and restored on the next visit. A change not yet saved when the
// page is hidden or unloaded also goes to a synchronous journal (journal.ts), so an edit made
// just before a reload survives it. A tab that takes the save over from a closed tab first
// loads what that tab saved (its own changes stay one Undo away), then saves.
//
// Mount: `await restoreSession()` before the first render (main.tsx), then `useAutosave()`
// once in App. `useAutosave()` alone also works: it restores first, then saves.
import { useEffect } from 'react';
import { create } from 'zustand';
import type { TopologyDocument } from '../../engine/model/schema';
import { emptyProgress } from '../../scenarios/lessons/progress';
import { builtInScenarios } from '../lessons/scenarios';
import { useLessonStore } from '../lessons/store';
import { offerChoice } from '../shell/ChoiceBanner';
import { useDocumentStore } from '../store/document';
import { useTraceStore } from '../store/trace';
import { type Autosaver, createAutosaver, type SaveState } from './autosave';
import {
  browserStorage,
  clearJournal,
  newerSnapshot,
  readJournal,
  type SyncStore,
  writeJournal,
} from './journal';
import { defaultStore, type KeyValueStore } from './kv';
import { acquireSaveLock } from './saveLock';
import {
  mergeProgress,
  parseSnapshot,
  SESSION_FORMAT,
  SESSION_KEY,
  SESSION_VERSION,
  type SessionSnapshot,
} from './session';

export type { SaveState } from './autosave';
export type { KeyValueStore } from './kv';
export type { SessionSnapshot } from './session';

interface SaveStatus {
  /** 'other-tab': another tab of the lab is saving; this one waits and does not save. */
  state: SaveState | 'other-tab';
  savedAt: number | null;
  error: string | null;
}

export const useSaveStatus = create<SaveStatus>()(() => ({ state: 'idle', savedAt: null, error: null }));

let kv: KeyValueStore | null = null;
const storage = () => {
  kv ??= defaultStore();
  return kv;
};

let journalStore: SyncStore | null | undefined;
const journal = () => {
  if (journalStore === undefined) journalStore = browserStorage();
  return journalStore;
};

/** Use other stores (tests, or a second lab in one page); `null` journal: none. */
export function setSessionStore(store: KeyValueStore, journalTo: SyncStore | null = null): void {
  kv = store;
  journalStore = journalTo;
}

let lastSavedAt = 0;

export function currentSnapshot(): SessionSnapshot {
  const d = useDocumentStore.getState();
  const l = useLessonStore.getState();
  // Strictly increasing within a page: of two snapshots, the later one read is the newer.
  const at = Math.max(Date.now(), lastSavedAt + 1);
  lastSavedAt = at;
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    savedAt: new Date(at).toISOString(),
    doc: d.doc,
    scenarioId: d.scenarioId,
    ui: { view: d.view, theme: d.theme, panels: d.panels, rightTab: d.rightTab, lessonsOpen: l.open },
    lessons: l.progress,
  };
}

/** Apply a saved session. `withDocument: false` keeps the open document (an explicit ?scenario= link). */
export function applySnapshot(snapshot: SessionSnapshot, withDocument = true): void {
  const d = useDocumentStore.getState();
  if (withDocument) {
    d.loadDocument(snapshot.doc, snapshot.scenarioId);
    // The history is not saved: a restored page starts with none (not "undo to the default scenario").
    useDocumentStore.setState({ past: [], future: [] });
  }
  d.setView(snapshot.ui.view);
  if (d.theme !== snapshot.ui.theme) d.setTheme(snapshot.ui.theme);
  for (const panel of ['left', 'right', 'bottom', 'lessons'] as const)
    d.setPanel(panel, snapshot.ui.panels[panel]);
  // 0: the trace pane was never dragged (it keeps its share of the window).
  if (snapshot.ui.panels.trace) d.setPanel('trace', snapshot.ui.panels.trace);
  d.setRightTab(snapshot.ui.rightTab);
  useLessonStore.getState().restore(snapshot.lessons, snapshot.ui.lessonsOpen);
}

/** What is saved: the newer of the IndexedDB session and the journal. */
async function readSaved(): Promise<{ snapshot: SessionSnapshot | null; onlyInJournal: boolean }> {
  const saved = parseSnapshot(await storage().get(SESSION_KEY));
  const snapshot = newerSnapshot(saved, readJournal(journal()));
  return { snapshot, onlyInJournal: snapshot !== null && snapshot !== saved };
}

/** The document this tab opened with (restored, or the default); a different one means this tab changed it. */
let restoredDoc: TopologyDocument | null = null;
/** The savedAt of the session this tab last read: a different one was saved by another tab. */
let seenSavedAt: string | null = null;
/** The session restored (or taken over) came from the journal: the first save moves it into IndexedDB. */
let restoredFromJournal = false;

let restoring: Promise<boolean> | null = null;

/** Restore the saved session, once per page. Resolves true when one was found and applied. */
export function restoreSession(): Promise<boolean> {
  restoring ??= (async () => {
    const explicitScenario =
      typeof location !== 'undefined' && new URLSearchParams(location.search).has('scenario');
    try {
      const { snapshot, onlyInJournal } = await readSaved();
      if (!snapshot) return false;
      applySnapshot(snapshot, !explicitScenario);
      seenSavedAt = snapshot.savedAt;
      restoredFromJournal = onlyInJournal;
      useSaveStatus.setState({ state: 'saved', savedAt: Date.parse(snapshot.savedAt) || null });
      return true;
    } catch (error) {
      useSaveStatus.setState({ state: 'error', error: `Could not read the saved session: ${String(error)}` });
      return false;
    } finally {
      // An explicit ?scenario= is a choice this tab made: it counts as a change of its own.
      if (!explicitScenario) restoredDoc = useDocumentStore.getState().doc;
    }
  })();
  return restoring;
}

let saver: Autosaver | null = null;

const OTHER_TAB_NOTICE =
  'HNV Lab is open in another tab, and that tab saves your work. Changes made here are not saved until it closes (File › Export keeps a copy).';

/**
 * Start saving on every change, once this tab holds the save (see saveLock: with two tabs open,
 * the second waits, says so, and takes over when the first closes). Returns a function that
 * stops it. Idempotent.
 */
export function startAutosave(): () => void {
  if (saver) return () => undefined;
  let stopped = false;
  let stopSaving: (() => void) | null = null;
  let waited = false;
  const lock = acquireSaveLock(() => {
    if (stopped) return;
    waited = true;
    useSaveStatus.setState({ state: 'other-tab', error: null });
    useDocumentStore.getState().notify('info', OTHER_TAB_NOTICE);
  });
  void lock.granted.then(async () => {
    if (stopped) return;
    // Whatever another tab saved since this one opened comes first: saving before loading it
    // would replace it. (Without waiting too: that tab may have closed within the grace time.)
    if (!(await takeOver(waited))) return;
    if (stopped) return;
    stopSaving = beginSaving();
  });
  return () => {
    stopped = true;
    stopSaving?.();
    lock.release();
  };
}

/**
 * This tab got the save: if another tab saved since this one read the session, load what it
 * saved. If this tab changed its document meanwhile, ask which to keep (the other tab's is open;
 * this tab's is one Undo away). `waited`: the other tab was saving, and this tab said so. False
 * when what is saved cannot be read after waiting: then this tab does not save either.
 */
async function takeOver(waited: boolean): Promise<boolean> {
  let snapshot: SessionSnapshot | null;
  try {
    const saved = await readSaved();
    snapshot = saved.snapshot;
    // The closing tab's last edit may be only in its journal: this tab's first save moves it.
    restoredFromJournal = saved.onlyInJournal;
  } catch (error) {
    if (!waited) return true; // as on opening: restoreSession reported it
    useSaveStatus.setState({
      state: 'error',
      error: `The other tab closed, but what it saved could not be read, so this tab does not save: ${String(error)}`,
    });
    return false;
  }
  const d = useDocumentStore.getState();
  if (waited) {
    useSaveStatus.setState({ state: 'idle', error: null });
    // No longer true: the notice goes.
    for (const n of d.notices) if (n.text === OTHER_TAB_NOTICE) d.dismissNotice(n.id);
  }
  const lessons = useLessonStore.getState();
  let text = 'The other tab closed: this tab saves your work now.';
  let loaded = false;
  if (snapshot && snapshot.savedAt !== seenSavedAt) {
    seenSavedAt = snapshot.savedAt;
    lessons.restore(mergeProgress(snapshot.lessons, lessons.progress), lessons.open);
    if (JSON.stringify(snapshot.doc) !== JSON.stringify(d.doc)) {
      const mine = { doc: d.doc, scenarioId: d.scenarioId };
      const changedHere = d.doc !== restoredDoc;
      useTraceStore.getState().clearTrace();
      d.loadDocument(snapshot.doc, snapshot.scenarioId, "Open the other tab's work");
      restoredDoc = snapshot.doc;
      loaded = true;
      text = `${text.slice(0, -1)}, and shows the work it saved.`;
      if (changedHere) {
        offerChoice(`${text} The changes made in this tab are one Undo away.`, [
          { label: 'OK', primary: true, run: () => undefined },
          {
            label: "Use this tab's version",
            run: () => {
              const now = useDocumentStore.getState();
              if (now.doc === snapshot.doc && now.past.at(-1)?.doc === mine.doc) now.undo();
              else now.loadDocument(mine.doc, mine.scenarioId, "Use this tab's version");
            },
          },
        ]);
        return true;
      }
    }
  }
  if (waited || loaded) d.notify('info', text);
  return true;
}

function beginSaving(): () => void {
  const s = createAutosaver({
    store: storage(),
    key: SESSION_KEY,
    read: currentSnapshot,
    delayMs: 300,
    maxWaitMs: 1000,
    onState: (state, error) =>
      useSaveStatus.setState(
        state === 'saved'
          ? { state, savedAt: Date.now(), error: null }
          : state === 'error'
            ? { state, error: `Saving failed: ${String(error)}` }
            : { state },
      ),
    onSaved: (snapshot) => clearJournal(journal(), snapshot),
  });
  saver = s;
  const unsubscribeDoc = useDocumentStore.subscribe((next, prev) => {
    if (
      next.doc !== prev.doc ||
      next.scenarioId !== prev.scenarioId ||
      next.view !== prev.view ||
      next.theme !== prev.theme ||
      next.panels !== prev.panels ||
      next.rightTab !== prev.rightTab
    ) {
      s.schedule();
    }
  });
  const unsubscribeLessons = useLessonStore.subscribe((next, prev) => {
    if (next.progress !== prev.progress || next.open !== prev.open) s.schedule();
  });
  // The page may be gone before an IndexedDB write started now lands: journal the change first.
  const saveBeforeLeaving = () => {
    if (!s.hasUnsaved()) return;
    writeJournal(currentSnapshot(), journal());
    void s.flush();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') saveBeforeLeaving();
  };
  window.addEventListener('pagehide', saveBeforeLeaving);
  document.addEventListener('visibilitychange', onVisibility);
  if (restoredFromJournal) {
    restoredFromJournal = false;
    void s.flush();
  } else if (useDocumentStore.getState().doc !== restoredDoc) {
    // A change made before this tab got the save (the lock and the take-over are async, and
    // another tab may have held it) had no subscriber to hear it: save it now.
    s.schedule();
  }
  return () => {
    unsubscribeDoc();
    unsubscribeLessons();
    window.removeEventListener('pagehide', saveBeforeLeaving);
    document.removeEventListener('visibilitychange', onVisibility);
    s.cancel();
    saver = null;
  };
}

/** Save whatever is pending now (e.g. before navigating away). */
export function flushAutosave(): Promise<void> {
  return saver?.flush() ?? Promise.resolve();
}

/** React hook for App: restore the saved session (once), then autosave every change. */
export function useAutosave(): void {
  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    void restoreSession().then(() => {
      if (!cancelled) stop = startAutosave();
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);
}

/**
 * Start over: forget the saved session and lesson progress and open the first built-in
 * scenario. The previous document stays in the undo history for this page.
 */
export async function startOver(): Promise<void> {
  saver?.cancel();
  // A tab waiting for another tab's save leaves that tab's saved work alone.
  if (useSaveStatus.getState().state !== 'other-tab') {
    clearJournal(journal());
    await storage().delete(SESSION_KEY);
  }
  useLessonStore.getState().restore(emptyProgress(), useLessonStore.getState().open);
  const first = builtInScenarios[0];
  if (first) useDocumentStore.getState().loadDocument(structuredClone(first.document), first.id);
  await flushAutosave();
}
