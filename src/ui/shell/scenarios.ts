// The scenario list for the picker (the built-in documents of src/scenarios), and opening one.
import { type Scenario, scenarios } from '../../scenarios';
import { blankDocument, useDocumentStore } from '../store/document';
import { useTraceStore } from '../store/trace';

export type ScenarioEntry = Scenario;
export const SCENARIOS: readonly ScenarioEntry[] = scenarios;

/** Open a built-in scenario (or the empty canvas) in place of the document; the old trace goes. */
export function openScenario(id: string): void {
  const store = useDocumentStore.getState();
  const scenario = id === 'empty' ? null : SCENARIOS.find((s) => s.id === id);
  if (id !== 'empty' && !scenario) return;
  useTraceStore.getState().clearTrace();
  if (scenario) store.loadDocument(structuredClone(scenario.document), scenario.id);
  else store.loadDocument(blankDocument(), 'empty');
}
