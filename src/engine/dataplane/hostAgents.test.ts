// The host agents' policy stores are what the southbound updates built, not a view of the
// controller: over random moves, removals and restores delivered at once or staged (and
// delivered later), every host that waits for nothing holds exactly the controller's policy
// (records, routes, PAs, ports), and applying is strict (an add of a held key, an update or a
// removal of an absent one throws). While a host waits, its distributed router routes with the
// customer routes it holds: a subnet added to its VM network is not routed until the update lands.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { Controller } from '../controller/controller.ts';
import type { HostPolicy } from '../controller/types.ts';
import { largeDatacenter } from '../model/builder.ts';
import type { TopologyDocument, Vm } from '../model/schema.ts';
import { Datacenter } from './datacenter.ts';
import { HostAgents } from './hostAgents.ts';

/** What a host agent holds, keyed as the southbound updates key it. */
function held(p: Pick<HostPolicy, 'lookupRecords' | 'customerRoutes'>) {
  const records = new Map(p.lookupRecords.map((r) => [`${r.vsid}/${r.caIp}`, r]));
  const routes = new Map(p.customerRoutes.map((r) => [`${r.vsid}/${r.prefix}`, r]));
  return { records, routes };
}

type Edit = { op: 'move'; vm: number; host: number } | { op: 'remove'; vm: number } | { op: 'restore' };
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('move' as const), vm: fc.nat(), host: fc.nat() }) },
  fc.record({ op: fc.constant('remove' as const), vm: fc.nat() }),
  fc.record({ op: fc.constant('restore' as const) }),
);
const stepArb = fc.record({ edit: editArb, staged: fc.boolean(), deliver: fc.boolean() });

function edit(doc: TopologyDocument, e: Edit, removed: Vm[]): TopologyDocument {
  const vms = doc.vms.slice();
  if (e.op === 'move') {
    const i = e.vm % vms.length;
    vms[i] = { ...vms[i], hostId: doc.hosts[e.host % doc.hosts.length].id };
  } else if (e.op === 'remove') {
    if (vms.length > 1) removed.push(...vms.splice(e.vm % vms.length, 1));
  } else {
    const vm = removed.pop();
    if (vm) vms.push(vm);
  }
  return { ...doc, vms };
}

describe('host agents', () => {
  it('hold exactly what the updates they received built (staged or not)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
        let doc = largeDatacenter({ hosts: 6, vms: 30, hostsPerRack: 3, tenants: 3 });
        const dc = new Datacenter(doc);
        const removed: Vm[] = [];
        const check = () => {
          const waiting = new Set(dc.inFlightUpdates().map((u) => u.hostId));
          for (const h of doc.hosts) {
            if (waiting.has(h.id)) continue;
            const policy = dc.controller.hostPolicy(h.id);
            const tables = dc.hostTables(h.id);
            if (!policy || !tables) continue;
            expect(held(tables), h.id).toEqual(held(policy));
          }
        };
        for (const s of steps) {
          doc = edit(doc, s.edit, removed);
          dc.update(doc, s.staged ? 'staged' : 'immediate');
          check();
          if (s.deliver) {
            dc.deliverPendingUpdates();
            expect(dc.inFlightUpdates()).toEqual([]);
            check();
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a waiting host keeps the old record while the others hold the new one', () => {
    const doc = structuredClone(scenarioById('live-migration')?.document) as TopologyDocument;
    const dc = new Datacenter(doc);
    const paOf = (hostId: string) =>
      dc.hostTables(hostId)?.lookupRecords.find((r) => r.vsid === 5001 && r.caIp === '10.1.1.11')?.pa;
    const oldPa = paOf('host-2');
    expect(oldPa).toBeDefined();
    expect(paOf('host-3')).toBeUndefined(); // no Contoso VM there yet
    // Contoso SQL moves from Host 1 to Host 3: Host 2 (a peer) waits for its update.
    const moved = {
      ...doc,
      vms: doc.vms.map((vm) => (vm.id === 'contoso-sql' ? { ...vm, hostId: 'host-3' } : vm)),
    };
    dc.update(moved, 'staged');
    expect(new Set(dc.inFlightUpdates().map((u) => u.hostId))).toEqual(new Set(['host-2']));
    const newPa = paOf('host-3');
    expect(newPa).not.toBe(oldPa);
    expect(paOf('host-2')).toBe(oldPa);
    dc.deliverPendingUpdates();
    expect(paOf('host-2')).toBe(newPa);
  });

  it('applies strictly: a second add of a record the host holds is an error naming it', () => {
    const controller = new Controller(
      structuredClone(scenarioById('multi-tenant')?.document) as TopologyDocument,
    );
    const agents = new HostAgents(controller);
    const record = controller.hostPolicy('host-1')?.lookupRecords[0];
    if (!record) throw new Error('no record');
    const key = `${record.vsid}/${record.caIp}`;
    expect(() => agents.apply([{ hostId: 'host-1', kind: 'lookup-record', op: 'add', key, record }])).toThrow(
      `host agent of 'host-1': add of lookup-record ${key}: the host already holds it`,
    );
    expect(() =>
      agents.apply([
        {
          hostId: 'host-1',
          kind: 'lookup-record',
          op: 'remove',
          key: '5001/10.9.9.9',
          record: { ...record, caIp: '10.9.9.9' },
        },
      ]),
    ).toThrow('the host does not hold it');
    // The host's store is unchanged by the refused add: the other host shares the same table.
    expect(agents.lookup({ id: 'host-1' }, record.vsid, record.caIp).record).toBe(record);
    expect(agents.lookup({ id: 'host-2' }, record.vsid, record.caIp).record).toBe(record);
  });

  it("a waiting host's distributed router routes with the routes it holds, not the controller's", () => {
    const doc = structuredClone(scenarioById('routing-domains')?.document) as TopologyDocument;
    const dc = new Datacenter(doc);
    // A fourth R&D subnet, with a VM on Host 2: Host 2 gets its updates now, Host 1 waits.
    const next: TopologyDocument = {
      ...doc,
      virtualSubnets: [
        ...doc.virtualSubnets,
        {
          id: 'rnd-4',
          name: 'R&D 4',
          vmNetworkId: 'rnd-net',
          vsid: 5004,
          prefix: '10.1.4.0/24',
          encapsulation: 'vxlan',
        },
      ],
      vms: [
        ...doc.vms,
        {
          id: 'lab',
          name: 'Lab',
          hostId: 'host-2',
          nics: [
            {
              id: 'lab-nic',
              name: 'Ethernet',
              mac: '00:15:5d:a0:04:11',
              caIp: '10.1.4.11',
              virtualSubnetId: 'rnd-4',
            },
          ],
        },
      ],
    };
    const { pending } = dc.update(next, 'staged');
    expect(pending.some((u) => u.hostId === 'host-1' && u.kind === 'customer-route')).toBe(true);
    const routes = (hostId: string) => dc.hostTables(hostId)?.customerRoutes.map((r) => r.prefix) ?? [];
    expect(routes('host-1')).not.toContain('10.1.4.0/24');
    expect(routes('host-2')).toContain('10.1.4.0/24');
    const before = dc.trace({ from: 'dev-1', to: '10.1.4.11', protocol: 'icmp' });
    expect(before.verdict.outcome).toBe('dropped');
    expect(before.verdict.reason).toContain('no route to 10.1.4.11 in routing domain');
    dc.deliverPendingUpdates();
    expect(routes('host-1')).toContain('10.1.4.0/24');
    const after = dc.trace({ from: 'dev-1', to: '10.1.4.11', protocol: 'icmp' });
    expect(after.verdict.outcome).toBe('delivered');
  });
});
