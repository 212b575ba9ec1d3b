// Running the document's list of flows together: each flow is traced by the engine in turn
// (the same data plane, so the second finds what the first left in ARP caches and flow
// tables), and each gets its own verdict, side by side: delivered or dropped, and the VNI
// its packets carried on the wire, read from the real frames by the codec.
import { create } from 'zustand';
import type { Trace, TraceRequest } from '../../engine/index';
import type { Flow, TopologyDocument } from '../../engine/model/schema';
import { WELL_KNOWN_PORTS } from '../../engine/net';
import { engine, syncDocument } from '../../worker/client';

export interface FlowResult {
  outcome: 'delivered' | 'dropped';
  at: string;
  reason?: string;
  /** The VNI (VSID) the flow's first tunnel frame carried; none when it never left a host in a tunnel. */
  tunnel?: { encapsulation: 'vxlan' | 'nvgre'; vni: number };
  /** The 802.1Q tag on the wire when the subnet is isolated by VLAN instead. */
  vlanId?: number;
  trace: Trace;
}

interface FlowsState {
  results: Record<string, FlowResult>;
  running: boolean;
  error: string | null;
  /** The document the results ran on (an edit since makes them outdated). */
  ranOn: TopologyDocument | null;
  runAll(doc: TopologyDocument): Promise<void>;
  clear(): void;
}

/** What the engine is asked to trace for a flow (the trace form's defaults for ports). */
export function requestOf(flow: Flow): TraceRequest {
  const request: TraceRequest = { from: flow.from, to: flow.to, protocol: flow.protocol };
  if (flow.protocol === 'tcp' || flow.protocol === 'udp') {
    const port = flow.dstPort ?? WELL_KNOWN_PORTS.mssql;
    request.dstPort = port;
    request.srcPort = 49152 + (port % 1000);
  }
  return request;
}

export const useFlowsStore = create<FlowsState>()((set, get) => ({
  results: {},
  running: false,
  error: null,
  ranOn: null,
  async runAll(doc) {
    const flows = doc.flows ?? [];
    if (get().running || flows.length === 0) return;
    set({ running: true, error: null });
    try {
      const check = await syncDocument(doc);
      if (!check.ok) {
        set({ error: `Fix the topology first: ${check.errors[0]?.message ?? 'the document is not valid'}` });
        return;
      }
      const results: Record<string, FlowResult> = {};
      for (const flow of flows) {
        const trace = await engine.trace(requestOf(flow));
        const envelopes = await engine.envelopes(trace.frames.map((f) => f.frame));
        const tunnel = envelopes.find((e) => e.tunnel)?.tunnel;
        const tagged = envelopes.find((e) => e.vlanId !== undefined && !e.tunnel);
        results[flow.id] = {
          outcome: trace.verdict.outcome,
          at: trace.verdict.at,
          ...(trace.verdict.reason ? { reason: trace.verdict.reason } : {}),
          ...(tunnel ? { tunnel: { encapsulation: tunnel.encapsulation, vni: tunnel.vni } } : {}),
          ...(!tunnel && tagged?.vlanId !== undefined ? { vlanId: tagged.vlanId } : {}),
          trace,
        };
      }
      set({ results, ranOn: doc });
    } catch (e) {
      set({ error: e instanceof Error ? e.message : String(e) });
    } finally {
      set({ running: false });
    }
  },
  clear() {
    set({ results: {}, ranOn: null, error: null });
  },
}));
