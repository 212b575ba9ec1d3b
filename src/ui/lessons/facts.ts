// Reduce the engine's trace (plain data from the worker) to the facts lesson checks read.
// This only reads fields the engine already computed; it decides nothing about networking.
import type { Trace, TraceNode } from '../../engine/index';
import type { TopologyDocument, Vm } from '../../engine/model/schema';
import { isIpv4 } from '../../engine/net';
import { findVm } from '../../scenarios/lessons/query';
import type { EncapFact, LessonFacts, TraceFacts } from '../../scenarios/lessons/types';

/** A trace endpoint: a vNIC id, a VM id, 'Tenant/VM', or (destination only) a CA IP. */
export function resolveVm(doc: TopologyDocument, ref: string): Vm | null {
  return doc.vms.find((vm) => vm.nics.some((n) => n.id === ref)) ?? findVm(doc, ref);
}

function* walk(node: TraceNode): Generator<TraceNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
}

export function traceFacts(trace: Trace, doc: TopologyDocument): TraceFacts {
  const { request } = trace;
  const from = resolveVm(doc, request.from);
  const toIsIp = isIpv4(request.to);
  const to = toIsIp ? null : resolveVm(doc, request.to);
  const encaps: EncapFact[] = [];
  const vsids: number[] = [];
  const hosts: string[] = [];
  const vlans: number[] = [];
  const paArp: NonNullable<TraceFacts['paArp']> = [];
  const icmpErrors: NonNullable<TraceFacts['icmpErrors']> = [];
  const tunnels: NonNullable<TraceFacts['tunnels']> = [];
  const nat: NonNullable<TraceFacts['nat']> = [];
  let slb: TraceFacts['slb'];
  let dsr = false;
  let arpReply = false;
  let routed = false;
  let leftHost = false;
  let path: TraceFacts['path'] = 'unknown';
  // The main packet: the first that is not ARP (unless ARP is what was traced). Its
  // encapsulation is the one lessons ask about; the echo reply travels the other way.
  // The packet's typed event says what it is (the VM's ARP before its packet), not its label.
  const isArp = (p: Trace['packets'][number]) =>
    p.root.what?.type === 'packet' && p.root.what.protocol === 'arp';
  const main = request.protocol === 'arp' ? trace.packets[0] : (trace.packets.find((p) => !isArp(p)) ?? null);
  for (const packet of trace.packets) {
    const isMain = packet === main;
    if (isMain && packet.path !== 'none') path = packet.path;
    for (const node of walk(packet.root)) {
      const hostId = node.where.hostId;
      if (hostId && hosts.at(-1) !== hostId) hosts.push(hostId);
      if (node.kind === 'hop' && (node.where.logicalSubnetId || node.where.routerId)) leftHost = true;
      if (node.kind === 'flow-cache' && isMain && path === 'unknown')
        path = node.event === 'hit' ? 'fast' : 'slow';
      if (node.kind === 'hop' && node.arp?.op === 'request')
        paArp.push({ senderIp: node.arp.senderIp, targetIp: node.arp.targetIp });
      if (node.kind === 'output' && node.icmp) icmpErrors.push(node.icmp);
      const what = node.what;
      if (what?.type === 'slb-mux' && !slb)
        slb = { mux: what.mux, dip: what.chosen.vm, flow: what.flow, dsr: false };
      if (what?.type === 'output-uplink' && what.plain === true) dsr = true;
      if (node.kind !== 'action') continue;
      const action = node.action;
      switch (action.type) {
        case 'encap':
          leftHost = true;
          if (!vsids.includes(action.vsid)) vsids.push(action.vsid);
          if (isMain) {
            encaps.push({
              type: action.encapsulation,
              vsid: action.vsid,
              outerSrcIp: action.srcPa,
              outerDstIp: action.dstPa,
            });
          }
          break;
        case 'decap':
        case 'replicate':
        case 'lookup':
          if (!vsids.includes(action.vsid)) vsids.push(action.vsid);
          break;
        case 'route':
          routed = true;
          break;
        case 'arp-reply':
          arpReply = true;
          break;
        case 'pa-route':
          leftHost = true;
          break;
        case 'push-vlan':
          if (!vlans.includes(action.vlanId)) vlans.push(action.vlanId);
          break;
        case 'gre-encap':
          if (isMain)
            tunnels.push({ kind: 'gre', key: action.key, outerSrcIp: action.src, outerDstIp: action.dst });
          break;
        case 'esp-encap':
          if (isMain)
            tunnels.push({ kind: 'esp', spi: action.spi, outerSrcIp: action.src, outerDstIp: action.dst });
          break;
        case 'nat':
          nat.push({ direction: action.direction, from: action.from, to: action.to });
          break;
      }
    }
  }
  const arp: TraceFacts['arp'] = arpReply ? 'host-agent' : request.protocol === 'arp' ? 'no-reply' : 'none';
  return {
    protocol: request.protocol,
    fromVmId: from?.id ?? null,
    toVmId: to?.id ?? null,
    toIp: toIsIp ? request.to : (to?.nics[0]?.caIp ?? null),
    outcome: trace.verdict.outcome,
    dropReason: trace.verdict.reason,
    encaps,
    arp,
    leftHost,
    routed,
    vsids,
    path,
    hosts,
    ...(vlans.length > 0 ? { vlans } : {}),
    ...(paArp.length > 0 ? { paArp } : {}),
    ...(icmpErrors.length > 0 ? { icmpErrors } : {}),
    ...(tunnels.length > 0 ? { tunnels } : {}),
    ...(nat.length > 0 ? { nat } : {}),
    ...(slb ? { slb: { ...slb, dsr } } : {}),
    ...(from === null && !isIpv4(request.from) && request.from !== '' ? { fromEndpoint: request.from } : {}),
  };
}

/** Everything a lesson check sees. */
export function lessonFacts(input: {
  doc: TopologyDocument;
  scenarioId: string;
  view: LessonFacts['view'];
  selection: readonly string[];
  trace: Trace | null;
}): LessonFacts {
  return {
    document: input.doc,
    scenarioId: input.scenarioId,
    view: input.view,
    selection: input.selection,
    trace: input.trace ? traceFacts(input.trace, input.doc) : null,
  };
}
