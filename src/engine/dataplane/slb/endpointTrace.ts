// A trace from an external endpoint ('Internet/Client'): the client ARPs for its gateway (the
// router's interface on its link) unless cached, sends its packet onto the link, and the fabric
// does the rest (router -> BGP route to a MUX -> MUX -> tunnel -> DIP host -> VM). A VM that
// receives a TCP SYN answers with a SYN-ACK (a UDP datagram with a datagram): that reply is the
// trace's second packet, and shows direct server return from the DIP's host.
import { u32ToIp } from '../../controller/addr';
import { parseIpv4 } from '../../net';
import type { Datacenter } from '../datacenter';
import { Decision } from '../forwarder';
import { nextHopOf } from '../guest';
import {
  BROADCAST_MAC,
  buildArp,
  buildIpFrame,
  fnv,
  IP_TCP,
  IP_UDP,
  parse,
  pushVlanTag,
  put32,
  ZERO_MAC,
} from '../packet';
import type { PortRt } from '../runtime';
import { pktOf, portWhere } from '../steps';
import { renderEvent } from '../trace/render';
import { NULL_SINK, TreeSink } from '../trace/sink';
import type { Trace, TraceNode, TracePacket, TraceRequest, TraceVerdict, TraceWhere } from '../trace-types';
import { endpointWhere } from './mux';
import type { EndpointRt } from './plane';

type Frames = { where: string; frame: Uint8Array }[];

function verdictOf(dc: Datacenter): TraceVerdict {
  const o = dc.forwarder.outcome;
  if (o.delivered.length)
    return { outcome: 'delivered', at: o.delivered.join(', '), deliveredTo: [...o.delivered] };
  return { outcome: 'dropped', at: o.drop?.at ?? 'nowhere', reason: o.drop?.reason ?? 'no decision' };
}

function run(
  dc: Datacenter,
  frames: Frames,
  label: string,
  where: TraceWhere,
  protocol: 'arp' | 'tcp' | 'udp' | 'icmp',
  go: () => void,
): TracePacket {
  const fw = dc.forwarder;
  fw.outcome = { delivered: [], drop: null, path: 'none' };
  const root = renderEvent({ type: 'packet', label, protocol }, where);
  fw.sink = new TreeSink(root, frames);
  try {
    go();
  } finally {
    fw.sink = NULL_SINK;
  }
  const o = fw.outcome;
  if (root.kind === 'packet') root.path = o.path === 'none' ? undefined : o.path;
  return { label, path: o.path, root, verdict: verdictOf(dc) };
}

export function traceFromEndpoint(dc: Datacenter, ep: EndpointRt, req: TraceRequest): Trace {
  if (req.frame) throw new Error(`--frame is for a VM's port; ${ep.label} is an external endpoint`);
  if (req.protocol !== 'tcp' && req.protocol !== 'udp')
    throw new Error(`an external endpoint's trace is TCP or UDP to a VIP (got ${req.protocol})`);
  const dstIp = parseIpv4(req.to) ?? dc.resolveDestination(req.to).ip;
  const fw = dc.forwarder;
  const { controlPlane, invalidations } = dc.takeSinceLastTrace();
  const frames: Frames = [];
  const packets: TracePacket[] = [];
  const ls = ep.ls;
  const linkWhere = endpointWhere(ep);
  const proto = req.protocol === 'tcp' ? IP_TCP : IP_UDP;
  const srcPort = req.srcPort ?? 50000;
  const dstPort = req.dstPort ?? (proto === IP_TCP ? 80 : 53);
  const name = req.protocol.toUpperCase();
  const label = `${name}${proto === IP_TCP ? ' SYN' : ''} ${ep.label} ${u32ToIp(ep.ip)}:${srcPort} -> ${u32ToIp(dstIp)}:${dstPort}`;
  // The client's next hop: on its link, else its gateway (the link's default gateway).
  const [net, len] = ls.prefix.split('/');
  const mask = Number(len) === 0 ? 0 : (0xffffffff << (32 - Number(len))) >>> 0;
  const onLink = (dstIp & mask) >>> 0 === ((parseIpv4(net) ?? 0) & mask) >>> 0;
  const nextHop = onLink ? dstIp : (parseIpv4(ls.defaultGateway) ?? 0);
  let delivered: string | null = null;
  const main = run(dc, frames, label, linkWhere, req.protocol, () => {
    const hop = fw.ctx.physical.arpOnLink(
      fw.sink,
      ep.arp,
      ls,
      { name: ep.label, mac: ep.mac, ip: ep.ip },
      nextHop,
    );
    if (!hop) {
      fw.dropped(ep.label, `no ARP answer for its gateway ${u32ToIp(nextHop)} on '${ls.name}'`, linkWhere);
      return;
    }
    const seed = new Uint8Array(12);
    put32(seed, 0, ep.ip);
    put32(seed, 4, dstIp);
    put32(seed, 8, (srcPort << 16) | dstPort);
    let frame = buildIpFrame({
      srcMac: ep.mac,
      dstMac: hop.mac,
      srcIp: ep.ip,
      dstIp,
      proto,
      ttl: 64,
      id: fnv(seed, 0, 12) & 0xffff,
      df: proto === IP_TCP,
      totalLength: req.size ?? (proto === IP_TCP ? 40 : 60),
      srcPort,
      dstPort,
      icmpType: 0,
      icmpCode: 0,
      icmpId: 0,
      icmpSeq: 0,
      tcpFlags: 0x02,
      tcpSeq: fnv(seed, 0, 12),
      tcpAck: 0,
    });
    if (ls.vlanId > 0) frame = pushVlanTag(frame, ls.vlanId);
    fw.link = ls;
    fw.from = ep.label;
    fw.hopFresh = false;
    fw.run(Decision.OnLink, pktOf(frame));
    delivered = fw.outcome.delivered[0] ?? null;
  });
  packets.push(main);
  let verdict = main.verdict;
  const port = delivered ? dc.findPort(delivered) : null;
  // The VM answers: the frame it received, the other way round.
  const got = port
    ? [...frames].reverse().find((f) => f.where === `${port.host.name} vSwitch -> ${port.label}`)
    : undefined;
  if (port && got) {
    const p = parse(got.frame);
    const b = got.frame;
    const ipId = (b[p.l3 + 4] << 8) | b[p.l3 + 5];
    const seq = ((b[p.l4 + 4] << 24) | (b[p.l4 + 5] << 16) | (b[p.l4 + 6] << 8) | b[p.l4 + 7]) >>> 0;
    const back = nextHopOf(port, p.ipSrc);
    if (!port.arpCache.has(back)) packets.push(arpFromVm(dc, frames, port, back));
    const mac = port.arpCache.get(back);
    if (!mac) verdict = packets[packets.length - 1].verdict;
    else {
      const reply = buildIpFrame({
        srcMac: port.mac,
        dstMac: mac,
        srcIp: port.caIp,
        dstIp: p.ipSrc,
        proto: p.proto,
        ttl: 128,
        id: (ipId + 1) & 0xffff,
        df: p.proto === IP_TCP,
        totalLength: p.ipLen,
        srcPort: p.dstPort,
        dstPort: p.srcPort,
        icmpType: 0,
        icmpCode: 0,
        icmpId: 0,
        icmpSeq: 0,
        tcpFlags: 0x12,
        tcpSeq: fnv(got.frame, 26, 38),
        tcpAck: (seq + 1) >>> 0,
      });
      const rl = `${p.proto === IP_TCP ? 'TCP SYN-ACK' : 'UDP reply'} ${port.label} ${u32ToIp(port.caIp)}:${p.dstPort} -> ${u32ToIp(p.ipSrc)}:${p.srcPort}`;
      const answer = run(dc, frames, rl, portWhere(port), p.proto === IP_TCP ? 'tcp' : 'udp', () => {
        fw.port = port;
        fw.run(Decision.FromVm, pktOf(reply));
      });
      packets.push(answer);
      if (answer.verdict.outcome !== 'delivered') verdict = answer.verdict;
    }
  }
  if (invalidations.length) main.root.children.unshift(...invalidations);
  if (controlPlane.length)
    main.root.children.unshift(
      ...controlPlane.map(
        (update): TraceNode => ({
          kind: 'control-plane',
          title: `controller -> ${dc.hosts.get(update.hostId)?.name ?? update.hostId}: ${update.op} ${update.kind} ${update.key}`,
          where: { hostId: update.hostId, hostName: dc.hosts.get(update.hostId)?.name },
          update,
          children: [],
        }),
      ),
    );
  return { request: req, controlPlane, packets, verdict, frames };
}

/** The VM asks for its next hop; its host agent answers (the port's ARP path). */
function arpFromVm(dc: Datacenter, frames: Frames, port: PortRt, target: number): TracePacket {
  const req = buildArp(1, port.mac, BROADCAST_MAC, port.mac, port.caIp, ZERO_MAC, target);
  const label = `ARP who-has ${u32ToIp(target)} tell ${u32ToIp(port.caIp)} (${port.label})`;
  const pk = run(dc, frames, label, portWhere(port), 'arp', () => {
    dc.forwarder.port = port;
    dc.forwarder.run(Decision.FromVm, pktOf(req));
  });
  if (pk.verdict.outcome === 'delivered') pk.verdict.at = port.label;
  return pk;
}
