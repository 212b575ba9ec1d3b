// The trace driver: what a trace request means as packets. The VM resolves its next hop by
// ARP (answered by its host agent) unless cached, sends its packet, and a pinged guest answers;
// each packet runs through the forwarder with a tree sink, and its verdict is read from what
// the forwarder recorded. A raw frame is sent as given (an ovn-trace microflow); a wire frame
// is put on a link as a device there would.

import { u32ToIp } from '../controller/addr';
import type { Controller } from '../controller/controller';
import type { SouthboundUpdate } from '../controller/types';
import { Decision, type Forwarder } from './forwarder';
import type { SiteReply } from './gateway/site';
import { answerOf, buildGuestFrame, dataSegmentAfter, nextHopOf } from './guest';
import { BROADCAST_MAC, buildArp, parse, ZERO_MAC } from './packet';
import type { HostRt, PortRt } from './runtime';
import { type Pkt, pktOf, portWhere } from './steps';
import type { TraceEvent } from './trace/events';
import { renderEvent } from './trace/render';
import { NULL_SINK, TreeSink } from './trace/sink';
import type {
  Trace,
  TraceNode,
  TracePacket,
  TraceProtocol,
  TraceRequest,
  TraceVerdict,
  TraceWhere,
} from './trace-types';
import { checkRawFrame } from './vswitch/portSecurity';

/** What the trace driver needs from the datacenter. */
export interface Traced {
  readonly forwarder: Forwarder;
  readonly controller: Controller;
  readonly hosts: Map<string, HostRt>;
  findPort(ref: string): PortRt | null;
  resolveDestination(ref: string): { ip: number; label: string };
  /** The controller's pushes and the flow invalidations since the last trace (taken: the next starts empty). */
  takeSinceLastTrace(): { controlPlane: SouthboundUpdate[]; invalidations: TraceNode[] };
}

export class Tracer {
  private frames: { where: string; frame: Uint8Array }[] | null = null;

  constructor(private readonly dc: Traced) {}

  private packetRoot(
    label: string,
    where: TraceWhere,
    protocol: Extract<TraceEvent, { type: 'packet' }>['protocol'],
  ): TraceNode {
    return renderEvent({ type: 'packet', label, protocol }, where);
  }

  /** One packet from a VM's port through the forwarder; traced under `root` when given. */
  private fromVm(port: PortRt, pkt: Pkt, root: TraceNode | null): void {
    const fw = this.dc.forwarder;
    fw.sink =
      root && this.frames ? new TreeSink(root, this.frames, this.dc.controller.doc.hnvMode) : NULL_SINK;
    fw.port = port;
    try {
      fw.run(Decision.FromVm, pkt);
    } finally {
      fw.sink = NULL_SINK;
    }
  }

  private finishPacket(label: string, root: TraceNode): TracePacket {
    const o = this.dc.forwarder.outcome;
    let verdict: TraceVerdict;
    if (o.drop && o.delivered.filter((d) => d !== label).length === 0)
      verdict = { outcome: 'dropped', at: o.drop.at, reason: o.drop.reason };
    else if (o.delivered.length)
      verdict = { outcome: 'delivered', at: o.delivered.join(', '), deliveredTo: [...o.delivered] };
    else
      verdict = { outcome: 'dropped', at: o.drop?.at ?? 'nowhere', reason: o.drop?.reason ?? 'no decision' };
    if (o.drop && o.delivered.length) verdict.reason = o.drop.reason;
    if (root.kind === 'packet') root.path = o.path === 'none' ? undefined : o.path;
    return { label, path: o.path, root, verdict };
  }

  private beginPacket(): void {
    this.dc.forwarder.outcome = { delivered: [], drop: null, path: 'none' };
  }

  /** The VM resolves its next hop with ARP (answered by its host agent) if not cached. */
  arpIfNeeded(port: PortRt, nextHop: number, packets: TracePacket[] | null, force = false): boolean {
    if (!force && port.arpCache.has(nextHop)) return true;
    const req = buildArp(1, port.mac, BROADCAST_MAC, port.mac, port.caIp, ZERO_MAC, nextHop);
    const label = `ARP who-has ${u32ToIp(nextHop)} tell ${u32ToIp(port.caIp)} (${port.label})`;
    this.beginPacket();
    const root = packets ? this.packetRoot(label, portWhere(port), 'arp') : null;
    this.fromVm(port, pktOf(req), root);
    if (packets && root) {
      const pk = this.finishPacket(port.label, root);
      pk.label = label;
      if (pk.verdict.outcome === 'delivered') pk.verdict.at = port.label;
      packets.push(pk);
    }
    return port.arpCache.has(nextHop);
  }

  trace(req: TraceRequest): Trace {
    const src = this.dc.findPort(req.from);
    if (!src) throw new Error(`unknown source '${req.from}': use a vNIC id or 'Tenant/VM'`);
    if (req.frame) return this.traceRawFrame(src, req.frame, req);
    const dst = this.dc.resolveDestination(req.to);
    const packets: TracePacket[] = [];
    const { controlPlane, invalidations } = this.beginTrace(
      req.protocol === 'icmp' || req.protocol === 'tcp',
    );
    let verdict: TraceVerdict;
    try {
      const isBroadcast = dst.ip === 0xffffffff || dst.ip === (src.prefixNet | ~src.prefixMask) >>> 0;
      const nh = nextHopOf(src, dst.ip);
      if (req.protocol === 'arp') {
        this.arpIfNeeded(src, dst.ip, packets, true);
        verdict = packets[0].verdict;
      } else if (!isBroadcast && !this.arpIfNeeded(src, nh, packets)) {
        verdict = packets[packets.length - 1].verdict;
      } else {
        const dstMac = isBroadcast ? BROADCAST_MAC : (src.arpCache.get(nh) ?? BROADCAST_MAC);
        const frame = buildGuestFrame(src, dst.ip, dstMac, req);
        const to = dst.label === u32ToIp(dst.ip) ? dst.label : `${dst.label} ${u32ToIp(dst.ip)}`;
        const label =
          req.protocol === 'tcp'
            ? `TCP SYN ${src.label} ${u32ToIp(src.caIp)}:${tcpPorts(frame)[0]} -> ${to}:${tcpPorts(frame)[1]}`
            : `${req.protocol.toUpperCase()}${req.protocol === 'icmp' ? ' echo request' : ''} ${src.label} ${u32ToIp(src.caIp)} -> ${to}`;
        const main = this.sendTraced(src, frame, label, req.protocol);
        packets.push(main);
        const names = new Map([[src.caIp, src.label]]);
        if (dst.label !== u32ToIp(dst.ip)) names.set(dst.ip, dst.label);
        verdict = main.verdict;
        // A host beyond the router (a site of the RAS gateway) answers a ping from its edge.
        const fromSites = this.dc.forwarder.siteReplies;
        this.dc.forwarder.siteReplies = [];
        for (const r of fromSites.slice(0, 1)) {
          const reply = this.siteReply(r);
          packets.push(reply);
          if (reply.verdict.outcome !== 'delivered') verdict = reply.verdict;
        }
        verdict = this.answers(req, names, packets, verdict);
        // TCP with a size: after the handshake, one segment of data that makes the IP packet that big
        // (the handshake's segments carry none).
        const ack = this.lastAck;
        if (
          req.protocol === 'tcp' &&
          req.size !== undefined &&
          req.size > 40 &&
          ack &&
          verdict.outcome === 'delivered'
        ) {
          const data = dataSegmentAfter(src, ack, req.size);
          const [sp, dp] = tcpPorts(data);
          const dl = `TCP data (PSH, ACK, ${req.size - 40} bytes) ${src.label} ${u32ToIp(src.caIp)}:${sp} -> ${to}:${dp}`;
          const sent = this.sendTraced(src, data, dl, 'tcp');
          packets.push(sent);
          verdict = this.answers(req, names, packets, sent.verdict);
        }
      }
    } finally {
      this.dc.forwarder.guestReplies = false;
    }
    return this.finishTrace(req, packets, verdict, controlPlane, invalidations);
  }

  /** The handshake's last ACK the source sent (the data segment continues its numbers). */
  private lastAck: Uint8Array | null = null;

  /** One packet a guest sends, traced: its own packet in the trace. */
  private sendTraced(port: PortRt, frame: Uint8Array, label: string, protocol: TraceProtocol): TracePacket {
    this.beginPacket();
    const root = this.packetRoot(label, portWhere(port), protocol);
    this.fromVm(port, pktOf(frame), root);
    return this.finishPacket(label, root);
  }

  /**
   * The guests answer what they received (an echo reply; TCP's SYN-ACK, then the source's ACK),
   * each answer through the data plane like any packet, until nothing is left to answer. The
   * exchange's verdict: `verdict`, unless an answer fails.
   */
  private answers(
    req: TraceRequest,
    names: Map<number, string>,
    packets: TracePacket[],
    verdict: TraceVerdict,
  ): TraceVerdict {
    const fw = this.dc.forwarder;
    this.lastAck = null;
    // A handful at most: a SYN-ACK and an ACK, or an ACK for data (a bare ACK is not answered).
    for (let round = 0; round < 4 && fw.replies.length > 0; round++) {
      // One answer: a broadcast ping delivered to several guests is answered by the first.
      const r = fw.replies[0];
      fw.replies = [];
      const p = parse(r.frame);
      const back = nextHopOf(r.port, p.ipSrc);
      if (!this.arpIfNeeded(r.port, back, packets)) return packets[packets.length - 1].verdict;
      const answer = answerOf(r.port, r.frame, r.port.arpCache.get(back) ?? BROADCAST_MAC, req);
      const [sport, dport] = answer.protocol === 'tcp' ? tcpPorts(answer.frame) : [0, 0];
      const from = `${r.port.label} ${u32ToIp(r.port.caIp)}`;
      const to = names.has(p.ipSrc) ? `${names.get(p.ipSrc)} ${u32ToIp(p.ipSrc)}` : u32ToIp(p.ipSrc);
      const label =
        answer.protocol === 'tcp'
          ? `${answer.what} ${from}:${sport} -> ${to}:${dport}`
          : `${answer.what} ${from} -> ${to}`;
      const sent = this.sendTraced(r.port, answer.frame, label, answer.protocol);
      packets.push(sent);
      if (sent.verdict.outcome !== 'delivered') return sent.verdict;
      if (answer.what === 'TCP ACK') this.lastAck = answer.frame;
    }
    return verdict;
  }

  /** A host beyond the router answers the ping: its reply from its site's edge, traced as its own packet. */
  private siteReply(r: SiteReply): TracePacket {
    const fw = this.dc.forwarder;
    this.beginPacket();
    const root = this.packetRoot(r.label, r.where, 'icmp');
    fw.sink = this.frames ? new TreeSink(root, this.frames, this.dc.controller.doc.hnvMode) : NULL_SINK;
    try {
      const first = r.start(fw);
      fw.run(first, fw.pkt);
    } finally {
      fw.sink = NULL_SINK;
    }
    return this.finishPacket(r.label, root);
  }

  /** One raw frame from a VM's port, as given: no ARP first, no reply (an ovn-trace microflow). */
  private traceRawFrame(src: PortRt, frame: Uint8Array, req: TraceRequest): Trace {
    const what = checkRawFrame(frame, src);
    const request: TraceRequest = {
      from: req.from,
      to: what.to,
      protocol: what.protocol,
      frame: frame.slice(),
    };
    const { controlPlane, invalidations } = this.beginTrace(false);
    const label = `frame ${src.label} -> ${what.to} (${what.protocol.toUpperCase()}, ${frame.length} bytes, as given)`;
    this.beginPacket();
    const root = this.packetRoot(label, portWhere(src), 'frame');
    this.fromVm(src, pktOf(frame), root);
    const packet = this.finishPacket(label, root);
    this.dc.forwarder.replies = [];
    return this.finishTrace(request, [packet], packet.verdict, controlPlane, invalidations);
  }

  /**
   * Start recording a trace: frames from here on, the guest's echo replies if asked, and the
   * controller's pushes and invalidations since the last trace (which the trace opens with).
   */
  private beginTrace(guestReplies: boolean): {
    controlPlane: SouthboundUpdate[];
    invalidations: TraceNode[];
  } {
    this.frames = [];
    this.dc.forwarder.replies = [];
    this.dc.forwarder.siteReplies = [];
    this.dc.forwarder.guestReplies = guestReplies;
    return this.dc.takeSinceLastTrace();
  }

  /** The trace's frames, with the controller's pushes since the last trace put first. */
  private finishTrace(
    req: TraceRequest,
    packets: TracePacket[],
    verdict: TraceVerdict,
    controlPlane: SouthboundUpdate[],
    invalidations: TraceNode[],
  ): Trace {
    const frames = this.frames ?? [];
    this.frames = null;
    // The controller's pushes since the last trace come first: what changed before this packet.
    if (packets[0] && invalidations.length) packets[0].root.children.unshift(...invalidations);
    if (packets[0] && controlPlane.length)
      packets[0].root.children.unshift(
        ...controlPlane.map(
          (update): TraceNode => ({
            kind: 'control-plane',
            title: `controller -> ${this.dc.hosts.get(update.hostId)?.name ?? update.hostId}: ${update.op} ${update.kind} ${update.key}`,
            where: { hostId: update.hostId, hostName: this.dc.hosts.get(update.hostId)?.name },
            update,
            children: [],
          }),
        ),
      );
    return { request: req, controlPlane, packets, verdict, frames, hnvMode: this.dc.controller.doc.hnvMode };
  }

  /**
   * Put a raw frame on a logical subnet's link, as a device on that link would, and trace what
   * the fabric and the hosts do with it (a PTF test's "this frame in"): the packet's trace and
   * every frame that crossed a wire or port.
   */
  traceWireFrame(
    logicalSubnet: string,
    frame: Uint8Array,
    from = 'a device on the link',
  ): Omit<Trace, 'request'> {
    const ls = this.dc.controller.doc.logicalSubnets.find(
      (l) => l.id === logicalSubnet || l.name === logicalSubnet,
    );
    if (!ls) throw new Error(`unknown logical subnet '${logicalSubnet}': use its id or name`);
    this.frames = [];
    const label = `frame from ${from} on '${ls.name}'`;
    this.beginPacket();
    const root = this.packetRoot(label, { logicalSubnetId: ls.id, logicalSubnetName: ls.name }, 'frame');
    const fw = this.dc.forwarder;
    fw.sink = new TreeSink(root, this.frames, this.dc.controller.doc.hnvMode);
    fw.link = ls;
    fw.from = from;
    try {
      fw.run(Decision.OnLink, pktOf(frame));
    } finally {
      fw.sink = NULL_SINK;
    }
    const packet = this.finishPacket(label, root);
    const frames = this.frames;
    this.frames = null;
    return {
      controlPlane: [],
      packets: [packet],
      verdict: packet.verdict,
      frames,
      hnvMode: this.dc.controller.doc.hnvMode,
    };
  }
}

/** A TCP frame's source and destination ports. */
function tcpPorts(frame: Uint8Array): [number, number] {
  const p = parse(frame);
  return [p.srcPort, p.dstPort];
}
