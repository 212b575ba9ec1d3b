import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyDocument } from '../../engine/model/schema';
import { createAutosaver, type SaveState } from './autosave';
import { memoryStore } from './kv';
import { parseSnapshot, SESSION_FORMAT, SESSION_VERSION } from './session';

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces a burst and saves within the max wait', async () => {
    const store = memoryStore();
    let value = 0;
    const states: SaveState[] = [];
    const saver = createAutosaver({
      store,
      key: 'k',
      read: () => value,
      delayMs: 300,
      maxWaitMs: 1000,
      onState: (s) => states.push(s),
    });
    // A change every 100 ms for 2 s: a save lands at least every second.
    const savedAt: number[] = [];
    for (let t = 0; t < 2000; t += 100) {
      value = t;
      saver.schedule();
      await vi.advanceTimersByTimeAsync(100);
      if (store.data.get('k') !== undefined && savedAt.at(-1) !== store.data.get('k')) {
        savedAt.push(store.data.get('k') as number);
      }
    }
    expect(savedAt.length).toBeGreaterThanOrEqual(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.data.get('k')).toBe(1900);
    expect(states.at(-1)).toBe('saved');
  });

  it('a single change is saved after the delay, flush saves at once, cancel drops', async () => {
    const store = memoryStore();
    let value = 'a';
    const saver = createAutosaver({ store, key: 'k', read: () => value, delayMs: 300 });
    saver.schedule();
    await vi.advanceTimersByTimeAsync(299);
    expect(store.data.has('k')).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.data.get('k')).toBe('a');
    value = 'b';
    await saver.flush();
    expect(store.data.get('k')).toBe('b');
    value = 'c';
    saver.schedule();
    saver.cancel();
    await vi.advanceTimersByTimeAsync(2000);
    expect(store.data.get('k')).toBe('b');
  });

  it('knows whether a change is still unsaved, and says what each write wrote', async () => {
    const store = memoryStore();
    let value = 1;
    const written: number[] = [];
    let failing = false;
    const saver = createAutosaver({
      store: {
        ...store,
        set: async (key, v) => {
          if (failing) throw new Error('quota');
          await store.set(key, v);
        },
      },
      key: 'k',
      read: () => value,
      onSaved: (v) => written.push(v),
    });
    expect(saver.hasUnsaved()).toBe(false);
    saver.schedule();
    expect(saver.hasUnsaved()).toBe(true);
    const writing = saver.flush();
    value = 2;
    saver.schedule(); // a change while the write is in flight stays unsaved after it lands
    await writing;
    expect(written).toEqual([1]);
    expect(saver.hasUnsaved()).toBe(true);
    failing = true;
    await saver.flush();
    expect(saver.hasUnsaved()).toBe(true); // a failed write saved nothing
    failing = false;
    await saver.flush();
    expect(written).toEqual([1, 2]);
    expect(saver.hasUnsaved()).toBe(false);
  });

  it('reports a failing store', async () => {
    const states: SaveState[] = [];
    const saver = createAutosaver({
      store: {
        get: async () => undefined,
        set: async () => {
          throw new Error('quota');
        },
        delete: async () => undefined,
      },
      key: 'k',
      read: () => 1,
      onState: (s) => states.push(s),
    });
    await saver.flush();
    expect(states).toEqual(['saving', 'error']);
  });
});

describe('session snapshot', () => {
  const doc = emptyDocument('Mine');

  it('round-trips and fills defaults', () => {
    const parsed = parseSnapshot({
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      savedAt: 'now',
      doc,
      scenarioId: 'multi-tenant',
      ui: { view: 'virtual', theme: 'dark', panels: { left: 250 }, rightTab: 'tables', lessonsOpen: true },
      lessons: { activeLessonId: 'ca-vs-pa', stepIndex: { 'ca-vs-pa': 3 } },
    });
    expect(parsed?.ui).toEqual({
      view: 'virtual',
      theme: 'dark',
      panels: { left: 250, right: 360, bottom: 260, lessons: 320, trace: 0 },
      rightTab: 'tables',
      lessonsOpen: true,
    });
    expect(parsed?.lessons.stepIndex).toEqual({ 'ca-vs-pa': 3 });
    expect(parsed?.doc.name).toBe('Mine');
  });

  it('rejects what is not a session', () => {
    expect(parseSnapshot(null)).toBeNull();
    expect(parseSnapshot({ format: 'other', version: 1, doc })).toBeNull();
    expect(parseSnapshot({ format: SESSION_FORMAT, version: 2, doc })).toBeNull();
    expect(parseSnapshot({ format: SESSION_FORMAT, version: 1, doc: { name: 'x' } })).toBeNull();
  });
});
