// Allocation of addresses and identifiers that are free in a document: CAs, MACs, PAs,
// VSIDs, routing domain IDs, object ids. The free functions are for one-off use (the UI);
// `AddressAllocator` indexes a document once and then allocates in amortised O(1), which
// builders use to make 10,000-VM datacenters.
import { formatIpv4, type Ipv4Prefix, ipv4ToNumber, lowestHostAddress, prefixOf } from '../net';
import type { LogicalSubnet, TopologyDocument, VirtualSubnet } from './schema';
import { VSID_MAX, VSID_MIN } from './schema';

/** Hyper-V's MAC pool prefix (Microsoft OUI 00:15:5d). */
export const HYPER_V_MAC_PREFIX = '00:15:5d';
/** Where new VSIDs start: the docs number virtual subnets 5001, 5002, ... */
export const FIRST_SUGGESTED_VSID = 5001;

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** The MAC with this OUI ("00:15:5d") and this 24-bit index. */
export function macInPool(oui: string, index: number): string {
  return `${oui}:${hex2((index >>> 16) & 255)}:${hex2((index >>> 8) & 255)}:${hex2(index & 255)}`;
}

/** FNV-1a, for deterministic GUID-looking ids. */
function fnv1a(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** A GUID-looking, version-4-shaped id derived only from its inputs (deterministic). */
export function deterministicGuid(seedText: string, counter: number): string {
  const text = `${seedText}#${counter}`;
  const a = hex8(fnv1a(text, 1));
  const b = hex8(fnv1a(text, 2));
  const c = hex8(fnv1a(text, 3));
  const d = hex8(fnv1a(text, 4));
  const variant = ((Number.parseInt(c[0], 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

function normaliseGuid(guid: string): string {
  return guid.replace(/[{}]/g, '').toLowerCase();
}

/**
 * Indexes what a document uses and hands out free values. Each allocation is claimed at
 * once, so consecutive calls never return the same value. Objects added to the document
 * afterwards must be announced with the `claim*` methods (the builder does this).
 */
export class AddressAllocator {
  private readonly ids = new Set<string>();
  private readonly macs = new Set<string>();
  private readonly macCursors = new Map<string, number>();
  /** CAs in use per routing domain (VM network id). */
  private readonly cas = new Map<string, Set<number>>();
  private readonly caCursor = new Map<string, number>();
  /** Every address of the provider space that is taken: PAs, router interfaces, gateways. */
  private readonly providerIps = new Set<number>();
  private readonly paCursor = new Map<string, number>();
  private readonly vsids = new Set<number>();
  private vsidCursor = FIRST_SUGGESTED_VSID;
  private readonly routingDomainIds = new Set<string>();
  private routingDomainCounter = 0;
  private readonly seed: string;

  constructor(private readonly doc: TopologyDocument) {
    this.seed = doc.name;
    for (const collection of [
      doc.tenants,
      doc.vmNetworks,
      doc.virtualSubnets,
      doc.acls,
      doc.vms,
      doc.hosts,
      doc.logicalNetworks,
      doc.logicalSubnets,
      doc.routers,
    ]) {
      for (const object of collection) this.ids.add(object.id);
    }
    for (const acl of doc.acls) for (const rule of acl.rules) this.ids.add(rule.id);
    for (const n of doc.vmNetworks) this.routingDomainIds.add(normaliseGuid(n.routingDomainId));
    for (const s of doc.virtualSubnets) this.vsids.add(s.vsid);
    const subnetNetwork = new Map<string, string>();
    for (const s of doc.virtualSubnets) subnetNetwork.set(s.id, s.vmNetworkId);
    for (const vm of doc.vms) {
      for (const nic of vm.nics) {
        this.ids.add(nic.id);
        this.macs.add(nic.mac);
        const vmNetworkId = subnetNetwork.get(nic.virtualSubnetId);
        if (vmNetworkId !== undefined) this.claimCa(vmNetworkId, nic.caIp);
      }
    }
    for (const host of doc.hosts) {
      for (const member of host.teamMembers) this.macs.add(member.mac);
      for (const pa of host.providerAddresses) this.providerIps.add(ipv4ToNumber(pa));
    }
    for (const router of doc.routers) {
      for (const itf of router.interfaces) {
        this.macs.add(itf.mac);
        this.providerIps.add(ipv4ToNumber(itf.ip));
      }
    }
    for (const s of doc.logicalSubnets) this.providerIps.add(ipv4ToNumber(s.defaultGateway));
  }

  // --- claims: values chosen elsewhere (explicit in a scenario, or added by the UI)

  claimId(id: string): void {
    this.ids.add(id);
  }

  claimMac(mac: string): void {
    this.macs.add(mac);
  }

  claimCa(vmNetworkId: string, caIp: string): void {
    const used = this.cas.get(vmNetworkId);
    if (used === undefined) this.cas.set(vmNetworkId, new Set([ipv4ToNumber(caIp)]));
    else used.add(ipv4ToNumber(caIp));
  }

  claimProviderIp(ip: string): void {
    this.providerIps.add(ipv4ToNumber(ip));
  }

  claimVsid(vsid: number): void {
    this.vsids.add(vsid);
  }

  claimRoutingDomainId(guid: string): void {
    this.routingDomainIds.add(normaliseGuid(guid));
  }

  // --- allocations

  /** `prefix-1`, `prefix-2`, ...: the first id not used by any object, vNIC or ACL rule. */
  id(prefix: string): string {
    let n = 1;
    while (this.ids.has(`${prefix}-${n}`)) n++;
    const id = `${prefix}-${n}`;
    this.ids.add(id);
    return id;
  }

  /** `base` itself when free, else `base-2`, `base-3`, ... */
  idLike(base: string): string {
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}-${n}`;
    this.ids.add(id);
    return id;
  }

  /**
   * The next unused MAC of a pool (by default Hyper-V's 00:15:5d:xx:xx:xx; physical NICs
   * and routers use another OUI), or undefined when the pool is exhausted.
   */
  mac(oui: string = HYPER_V_MAC_PREFIX): string | undefined {
    let cursor = this.macCursors.get(oui) ?? 1;
    while (cursor <= 0xffffff) {
      const mac = macInPool(oui, cursor++);
      if (!this.macs.has(mac)) {
        this.macs.add(mac);
        this.macCursors.set(oui, cursor);
        return mac;
      }
    }
    this.macCursors.set(oui, cursor);
    return undefined;
  }

  /**
   * The lowest CA of the subnet that is not its network address, its gateway (the lowest
   * host address, the distributed router's), its broadcast address, nor used in its
   * routing domain. Undefined when the subnet is full.
   */
  ca(subnet: VirtualSubnet): string | undefined {
    const prefix = prefixOf(subnet.prefix);
    let used = this.cas.get(subnet.vmNetworkId);
    if (used === undefined) {
      used = new Set();
      this.cas.set(subnet.vmNetworkId, used);
    }
    const start = Math.max(this.caCursor.get(subnet.id) ?? 0, lowestHostAddress(prefix) + 1);
    for (let address = start; address < prefix.broadcast; address++) {
      if (!used.has(address)) {
        used.add(address);
        this.caCursor.set(subnet.id, address + 1);
        return formatIpv4(address);
      }
    }
    return undefined;
  }

  /**
   * `count` free PAs of a logical subnet, lowest first: not the network, broadcast or
   * default gateway address, no router interface, no PA of any host. Undefined when the
   * logical subnet has fewer free addresses.
   */
  providerAddresses(logicalSubnet: LogicalSubnet, count: number): string[] | undefined {
    const prefix: Ipv4Prefix = prefixOf(logicalSubnet.prefix);
    const found: number[] = [];
    let address = Math.max(this.paCursor.get(logicalSubnet.id) ?? 0, lowestHostAddress(prefix));
    for (; address < prefix.broadcast && found.length < count; address++) {
      if (!this.providerIps.has(address)) found.push(address);
    }
    if (found.length < count) return undefined;
    for (const a of found) this.providerIps.add(a);
    this.paCursor.set(logicalSubnet.id, address);
    return found.map(formatIpv4);
  }

  /** The lowest free VSID from 5001 up (the docs' numbering), else from 4096 up. */
  vsid(): number | undefined {
    for (let v = this.vsidCursor; v <= VSID_MAX; v++) {
      if (!this.vsids.has(v)) {
        this.vsids.add(v);
        this.vsidCursor = v + 1;
        return v;
      }
    }
    for (let v = VSID_MIN; v < FIRST_SUGGESTED_VSID; v++) {
      if (!this.vsids.has(v)) {
        this.vsids.add(v);
        return v;
      }
    }
    return undefined;
  }

  /** A GUID-looking routing domain ID, deterministic for the document and unique in it. */
  routingDomainId(): string {
    for (;;) {
      const guid = deterministicGuid(this.seed, this.routingDomainCounter++);
      if (!this.routingDomainIds.has(guid)) {
        this.routingDomainIds.add(guid);
        return guid;
      }
    }
  }

  /** The document this allocator indexed. */
  get document(): TopologyDocument {
    return this.doc;
  }
}

// --- one-off helpers over a document (each indexes the document afresh: O(n))

/** The next free CA of a virtual subnet, or undefined (unknown subnet, or subnet full). */
export function nextFreeCa(doc: TopologyDocument, virtualSubnetId: string): string | undefined {
  const subnet = doc.virtualSubnets.find((s) => s.id === virtualSubnetId);
  return subnet === undefined ? undefined : new AddressAllocator(doc).ca(subnet);
}

/** The next MAC of the Hyper-V pool (00:15:5d:xx:xx:xx) not used by any vNIC, team member or router. */
export function nextFreeMac(doc: TopologyDocument): string | undefined {
  return new AddressAllocator(doc).mac();
}

/**
 * `count` free PAs from a logical subnet, given the logical subnet's id or a host's id
 * (the host's logical subnet). Undefined when the id is unknown or the subnet is full.
 */
export function nextFreeProviderAddresses(
  doc: TopologyDocument,
  hostOrLogicalSubnetId: string,
  count: number,
): string[] | undefined {
  const host = doc.hosts.find((h) => h.id === hostOrLogicalSubnetId);
  const logicalSubnetId = host === undefined ? hostOrLogicalSubnetId : host.logicalSubnetId;
  const logicalSubnet = doc.logicalSubnets.find((s) => s.id === logicalSubnetId);
  return logicalSubnet === undefined
    ? undefined
    : new AddressAllocator(doc).providerAddresses(logicalSubnet, count);
}

export function nextFreeVsid(doc: TopologyDocument): number | undefined {
  return new AddressAllocator(doc).vsid();
}

export function newRoutingDomainId(doc: TopologyDocument): string {
  return new AddressAllocator(doc).routingDomainId();
}

/** `prefix-N`: the first such id that no object of the topology uses. */
export function newId(doc: TopologyDocument, prefix: string): string {
  return new AddressAllocator(doc).id(prefix);
}

/** The highest usable 802.1Q VLAN ID: 12 bits, with 0 (untagged) and 4095 reserved. */
export const VLAN_ID_MAX = 4094;

/** Every VLAN ID the fabric already uses: provider logical subnets, their trunks, tenant VLANs. */
export function usedVlanIds(doc: TopologyDocument): Set<number> {
  const used = new Set<number>();
  for (const s of doc.logicalSubnets) {
    used.add(s.vlanId);
    for (const v of s.trunkedVlans ?? []) used.add(v);
  }
  for (const s of doc.virtualSubnets)
    if (s.isolation === 'vlan' && s.vlanId !== undefined) used.add(s.vlanId);
  return used;
}

/**
 * The lowest VLAN ID (1..4094) nothing on the fabric uses yet (no logical subnet, trunk or
 * VLAN-isolated virtual subnet), or undefined when all 4094 are taken: the ceiling that
 * VLAN-based tenant isolation runs into (the overlay's VSIDs have 24 bits).
 */
export function nextFreeVlanId(
  doc: TopologyDocument,
  used: Set<number> = usedVlanIds(doc),
): number | undefined {
  for (let vlan = 1; vlan <= VLAN_ID_MAX; vlan++) if (!used.has(vlan)) return vlan;
  return undefined;
}
