import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4ToNumber as parseIpv4 } from '../net';
import {
  AddressAllocator,
  deterministicGuid,
  newId,
  newRoutingDomainId,
  nextFreeCa,
  nextFreeMac,
  nextFreeProviderAddresses,
  nextFreeVlanId,
  nextFreeVsid,
} from './allocate';
import { buildDocument, largeDatacenter } from './builder';
import type { TopologyDocument } from './schema';
import { validDocument } from './testArbitraries';
import { multiTenantFixture } from './testDocument';
import { validateDocument } from './validate';

function allMacs(doc: TopologyDocument): Set<string> {
  const macs = new Set<string>();
  for (const vm of doc.vms) for (const nic of vm.nics) macs.add(nic.mac);
  for (const h of doc.hosts) for (const m of h.teamMembers) macs.add(m.mac);
  for (const r of doc.routers) for (const i of r.interfaces) macs.add(i.mac);
  return macs;
}

function providerSpace(doc: TopologyDocument): Set<string> {
  const ips = new Set<string>();
  for (const h of doc.hosts) for (const pa of h.providerAddresses) ips.add(pa);
  for (const r of doc.routers) for (const i of r.interfaces) ips.add(i.ip);
  for (const s of doc.logicalSubnets) ips.add(s.defaultGateway);
  return ips;
}

function expectValid(doc: unknown): void {
  const result = validateDocument(doc);
  expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([]);
}

describe('allocation on the multi-tenant fixture', () => {
  const doc = multiTenantFixture();

  it('gives the lowest free CA, skipping network and gateway', () => {
    expect(nextFreeCa(doc, 'contoso-web')).toBe('10.1.1.2');
    expect(nextFreeCa(doc, 'nowhere')).toBeUndefined();
  });

  it('skips CAs used in the routing domain and returns undefined when the subnet is full', () => {
    const small = multiTenantFixture();
    small.virtualSubnets[0].prefix = '10.1.1.8/29'; // .8 network, .9 gateway, .10-.14 hosts, .15 broadcast
    small.vms[0].nics[0].caIp = '10.1.1.10';
    small.vms[1].nics[0].caIp = '10.1.1.11';
    expect(nextFreeCa(small, 'contoso-web')).toBe('10.1.1.12');
    const allocator = new AddressAllocator(small);
    const subnet = small.virtualSubnets[0];
    expect([allocator.ca(subnet), allocator.ca(subnet), allocator.ca(subnet), allocator.ca(subnet)]).toEqual([
      '10.1.1.12',
      '10.1.1.13',
      '10.1.1.14',
      undefined,
    ]);
  });

  it('gives a MAC from the Hyper-V pool not in use', () => {
    expect(nextFreeMac(doc)).toBe('00:15:5d:00:00:01');
    const taken = multiTenantFixture();
    taken.vms[0].nics[0].mac = '00:15:5d:00:00:01';
    expect(nextFreeMac(taken)).toBe('00:15:5d:00:00:02');
  });

  it('gives PAs from a host or a logical subnet, skipping gateway, router interfaces and used PAs', () => {
    expect(nextFreeProviderAddresses(doc, 'host1', 2)).toEqual(['192.168.1.2', '192.168.1.3']);
    expect(nextFreeProviderAddresses(doc, 'pa2', 1)).toEqual(['192.168.2.2']);
    const crowded = multiTenantFixture();
    crowded.routers[0].interfaces[0].ip = '192.168.1.2';
    crowded.logicalSubnets[0].defaultGateway = '192.168.1.2';
    crowded.hosts[0].providerAddresses = ['192.168.1.1', '192.168.1.3'];
    expect(nextFreeProviderAddresses(crowded, 'pa1', 2)).toEqual(['192.168.1.4', '192.168.1.5']);
    expect(nextFreeProviderAddresses(doc, 'pa1', 300)).toBeUndefined();
    expect(nextFreeProviderAddresses(doc, 'nothing', 1)).toBeUndefined();
  });

  it('gives the next free VSID from 5001, a fresh routing domain ID and a fresh id', () => {
    expect(nextFreeVsid(doc)).toBe(5002);
    const rdid = newRoutingDomainId(doc);
    expect(rdid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newRoutingDomainId(doc)).toBe(rdid); // deterministic
    expect(doc.vmNetworks.map((n) => n.routingDomainId)).not.toContain(rdid);
    expect(newId(doc, 'host')).toBe('host-1');
    const withHost1 = multiTenantFixture();
    withHost1.hosts[0].id = 'host-1';
    withHost1.vms[0].hostId = 'host-1';
    withHost1.vms[2].hostId = 'host-1';
    expect(newId(withHost1, 'host')).toBe('host-2');
  });

  it('gives the next free VLAN ID and none past 4094', () => {
    expect(nextFreeVlanId(doc)).toBe(1);
    const full = multiTenantFixture();
    full.logicalSubnets = Array.from({ length: 4094 }, (_, i) => ({
      ...doc.logicalSubnets[0],
      id: `v${i}`,
      vlanId: i + 1,
    }));
    expect(nextFreeVlanId(full)).toBeUndefined();
    full.logicalSubnets.pop();
    expect(nextFreeVlanId(full)).toBe(4094);
  });

  it('derives distinct GUIDs from distinct counters', () => {
    const guids = new Set(Array.from({ length: 1000 }, (_, i) => deterministicGuid('x', i)));
    expect(guids.size).toBe(1000);
  });
});

describe('allocation never returns something in use (property)', () => {
  it('CA, MAC, PA, VSID, routing domain ID and id are free, and using them keeps the document valid', () => {
    fc.assert(
      fc.property(validDocument, fc.nat(), (doc, pick) => {
        expectValid(doc);
        const subnet = doc.virtualSubnets[pick % doc.virtualSubnets.length];
        const network = doc.virtualSubnets
          .filter((s) => s.vmNetworkId === subnet.vmNetworkId)
          .map((s) => s.id);
        const usedCas = new Set(
          doc.vms.flatMap((vm) =>
            vm.nics.filter((n) => network.includes(n.virtualSubnetId)).map((n) => n.caIp),
          ),
        );
        const ca = nextFreeCa(doc, subnet.id);
        if (ca !== undefined) expect(usedCas.has(ca)).toBe(false);
        const mac = nextFreeMac(doc);
        expect(mac).toBeDefined();
        expect(allMacs(doc).has(mac ?? '')).toBe(false);
        const host = doc.hosts[pick % doc.hosts.length];
        const pas = nextFreeProviderAddresses(doc, host.id, 3) ?? [];
        expect(pas).toHaveLength(3);
        for (const pa of pas) expect(providerSpace(doc).has(pa)).toBe(false);
        expect(new Set(pas).size).toBe(3);
        const vsid = nextFreeVsid(doc);
        expect(doc.virtualSubnets.map((s) => s.vsid)).not.toContain(vsid);
        const rdid = newRoutingDomainId(doc);
        expect(doc.vmNetworks.map((n) => n.routingDomainId)).not.toContain(rdid);

        // Use them all: a new VM network + subnet, a VM with the CA and MAC, a new host with the PAs.
        const next: TopologyDocument = JSON.parse(JSON.stringify(doc));
        if (ca !== undefined && mac !== undefined) {
          next.vms.push({
            id: newId(doc, 'vm'),
            name: 'Newcomer',
            hostId: host.id,
            nics: [{ id: newId(doc, 'nic'), name: 'nic0', mac, caIp: ca, virtualSubnetId: subnet.id }],
          });
          if (next.hnvMode === 'v1') {
            // HNVv1 may need one more PA on the host for this VSID.
            const extra = nextFreeProviderAddresses(doc, host.id, 1) ?? [];
            next.hosts.find((h) => h.id === host.id)?.providerAddresses.push(...extra);
          }
        }
        const netId = newId(doc, 'net');
        next.vmNetworks.push({
          id: netId,
          name: 'Fresh',
          tenantId: doc.tenants[0].id,
          routingDomainId: rdid,
        });
        next.virtualSubnets.push({
          id: newId(doc, 'subnet'),
          name: 'Fresh',
          vmNetworkId: netId,
          vsid: vsid ?? 0,
          prefix: '10.200.0.0/24',
          encapsulation: 'nvgre',
        });
        expectValid(next);
      }),
      { numRuns: 60 },
    );
  });

  it('an allocator hands out distinct values on consecutive calls', () => {
    fc.assert(
      fc.property(validDocument, fc.integer({ min: 1, max: 40 }), (doc, n) => {
        const allocator = new AddressAllocator(doc);
        const macs = Array.from({ length: n }, () => allocator.mac());
        expect(new Set(macs).size).toBe(n);
        for (const mac of macs) expect(allMacs(doc).has(mac ?? '')).toBe(false);
        const subnet = doc.logicalSubnets[0];
        const pas = allocator.providerAddresses(subnet, n) ?? [];
        const more = allocator.providerAddresses(subnet, 2) ?? [];
        expect(new Set([...pas, ...more]).size).toBe(n + 2);
        for (const pa of [...pas, ...more]) expect(providerSpace(doc).has(pa)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});

describe('DatacenterBuilder', () => {
  it('builds the multi-tenant figure with allocated PAs, CAs and MACs', () => {
    const b = buildDocument('Built', 'v2');
    const rack1 = b.logicalSubnet({ name: 'Rack 1', prefix: '192.168.1.0/24', vlanId: 11 });
    const rack2 = b.logicalSubnet({ name: 'Rack 2', prefix: '192.168.2.0/24', vlanId: 12 });
    b.router({ name: 'L3' });
    const h1 = b.host({ name: 'Host 1', logicalSubnetId: rack1 });
    const h2 = b.host({
      name: 'Host 2',
      logicalSubnetId: rack2,
      providerAddresses: ['192.168.2.20', '192.168.2.21'],
    });
    const contoso = b.tenant('Contoso');
    const net = b.vmNetwork({ tenantId: contoso, name: 'Contoso Net' });
    const subnet = b.virtualSubnet({ vmNetworkId: net, name: 'Web', prefix: '10.1.1.0/24', vsid: 5001 });
    const sql = b.vm('SQL', { hostId: h1, virtualSubnetId: subnet, caIp: '10.1.1.11' });
    b.vm('Web', { hostId: h2, virtualSubnetId: subnet });
    const doc = b.build();
    expectValid(doc);
    expect(doc.hosts[0].providerAddresses).toEqual(['192.168.1.2', '192.168.1.3']);
    expect(doc.vms.map((vm) => vm.nics[0].caIp)).toEqual(['10.1.1.11', '10.1.1.2']);
    expect(doc.vms[1].nics[0].mac).toBe('00:15:5d:00:00:02');
    expect(sql).toBe('contoso-sql');
    expect(doc.virtualSubnets[0].encapsulation).toBe('vxlan');
    expect(doc.routers[0].interfaces.map((i) => i.ip)).toEqual(['192.168.1.1', '192.168.2.1']);
    expect(doc.layout?.physical[h1].y).toBeGreaterThan(doc.layout?.physical[rack1].y ?? 0);
    expect(doc.layout?.physical[rack1].y).toBeGreaterThan(doc.layout?.physical[doc.routers[0].id].y ?? 0);
    expect(doc.layout?.virtual[sql].y).toBeGreaterThan(doc.layout?.virtual[subnet].y ?? 0);
  });

  it('gives an HNVv1 host one PA per VSID as VMs arrive', () => {
    const b = buildDocument('v1', 'v1');
    const rack = b.logicalSubnet({ name: 'Rack', prefix: '192.168.1.0/24' });
    const host = b.host({ name: 'Host', logicalSubnetId: rack });
    const t = b.tenant('T');
    const n = b.vmNetwork({ tenantId: t, name: 'N' });
    const s1 = b.virtualSubnet({ vmNetworkId: n, name: 'A', prefix: '10.0.1.0/24' });
    const s2 = b.virtualSubnet({ vmNetworkId: n, name: 'B', prefix: '10.0.2.0/24' });
    b.vm('a1', { hostId: host, virtualSubnetId: s1 });
    b.vm('a2', { hostId: host, virtualSubnetId: s1 });
    b.vm('b1', { hostId: host, virtualSubnetId: s2 });
    const doc = b.build();
    expectValid(doc);
    expect(doc.hosts[0].providerAddresses).toEqual(['192.168.1.2', '192.168.1.3']);
    expect(doc.virtualSubnets.map((s) => [s.vsid, s.encapsulation])).toEqual([
      [5001, 'nvgre'],
      [5002, 'nvgre'],
    ]);
  });

  it('throws on an unknown reference', () => {
    expect(() => buildDocument().host({ name: 'H', logicalSubnetId: 'nope' })).toThrow(
      "no logical subnet 'nope'",
    );
  });
});

describe('largeDatacenter', () => {
  it('makes 10,000 VMs on 200 hosts across many tenants, and the document is valid', () => {
    const doc = largeDatacenter({ hosts: 200, vms: 10_000 });
    expect(doc.vms).toHaveLength(10_000);
    expect(doc.hosts).toHaveLength(200);
    expect(doc.tenants.length).toBeGreaterThanOrEqual(50);
    expectValid(doc);
    // Tenants overlap: the same CA appears in several routing domains.
    const first = doc.vms[0].nics[0].caIp;
    expect(doc.vms.filter((vm) => vm.nics[0].caIp === first).length).toBeGreaterThan(1);
    // Every PA is inside the host's logical subnet.
    expect(parseIpv4(doc.hosts[199].providerAddresses[1])).toBeGreaterThan(
      parseIpv4(doc.hosts[0].providerAddresses[0]),
    );
  });

  it('is valid in HNVv1 mode too (one PA per VSID per host)', () => {
    const doc = largeDatacenter({ hosts: 40, vms: 2000, hnvMode: 'v1' });
    expectValid(doc);
    expect(doc.hosts[0].providerAddresses.length).toBeGreaterThan(2);
  });
});
