// Regenerates the JSON of the scenarios described in builders.ts:
//   npx tsx src/scenarios/write-scenarios.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateDocument } from '../engine/model/validate';
import { scenarioBuilders } from './builders';

const here = dirname(fileURLToPath(import.meta.url));
for (const [id, build] of Object.entries(scenarioBuilders)) {
  const doc = build();
  const result = validateDocument(doc);
  if (!result.ok) throw new Error(`${id}: ${result.errors.map((e) => e.message).join('; ')}`);
  writeFileSync(join(here, `${id}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`wrote ${id}.json`);
}
