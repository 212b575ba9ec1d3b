// The data plane of the whole datacenter: every host's vSwitch (VFP layers + unified flow
// tables + host agent), the distributed router, the physical fabric. One code path for real and
// traced packets: every function takes an optional trace parent node; with null, nothing is
// recorded and cached flows run on the allocation-free fast path.
import { ipToU32, macToBytes, routerMac, u32ToIp } from '../controller/addr';
import { Controller, recordKey } from '../controller/controller';
import type { Action, LookupRecord, SouthboundUpdate } from '../controller/types';
import type { HostTables } from '../index';
import type { LogicalSubnet, TopologyDocument } from '../model/schema';
import { formatMac } from '../wire/bytes';
import {
  extractKey,
  FlowOp,
  type FlowTable,
  type FlowEntry as GenericFlowEntry,
  KEY_WORDS,
  keyToString,
  newEntry,
  viewOf,
} from './flowTable';
import { HostAgents } from './hostAgents';
import {
  BROADCAST_MAC,
  buildArp,
  buildEncapHeader,
  buildIpFrame,
  decrementTtl,
  EncapFault,
  ETH_ARP,
  ETH_IPV4,
  fnv,
  IP_ICMP,
  IP_TCP,
  IP_UDP,
  innerFlowHash,
  ipChecksum,
  ipChecksumOk,
  isMulticastMac,
  l4Checksum,
  macEq,
  NVGRE_OVERHEAD,
  onesSum,
  type Parsed,
  parse,
  popVlanTag,
  pushVlanTag,
  put32,
  VXLAN_OVERHEAD,
  writeMac,
  ZERO_MAC,
} from './packet';
import { PhysicalNetwork } from './physical';
import { buildFabric, buildHost, type Fabric, type HostRt, type PortRt, refreshFabricHosts } from './runtime';
import { add, copyOf, HEADROOM, hostWhere, NO_WHERE, type Pkt, pktOf, portWhere } from './steps';
import type {
  FlowCounters,
  PacketPath,
  Trace,
  TraceNode,
  TracePacket,
  TraceProtocol,
  TraceRequest,
  TraceVerdict,
  TraceWhere,
} from './trace-types';
import { type CompiledGroup, evaluateGroup, type MatchView } from './vfpMatch';

const MAX_PENDING_UPDATES = 5000;
/** Invalidated flow entries listed in the next trace (the rest are only counted). */
const MAX_LOGGED_INVALIDATIONS = 50;

/** How a change reaches the host agents (see `Datacenter.update`). */
export type Convergence = 'immediate' | 'staged';

type FlowEntry = GenericFlowEntry<PortRt>;

interface Outcome {
  delivered: string[];
  drop: { at: string; reason: string } | null;
  path: PacketPath;
}

/** Why an entry fits / doesn't: the inner frame limit for the PA MTU. */
function encapOverhead(kind: 'vxlan' | 'nvgre'): number {
  return kind === 'vxlan' ? VXLAN_OVERHEAD : NVGRE_OVERHEAD;
}

function actionText(a: Action): string {
  switch (a.type) {
    case 'encap':
      return `encap ${a.encapsulation.toUpperCase()} ${a.encapsulation === 'vxlan' ? 'VNI' : 'VSID'} ${a.vsid} ${a.srcPa} -> ${a.dstPa}`;
    case 'decap':
      return `decap ${a.encapsulation.toUpperCase()} VSID ${a.vsid}`;
    case 'drop':
      return `drop (${a.reason})`;
    case 'output':
      return `output ${a.port}`;
    case 'set-field':
      return `set ${a.field}=${a.value}`;
    case 'push-vlan':
      return `push VLAN ${a.vlanId}`;
    case 'pa-route':
      return `PA route VLAN ${a.vlanId}`;
    case 'route':
      return 'distributed route';
    case 'lookup':
      return `lookup CA-PA VSID ${a.vsid}`;
    case 'replicate':
      return `replicate VSID ${a.vsid}`;
    default:
      return a.type;
  }
}

export class Datacenter {
  controller: Controller;
  hosts = new Map<string, HostRt>();
  fabric!: Fabric;
  private pendingUpdates: SouthboundUpdate[] = [];
  /** What each host agent holds: the controller's records, or older ones while updates are in flight. */
  private agents: HostAgents;
  /** Flow entries the last delivery invalidated, shown at the start of the next trace. */
  private invalidationLog: TraceNode[] = [];
  private key = new Int32Array(KEY_WORDS);
  /** A DataView over the last packet buffer seen: packets reuse their buffer, so no view per packet. */
  private viewBuf: Uint8Array | null = null;
  private view: DataView = new DataView(new ArrayBuffer(0));
  private outcome: Outcome = { delivered: [], drop: null, path: 'none' };
  private frames: { where: string; frame: Uint8Array }[] | null = null;
  private replies: { port: PortRt; frame: Uint8Array }[] = [];
  private guestReplies = false;
  private stats = { packets: 0, slow: 0, fast: 0, delivered: 0, dropped: 0 };
  /** Flow tables that hold entries: invalidation visits these, not 10,000 empty ones. */
  private activeTables = new Set<FlowTable<PortRt>>();
  private physical: PhysicalNetwork;

  constructor(doc: TopologyDocument) {
    this.controller = new Controller(doc);
    this.agents = new HostAgents(this.controller);
    const dc = this;
    this.physical = new PhysicalNetwork({
      get fabric() {
        return dc.fabric;
      },
      get frames() {
        return dc.frames;
      },
      dropped: (at, reason, parent, where) => this.dropped(at, reason, parent, where),
      hostReceive: (host, pkt, p, parent) => this.hostReceive(host, pkt, p, parent),
    });
    this.rebuildAll();
  }

  private rebuildAll(): void {
    const next = new Map<string, HostRt>();
    for (const id of this.controller.hostIds()) {
      const h = buildHost(this.controller, id, this.hosts.get(id));
      if (h) next.set(id, h);
    }
    this.hosts = next;
    this.fabric = buildFabric(this.controller, this.hosts);
  }

  initialUpdates(limit?: number): { updates: SouthboundUpdate[]; total: number } {
    return this.controller.initialUpdates(limit);
  }

  /**
   * Push a new document; rebuild only hosts whose ports or PAs changed; invalidate dependent flows.
   * 'staged' convergence delivers at once only to the hosts whose own ports or PAs change (a move's
   * source and destination); every other host's updates stay in flight (`inFlightUpdates`), its
   * host agent keeps the stale lookup records and its flow tables keep the entries built from them,
   * until `deliverPendingUpdates`. 'immediate' first delivers anything still in flight.
   */
  update(
    next: TopologyDocument,
    convergence: Convergence = 'immediate',
  ): { updates: SouthboundUpdate[]; invalidatedFlows: number; pending: SouthboundUpdate[] } {
    const prev = this.controller.doc;
    const updates = this.controller.apply(next);
    // Documents from the worker are fresh clones: compare content when references differ.
    const differs = (a: unknown, b: unknown) => a !== b && JSON.stringify(a) !== JSON.stringify(b);
    const physicalChanged =
      differs(prev.hosts, next.hosts) ||
      differs(prev.routers, next.routers) ||
      differs(prev.logicalSubnets, next.logicalSubnets);
    const rebuilt = new Set<string>();
    for (const u of updates) if (u.kind === 'port' || u.kind === 'provider-address') rebuilt.add(u.hostId);
    let invalidatedFlows = 0;
    // A fabric change rebuilds every host: nothing can stay in flight across it.
    const staged = convergence === 'staged' && !physicalChanged;
    if (!staged && this.agents.waiting()) invalidatedFlows += this.deliverPendingUpdates().invalidatedFlows;
    const held: SouthboundUpdate[] = [];
    const delivered: SouthboundUpdate[] = [];
    for (const u of updates) (staged && !rebuilt.has(u.hostId) ? held : delivered).push(u);
    // Lookup records a host has not received: its flows built from them stay cached.
    const heldRecDeps = this.agents.hold(held);
    if (physicalChanged) {
      for (const table of this.activeTables) invalidatedFlows += table.invalidate(null);
      this.activeTables.clear();
      this.rebuildAll();
      // MACs and links may have changed: every ARP cache on the PA network starts over.
      for (const h of this.hosts.values()) h.paArp.clear();
      this.physical.forgetArp();
    } else {
      // Ports that leave a host take their flow tables with them.
      for (const u of updates)
        if (u.kind === 'port' && u.op === 'remove')
          invalidatedFlows += this.hosts.get(u.hostId)?.portById.get(u.key)?.flowTable.entries.length ?? 0;
      // Rebuilt hosts keep unchanged port objects; only flows built from what changed go.
      const previous: (HostRt | undefined)[] = [];
      const fresh: HostRt[] = [];
      for (const id of rebuilt) {
        const old = this.hosts.get(id);
        const h = buildHost(this.controller, id, old);
        previous.push(old);
        if (h) {
          this.hosts.set(id, h);
          fresh.push(h);
        }
      }
      refreshFabricHosts(this.fabric, previous, fresh);
      // What cached flows may depend on: every changed record and port, once each (a move pushes
      // the same record to every host of its routing domain). Nothing is cached: nothing to drop.
      const deps = new Set<string>();
      if (this.activeTables.size) {
        const recs = new Set<string>();
        const ports = new Set<string>();
        for (const u of updates) {
          if (u.kind === 'lookup-record') recs.add(u.key);
          else if (u.kind === 'port') ports.add(u.key);
        }
        for (const key of recs) deps.add(`rec:${key}`);
        for (const key of ports) deps.add(`port:${key}`);
      }
      // A host that has not received a record keeps the flows built from it.
      const heldDeps = heldRecDeps.size ? new Set([...deps].filter((d) => !heldRecDeps.has(d))) : deps;
      if (deps.size)
        for (const table of this.activeTables) {
          const waiting = table.owner !== null && this.agents.isWaiting(table.owner.hostId);
          invalidatedFlows += table.invalidate(waiting ? heldDeps : deps);
          if (table.entries.length === 0) this.activeTables.delete(table);
        }
    }
    this.logUpdates(delivered);
    return { updates, invalidatedFlows, pending: this.inFlightUpdates() };
  }

  /** Traces show what changed since the last trace; keep the most recent if nobody traces. */
  private logUpdates(updates: SouthboundUpdate[]): void {
    for (const u of updates) this.pendingUpdates.push(u);
    if (this.pendingUpdates.length > MAX_PENDING_UPDATES)
      this.pendingUpdates = this.pendingUpdates.slice(-MAX_PENDING_UPDATES);
  }

  /** Updates the controller has sent that some host agents have not received yet (staged convergence). */
  inFlightUpdates(): SouthboundUpdate[] {
    return this.agents.inFlightUpdates();
  }

  /**
   * The in-flight updates arrive: each waiting host agent replaces its stale lookup records and
   * invalidates the flow entries built from them. The next trace starts with these updates and
   * the invalidated entries.
   */
  deliverPendingUpdates(): { updates: SouthboundUpdate[]; invalidatedFlows: number } {
    const updates: SouthboundUpdate[] = [];
    let invalidatedFlows = 0;
    let logged = this.invalidationLog.length;
    for (const [hostId, f] of this.agents.deliver()) {
      updates.push(...f.updates);
      const host = this.hosts.get(hostId);
      if (!host) continue;
      const deps = new Set<string>();
      for (const u of f.updates) if (u.kind === 'lookup-record') deps.add(`rec:${u.key}`);
      if (deps.size === 0) continue;
      for (const table of [...host.ports.map((p) => p.flowTable), host.uplinkTable]) {
        if (!this.activeTables.has(table)) continue;
        invalidatedFlows += table.invalidate(deps, (entry, key) => {
          if (logged++ >= MAX_LOGGED_INVALIDATIONS) return;
          const owner = table.owner;
          const place = owner?.vm ? `port ${owner.vm}` : `${host.name} uplink`;
          const why = entry.deps
            .filter((d) => deps.has(d))
            .map((d) => {
              const [vsid, ca] = d.slice(4).split('/');
              return `lookup record ${ca} @ VSID ${vsid}`;
            })
            .join(', ');
          this.invalidationLog.push({
            kind: 'flow-cache',
            title: `${host.name}: UFT entry on ${place} invalidated (built from ${why}, which the update replaced): ${entry.actions.join(', ')}`,
            where: { hostId, hostName: host.name, portId: owner?.portId, vm: owner?.vm },
            event: 'invalidate',
            key: keyToString(key),
            actions: entry.actions,
            children: [],
          });
        });
        if (table.entries.length === 0) this.activeTables.delete(table);
      }
    }
    this.logUpdates(updates);
    return { updates, invalidatedFlows };
  }

  resetState(): void {
    for (const table of this.activeTables) table.invalidate(null);
    this.activeTables.clear();
    for (const h of this.hosts.values()) {
      for (const p of h.ports) p.arpCache.clear();
      h.paArp.clear();
    }
    this.physical.forgetArp();
  }

  // ---------- naming ----------

  findPort(ref: string): PortRt | null {
    for (const h of this.hosts.values())
      for (const p of h.ports)
        if (
          p.id === ref ||
          p.label === ref ||
          `${p.label}/${p.resolved.vnic.name}` === ref ||
          p.resolved.vm.id === ref
        )
          return p;
    return null;
  }

  private portByVnic(vnicId: string): PortRt | null {
    for (const h of this.hosts.values()) {
      const p = h.portById.get(vnicId);
      if (p) return p;
    }
    return null;
  }

  // ---------- VM side ----------

  /** A frame leaves a VM into its vSwitch port: ingress processing, UFT, forwarding. */
  private fromVm(port: PortRt, pkt: Pkt, parent: TraceNode | null): void {
    const b = pkt.buf;
    const at = pkt.off;
    if (parent) {
      const frame = copyOf(pkt);
      add(parent, {
        kind: 'hop',
        title: `${port.label} sends into its vSwitch port on ${port.host.name}`,
        where: portWhere(port),
        frame,
        from: port.label,
        to: `${port.host.name} vSwitch port`,
        children: [],
      });
      this.frames?.push({ where: `${port.label} -> ${port.host.name} vSwitch`, frame });
    }
    const type = (b[at + 12] << 8) | b[at + 13];
    // ARP and broadcast/multicast are handled per packet (host agent, replication): never cached.
    if (type === ETH_ARP || (b[at] & 1) === 1) {
      this.noteSlow();
      // Handled per packet; an entry back means a decision to apply now (a drop), not to cache.
      const decided = this.slowFromVm(port, pkt, parent);
      if (decided) this.execute(port.host, port, decided, pkt, parent);
      return;
    }
    extractKey(this.viewOn(b), at, port.vsid, this.key);
    const table = port.flowTable;
    const idx = table.find(this.key);
    if (idx >= 0) {
      const entry = table.entries[idx];
      table.hitCount++;
      this.stats.fast++;
      this.notePath(true);
      const stale = parent ? this.agents.staleRecordOf(port.host, entry) : null;
      const now = stale ? this.controller.locate(stale.vsid, stale.caIp) : undefined;
      if (parent)
        add(parent, {
          kind: 'flow-cache',
          title: stale
            ? `UFT hit on port ${port.label}: fast path, cached action to old PA ${stale.pa} (stale: the controller now maps ${stale.caIp} @ VSID ${stale.vsid} to PA ${now?.pa ?? '?'}, but its update has not reached ${port.host.name}, so nothing invalidated this entry)`
            : `UFT hit on port ${port.label}: fast path, cached actions applied (hits ${entry.hits + 1})`,
          where: portWhere(port),
          event: 'hit',
          key: keyToString(this.key),
          actions: entry.actions,
          children: [],
        });
      this.execute(port.host, port, entry, pkt, parent);
      return;
    }
    table.missCount++;
    this.noteSlow();
    const keyCopy = this.key.slice();
    if (parent)
      add(parent, {
        kind: 'flow-cache',
        title: `UFT miss on port ${port.label}: slow path through every layer`,
        where: portWhere(port),
        event: 'miss',
        key: keyToString(keyCopy),
        children: [],
      });
    const entry = this.slowFromVm(port, pkt, parent);
    if (!entry) return;
    table.insert(keyCopy, entry);
    this.activeTables.add(table);
    if (parent)
      add(parent, {
        kind: 'flow-cache',
        title: `UFT insert on port ${port.label}: ${entry.actions.join(', ')}`,
        where: portWhere(port),
        event: 'insert',
        key: keyToString(keyCopy),
        actions: entry.actions,
        children: [],
      });
    this.execute(port.host, port, entry, pkt, parent);
  }

  private noteSlow(): void {
    this.stats.slow++;
    this.notePath(false);
  }

  /** A vSwitch on the packet's way found its flow in the table (fast) or walked its layers. */
  private notePath(fast: boolean): void {
    const now = this.outcome.path;
    if (now === 'none') this.outcome.path = fast ? 'fast' : 'slow';
    else if (now !== (fast ? 'fast' : 'slow')) this.outcome.path = 'mixed';
  }

  /** Walk one group, recording rule misses and the hit. */
  private walkGroup(
    g: CompiledGroup,
    view: MatchView,
    parent: TraceNode | null,
    where: TraceWhere,
    direction: 'in' | 'out',
  ) {
    const { hit, missed } = evaluateGroup(g, view);
    let stage: TraceNode | null = null;
    if (parent) {
      // One where object per stage, shared by its rule nodes (each names its rule itself).
      const stageWhere: TraceWhere = {
        hostId: where.hostId,
        hostName: where.hostName,
        portId: where.portId,
        vm: where.vm,
        vmId: where.vmId,
        layer: g.layer.id,
        group: g.group.id,
      };
      stage = add(parent, {
        kind: 'stage',
        title: `VFP layer ${g.layer.id} / group ${g.group.id}`,
        where: stageWhere,
        stage: `${g.layer.id}/${g.group.id}`,
        direction,
        children: [],
      });
      for (const m of missed)
        add(stage, {
          kind: 'rule',
          title: `rule ${m.rule.id} (priority ${m.rule.priority}) does not match`,
          where: stageWhere,
          hit: false,
          ruleId: m.rule.id,
          priority: m.rule.priority,
          origin: m.rule.origin,
          children: [],
        });
      const isDefault = hit === g.defaultRule;
      add(stage, {
        kind: 'rule',
        title: `${isDefault ? 'default rule' : 'rule'} ${hit.rule.id} (priority ${hit.rule.priority}) matches: ${hit.rule.origin}`,
        where: stageWhere,
        hit: true,
        ruleId: hit.rule.id,
        priority: hit.rule.priority,
        origin: hit.rule.origin,
        children: [],
      });
    }
    return { rule: hit.rule, stage };
  }

  private dropEntry(
    entry: FlowEntry,
    at: string,
    reason: string,
    parent: TraceNode | null,
    where: TraceWhere,
  ): FlowEntry {
    entry.op = FlowOp.Drop;
    entry.dropAt = at;
    entry.dropReason = reason;
    entry.actions.push(`drop (${reason})`);
    if (parent)
      add(parent, {
        kind: 'action',
        title: `drop: ${reason}`,
        where,
        action: { type: 'drop', reason },
        children: [],
      });
    return entry;
  }

  /** The slow path of a frame from a VM. Returns the entry to cache, or null if handled per packet. */
  private slowFromVm(port: PortRt, pkt: Pkt, parent: TraceNode | null): FlowEntry | null {
    const frame = copyOf(pkt);
    const inner = parse(frame);
    const view: MatchView = { inner, vsid: port.vsid, outer: null };
    const entry = newEntry<PortRt>(FlowOp.Drop);
    entry.deps.push(`port:${port.id}`);
    const where = portWhere(port);
    const at = `${port.host.name} / port ${port.label}`;
    const spoofed = portSecurity(port, frame, inner);
    if (spoofed) return this.dropEntry(entry, `${at} / port security`, spoofed, parent, where);
    for (const g of port.out) {
      if (g.layer.id === 'pa_route') break; // applies after encapsulation
      if (g.layer.id === 'acl' && inner.etherType !== ETH_IPV4) continue; // ACLs filter IP traffic
      const { rule, stage } = this.walkGroup(g, view, parent, where, 'out');
      for (const a of rule.actions) {
        switch (a.type) {
          case 'allow':
            break;
          case 'drop':
            return this.dropEntry(entry, `${at} / VFP ${g.layer.id}`, a.reason, stage, where);
          case 'arp-reply':
            this.hostAgentArp(port, frame, stage);
            return null;
          case 'replicate':
            this.replicate(port, frame, stage);
            return null;
          case 'push-vlan':
            this.vlanBridge(port, frame, a.vlanId, stage);
            return null;
          case 'route': {
            const routed = this.distributedRoute(port, frame, inner, stage, entry);
            if (routed === PER_PACKET) return null;
            if (!routed) return entry;
            return this.unicastDecision(port, routed.record, frame, routed.vsid, stage, entry);
          }
          case 'lookup': {
            const record = this.lookupRecord(port.host, a.vsid, inner.ipDst, stage, where);
            if (!record)
              return this.dropEntry(
                entry,
                `${at} / VFP vnet`,
                `no lookup record for ${u32ToIp(inner.ipDst)} in VSID ${a.vsid}`,
                stage,
                where,
              );
            const mismatch = this.l2Mismatch(port, frame, record);
            if (mismatch) return this.dropEntry(entry, `${at} / vSwitch`, mismatch, stage, where);
            return this.unicastDecision(port, record, frame, a.vsid, stage, entry);
          }
          default:
            break;
        }
      }
    }
    return this.dropEntry(entry, at, 'no layer decided', parent, where);
  }

  /**
   * The vSwitch forwards on the inner destination MAC: a frame for an on-link CA must be
   * addressed to that CA's MAC (the VNet layer's route rule already took frames to the gateway
   * MAC). Why not, or null when the MAC agrees. Checked at the source port, so a mis-addressed
   * frame never enters a tunnel.
   */
  private l2Mismatch(port: PortRt, frame: Uint8Array, record: LookupRecord): string | null {
    const mac = formatMac(frame, 0);
    if (mac === record.mac) return null;
    const ip = u32ToIp(((frame[30] << 24) | (frame[31] << 16) | (frame[32] << 8) | frame[33]) >>> 0);
    const mine = this.agents.recordsOfVsid(port.host, port.vsid).find((r) => r.mac === mac);
    if (mine)
      return `frame to MAC ${mac} (${mine.vmLabel}) carries IP ${ip}, which is ${record.vmLabel}'s (MAC ${record.mac}): the vSwitch forwards on the MAC, and the IP must agree with the MAC's lookup record`;
    const elsewhere = this.controller.locateMac(mac);
    const known = elsewhere
      ? ` (it is ${elsewhere.vmLabel}'s, in VSID ${elsewhere.vsid}: another virtual subnet, unreachable at L2)`
      : '';
    return `unknown unicast: no vNIC with MAC ${mac} in VSID ${port.vsid}${known}; the vSwitch drops it at the source port, before any tunnel`;
  }

  private lookupRecord(
    host: HostRt,
    vsid: number,
    ip: number,
    parent: TraceNode | null,
    where: TraceWhere,
  ): LookupRecord | null {
    const seen = this.agents.lookup(host, vsid, u32ToIp(ip));
    const record = seen.record ?? null;
    const staleNote =
      seen.stale && record
        ? `: stale, the controller now maps it to PA ${seen.current?.pa ?? '?'} but the update has not reached ${host.name} yet`
        : '';
    if (parent)
      add(parent, {
        kind: 'lookup',
        title: record
          ? `lookup record ${record.caIp} @ VSID ${vsid} -> PA ${record.pa} (${record.vmLabel})${staleNote}`
          : `no lookup record for ${u32ToIp(ip)} @ VSID ${vsid} in ${host.name}'s policy store`,
        where,
        table: `${host.name} policy store (CA-PA mappings)`,
        key: `${u32ToIp(ip)} @ VSID ${vsid}`,
        result: record
          ? `MAC ${record.mac}, PA ${record.pa}, ${record.encapsulation.toUpperCase()}, ${record.vmLabel}`
          : null,
        origin: record ? `lookup record ${record.caIp} @ VSID ${vsid} → PA ${record.pa}` : undefined,
        children: [],
      });
    return record;
  }

  /** The distributed router: customer route lookup in the routing domain, MAC + VSID rewrite, TTL-1. */
  private distributedRoute(
    port: PortRt,
    frame: Uint8Array,
    inner: Parsed,
    parent: TraceNode | null,
    entry: FlowEntry,
  ): { record: LookupRecord; vsid: number } | null | typeof PER_PACKET {
    const where = { ...portWhere(port), routerName: 'distributed router' };
    const at = `${port.host.name} / distributed router`;
    const net = port.resolved.vmNetwork;
    const subnets = this.controller.subnetsOfRd(port.rd);
    const target = subnets.find((s) => {
      const [ip, len] = s.prefix.split('/');
      const mask = Number(len) === 0 ? 0 : (0xffffffff << (32 - Number(len))) >>> 0;
      return (inner.ipDst & mask) >>> 0 === (ipToU32(ip) & mask) >>> 0;
    });
    if (parent)
      add(parent, {
        kind: 'lookup',
        title: target
          ? `customer route in '${net.name}': ${u32ToIp(inner.ipDst)} is in ${target.prefix} (VSID ${target.vsid})`
          : `customer route in '${net.name}': no route to ${u32ToIp(inner.ipDst)}`,
        where,
        table: `customer routes of routing domain '${net.name}'`,
        key: u32ToIp(inner.ipDst),
        result: target ? `${target.prefix} on-link, VSID ${target.vsid}` : null,
        children: [],
      });
    if (!target) {
      const prefixes = subnets.map((s) => s.prefix).join(', ');
      this.dropEntry(
        entry,
        at,
        `no route to ${u32ToIp(inner.ipDst)} in routing domain '${net.name}' (${prefixes}): another routing domain is reachable only through a gateway`,
        parent,
        where,
      );
      return null;
    }
    entry.deps.push(`route:${port.rd}`);
    const record = this.lookupRecord(port.host, target.vsid, inner.ipDst, parent, where);
    const gateway = ipToU32(target.prefix.split('/')[0]) + 1 === inner.ipDst;
    if (!record && gateway && inner.proto === IP_ICMP && inner.icmpType === 8) {
      this.gatewayEcho(port, frame, inner, parent);
      return PER_PACKET;
    }
    if (inner.ttl <= 1) {
      this.ttlExceeded(port, frame, parent);
      return PER_PACKET;
    }
    if (!record) {
      // The subnet's lowest address is the distributed router itself: it answers ARP and ping,
      // but nothing lives behind it to answer anything else.
      this.dropEntry(
        entry,
        at,
        gateway
          ? `${u32ToIp(inner.ipDst)} is the distributed router's gateway address of ${target.prefix}: it answers ARP and ping, but no VM lives there to take other packets`
          : `no lookup record for ${u32ToIp(inner.ipDst)} in VSID ${target.vsid}`,
        parent,
        where,
      );
      return null;
    }
    entry.rewrite = true;
    const srcMac = routerMac(target.vsid);
    entry.newSrcMac = macToBytes(srcMac);
    entry.newDstMac = macToBytes(record.mac);
    entry.actions.push(
      `route: VSID ${port.vsid} -> ${target.vsid}, eth.src=${srcMac}, eth.dst=${record.mac}, ip.ttl-1`,
    );
    writeMac(frame, 0, entry.newDstMac);
    writeMac(frame, 6, entry.newSrcMac);
    decrementTtl(frame, inner.l3);
    if (parent)
      add(parent, {
        kind: 'action',
        title: `distributed router: VSID ${port.vsid} -> ${target.vsid}, MACs rewritten, TTL ${inner.ttl} -> ${inner.ttl - 1}`,
        where,
        frame: frame.slice(),
        action: { type: 'route', routingDomainId: port.rd },
        children: [],
      });
    return { record, vsid: target.vsid };
  }

  /** After the CA-PA lookup: deliver on this host, or encapsulate towards the remote PA. */
  private unicastDecision(
    port: PortRt,
    record: LookupRecord,
    frame: Uint8Array,
    vsid: number,
    parent: TraceNode | null,
    entry: FlowEntry,
  ): FlowEntry {
    const host = port.host;
    entry.deps.push(`rec:${recordKey(vsid, record.caIp)}`);
    const where = portWhere(port);
    if (record.hostId === host.id) {
      const dst = host.portById.get(record.vnicId);
      if (!dst) return this.dropEntry(entry, host.name, `port of ${record.vmLabel} not found`, parent, where);
      entry.deps.push(`port:${dst.id}`);
      const reason = this.portIngressSlow(dst, frame, 0, vsid, null, parent);
      if (reason)
        return this.dropEntry(entry, `${host.name} / port ${dst.label}`, reason, parent, portWhere(dst));
      entry.op = FlowOp.Local;
      entry.outPort = dst;
      entry.actions.push(`output port ${dst.label} (same host)`);
      return entry;
    }
    // Encapsulate: the VNet layer's encap rule, then the PA routing layer's next hop and VLAN.
    const kind = record.encapsulation;
    const ls = host.logicalSubnet;
    const srcPa = port.pa;
    const dstPa = ipToU32(record.pa);
    const flowHash = innerFlowHash(frame, 0);
    const plain = buildEncapHeader(
      {
        kind,
        vsid,
        srcMac: ZERO_MAC,
        dstMac: ZERO_MAC,
        vlanId: 0,
        srcPa,
        dstPa,
        // The id this packet leaves with: applyEncap gives a flow's nth packet base + n.
        ipId: (flowHash + 1) & 0xffff,
        flowHash,
      },
      frame.length,
    );
    const encapAction: Action = {
      type: 'encap',
      encapsulation: kind,
      vsid,
      srcPa: port.policy.pa,
      dstPa: record.pa,
    };
    entry.actions.push(actionText(encapAction));
    if (parent) {
      const f = new Uint8Array(plain.length + frame.length);
      f.set(plain);
      f.set(frame, plain.length);
      add(parent, {
        kind: 'action',
        title: `encapsulate in ${kind.toUpperCase()} ${kind === 'vxlan' ? 'VNI' : 'key VSID'} ${vsid}: ${port.policy.pa} -> ${record.pa}`,
        where: { ...where, layer: 'vnet' },
        frame: f,
        action: encapAction,
        children: [],
      });
    }
    if (!ls) return this.dropEntry(entry, host.name, 'host has no logical subnet', parent, where);
    const paRoute = port.out.find((g) => g.layer.id === 'pa_route');
    let stage: TraceNode | null = parent;
    if (paRoute) {
      const outerView = parse(plain);
      const r = this.walkGroup(
        paRoute,
        { inner: parse(frame), vsid, outer: outerView },
        parent,
        where,
        'out',
      );
      stage = r.stage;
    }
    // Outer next hop: the remote host when its PA is on our logical subnet, else the subnet's gateway.
    const lsPrefix = ls.prefix.split('/');
    const mask = Number(lsPrefix[1]) === 0 ? 0 : (0xffffffff << (32 - Number(lsPrefix[1]))) >>> 0;
    const sameSubnet = (dstPa & mask) >>> 0 === (ipToU32(lsPrefix[0]) & mask) >>> 0;
    const nextHopIp = sameSubnet ? dstPa : ipToU32(ls.defaultGateway);
    const srcMac = host.paMac.get(srcPa) ?? host.teamMacs[0];
    const known = host.paArp.has(nextHopIp);
    const nextHop = this.physical.arpOnLink(
      host.paArp,
      ls,
      { name: host.name, mac: srcMac, ip: srcPa },
      nextHopIp,
      stage,
    );
    const nextHopMac = nextHop?.mac ?? null;
    if (stage)
      add(stage, {
        kind: 'lookup',
        title: nextHop
          ? `PA next hop ${u32ToIp(nextHopIp)} (${sameSubnet ? 'remote host on the same logical subnet' : 'default gateway'}) ${known ? 'from the ARP cache' : 'resolved by ARP'}: ${formatMac(nextHop.mac)} ${nextHop.name}`
          : `PA next hop ${u32ToIp(nextHopIp)} does not answer ARP`,
        where: { ...where, layer: 'pa_route', logicalSubnetId: ls.id, logicalSubnetName: ls.name },
        table: `${host.name} PA compartment ARP cache`,
        key: u32ToIp(nextHopIp),
        result: nextHop ? formatMac(nextHop.mac) : null,
        children: [],
      });
    if (!nextHopMac)
      return this.dropEntry(
        entry,
        `${host.name} / PA routing`,
        `no ARP answer for PA next hop ${u32ToIp(nextHopIp)}`,
        stage,
        where,
      );
    const template = buildEncapHeader(
      {
        kind,
        vsid,
        srcMac,
        dstMac: nextHopMac,
        vlanId: ls.vlanId,
        srcPa,
        dstPa,
        ipId: flowHash & 0xffff,
        flowHash,
      },
      frame.length,
    );
    entry.op = FlowOp.Encap;
    entry.template = template;
    entry.ipOff = ls.vlanId > 0 ? 18 : 14;
    entry.udpOff = kind === 'vxlan' ? entry.ipOff + 20 : -1;
    entry.ipIdBase = flowHash & 0xffff;
    // One's-complement sum of the outer IP header without total length (word 1), id (2), checksum (5).
    const ip = entry.ipOff;
    entry.ipPartialSum =
      onesSum(template, ip, ip + 2) +
      onesSum(template, ip + 6, ip + 10) +
      onesSum(template, ip + 12, ip + 20);
    entry.maxLength = ls.mtu - (encapOverhead(kind) - 14);
    entry.outPort = null;
    entry.actions.push(`PA route: VLAN ${ls.vlanId}, eth.dst ${formatMac(nextHopMac)}, output uplink`);
    if (stage)
      add(stage, {
        kind: 'action',
        title: `PA routing: logical subnet '${ls.name}', VLAN ${ls.vlanId}, outer eth ${formatMac(srcMac)} -> ${formatMac(nextHopMac)}`,
        where: { ...where, layer: 'pa_route', logicalSubnetId: ls.id, logicalSubnetName: ls.name },
        action: { type: 'pa-route', logicalSubnetId: ls.id, vlanId: ls.vlanId },
        children: [],
      });
    return entry;
  }

  /** A port's inbound groups (pa_route, vnet, acl) in the slow path. Returns a drop reason or null. */
  private portIngressSlow(
    port: PortRt,
    frame: Uint8Array,
    innerAt: number,
    vsid: number,
    outer: Parsed | null,
    parent: TraceNode | null,
  ): string | null {
    const inner = parse(frame, innerAt);
    const view: MatchView = { inner, vsid, outer };
    const where = portWhere(port);
    for (const g of port.in) {
      if (g.layer.id === 'acl' && inner.etherType !== ETH_IPV4) continue;
      const { rule, stage } = this.walkGroup(g, view, parent, where, 'in');
      for (const a of rule.actions) {
        if (a.type === 'drop') {
          if (stage)
            add(stage, { kind: 'action', title: `drop: ${a.reason}`, where, action: a, children: [] });
          return a.reason;
        }
        if (a.type === 'decap' && stage)
          add(stage, {
            kind: 'action',
            title: `decapsulate: strip outer Ethernet/IP/${a.encapsulation === 'vxlan' ? 'UDP/VXLAN' : 'GRE'} (${innerAt} bytes)`,
            where,
            frame: frame.slice(innerAt),
            action: a,
            children: [],
          });
      }
    }
    return null;
  }

  /** Apply a flow entry to a packet: the fast path (and the tail of the slow path). */
  private execute(
    host: HostRt,
    src: PortRt | null,
    entry: FlowEntry,
    pkt: Pkt,
    parent: TraceNode | null,
  ): void {
    const b = pkt.buf;
    // A routed flow (the distributed router rewrites it): TTL is not in the flow key, so a
    // cached route still meets the packet whose TTL runs out here.
    if (entry.rewrite && src && b[pkt.off + 22] <= 1) {
      this.ttlExceeded(src, b.subarray(pkt.off, pkt.off + pkt.len), parent);
      return;
    }
    switch (entry.op) {
      case FlowOp.Drop: {
        entry.hits++;
        this.dropped(entry.dropAt, entry.dropReason, parent, parent ? hostWhere(host) : NO_WHERE);
        return;
      }
      case FlowOp.Local: {
        entry.hits++;
        if (entry.rewrite) this.rewriteInner(entry, b, pkt.off);
        if (entry.outPort) this.toVm(entry.outPort, pkt, parent);
        return;
      }
      case FlowOp.Encap: {
        if (pkt.len > entry.maxLength) {
          this.mtuExceeded(src, entry, pkt, parent);
          return;
        }
        if (entry.rewrite) this.rewriteInner(entry, b, pkt.off);
        const off = applyEncap(entry, b, pkt.off, pkt.len);
        pkt.len += pkt.off - off;
        pkt.off = off;
        if (parent)
          add(parent, {
            kind: 'output',
            title: `${host.name} sends the encapsulated frame on its uplink`,
            where: hostWhere(host),
            frame: copyOf(pkt),
            to: 'uplink',
            children: [],
          });
        this.physical.uplinkSend(host, pkt, parent);
        return;
      }
      case FlowOp.Decap: {
        entry.hits++;
        // Outer length: Ethernet (+ VLAN) + IPv4 header + UDP/VXLAN or GRE.
        let l3 = pkt.off + 14;
        if (b[pkt.off + 12] === 0x81 && b[pkt.off + 13] === 0) l3 += 4;
        const l4 = l3 + (b[l3] & 15) * 4;
        const innerAt = l4 + (b[l3 + 9] === IP_UDP ? 16 : 8);
        pkt.len -= innerAt - pkt.off;
        pkt.off = innerAt;
        if (entry.outPort) this.toVm(entry.outPort, pkt, parent);
        return;
      }
    }
  }

  private rewriteInner(entry: FlowEntry, b: Uint8Array, at: number): void {
    for (let i = 0; i < 6; i++) {
      b[at + i] = entry.newDstMac[i];
      b[at + 6 + i] = entry.newSrcMac[i];
    }
    decrementTtl(b, at + 14);
  }

  private dropped(at: string, reason: string, parent: TraceNode | null, where: TraceWhere): void {
    this.stats.dropped++;
    if (!this.outcome.drop) this.outcome.drop = { at, reason };
    if (parent)
      add(parent, { kind: 'drop', title: `dropped at ${at}: ${reason}`, where, reason, children: [] });
  }

  /** The outer frame would not fit the PA MTU: drop with the reason; with DF, ICMP frag-needed to the VM. */
  private mtuExceeded(src: PortRt | null, entry: FlowEntry, pkt: Pkt, parent: TraceNode | null): void {
    const host = src?.host;
    const ls = host?.logicalSubnet;
    if (!src || !host || !ls) return;
    const kind = entry.udpOff >= 0 ? 'vxlan' : 'nvgre';
    const overhead = encapOverhead(kind);
    const innerIp = pkt.len - 14;
    const reason = `outer packet ${innerIp + overhead} bytes exceeds MTU ${ls.mtu} of logical subnet '${ls.name}' (${kind.toUpperCase()} adds ${overhead} bytes to the VM's ${innerIp}-byte packet)`;
    this.dropped(`${host.name} / port ${src.label} / VFP pa_route`, reason, parent, {
      ...portWhere(src),
      layer: 'pa_route',
      logicalSubnetId: ls.id,
      logicalSubnetName: ls.name,
    });
    const b = pkt.buf;
    const l3 = pkt.off + 14;
    const df = (b[l3 + 6] & 0x40) !== 0;
    if (!df || ((b[pkt.off + 12] << 8) | b[pkt.off + 13]) !== ETH_IPV4) return;
    this.routerIcmp(
      src,
      b.subarray(pkt.off, pkt.off + pkt.len),
      { type: 3, code: 4, nextHopMtu: ls.mtu - overhead },
      `ICMP fragmentation needed (type 3 code 4, next-hop MTU ${ls.mtu - overhead}) sent back to ${src.label}`,
      parent,
    );
  }

  /**
   * An ICMP error from the distributed router (the VM's gateway) back to the VM, quoting the
   * offending packet's IP header and first 8 bytes (RFC 792). Traced packets only: the VM's
   * stack would learn from it, the data plane does not.
   */
  private routerIcmp(
    src: PortRt,
    frame: Uint8Array,
    icmp: { type: number; code: number; nextHopMtu?: number },
    title: string,
    parent: TraceNode | null,
  ): void {
    if (!parent) return;
    const l3 = 14;
    const quoted = frame.slice(l3, l3 + (frame[l3] & 15) * 4 + 8);
    const error = buildIpFrame({
      srcMac: src.gatewayMac,
      dstMac: src.mac,
      srcIp: src.gatewayIp,
      dstIp: src.caIp,
      proto: IP_ICMP,
      ttl: 128,
      id: fnv(quoted, 0, quoted.length) & 0xffff,
      df: false,
      totalLength: 20 + 8 + quoted.length,
      srcPort: 0,
      dstPort: 0,
      icmpType: icmp.type,
      icmpCode: icmp.code,
      icmpId: 0,
      icmpSeq: 0,
      tcpFlags: 0,
      tcpSeq: 0,
      tcpAck: 0,
      payload: quoted,
      nextHopMtu: icmp.nextHopMtu,
    });
    add(parent, { kind: 'deliver', title, where: portWhere(src), frame: error, vm: src.label, children: [] });
    this.frames?.push({ where: `${src.host.name} vSwitch -> ${src.label}`, frame: error });
  }

  /** A routed packet with TTL 1: the distributed router drops it and tells the sender (ICMP 11/0). */
  private ttlExceeded(src: PortRt, frame: Uint8Array, parent: TraceNode | null): void {
    const where = { ...portWhere(src), routerName: 'distributed router' };
    this.dropped(
      `${src.host.name} / distributed router`,
      `TTL ${frame[22]} expired in the distributed router (it would be 0 after this hop): ICMP time exceeded goes back to ${src.label}`,
      parent,
      where,
    );
    this.routerIcmp(
      src,
      frame,
      { type: 11, code: 0 },
      `ICMP time exceeded (type 11 code 0, TTL expired in transit) from gateway ${u32ToIp(src.gatewayIp)} to ${src.label}`,
      parent,
    );
  }

  /** A ping to the gateway address: the distributed router on this host answers it. */
  private gatewayEcho(src: PortRt, frame: Uint8Array, inner: Parsed, parent: TraceNode | null): void {
    const reply = frame.slice();
    writeMac(reply, 0, src.mac);
    writeMac(reply, 6, src.gatewayMac);
    put32(reply, 26, src.gatewayIp);
    put32(reply, 30, src.caIp);
    reply[22] = 128;
    reply[inner.l4] = 0; // echo reply, same id, sequence and data
    ipChecksum(reply, 14);
    l4Checksum(reply, 14);
    const gateway = `distributed router (gateway ${u32ToIp(src.gatewayIp)})`;
    this.outcome.delivered.push(gateway);
    this.stats.delivered++;
    if (!parent) return;
    const where = { ...portWhere(src), routerName: 'distributed router' };
    add(parent, {
      kind: 'action',
      title: `the ${gateway} on ${src.host.name} answers the ping: ICMP echo reply ${u32ToIp(src.gatewayIp)} -> ${u32ToIp(src.caIp)}`,
      where,
      frame: reply,
      action: { type: 'route', routingDomainId: src.rd },
      children: [],
    });
    add(parent, {
      kind: 'deliver',
      title: `echo reply delivered to ${src.label} on ${src.host.name}`,
      where: portWhere(src),
      frame: reply,
      vm: src.label,
      children: [],
    });
    this.frames?.push({ where: `${src.host.name} vSwitch -> ${src.label}`, frame: reply });
  }

  /** The host agent answers ARP from its policy store; ARP never leaves the host. */
  private hostAgentArp(port: PortRt, frame: Uint8Array, parent: TraceNode | null): void {
    const p = parse(frame);
    const host = port.host;
    const where = { ...portWhere(port), layer: 'vnet' };
    const target = p.arpTargetIp;
    let mac: string | null = null;
    let owner = '';
    if (target === port.gatewayIp) {
      mac = routerMac(port.vsid);
      owner = `distributed router (gateway of VSID ${port.vsid})`;
    } else {
      const record = this.agents.lookup(host, port.vsid, u32ToIp(target)).record;
      if (record) {
        mac = record.mac;
        owner = record.vmLabel;
      }
    }
    if (parent)
      add(parent, {
        kind: 'lookup',
        title: mac
          ? `${host.name} host agent: ${u32ToIp(target)} @ VSID ${port.vsid} is ${mac} (${owner})`
          : `${host.name} host agent: no lookup record for ${u32ToIp(target)} @ VSID ${port.vsid}`,
        where,
        table: `${host.name} host agent policy store`,
        key: `${u32ToIp(target)} @ VSID ${port.vsid}`,
        result: mac ? `${mac} (${owner})` : null,
        children: [],
      });
    if (p.arpSenderIp === target && target === port.caIp) {
      // Gratuitous ARP (RFC 5227 announcement): the VM tells the subnet its MAC. The host agent
      // already maps this CA to this MAC from the controller's policy, so nothing is learnt and
      // nothing is answered; the frame goes no further (ARP never leaves the host under HNV).
      if (parent)
        add(parent, {
          kind: 'action',
          title: `gratuitous ARP from ${port.label} (${u32ToIp(target)} is-at ${formatMac(port.mac)}): the host agent already has this CA's MAC from the controller; consumed, no reply, not forwarded`,
          where,
          action: { type: 'arp-reply' },
          children: [],
        });
      this.outcome.delivered.push(`${host.name} host agent`);
      return;
    }
    if (!mac || p.arpOp !== 1) {
      this.dropped(
        `${host.name} host agent`,
        `no lookup record for ${u32ToIp(target)} in VSID ${port.vsid}: the host agent sends no ARP reply, ${port.label} marks ${u32ToIp(target)} unreachable`,
        parent,
        where,
      );
      return;
    }
    const macBytes = macToBytes(mac);
    const reply = buildArp(2, macBytes, port.mac, macBytes, target, port.mac, port.caIp);
    if (parent)
      add(parent, {
        kind: 'action',
        title: `${host.name} host agent injects the ARP reply ${u32ToIp(target)} is-at ${mac}`,
        where,
        frame: reply,
        action: { type: 'arp-reply' },
        children: [],
      });
    this.toVm(port, pktOf(reply), parent);
  }

  /** Unicast replication: a copy per other VM of the VSID, destination MAC and IP replaced. */
  private replicate(port: PortRt, frame: Uint8Array, parent: TraceNode | null): void {
    const targets = this.agents.recordsOfVsid(port.host, port.vsid).filter((r) => r.vnicId !== port.id);
    if (targets.length === 0)
      this.dropped(port.host.name, `no other VM in VSID ${port.vsid}`, parent, portWhere(port));
    for (const r of targets) {
      const copy = frame.slice();
      writeMac(copy, 0, macToBytes(r.mac));
      const l3 = 14;
      put32(copy, l3 + 16, ipToU32(r.caIp));
      ipChecksum(copy, l3);
      l4Checksum(copy, l3);
      let branch: TraceNode | null = null;
      if (parent)
        branch = add(parent, {
          kind: 'action',
          title: `unicast copy for ${r.vmLabel}: eth.dst ${r.mac}, ip.dst ${r.caIp}`,
          where: portWhere(port),
          frame: copy.slice(),
          action: { type: 'replicate', vsid: port.vsid },
          children: [],
        });
      const entry = newEntry<PortRt>(FlowOp.Drop);
      this.unicastDecision(port, r, copy, port.vsid, branch, entry);
      this.execute(port.host, port, entry, pktOf(copy), branch);
    }
  }

  /**
   * VLAN isolation, the classic path: the port pushes the tenant's 802.1Q tag and the fabric
   * bridges the frame at L2 to the ports of the same VLAN, on hosts whose logical subnet
   * trunks it; the far port pops the tag. No encapsulation, no CA-PA lookup, no host agent:
   * an ARP request is flooded in the VLAN and answered by the VM that owns the address.
   * Handled per packet (a plain bridged frame has no VFP flow to cache).
   */
  private vlanBridge(port: PortRt, frame: Uint8Array, vlanId: number, parent: TraceNode | null): void {
    const host = port.host;
    const where: TraceWhere = { ...portWhere(port), layer: 'vnet' };
    const tagged = pushVlanTag(frame, vlanId);
    if (parent)
      add(parent, {
        kind: 'action',
        title: `802.1Q push: the vSwitch port tags the frame VLAN ${vlanId} (no encapsulation, no CA-PA lookup: the tag alone isolates the tenant)`,
        where,
        frame: tagged,
        action: { type: 'push-vlan', vlanId },
        children: [],
      });
    const p = parse(frame);
    const broadcast = isMulticastMac(p.dstMac);
    const arpTarget = p.etherType === ETH_ARP && p.arpOp === 1 ? p.arpTargetIp : -1;
    const members: PortRt[] = [];
    for (const h of this.hosts.values())
      for (const q of h.ports) if (q !== port && vlanOfPort(q) === vlanId) members.push(q);
    // The MAC owner; for a flooded ARP request, the VM owning the address (the others discard it).
    const targets = broadcast
      ? arpTarget >= 0
        ? members.filter((q) => q.caIp === arpTarget)
        : members
      : members.filter((q) => macEq(q.mac, p.dstMac));
    const wanted = arpTarget >= 0 ? `who-has ${u32ToIp(arpTarget)}` : formatMac(p.dstMac);
    if (parent)
      add(parent, {
        kind: 'lookup',
        title: targets.length
          ? `VLAN ${vlanId} (L2 fabric): ${wanted} -> ${targets.map((q) => `${q.label} on ${q.host.name}`).join(', ')}`
          : `VLAN ${vlanId} (L2 fabric): nobody in the VLAN for ${wanted}`,
        where,
        table: `VLAN ${vlanId} MAC table (L2 fabric, ${members.length + 1} ports in the VLAN)`,
        key: wanted,
        result: targets.length ? targets.map((q) => q.label).join(', ') : null,
        children: [],
      });
    if (targets.length === 0) {
      this.dropped(
        `VLAN ${vlanId}`,
        arpTarget >= 0
          ? `no VM in VLAN ${vlanId} answers ARP for ${u32ToIp(arpTarget)}: ${port.label} marks it unreachable (other VLANs never see the request)`
          : `no port in VLAN ${vlanId} has MAC ${formatMac(p.dstMac)}: ports in other VLANs never see this frame`,
        parent,
        where,
      );
      return;
    }
    const ls = host.logicalSubnet;
    let onWire = false;
    for (const dst of targets) {
      if (dst.host !== host) {
        if (!trunksVlan(ls, vlanId)) {
          this.dropped(`${host.name} uplink`, vlanNotCarried(vlanId, ls, port), parent, where);
          continue;
        }
        if (!onWire && ls) {
          onWire = true;
          if (parent)
            add(parent, {
              kind: 'hop',
              title: `on the wire: 802.1Q VLAN ${vlanId} bridged at L2 from ${host.name} (trunk of logical subnet '${ls.name}'), no encapsulation`,
              where: { logicalSubnetId: ls.id, logicalSubnetName: ls.name },
              frame: tagged,
              from: `${host.name} uplink`,
              to: `VLAN ${vlanId} trunk`,
              children: [],
            });
          this.frames?.push({ where: `VLAN ${vlanId} trunk '${ls.name}'`, frame: tagged });
        }
        const dls = dst.host.logicalSubnet;
        if (!trunksVlan(dls, vlanId)) {
          this.dropped(
            `${dst.host.name} uplink`,
            vlanNotCarried(vlanId, dls, dst),
            parent,
            hostWhere(dst.host),
          );
          continue;
        }
        if (parent)
          add(parent, {
            kind: 'hop',
            title: `${dst.host.name} receives the VLAN ${vlanId} frame on its trunk port`,
            where: hostWhere(dst.host),
            from: 'wire',
            to: `${dst.host.name} uplink`,
            children: [],
          });
      }
      const untagged = popVlanTag(tagged);
      if (parent)
        add(parent, {
          kind: 'action',
          title: `802.1Q pop: VLAN ${vlanId} tag removed at the port of ${dst.label} on ${dst.host.name}`,
          where: { ...portWhere(dst), layer: 'vnet' },
          frame: untagged,
          action: { type: 'pop-vlan' },
          children: [],
        });
      const reason = this.portIngressSlow(dst, untagged, 0, dst.vsid, null, parent);
      if (reason) {
        this.dropped(`${dst.host.name} / port ${dst.label}`, reason, parent, portWhere(dst));
        continue;
      }
      this.toVm(dst, pktOf(untagged), parent);
      if (arpTarget >= 0) {
        // The VM that owns the address answers; its reply is bridged back in the VLAN.
        const reply = buildArp(2, dst.mac, port.mac, dst.mac, dst.caIp, port.mac, port.caIp);
        if (parent)
          add(parent, {
            kind: 'hop',
            title: `${dst.label} itself answers (no host agent under VLANs): ${u32ToIp(dst.caIp)} is-at ${formatMac(dst.mac)}`,
            where: portWhere(dst),
            frame: reply,
            from: dst.label,
            to: `${dst.host.name} vSwitch port`,
            children: [],
          });
        this.vlanBridge(dst, reply, vlanId, parent);
      }
    }
  }

  /** Deliver a frame to a VM; the guest answers echo requests and learns ARP replies. */
  private toVm(port: PortRt, pkt: Pkt, parent: TraceNode | null): void {
    this.stats.delivered++;
    if (parent) {
      const frame = copyOf(pkt);
      add(parent, {
        kind: 'deliver',
        title: `delivered to ${port.label} on ${port.host.name}`,
        where: portWhere(port),
        frame,
        vm: port.label,
        children: [],
      });
      this.frames?.push({ where: `${port.host.name} vSwitch -> ${port.label}`, frame });
      this.outcome.delivered.push(port.label);
    }
    const b = pkt.buf;
    const at = pkt.off;
    const type = (b[at + 12] << 8) | b[at + 13];
    if (type === ETH_ARP) {
      const p = parse(b, at);
      if (p.arpOp === 2) port.arpCache.set(p.arpSenderIp, b.slice(at + 22, at + 28));
      return;
    }
    if (this.guestReplies && type === ETH_IPV4 && b[at + 23] === IP_ICMP && b[at + 34] === 8)
      this.replies.push({ port, frame: copyOf(pkt) });
  }

  // ---------- host side of the physical network ----------

  /** An ICMP error for one of the host's PAs (a tunnel packet that did not fit): its network stack takes it. */
  private pathMtuReport(host: HostRt, pkt: Pkt, p: Parsed, parent: TraceNode | null): void {
    if (!parent) return;
    const b = pkt.buf;
    const code = b[p.l4 + 1];
    const mtu = (b[p.l4 + 6] << 8) | b[p.l4 + 7];
    const quotedDst = u32ToIp(
      ((b[p.l4 + 24] << 24) | (b[p.l4 + 25] << 16) | (b[p.l4 + 26] << 8) | b[p.l4 + 27]) >>> 0,
    );
    add(parent, {
      kind: 'lookup',
      title:
        code === 4
          ? `${host.name}'s network stack receives it: tunnel packets from ${u32ToIp(p.ipDst)} to PA ${quotedDst} must fit ${mtu} bytes (the VM's packet plus the encapsulation)`
          : `${host.name}'s network stack receives ICMP destination unreachable (code ${code}) about PA ${quotedDst}`,
      where: hostWhere(host),
      table: `${host.name} PA network stack`,
      key: `ICMP ${p.icmpType}/${code} from ${u32ToIp(p.ipSrc)}`,
      result: code === 4 ? `next-hop MTU ${mtu}` : null,
      children: [],
    });
  }

  /** A host's uplink receives a frame: PA compartment, UFT, then the destination port's inbound layers. */
  private hostReceive(host: HostRt, pkt: Pkt, p: Parsed, parent: TraceNode | null): void {
    const where = parent ? hostWhere(host) : NO_WHERE;
    if (parent)
      add(parent, {
        kind: 'hop',
        title: `${host.name} receives on its uplink`,
        where,
        from: 'wire',
        to: `${host.name} uplink`,
        children: [],
      });
    if (p.etherType === ETH_IPV4 && !ipChecksumOk(pkt.buf, p.l3)) {
      this.dropped(host.name, badOuterChecksum(pkt.buf, p.l3), parent, where);
      return;
    }
    if (!host.pas.has(p.ipDst)) {
      this.dropped(
        host.name,
        `outer destination ${u32ToIp(p.ipDst)} is not a PA of ${host.name}`,
        parent,
        where,
      );
      return;
    }
    if (p.encapFault !== EncapFault.None) {
      this.dropped(host.name, encapFaultReason(pkt.buf, p), parent, where);
      return;
    }
    if (!p.encap && p.proto === IP_ICMP && p.icmpType === 3) {
      this.pathMtuReport(host, pkt, p, parent);
      return;
    }
    if (!p.encap) {
      this.dropped(host.name, 'not VXLAN/NVGRE traffic', parent, where);
      return;
    }
    if (parent)
      add(parent, {
        kind: 'lookup',
        title: `PA compartment: ${u32ToIp(p.ipDst)} is a provider address of ${host.name}; ${p.encap.toUpperCase()} VSID ${p.vsid}`,
        where,
        table: `${host.name} provider addresses`,
        key: u32ToIp(p.ipDst),
        result: host.name,
        children: [],
      });
    extractKey(this.viewOn(pkt.buf), p.inner, p.vsid, this.key);
    const table = host.uplinkTable;
    const idx = table.find(this.key);
    if (idx >= 0) {
      table.hitCount++;
      this.notePath(true);
      const entry = table.entries[idx];
      if (parent)
        add(parent, {
          kind: 'flow-cache',
          title: `UFT hit on ${host.name} (decap side): fast path`,
          where,
          event: 'hit',
          key: keyToString(this.key),
          actions: entry.actions,
          children: [],
        });
      // The flow key is the inner frame and VSID: the tunnel type is checked per packet.
      const wrongTunnel = entry.outPort ? wrongEncapsulation(entry.outPort, p) : null;
      if (wrongTunnel)
        this.dropped(`${host.name} / port ${entry.outPort?.label}`, wrongTunnel, parent, where);
      else this.execute(host, null, entry, pkt, parent);
      return;
    }
    table.missCount++;
    this.notePath(false);
    const keyCopy = this.key.slice();
    if (parent)
      add(parent, {
        kind: 'flow-cache',
        title: `UFT miss on ${host.name} (decap side): slow path`,
        where,
        event: 'miss',
        key: keyToString(keyCopy),
        children: [],
      });
    const entry = newEntry<PortRt>(FlowOp.Drop);
    const innerDst = pkt.buf.slice(p.inner, p.inner + 6);
    const port = host.ports.find((q) => q.vsid === p.vsid && macEq(q.mac, innerDst)) ?? null;
    if (parent)
      add(parent, {
        kind: 'lookup',
        title: port
          ? `vSwitch: VSID ${p.vsid} + inner MAC ${formatMac(innerDst)} -> port ${port.label}`
          : `vSwitch: no port with VSID ${p.vsid} and MAC ${formatMac(innerDst)}`,
        where,
        table: `${host.name} vSwitch ports`,
        key: `VSID ${p.vsid} ${formatMac(innerDst)}`,
        result: port ? port.label : null,
        children: [],
      });
    const wrongTunnel = port ? wrongEncapsulation(port, p) : null;
    if (port && wrongTunnel) {
      // Not cached: the same inner frame in the right tunnel type is delivered.
      this.dropped(`${host.name} / port ${port.label}`, wrongTunnel, parent, where);
      return;
    }
    if (!port) {
      this.dropEntry(entry, host.name, this.noPortReason(host, pkt.buf, p.inner, p.vsid), parent, where);
    } else {
      entry.deps.push(`port:${port.id}`);
      const frame = copyOf(pkt);
      const reason = this.portIngressSlow(port, frame, p.inner - pkt.off, p.vsid, parse(frame), parent);
      if (reason) this.dropEntry(entry, `${host.name} / port ${port.label}`, reason, null, where);
      else {
        entry.op = FlowOp.Decap;
        entry.outPort = port;
        entry.actions.push(`decap ${p.encap.toUpperCase()} VSID ${p.vsid}`, `output port ${port.label}`);
      }
    }
    table.insert(keyCopy, entry);
    this.activeTables.add(table);
    this.execute(host, null, entry, pkt, parent);
  }

  /** Why a decapsulated frame has no port here; names the VM's new place when it has moved. */
  private noPortReason(host: HostRt, b: Uint8Array, inner: number, vsid: number): string {
    const mac = formatMac(b.subarray(inner, inner + 6));
    const base = `no vNIC with MAC ${mac} in VSID ${vsid}`;
    if (((b[inner + 12] << 8) | b[inner + 13]) !== ETH_IPV4) return base;
    const ca = u32ToIp(
      ((b[inner + 30] << 24) | (b[inner + 31] << 16) | (b[inner + 32] << 8) | b[inner + 33]) >>> 0,
    );
    const now = this.controller.locate(vsid, ca);
    if (!now || now.hostId === host.id) return base;
    const there = this.hosts.get(now.hostId)?.name ?? now.hostId;
    return `${host.name} has no vSwitch port for CA ${ca} (MAC ${mac}) in VSID ${vsid}: ${now.vmLabel} has moved to ${there} (PA ${now.pa}). The sender encapsulated with a stale lookup record, and a host delivers only to its own ports, so it drops the packet`;
  }

  // ---------- the guest and the trace driver ----------

  private resolveDestination(ref: string): { ip: number; label: string } {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(ref)) return { ip: ipToU32(ref), label: ref };
    const port = this.findPort(ref);
    if (!port) throw new Error(`unknown destination '${ref}': use a vNIC id, 'Tenant/VM' or a CA IP`);
    return { ip: port.caIp, label: port.label };
  }

  private buildFrame(
    src: PortRt,
    dstIp: number,
    dstMac: Uint8Array,
    req: TraceRequest,
    reply?: Parsed,
  ): Uint8Array {
    const seq = req.sequence ?? 1;
    const proto = req.protocol === 'tcp' ? IP_TCP : req.protocol === 'udp' ? IP_UDP : IP_ICMP;
    const size = req.size ?? (proto === IP_ICMP ? 84 : 60);
    if (size > src.mtu) throw new Error(`size ${size} exceeds the vNIC MTU ${src.mtu}`);
    const seed = new Uint8Array(12);
    put32(seed, 0, src.caIp);
    put32(seed, 4, dstIp);
    put32(seed, 8, seq + (reply ? 0x10000 : 0));
    return buildIpFrame({
      srcMac: src.mac,
      dstMac,
      srcIp: src.caIp,
      dstIp,
      proto,
      ttl: 128,
      id: fnv(seed, 0, 12) & 0xffff,
      // As Windows sends them: DF on TCP (path MTU discovery), clear on ping and UDP.
      df: req.df ?? proto === IP_TCP,
      totalLength: size,
      srcPort: req.srcPort ?? 50000,
      dstPort: req.dstPort ?? (proto === IP_TCP ? 80 : 53),
      icmpType: reply ? 0 : 8,
      icmpCode: 0,
      icmpId: 1,
      icmpSeq: seq,
      tcpFlags: 0x02,
      tcpSeq: fnv(seed, 0, 12),
      tcpAck: 0,
    });
  }

  private packetRoot(label: string, where: TraceWhere): TraceNode {
    return { kind: 'packet', title: label, where, packet: label, children: [] };
  }

  private finishPacket(label: string, root: TraceNode): TracePacket {
    const o = this.outcome;
    let verdict: TraceVerdict;
    if (o.drop && o.delivered.filter((d) => d !== label).length === 0)
      verdict = { outcome: 'dropped', at: o.drop.at, reason: o.drop.reason };
    else if (o.delivered.length)
      verdict = { outcome: 'delivered', at: o.delivered.join(', '), deliveredTo: [...o.delivered] };
    else
      verdict = { outcome: 'dropped', at: o.drop?.at ?? 'nowhere', reason: o.drop?.reason ?? 'no decision' };
    if (o.drop && o.delivered.length) verdict.reason = o.drop.reason;
    if (root.kind === 'packet') root.path = o.path === 'none' ? undefined : o.path;
    return { label, path: o.path, root, verdict };
  }

  private beginPacket(): void {
    this.outcome = { delivered: [], drop: null, path: 'none' };
  }

  /** The VM resolves its next hop with ARP (answered by its host agent) if not cached. */
  private arpIfNeeded(port: PortRt, nextHop: number, packets: TracePacket[] | null, force = false): boolean {
    if (!force && port.arpCache.has(nextHop)) return true;
    const req = buildArp(1, port.mac, BROADCAST_MAC, port.mac, port.caIp, ZERO_MAC, nextHop);
    const label = `ARP who-has ${u32ToIp(nextHop)} tell ${u32ToIp(port.caIp)} (${port.label})`;
    this.beginPacket();
    const root = packets ? this.packetRoot(label, portWhere(port)) : null;
    this.fromVm(port, pktOf(req), root);
    if (packets && root) {
      const pk = this.finishPacket(port.label, root);
      pk.label = label;
      if (pk.verdict.outcome === 'delivered') pk.verdict.at = port.label;
      packets.push(pk);
    }
    return port.arpCache.has(nextHop);
  }

  private nextHop(port: PortRt, dst: number): number {
    return (dst & port.prefixMask) >>> 0 === port.prefixNet ? dst : port.gatewayIp;
  }

  trace(req: TraceRequest): Trace {
    const src = this.findPort(req.from);
    if (!src) throw new Error(`unknown source '${req.from}': use a vNIC id or 'Tenant/VM'`);
    if (req.frame) return this.traceRawFrame(src, req.frame, req);
    const dst = this.resolveDestination(req.to);
    const packets: TracePacket[] = [];
    const { controlPlane, invalidations } = this.beginTrace(req.protocol === 'icmp');
    let verdict: TraceVerdict;
    try {
      const isBroadcast = dst.ip === 0xffffffff || dst.ip === (src.prefixNet | ~src.prefixMask) >>> 0;
      const nh = this.nextHop(src, dst.ip);
      if (req.protocol === 'arp') {
        this.arpIfNeeded(src, dst.ip, packets, true);
        verdict = packets[0].verdict;
      } else if (!isBroadcast && !this.arpIfNeeded(src, nh, packets)) {
        verdict = packets[packets.length - 1].verdict;
      } else {
        const dstMac = isBroadcast ? BROADCAST_MAC : (src.arpCache.get(nh) ?? BROADCAST_MAC);
        const frame = this.buildFrame(src, dst.ip, dstMac, req);
        const label = `${req.protocol.toUpperCase()}${req.protocol === 'icmp' ? ' echo request' : ''} ${src.label} ${u32ToIp(src.caIp)} -> ${dst.label === u32ToIp(dst.ip) ? dst.label : `${dst.label} ${u32ToIp(dst.ip)}`}`;
        this.beginPacket();
        const root = this.packetRoot(label, portWhere(src));
        this.fromVm(src, pktOf(frame), root);
        const main = this.finishPacket(label, root);
        packets.push(main);
        verdict = main.verdict;
        const pending = this.replies;
        this.replies = [];
        this.guestReplies = false;
        for (const r of pending.slice(0, 1)) {
          const p = parse(r.frame);
          const back = this.nextHop(r.port, p.ipSrc);
          if (!this.arpIfNeeded(r.port, back, packets)) {
            verdict = packets[packets.length - 1].verdict;
            break;
          }
          const replyFrame = this.buildFrame(
            r.port,
            p.ipSrc,
            r.port.arpCache.get(back) ?? BROADCAST_MAC,
            req,
            p,
          );
          // The echo reply carries the request's payload (same length).
          replyFrame.set(r.frame.subarray(42), 42);
          l4Checksum(replyFrame, 14);
          const rl = `ICMP echo reply ${r.port.label} ${u32ToIp(r.port.caIp)} -> ${src.label} ${u32ToIp(p.ipSrc)}`;
          this.beginPacket();
          const rroot = this.packetRoot(rl, portWhere(r.port));
          this.fromVm(r.port, pktOf(replyFrame), rroot);
          const reply = this.finishPacket(rl, rroot);
          packets.push(reply);
          if (reply.verdict.outcome !== 'delivered') verdict = reply.verdict;
        }
      }
    } finally {
      this.guestReplies = false;
    }
    return this.finishTrace(req, packets, verdict, controlPlane, invalidations);
  }

  /** One raw frame from a VM's port, as given: no ARP first, no reply (an ovn-trace microflow). */
  private traceRawFrame(src: PortRt, frame: Uint8Array, req: TraceRequest): Trace {
    const what = checkRawFrame(frame, src);
    const request: TraceRequest = {
      from: req.from,
      to: what.to,
      protocol: what.protocol,
      frame: frame.slice(),
    };
    const { controlPlane, invalidations } = this.beginTrace(false);
    const label = `frame ${src.label} -> ${what.to} (${what.protocol.toUpperCase()}, ${frame.length} bytes, as given)`;
    this.beginPacket();
    const root = this.packetRoot(label, portWhere(src));
    this.fromVm(src, pktOf(frame), root);
    const packet = this.finishPacket(label, root);
    this.replies = [];
    return this.finishTrace(request, [packet], packet.verdict, controlPlane, invalidations);
  }

  /**
   * Start recording a trace: frames from here on, the guest's echo replies if asked, and the
   * controller's pushes and invalidations since the last trace (which the trace opens with).
   */
  private beginTrace(guestReplies: boolean): {
    controlPlane: SouthboundUpdate[];
    invalidations: TraceNode[];
  } {
    this.frames = [];
    this.replies = [];
    this.guestReplies = guestReplies;
    const controlPlane = this.pendingUpdates;
    this.pendingUpdates = [];
    const invalidations = this.invalidationLog;
    this.invalidationLog = [];
    return { controlPlane, invalidations };
  }

  /** The trace's frames, with the controller's pushes since the last trace put first. */
  private finishTrace(
    req: TraceRequest,
    packets: TracePacket[],
    verdict: TraceVerdict,
    controlPlane: SouthboundUpdate[],
    invalidations: TraceNode[],
  ): Trace {
    const frames = this.frames ?? [];
    this.frames = null;
    // The controller's pushes since the last trace come first: what changed before this packet.
    if (packets[0] && invalidations.length) packets[0].root.children.unshift(...invalidations);
    if (packets[0] && controlPlane.length)
      packets[0].root.children.unshift(
        ...controlPlane.map(
          (update): TraceNode => ({
            kind: 'control-plane',
            title: `controller -> ${this.hosts.get(update.hostId)?.name ?? update.hostId}: ${update.op} ${update.kind} ${update.key}`,
            where: { hostId: update.hostId, hostName: this.hosts.get(update.hostId)?.name },
            update,
            children: [],
          }),
        ),
      );
    return { request: req, controlPlane, packets, verdict, frames };
  }

  /**
   * Put a raw frame on a logical subnet's link, as a device on that link would, and trace what
   * the fabric and the hosts do with it (a PTF test's "this frame in"): the packet's trace and
   * every frame that crossed a wire or port.
   */
  traceWireFrame(
    logicalSubnet: string,
    frame: Uint8Array,
    from = 'a device on the link',
  ): Omit<Trace, 'request'> {
    const ls = this.controller.doc.logicalSubnets.find(
      (l) => l.id === logicalSubnet || l.name === logicalSubnet,
    );
    if (!ls) throw new Error(`unknown logical subnet '${logicalSubnet}': use its id or name`);
    this.frames = [];
    const label = `frame from ${from} on '${ls.name}'`;
    this.beginPacket();
    const root = this.packetRoot(label, { logicalSubnetId: ls.id, logicalSubnetName: ls.name });
    this.physical.wireSend(ls, pktOf(frame), from, root);
    const packet = this.finishPacket(label, root);
    const frames = this.frames;
    this.frames = null;
    return { controlPlane: [], packets: [packet], verdict: packet.verdict, frames };
  }

  /** Send n packets of a flow untraced: the first takes the slow path, the rest the fast path. */
  send(flow: TraceRequest, n: number): FlowCounters {
    const src = this.findPort(flow.from);
    if (!src) throw new Error(`unknown source '${flow.from}'`);
    const dst = this.resolveDestination(flow.to);
    const nh = this.nextHop(src, dst.ip);
    this.stats = { packets: 0, slow: 0, fast: 0, delivered: 0, dropped: 0 };
    this.arpIfNeeded(src, nh, null);
    this.stats = { packets: 0, slow: 0, fast: 0, delivered: 0, dropped: 0 };
    const dstMac = src.arpCache.get(nh);
    if (!dstMac) {
      this.stats.dropped = n;
      return this.counters(src, n);
    }
    const frame = this.buildFrame(src, dst.ip, dstMac, flow);
    const pkt: Pkt = { buf: new Uint8Array(HEADROOM + frame.length + 256), off: HEADROOM, len: frame.length };
    for (let i = 0; i < n; i++) {
      pkt.buf.set(frame, HEADROOM);
      pkt.off = HEADROOM;
      pkt.len = frame.length;
      this.outcome.path = 'none';
      this.fromVm(src, pkt, null);
    }
    return this.counters(src, n);
  }

  /** For benchmarks: resolve a flow (ARP included) and return its source port and first frame. */
  prepareFlow(flow: TraceRequest): { port: PortRt; frame: Uint8Array } | null {
    const src = this.findPort(flow.from);
    if (!src) return null;
    const dst = this.resolveDestination(flow.to);
    const nh = this.nextHop(src, dst.ip);
    this.arpIfNeeded(src, nh, null);
    const mac = src.arpCache.get(nh);
    return mac ? { port: src, frame: this.buildFrame(src, dst.ip, mac, flow) } : null;
  }

  /** Packets counted since the last `send` (what the data plane did, untraced or not). */
  packetStats(): Readonly<{
    packets: number;
    slow: number;
    fast: number;
    delivered: number;
    dropped: number;
  }> {
    return { ...this.stats };
  }

  /** One untraced frame from a VM through the whole pipeline: the entry point of `send` and the benchmarks. */
  inject(port: PortRt, buf: Uint8Array, off: number, len: number): void {
    this.fromVm(port, { buf, off, len }, null);
  }

  private counters(src: PortRt, n: number): FlowCounters {
    const t = src.flowTable;
    return {
      packets: n,
      slowPath: this.stats.slow,
      fastPath: this.stats.fast,
      delivered: this.stats.delivered,
      dropped: this.stats.dropped,
      flowEntries: t.entries.length,
      hits: t.hitCount,
      misses: t.missCount,
    };
  }

  private viewOn(b: Uint8Array): DataView {
    if (b !== this.viewBuf) {
      this.viewBuf = b;
      this.view = viewOf(b);
    }
    return this.view;
  }

  hostTables(hostId: string): HostTables | null {
    const policy = this.controller.hostPolicy(hostId);
    const host = this.hosts.get(hostId);
    if (!policy || !host) return null;
    return {
      ...policy,
      ports: policy.ports.map((p) => ({
        ...p,
        flowTable: host.portById.get(p.portId)?.flowTable.view() ?? [],
      })),
      uplinkFlowTable: host.uplinkTable.view(),
      paArpCache: [...host.paArp].map(([ip, mac]) => ({ ip: u32ToIp(ip), mac: formatMac(mac) })),
      arpCaches: host.ports.map((p) => ({
        vm: p.label,
        vnicId: p.id,
        entries: [...p.arpCache].map(([ip, mac]) => ({ ip: u32ToIp(ip), mac: formatMac(mac) })),
      })),
    };
  }

  portFor(ref: string): PortRt | null {
    return this.findPort(ref) ?? this.portByVnic(ref);
  }
}

/**
 * The cached VXLAN/NVGRE encapsulation: copy the flow's outer-header template into the headroom
 * in front of the frame, then patch outer IP total length, id and checksum (from the template's
 * precomputed partial sum) and the UDP length. No allocation. Returns the new frame start.
 */
function applyEncap(entry: FlowEntry, b: Uint8Array, at: number, len: number): number {
  entry.hits++;
  const t = entry.template;
  const n = t.length;
  const off = at - n;
  b.set(t, off);
  const ip = off + entry.ipOff;
  const ipLen = n - entry.ipOff + len;
  const id = (entry.ipIdBase + entry.hits) & 0xffff;
  b[ip + 2] = ipLen >>> 8;
  b[ip + 3] = ipLen & 255;
  b[ip + 4] = id >>> 8;
  b[ip + 5] = id & 255;
  let sum = entry.ipPartialSum + ipLen + id;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = ~sum & 0xffff;
  b[ip + 10] = sum >>> 8;
  b[ip + 11] = sum & 255;
  if (entry.udpOff >= 0) {
    const u = off + entry.udpOff;
    const udpLen = ipLen - 20;
    b[u + 4] = udpLen >>> 8;
    b[u + 5] = udpLen & 255;
  }
  return off;
}

/** A decision the slow path made for this one packet (answered or refused): nothing to cache. */
const PER_PACKET = Symbol('per-packet');

/** The tenant VLAN of a port whose virtual subnet is VLAN-isolated, else undefined. */
function vlanOfPort(port: PortRt): number | undefined {
  const s = port.resolved.subnet;
  return s.isolation === 'vlan' ? s.vlanId : undefined;
}

function trunksVlan(ls: LogicalSubnet | undefined, vlanId: number): boolean {
  return ls?.trunkedVlans?.includes(vlanId) ?? false;
}

/** Why a VLAN-isolated VM is cut off: its VLAN does not reach the rack it runs in. */
function vlanNotCarried(vlanId: number, ls: LogicalSubnet | undefined, port: PortRt): string {
  return `VLAN ${vlanId} is not carried on logical subnet '${ls?.name ?? 'none'}': under VLAN isolation a VM can only live where its VLAN is trunked; it would need a new IP in that rack's subnet (${port.label} runs on ${port.host.name})`;
}

export { isMulticastMac };

/** The drop reason for an outer IPv4 header whose checksum is wrong. */
function badOuterChecksum(b: Uint8Array, l3: number): string {
  const got = (b[l3 + 10] << 8) | b[l3 + 11];
  const header = b.slice(l3, l3 + (b[l3] & 15) * 4);
  ipChecksum(header, 0);
  const want = (header[10] << 8) | header[11];
  const hex = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
  return `outer IPv4 header checksum ${hex(got)} is wrong (the header sums to ${hex(want)}): the host's IP stack discards the packet (RFC 1122 §3.2.1.2)`;
}

/** The drop reason for a packet that looks like a tunnel but breaks its rules (Parsed.encapFault). */
function encapFaultReason(b: Uint8Array, p: Parsed): string {
  if (p.encapFault === EncapFault.VxlanIClear)
    return `VXLAN header with the I flag clear (flags 0x${b[p.l4 + 8].toString(16).padStart(2, '0')}): the VNI is not valid, so the packet cannot be mapped to a virtual subnet (RFC 7348 §5: I must be 1)`;
  const word = (b[p.l4] << 8) | b[p.l4 + 1];
  const bits = [
    [0x8000, 'C (checksum present)'],
    [0x4000, 'R (routing present)'],
    [0x1000, 'S (sequence number present)'],
    [0x0800, 'strict source route'],
    [0x0400, 'recursion control bit 5'],
  ] as const;
  const broken = bits.filter(([bit]) => word & bit).map(([, name]) => `${name} set`);
  if (!(word & 0x2000)) broken.push('K (key present) clear');
  if (word & 7) broken.push(`version ${word & 7}`);
  return `GRE header 0x${word.toString(16).padStart(4, '0')} is not NVGRE (${broken.join(', ')}): NVGRE is GRE with K set, C, R, S and bits 4-5 clear and version 0 (RFC 7637 §3.2, RFC 2784 §2.3; bits 6-12 are ignored), so the host discards it`;
}

/** Why a valid tunnel packet may not enter this port's virtual subnet: it came in the other tunnel type. */
function wrongEncapsulation(port: PortRt, p: Parsed): string | null {
  const subnet = port.resolved.subnet;
  if (p.encap === null || subnet.encapsulation === p.encap) return null;
  return `${p.encap.toUpperCase()} packet for VSID ${p.vsid}, but virtual subnet '${subnet.name}' is configured for ${subnet.encapsulation.toUpperCase()}: the host does not decapsulate it into that subnet`;
}

/**
 * Port security: a VM sends only from its own vNIC's MAC (unless the vNIC allows MAC spoofing,
 * as Hyper-V's MacAddressSpoofing) and its own CA (0.0.0.0 is allowed: DHCP and ARP probes).
 * Why the frame is refused, or null.
 */
function portSecurity(port: PortRt, frame: Uint8Array, p: Parsed): string | null {
  const vnic = port.resolved.vnic;
  const spoofOk = vnic.macAddressSpoofing === true;
  const own = formatMac(port.mac);
  if (!spoofOk && !macEq(frame.subarray(6, 12), port.mac))
    return `source MAC ${formatMac(frame.subarray(6, 12))} is not the vNIC's own (${own}) and MAC address spoofing is off for ${port.label}`;
  let ip = -1;
  let what = 'source IP';
  if (p.etherType === ETH_IPV4) ip = p.ipSrc;
  else if (p.etherType === ETH_ARP) {
    ip = p.arpSenderIp;
    what = 'ARP sender IP';
    if (!spoofOk && !macEq(frame.subarray(p.l3 + 8, p.l3 + 14), port.mac))
      return `ARP sender MAC ${formatMac(frame.subarray(p.l3 + 8, p.l3 + 14))} is not the vNIC's own (${own}) and MAC address spoofing is off for ${port.label}`;
  }
  if (ip > 0 && ip !== port.caIp)
    return `${what} ${u32ToIp(ip)} is not ${port.label}'s CA ${u32ToIp(port.caIp)}: the port accepts only its own address`;
  return null;
}

/**
 * What a raw frame from a VM must be for the lab to trace it, and what it is: an Ethernet
 * frame of ARP or IPv4 ICMP/TCP/UDP, whole (the IPv4 total length within the frame, the L4
 * header present), no bigger than the vNIC's MTU allows. Throws an error naming the field.
 */
export function checkRawFrame(frame: Uint8Array, port: PortRt): { to: string; protocol: TraceProtocol } {
  const fail = (field: string, rule: string): never => {
    throw new Error(`frame from ${port.label}: ${field}: ${rule}`);
  };
  if (frame.length < 14)
    fail('length', `${frame.length} bytes is shorter than an Ethernet header (14 bytes)`);
  const type = (frame[12] << 8) | frame[13];
  if (type === ETH_ARP) {
    if (frame.length < 42) fail('length', `an ARP frame needs 42 bytes, this one has ${frame.length}`);
    const p = parse(frame);
    return { to: u32ToIp(p.arpTargetIp), protocol: 'arp' };
  }
  if (type !== ETH_IPV4)
    fail(
      'eth.type',
      `0x${type.toString(16).padStart(4, '0')}: the lab traces ARP (0x0806) and IPv4 (0x0800) frames`,
    );
  if (frame.length < 34)
    fail('length', `an IPv4 frame needs at least 34 bytes, this one has ${frame.length}`);
  if (frame[14] >> 4 !== 4) fail('ip.version', `${frame[14] >> 4}, must be 4`);
  const ihl = (frame[14] & 15) * 4;
  if (ihl < 20) fail('ip.hdr_len', `${ihl} bytes, must be at least 20`);
  const total = (frame[16] << 8) | frame[17];
  if (total < ihl || 14 + total > frame.length)
    fail(
      'ip.len',
      `${total}: must cover the header (${ihl}) and fit the frame (${frame.length - 14} bytes after Ethernet)`,
    );
  if (total > port.mtu) fail('ip.len', `${total} bytes exceeds the vNIC's MTU ${port.mtu}`);
  const proto = frame[23];
  const l4 = L4_HEADER.get(proto);
  if (!l4) return fail('ip.proto', `${proto}: the lab traces ICMP (1), TCP (6) and UDP (17)`);
  if (total < ihl + l4.bytes)
    fail('ip.len', `${total}: too short for the ${l4.protocol.toUpperCase()} header (${l4.bytes} bytes)`);
  return { to: u32ToIp(parse(frame).ipDst), protocol: l4.protocol };
}

const L4_HEADER = new Map<number, { protocol: TraceProtocol; bytes: number }>([
  [IP_ICMP, { protocol: 'icmp', bytes: 8 }],
  [IP_TCP, { protocol: 'tcp', bytes: 20 }],
  [IP_UDP, { protocol: 'udp', bytes: 8 }],
]);
