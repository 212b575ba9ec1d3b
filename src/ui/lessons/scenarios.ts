// The built-in scenarios lessons open. One import to change when src/scenarios/index.ts lands.
import { FALLBACK_SCENARIOS, type ScenarioEntry } from '../shell/fallbackScenarios';

export type { ScenarioEntry };

export const builtInScenarios: readonly ScenarioEntry[] = FALLBACK_SCENARIOS;

export function scenarioById(id: string): ScenarioEntry | undefined {
  return builtInScenarios.find((s) => s.id === id);
}

export function scenarioTitle(id: string): string {
  return scenarioById(id)?.title ?? id;
}
