// The trace panel's flows, kept in the document: valid ones pass, and each broken one is named
// (flow, field, rule) without touching anything else.
import { describe, expect, it } from 'vitest';
import { fromNetworkControllerRest, toNetworkControllerRest } from './rest';
import type { Flow, TopologyDocument } from './schema';
import { multiTenantFixture } from './testDocument';
import { validateDocument } from './validate';

const contoso: Flow = {
  id: 'flow-1',
  name: 'Contoso ping',
  from: 'contoso-web-nic',
  to: 'contoso-sql-nic',
  protocol: 'icmp',
};
const fabrikam: Flow = {
  id: 'flow-2',
  name: 'Fabrikam SQL',
  from: 'fabrikam-web-nic',
  to: '10.1.1.11',
  protocol: 'tcp',
  dstPort: 1433,
};

function withFlows(flows: unknown[]): TopologyDocument {
  return { ...multiTenantFixture(), flows } as TopologyDocument;
}

function errorsOf(doc: unknown) {
  const result = validateDocument(doc);
  return result.ok
    ? []
    : result.errors.map(({ objectKind, objectName, field, rule }) => ({
        objectKind,
        objectName,
        field,
        rule,
      }));
}

describe('flows in the document', () => {
  it('a vNIC-to-vNIC ping and a TCP flow to an IP are valid; a document without flows too', () => {
    expect(validateDocument(withFlows([contoso, fabrikam])).ok).toBe(true);
    expect(validateDocument(multiTenantFixture()).ok).toBe(true);
  });

  it('names the flow, the field and the rule of each broken one', () => {
    expect(
      errorsOf(
        withFlows([
          { ...contoso, from: 'gone-nic' },
          { ...fabrikam, id: 'flow-3', to: 'not-an-address' },
          { ...contoso, id: 'flow-4', name: 'Self', to: 'contoso-web-nic' },
          { ...contoso, id: 'flow-5', name: 'Ping with a port', dstPort: 80 },
          { ...fabrikam, id: 'flow-1', name: 'Twin' },
        ]),
      ),
    ).toEqual([
      { objectKind: 'flow', objectName: 'Contoso ping', field: 'from', rule: 'known-reference' },
      { objectKind: 'flow', objectName: 'Fabrikam SQL', field: 'to', rule: 'flow-destination' },
      { objectKind: 'flow', objectName: 'Self', field: 'to', rule: 'flow-not-self' },
      { objectKind: 'flow', objectName: 'Ping with a port', field: 'dstPort', rule: 'flow-port-protocol' },
      { objectKind: 'flow', objectName: 'Twin', field: 'id', rule: 'unique-id' },
    ]);
  });

  it('a structurally wrong flow is named by the schema check too', () => {
    const errors = errorsOf(withFlows([{ ...contoso, protocol: 'sctp' }]));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ objectKind: 'flow', objectName: 'Contoso ping', field: 'protocol' });
  });

  it('survive a Network Controller REST export and import, under hnvLab', () => {
    const doc = withFlows([contoso, fabrikam]);
    const rest = toNetworkControllerRest(doc);
    expect(rest.hnvLab.flows).toEqual([contoso, fabrikam]);
    const back = fromNetworkControllerRest(JSON.parse(JSON.stringify(rest)));
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.document.flows).toEqual([contoso, fabrikam]);
  });

  it('a bad flow in a REST export is named by its place in hnvLab.flows', () => {
    const rest = JSON.parse(JSON.stringify(toNetworkControllerRest(withFlows([contoso]))));
    rest.hnvLab.flows[0].protocol = 7;
    const back = fromNetworkControllerRest(rest);
    expect(back.ok).toBe(false);
    if (!back.ok) expect(back.errors.map((e) => e.field).join(' ')).toContain('hnvLab.flows[0].protocol');
  });
});
