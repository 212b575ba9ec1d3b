// The VFP executor: walks a port's layers and groups in order, evaluates each group's rules
// (the first match by priority, else the group's default rule) and runs the hit rule's actions
// through the action registry. The egress walk builds the flow entry the port caches; the
// ingress walk decides whether a frame may enter a port.
import type { Action } from '../../controller/types';
import { FlowOp, newEntry } from '../flowTable';
import type { Forwarder } from '../forwarder';
import { ETH_IPV4, type Parsed, parse } from '../packet';
import type { PortRt } from '../runtime';
import { copyOf, type Pkt, portWhere, whereWith } from '../steps';
import type { TraceWhere } from '../trace-types';
import { type CompiledGroup, evaluateGroup, type MatchView } from '../vfpMatch';
import { portSecurity } from '../vswitch/portSecurity';
import { handlerOf } from './registry';
import { type EgressWalk, type FlowEntry, type IngressWalk, Step } from './walk';

/** Walk one group, recording its stage, the rules that missed and the hit; the stage stays open. */
function walkGroup(
  fw: Forwarder,
  port: PortRt,
  g: CompiledGroup,
  view: MatchView,
  where: TraceWhere,
  direction: 'in' | 'out',
) {
  const { hit, missed } = evaluateGroup(g, view);
  // Firewall auditing: the hit of an ACL rule on a new flow (the slow path) is logged at the port.
  if (hit.rule.log) port.audit.record(fw.clock.now, hit.rule, g.group.id, direction === 'in', view.inner);
  const sink = fw.sink;
  if (sink.on) {
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
    sink.open({ type: 'stage', layer: g.layer.id, group: g.group.id, direction }, stageWhere);
    const rule = (r: typeof hit, isHit: boolean) =>
      sink.emit(
        {
          type: 'rule',
          hit: isHit,
          isDefault: r === g.defaultRule,
          ruleId: r.rule.id,
          priority: r.rule.priority,
          origin: r.rule.origin,
          layer: g.layer.id,
          group: g.group.id,
        },
        isHit ? whereWith(stageWhere, { ruleId: r.rule.id }) : stageWhere,
      );
    for (const m of missed) rule(m, false);
    rule(hit, true);
  }
  return hit.rule;
}

/** Run one action of an egress walk (a rule's, or one another action resolved to). */
export function egressAction(w: EgressWalk, a: Action): Step {
  const h = handlerOf(a.type);
  return h.egress ? (h.egress as (w: EgressWalk, a: Action) => Step)(w, a) : Step.Next;
}

/** Mark the entry a drop (cached: later packets of the flow are dropped on the fast path). */
export function dropEntry(
  w: { fw: Forwarder; entry: FlowEntry },
  at: string,
  reason: string,
  where: TraceWhere,
): Step {
  const entry = w.entry;
  entry.op = FlowOp.Drop;
  entry.dropAt = at;
  entry.dropReason = reason;
  const action: Action = { type: 'drop', reason };
  entry.actions.push(action);
  if (w.fw.sink.on) w.fw.sink.emit({ type: 'action', action, text: `drop: ${reason}` }, where);
  return Step.Done;
}

/**
 * The slow path of a frame from a VM: port security, then every outbound group in order.
 * Returns the entry to cache (its op decided), or null when the packet was handled on its own.
 */
export function egressSlow(fw: Forwarder, port: PortRt, pkt: Pkt): FlowEntry | null {
  const frame = copyOf(pkt);
  const inner = parse(frame);
  const entry = newEntry<PortRt>(FlowOp.Drop);
  entry.deps.push({ kind: 'port', portId: port.id });
  const w: EgressWalk = {
    fw,
    port,
    frame,
    inner,
    view: { inner, vsid: port.vsid, outer: null },
    entry,
    where: portWhere(port),
    at: `${port.host.name} / port ${port.label}`,
    layer: '',
    groupIndex: 0,
    vsid: port.vsid,
    record: null,
    outer: null,
    flowHash: 0,
    vlanId: 0,
  };
  const spoofed = portSecurity(port, frame, inner);
  if (spoofed) {
    dropEntry(w, `${w.at} / port security`, spoofed, w.where);
    return entry;
  }
  return walkFrom(w, 0) === Step.PerPacket ? null : entry;
}

/** Walk a port's outbound groups from the `start`th: the step that ended the walk. */
export function walkFrom(w: EgressWalk, start: number): Step {
  const { fw, port } = w;
  const groups = port.out;
  for (let i = start; i < groups.length; i++) {
    const g = groups[i];
    // ACL groups filter IPv4 (their family); ARP and other frames pass them.
    if (g.layer.id === 'acl' && w.inner.etherType !== ETH_IPV4) continue;
    w.layer = g.layer.id;
    w.groupIndex = i;
    const rule = walkGroup(fw, port, g, w.view, w.where, 'out');
    let step: Step = Step.Next;
    for (const a of rule.actions) {
      step = egressAction(w, a);
      if (step !== Step.Next) break;
    }
    fw.sink.close();
    if (step === Step.Layer) i = lastOfLayer(groups, i);
    else if (step !== Step.Next) return step;
  }
  return dropEntry(w, w.at, 'no layer decided', w.where);
}

/**
 * A port's inbound groups (pa_route, vnet, acl) for a frame about to enter it. The walk's
 * `reason` is why it may not (null: the layers let it in); its `frame` is the frame as the
 * actions left it (a popped VLAN tag).
 */
export function ingressSlow(
  fw: Forwarder,
  port: PortRt,
  frame: Uint8Array,
  innerAt: number,
  vsid: number,
  outer: Parsed | null,
  entry: FlowEntry | null = null,
): IngressWalk {
  const inner = parse(frame, innerAt);
  const view: MatchView = { inner, vsid, outer };
  const w: IngressWalk = {
    fw,
    port,
    frame,
    innerAt,
    inner,
    entry,
    where: portWhere(port),
    reason: null,
    outPort: null,
    rewrites: [],
    actions: [],
  };
  const groups = port.in;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g.layer.id === 'acl' && inner.etherType !== ETH_IPV4) continue;
    const rule = walkGroup(fw, port, g, view, w.where, 'in');
    let step: Step = Step.Next;
    for (const a of rule.actions) {
      const h = handlerOf(a.type);
      if (!h.ingress) continue;
      step = (h.ingress as (w: IngressWalk, a: Action) => Step)(w, a);
      if (step !== Step.Next) break;
    }
    fw.sink.close();
    if (w.reason !== null) return w;
    if (step === Step.Layer) i = lastOfLayer(groups, i);
  }
  return w;
}

/** The index of the last group of the layer group `i` belongs to (a layer's groups are adjacent). */
function lastOfLayer(groups: CompiledGroup[], i: number): number {
  const layer = groups[i].layer;
  while (i + 1 < groups.length && groups[i + 1].layer === layer) i++;
  return i;
}
