// Never lose work: the session (document, layout, lesson progress) is saved to IndexedDB
// on every change, debounced, and restored on the next visit.
//
// Mount: `await restoreSession()` before the first render (main.tsx), then `useAutosave()`
// once in App. `useAutosave()` alone also works: it restores first, then saves.
import { useEffect } from 'react';
import { create } from 'zustand';
import { emptyProgress } from '../../scenarios/lessons/progress';
import { builtInScenarios } from '../lessons/scenarios';
import { useLessonStore } from '../lessons/store';
import { useDocumentStore } from '../store/document';
import { type Autosaver, createAutosaver, type SaveState } from './autosave';
import { defaultStore, type KeyValueStore } from './kv';
import { acquireSaveLock } from './saveLock';
import { parseSnapshot, SESSION_FORMAT, SESSION_KEY, SESSION_VERSION, type SessionSnapshot } from './session';

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

/** Use another store (tests, or a second lab in one page). */
export function setSessionStore(store: KeyValueStore): void {
  kv = store;
}

export function currentSnapshot(): SessionSnapshot {
  const d = useDocumentStore.getState();
  const l = useLessonStore.getState();
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    savedAt: new Date().toISOString(),
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
  for (const panel of ['left', 'right', 'bottom'] as const) d.setPanel(panel, snapshot.ui.panels[panel]);
  d.setRightTab(snapshot.ui.rightTab);
  useLessonStore.getState().restore(snapshot.lessons, snapshot.ui.lessonsOpen);
}

let restoring: Promise<boolean> | null = null;

/** Restore the saved session, once per page. Resolves true when one was found and applied. */
export function restoreSession(): Promise<boolean> {
  restoring ??= (async () => {
    try {
      const snapshot = parseSnapshot(await storage().get(SESSION_KEY));
      if (!snapshot) return false;
      const explicitScenario =
        typeof location !== 'undefined' && new URLSearchParams(location.search).has('scenario');
      applySnapshot(snapshot, !explicitScenario);
      useSaveStatus.setState({ state: 'saved', savedAt: Date.parse(snapshot.savedAt) || null });
      return true;
    } catch (error) {
      useSaveStatus.setState({ state: 'error', error: `Could not read the saved session: ${String(error)}` });
      return false;
    }
  })();
  return restoring;
}

let saver: Autosaver | null = null;

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
    useDocumentStore
      .getState()
      .notify(
        'info',
        'HNV Lab is open in another tab, and that tab saves your work. Changes made here are not saved until it closes (File › Export keeps a copy).',
      );
  });
  void lock.granted.then(() => {
    if (stopped) return;
    stopSaving = beginSaving();
    if (waited) {
      useSaveStatus.setState({ state: 'idle', error: null });
      useDocumentStore.getState().notify('info', 'The other tab closed: this tab saves your work now.');
    }
  });
  return () => {
    stopped = true;
    stopSaving?.();
    lock.release();
  };
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
  const onHide = () => {
    if (document.visibilityState === 'hidden') void s.flush();
  };
  document.addEventListener('visibilitychange', onHide);
  return () => {
    unsubscribeDoc();
    unsubscribeLessons();
    document.removeEventListener('visibilitychange', onHide);
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
  if (useSaveStatus.getState().state !== 'other-tab') await storage().delete(SESSION_KEY);
  useLessonStore.getState().restore(emptyProgress(), useLessonStore.getState().open);
  const first = builtInScenarios[0];
  if (first) useDocumentStore.getState().loadDocument(structuredClone(first.document), first.id);
  await flushAutosave();
}
