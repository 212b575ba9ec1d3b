// The engine's only public surface. The worker imports this module and nothing else from
// src/engine. Every input and output is plain, structured-cloneable data (objects, arrays,
// numbers, strings, Uint8Array): no classes, Maps or functions cross this boundary.

import { completeShell, runShell, type ShellEnv, type ShellResult, type ShellSession } from './console/shell';
import type { SubnetRoutes } from './controller/routing';
import { type SouthboundDatabase, southboundDatabase } from './controller/southbound';
import type { HostPolicy, PortPolicy, SouthboundUpdate } from './controller/types';
import { type ConvergenceRequest, type ConvergenceResult, traceConvergence } from './dataplane/convergence';
import { type Convergence, Datacenter } from './dataplane/datacenter';
import type { AuditRow } from './dataplane/firewall/audit';
import type { ConnectionView } from './dataplane/firewall/connections';
import type { GatewayTables } from './dataplane/gateway/tables';
import type { MuxFlowTable, SnatTableView } from './dataplane/slb/plane';
import { renderTrace, type TraceFormat, traceToJson } from './dataplane/trace-render';
import type { FlowCounters, Trace, TraceRequest } from './dataplane/trace-types';
import { type TupleRequest, type TupleResult, testTuple } from './dataplane/tuple';
import { checkDocument, type DocumentCheck } from './model-check';
import { ProgressMeter, type ProgressSink } from './progress';

export type { ShellChange, ShellResult, ShellSession } from './console/shell';
export type { EffectiveRoute, SubnetRoutes } from './controller/routing';
export type { OvsdbRow, OvsdbTable, SouthboundDatabase } from './controller/southbound';
export type * from './controller/types';
export type { AuditRow } from './dataplane/firewall/audit';
export type { ConnectionView } from './dataplane/firewall/connections';
export type { GatewayTables } from './dataplane/gateway/tables';
export type { MuxFlowTable, SnatTableView } from './dataplane/slb/plane';
export type * from './dataplane/trace/events';
export type * from './dataplane/trace-types';
export type { TupleGroup, TupleRequest, TupleResult, TupleRule } from './dataplane/tuple';
export type { DocumentCheck, EngineValidationError } from './model-check';
export type { Progress, ProgressSink } from './progress';
export type { Convergence, ConvergenceResult, TraceFormat };

/** `traceConvergence`'s request: the documents before and after the move (validated here). */
export interface ConvergenceTraceRequest extends Omit<ConvergenceRequest, 'before' | 'after'> {
  before: unknown;
  after: unknown;
}
export { renderTrace, traceToJson };

/** At most this many initial updates are listed (a 10,000-VM datacenter pushes millions). */
export const MAX_LISTED_INITIAL_UPDATES = 10_000;

/** Result of `load`: the document is live only when ok. */
export interface LoadResult extends Omit<DocumentCheck, 'document'> {
  /** Southbound updates the initial push produced, per host (one 'add' per object), at most MAX_LISTED_INITIAL_UPDATES. */
  updates: SouthboundUpdate[];
  /** How many updates the initial push really made (updates.length unless the list was cut). */
  updateCount: number;
}

/** Result of `update`: only what changed is pushed; `updates` lists it per host. */
export interface UpdateResult extends Omit<DocumentCheck, 'document'> {
  updates: SouthboundUpdate[];
  /** Flow-table entries dropped because the policy they were built from changed. */
  invalidatedFlows: number;
  /** Updates some host agents have not received yet (staged convergence); [] once converged. */
  pending: SouthboundUpdate[];
}

export interface UpdateOptions {
  /**
   * 'immediate' (default): every host agent gets its updates at once. 'staged': only the hosts
   * whose own ports or PAs change (a move's source and destination) do; the others keep their
   * stale lookup records and flow entries until `deliverPendingUpdates`.
   */
  convergence?: Convergence;
}

/** Result of `deliverPendingUpdates`: what arrived, and the flow entries it invalidated. */
export interface DeliveryResult {
  updates: SouthboundUpdate[];
  invalidatedFlows: number;
}

/** One cached flow of a port's unified flow table. */
export interface FlowEntryView {
  key: string;
  actions: string[];
  hits: number;
}

export interface PortTables extends PortPolicy {
  flowTable: FlowEntryView[];
  /** The stateful firewall's connections at this port (only ports under an ACL track any). */
  connections: ConnectionView[];
  /** The firewall audit log: ACL rule hits on new flows, oldest first (the newest AUDIT_CAPACITY). */
  audit: AuditRow[];
  /** Audit rows ever written at this port (more than `audit.length` once the ring wrapped). */
  auditTotal: number;
}

/** Result of `advanceClock`. */
export interface ClockResult {
  /** The lab clock now, seconds. */
  now: number;
  /** Connections whose idle timeout passed (removed). */
  expired: number;
  /** Cached flow entries built from their state, invalidated. */
  invalidatedFlows: number;
  /** RAS gateway NAT mappings idle past their timeout (removed; their public ports are free). */
  natExpired: number;
}

/** Everything a host holds, for the tables view (Get-NetVirtualization* and VFP dumps). */
export interface HostTables extends Omit<HostPolicy, 'ports'> {
  /** The lab clock (seconds since load) the connection times are on. */
  clock: number;
  ports: PortTables[];
  /** The uplink's flow table (decap side). */
  uplinkFlowTable: FlowEntryView[];
  /** Each local VM's ARP cache, learnt from the host agent's replies. */
  arpCaches: { vm: string; vnicId: string; entries: { ip: string; mac: string }[] }[];
  /** The PA compartment's ARP cache: next hops on the host's logical subnet (gateway, peer hosts). */
  paArpCache: { ip: string; mac: string }[];
  /** The host agent's southbound OVSDB database (MS_VTEP-like tables), built from its policy store. */
  southbound: SouthboundDatabase;
  /** Each local virtual subnet's effective routes: system, peering and user-defined, best first. */
  effectiveRoutes: SubnetRoutes[];
  /** The RAS gateway VMs this host runs: compartment routes (with origins), connections, NAT table. */
  gateways?: GatewayTables[];
  /** SLB MUX VMs on this host and their flow tables (5-tuple -> the DIP picked for it). */
  slbMuxes?: MuxFlowTable[];
  /** The SLB host agent's outbound NAT (SNAT to the VIP) of the DIPs on this host: slices and mappings. */
  slbSnat?: SnatTableView[];
}

export interface Engine {
  /**
   * Validate and compile a document; replaces whatever was loaded. Invalid documents never reach
   * the data plane. `progress` hears the phases (a 160,000-network document takes seconds).
   */
  load(doc: unknown, progress?: ProgressSink): LoadResult;
  /** Incremental change: diff against the loaded document, push only what changed, invalidate affected flows. */
  update(doc: unknown, options?: UpdateOptions, progress?: ProgressSink): UpdateResult;
  /** Staged convergence: the in-flight updates arrive; the next trace starts with them. */
  deliverPendingUpdates(): DeliveryResult;
  /**
   * Replay a move on a scratch data plane (the loaded one is untouched): a packet during
   * convergence (stale mapping, warm or cold flow cache), the update arriving, the retried packet.
   */
  traceConvergence(request: ConvergenceTraceRequest): ConvergenceResult;
  /** Run one traced packet exchange (ARP first if needed; ICMP includes the reply) through the real data plane. */
  trace(request: TraceRequest): Trace;
  /**
   * Send n packets of a flow untraced (fast path after the first) and report what this batch did:
   * every counter, flow-table hits and misses included, counts these n packets only.
   */
  send(flow: TraceRequest, n: number): FlowCounters;
  /** The host agent's policy store, VFP ports with their flow tables, and VM ARP caches. */
  hostTables(hostId: string): HostTables | null;
  /** Forget flow tables, ARP caches, connection state and audit logs (policy stays). */
  resetState(): void;
  /**
   * Let time pass on the lab's clock (it moves only when told): connections idle past their
   * timeout expire, and their replies stop passing the ACLs; so do the gateways' NAT mappings.
   */
  advanceClock(seconds: number): ClockResult;
  /**
   * One console line (a NetVirtualization cmdlet, an NC REST verb or vfpctrl) against the
   * loaded document and host agents. A change comes back as a new document: the caller applies
   * it (the UI as an undoable step); the engine itself is not changed by the console.
   */
  shell(line: string, session: ShellSession): ShellResult;
  /** Tab completion for the console: candidates for the last word of `line`. */
  completeShell(line: string): string[];
  /** Test-SdnVfpPortTuple: one 5-tuple through one port's VFP groups, layer by layer (a scratch data plane). */
  testTuple(request: TupleRequest): TupleResult;
}

/** What the console reads of a loaded data plane: its document and its host agents' tables. */
function shellEnv(datacenter: Datacenter): ShellEnv {
  return {
    document: datacenter.controller.doc,
    hostTables: (hostId) => withSouthbound(datacenter, hostId),
    testTuple: (request) => testTuple(datacenter.controller.doc, request),
  };
}

function withSouthbound(datacenter: Datacenter, hostId: string): HostTables | null {
  const tables = datacenter.hostTables(hostId);
  return tables && { ...tables, southbound: southboundDatabase(tables) };
}

/** Create an engine. Nothing is loaded until `load`. */
export function createEngine(): Engine {
  let datacenter: Datacenter | null = null;
  const requireLoaded = (): Datacenter => {
    if (!datacenter) throw new Error('no document loaded: call load(doc) first');
    return datacenter;
  };
  return {
    // The results carry no document back: the caller has it, and it may be 10,000 VMs.
    load(doc, progress) {
      const meter = new ProgressMeter(progress, 2, 'Validating the document');
      const check = checkDocument(doc);
      if (!check.ok || !check.document)
        return { ok: false, errors: check.errors, updates: [], updateCount: 0 };
      meter.tick();
      meter.phase('Compiling host policy');
      datacenter = new Datacenter(check.document);
      const { updates, total } = datacenter.initialUpdates(MAX_LISTED_INITIAL_UPDATES);
      return { ok: true, errors: [], updates, updateCount: total };
    },
    update(doc, options, progress) {
      const meter = new ProgressMeter(progress, 2, 'Validating the document');
      const check = checkDocument(doc);
      if (!check.ok || !check.document)
        return { ok: false, errors: check.errors, updates: [], invalidatedFlows: 0, pending: [] };
      meter.tick();
      meter.phase('Compiling host policy');
      if (!datacenter) {
        datacenter = new Datacenter(check.document);
        const { updates } = datacenter.initialUpdates(MAX_LISTED_INITIAL_UPDATES);
        return { ok: true, errors: [], updates, invalidatedFlows: 0, pending: [] };
      }
      const { updates, invalidatedFlows, pending } = datacenter.update(
        check.document,
        options?.convergence ?? 'immediate',
      );
      return { ok: true, errors: [], updates, invalidatedFlows, pending };
    },
    deliverPendingUpdates: () => requireLoaded().deliverPendingUpdates(),
    traceConvergence(request) {
      const before = checkDocument(request.before);
      const after = checkDocument(request.after);
      const bad = !before.ok || !before.document ? before : !after.ok || !after.document ? after : null;
      if (bad || !before.document || !after.document)
        return {
          trace: null,
          problem: `the document is not valid: ${bad?.errors[0]?.message ?? 'unknown error'}`,
          waitingHosts: [],
        };
      return traceConvergence({ ...request, before: before.document, after: after.document });
    },
    trace: (request) => requireLoaded().trace(request),
    send: (flow, n) => {
      // The flow table's hit/miss counters run for its lifetime (the host tables show them):
      // the batch reports its own share, so two identical batches report the same figures.
      const datacenter = requireLoaded();
      const before = datacenter.send(flow, 0);
      const after = datacenter.send(flow, n);
      return { ...after, hits: after.hits - before.hits, misses: after.misses - before.misses };
    },
    hostTables: (hostId) => withSouthbound(requireLoaded(), hostId),
    resetState: () => requireLoaded().resetState(),
    advanceClock: (seconds) => requireLoaded().advanceClock(seconds),
    shell: (line, session) => runShell(shellEnv(requireLoaded()), session, line),
    completeShell: (line) => completeShell(shellEnv(requireLoaded()), line),
    testTuple: (request) => testTuple(requireLoaded().controller.doc, request),
  };
}
