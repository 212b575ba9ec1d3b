// The Network Controller: compiles the document into per-host policy (host agent policy
// store + VFP port configuration) and, on change, pushes only what changed.
import type {
  Acl,
  Host,
  LogicalSubnet,
  Tenant,
  TopologyDocument,
  VirtualSubnet,
  Vm,
  VmNetwork,
  Vnic,
} from '../model/schema';
import { gatewayOf, parsePrefix } from './addr';
import type {
  CustomerRoute,
  HostPolicy,
  LookupRecord,
  PortPolicy,
  ProviderAddressRecord,
  SouthboundUpdate,
} from './types';
import { compilePort } from './vfp';

/** A vNIC with everything it refers to resolved. */
export interface ResolvedVnic {
  vnic: Vnic;
  vm: Vm;
  vmIndex: number;
  host: Host;
  subnet: VirtualSubnet;
  vmNetwork: VmNetwork;
  tenant: Tenant;
  label: string;
}

interface HostState {
  host: Host;
  /** Routing domains with a vNIC on this host, with vNIC counts. */
  rds: Map<string, number>;
  records: Map<string, LookupRecord>;
  routes: Map<string, CustomerRoute>;
  pas: Map<string, ProviderAddressRecord>;
  ports: Map<string, PortPolicy>;
}

export const recordKey = (vsid: number, caIp: string): string => `${vsid}/${caIp}`;
const routeKey = (r: CustomerRoute) => `${r.vsid}/${r.prefix}`;

/** Static lookups over the document's objects (everything but VMs). */
class DocumentIndex {
  tenants = new Map<string, Tenant>();
  vmNetworks = new Map<string, VmNetwork>();
  subnets = new Map<string, VirtualSubnet>();
  acls = new Map<string, Acl>();
  hosts = new Map<string, Host>();
  logicalSubnets = new Map<string, LogicalSubnet>();
  subnetsByRd = new Map<string, VirtualSubnet[]>();
  constructor(doc: TopologyDocument) {
    for (const t of doc.tenants) this.tenants.set(t.id, t);
    for (const n of doc.vmNetworks) this.vmNetworks.set(n.id, n);
    for (const a of doc.acls) this.acls.set(a.id, a);
    for (const h of doc.hosts) this.hosts.set(h.id, h);
    for (const l of doc.logicalSubnets) this.logicalSubnets.set(l.id, l);
    for (const s of doc.virtualSubnets) {
      this.subnets.set(s.id, s);
      const rd = this.vmNetworks.get(s.vmNetworkId)?.routingDomainId ?? '';
      const list = this.subnetsByRd.get(rd) ?? [];
      list.push(s);
      this.subnetsByRd.set(rd, list);
    }
  }
  resolveVm(vm: Vm, vmIndex: number): ResolvedVnic[] {
    const host = this.hosts.get(vm.hostId);
    if (!host) return [];
    const out: ResolvedVnic[] = [];
    for (const vnic of vm.nics) {
      const subnet = this.subnets.get(vnic.virtualSubnetId);
      const vmNetwork = subnet && this.vmNetworks.get(subnet.vmNetworkId);
      const tenant = vmNetwork && this.tenants.get(vmNetwork.tenantId);
      if (!subnet || !vmNetwork || !tenant) continue;
      const label =
        vm.nics.length > 1 ? `${tenant.name}/${vm.name}/${vnic.name}` : `${tenant.name}/${vm.name}`;
      out.push({ vnic, vm, vmIndex, host, subnet, vmNetwork, tenant, label });
    }
    return out;
  }
}

/**
 * PA binding. HNVv2: the vNICs of one VSID on a host are spread round-robin over the SET team
 * members (the n-th vNIC of the VSID, in document order, uses PA n mod #PAs), so the first VM of
 * every subnet uses the host's first PA, as in the docs' figures. HNVv1: the PA of the VSID.
 */
function bindPa(
  doc: TopologyDocument,
  r: ResolvedVnic,
  indexInGroup: number,
  vsidOrder: number[],
): { pa: string; member: number } {
  const pas = r.host.providerAddresses;
  if (pas.length === 0) return { pa: '0.0.0.0', member: 0 };
  if (doc.hnvMode === 'v1') {
    const i = Math.max(0, vsidOrder.indexOf(r.subnet.vsid));
    const k = Math.min(i, pas.length - 1);
    return { pa: pas[k], member: k % r.host.teamMembers.length };
  }
  const k = indexInGroup % Math.min(pas.length, r.host.teamMembers.length);
  return { pa: pas[k], member: k };
}

function providerAddresses(
  doc: TopologyDocument,
  host: Host,
  ls: LogicalSubnet | undefined,
  vsidOrder: number[],
) {
  const prefixLength = ls ? parsePrefix(ls.prefix).length : 0;
  return host.providerAddresses.map((pa, i): ProviderAddressRecord => {
    const member = host.teamMembers[i % host.teamMembers.length];
    const rec: ProviderAddressRecord = {
      pa,
      hostId: host.id,
      logicalSubnetId: host.logicalSubnetId,
      prefixLength,
      vlanId: ls?.vlanId ?? 0,
      teamMember: member.name,
      mac: member.mac,
    };
    if (doc.hnvMode === 'v1' && vsidOrder[i] !== undefined) rec.vsid = vsidOrder[i];
    return rec;
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export class Controller {
  doc: TopologyDocument;
  private index: DocumentIndex;
  private hosts = new Map<string, HostState>();
  /** Lookup records of each routing domain (every host with that RD holds all of them). */
  private rdRecords = new Map<string, Map<string, LookupRecord>>();
  private vnicsByVm = new Map<string, ResolvedVnic[]>();
  private portsById = new Map<string, PortPolicy>();
  private resolvedByVnic = new Map<string, ResolvedVnic>();

  constructor(doc: TopologyDocument) {
    this.doc = doc;
    this.index = new DocumentIndex(doc);
    this.compileAll();
  }

  /** The compiled policy of one host (a fresh plain snapshot). */
  hostPolicy(hostId: string): HostPolicy | null {
    const s = this.hosts.get(hostId);
    if (!s) return null;
    return {
      hostId,
      hostName: s.host.name,
      lookupRecords: [...s.records.values()],
      customerRoutes: [...s.routes.values()],
      providerAddresses: [...s.pas.values()],
      ports: [...s.ports.values()],
    };
  }

  hostIds(): string[] {
    return [...this.hosts.keys()];
  }

  /** Host-agent view used by the data plane (live maps, not copies). */
  hostState(hostId: string): HostState | undefined {
    return this.hosts.get(hostId);
  }

  resolved(vnicId: string): ResolvedVnic | undefined {
    return this.resolvedByVnic.get(vnicId);
  }

  allResolved(): Iterable<ResolvedVnic> {
    return this.resolvedByVnic.values();
  }

  subnetsOfRd(rd: string): VirtualSubnet[] {
    return this.index.subnetsByRd.get(rd) ?? [];
  }

  /** Every object as an 'add': the initial southbound push. */
  initialUpdates(): SouthboundUpdate[] {
    const out: SouthboundUpdate[] = [];
    for (const [hostId, s] of this.hosts) {
      for (const [key, providerAddress] of s.pas)
        out.push({ hostId, kind: 'provider-address', op: 'add', key, providerAddress });
      for (const [key, record] of s.records)
        out.push({ hostId, kind: 'lookup-record', op: 'add', key, record });
      for (const [key, route] of s.routes)
        out.push({ hostId, kind: 'customer-route', op: 'add', key, route });
      for (const [key, port] of s.ports) out.push({ hostId, kind: 'port', op: 'add', key, port });
    }
    return out;
  }

  private compileAll(): void {
    const doc = this.doc;
    this.hosts.clear();
    this.rdRecords.clear();
    this.vnicsByVm.clear();
    this.portsById.clear();
    this.resolvedByVnic.clear();
    for (const h of doc.hosts)
      this.hosts.set(h.id, {
        host: h,
        rds: new Map(),
        records: new Map(),
        routes: new Map(),
        pas: new Map(),
        ports: new Map(),
      });
    doc.vms.forEach((vm, i) => {
      const list = this.index.resolveVm(vm, i);
      this.vnicsByVm.set(vm.id, list);
      for (const r of list) this.resolvedByVnic.set(r.vnic.id, r);
    });
    for (const hostId of this.hosts.keys()) this.rebuildHost(hostId);
    for (const s of this.hosts.values()) this.refillStore(s);
  }

  /** vNICs of a host in document order, with the host's VSID first-use order. */
  private hostVnics(hostId: string): { vnics: ResolvedVnic[]; vsidOrder: number[] } {
    const vnics: ResolvedVnic[] = [];
    for (const r of this.resolvedByVnic.values()) if (r.host.id === hostId) vnics.push(r);
    vnics.sort((a, b) => a.vmIndex - b.vmIndex);
    const vsidOrder: number[] = [];
    for (const r of vnics) if (!vsidOrder.includes(r.subnet.vsid)) vsidOrder.push(r.subnet.vsid);
    return { vnics, vsidOrder };
  }

  /** Recompute one host's ports and PA bindings; returns the lookup records its vNICs now own. */
  private rebuildHost(hostId: string): void {
    const s = this.hosts.get(hostId);
    if (!s) return;
    const { vnics, vsidOrder } = this.hostVnics(hostId);
    const ls = this.index.logicalSubnets.get(s.host.logicalSubnetId);
    s.pas = new Map(providerAddresses(this.doc, s.host, ls, vsidOrder).map((p) => [p.pa, p]));
    // Remove this host's old records from their RDs, then add the new ones.
    for (const [, recs] of this.rdRecords) for (const [k, r] of recs) if (r.hostId === hostId) recs.delete(k);
    const groupCount = new Map<number, number>();
    s.ports = new Map();
    s.rds = new Map();
    for (const r of vnics) {
      const n = groupCount.get(r.subnet.vsid) ?? 0;
      groupCount.set(r.subnet.vsid, n + 1);
      const { pa, member } = bindPa(this.doc, r, n, vsidOrder);
      const rd = r.vmNetwork.routingDomainId;
      s.rds.set(rd, (s.rds.get(rd) ?? 0) + 1);
      const record: LookupRecord = {
        caIp: r.vnic.caIp,
        vsid: r.subnet.vsid,
        mac: r.vnic.mac,
        pa,
        routingDomainId: rd,
        rule: 'TranslationMethodEncap',
        encapsulation: r.subnet.encapsulation,
        vmId: r.vm.id,
        vnicId: r.vnic.id,
        hostId,
        vmLabel: r.label,
      };
      let recs = this.rdRecords.get(rd);
      if (!recs) {
        recs = new Map();
        this.rdRecords.set(rd, recs);
      }
      recs.set(recordKey(record.vsid, record.caIp), record);
      const teamMember = s.host.teamMembers[member] ?? s.host.teamMembers[0];
      const port = compilePort({
        portId: r.vnic.id,
        vnicId: r.vnic.id,
        vmId: r.vm.id,
        vmLabel: r.label,
        mac: r.vnic.mac,
        caIp: r.vnic.caIp,
        subnet: r.subnet,
        vmNetwork: r.vmNetwork,
        host: s.host,
        logicalSubnet: ls ?? {
          id: '',
          name: '?',
          logicalNetworkId: '',
          prefix: '0.0.0.0/0',
          vlanId: 0,
          defaultGateway: '0.0.0.0',
          mtu: 1500,
        },
        pa,
        teamMember: teamMember.name,
        teamMac: teamMember.mac,
        subnetAcl: r.subnet.aclId ? this.index.acls.get(r.subnet.aclId) : undefined,
        portAcl: r.vnic.aclId ? this.index.acls.get(r.vnic.aclId) : undefined,
      });
      s.ports.set(port.portId, port);
      this.portsById.set(port.portId, port);
    }
  }

  /** Refill a host's policy store (records + routes) from the RDs it holds. */
  private refillStore(s: HostState): void {
    s.records = new Map();
    s.routes = new Map();
    for (const rd of s.rds.keys()) {
      for (const [k, r] of this.rdRecords.get(rd) ?? []) s.records.set(k, r);
      for (const sub of this.index.subnetsByRd.get(rd) ?? []) {
        const net = this.index.vmNetworks.get(sub.vmNetworkId);
        const route: CustomerRoute = {
          routingDomainId: rd,
          vmNetworkName: net?.name ?? '',
          vsid: sub.vsid,
          prefix: sub.prefix,
          gateway: gatewayOf(sub.prefix),
          nextHop: '0.0.0.0',
          metric: 256,
        };
        s.routes.set(routeKey(route), route);
      }
    }
  }

  private snapshot(hostIds: Iterable<string>) {
    const snap = new Map<
      string,
      {
        records: Map<string, LookupRecord>;
        routes: Map<string, CustomerRoute>;
        pas: Map<string, ProviderAddressRecord>;
        ports: Map<string, PortPolicy>;
      }
    >();
    for (const id of hostIds) {
      const s = this.hosts.get(id);
      if (s) snap.set(id, { records: s.records, routes: s.routes, pas: s.pas, ports: s.ports });
    }
    return snap;
  }

  /**
   * Apply a new document. Only VMs changed (moved, added, removed, edited): recompute the hosts
   * they left and joined and push the changed records to every host of their routing domains.
   * Anything else changed: recompile everything, then diff. Either way only differences go south.
   */
  apply(next: TopologyDocument): SouthboundUpdate[] {
    const prev = this.doc;
    const onlyVms =
      sameJson(prev.hnvMode, next.hnvMode) &&
      sameJson(prev.tenants, next.tenants) &&
      sameJson(prev.vmNetworks, next.vmNetworks) &&
      sameJson(prev.virtualSubnets, next.virtualSubnets) &&
      sameJson(prev.acls, next.acls) &&
      sameJson(prev.hosts, next.hosts) &&
      sameJson(prev.logicalSubnets, next.logicalSubnets);
    if (!onlyVms) {
      const before = this.snapshot(this.hosts.keys());
      const beforeHosts = new Map([...this.hosts].map(([id, s]) => [id, s.host]));
      this.doc = next;
      this.index = new DocumentIndex(next);
      this.compileAll();
      const ids = new Set([...beforeHosts.keys(), ...this.hosts.keys()]);
      return this.diff(before, ids);
    }
    // Changed VMs by reference, then by content.
    const prevById = new Map<string, Vm>();
    for (const vm of prev.vms) prevById.set(vm.id, vm);
    const touchedHosts = new Set<string>();
    const touchedRds = new Set<string>();
    const seen = new Set<string>();
    next.vms.forEach((vm, i) => {
      seen.add(vm.id);
      const old = prevById.get(vm.id);
      const oldIndex = old ? this.vnicsByVm.get(vm.id)?.[0]?.vmIndex : undefined;
      if (old === vm && oldIndex === i) return;
      if (old && oldIndex === i && sameJson(old, vm)) return;
      for (const r of this.vnicsByVm.get(vm.id) ?? []) {
        touchedHosts.add(r.host.id);
        touchedRds.add(r.vmNetwork.routingDomainId);
        this.resolvedByVnic.delete(r.vnic.id);
        this.portsById.delete(r.vnic.id);
      }
      const list = this.index.resolveVm(vm, i);
      this.vnicsByVm.set(vm.id, list);
      for (const r of list) {
        this.resolvedByVnic.set(r.vnic.id, r);
        touchedHosts.add(r.host.id);
        touchedRds.add(r.vmNetwork.routingDomainId);
      }
    });
    for (const vm of prev.vms) {
      if (seen.has(vm.id)) continue;
      for (const r of this.vnicsByVm.get(vm.id) ?? []) {
        touchedHosts.add(r.host.id);
        touchedRds.add(r.vmNetwork.routingDomainId);
        this.resolvedByVnic.delete(r.vnic.id);
        this.portsById.delete(r.vnic.id);
      }
      this.vnicsByVm.delete(vm.id);
    }
    this.doc = next;
    if (touchedHosts.size === 0) return [];
    // Hosts whose policy store may change: every host holding a touched RD (before or after).
    const affected = new Set<string>(touchedHosts);
    for (const [id, s] of this.hosts) for (const rd of touchedRds) if (s.rds.has(rd)) affected.add(id);
    const before = this.snapshot(affected);
    for (const id of touchedHosts) this.rebuildHost(id);
    for (const [id, s] of this.hosts) for (const rd of touchedRds) if (s.rds.has(rd)) affected.add(id);
    for (const id of affected) {
      const s = this.hosts.get(id);
      if (s) this.refillStore(s);
    }
    return this.diff(before, affected);
  }

  private diff(before: ReturnType<Controller['snapshot']>, hostIds: Iterable<string>): SouthboundUpdate[] {
    const out: SouthboundUpdate[] = [];
    for (const hostId of hostIds) {
      const b = before.get(hostId);
      const a = this.hosts.get(hostId);
      const empty = new Map();
      diffMaps(b?.pas ?? empty, a?.pas ?? empty, (op, key, providerAddress: ProviderAddressRecord) =>
        out.push({ hostId, kind: 'provider-address', op, key, providerAddress }),
      );
      diffMaps(b?.records ?? empty, a?.records ?? empty, (op, key, record: LookupRecord) =>
        out.push({ hostId, kind: 'lookup-record', op, key, record }),
      );
      diffMaps(b?.routes ?? empty, a?.routes ?? empty, (op, key, route: CustomerRoute) =>
        out.push({ hostId, kind: 'customer-route', op, key, route }),
      );
      diffMaps(b?.ports ?? empty, a?.ports ?? empty, (op, key, port: PortPolicy) =>
        out.push({ hostId, kind: 'port', op, key, port }),
      );
    }
    return out;
  }
}

function diffMaps<T>(
  before: Map<string, T>,
  after: Map<string, T>,
  emit: (op: 'add' | 'update' | 'remove', key: string, value: T) => void,
): void {
  for (const [k, v] of after) {
    const old = before.get(k);
    if (old === undefined) emit('add', k, v);
    else if (old !== v && !sameJson(old, v)) emit('update', k, v);
  }
  for (const [k, v] of before) if (!after.has(k)) emit('remove', k, v);
}
