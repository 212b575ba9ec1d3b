// Every NC resource through the console, against the document: GET lists what the export holds,
// a PUT of a resource as GET returned it changes nothing, and every cmdlet documents itself.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index';
import { createEngine } from '../index';
import { toNetworkControllerRest } from '../model/rest';
import { CMDLETS } from './registry';
import { REST_COLLECTIONS } from './rest';

const withoutLayout = (doc: object) => ({ ...doc, layout: undefined });

describe.each(['multi-tenant', 'routing-domains', 'hnv-v1-vs-v2', 'udr-peering', 'hybrid-gateway'])(
  'NC REST resources of %s',
  (scenario) => {
    const doc = scenarioById(scenario)?.document;
    if (!doc) throw new Error(scenario);
    const exported = toNetworkControllerRest(doc) as unknown as Record<string, { resourceId: string }[]>;

    it.each(REST_COLLECTIONS)(
      '%s: GET lists every resource; PUT of one as returned changes nothing',
      (collection) => {
        const e = createEngine();
        expect(e.load(doc).ok).toBe(true);
        const list = e.shell(`GET /networking/v1/${collection}`, {});
        expect(list.error).toBeUndefined();
        const value = JSON.parse(list.output).value as {
          resourceId: string;
          properties: { provisioningState: string };
        }[];
        expect(value.map((r) => r.resourceId)).toEqual((exported[collection] ?? []).map((r) => r.resourceId));
        for (const r of value) expect(r.properties.provisioningState).toBe('Succeeded');
        const first = value[0];
        if (!first) return;
        const { provisioningState: _, ...properties } = first.properties;
        const put = e.shell(
          `PUT /networking/v1/${collection}/${first.resourceId} ${JSON.stringify({ ...first, properties })}`,
          {},
        );
        expect(put.error).toBeUndefined();
        expect(put.output.startsWith('200 OK')).toBe(true);
        expect(withoutLayout(put.change?.document ?? {})).toEqual(withoutLayout(doc));
      },
    );
  },
);

describe('every cmdlet documents itself', () => {
  it.each(CMDLETS.map((c) => c.name))('Get-Help %s', (name) => {
    const e = createEngine();
    e.load(scenarioById('multi-tenant')?.document);
    const help = e.shell(`Get-Help ${name}`, {});
    expect(help.error).toBeUndefined();
    expect(help.output).toMatch(new RegExp(`SYNTAX\\n    ${name}( |\\n)`));
  });
});
