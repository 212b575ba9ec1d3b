// The scenario list for the picker.
// TODO(ui-a): switch to src/scenarios/index.ts when it lands (same {id, title, description, document} shape).
import { FALLBACK_SCENARIOS, type ScenarioEntry } from './fallbackScenarios';

export type { ScenarioEntry };
export const SCENARIOS: ScenarioEntry[] = FALLBACK_SCENARIOS;
