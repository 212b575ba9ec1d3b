import { describe, expect, it } from 'vitest';
import type { TopologyDocument } from '../../engine/model/schema';
import { validateDocument } from '../../engine/model/validate';
import multiTenant from '../../scenarios/multi-tenant.json';
import { addFlow, removeFlow } from './flows';
import { deleteObjects } from './remove';
import { removeNic } from './update';

const doc = multiTenant as unknown as TopologyDocument;
const contosoPing = {
  name: 'Contoso ping',
  from: 'contoso-web-nic',
  to: 'contoso-sql-nic',
  protocol: 'icmp' as const,
};
const fabrikamPing = {
  name: 'Fabrikam ping',
  from: 'fabrikam-web-nic',
  to: 'fabrikam-sql-nic',
  protocol: 'icmp' as const,
};

describe('flows actions', () => {
  it('adds flows to the document, each with its own id; the document stays valid', () => {
    const next = addFlow.perform(addFlow.perform(doc, contosoPing), fabrikamPing);
    expect(next.flows?.map((f) => f.name)).toEqual(['Contoso ping', 'Fabrikam ping']);
    expect(new Set(next.flows?.map((f) => f.id)).size).toBe(2);
    expect(validateDocument(next).ok).toBe(true);
    expect(doc.flows).toBeUndefined(); // never mutates
  });

  it('refuses the same flow twice, saying so', () => {
    const once = addFlow.perform(doc, contosoPing);
    expect(() => addFlow.perform(once, { ...contosoPing, name: 'again' })).toThrow(/already in the list/);
  });

  it('removing the last flow leaves no empty list behind', () => {
    const once = addFlow.perform(doc, { ...contosoPing, id: 'f1' });
    expect('flows' in removeFlow.perform(once, { id: 'f1' })).toBe(false);
  });

  it('deleting a VM takes the flows from or to it along (the document stays valid)', () => {
    const both = addFlow.perform(addFlow.perform(doc, contosoPing), fabrikamPing);
    const sqlVm = doc.vms.find((v) => v.nics.some((n) => n.id === 'contoso-sql-nic'))!;
    const next = deleteObjects.perform(both, { ids: [sqlVm.id] });
    expect(next.flows?.map((f) => f.name)).toEqual(['Fabrikam ping']);
    expect(validateDocument(next).ok).toBe(true);
  });

  it('removing an adapter takes its flows along', () => {
    const twoNics: TopologyDocument = {
      ...doc,
      vms: doc.vms.map((vm) =>
        vm.nics[0].id === 'contoso-web-nic'
          ? {
              ...vm,
              nics: [
                ...vm.nics,
                { ...vm.nics[0], id: 'second', name: 'nic2', mac: '00:15:5d:50:09:99', caIp: '10.1.1.50' },
              ],
            }
          : vm,
      ),
    };
    const withFlow = addFlow.perform(twoNics, { ...contosoPing, from: 'second' });
    const vm = twoNics.vms.find((v) => v.nics.some((n) => n.id === 'second'))!;
    expect(removeNic.perform(withFlow, { vmId: vm.id, nicId: 'second' }).flows).toBeUndefined();
  });
});
