// A fluent builder for valid documents: scenarios, tests and benchmarks describe a
// datacenter in a few lines and let the allocator pick CAs, MACs, PAs, VSIDs and ids.
// Misuse (an unknown reference, a full subnet) throws: it is a bug in the caller.

import { formatIpv4, JUMBO_IP_MTU, lowestHostAddress, prefixOf } from '../net';
import { AddressAllocator } from './allocate';
import { autoLayout } from './layout';
import {
  type AclRule,
  type Encapsulation,
  emptyDocument,
  type HnvMode,
  type LogicalSubnet,
  type TopologyDocument,
  type VirtualSubnet,
  type Vnic,
} from './schema';

/** Physical NICs and routers get MACs from this pool, Hyper-V vNICs from 00:15:5d. */
export const PHYSICAL_MAC_OUI = '00:1d:d8';

function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'object' : s;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(what);
  return value;
}

export interface LogicalSubnetSpec {
  name: string;
  prefix: string;
  vlanId?: number;
  /** Default: the lowest host address of the prefix. */
  defaultGateway?: string;
  /** The IP MTU. Default 9000: jumbo frames, as recommended for HNV (a 9014-byte frame). */
  mtu?: number;
  /** Tenant VLANs trunked to this logical subnet's hosts (VLAN isolation). */
  trunkedVlans?: number[];
  /** Default: the first logical network, created as "HNV PA" if there is none. */
  logicalNetworkId?: string;
  id?: string;
}

export interface HostSpec {
  name: string;
  logicalSubnetId: string;
  /** Team member names, or how many (default 2: NIC1, NIC2). */
  teamMembers?: number | string[];
  /** Default: allocated (HNVv2: one per team member; HNVv1: one per VSID, as VMs arrive). */
  providerAddresses?: string[];
  id?: string;
}

export interface RouterSpec {
  name: string;
  /** Default: every logical subnet. Each interface takes its subnet's default gateway address. */
  logicalSubnetIds?: string[];
  id?: string;
}

export interface VmNetworkSpec {
  tenantId: string;
  name: string;
  routingDomainId?: string;
  id?: string;
}

export interface VirtualSubnetSpec {
  vmNetworkId: string;
  name: string;
  prefix: string;
  vsid?: number;
  /** Default: VXLAN in HNVv2, NVGRE in HNVv1. */
  encapsulation?: Encapsulation;
  aclId?: string;
  /** VLAN isolation instead of the overlay: the tenant VLAN (the VSID stays internal). */
  vlanId?: number;
  id?: string;
}

export type AclRuleSpec = Omit<AclRule, 'id'> & { id?: string };

export interface AclSpec {
  name: string;
  defaultAction?: 'allow' | 'deny';
  rules?: AclRuleSpec[];
  id?: string;
}

export interface VnicSpec {
  virtualSubnetId: string;
  caIp?: string;
  mac?: string;
  aclId?: string;
  name?: string;
  id?: string;
}

export interface VmSpec extends VnicSpec {
  hostId: string;
  /** Further adapters (the first one is described by the VmSpec itself). */
  moreNics?: VnicSpec[];
}

export class DatacenterBuilder {
  private readonly doc: TopologyDocument;
  private readonly allocator: AddressAllocator;
  private readonly logicalSubnets = new Map<string, LogicalSubnet>();
  private readonly subnets = new Map<string, VirtualSubnet>();
  private readonly tenantOfNetwork = new Map<string, string>();
  private readonly hostIndex = new Map<string, number>();
  /** HNVv1: the VSIDs already given a PA on each host. */
  private readonly vsidsWithPa = new Map<string, Set<number>>();
  /** Hosts whose PAs the caller fixed: the builder never adds to them. */
  private readonly fixedPas = new Set<string>();

  constructor(name = 'Datacenter', hnvMode: HnvMode = 'v2') {
    this.doc = emptyDocument(name, hnvMode);
    this.allocator = new AddressAllocator(this.doc);
  }

  get hnvMode(): HnvMode {
    return this.doc.hnvMode;
  }

  logicalNetwork(name: string, id?: string): string {
    const objectId = this.newId(id, slug(name));
    this.doc.logicalNetworks.push({ id: objectId, name });
    return objectId;
  }

  logicalSubnet(spec: LogicalSubnetSpec): string {
    const logicalNetworkId =
      spec.logicalNetworkId ?? this.doc.logicalNetworks[0]?.id ?? this.logicalNetwork('HNV PA');
    const prefix = prefixOf(spec.prefix);
    const subnet: LogicalSubnet = {
      id: this.newId(spec.id, slug(spec.name)),
      name: spec.name,
      logicalNetworkId,
      prefix: spec.prefix,
      vlanId: spec.vlanId ?? 0,
      defaultGateway: spec.defaultGateway ?? formatIpv4(lowestHostAddress(prefix)),
      mtu: spec.mtu ?? JUMBO_IP_MTU,
    };
    if (spec.trunkedVlans !== undefined) subnet.trunkedVlans = [...spec.trunkedVlans];
    this.allocator.claimProviderIp(subnet.defaultGateway);
    this.doc.logicalSubnets.push(subnet);
    this.logicalSubnets.set(subnet.id, subnet);
    return subnet.id;
  }

  router(spec: RouterSpec): string {
    const ids = spec.logicalSubnetIds ?? this.doc.logicalSubnets.map((s) => s.id);
    const id = this.newId(spec.id, slug(spec.name));
    this.doc.routers.push({
      id,
      name: spec.name,
      interfaces: ids.map((logicalSubnetId) => ({
        logicalSubnetId,
        ip: this.logicalSubnet$(logicalSubnetId).defaultGateway,
        mac: required(this.allocator.mac(PHYSICAL_MAC_OUI), 'the physical MAC pool is exhausted'),
      })),
    });
    return id;
  }

  host(spec: HostSpec): string {
    const logicalSubnet = this.logicalSubnet$(spec.logicalSubnetId);
    const names =
      typeof spec.teamMembers === 'object'
        ? spec.teamMembers
        : Array.from({ length: spec.teamMembers ?? 2 }, (_, i) => `NIC${i + 1}`);
    const id = this.newId(spec.id, slug(spec.name));
    let providerAddresses: string[];
    if (spec.providerAddresses !== undefined) {
      providerAddresses = [...spec.providerAddresses];
      for (const pa of providerAddresses) this.allocator.claimProviderIp(pa);
      this.fixedPas.add(id);
    } else if (this.doc.hnvMode === 'v2') {
      providerAddresses = required(
        this.allocator.providerAddresses(logicalSubnet, names.length),
        `logical subnet '${logicalSubnet.name}' has no room for ${names.length} more PAs`,
      );
    } else {
      providerAddresses = [];
    }
    this.hostIndex.set(id, this.doc.hosts.length);
    this.doc.hosts.push({
      id,
      name: spec.name,
      logicalSubnetId: logicalSubnet.id,
      teamMembers: names.map((name) => ({
        name,
        mac: required(this.allocator.mac(PHYSICAL_MAC_OUI), 'the physical MAC pool is exhausted'),
      })),
      providerAddresses,
    });
    return id;
  }

  tenant(name: string, id?: string): string {
    const objectId = this.newId(id, slug(name));
    this.doc.tenants.push({ id: objectId, name });
    return objectId;
  }

  vmNetwork(spec: VmNetworkSpec): string {
    const tenant = required(
      this.doc.tenants.find((t) => t.id === spec.tenantId),
      `no tenant '${spec.tenantId}'`,
    );
    const id = this.newId(spec.id, `${tenant.id}-${slug(spec.name)}`);
    let routingDomainId = spec.routingDomainId;
    if (routingDomainId === undefined) routingDomainId = this.allocator.routingDomainId();
    else this.allocator.claimRoutingDomainId(routingDomainId);
    this.doc.vmNetworks.push({ id, name: spec.name, tenantId: spec.tenantId, routingDomainId });
    this.tenantOfNetwork.set(id, tenant.id);
    return id;
  }

  virtualSubnet(spec: VirtualSubnetSpec): string {
    const tenantId = required(
      this.tenantOfNetwork.get(spec.vmNetworkId),
      `no VM network '${spec.vmNetworkId}'`,
    );
    let vsid = spec.vsid;
    if (vsid === undefined) vsid = required(this.allocator.vsid(), 'no VSID left');
    else this.allocator.claimVsid(vsid);
    const subnet: VirtualSubnet = {
      id: this.newId(spec.id, `${tenantId}-${slug(spec.name)}`),
      name: spec.name,
      vmNetworkId: spec.vmNetworkId,
      vsid,
      prefix: spec.prefix,
      encapsulation: spec.encapsulation ?? (this.doc.hnvMode === 'v2' ? 'vxlan' : 'nvgre'),
    };
    if (spec.aclId !== undefined) subnet.aclId = spec.aclId;
    if (spec.vlanId !== undefined) {
      subnet.isolation = 'vlan';
      subnet.vlanId = spec.vlanId;
    }
    this.doc.virtualSubnets.push(subnet);
    this.subnets.set(subnet.id, subnet);
    return subnet.id;
  }

  acl(spec: AclSpec): string {
    const id = this.newId(spec.id, slug(spec.name));
    this.doc.acls.push({
      id,
      name: spec.name,
      defaultAction: spec.defaultAction ?? 'allow',
      rules: (spec.rules ?? []).map((rule) => ({
        ...rule,
        id: this.newId(rule.id, `${id}-${slug(rule.name)}`),
      })),
    });
    return id;
  }

  /** A VM with one vNIC (plus `moreNics`); CA and MAC are allocated unless given. */
  vm(name: string, spec: VmSpec): string {
    const hostIndex = required(this.hostIndex.get(spec.hostId), `no host '${spec.hostId}'`);
    const firstSubnet = this.subnet$(spec.virtualSubnetId);
    const tenantId = this.tenantOfNetwork.get(firstSubnet.vmNetworkId) ?? 'vm';
    const id = this.newId(spec.id, `${tenantId}-${slug(name)}`);
    const nicSpecs = [spec, ...(spec.moreNics ?? [])];
    const nics = nicSpecs.map((nicSpec, i) => this.vnic(id, nicSpec, i));
    this.doc.vms.push({ id, name, hostId: spec.hostId, nics });
    if (this.doc.hnvMode === 'v1' && !this.fixedPas.has(spec.hostId)) {
      const host = this.doc.hosts[hostIndex];
      let vsids = this.vsidsWithPa.get(host.id);
      if (vsids === undefined) {
        vsids = new Set();
        this.vsidsWithPa.set(host.id, vsids);
      }
      for (const nic of nics) {
        const vsid = this.subnet$(nic.virtualSubnetId).vsid;
        if (vsids.has(vsid)) continue;
        vsids.add(vsid);
        const [pa] = required(
          this.allocator.providerAddresses(this.logicalSubnet$(host.logicalSubnetId), 1),
          `logical subnet '${host.logicalSubnetId}' has no room for another PA`,
        );
        host.providerAddresses.push(pa);
      }
    }
    return id;
  }

  private vnic(vmId: string, spec: VnicSpec, index: number): Vnic {
    const subnet = this.subnet$(spec.virtualSubnetId);
    let caIp = spec.caIp;
    if (caIp === undefined)
      caIp = required(this.allocator.ca(subnet), `virtual subnet '${subnet.name}' is full`);
    else this.allocator.claimCa(subnet.vmNetworkId, caIp);
    let mac = spec.mac;
    if (mac === undefined) mac = required(this.allocator.mac(), 'the Hyper-V MAC pool is exhausted');
    else this.allocator.claimMac(mac);
    const nic: Vnic = {
      id: this.newId(spec.id, `${vmId}-nic${index}`),
      name: spec.name ?? `nic${index}`,
      mac,
      caIp,
      virtualSubnetId: subnet.id,
    };
    if (spec.aclId !== undefined) nic.aclId = spec.aclId;
    return nic;
  }

  /** The document, with default canvas positions unless `layout: false`. */
  build(options: { layout?: boolean } = {}): TopologyDocument {
    const doc = JSON.parse(JSON.stringify(this.doc)) as TopologyDocument;
    doc.layout = options.layout === false ? { physical: {}, virtual: {} } : autoLayout(doc);
    return doc;
  }

  private newId(explicit: string | undefined, base: string): string {
    if (explicit === undefined) return this.allocator.idLike(base);
    this.allocator.claimId(explicit);
    return explicit;
  }

  private logicalSubnet$(id: string): LogicalSubnet {
    return required(this.logicalSubnets.get(id), `no logical subnet '${id}'`);
  }

  private subnet$(id: string): VirtualSubnet {
    return required(this.subnets.get(id), `no virtual subnet '${id}'`);
  }
}

export function buildDocument(name?: string, hnvMode?: HnvMode): DatacenterBuilder {
  return new DatacenterBuilder(name, hnvMode);
}

export interface LargeDatacenterOptions {
  hosts?: number;
  vms?: number;
  /** Default: one per 200 VMs. */
  tenants?: number;
  subnetsPerTenant?: number;
  hostsPerRack?: number;
  hnvMode?: HnvMode;
  /** Canvas positions cost time at this size; off by default. */
  layout?: boolean;
}

/**
 * A big valid datacenter for benchmarks: racks of hosts on their own logical subnets
 * joined by one router, many tenants whose CAs overlap (every tenant uses 10.s.0.0/16),
 * VMs spread round-robin over hosts. Deterministic.
 */
export function largeDatacenter(options: LargeDatacenterOptions = {}): TopologyDocument {
  const hostCount = options.hosts ?? 200;
  const vmCount = options.vms ?? 10_000;
  const tenantCount = options.tenants ?? Math.max(1, Math.ceil(vmCount / 200));
  const subnetsPerTenant = options.subnetsPerTenant ?? 2;
  const hostsPerRack = options.hostsPerRack ?? 20;
  const hnvMode = options.hnvMode ?? 'v2';
  const b = new DatacenterBuilder(`Large datacenter (${hostCount} hosts, ${vmCount} VMs)`, hnvMode);

  // PAs per host: 2 in v2; in v1 one per VSID with a VM on the host (at most this many).
  const vsidsPerHost = Math.min(tenantCount * subnetsPerTenant, Math.ceil(vmCount / Math.max(1, hostCount)));
  const addressesPerRack = hostsPerRack * (hnvMode === 'v2' ? 2 : vsidsPerHost) + 4;
  const rackBits = Math.max(8, Math.ceil(Math.log2(addressesPerRack)));
  const rackCount = Math.ceil(hostCount / hostsPerRack);
  const racks: string[] = [];
  for (let r = 0; r < rackCount; r++) {
    const base = (((172 << 24) | (16 << 16)) >>> 0) + r * 2 ** rackBits;
    racks.push(
      b.logicalSubnet({
        name: `Rack ${r + 1}`,
        prefix: `${formatIpv4(base)}/${32 - rackBits}`,
        vlanId: 100 + r,
      }),
    );
  }
  if (rackCount > 1) b.router({ name: 'Spine' });
  const hosts: string[] = [];
  for (let h = 0; h < hostCount; h++) {
    hosts.push(b.host({ name: `Host ${h + 1}`, logicalSubnetId: racks[Math.floor(h / hostsPerRack)] }));
  }
  const webAcl = b.acl({
    name: 'Web tier',
    defaultAction: 'deny',
    rules: [
      {
        name: 'http in',
        priority: 100,
        direction: 'inbound',
        action: 'allow',
        protocol: 'tcp',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '80',
      },
      {
        name: 'icmp in',
        priority: 110,
        direction: 'inbound',
        action: 'allow',
        protocol: 'icmp',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '*',
      },
      {
        name: 'all out',
        priority: 100,
        direction: 'outbound',
        action: 'allow',
        protocol: 'all',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '*',
      },
    ],
  });
  const subnets: string[][] = [];
  const vmsPerSubnet = Math.ceil(vmCount / (tenantCount * subnetsPerTenant));
  const subnetBits = Math.max(8, Math.ceil(Math.log2(vmsPerSubnet + 3)));
  for (let t = 0; t < tenantCount; t++) {
    const tenant = b.tenant(`Tenant ${t + 1}`);
    const network = b.vmNetwork({ tenantId: tenant, name: 'Net' });
    const list: string[] = [];
    for (let s = 0; s < subnetsPerTenant; s++) {
      const base = (((10 << 24) >>> 0) + s * 2 ** subnetBits) >>> 0;
      list.push(
        b.virtualSubnet({
          vmNetworkId: network,
          name: `Subnet ${s + 1}`,
          prefix: `${formatIpv4(base)}/${32 - subnetBits}`,
          aclId: s === 0 ? webAcl : undefined,
        }),
      );
    }
    subnets.push(list);
  }
  for (let i = 0; i < vmCount; i++) {
    const t = i % tenantCount;
    const s = Math.floor(i / tenantCount) % subnetsPerTenant;
    // Consecutive VMs share a host, so every host carries VMs of many tenants.
    const host = hosts[Math.floor((i * hostCount) / vmCount)];
    b.vm(`VM ${Math.floor(i / tenantCount) + 1}`, { hostId: host, virtualSubnetId: subnets[t][s] });
  }
  return b.build({ layout: options.layout ?? false });
}

/** A rule spec with the usual wildcards filled in. */
export function aclRule(
  rule: Pick<AclRule, 'name' | 'priority' | 'direction' | 'action'> & Partial<Omit<AclRule, 'id'>>,
): AclRuleSpec {
  return {
    protocol: 'all',
    sourceAddressPrefix: '*',
    sourcePortRange: '*',
    destinationAddressPrefix: '*',
    destinationPortRange: '*',
    ...rule,
  };
}
