// Convergence after a live migration, replayed on a scratch data plane: the controller's
// update reaches the move's source and destination hosts at once, while the other hosts'
// copies are still in flight. A packet sent meanwhile uses the stale CA-PA mapping (from the
// flow cache when the flow was warm, from the host agent's lookup record when it was cold),
// reaches the VM's old host and is dropped there; then the update arrives, invalidates the
// stale flow entry, and the retried packet goes to the new PA. The packets run through the same
// executor as every trace: this only sequences them.
import type { SouthboundUpdate } from '../controller/types';
import type { TopologyDocument } from '../model/schema';
import { Datacenter } from './datacenter';
import type { Trace, TraceNode, TracePacket, TraceRequest, TraceVerdict } from './trace-types';

export interface ConvergenceRequest {
  /** The document before the change (the VM on its old host) and after it. */
  before: TopologyDocument;
  after: TopologyDocument;
  /** The flow to send; default: a ping from a VM on a host still waiting for the update to the moved VM. */
  flow?: TraceRequest;
  /** Send the flow once before the move, so its flow-table entry is cached (fast path). */
  warmFlowCache: boolean;
}

export interface ConvergenceResult {
  /** Before the move (if warm), during convergence, after the update: one trace, three phases. */
  trace: Trace | null;
  /** Why there is nothing to show (no VM moved, no host waits for the update, ...). */
  problem?: string;
  flow?: TraceRequest;
  /** Names of the hosts whose updates were held in flight. */
  waitingHosts: string[];
  /** The moved VM, 'Contoso/SQL', and its old and new PA. */
  moved?: { vm: string; oldPa: string; newPa: string };
  /** The packet sent during convergence, and the same packet after the update. */
  stale?: TraceVerdict;
  corrected?: TraceVerdict;
}

export const PHASES = {
  before: 'before the move',
  during: 'during convergence',
  after: 'after the update',
} as const;

function relabel(packets: TracePacket[], phase: string): TracePacket[] {
  for (const p of packets) {
    p.label = `${phase} · ${p.label}`;
    if (p.root.kind === 'packet') p.root.title = p.label;
  }
  return packets;
}

/** The VM whose host changed, and a VM on another host of its routing domain to send from. */
function pickFlow(dc: Datacenter, before: TopologyDocument, after: TopologyDocument) {
  const moved = after.vms.find((vm) => {
    const old = before.vms.find((v) => v.id === vm.id);
    return old !== undefined && old.hostId !== vm.hostId;
  });
  if (!moved) return null;
  const oldHost = before.vms.find((v) => v.id === moved.id)?.hostId ?? '';
  const target = dc.findPort(moved.id);
  if (!target) return null;
  let source = null;
  for (const h of dc.hosts.values()) {
    if (h.id === oldHost || h.id === moved.hostId) continue;
    const candidates = h.ports.filter((p) => p.rd === target.rd);
    source = candidates.find((p) => p.vsid === target.vsid) ?? candidates[0] ?? null;
    if (source) break;
  }
  return { moved, oldHost, target, source };
}

export function traceConvergence(req: ConvergenceRequest): ConvergenceResult {
  const dc = new Datacenter(req.before);
  const pick = pickFlow(dc, req.before, req.after);
  if (!pick) return { trace: null, problem: 'the change moves no VM to another host', waitingHosts: [] };
  const flow: TraceRequest | null =
    req.flow ?? (pick.source ? { from: pick.source.id, to: pick.target.id, protocol: 'icmp' } : null);
  if (!flow)
    return {
      trace: null,
      problem: `no other host runs a VM of ${pick.target.label}'s routing domain: only the move's own hosts needed the update, and they got it at once`,
      waitingHosts: [],
    };
  const oldRecord = dc.controller.locate(pick.target.vsid, pick.target.policy.caIp);
  const packets: TracePacket[] = [];
  const frames: Trace['frames'] = [];
  const controlPlane: SouthboundUpdate[] = [];
  // The VM's ARP cache is warm either way: only the flow cache differs.
  dc.send(flow, 0);
  if (req.warmFlowCache) {
    const warm = dc.trace(flow);
    packets.push(...relabel(warm.packets, PHASES.before));
    frames.push(...warm.frames);
  }

  const staged = dc.update(req.after, 'staged');
  const waiting = [...new Set(staged.pending.map((u) => u.hostId))];
  const waitingHosts = waiting.map((id) => dc.hosts.get(id)?.name ?? id);
  const newRecord = dc.controller.locate(pick.target.vsid, pick.target.policy.caIp);
  const moved = { vm: pick.target.label, oldPa: oldRecord?.pa ?? '?', newPa: newRecord?.pa ?? '?' };
  if (staged.pending.length === 0)
    return {
      trace: null,
      problem: 'every host that needed the update got it at once: nothing was in flight',
      waitingHosts,
      moved,
      flow,
    };

  const during = dc.trace(flow);
  // Say which updates are still on their way, after the ones that already arrived.
  const inFlight = staged.pending.map(
    (update): TraceNode => ({
      kind: 'control-plane',
      title: `controller -> ${dc.hosts.get(update.hostId)?.name ?? update.hostId}: ${update.op} ${update.kind} ${update.key} still in flight (not received yet)`,
      where: { hostId: update.hostId, hostName: dc.hosts.get(update.hostId)?.name },
      update,
      children: [],
    }),
  );
  const first = during.packets[0]?.root.children;
  if (first) {
    const at = first.findIndex((n) => n.kind !== 'control-plane');
    first.splice(at < 0 ? first.length : at, 0, ...inFlight);
  }
  packets.push(...relabel(during.packets, PHASES.during));
  frames.push(...during.frames);
  controlPlane.push(...during.controlPlane);

  const delivered = dc.deliverPendingUpdates();
  const retry = dc.trace(flow);
  const arrived = new Set(delivered.updates);
  for (const n of retry.packets[0]?.root.children ?? [])
    if (n.kind === 'control-plane' && arrived.has(n.update)) {
      const host = n.where.hostName ?? n.update.hostId;
      const u = n.update;
      n.title =
        u.kind === 'lookup-record' && u.op === 'update'
          ? `update arrives at ${host}: lookup record ${u.record.caIp} @ VSID ${u.record.vsid} -> PA ${u.record.pa} (was ${u.previous?.pa ?? '?'})`
          : `update arrives at ${host}: ${u.op} ${u.kind} ${u.key}`;
    }
  packets.push(...relabel(retry.packets, PHASES.after));
  frames.push(...retry.frames);
  controlPlane.push(...retry.controlPlane);

  return {
    trace: {
      request: flow,
      controlPlane,
      packets,
      // The outcome after convergence, and what happened to the packet sent before it.
      verdict: {
        ...retry.verdict,
        reason: `after the update reached ${waitingHosts.join(', ')}; sent before it, the packet went to the old PA ${moved.oldPa} and was ${during.verdict.outcome} at ${during.verdict.at}`,
      },
      frames,
    },
    flow,
    waitingHosts,
    moved,
    stale: during.verdict,
    corrected: retry.verdict,
  };
}
