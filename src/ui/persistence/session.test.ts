import { describe, expect, it } from 'vitest';
import { multiTenantFixture } from '../../engine/model/testDocument';
import { useLessonStore } from '../lessons/store';
import { useDocumentStore } from '../store/document';
import { currentSnapshot, restoreSession, setSessionStore } from './index';
import { memoryStore } from './kv';
import { SESSION_KEY } from './session';

describe('session save and restore through the stores', () => {
  it('restores the document, the layout and lesson progress exactly, with no undo history', async () => {
    const doc = multiTenantFixture();
    const d = useDocumentStore.getState();
    d.loadDocument(doc, 'multi-tenant');
    d.setView('virtual');
    d.setPanel('left', 240);
    d.setRightTab('tables');
    useLessonStore.getState().openLesson('ca-vs-pa');
    useLessonStore.getState().gotoStep('ca-vs-pa', 2);
    useLessonStore.getState().answer('ca-vs-pa', 'outer-dst', 'dst-pa');
    const saved = currentSnapshot();
    const store = memoryStore();
    await store.set(SESSION_KEY, saved);

    // A fresh page: other document, default layout, no progress.
    d.loadDocument({ ...doc, name: 'Something else', vms: [] }, 'empty');
    d.setView('physical');
    d.setRightTab('properties');
    useLessonStore.getState().reset();

    setSessionStore(store);
    expect(await restoreSession()).toBe(true);
    const after = useDocumentStore.getState();
    expect(after.doc).toEqual(doc);
    expect(after.scenarioId).toBe('multi-tenant');
    expect(after.view).toBe('virtual');
    expect(after.panels.left).toBe(240);
    expect(after.rightTab).toBe('tables');
    expect(after.past).toEqual([]);
    expect(useLessonStore.getState().progress).toEqual(saved.lessons);
    expect(useLessonStore.getState().open).toBe(true);
  });
});
