// conntrack: the datacenter firewall is stateful (as OVS's ct() / ct(commit)). The ACL layer of
// a port under an ACL starts with a 'lookup' and ends with a 'commit':
// - lookup: a reply of a flow this port tracks passes the layer without its rules ("allowed
//   by the state of flow ..."): Step.Layer. Anything else goes on to the ACL rules, packets of
//   a tracked flow in its own direction too (as OVN's ACLs): a rule change applies to them at
//   once, and only the replies ride on the state.
// - commit: the rules allowed the flow: it is tracked (or its idle timer restarts), so its
//   replies will pass.
// A cached flow entry built through here depends on that flow's state (FlowDep 'conn'): a
// commit or an expiry of it invalidates the entry, and packets of the flow on the fast path keep
// the state alive (a per-packet touch, no allocation).

import {
  type ConnectionTable,
  Dir,
  flowKeyOf,
  portsWord,
  replyPortsWord,
  tupleText,
} from '../../firewall/connections';
import { FlowDeps } from '../../flowTable';
import type { Forwarder } from '../../forwarder';
import { ETH_IPV4, type Parsed } from '../../packet';
import type { PortRt } from '../../runtime';
import type { TraceEvent } from '../../trace/events';
import type { TraceWhere } from '../../trace-types';
import { type ActionHandler, type FlowEntry, Step } from '../walk';

type Op = 'lookup' | 'commit';

export const conntrack: ActionHandler<'conntrack'> = {
  type: 'conntrack',
  describe: (a) =>
    a.flow === undefined
      ? a.op === 'lookup'
        ? 'conntrack: look up the connection state'
        : 'conntrack: commit (track the flow, its replies pass)'
      : a.op === 'lookup'
        ? `allowed by the state of flow ${a.flow} (${a.state})`
        : `track flow ${a.flow} (${a.state})`,
  egress: (w, a) => track(w.fw, w.port, w.inner, Dir.Out, a.op, w.entry, w.where),
  ingress: (w, a) => track(w.fw, w.port, w.inner, Dir.In, a.op, w.entry, w.where),
};

function track(
  fw: Forwarder,
  port: PortRt,
  p: Parsed,
  dir: number,
  op: Op,
  entry: FlowEntry | null,
  where: TraceWhere,
): Step {
  if (p.etherType !== ETH_IPV4) return Step.Next;
  const t = port.conns;
  const now = fw.clock.now;
  const ports = portsWord(p);
  const key = flowKeyOf(p.proto, p.ipSrc, p.ipDst, ports);
  const hit = t.find(p.proto, p.ipSrc, p.ipDst, ports, now);
  const c = hit >> 1;
  const side = hit & 1;
  const emit = (event: Extract<TraceEvent, { type: 'conn-state' }>['event'], conn: number, invalidated = 0) =>
    fw.sink.emit(
      {
        type: 'conn-state',
        event,
        vm: port.label,
        host: port.host.name,
        direction: dir === Dir.Out ? 'out' : 'in',
        packet: tupleText(p.proto, p.ipSrc, p.ipDst, ports),
        flow: conn >= 0 ? t.describe(conn) : null,
        state: conn >= 0 ? t.stateOf(conn) : null,
        idleTimeout: conn >= 0 ? t.idleTimeout(conn) : 0,
        time: now,
        invalidated: invalidated || undefined,
      },
      where,
    );
  if (op === 'lookup') {
    depend(t, entry, port.id, key);
    if (hit < 0 || side !== 1 || t.dir[c] === dir) {
      if (fw.sink.on) emit('miss', hit >= 0 ? c : -1);
      return Step.Next;
    }
    t.replied[c] = 1;
    if (entry) {
      entry.rewrites.push(touchOf(t, c, side, fw.clock));
      entry.actions.push({ type: 'conntrack', op, flow: t.describe(c), state: t.stateOf(c) });
    }
    if (fw.sink.on) emit('reply', c);
    return Step.Layer;
  }
  // commit: every ACL group allowed the packet.
  if (hit >= 0) {
    t.lastSeen[c] = now;
    if (entry) entry.rewrites.push(touchOf(t, c, side, fw.clock));
    if (fw.sink.on) emit('refresh', c);
    return Step.Next;
  }
  const replyPorts = replyPortsWord(p.proto, ports);
  if (replyPorts === -1) {
    if (fw.sink.on) emit('untracked', -1);
    return Step.Next;
  }
  // Entries cached without this state (a reply dropped by the rules before the flow existed)
  // would now decide wrongly: they go.
  const mine = dependsOn(entry, port.id, key) ? 1 : 0;
  let invalidated = 0;
  if ((t.watchers.get(key) ?? 0) > mine) {
    invalidated = invalidateFlow(fw, port.id, key);
    t.watchers.set(key, mine);
  }
  const conn = t.add(dir, p.proto, p.ipSrc, p.ipDst, ports, replyPorts, now);
  depend(t, entry, port.id, key);
  if (entry) {
    entry.rewrites.push(touchOf(t, conn, 0, fw.clock));
    entry.actions.push({ type: 'conntrack', op, flow: t.describe(conn), state: t.stateOf(conn) });
  }
  if (fw.sink.on) emit('commit', conn, invalidated);
  return Step.Next;
}

/** Packets of a cached flow keep its connection alive (and are counted), on the fast path too. */
function touchOf(t: ConnectionTable, c: number, side: number, clock: { now: number }) {
  return { apply: () => t.touch(c, side, clock.now) };
}

function dependsOn(entry: FlowEntry | null, portId: string, flow: string): boolean {
  if (!entry) return false;
  for (const d of entry.deps) if (d.kind === 'conn' && d.portId === portId && d.flow === flow) return true;
  return false;
}

/** The entry being built depends on the state of `flow` at this port. */
function depend(t: ConnectionTable, entry: FlowEntry | null, portId: string, flow: string): void {
  if (!entry || dependsOn(entry, portId, flow)) return;
  entry.deps.push({ kind: 'conn', portId, flow });
  t.watchers.set(flow, (t.watchers.get(flow) ?? 0) + 1);
}

/** Drop the cached entries that consulted the state of `flow` at a port; how many went. */
export function invalidateFlow(fw: Forwarder, portId: string, flow: string): number {
  const deps = new FlowDeps([{ kind: 'conn', portId, flow }]);
  let n = 0;
  for (const table of fw.activeTables) n += table.invalidate(deps);
  return n;
}
