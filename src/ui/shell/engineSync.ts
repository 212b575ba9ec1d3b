// Keeps the engine (in the worker) in step with the document: debounced, never
// blocking typing. `update` validates and, when the document is valid, compiles it;
// an invalid document leaves the last valid compile in place. The messages land in
// the store for the properties panel and the top-bar badge.

import type { TopologyDocument } from '../../engine/model/schema';
import { engine } from '../../worker/client';
import { type FieldError, useDocumentStore } from '../store/document';

interface SyncApi {
  update(doc: TopologyDocument): Promise<{ ok: boolean; errors: FieldError[] }>;
  validate(doc: TopologyDocument): Promise<{ ok: boolean; errors: FieldError[] }>;
}

// TODO(ui-a): drop the cast once the worker API exposes update/validate.
const api = engine as unknown as SyncApi;
const DEBOUNCE_MS = 250;

export function startEngineSync(): () => void {
  let timer: number | undefined;
  let lastDoc: TopologyDocument | undefined;
  const push = async () => {
    const { doc, revision } = useDocumentStore.getState();
    if (doc === lastDoc) return;
    lastDoc = doc;
    try {
      const result = await api.update(doc);
      useDocumentStore.getState().setValidation(revision, result.errors ?? []);
    } catch {
      try {
        const result = await api.validate(doc);
        useDocumentStore.getState().setValidation(revision, result.errors ?? []);
      } catch {
        // The engine is restarting or not there yet: keep the previous verdict.
      }
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
