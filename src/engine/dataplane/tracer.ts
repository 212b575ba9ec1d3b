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
import { buildGuestFrame, nextHopOf } from './guest';
import { BROADCAST_MAC, buildArp, l4Checksum, parse, ZERO_MAC } from './packet';
import type { HostRt, PortRt } from './runtime';
import { type Pkt, pktOf, portWhere } from './steps';
import type { TraceEvent } from './trace/events';
import { renderEvent } from './trace/render';
import { NULL_SINK, TreeSink } from './trace/sink';
import type { Trace, TraceNode, TracePacket, TraceRequest, TraceVerdict, TraceWhere } from './trace-types';
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
    fw.sink = root && this.frames ? new TreeSink(root, this.frames) : NULL_SINK;
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
    const { controlPlane, invalidations } = this.beginTrace(req.protocol === 'icmp');
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
        const label = `${req.protocol.toUpperCase()}${req.protocol === 'icmp' ? ' echo request' : ''} ${src.label} ${u32ToIp(src.caIp)} -> ${dst.label === u32ToIp(dst.ip) ? dst.label : `${dst.label} ${u32ToIp(dst.ip)}`}`;
        this.beginPacket();
        const root = this.packetRoot(label, portWhere(src), req.protocol);
        this.fromVm(src, pktOf(frame), root);
        const main = this.finishPacket(label, root);
        packets.push(main);
        verdict = main.verdict;
        const pending = this.dc.forwarder.replies;
        this.dc.forwarder.replies = [];
        const fromSites = this.dc.forwarder.siteReplies;
        this.dc.forwarder.siteReplies = [];
        for (const r of fromSites.slice(0, 1)) {
          const reply = this.siteReply(r);
          packets.push(reply);
          if (reply.verdict.outcome !== 'delivered') verdict = reply.verdict;
        }
        this.dc.forwarder.guestReplies = false;
        for (const r of pending.slice(0, 1)) {
          const p = parse(r.frame);
          const back = nextHopOf(r.port, p.ipSrc);
          if (!this.arpIfNeeded(r.port, back, packets)) {
            verdict = packets[packets.length - 1].verdict;
            break;
          }
          const replyFrame = buildGuestFrame(
            r.port,
            p.ipSrc,
            r.port.arpCache.get(back) ?? BROADCAST_MAC,
            req,
            p,
          );
          // The echo reply carries the request's payload (same length).
          replyFrame.set(r.frame.subarray(42), 42);
          l4Checksum(replyFrame, 14);
          const rl = `ICMP echo reply ${r.port.label} ${u32ToIp(r.port.caIp)} -> ${src.label} ${u32ToIp(p.ipSrc)}`;
          this.beginPacket();
          const rroot = this.packetRoot(rl, portWhere(r.port), 'icmp');
          this.fromVm(r.port, pktOf(replyFrame), rroot);
          const reply = this.finishPacket(rl, rroot);
          packets.push(reply);
          if (reply.verdict.outcome !== 'delivered') verdict = reply.verdict;
        }
      }
    } finally {
      this.dc.forwarder.guestReplies = false;
    }
    return this.finishTrace(req, packets, verdict, controlPlane, invalidations);
  }

  /** A host beyond the router answers the ping: its reply from its site's edge, traced as its own packet. */
  private siteReply(r: SiteReply): TracePacket {
    const fw = this.dc.forwarder;
    this.beginPacket();
    const root = this.packetRoot(r.label, r.where, 'icmp');
    fw.sink = this.frames ? new TreeSink(root, this.frames) : NULL_SINK;
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
    return { request: req, controlPlane, packets, verdict, frames };
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
    fw.sink = new TreeSink(root, this.frames);
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
    return { controlPlane: [], packets: [packet], verdict: packet.verdict, frames };
  }
}
