// The allocating front of the create actions: asks the engine (in the worker) for the
// next free CA, MAC, PAs, VSID and RDID, then hands the values to a pure action. The
// UI computes no addresses itself; the defaults it does choose (a new subnet's prefix)
// are just suggestions the user types over.
import type { TopologyDocument } from '../../engine/model/schema';
import { engine } from '../../worker/client';
import { newObjectId } from './util';

/** The engine's allocation helpers as the worker exposes them (src/engine/model/allocate.ts). */
export interface Allocator {
  nextFreeCa(doc: TopologyDocument, virtualSubnetId: string): Promise<string | null>;
  nextFreeMac(doc: TopologyDocument): Promise<string>;
  nextFreeProviderAddresses(doc: TopologyDocument, logicalSubnetId: string, count: number): Promise<string[]>;
  nextFreeVsid(doc: TopologyDocument): Promise<number>;
  newRoutingDomainId(doc: TopologyDocument): Promise<string>;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no free ${what} left`);
  return value;
}

export const workerAllocator: Allocator = {
  nextFreeCa: async (doc, virtualSubnetId) => (await engine.nextFreeCa(doc, virtualSubnetId)) ?? null,
  nextFreeMac: async (doc) => must(await engine.nextFreeMac(doc), 'MAC address'),
  nextFreeProviderAddresses: async (doc, logicalSubnetId, count) =>
    must(
      await engine.nextFreeProviderAddresses(doc, logicalSubnetId, count),
      'provider address in that logical subnet',
    ),
  nextFreeVsid: async (doc) => must(await engine.nextFreeVsid(doc), 'VSID'),
  newRoutingDomainId: (doc) => engine.newRoutingDomainId(doc),
};

/** Several MACs in a row: each one is reserved in a scratch copy before asking for the next. */
export async function nextMacs(alloc: Allocator, doc: TopologyDocument, count: number): Promise<string[]> {
  const macs: string[] = [];
  let scratch = doc;
  for (let i = 0; i < count; i++) {
    const mac = await alloc.nextFreeMac(scratch);
    macs.push(mac);
    scratch = reserveMac(scratch, mac);
  }
  return macs;
}

export function reserveMac(doc: TopologyDocument, mac: string): TopologyDocument {
  return {
    ...doc,
    routers: [
      ...doc.routers,
      {
        id: newObjectId('reserved'),
        name: 'reserved',
        interfaces: [{ logicalSubnetId: '', ip: '0.0.0.0', mac }],
      },
    ],
  };
}

export function reserveCa(
  doc: TopologyDocument,
  virtualSubnetId: string,
  caIp: string,
  mac: string,
): TopologyDocument {
  return {
    ...doc,
    vms: [
      ...doc.vms,
      {
        id: newObjectId('reserved'),
        name: 'reserved',
        hostId: '',
        nics: [{ id: newObjectId('reserved'), name: 'reserved', mac, caIp, virtualSubnetId }],
      },
    ],
  };
}

export function reserveVsid(doc: TopologyDocument, vsid: number): TopologyDocument {
  return {
    ...doc,
    virtualSubnets: [
      ...doc.virtualSubnets,
      {
        id: newObjectId('reserved'),
        name: 'reserved',
        vmNetworkId: '',
        vsid,
        prefix: '0.0.0.0/32',
        encapsulation: 'vxlan',
      },
    ],
  };
}

export function reservePas(doc: TopologyDocument, logicalSubnetId: string, pas: string[]): TopologyDocument {
  return {
    ...doc,
    hosts: [
      ...doc.hosts,
      {
        id: newObjectId('reserved'),
        name: 'reserved',
        logicalSubnetId,
        teamMembers: [{ name: 'reserved', mac: '00:00:00:00:00:00' }],
        providerAddresses: pas,
      },
    ],
  };
}

/** How many PAs a host gets: one per team member in HNVv2; HNVv1 adds them per VSID as VMs arrive. */
export function paCount(doc: TopologyDocument, teamSize: number): number {
  return doc.hnvMode === 'v2' ? teamSize : 1;
}

/** A suggested PA subnet: the first 192.168.N.0/24 no logical subnet uses yet. */
export function suggestLogicalSubnet(doc: TopologyDocument): {
  prefix: string;
  gateway: string;
  vlanId: number;
} {
  const used = new Set(doc.logicalSubnets.map((s) => s.prefix));
  for (let n = 1; n < 255; n++) {
    const prefix = `192.168.${n}.0/24`;
    if (!used.has(prefix)) return { prefix, gateway: `192.168.${n}.1`, vlanId: 10 + n };
  }
  return { prefix: '172.16.0.0/24', gateway: '172.16.0.1', vlanId: 0 };
}

/** A suggested virtual subnet prefix: tenants bring their own, so 10.1.1.0/24 first within each VM network. */
export function suggestVirtualPrefix(doc: TopologyDocument, vmNetworkId: string): string {
  const used = new Set(doc.virtualSubnets.filter((s) => s.vmNetworkId === vmNetworkId).map((s) => s.prefix));
  for (let n = 1; n < 255; n++) {
    const prefix = `10.1.${n}.0/24`;
    if (!used.has(prefix)) return prefix;
  }
  return '10.2.0.0/24';
}
