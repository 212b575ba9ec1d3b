// The scenario list for the picker: the built-in documents of src/scenarios.
import { type Scenario, scenarios } from '../../scenarios';

export type ScenarioEntry = Scenario;
export const SCENARIOS: readonly ScenarioEntry[] = scenarios;
