import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { largeDatacenter } from '../model/builder.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { Controller } from './controller.ts';

function multiTenant(): TopologyDocument {
  const s = scenarioById('multi-tenant');
  if (!s) throw new Error('no scenario');
  return structuredClone(s.document);
}

describe('network controller', () => {
  it('compiles the host agent policy store: lookup records, customer routes, provider addresses', () => {
    const c = new Controller(multiTenant());
    const h1 = c.hostPolicy('host-1');
    expect(h1?.providerAddresses.map((p) => [p.pa, p.teamMember, p.vlanId])).toEqual([
      ['192.168.1.10', 'NIC1', 10],
      ['192.168.1.11', 'NIC2', 10],
    ]);
    // Both tenants' VMs are on both hosts: every host holds all four records.
    const rows = h1?.lookupRecords
      .map((r) => `${r.caIp} ${r.vsid} ${r.mac} ${r.pa} ${r.encapsulation}`)
      .sort();
    expect(rows).toEqual([
      '10.1.1.11 5001 00:15:5d:50:01:11 192.168.1.10 vxlan',
      '10.1.1.11 6001 00:15:5d:60:01:11 192.168.1.10 vxlan',
      '10.1.1.12 5001 00:15:5d:50:01:12 192.168.2.20 vxlan',
      '10.1.1.12 6001 00:15:5d:60:01:12 192.168.2.20 vxlan',
    ]);
    expect(h1?.customerRoutes.map((r) => [r.vsid, r.prefix, r.gateway])).toEqual([
      [5001, '10.1.1.0/24', '10.1.1.1'],
      [6001, '10.1.1.0/24', '10.1.1.1'],
    ]);
  });

  it('gives every port layers with priorities, groups per direction, origins and a default rule everywhere', () => {
    const c = new Controller(multiTenant());
    const port = c.hostPolicy('host-2')?.ports.find((p) => p.vmLabel === 'Contoso/Web');
    expect(port?.layers.map((l) => [l.id, l.priority])).toEqual([
      ['acl', 100],
      ['vnet', 200],
      ['pa_route', 300],
    ]);
    for (const layer of port?.layers ?? [])
      for (const g of layer.groups) {
        expect(['in', 'out']).toContain(g.direction);
        expect(g.defaultRule.origin.length).toBeGreaterThan(0);
        for (const r of g.rules) expect(r.origin.length).toBeGreaterThan(0);
      }
    const vnetOut = port?.layers[1].groups.find((g) => g.id === 'vnet_out');
    expect(vnetOut?.rules.map((r) => r.actions[0].type)).toEqual([
      'arp-reply',
      'replicate',
      'route',
      'lookup',
    ]);
  });

  it('moving a VM pushes only what changed, to every host of its routing domain', () => {
    const doc = multiTenant();
    const c = new Controller(doc);
    // Contoso SQL moves to Host 2: Host 1 keeps Fabrikam only. Web keeps its PA (.20); SQL, the
    // second Contoso vNIC on Host 2, takes the other team member's PA (.21).
    const next = {
      ...doc,
      vms: doc.vms.map((vm) => (vm.id === 'contoso-sql' ? { ...vm, hostId: 'host-2' } : vm)),
    };
    const updates = c.apply(next);
    const summary = updates.map((u) => `${u.hostId} ${u.kind} ${u.op} ${u.key}`).sort();
    expect(summary).toEqual([
      'host-1 customer-route remove 5001/10.1.1.0/24',
      'host-1 lookup-record remove 5001/10.1.1.11',
      'host-1 lookup-record remove 5001/10.1.1.12',
      'host-1 port remove contoso-sql-nic',
      'host-2 lookup-record update 5001/10.1.1.11',
      'host-2 port add contoso-sql-nic',
    ]);
    const sql = updates.find((u) => u.kind === 'lookup-record' && u.op === 'update');
    expect(sql?.kind === 'lookup-record' && sql.record.pa).toBe('192.168.2.21');
    expect(c.apply(next)).toEqual([]); // nothing changed, nothing pushed
  });

  it('compiles 10,000 VMs on 200 hosts and moves one incrementally', () => {
    const doc = largeDatacenter({ hosts: 200, vms: 10_000 });
    const c = new Controller(doc);
    const vm = doc.vms[123];
    const target = doc.hosts.find(
      (h) => h.id !== vm.hostId && h.logicalSubnetId !== doc.hosts[0].logicalSubnetId,
    );
    if (!target) throw new Error('no target');
    const vms = doc.vms.slice();
    vms[123] = { ...vm, hostId: target.id };
    const updates = c.apply({ ...doc, vms });
    const moved = updates.filter((u) => u.kind === 'lookup-record' && u.op === 'update');
    expect(moved.length).toBeGreaterThan(0);
    for (const u of moved) if (u.kind === 'lookup-record') expect(u.record.hostId).toBe(target.id);
    expect(
      updates
        .filter((u) => u.kind === 'port')
        .map((u) => `${u.hostId} ${u.op}`)
        .sort(),
    ).toContain(`${target.id} add`);
  });
});
