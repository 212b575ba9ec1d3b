// The Network Controller: compiles the document into per-host policy (host agent policy
// store + VFP port configuration) and, on change, pushes only what changed. Beside it:
// documentIndex.ts (what it compiles from), paBinding.ts (which PA a vNIC uses), delta.ts
// (what a VM change did) and diff.ts (old vs new compiled state).
import type { Host, LogicalSubnet, TopologyDocument, VirtualSubnet, Vm } from '../model/schema';
import { type Delta, notePort, noteRecord, type RecordChange, type Released } from './delta';
import { diffMaps, diffVmsByPosition, heldDiff, routeMaps, sameJson, sameRecord } from './diff';
import { DocumentIndex, type ResolvedVnic, recordKey } from './documentIndex';
import { bindPas, PaBinding, providerAddresses } from './paBinding';
import type { Routing } from './routing';
import { sameSlbPortPolicy, slbNatLayer, slbSignature } from './slb';
import type {
  CustomerRoute,
  HostPolicy,
  LookupRecord,
  PortPolicy,
  ProviderAddressRecord,
  SouthboundUpdate,
} from './types';
import { compilePort, type GroupCache } from './vfp';

export { type ResolvedVnic, recordKey } from './documentIndex';

interface HostState {
  host: Host;
  /** Routing domains with a vNIC on this host, with vNIC counts. The host's policy store holds every record of these. */
  rds: Map<string, number>;
  pas: Map<string, ProviderAddressRecord>;
  ports: Map<string, PortPolicy>;
  /** The lookup records this host's vNICs set, keyed 'vsid/ca', in vNIC order (kept by rebuildHost). */
  owned: Map<string, LookupRecord>;
}

/** What a port policy is compiled from, besides the subnet, ACLs and host (which force a full recompile). */
type PortSignature = [string, string, string, string, string, string, string, string, string];

/** Field by field: the strings are mostly the very same objects, so this is pointer compares. */
function sameSignature(a: PortSignature | undefined, b: PortSignature): boolean {
  if (!a) return false;
  for (let i = 0; i < 9; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Controller {
  doc: TopologyDocument;
  private index: DocumentIndex;
  private hosts = new Map<string, HostState>();
  /** Lookup records of each routing domain: every host holding the RD serves all of them. */
  private rdRecords = new Map<string, Map<string, LookupRecord>>();
  private vnicsByVm = new Map<string, ResolvedVnic[]>();
  private vnicsByHost = new Map<string, Set<string>>();
  private resolvedByVnic = new Map<string, ResolvedVnic>();
  /** Shared VFP groups (valid while subnets, ACLs and hosts don't change). */
  private groupCache: GroupCache = new Map();
  /** A cheap identity of each compiled port: what it was compiled from. */
  private portSignature = new Map<string, PortSignature>();

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
      lookupRecords: [...this.hostRecords(s).values()],
      customerRoutes: [...this.hostRoutes(s).values()],
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

  /** The host agent's CA-PA lookup: only records of routing domains present on the host (or peered with one). */
  lookup(hostId: string, vsid: number, caIp: string): LookupRecord | undefined {
    const s = this.hosts.get(hostId);
    const rd = this.index.rdOfVsid.get(vsid);
    if (!s || rd === undefined || !this.holds(s, rd)) return undefined;
    return this.rdRecords.get(rd)?.get(recordKey(vsid, caIp));
  }

  /** Where a CA of a VSID lives now, whichever host asks (the controller's own view). */
  locate(vsid: number, caIp: string): LookupRecord | undefined {
    const rd = this.index.rdOfVsid.get(vsid);
    return rd === undefined ? undefined : this.rdRecords.get(rd)?.get(recordKey(vsid, caIp));
  }

  /** The record whose vNIC has this MAC, in any VSID (for explaining a drop: a scan). */
  locateMac(mac: string): LookupRecord | undefined {
    for (const records of this.rdRecords.values())
      for (const r of records.values()) if (r.mac === mac) return r;
    return undefined;
  }

  /** Every record of one VSID in a host's policy store. */
  recordsOfVsid(hostId: string, vsid: number): LookupRecord[] {
    const s = this.hosts.get(hostId);
    const rd = this.index.rdOfVsid.get(vsid);
    if (!s || rd === undefined || !this.holds(s, rd)) return [];
    return [...(this.rdRecords.get(rd)?.values() ?? [])].filter((r) => r.vsid === vsid);
  }

  resolved(vnicId: string): ResolvedVnic | undefined {
    return this.resolvedByVnic.get(vnicId);
  }

  subnetsOfRd(rd: string): VirtualSubnet[] {
    return this.index.subnetsByRd.get(rd) ?? [];
  }

  /** Peering and user-defined routes, and the distributed router's route lookup (routing.ts). */
  get routing(): Routing {
    return this.index.routing;
  }

  /** The host holds a routing domain's records: a vNIC of it is here, or of a domain with routes into it (peering). */
  private holds(s: HostState, rd: string): boolean {
    if (s.rds.has(rd)) return true;
    const from = this.index.routing.reachableFrom.get(rd);
    if (from) for (const peer of from) if (s.rds.has(peer)) return true;
    return false;
  }

  private hostRecords(s: HostState): Map<string, LookupRecord> {
    const out = new Map<string, LookupRecord>();
    for (const rd of s.rds.keys()) for (const [k, r] of this.rdRecords.get(rd) ?? []) out.set(k, r);
    // Records of peered domains this host's VMs have routes into.
    for (const [rd, from] of this.index.routing.reachableFrom)
      if (!s.rds.has(rd) && [...from].some((p) => s.rds.has(p)))
        for (const [k, r] of this.rdRecords.get(rd) ?? []) out.set(k, r);
    return out;
  }

  private rdRoutes(rd: string): { key: string; route: CustomerRoute }[] {
    return this.index.routesByRd.get(rd) ?? [];
  }

  private hostRoutes(s: HostState): Map<string, CustomerRoute> {
    const out = new Map<string, CustomerRoute>();
    for (const rd of s.rds.keys()) for (const { key, route } of this.rdRoutes(rd)) out.set(key, route);
    return out;
  }

  /**
   * Every object as an 'add': the initial southbound push. Large datacenters push millions of
   * records (every host holds every record of its routing domains): the list stops at `limit`,
   * `total` still counts them all.
   */
  initialUpdates(limit = Number.POSITIVE_INFINITY): { updates: SouthboundUpdate[]; total: number } {
    const out: SouthboundUpdate[] = [];
    let total = 0;
    for (const [hostId, s] of this.hosts) {
      let routes = 0;
      let records = 0;
      for (const rd of s.rds.keys()) {
        records += this.rdRecords.get(rd)?.size ?? 0;
        routes += this.index.subnetsByRd.get(rd)?.length ?? 0;
      }
      total += s.pas.size + records + routes + s.ports.size;
      if (out.length >= limit) continue;
      for (const [key, providerAddress] of s.pas)
        out.push({ hostId, kind: 'provider-address', op: 'add', key, providerAddress });
      for (const [key, record] of this.hostRecords(s))
        out.push({ hostId, kind: 'lookup-record', op: 'add', key, record });
      for (const [key, route] of this.hostRoutes(s))
        out.push({ hostId, kind: 'customer-route', op: 'add', key, route });
      for (const [key, port] of s.ports) out.push({ hostId, kind: 'port', op: 'add', key, port });
    }
    return { updates: out.length > limit ? out.slice(0, limit) : out, total };
  }

  /**
   * The initial southbound push as the host agents receive it, grouped: every host holding a
   * routing domain gets the same 'add' of each of its lookup records (`recordsByRd`, listed once
   * per routing domain; `rdsOfHost` says which hosts hold which), and its own provider
   * addresses, customer routes and ports as updates. The same content as `initialUpdates`,
   * without two million update objects for 10,000 VMs on 200 hosts.
   */
  initialPush(): {
    recordsByRd: Map<string, LookupRecord[]>;
    rdsOfHost: Map<string, string[]>;
    updates: SouthboundUpdate[];
  } {
    const recordsByRd = new Map<string, LookupRecord[]>();
    const rdsOfHost = new Map<string, string[]>();
    const updates: SouthboundUpdate[] = [];
    for (const [hostId, s] of this.hosts) {
      const rds = [...s.rds.keys()];
      rdsOfHost.set(hostId, rds);
      for (const rd of rds)
        if (!recordsByRd.has(rd)) recordsByRd.set(rd, [...(this.rdRecords.get(rd)?.values() ?? [])]);
      for (const [key, providerAddress] of s.pas)
        updates.push({ hostId, kind: 'provider-address', op: 'add', key, providerAddress });
      for (const [key, route] of this.hostRoutes(s))
        updates.push({ hostId, kind: 'customer-route', op: 'add', key, route });
      for (const [key, port] of s.ports) updates.push({ hostId, kind: 'port', op: 'add', key, port });
    }
    return { recordsByRd, rdsOfHost, updates };
  }

  /**
   * Compile every host. `previous` (a recompile): each host's old ports seed its PA bindings, so
   * a vNIC that stays keeps its team member; the ports themselves are compiled anew.
   */
  private compileAll(previous?: Map<string, HostState>): void {
    const doc = this.doc;
    // Fresh maps, not cleared ones: recompileAndDiff diffs against the old ones.
    this.hosts = new Map();
    this.portSignature = new Map();
    this.rdRecords = new Map();
    this.vnicsByVm.clear();
    this.vnicsByHost.clear();
    this.resolvedByVnic.clear();
    for (const h of doc.hosts) {
      const ports = previous?.get(h.id)?.ports ?? new Map<string, PortPolicy>();
      this.hosts.set(h.id, { host: h, rds: new Map(), pas: new Map(), ports, owned: new Map() });
      this.vnicsByHost.set(h.id, new Set());
    }
    doc.vms.forEach((vm, i) => {
      const list = this.index.resolveVm(vm, i);
      this.vnicsByVm.set(vm.id, list);
      for (const r of list) this.addResolved(r);
    });
    for (const hostId of this.hosts.keys()) this.rebuildHost(hostId);
    if (doc.policySource === 'powershell') this.takeManualRecords();
  }

  /**
   * HNVv1 with policy set by PowerShell: the hosts hold the admin's records as written, not the
   * ones the VMs imply. A record names a PA; the host owning it is where the sender tunnels to,
   * and that host delivers only if the vNIC is still there (after a move it is not).
   */
  private takeManualRecords(): void {
    const hostOfPa = new Map<string, Host>();
    for (const h of this.doc.hosts) for (const pa of h.providerAddresses) hostOfPa.set(pa, h);
    const subnetOfVsid = new Map<number, VirtualSubnet>();
    for (const subnet of this.index.subnets.values()) subnetOfVsid.set(subnet.vsid, subnet);
    const vnicAt = new Map<string, ResolvedVnic>();
    for (const r of this.resolvedByVnic.values()) vnicAt.set(recordKey(r.subnet.vsid, r.vnic.caIp), r);
    this.rdRecords = new Map();
    for (const m of this.doc.lookupRecords ?? []) {
      const rd = this.index.rdOfVsid.get(m.vsid);
      const subnet = subnetOfVsid.get(m.vsid);
      if (rd === undefined || !subnet) continue;
      const key = recordKey(m.vsid, m.caIp);
      const host = hostOfPa.get(m.pa);
      const vnic = vnicAt.get(key);
      let recs = this.rdRecords.get(rd);
      if (!recs) {
        recs = new Map();
        this.rdRecords.set(rd, recs);
      }
      recs.set(key, {
        caIp: m.caIp,
        vsid: m.vsid,
        mac: m.mac,
        pa: m.pa,
        routingDomainId: rd,
        rule: 'TranslationMethodEncap',
        encapsulation: subnet.encapsulation,
        vmId: vnic?.vm.id ?? '',
        // Delivery on the PA's host needs the vNIC there: a VM that moved away has no port.
        vnicId: vnic && vnic.host.id === host?.id ? vnic.vnic.id : '',
        hostId: host?.id ?? '',
        vmLabel: vnic?.label ?? m.vmName ?? m.caIp,
      });
    }
  }

  private addResolved(r: ResolvedVnic): void {
    this.resolvedByVnic.set(r.vnic.id, r);
    this.vnicsByHost.get(r.host.id)?.add(r.vnic.id);
  }

  private removeResolved(r: ResolvedVnic): void {
    this.resolvedByVnic.delete(r.vnic.id);
    this.vnicsByHost.get(r.host.id)?.delete(r.vnic.id);
  }

  /** vNICs of a host in document order, with the host's VSID first-use order. */
  private hostVnics(hostId: string): { vnics: ResolvedVnic[]; vsidOrder: number[] } {
    const vnics: ResolvedVnic[] = [];
    for (const id of this.vnicsByHost.get(hostId) ?? []) {
      const r = this.resolvedByVnic.get(id);
      if (r) vnics.push(r);
    }
    vnics.sort((a, b) => a.vmIndex - b.vmIndex);
    const vsidOrder: number[] = [];
    const seen = new Set<number>();
    for (const r of vnics) {
      if (seen.has(r.subnet.vsid)) continue;
      seen.add(r.subnet.vsid);
      vsidOrder.push(r.subnet.vsid);
    }
    return { vnics, vsidOrder };
  }

  /** Recompute one host's PAs, PA bindings, ports and the lookup records its vNICs own. */
  private rebuildHost(hostId: string): void {
    const s = this.hosts.get(hostId);
    if (!s) return;
    // The records this host's vNICs owned leave their RDs; the new ones are added below
    // (the same objects when nothing about them changed, so diffs stay cheap).
    // The owned map keeps each record's key: no key strings are rebuilt for unchanged records.
    const oldRecords = new Map<string, { key: string; record: LookupRecord }>();
    for (const [key, owned] of s.owned) {
      const recs = this.rdRecords.get(owned.routingDomainId);
      const old = recs?.get(key);
      if (old?.hostId === hostId) {
        oldRecords.set(old.vnicId, { key, record: old });
        recs?.delete(key);
      }
    }
    s.owned = new Map();
    const oldPorts = s.ports;
    const { vnics, vsidOrder } = this.hostVnics(hostId);
    const ls = this.index.logicalSubnets.get(s.host.logicalSubnetId);
    s.pas = new Map(providerAddresses(this.doc, s.host, ls, vsidOrder).map((p) => [p.pa, p]));
    const binding = bindPas(this.doc, s.host, vnics, vsidOrder, s.ports);
    s.ports = new Map();
    s.rds = new Map();
    vnics.forEach((r, i) => {
      const k = binding[i];
      const pa = k >= 0 ? s.host.providerAddresses[k] : '0.0.0.0';
      const member = Math.max(0, k) % s.host.teamMembers.length;
      const rd = r.vmNetwork.routingDomainId;
      s.rds.set(rd, (s.rds.get(rd) ?? 0) + 1);
      const prevOwned = oldRecords.get(r.vnic.id);
      const record = this.recordFor(r, hostId, pa, prevOwned?.record);
      const same = record === prevOwned?.record;
      let recs = this.rdRecords.get(rd);
      if (!recs) {
        recs = new Map();
        this.rdRecords.set(rd, recs);
      }
      // A VLAN-isolated vNIC has no CA-PA mapping: its frames are bridged by tag, not encapsulated.
      if (r.subnet.isolation !== 'vlan') {
        const key = same && prevOwned ? prevOwned.key : recordKey(record.vsid, record.caIp);
        recs.set(key, record);
        s.owned.set(key, record);
      }
      const port = this.portFor(r, s, ls, pa, member, oldPorts.get(r.vnic.id));
      s.ports.set(port.portId, port);
    });
  }

  /** The lookup record of a vNIC bound to a PA: `previous` itself when nothing about it changed. */
  private recordFor(r: ResolvedVnic, hostId: string, pa: string, previous?: LookupRecord): LookupRecord {
    if (
      previous?.pa === pa &&
      previous.hostId === hostId &&
      previous.vnicId === r.vnic.id &&
      previous.vmId === r.vm.id &&
      previous.routingDomainId === r.vmNetwork.routingDomainId &&
      previous.caIp === r.vnic.caIp &&
      previous.mac === r.vnic.mac &&
      previous.vsid === r.subnet.vsid &&
      previous.vmLabel === r.label &&
      previous.encapsulation === r.subnet.encapsulation
    )
      return previous;
    return {
      caIp: r.vnic.caIp,
      vsid: r.subnet.vsid,
      mac: r.vnic.mac,
      pa,
      routingDomainId: r.vmNetwork.routingDomainId,
      rule: 'TranslationMethodEncap',
      encapsulation: r.subnet.encapsulation,
      vmId: r.vm.id,
      vnicId: r.vnic.id,
      hostId,
      vmLabel: r.label,
    };
  }

  /** The VFP port of a vNIC: `previous` itself when what it is compiled from is unchanged. */
  private portFor(
    r: ResolvedVnic,
    s: HostState,
    ls: LogicalSubnet | undefined,
    pa: string,
    member: number,
    previous: PortPolicy | undefined,
  ): PortPolicy {
    const teamMember = s.host.teamMembers[member] ?? s.host.teamMembers[0];
    const signature: PortSignature = [
      s.host.id,
      r.label,
      r.vnic.mac,
      r.vnic.caIp,
      r.subnet.id,
      r.vnic.aclId ?? '',
      pa,
      teamMember.name,
      slbSignature(this.doc, r.vnic.id, this.rdPrefixes(r)),
    ];
    if (previous && sameSignature(this.portSignature.get(r.vnic.id), signature)) return previous;
    const port = compilePort(
      {
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
        slbNat: slbNatLayer(this.doc, r.vnic.id, r.vnic.caIp, r.label, this.rdPrefixes(r)),
      },
      this.groupCache,
    );
    this.portSignature.set(port.portId, signature);
    return port;
  }

  /** The prefixes of a vNIC's routing domain (its SLB replies inside them are not translated). */
  private rdPrefixes(r: ResolvedVnic): string[] {
    return this.subnetsOfRd(r.vmNetwork.routingDomainId).map((x) => x.prefix);
  }

  /** The records owned by vNICs of these hosts, keyed 'vsid/ca'. */
  private ownedRecords(hostIds: Iterable<string>): Map<string, LookupRecord> {
    const out = new Map<string, LookupRecord>();
    for (const id of hostIds) {
      const s = this.hosts.get(id);
      if (!s) continue;
      for (const [key, owned] of s.owned) {
        // Still the record its routing domain holds (a later rebuild may have taken the key).
        const r = this.rdRecords.get(owned.routingDomainId)?.get(key);
        if (r && r.hostId === id) out.set(key, r); // VSIDs are unique: 'vsid/ca' is a global key
      }
    }
    return out;
  }

  /**
   * Apply a new topology: only VMs changed (moved, added, removed, edited): rebuild the hosts they
   * left and joined, and push each changed lookup record to every host of its routing domain.
   * Anything else changed: recompile everything, then diff. Either way only differences go south.
   */
  apply(next: TopologyDocument): SouthboundUpdate[] {
    const prev = this.doc;
    const restSame =
      sameJson(prev.hnvMode, next.hnvMode) &&
      sameJson(prev.tenants, next.tenants) &&
      sameJson(prev.vmNetworks, next.vmNetworks) &&
      sameJson(prev.virtualSubnets, next.virtualSubnets) &&
      sameJson(prev.routeTables, next.routeTables) &&
      sameJson(prev.hosts, next.hosts) &&
      sameJson(prev.logicalSubnets, next.logicalSubnets);
    const aclsSame = sameJson(prev.acls, next.acls);
    // Manual (PowerShell) policy: records don't follow the VMs, so always recompile and diff.
    if (
      prev.policySource === 'powershell' ||
      next.policySource === 'powershell' ||
      !sameJson(prev.lookupRecords, next.lookupRecords) ||
      !sameSlbPortPolicy(prev, next)
    )
      return this.recompileAndDiff(next);
    if (restSame && !aclsSame && sameJson(prev.vms, next.vms)) return this.applyAcls(next);
    if (!restSame || !aclsSame) return this.recompileAndDiff(next);
    // Changed VMs: positionally by reference first (the UI and builders share unchanged
    // objects), then by content; only when VMs were added, removed or reordered by id.
    const changedVms: { vm: Vm; index: number }[] = [];
    let removedVms: Vm[] = [];
    const samePositions = prev.vms.length === next.vms.length;
    if (samePositions) {
      removedVms = diffVmsByPosition(prev.vms, next.vms, changedVms);
    } else {
      const prevById = new Map<string, Vm>();
      for (const vm of prev.vms) prevById.set(vm.id, vm);
      const seen = new Set<string>();
      next.vms.forEach((vm, i) => {
        seen.add(vm.id);
        const old = prevById.get(vm.id);
        const oldIndex = this.vnicsByVm.get(vm.id)?.[0]?.vmIndex;
        if (old && oldIndex === i && (old === vm || sameJson(old, vm))) return;
        changedVms.push({ vm, index: i });
      });
      removedVms = prev.vms.filter((vm) => !seen.has(vm.id));
    }
    // The vNICs that leave (of changed and removed VMs) and arrive (of changed VMs).
    const leaving: ResolvedVnic[] = [];
    for (const { vm } of changedVms) for (const r of this.vnicsByVm.get(vm.id) ?? []) leaving.push(r);
    for (const vm of removedVms) for (const r of this.vnicsByVm.get(vm.id) ?? []) leaving.push(r);
    const arriving: ResolvedVnic[] = [];
    const touched = new Set<string>();
    for (const r of leaving) touched.add(r.host.id);
    for (const vm of removedVms) this.vnicsByVm.delete(vm.id);
    for (const { vm, index } of changedVms) {
      const list = this.index.resolveVm(vm, index);
      this.vnicsByVm.set(vm.id, list);
      for (const r of list) {
        arriving.push(r);
        touched.add(r.host.id);
      }
    }
    this.doc = next;
    if (touched.size === 0) return [];

    const before = new Map<string, { rds: Set<string>; pas: Map<string, ProviderAddressRecord> }>();
    for (const id of touched) {
      const s = this.hosts.get(id);
      if (s) before.set(id, { rds: new Set(s.rds.keys()), pas: s.pas });
    }
    const delta: Delta = { records: new Map(), ports: new Map() };
    if (next.hnvMode === 'v1') this.rebuildHosts(touched, leaving, arriving, delta);
    else this.moveVnics(leaving, arriving, delta);
    const changes: RecordChange[] = [];
    for (const c of delta.records.values())
      if (c.before !== c.after && !(c.before && c.after && sameJson(c.before, c.after))) changes.push(c);

    const changedRds = [...new Set(changes.map((c) => c.rd))];
    const touchesHost = (rds: Map<string, number>) => {
      for (let i = 0; i < changedRds.length; i++) if (rds.has(changedRds[i])) return true;
      return false;
    };
    const out: SouthboundUpdate[] = [];
    for (const [hostId, s] of this.hosts) {
      const b = before.get(hostId);
      if (b) {
        for (const rd of s.rds.keys())
          if (!b.rds.has(rd)) {
            // The host joined a routing domain: it receives all of its records and routes.
            for (const [key, record] of this.rdRecords.get(rd) ?? [])
              out.push({ hostId, kind: 'lookup-record', op: 'add', key, record });
            for (const { key, route } of this.rdRoutes(rd))
              out.push({ hostId, kind: 'customer-route', op: 'add', key, route });
          }
        for (const rd of b.rds)
          if (!s.rds.has(rd)) {
            this.recordsBefore(rd, changes, (key, record) =>
              out.push({ hostId, kind: 'lookup-record', op: 'remove', key, record }),
            );
            for (const { key, route } of this.rdRoutes(rd))
              out.push({ hostId, kind: 'customer-route', op: 'remove', key, route });
          }
      }
      if (!b && !touchesHost(s.rds)) continue;
      for (const c of changes) {
        if (!s.rds.has(c.rd) || (b && !b.rds.has(c.rd))) continue;
        if (c.after && c.before)
          out.push({
            hostId,
            kind: 'lookup-record',
            op: 'update',
            key: c.key,
            record: c.after,
            previous: c.before,
          });
        else if (c.after) out.push({ hostId, kind: 'lookup-record', op: 'add', key: c.key, record: c.after });
        else if (c.before)
          out.push({ hostId, kind: 'lookup-record', op: 'remove', key: c.key, record: c.before });
      }
      if (b) {
        diffMaps(b.pas, s.pas, (op, key, providerAddress: ProviderAddressRecord) =>
          out.push({ hostId, kind: 'provider-address', op, key, providerAddress }),
        );
      }
      const ports = delta.ports.get(hostId);
      if (ports)
        for (const [key, old] of ports) {
          const port = s.ports.get(key);
          if (port === old) continue;
          if (!old) {
            if (port) out.push({ hostId, kind: 'port', op: 'add', key, port });
          } else if (!port) out.push({ hostId, kind: 'port', op: 'remove', key, port: old });
          else out.push({ hostId, kind: 'port', op: 'update', key, port });
        }
    }
    return out;
  }

  /**
   * Only ACLs changed: recompile the ports that use a changed ACL (as their own or their virtual
   * subnet's), nothing else. Lookup records, routes and PAs do not depend on ACLs.
   */
  private applyAcls(next: TopologyDocument): SouthboundUpdate[] {
    const before = new Map(this.doc.acls.map((a) => [a.id, a]));
    const changed = new Set<string>();
    for (const a of next.acls) if (!sameJson(before.get(a.id), a)) changed.add(a.id);
    const nextIds = new Set(next.acls.map((a) => a.id));
    for (const id of before.keys()) if (!nextIds.has(id)) changed.add(id);
    this.doc = next;
    this.index = new DocumentIndex(next);
    // Cached groups built from a changed ACL go (their keys start with 'acl|<id>|').
    for (const key of [...this.groupCache.keys()])
      for (const id of changed) if (key.startsWith(`acl|${id}|`)) this.groupCache.delete(key);
    const out: SouthboundUpdate[] = [];
    for (const [hostId, s] of this.hosts) {
      const ls = this.index.logicalSubnets.get(s.host.logicalSubnetId);
      for (const [portId, old] of s.ports) {
        const r = this.resolvedByVnic.get(portId);
        if (!r) continue;
        const subnetAcl = r.subnet.aclId;
        const portAcl = r.vnic.aclId;
        if (!(subnetAcl && changed.has(subnetAcl)) && !(portAcl && changed.has(portAcl))) continue;
        const member = Math.max(
          0,
          s.host.teamMembers.findIndex((m) => m.name === this.portSignature.get(portId)?.[7]),
        );
        // No `previous`: the signature does not see ACL contents, so the port is compiled anew.
        const port = this.portFor(r, s, ls, old.pa, member, undefined);
        s.ports.set(portId, port);
        out.push({ hostId, kind: 'port', op: 'update', key: portId, port });
      }
    }
    return out;
  }

  /**
   * HNVv1: a host's PAs follow the order in which VSIDs first appear on it, so a VM change may
   * re-bind every vNIC of the host. Rebuild the touched hosts whole and diff what they own.
   */
  private rebuildHosts(
    touched: Set<string>,
    leaving: ResolvedVnic[],
    arriving: ResolvedVnic[],
    delta: Delta,
  ): void {
    const ownedBefore = this.ownedRecords(touched);
    const portsBefore = new Map<string, Map<string, PortPolicy>>();
    for (const id of touched) portsBefore.set(id, this.hosts.get(id)?.ports ?? new Map());
    for (const r of leaving) this.removeResolved(r);
    for (const r of arriving) this.addResolved(r);
    // Each host releases only records it still owns, so the rebuild order doesn't matter.
    for (const id of touched) this.rebuildHost(id);
    const ownedAfter = this.ownedRecords(touched);
    for (const [key, after] of ownedAfter)
      noteRecord(delta, after.routingDomainId, key, ownedBefore.get(key), after);
    for (const [key, before] of ownedBefore)
      if (!ownedAfter.has(key)) noteRecord(delta, before.routingDomainId, key, before, undefined);
    for (const [id, old] of portsBefore) {
      for (const [key, port] of old) notePort(delta, id, key, port);
      for (const key of this.hosts.get(id)?.ports.keys() ?? []) notePort(delta, id, key, undefined);
    }
  }

  /**
   * HNVv2: every vNIC keeps its PA binding, so a VM change touches only its own vNICs: each
   * leaving vNIC gives up its port and record, each arriving one is bound and compiled. What the
   * other vNICs of both hosts hold is left as it is, object for object.
   */
  private moveVnics(leaving: ResolvedVnic[], arriving: ResolvedVnic[], delta: Delta): void {
    const released = new Map<string, Released>();
    for (const r of leaving) this.detach(r, delta, released);
    for (const r of arriving) this.addResolved(r);
    // As bindPas does on a rebuild (the same PaBinding): vNICs that stay on their host keep their PA and count first.
    const stays = (r: ResolvedVnic) => released.get(r.vnic.id)?.hostId === r.host.id;
    // Per host, the PA binding over the ports it keeps: built once per host, updated as vNICs bind.
    const loads = new Map<HostState, PaBinding>();
    for (const r of arriving) if (stays(r)) this.attach(r, delta, released, loads);
    for (const r of arriving) if (!stays(r)) this.attach(r, delta, released, loads);
  }

  private detach(r: ResolvedVnic, delta: Delta, released: Map<string, Released>): void {
    this.removeResolved(r);
    const s = this.hosts.get(r.host.id);
    if (!s) return;
    const rd = r.vmNetwork.routingDomainId;
    const count = (s.rds.get(rd) ?? 0) - 1;
    if (count > 0) s.rds.set(rd, count);
    else s.rds.delete(rd);
    let record: LookupRecord | undefined;
    if (r.subnet.isolation !== 'vlan') {
      const key = recordKey(r.subnet.vsid, r.vnic.caIp);
      const owned = s.owned.get(key);
      if (owned?.vnicId === r.vnic.id) {
        s.owned.delete(key);
        record = owned;
        const recs = this.rdRecords.get(rd);
        if (recs?.get(key) === owned) {
          recs.delete(key);
          noteRecord(delta, rd, key, owned, undefined);
        }
      }
    }
    const port = s.ports.get(r.vnic.id);
    if (!port) return;
    s.ports.delete(r.vnic.id);
    notePort(delta, s.host.id, r.vnic.id, port);
    released.set(r.vnic.id, { hostId: s.host.id, port, record });
  }

  private attach(
    r: ResolvedVnic,
    delta: Delta,
    released: Map<string, Released>,
    loads: Map<HostState, PaBinding>,
  ): void {
    const s = this.hosts.get(r.host.id);
    if (!s) return;
    const hostId = s.host.id;
    const rd = r.vmNetwork.routingDomainId;
    s.rds.set(rd, (s.rds.get(rd) ?? 0) + 1);
    const prev = released.get(r.vnic.id);
    const here = prev?.hostId === hostId ? prev : undefined;
    let binding = loads.get(s);
    if (binding === undefined) {
      binding = new PaBinding(s.host, s.ports.values());
      loads.set(s, binding);
    }
    const k = binding.bind(r.subnet.vsid, here?.port.pa);
    const pa = k >= 0 ? s.host.providerAddresses[k] : '0.0.0.0';
    if (r.subnet.isolation !== 'vlan') {
      const key = recordKey(r.subnet.vsid, r.vnic.caIp);
      const record = this.recordFor(r, hostId, pa, here?.record);
      let recs = this.rdRecords.get(rd);
      if (!recs) {
        recs = new Map();
        this.rdRecords.set(rd, recs);
      }
      noteRecord(delta, rd, key, recs.get(key), record);
      recs.set(key, record);
      s.owned.set(key, record);
    }
    notePort(delta, hostId, r.vnic.id, undefined);
    const ls = this.index.logicalSubnets.get(s.host.logicalSubnetId);
    const member = Math.max(0, k) % s.host.teamMembers.length;
    s.ports.set(r.vnic.id, this.portFor(r, s, ls, pa, member, here?.port));
  }

  /**
   * A routing domain's records as they were before these changes, in the order of a copy of the
   * current map with the changes undone (kept positions, restored ones appended), without copying it.
   */
  private recordsBefore(
    rd: string,
    changes: RecordChange[],
    emit: (key: string, record: LookupRecord) => void,
  ): void {
    const current = this.rdRecords.get(rd) ?? new Map<string, LookupRecord>();
    const changed = new Map<string, RecordChange>();
    for (const c of changes) if (c.rd === rd) changed.set(c.key, c);
    for (const [key, record] of current) {
      const c = changed.get(key);
      if (!c) emit(key, record);
      else if (c.before) emit(key, c.before);
    }
    for (const c of changed.values()) if (c.before && !current.has(c.key)) emit(c.key, c.before);
  }

  /**
   * Anything but VMs and ACLs changed: compile everything again, then push the difference.
   * Lookup records and routes are diffed once per datacenter (their keys are unique), then each
   * host gets the changes of the routing domains it holds, all of a domain it joined, and the
   * removal of one it left: no host-by-host copy of every record.
   */
  private recompileAndDiff(next: TopologyDocument): SouthboundUpdate[] {
    const before = new Map<
      string,
      { rds: Set<string>; pas: Map<string, ProviderAddressRecord>; ports: Map<string, PortPolicy> }
    >();
    for (const [id, s] of this.hosts)
      before.set(id, { rds: new Set(s.rds.keys()), pas: s.pas, ports: s.ports });
    const recordsBefore = this.rdRecords;
    const routesBefore = routeMaps(this.index);
    this.doc = next;
    this.index = new DocumentIndex(next);
    this.groupCache = new Map();
    this.compileAll(this.hosts);
    const records = heldDiff(recordsBefore, this.rdRecords, sameRecord);
    const routes = heldDiff(routesBefore, routeMaps(this.index), sameJson);
    const out: SouthboundUpdate[] = [];
    const none = new Set<string>();
    const empty = new Map();
    for (const hostId of new Set([...before.keys(), ...this.hosts.keys()])) {
      const b = before.get(hostId);
      const a = this.hosts.get(hostId);
      const heldBefore = b?.rds ?? none;
      const heldAfter = a ? new Set(a.rds.keys()) : none;
      diffMaps(b?.pas ?? empty, a?.pas ?? empty, (op, key, providerAddress: ProviderAddressRecord) =>
        out.push({ hostId, kind: 'provider-address', op, key, providerAddress }),
      );
      records(heldBefore, heldAfter, (op, key, record, previous) =>
        out.push(
          op === 'update' && previous
            ? { hostId, kind: 'lookup-record', op, key, record, previous }
            : { hostId, kind: 'lookup-record', op, key, record },
        ),
      );
      routes(heldBefore, heldAfter, (op, key, route) =>
        out.push({ hostId, kind: 'customer-route', op, key, route }),
      );
      diffMaps(b?.ports ?? empty, a?.ports ?? empty, (op, key, port: PortPolicy) =>
        out.push({ hostId, kind: 'port', op, key, port }),
      );
    }
    return out;
  }
}
