// The built-in scenarios lessons open (scenario data may be imported directly).
import { type Scenario, scenarioById, scenarios } from '../../scenarios';

export type { Scenario };

export const builtInScenarios: readonly Scenario[] = scenarios;

export function scenarioTitle(id: string): string {
  return scenarioById(id)?.title ?? id;
}
