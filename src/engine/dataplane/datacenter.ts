// The datacenter: the facade the engine's API (worker, CLI, benchmarks) uses over the data
// plane. It keeps the runtime (hosts, ports, fabric) in step with the controller's policy,
// invalidates cached flows by what changed, and drives traces: a VM's ARP, its packet, the
// guest's reply. Every packet, traced or not, runs through the one forwarder loop.
import { ipToU32, u32ToIp } from '../controller/addr';
import { Controller } from '../controller/controller';
import type { SouthboundUpdate } from '../controller/types';
import type { HostTables } from '../index';
import type { TopologyDocument } from '../model/schema';
import { formatMac } from '../wire/bytes';
import { FlowDeps, type FlowTable, keyToString } from './flowTable';
import { Decision, Forwarder } from './forwarder';
import { buildEdges, edgeChanged, hasEdge } from './gateway/edges';
import { gatewayTables } from './gateway/tables';
import { buildGuestFrame, nextHopOf } from './guest';
import { HostAgents } from './hostAgents';
import { isMulticastMac } from './packet';
import { PhysicalNetwork } from './physical';
import { subnetRoutesOf } from './routeDecision';
import { buildFabric, buildHost, type Fabric, type HostRt, type PortRt, refreshFabricHosts } from './runtime';
import { traceFromEndpoint } from './slb/endpointTrace';
import { SlbPlane } from './slb/plane';
import { HEADROOM, type Pkt } from './steps';
import { renderEvent } from './trace/render';
import type { FlowCounters, Trace, TraceNode, TraceRequest } from './trace-types';
import { Tracer } from './tracer';
import { describeAction } from './vfp/registry';
import { checkRawFrame } from './vswitch/portSecurity';

const MAX_PENDING_UPDATES = 5000;
/** Invalidated flow entries listed in the next trace (the rest are only counted). */
const MAX_LOGGED_INVALIDATIONS = 50;

/** How a change reaches the host agents (see `Datacenter.update`). */
export type Convergence = 'immediate' | 'staged';

export { checkRawFrame, isMulticastMac };

export class Datacenter {
  controller: Controller;
  hosts = new Map<string, HostRt>();
  fabric!: Fabric;
  private pendingUpdates: SouthboundUpdate[] = [];
  /** What each host agent holds: the controller's records, or older ones while updates are in flight. */
  private agents: HostAgents;
  /** Flow entries the last delivery invalidated, shown at the start of the next trace. */
  private invalidationLog: TraceNode[] = [];
  private physical: PhysicalNetwork;
  /** The data plane: every packet, traced or not, runs through its loop. */
  readonly forwarder: Forwarder;
  private readonly tracer = new Tracer(this);
  /** Software load balancing: MUXes, VIPs, external endpoints (their state outlives rebuilds). */
  readonly slb = new SlbPlane();

  constructor(doc: TopologyDocument) {
    this.controller = new Controller(doc);
    this.agents = new HostAgents(this.controller);
    this.physical = new PhysicalNetwork(() => this.fabric);
    this.forwarder = new Forwarder({
      controller: this.controller,
      agents: this.agents,
      hosts: this.hosts,
      fabric: this.fabric,
      physical: this.physical,
    });
    this.rebuildAll();
  }

  private get activeTables(): Set<FlowTable<PortRt>> {
    return this.forwarder.activeTables;
  }

  private rebuildAll(): void {
    const next = new Map<string, HostRt>();
    for (const id of this.controller.hostIds()) {
      const h = buildHost(this.controller, id, this.hosts.get(id));
      if (h) next.set(id, h);
    }
    this.hosts = next;
    const edges = this.fabric?.edges;
    this.fabric = buildFabric(this.controller, this.hosts);
    if (hasEdge(this.controller.doc)) this.fabric.edges = buildEdges(this.controller, edges);
    this.slb.refresh(this.controller);
    this.fabric.slb = this.slb;
    this.forwarder.ctx.hosts = this.hosts;
    this.forwarder.ctx.fabric = this.fabric;
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
      differs(prev.logicalSubnets, next.logicalSubnets) ||
      edgeChanged(prev, next, differs);
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
    // The rest reach their host agents now (after anything still queued for the same host).
    const drained = this.agents.apply(delivered);
    for (const [hostId, earlier] of drained) invalidatedFlows += this.arrived(hostId, earlier);
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
      const deps = new FlowDeps();
      if (this.activeTables.size)
        for (const u of updates) {
          if (u.kind === 'lookup-record')
            deps.add({ kind: 'record', vsid: u.record.vsid, ca: u.record.caIp });
          else if (u.kind === 'port') deps.add({ kind: 'port', portId: u.key });
          // A routing domain's subnets changed: flows the distributed router routed in it go.
          else if (u.kind === 'customer-route')
            deps.add({ kind: 'route', routingDomainId: u.route.routingDomainId });
        }
      // A host that has not received a record keeps the flows built from it.
      const heldDeps = heldRecDeps.size ? deps.without(heldRecDeps) : deps;
      if (deps.size)
        for (const table of this.activeTables) {
          const waiting = table.owner !== null && this.agents.isWaiting(table.owner.hostId);
          invalidatedFlows += table.invalidate(waiting ? heldDeps : deps);
          if (table.entries.length === 0) this.activeTables.delete(table);
        }
    }
    // The gateways' compartments read the VM networks' subnets and CA-PA mappings: rebuilt
    // (keeping NAT mappings and IPsec counters) on any change that did not already rebuild them.
    if (!physicalChanged && this.fabric.edges)
      this.fabric.edges = buildEdges(this.controller, this.fabric.edges);
    if (!physicalChanged) this.slb.refresh(this.controller);
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
    for (const [hostId, f] of this.agents.deliver()) {
      updates.push(...f.updates);
      invalidatedFlows += this.arrived(hostId, f.updates);
    }
    this.logUpdates(updates);
    return { updates, invalidatedFlows };
  }

  /** The lab's clock (seconds since the document was loaded): connection state ages by it. */
  get now(): number {
    return this.forwarder.clock.now;
  }

  /**
   * Let `seconds` pass: connections idle for their timeout are removed (their replies no longer
   * pass), and the cached flow entries built from their state go with them. The next trace
   * opens with what expired. Gateway NAT mappings idle for theirs go too (with the gateway's
   * flow cache, whose entries name mapping rows).
   */
  advanceClock(seconds: number): {
    now: number;
    expired: number;
    invalidatedFlows: number;
    natExpired: number;
  } {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new Error(
        `advanceClock: seconds: ${seconds}: must be a finite number >= 0 (the clock only moves forward)`,
      );
    const clock = this.forwarder.clock;
    clock.now += seconds;
    let expired = 0;
    let invalidatedFlows = 0;
    for (const host of this.hosts.values())
      for (const port of host.ports) {
        const t = port.conns;
        if (t.size === 0) continue;
        expired += t.expire(clock.now, (c) => {
          const flow = t.flowKey(c);
          let invalidated = 0;
          if (t.watchers.has(flow)) {
            t.watchers.delete(flow);
            const deps = new FlowDeps([{ kind: 'conn', portId: port.id, flow }]);
            for (const table of this.activeTables) invalidated += table.invalidate(deps);
            invalidatedFlows += invalidated;
          }
          if (this.invalidationLog.length < MAX_LOGGED_INVALIDATIONS)
            this.invalidationLog.push(
              renderEvent(
                {
                  type: 'conn-state',
                  event: 'expired',
                  vm: port.label,
                  host: host.name,
                  direction: t.dir[c] === 0 ? 'out' : 'in',
                  packet: t.describe(c),
                  flow: t.describe(c),
                  state: t.stateOf(c),
                  idleTimeout: t.idleTimeout(c),
                  time: clock.now,
                  invalidated: invalidated || undefined,
                },
                { hostId: host.id, hostName: host.name, portId: port.id, vm: port.label, layer: 'acl' },
              ),
            );
        });
      }
    for (const table of this.activeTables) if (table.entries.length === 0) this.activeTables.delete(table);
    // The gateways' NAT mappings idle past their timeout go; their public ports are free again.
    let natExpired = 0;
    for (const g of this.fabric.edges?.gateways ?? []) {
      const gone = g.nat.expire(clock.now);
      if (gone === 0) continue;
      natExpired += gone;
      g.flows.clear();
    }
    return { now: clock.now, expired, invalidatedFlows, natExpired };
  }

  /**
   * Updates that waited in a host's queue have reached its host agent: its flow entries built
   * from the records they change go, listed at the start of the next trace. Returns how many.
   */
  private arrived(hostId: string, arrived: SouthboundUpdate[]): number {
    const host = this.hosts.get(hostId);
    if (!host) return 0;
    const deps = new FlowDeps();
    for (const u of arrived)
      if (u.kind === 'lookup-record') deps.add({ kind: 'record', vsid: u.record.vsid, ca: u.record.caIp });
      // The distributed router decided from the routes it held: its flows in that domain go.
      else if (u.kind === 'customer-route')
        deps.add({ kind: 'route', routingDomainId: u.route.routingDomainId });
    if (deps.size === 0) return 0;
    let invalidatedFlows = 0;
    let logged = this.invalidationLog.length;
    for (const table of [...host.ports.map((p) => p.flowTable), host.uplinkTable]) {
      if (!this.activeTables.has(table)) continue;
      invalidatedFlows += table.invalidate(deps, (entry, key) => {
        if (logged++ >= MAX_LOGGED_INVALIDATIONS) return;
        const owner = table.owner;
        const builtFrom: { caIp: string; vsid: number }[] = [];
        for (const d of entry.deps)
          if (d.kind === 'record' && deps.has(d)) builtFrom.push({ caIp: d.ca, vsid: d.vsid });
        this.invalidationLog.push(
          renderEvent(
            {
              type: 'uft',
              event: 'invalidate',
              place: owner?.vm ? 'port' : 'uplink',
              host: host.name,
              vm: owner?.vm,
              key: keyToString(key),
              actions: entry.actions.map(describeAction),
              builtFrom,
            },
            { hostId, hostName: host.name, portId: owner?.portId, vm: owner?.vm },
            this.controller.doc.hnvMode,
          ),
        );
      });
      if (table.entries.length === 0) this.activeTables.delete(table);
    }
    return invalidatedFlows;
  }

  resetState(): void {
    for (const table of this.activeTables) table.invalidate(null);
    this.activeTables.clear();
    for (const h of this.hosts.values()) {
      for (const p of h.ports) {
        p.conns.clear();
        p.audit.clear();
      }
      for (const p of h.ports) p.arpCache.clear();
      h.paArp.clear();
    }
    this.physical.forgetArp();
    this.slb.reset();
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

  // ---------- the guest and the trace driver ----------

  resolveDestination(ref: string): { ip: number; label: string } {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(ref)) return { ip: ipToU32(ref), label: ref };
    const port = this.findPort(ref);
    if (!port) throw new Error(`unknown destination '${ref}': use a vNIC id, 'Tenant/VM' or a CA IP`);
    return { ip: port.caIp, label: port.label };
  }

  trace(req: TraceRequest): Trace {
    const client = this.slb.endpoint(req.from);
    if (client && !this.findPort(req.from)) return traceFromEndpoint(this, client, req);
    return this.tracer.trace(req);
  }

  /**
   * Put a raw frame on a logical subnet's link, as a device on that link would, and trace what
   * the fabric and the hosts do with it (a PTF test's "this frame in"): the packet's trace and
   * every frame that crossed a wire or port.
   */
  traceWireFrame(logicalSubnet: string, frame: Uint8Array, from?: string): Omit<Trace, 'request'> {
    return this.tracer.traceWireFrame(logicalSubnet, frame, from);
  }

  /** The controller's pushes and the flow invalidations since the last trace; the next starts empty. */
  takeSinceLastTrace(): { controlPlane: SouthboundUpdate[]; invalidations: TraceNode[] } {
    const controlPlane = this.pendingUpdates;
    this.pendingUpdates = [];
    const invalidations = this.invalidationLog;
    this.invalidationLog = [];
    return { controlPlane, invalidations };
  }

  /** Send n packets of a flow untraced: the first takes the slow path, the rest the fast path. */
  send(flow: TraceRequest, n: number): FlowCounters {
    const src = this.findPort(flow.from);
    if (!src && this.slb.endpoint(flow.from))
      throw new Error(
        `'${flow.from}' is outside the fabric: sending more packets works from a VM's port; run the trace again for another packet`,
      );
    if (!src) throw new Error(`unknown source '${flow.from}'`);
    const dst = this.resolveDestination(flow.to);
    const nh = nextHopOf(src, dst.ip);
    this.forwarder.stats = { packets: 0, slow: 0, fast: 0, delivered: 0, dropped: 0 };
    this.tracer.arpIfNeeded(src, nh, null);
    this.forwarder.stats = { packets: 0, slow: 0, fast: 0, delivered: 0, dropped: 0 };
    const dstMac = src.arpCache.get(nh);
    if (!dstMac) {
      this.forwarder.stats.dropped = n;
      return this.counters(src, n);
    }
    const frame = buildGuestFrame(src, dst.ip, dstMac, flow);
    const pkt: Pkt = { buf: new Uint8Array(HEADROOM + frame.length + 256), off: HEADROOM, len: frame.length };
    for (let i = 0; i < n; i++) {
      pkt.buf.set(frame, HEADROOM);
      pkt.off = HEADROOM;
      pkt.len = frame.length;
      this.forwarder.outcome.path = 'none';
      this.forwarder.port = src;
      this.forwarder.run(Decision.FromVm, pkt);
    }
    return this.counters(src, n);
  }

  /** For benchmarks: resolve a flow (ARP included) and return its source port and first frame. */
  prepareFlow(flow: TraceRequest): { port: PortRt; frame: Uint8Array } | null {
    const src = this.findPort(flow.from);
    if (!src) return null;
    const dst = this.resolveDestination(flow.to);
    const nh = nextHopOf(src, dst.ip);
    this.tracer.arpIfNeeded(src, nh, null);
    const mac = src.arpCache.get(nh);
    return mac ? { port: src, frame: buildGuestFrame(src, dst.ip, mac, flow) } : null;
  }

  /** Packets counted since the last `send` (what the data plane did, untraced or not). */
  packetStats(): Readonly<{
    packets: number;
    slow: number;
    fast: number;
    delivered: number;
    dropped: number;
  }> {
    return { ...this.forwarder.stats };
  }

  /** One untraced frame from a VM through the whole pipeline: the entry point of `send` and the benchmarks. */
  inject(port: PortRt, buf: Uint8Array, off: number, len: number): void {
    const pkt = this.injected;
    pkt.buf = buf;
    pkt.off = off;
    pkt.len = len;
    const fw = this.forwarder;
    fw.port = port;
    fw.run(Decision.FromVm, pkt);
  }

  /** The packet `inject` hands the forwarder: one object, refilled (no allocation per packet). */
  private injected: Pkt = { buf: new Uint8Array(0), off: 0, len: 0 };

  private counters(src: PortRt, n: number): FlowCounters {
    const t = src.flowTable;
    return {
      packets: n,
      slowPath: this.forwarder.stats.slow,
      fastPath: this.forwarder.stats.fast,
      delivered: this.forwarder.stats.delivered,
      dropped: this.forwarder.stats.dropped,
      flowEntries: t.entries.length,
      hits: t.hitCount,
      misses: t.missCount,
    };
  }

  hostTables(hostId: string): Omit<HostTables, 'southbound'> | null {
    const policy = this.controller.hostPolicy(hostId);
    const host = this.hosts.get(hostId);
    if (!policy || !host) return null;
    return {
      ...policy,
      // What the host agent holds: while a staged update is in flight to it, the old record.
      lookupRecords: this.agents.heldRecords(host),
      customerRoutes: this.agents.heldRoutes(host),
      clock: this.now,
      ports: policy.ports.map((p) => {
        const rt = host.portById.get(p.portId);
        return {
          ...p,
          flowTable: rt?.flowTable.view(describeAction) ?? [],
          connections: rt?.conns.view(this.now) ?? [],
          audit: rt?.audit.view() ?? [],
          auditTotal: rt?.audit.total ?? 0,
        };
      }),
      uplinkFlowTable: host.uplinkTable.view(describeAction),
      slbMuxes: this.slb.muxFlows(hostId),
      slbSnat: this.slb.snatViews(host.ports),
      paArpCache: [...host.paArp].map(([ip, mac]) => ({ ip: u32ToIp(ip), mac: formatMac(mac) })),
      effectiveRoutes: subnetRoutesOf(this.controller, host.ports),
      gateways: gatewayTables(this.fabric.edges, hostId, this.forwarder.clock.now),
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
