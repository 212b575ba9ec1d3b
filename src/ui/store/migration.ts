// The last live migration: the documents before and after, the controller's southbound updates
// the engine computed for it (shown per host), and the convergence replay (a packet sent while
// the mappings converge, with a warm or a cold flow cache).
import { create } from 'zustand';
import type { ConvergenceResult, SouthboundUpdate } from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';
import { engine, syncDocument } from '../../worker/client';
import { useTraceStore } from './trace';

export interface MigrationRecord {
  vmId: string;
  /** 'Contoso/SQL' */
  vmLabel: string;
  fromHostId: string;
  toHostId: string;
  before: TopologyDocument;
  after: TopologyDocument;
  /** null while the engine computes them. */
  updates: SouthboundUpdate[] | null;
  error?: string;
}

export interface ConvergenceState {
  status: 'idle' | 'running' | 'done' | 'error';
  warmFlowCache: boolean;
  result?: ConvergenceResult;
  error?: string;
}

export interface MigrationState {
  last: MigrationRecord | null;
  /** The card was closed; the next migration opens it again. */
  dismissed: boolean;
  convergence: ConvergenceState;
  /** Called after a VM moved: let the engine compute the southbound updates of this very change. */
  recordMigration(before: TopologyDocument, after: TopologyDocument, vmId: string): Promise<void>;
  dismiss(): void;
  setWarmFlowCache(warm: boolean): void;
  /** Replay the move with the peer hosts' updates in flight; the trace lands in the trace panel. */
  runConvergence(): Promise<void>;
}

function vmLabelOf(doc: TopologyDocument, vmId: string): string {
  const vm = doc.vms.find((v) => v.id === vmId);
  const subnet = doc.virtualSubnets.find((s) => s.id === vm?.nics[0]?.virtualSubnetId);
  const net = doc.vmNetworks.find((n) => n.id === subnet?.vmNetworkId);
  const tenant = doc.tenants.find((t) => t.id === net?.tenantId);
  return tenant ? `${tenant.name}/${vm?.name}` : (vm?.name ?? vmId);
}

export const useMigrationStore = create<MigrationState>()((set, get) => ({
  last: null,
  dismissed: false,
  convergence: { status: 'idle', warmFlowCache: true },

  async recordMigration(before, after, vmId) {
    const record: MigrationRecord = {
      vmId,
      vmLabel: vmLabelOf(after, vmId),
      fromHostId: before.vms.find((v) => v.id === vmId)?.hostId ?? '',
      toHostId: after.vms.find((v) => v.id === vmId)?.hostId ?? '',
      before,
      after,
      updates: null,
    };
    set({
      last: record,
      dismissed: false,
      convergence: { status: 'idle', warmFlowCache: get().convergence.warmFlowCache },
    });
    try {
      // The engine holds `before` (usually already), then the diff to `after` is this move alone.
      await syncDocument(before);
      const result = await syncDocument(after);
      if (get().last !== record) return;
      set({
        last: result.ok
          ? { ...record, updates: result.updates }
          : { ...record, updates: [], error: result.errors[0]?.message ?? 'the document is not valid' },
      });
    } catch (e) {
      if (get().last === record)
        set({ last: { ...record, updates: [], error: e instanceof Error ? e.message : String(e) } });
    }
  },

  dismiss: () => set({ dismissed: true }),

  setWarmFlowCache: (warmFlowCache) => set({ convergence: { ...get().convergence, warmFlowCache } }),

  async runConvergence() {
    const last = get().last;
    if (!last) return;
    const warmFlowCache = get().convergence.warmFlowCache;
    set({ convergence: { status: 'running', warmFlowCache } });
    try {
      const result = await engine.traceConvergence({ before: last.before, after: last.after, warmFlowCache });
      if (!result.trace) {
        set({ convergence: { status: 'error', warmFlowCache, result, error: result.problem } });
        return;
      }
      set({ convergence: { status: 'done', warmFlowCache, result } });
      useTraceStore.getState().showTrace(result.trace);
    } catch (e) {
      set({
        convergence: { status: 'error', warmFlowCache, error: e instanceof Error ? e.message : String(e) },
      });
    }
  },
}));
