// The VM's network stack, as far as the lab plays it: the packet a guest builds (ids, DF, ports
// and TCP options as Windows sets them), its next hop (on-link, else the gateway), and what a
// guest answers: an echo request with an echo reply, and TCP as a peer that listens on every
// port (a SYN gets a SYN-ACK, a SYN-ACK the handshake's ACK, a segment with data an ACK).
import { formatIpv4, formatMac } from '../net';
import { encodeFrame, ethernetHeader, ipv4Header, tcpHeader } from '../wire/index.ts';
import type { TcpOption } from '../wire/types.ts';
import {
  buildIpFrame,
  ETH_IPV4,
  fnv,
  IP_ICMP,
  IP_TCP,
  IP_UDP,
  l4Checksum,
  type Parsed,
  parse,
  put32,
} from './packet';
import type { PortRt } from './runtime';
import type { TraceRequest } from './trace-types';

/** TCP flag bits. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/**
 * The receive windows Windows 10+ advertises: 64240 (44 x 1460) in its SYN, 65535 in a
 * SYN-ACK, then 1026 scaled by 2^8 (262,656 bytes) once window scaling is agreed.
 */
export const WINDOW_SYN = 64240;
export const WINDOW_SYN_ACK = 65535;
export const WINDOW_SCALED = 1026;
/** Window scale shift Windows offers (x256). */
export const WINDOW_SHIFT = 8;

/**
 * The options of a Windows SYN (and SYN-ACK), in its order: MSS, NOP, window scale, NOP, NOP,
 * SACK permitted (12 bytes, no padding needed). MSS = the interface's IP MTU - 40 (IPv4 + TCP
 * headers): 1460 for 1500.
 */
export function synOptions(mtu: number): TcpOption[] {
  return [
    { kind: 'mss', value: mtu - 40 },
    { kind: 'nop' },
    { kind: 'wscale', shift: WINDOW_SHIFT },
    { kind: 'nop' },
    { kind: 'nop' },
    { kind: 'sack-perm' },
  ];
}

/** A deterministic 32-bit value per (source, destination, n): IP ids and initial sequence numbers. */
function hashOf(srcIp: number, dstIp: number, n: number): number {
  const seed = new Uint8Array(12);
  put32(seed, 0, srcIp);
  put32(seed, 4, dstIp);
  put32(seed, 8, n);
  return fnv(seed, 0, 12);
}

export interface TcpSegmentSpec {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options: TcpOption[];
  /** Bytes of data after the header (a byte pattern). */
  dataLength: number;
  /** The IP id. */
  id: number;
}

/** A TCP segment from `src`'s guest, encoded by the codec: DF set (Windows' path MTU discovery), TTL 128. */
export function buildTcpSegment(
  src: PortRt,
  dstIp: number,
  dstMac: Uint8Array,
  s: TcpSegmentSpec,
): Uint8Array {
  const data = new Uint8Array(s.dataLength);
  for (let i = 0; i < data.length; i++) data[i] = 0x61 + (i % 23);
  return encodeFrame([
    { protocol: 'eth', header: ethernetHeader(formatMac(dstMac), formatMac(src.mac), ETH_IPV4) },
    {
      protocol: 'ip',
      header: ipv4Header({
        src: formatIpv4(src.caIp),
        dst: formatIpv4(dstIp),
        protocol: IP_TCP,
        ttl: 128,
        identification: s.id & 0xffff,
        flags: 0x2,
      }),
    },
    {
      protocol: 'tcp',
      header: tcpHeader({
        srcPort: s.srcPort,
        dstPort: s.dstPort,
        seq: s.seq >>> 0,
        ack: s.ack >>> 0,
        flags: s.flags,
        window: s.window,
        options: s.options,
      }),
    },
    { protocol: 'data', header: { bytes: data } },
  ]);
}

/**
 * The packet `src`'s guest sends to `dstIp` (an echo reply when `reply` is the request). TCP: the
 * SYN that opens the connection (options as Windows lays them out, no data).
 */
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
  const hash = hashOf(src.caIp, dstIp, seq + (reply ? 0x10000 : 0));
  if (proto === IP_TCP && !reply)
    return buildTcpSegment(src, dstIp, dstMac, {
      srcPort: req.srcPort ?? 50000,
      dstPort: req.dstPort ?? 80,
      seq: hash,
      ack: 0,
      flags: TCP_SYN,
      window: WINDOW_SYN,
      options: synOptions(src.mtu),
      dataLength: 0,
      id: hash,
    });
  return buildIpFrame({
    srcMac: src.mac,
    dstMac,
    srcIp: src.caIp,
    dstIp,
    proto,
    ttl: 128,
    id: hash & 0xffff,
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
    tcpSeq: hash,
    tcpAck: 0,
  });
}

/** The TCP header fields of a segment the guest received. */
function tcpOf(
  frame: Uint8Array,
  p: Parsed,
): { seq: number; ack: number; flags: number; dataLength: number } {
  const l4 = p.l4;
  const seq = ((frame[l4 + 4] << 24) | (frame[l4 + 5] << 16) | (frame[l4 + 6] << 8) | frame[l4 + 7]) >>> 0;
  const ack = ((frame[l4 + 8] << 24) | (frame[l4 + 9] << 16) | (frame[l4 + 10] << 8) | frame[l4 + 11]) >>> 0;
  const header = (frame[l4 + 12] >>> 4) * 4;
  return { seq, ack, flags: frame[l4 + 13], dataLength: p.ipLen - (l4 - p.l3) - header };
}

/**
 * Whether a guest answers the frame delivered at `b[at]` (read per delivery during a trace): an
 * echo request; a TCP segment with SYN, or with data.
 */
export function guestAnswers(b: Uint8Array, at: number): boolean {
  if (((b[at + 12] << 8) | b[at + 13]) !== ETH_IPV4) return false;
  const l3 = at + 14;
  const l4 = l3 + (b[l3] & 15) * 4;
  if (b[l3 + 9] === IP_ICMP) return b[l4] === 8;
  if (b[l3 + 9] !== IP_TCP) return false;
  if (b[l4 + 13] & TCP_SYN) return true;
  const ipLen = (b[l3 + 2] << 8) | b[l3 + 3];
  return ipLen - (l4 - l3) - (b[l4 + 12] >>> 4) * 4 > 0;
}

export interface GuestAnswer {
  frame: Uint8Array;
  /** 'ICMP echo reply', 'TCP SYN, ACK', 'TCP ACK'. */
  what: string;
  protocol: 'icmp' | 'tcp';
}

/**
 * What `port`'s guest sends back for `received` (a frame `guestAnswers` accepted), to `dstMac`
 * (its next hop back). A listening peer: every port is open.
 */
export function answerOf(
  port: PortRt,
  received: Uint8Array,
  dstMac: Uint8Array,
  req: TraceRequest,
): GuestAnswer {
  const p = parse(received);
  if (p.proto === IP_ICMP) {
    const frame = buildGuestFrame(port, p.ipSrc, dstMac, { ...req, protocol: 'icmp' }, p);
    // The echo reply carries the request's payload (same length).
    frame.set(received.subarray(42), 42);
    l4Checksum(frame, 14);
    return { frame, what: 'ICMP echo reply', protocol: 'icmp' };
  }
  const t = tcpOf(received, p);
  const base = { srcPort: p.dstPort, dstPort: p.srcPort, dataLength: 0 };
  const syn = (t.flags & TCP_SYN) !== 0;
  const synAck = syn && (t.flags & TCP_ACK) !== 0;
  // Our side's sequence: a fresh ISN for a SYN-ACK; else the received ack (what the peer expects next).
  const seq = syn && !synAck ? hashOf(port.caIp, p.ipSrc, (req.sequence ?? 1) + 0x10000) : t.ack;
  const ack = (t.seq + (syn ? 1 : 0) + t.dataLength) >>> 0;
  const id = hashOf(port.caIp, p.ipSrc, (ack ^ 0x5a5a) >>> 0);
  const frame = buildTcpSegment(
    port,
    p.ipSrc,
    dstMac,
    syn && !synAck
      ? {
          ...base,
          seq,
          ack,
          id,
          flags: TCP_SYN | TCP_ACK,
          window: WINDOW_SYN_ACK,
          options: synOptions(port.mtu),
        }
      : { ...base, seq, ack, id, flags: TCP_ACK, window: WINDOW_SCALED, options: [] },
  );
  return { frame, what: syn && !synAck ? 'TCP SYN, ACK' : 'TCP ACK', protocol: 'tcp' };
}

/**
 * After the handshake, `src`'s guest sends one segment of data (PSH, ACK) so that its IP packet
 * is `size` bytes: what a TCP trace with a size sends (the handshake segments carry no data).
 * `ackFrame` is the handshake's last ACK, whose numbers the data continues.
 */
export function dataSegmentAfter(src: PortRt, ackFrame: Uint8Array, size: number): Uint8Array {
  const p = parse(ackFrame);
  const t = tcpOf(ackFrame, p);
  return buildTcpSegment(src, p.ipDst, ackFrame.subarray(0, 6), {
    srcPort: p.srcPort,
    dstPort: p.dstPort,
    seq: t.seq,
    ack: t.ack,
    flags: TCP_PSH | TCP_ACK,
    window: WINDOW_SCALED,
    options: [],
    dataLength: Math.max(0, size - 40),
    id: hashOf(src.caIp, p.ipDst, t.seq),
  });
}

/** Where the guest sends a packet for `dst`: to it when on-link, else to its gateway. */
export function nextHopOf(port: PortRt, dst: number): number {
  return (dst & port.prefixMask) >>> 0 === port.prefixNet ? dst : port.gatewayIp;
}
