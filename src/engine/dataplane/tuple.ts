// The tuple tester (Test-SdnVfpPortTuple): one 5-tuple at one port, in one direction, through
// that port's VFP groups, with the decision of each layer. It runs the data plane's own
// executor (egressSlow / ingressSlow) on a scratch data plane built from the same document,
// traced into a sink, so nothing the live lab holds (flow tables, ARP caches) changes.
import { macToBytes, u32ToIp } from '../controller/addr';
import { parseIpv4 } from '../net';
import { Datacenter } from './datacenter';
import { nextHopOf } from './guest';
import { buildIpFrame, IP_ICMP, IP_TCP, IP_UDP } from './packet';
import type { PortRt } from './runtime';
import { pktOf } from './steps';
import { NULL_SINK, TreeSink } from './trace/sink';
import type { TraceNode } from './trace-types';
import { egressSlow, ingressSlow } from './vfp/executor';

export interface TupleRequest {
  /** The port: a vNIC id or 'Tenant/VM'. */
  port: string;
  /** 'out': the VM sends (the port's egress groups); 'in': a packet for the VM (ingress groups). */
  direction: 'out' | 'in';
  protocol: 'tcp' | 'udp' | 'icmp';
  /** Defaults: the port's own CA on the side it holds. */
  srcIp?: string;
  dstIp?: string;
  srcPort?: number;
  dstPort?: number;
}

export interface TupleRule {
  ruleId: string;
  priority: number;
  hit: boolean;
  isDefault: boolean;
  origin: string;
}

/** One group the tuple met, with the rules it weighed and what the hit rule did. */
export interface TupleGroup {
  layer: string;
  group: string;
  rules: TupleRule[];
  actions: string[];
}

export interface TupleResult {
  port: string;
  host: string;
  direction: 'out' | 'in';
  /** '10.1.1.12:50000 -> 10.1.1.11:1433 TCP' */
  tuple: string;
  groups: TupleGroup[];
  /** 'allow': the port lets it through (out: forwarded on; in: delivered to the VM). */
  verdict: 'allow' | 'block';
  reason?: string;
  /** The executor's steps, as a trace tree (for the UI's step view). */
  steps: TraceNode[];
}

function requirePort(dc: Datacenter, ref: string): PortRt {
  const port = dc.portFor(ref);
  if (!port) throw new Error(`unknown port '${ref}': use a vNIC id or 'Tenant/VM'`);
  return port;
}

function address(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined || text === '') return fallback;
  const ip = parseIpv4(text);
  if (ip === undefined) throw new Error(`${what} '${text}' is not an IPv4 address`);
  return ip;
}

function port16(n: number | undefined, fallback: number, what: string): number {
  if (n === undefined) return fallback;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${what} ${n} is not a port (0-65535)`);
  return n;
}

/** Collects the stage / rule / action events of a traced walk into groups. */
function groupsOf(nodes: TraceNode[]): TupleGroup[] {
  const out: TupleGroup[] = [];
  for (const n of nodes) {
    if (n.kind !== 'stage') continue;
    const rules: TupleRule[] = [];
    const actions: string[] = [];
    for (const c of n.children) {
      if (c.kind === 'rule' && c.what?.type === 'rule')
        rules.push({
          ruleId: c.ruleId,
          priority: c.priority,
          hit: c.hit,
          isDefault: c.what.isDefault,
          origin: c.origin,
        });
      else if (c.kind === 'action') actions.push(c.title);
    }
    out.push({ layer: n.where.layer ?? '', group: n.where.group ?? '', rules, actions });
  }
  return out;
}

export function testTuple(doc: Datacenter['controller']['doc'], req: TupleRequest): TupleResult {
  const dc = new Datacenter(doc);
  const port = requirePort(dc, req.port);
  const proto = req.protocol === 'tcp' ? IP_TCP : req.protocol === 'udp' ? IP_UDP : IP_ICMP;
  const out = req.direction === 'out';
  const srcIp = address(req.srcIp, port.caIp, 'source IP');
  const dstIp = address(req.dstIp, port.caIp, 'destination IP');
  if (out && req.dstIp === undefined) throw new Error('give the destination IP of the packet the VM sends');
  if (!out && req.srcIp === undefined) throw new Error('give the source IP of the packet that arrives');
  const srcPort = port16(req.srcPort, 50000, 'source port');
  const dstPort = port16(req.dstPort, proto === IP_TCP ? 80 : 53, 'destination port');
  // The frame as it is at the port: from the VM (to its gateway or an on-link peer), or to it.
  let srcMac = port.mac;
  let dstMac = port.mac;
  if (out) {
    const hop = nextHopOf(port, dstIp);
    const peer = hop === dstIp ? dc.controller.locate(port.vsid, u32ToIp(dstIp)) : undefined;
    dstMac = peer ? macToBytes(peer.mac) : port.gatewayMac;
  } else {
    const peer = dc.controller.locate(port.vsid, u32ToIp(srcIp));
    srcMac = peer && nextHopOf(port, srcIp) === srcIp ? macToBytes(peer.mac) : port.gatewayMac;
  }
  const frame = buildIpFrame({
    srcMac,
    dstMac,
    srcIp,
    dstIp,
    proto,
    ttl: 128,
    id: 1,
    df: proto === IP_TCP,
    totalLength: proto === IP_ICMP ? 84 : 60,
    srcPort,
    dstPort,
    icmpType: 8,
    icmpCode: 0,
    icmpId: 1,
    icmpSeq: 1,
    tcpFlags: 0x02,
    tcpSeq: 1,
    tcpAck: 0,
  });
  const root: TraceNode = {
    kind: 'packet',
    title: 'tuple',
    where: {},
    packet: 'tuple',
    children: [],
  } as TraceNode;
  const fw = dc.forwarder;
  fw.sink = new TreeSink(root, []);
  let verdict: 'allow' | 'block' = 'allow';
  let reason: string | undefined;
  try {
    if (out) {
      const entry = egressSlow(fw, port, pktOf(frame));
      if (entry?.dropReason) {
        verdict = 'block';
        reason = entry.dropReason;
      }
    } else {
      const walk = ingressSlow(fw, port, frame, 0, port.vsid, null);
      if (walk.reason !== null) {
        verdict = 'block';
        reason = walk.reason;
      }
    }
  } finally {
    fw.sink = NULL_SINK;
  }
  const name = proto === IP_TCP ? 'TCP' : proto === IP_UDP ? 'UDP' : 'ICMP';
  const ends =
    proto === IP_ICMP
      ? [u32ToIp(srcIp), u32ToIp(dstIp)]
      : [`${u32ToIp(srcIp)}:${srcPort}`, `${u32ToIp(dstIp)}:${dstPort}`];
  return {
    port: port.label,
    host: port.host.name,
    direction: req.direction,
    tuple: `${ends[0]} -> ${ends[1]} ${name}`,
    groups: groupsOf(root.children),
    verdict,
    reason,
    steps: root.children,
  };
}
