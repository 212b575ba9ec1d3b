// The VM's network stack, as far as the lab plays it: the packet a guest builds (ids, DF and
// ports as Windows sets them) and its next hop (on-link, else the gateway).
import { buildIpFrame, fnv, IP_ICMP, IP_TCP, IP_UDP, type Parsed, put32 } from './packet';
import type { PortRt } from './runtime';
import type { TraceRequest } from './trace-types';

/** The IP packet `src`'s guest sends to `dstIp` (an echo reply when `reply` is the request). */
export function buildGuestFrame(
  src: PortRt,
  dstIp: number,
  dstMac: Uint8Array,
  req: TraceRequest,
  reply?: Parsed,
): Uint8Array {
  const seq = req.sequence ?? 1;
  const proto = req.protocol === 'tcp' ? IP_TCP : req.protocol === 'udp' ? IP_UDP : IP_ICMP;
  const size = req.size ?? (proto === IP_ICMP ? 84 : 60);
  if (size > src.mtu) throw new Error(`size ${size} exceeds the vNIC MTU ${src.mtu}`);
  const seed = new Uint8Array(12);
  put32(seed, 0, src.caIp);
  put32(seed, 4, dstIp);
  put32(seed, 8, seq + (reply ? 0x10000 : 0));
  return buildIpFrame({
    srcMac: src.mac,
    dstMac,
    srcIp: src.caIp,
    dstIp,
    proto,
    ttl: 128,
    id: fnv(seed, 0, 12) & 0xffff,
    // As Windows sends them: DF on TCP (path MTU discovery), clear on ping and UDP.
    df: req.df ?? proto === IP_TCP,
    totalLength: size,
    srcPort: req.srcPort ?? 50000,
    dstPort: req.dstPort ?? (proto === IP_TCP ? 80 : 53),
    icmpType: reply ? 0 : 8,
    icmpCode: 0,
    icmpId: 1,
    icmpSeq: seq,
    tcpFlags: 0x02,
    tcpSeq: fnv(seed, 0, 12),
    tcpAck: 0,
  });
}

/** Where the guest sends a packet for `dst`: to it when on-link, else to its gateway. */
export function nextHopOf(port: PortRt, dst: number): number {
  return (dst & port.prefixMask) >>> 0 === port.prefixNet ? dst : port.gatewayIp;
}
