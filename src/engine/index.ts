// The engine's only public surface. The worker imports this module and nothing else from
// src/engine. Every input and output is plain, structured-cloneable data (objects, arrays,
// numbers, strings, Uint8Array): no classes, Maps or functions cross this boundary.
import type { HostPolicy, PortPolicy, SouthboundUpdate } from './controller/types';
import { Datacenter } from './dataplane/datacenter';
import { renderTrace, type TraceFormat, traceToJson } from './dataplane/trace-render';
import type { FlowCounters, Trace, TraceRequest } from './dataplane/trace-types';
import { checkDocument, type DocumentCheck } from './model-check';

export type * from './controller/types';
export type * from './dataplane/trace-types';
export type { DocumentCheck, EngineValidationError } from './model-check';
export type { TraceFormat };
export { renderTrace, traceToJson };

/** At most this many initial updates are listed (a 10,000-VM datacenter pushes millions). */
export const MAX_LISTED_INITIAL_UPDATES = 10_000;

/** Result of `load`: the document is live only when ok. */
export interface LoadResult extends DocumentCheck {
  /** Southbound updates the initial push produced, per host (one 'add' per object), at most MAX_LISTED_INITIAL_UPDATES. */
  updates: SouthboundUpdate[];
  /** How many updates the initial push really made (updates.length unless the list was cut). */
  updateCount: number;
}

/** Result of `update`: only what changed is pushed; `updates` lists it per host. */
export interface UpdateResult extends DocumentCheck {
  updates: SouthboundUpdate[];
  /** Flow-table entries dropped because the policy they were built from changed. */
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
}

/** Everything a host holds, for the tables view (Get-NetVirtualization* and VFP dumps). */
export interface HostTables extends Omit<HostPolicy, 'ports'> {
  ports: PortTables[];
  /** The uplink's flow table (decap side). */
  uplinkFlowTable: FlowEntryView[];
  /** Each local VM's ARP cache, learnt from the host agent's replies. */
  arpCaches: { vm: string; vnicId: string; entries: { ip: string; mac: string }[] }[];
}

export interface Engine {
  /** Validate and compile a document; replaces whatever was loaded. Invalid documents never reach the data plane. */
  load(doc: unknown): LoadResult;
  /** Incremental change: diff against the loaded document, push only what changed, invalidate affected flows. */
  update(doc: unknown): UpdateResult;
  /** Validate without loading. */
  validate(doc: unknown): DocumentCheck;
  /** Run one traced packet exchange (ARP first if needed; ICMP includes the reply) through the real data plane. */
  trace(request: TraceRequest): Trace;
  /** Send n packets of a flow untraced (fast path after the first) and report flow-table counters. */
  send(flow: TraceRequest, n: number): FlowCounters;
  /** The host agent's policy store, VFP ports with their flow tables, and VM ARP caches. */
  hostTables(hostId: string): HostTables | null;
  /** Forget flow tables and ARP caches (policy stays). */
  resetState(): void;
}

/** Create an engine. Nothing is loaded until `load`. */
export function createEngine(): Engine {
  let datacenter: Datacenter | null = null;
  const requireLoaded = (): Datacenter => {
    if (!datacenter) throw new Error('no document loaded: call load(doc) first');
    return datacenter;
  };
  return {
    load(doc) {
      const check = checkDocument(doc);
      if (!check.ok || !check.document) return { ...check, updates: [], updateCount: 0 };
      datacenter = new Datacenter(check.document);
      const { updates, total } = datacenter.initialUpdates(MAX_LISTED_INITIAL_UPDATES);
      return { ...check, updates, updateCount: total };
    },
    update(doc) {
      const check = checkDocument(doc);
      if (!check.ok || !check.document) return { ...check, updates: [], invalidatedFlows: 0 };
      if (!datacenter) {
        datacenter = new Datacenter(check.document);
        return {
          ...check,
          updates: datacenter.initialUpdates(MAX_LISTED_INITIAL_UPDATES).updates,
          invalidatedFlows: 0,
        };
      }
      const { updates, invalidatedFlows } = datacenter.update(check.document);
      return { ...check, updates, invalidatedFlows };
    },
    validate: (doc) => checkDocument(doc),
    trace: (request) => requireLoaded().trace(request),
    send: (flow, n) => requireLoaded().send(flow, n),
    hostTables: (hostId) => requireLoaded().hostTables(hostId),
    resetState: () => requireLoaded().resetState(),
  };
}
