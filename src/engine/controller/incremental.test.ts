// The incremental controller, checked against two oracles over random edit sequences:
// 1. a replica host agent that starts from the initial push and applies every southbound update
//    strictly (add needs an absent key, update and remove a present one) ends up holding exactly
//    the controller's policy for every host;
// 2. a fresh compile of the same document holds the same records, routes, PAs and ports, except
//    for which team member's PA a vNIC was bound to (bindings are sticky: they depend on history).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largeDatacenter } from '../model/builder.ts';
import type { TopologyDocument, Vm } from '../model/schema.ts';
import { Controller } from './controller.ts';
import type { HostPolicy, SouthboundUpdate } from './types.ts';

type Replica = Map<string, Map<string, unknown>>; // host -> 'kind key' -> value

const updateValue = (u: SouthboundUpdate): unknown =>
  u.kind === 'lookup-record'
    ? u.record
    : u.kind === 'customer-route'
      ? u.route
      : u.kind === 'provider-address'
        ? u.providerAddress
        : u.port;

function applyStrictly(replica: Replica, updates: SouthboundUpdate[]): void {
  for (const u of updates) {
    let store = replica.get(u.hostId);
    if (!store) {
      store = new Map();
      replica.set(u.hostId, store);
    }
    const k = `${u.kind} ${u.key}`;
    const where = `${u.hostId} ${u.op} ${k}`;
    if (u.op === 'add') expect(store.has(k), `${where}: already held`).toBe(false);
    else expect(store.has(k), `${where}: not held`).toBe(true);
    if (u.kind === 'lookup-record' && u.op === 'update')
      expect(u.previous, `${where}: previous is what the host held`).toEqual(store.get(k));
    if (u.op === 'remove') store.delete(k);
    else store.set(k, updateValue(u));
  }
}

function storeOf(p: HostPolicy): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const r of p.lookupRecords) m.set(`lookup-record ${r.vsid}/${r.caIp}`, r);
  for (const r of p.customerRoutes) m.set(`customer-route ${r.vsid}/${r.prefix}`, r);
  for (const a of p.providerAddresses) m.set(`provider-address ${a.pa}`, a);
  for (const port of p.ports) m.set(`port ${port.portId}`, port);
  return m;
}

/** A host's policy with PA bindings blanked out: what must not depend on history. */
function withoutBindings(p: HostPolicy) {
  const sort = <T>(xs: T[], key: (x: T) => string) => xs.slice().sort((a, b) => key(a).localeCompare(key(b)));
  return {
    records: sort(
      p.lookupRecords.map((r) => ({ ...r, pa: '' })),
      (r) => `${r.vsid}/${r.caIp}`,
    ),
    routes: sort(p.customerRoutes, (r) => `${r.vsid}/${r.prefix}`),
    pas: sort(p.providerAddresses, (a) => a.pa),
    ports: sort(
      p.ports.map((port) => ({
        portId: port.portId,
        vmLabel: port.vmLabel,
        vsid: port.vsid,
        caIp: port.caIp,
        // The ACL layer does not depend on the PA binding: it must match a fresh compile exactly.
        acl: port.layers.find((l) => l.id === 'acl'),
      })),
      (port) => port.portId,
    ),
  };
}

type Edit =
  | { op: 'move'; vm: number; host: number }
  | { op: 'remove'; vm: number }
  | { op: 'restore'; at: number }
  | { op: 'rename'; vm: number }
  | { op: 'acl'; vm: number }
  | { op: 'swap-ca'; a: number; b: number }
  | { op: 'move-two'; a: number; b: number; host: number }
  | { op: 'acl-rule'; port: number }
  | { op: 'rename-network'; i: number }
  | { op: 'flip-encap'; i: number }
  | { op: 'rack-vlan'; i: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('move' as const), vm: fc.nat(), host: fc.nat() }) },
  fc.record({ op: fc.constant('remove' as const), vm: fc.nat() }),
  fc.record({ op: fc.constant('restore' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('rename' as const), vm: fc.nat() }),
  fc.record({ op: fc.constant('acl' as const), vm: fc.nat() }),
  fc.record({ op: fc.constant('swap-ca' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('move-two' as const), a: fc.nat(), b: fc.nat(), host: fc.nat() }),
  fc.record({ op: fc.constant('acl-rule' as const), port: fc.integer({ min: 1, max: 65535 }) }),
  // Changes to anything else: the controller compiles everything again and diffs.
  fc.record({ op: fc.constant('rename-network' as const), i: fc.nat() }),
  fc.record({ op: fc.constant('flip-encap' as const), i: fc.nat() }),
  fc.record({ op: fc.constant('rack-vlan' as const), i: fc.nat() }),
);

/** Apply one edit as the UI would: a new document sharing every unchanged object. */
function edit(doc: TopologyDocument, e: Edit, removed: Vm[]): TopologyDocument {
  const vms = doc.vms.slice();
  const pick = (i: number) => i % vms.length;
  const hostId = (i: number) => doc.hosts[i % doc.hosts.length].id;
  switch (e.op) {
    case 'move':
      vms[pick(e.vm)] = { ...vms[pick(e.vm)], hostId: hostId(e.host) };
      break;
    case 'move-two':
      vms[pick(e.a)] = { ...vms[pick(e.a)], hostId: hostId(e.host) };
      vms[pick(e.b)] = { ...vms[pick(e.b)], hostId: hostId(e.host + 1) };
      break;
    case 'remove':
      if (vms.length > 1) removed.push(...vms.splice(pick(e.vm), 1));
      break;
    case 'restore': {
      const vm = removed.pop();
      if (vm) vms.splice(e.at % (vms.length + 1), 0, vm);
      break;
    }
    case 'rename':
      vms[pick(e.vm)] = { ...vms[pick(e.vm)], name: `${vms[pick(e.vm)].name}'` };
      break;
    case 'acl': {
      const vm = vms[pick(e.vm)];
      const aclId = vm.nics[0].aclId ? undefined : doc.acls[0]?.id;
      vms[pick(e.vm)] = { ...vm, nics: [{ ...vm.nics[0], aclId }, ...vm.nics.slice(1)] };
      break;
    }
    case 'swap-ca': {
      // Two vNICs of one virtual subnet trade CAs in one edit (remove-then-add order matters).
      const a = vms[pick(e.a)];
      const b = vms.find(
        (v, i) => i !== pick(e.a) && v.nics[0].virtualSubnetId === a.nics[0].virtualSubnetId,
      );
      if (!b) break;
      const bi = vms.indexOf(b);
      vms[pick(e.a)] = { ...a, nics: [{ ...a.nics[0], caIp: b.nics[0].caIp }] };
      vms[bi] = { ...b, nics: [{ ...b.nics[0], caIp: a.nics[0].caIp }] };
      break;
    }
    case 'rename-network': {
      const i = e.i % doc.vmNetworks.length;
      const vmNetworks = doc.vmNetworks.map((n, k) => (k === i ? { ...n, name: `${n.name}'` } : n));
      return { ...doc, vms, vmNetworks };
    }
    case 'flip-encap': {
      const i = e.i % doc.virtualSubnets.length;
      const virtualSubnets = doc.virtualSubnets.map((v, k) =>
        k === i
          ? { ...v, encapsulation: v.encapsulation === 'vxlan' ? ('nvgre' as const) : ('vxlan' as const) }
          : v,
      );
      return { ...doc, vms, virtualSubnets };
    }
    case 'rack-vlan': {
      const i = e.i % doc.logicalSubnets.length;
      const logicalSubnets = doc.logicalSubnets.map((l, k) => (k === i ? { ...l, vlanId: l.vlanId + 7 } : l));
      return { ...doc, vms, logicalSubnets };
    }
    case 'acl-rule': {
      // An ACL's first rule now guards another port: only the ACLs change, the VMs are the same.
      const [acl, ...rest] = doc.acls;
      if (!acl) break;
      const rules = acl.rules.map((r, i) => (i === 0 ? { ...r, destinationPortRange: String(e.port) } : r));
      return { ...doc, acls: [{ ...acl, rules }, ...rest] };
    }
  }
  return { ...doc, vms };
}

function checkSequence(mode: 'v1' | 'v2', edits: Edit[]): void {
  let doc = largeDatacenter({ hosts: 6, vms: 30, tenants: 3, hostsPerRack: 3, hnvMode: mode });
  const controller = new Controller(doc);
  const replica: Replica = new Map();
  applyStrictly(replica, controller.initialUpdates().updates);
  const removed: Vm[] = [];
  const bindings = () =>
    new Map(
      controller
        .hostIds()
        .flatMap(
          (h) => controller.hostPolicy(h)?.ports.map((p) => [p.vnicId, `${h} ${p.pa}`] as const) ?? [],
        ),
    );
  for (const e of edits) {
    const bound = bindings();
    doc = edit(doc, e, removed);
    applyStrictly(replica, controller.apply(doc));
    // HNVv2 bindings are sticky: a vNIC still on the same host still sends from the same PA.
    if (mode === 'v2')
      for (const [vnic, now] of bindings()) {
        const was = bound.get(vnic);
        if (was?.split(' ')[0] === now.split(' ')[0])
          expect(now, `${vnic} after ${JSON.stringify(e)}`).toBe(was);
      }
    const fresh = new Controller(doc);
    for (const hostId of controller.hostIds()) {
      const policy = controller.hostPolicy(hostId);
      if (!policy) throw new Error(`no policy for ${hostId}`);
      expect(replica.get(hostId) ?? new Map(), `${hostId} after ${JSON.stringify(e)}`).toEqual(
        storeOf(policy),
      );
      const freshPolicy = fresh.hostPolicy(hostId);
      if (!freshPolicy) throw new Error(`no fresh policy for ${hostId}`);
      expect(withoutBindings(policy)).toEqual(withoutBindings(freshPolicy));
      // Every vNIC sends from a PA of its own host, and its record says the same PA.
      const pas = new Set(policy.providerAddresses.map((a) => a.pa));
      for (const port of policy.ports) {
        expect(pas.has(port.pa)).toBe(true);
        const record = policy.lookupRecords.find((r) => r.vnicId === port.vnicId);
        if (record) expect(record.pa).toBe(port.pa);
      }
    }
  }
}

describe('incremental controller', () => {
  for (const mode of ['v2', 'v1'] as const)
    it(`${mode}: every push keeps the hosts exactly in step, and matches a fresh compile`, () => {
      fc.assert(
        fc.property(fc.array(editArb, { minLength: 1, maxLength: 12 }), (edits) =>
          checkSequence(mode, edits),
        ),
        { numRuns: 40 },
      );
    });

  it('a vNIC that does not move keeps its PA binding and its very port object', () => {
    const doc = largeDatacenter({ hosts: 6, vms: 30, tenants: 3, hostsPerRack: 3 });
    const controller = new Controller(doc);
    const portsBefore = new Map(
      controller.hostIds().flatMap((h) => controller.hostPolicy(h)?.ports.map((p) => [p.portId, p]) ?? []),
    );
    const vms = doc.vms.slice();
    vms[4] = { ...vms[4], hostId: doc.hosts[5].id };
    controller.apply({ ...doc, vms });
    for (const h of controller.hostIds())
      for (const p of controller.hostPolicy(h)?.ports ?? [])
        if (p.vmId !== vms[4].id) expect(p).toBe(portsBefore.get(p.portId));
  });
});
