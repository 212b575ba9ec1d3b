// Keeps the engine (in the worker) in step with the document: debounced, never
// blocking typing. `update` validates and, when the document is valid, compiles it;
// an invalid document leaves the last valid compile in place. The messages land in
// the store for the properties panel and the top-bar badge.

import type { TopologyDocument } from '../../engine/model/schema';
import { syncDocument } from '../../worker/client';
import { type FieldError, useDocumentStore } from '../store/document';

const DEBOUNCE_MS = 250;

export function startEngineSync(): () => void {
  let timer: number | undefined;
  let lastDoc: TopologyDocument | undefined;
  const push = async () => {
    const { doc, revision } = useDocumentStore.getState();
    if (doc === lastDoc) return;
    lastDoc = doc;
    try {
      const result = await syncDocument(doc);
      const errors: FieldError[] = result.errors.map((e) => ({ ...e, objectId: e.objectId || undefined }));
      useDocumentStore.getState().setValidation(revision, errors);
    } catch {
      // The engine is restarting: the client re-seeds it; the next edit asks again.
      lastDoc = undefined;
    }
  };
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void push(), DEBOUNCE_MS);
  };
  schedule();
  const unsubscribe = useDocumentStore.subscribe((state, previous) => {
    if (state.doc !== previous.doc) schedule();
  });
  return () => {
    window.clearTimeout(timer);
    unsubscribe();
  };
}
