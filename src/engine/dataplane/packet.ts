// Frame parsing and building for the data plane. Frames are built by the codec (wire/); the
// data plane reads and patches bytes in place. The slow path may allocate; the fast path uses none of this.

import { u32ToIp } from '../controller/addr';
import { formatMac } from '../wire/bytes.ts';
import { isNvgreHeader } from '../wire/gre.ts';
import {
  arpReply,
  arpRequest,
  encodeFrame,
  ethernetHeader,
  icmpEcho,
  ipv4Header,
  type LayerSpec,
  nvgreHeader,
  tcpHeader,
  udpHeader,
  vlanHeader,
  vxlanHeader,
  vxlanUdpHeader,
} from '../wire/index.ts';

export const ETH_IPV4 = 0x0800;
export const ETH_ARP = 0x0806;
export const ETH_VLAN = 0x8100;
export const ETH_TEB = 0x6558; // transparent Ethernet bridging (NVGRE)
export const IP_ICMP = 1;
export const IP_TCP = 6;
export const IP_UDP = 17;
export const IP_GRE = 47;
export const VXLAN_PORT = 4789;
export const VXLAN_OVERHEAD = 50; // outer eth 14 + ip 20 + udp 8 + vxlan 8
export const NVGRE_OVERHEAD = 42; // outer eth 14 + ip 20 + gre 8
/** GRE's first word for NVGRE as the data plane sends it (RFC 7637 §3.2): K=1, everything else 0. */
export const NVGRE_FLAGS = 0x2000;

/** Why a tunnel-looking packet is not a valid VXLAN/NVGRE packet (`Parsed.encapFault`). */
export const EncapFault = {
  None: 0,
  /** UDP 4789 with the VXLAN I flag clear: the VNI is not valid (RFC 7348 §5). */
  VxlanIClear: 1,
  /** GRE carrying Ethernet whose flags or version are not NVGRE's (RFC 7637 §3.2, RFC 2784 §2.5). */
  GreNotNvgre: 2,
} as const;

/** What the data plane reads from a frame. Offsets are absolute within the frame. */
export interface Parsed {
  dstMac: Uint8Array;
  srcMac: Uint8Array;
  vlanId: number; // -1 untagged
  etherType: number;
  l3: number; // offset of the IPv4/ARP header
  ipSrc: number;
  ipDst: number;
  proto: number;
  ttl: number;
  ipLen: number;
  df: boolean;
  l4: number;
  srcPort: number;
  dstPort: number;
  icmpType: number;
  /** Encapsulation, when the frame carries VXLAN/NVGRE. */
  encap: 'vxlan' | 'nvgre' | null;
  vsid: number;
  flowId: number;
  /** An EncapFault: set (with `encap` null) when the packet looks like a tunnel but breaks its rules. */
  encapFault: number;
  /** Offset of the inner Ethernet frame. */
  inner: number;
  /** ARP fields. */
  arpOp: number;
  arpSenderIp: number;
  arpTargetIp: number;
}

const u16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u32 = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

const NO_MAC = new Uint8Array(6);

/** A Parsed to fill again and again with `parseInto`. */
export function newParsed(): Parsed {
  return {
    dstMac: NO_MAC,
    srcMac: NO_MAC,
    vlanId: -1,
    etherType: 0,
    l3: 0,
    ipSrc: 0,
    ipDst: 0,
    proto: 0,
    ttl: 0,
    ipLen: 0,
    df: false,
    l4: 0,
    srcPort: 0,
    dstPort: 0,
    icmpType: -1,
    encap: null,
    vsid: 0,
    flowId: 0,
    encapFault: 0,
    inner: 0,
    arpOp: 0,
    arpSenderIp: 0,
    arpTargetIp: 0,
  };
}

/** A frame's headers as a fresh object, with copies of its MACs (the slow path's reading). */
export function parse(frame: Uint8Array, at = 0): Parsed {
  const p = parseInto(newParsed(), frame, at);
  p.dstMac = frame.slice(at, at + 6);
  p.srcMac = frame.slice(at + 6, at + 12);
  return p;
}

/**
 * Read a frame's headers into `p`, allocating nothing (the wire's per-packet reading). The MAC
 * fields are left alone: read the six bytes at `at` and `at + 6`. `v` is a DataView over exactly
 * `frame` (the forwarder keeps one per buffer): a field is one load instead of one per byte.
 * Bytes past the end of a truncated frame read as 0.
 */
export function parseInto(p: Parsed, frame: Uint8Array, at: number, v = viewOver(frame)): Parsed {
  p.vlanId = -1;
  p.etherType = rd16(v, frame, at + 12);
  p.l3 = at + 14;
  p.ipSrc = 0;
  p.ipDst = 0;
  p.proto = 0;
  p.ttl = 0;
  p.ipLen = 0;
  p.df = false;
  p.l4 = 0;
  p.srcPort = 0;
  p.dstPort = 0;
  p.icmpType = -1;
  p.encap = null;
  p.vsid = 0;
  p.flowId = 0;
  p.encapFault = EncapFault.None;
  p.inner = 0;
  p.arpOp = 0;
  p.arpSenderIp = 0;
  p.arpTargetIp = 0;
  if (p.etherType === ETH_VLAN) {
    p.vlanId = rd16(v, frame, at + 14) & 0x0fff;
    p.etherType = rd16(v, frame, at + 16);
    p.l3 = at + 18;
  }
  if (p.etherType === ETH_ARP) {
    p.arpOp = rd16(v, frame, p.l3 + 6);
    p.arpSenderIp = rd32(v, frame, p.l3 + 14);
    p.arpTargetIp = rd32(v, frame, p.l3 + 24);
    return p;
  }
  if (p.etherType !== ETH_IPV4) return p;
  const l3 = p.l3;
  p.ipLen = rd16(v, frame, l3 + 2);
  p.df = (frame[l3 + 6] & 0x40) !== 0;
  p.ttl = frame[l3 + 8];
  p.proto = frame[l3 + 9];
  p.ipSrc = rd32(v, frame, l3 + 12);
  p.ipDst = rd32(v, frame, l3 + 16);
  const l4 = l3 + (frame[l3] & 15) * 4;
  p.l4 = l4;
  if (p.proto === IP_TCP || p.proto === IP_UDP) {
    p.srcPort = rd16(v, frame, l4);
    p.dstPort = rd16(v, frame, l4 + 2);
    if (p.proto === IP_UDP && p.dstPort === VXLAN_PORT) {
      p.vsid = rd32(v, frame, l4 + 12) >>> 8;
      p.inner = l4 + 16;
      if (frame[l4 + 8] & 0x08) p.encap = 'vxlan';
      else p.encapFault = EncapFault.VxlanIClear;
    }
  } else if (p.proto === IP_ICMP) {
    p.icmpType = frame[l4];
    p.srcPort = rd16(v, frame, l4 + 4); // echo identifier: part of the flow
  } else if (p.proto === IP_GRE && rd16(v, frame, l4 + 2) === ETH_TEB) {
    if (!isNvgreHeader(rd16(v, frame, l4), ETH_TEB)) {
      p.encapFault = EncapFault.GreNotNvgre;
      return p;
    }
    p.encap = 'nvgre';
    const key = rd32(v, frame, l4 + 4);
    p.vsid = key >>> 8;
    p.flowId = key & 255;
    p.inner = l4 + 8;
  }
  return p;
}

/**
 * Fill `p` with `at`'s reading of a frame whose headers are those `src` read at offset 0 (a flow's
 * outer headers, written again in front of each of its packets): offsets moved by `at`, the IP
 * total length `ipLen`. What `parseInto` would read there, without reading the bytes again.
 */
export function readingAt(p: Parsed, src: Parsed, at: number, ipLen: number): void {
  p.vlanId = src.vlanId;
  p.etherType = src.etherType;
  p.l3 = src.l3 + at;
  p.ipSrc = src.ipSrc;
  p.ipDst = src.ipDst;
  p.proto = src.proto;
  p.ttl = src.ttl;
  p.ipLen = ipLen;
  p.df = src.df;
  p.l4 = src.l4 + at;
  p.srcPort = src.srcPort;
  p.dstPort = src.dstPort;
  p.icmpType = src.icmpType;
  p.encap = src.encap;
  p.vsid = src.vsid;
  p.flowId = src.flowId;
  p.encapFault = src.encapFault;
  p.inner = src.inner + at;
  p.arpOp = src.arpOp;
  p.arpSenderIp = src.arpSenderIp;
  p.arpTargetIp = src.arpTargetIp;
}

const viewOver = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
/** Big-endian 16 bits at `i` (through the view when they are all inside the frame). */
const rd16 = (v: DataView, b: Uint8Array, i: number) => (i + 2 <= b.length ? v.getUint16(i) : u16(b, i));
/** Big-endian unsigned 32 bits at `i`. */
const rd32 = (v: DataView, b: Uint8Array, i: number) => (i + 4 <= b.length ? v.getUint32(i) : u32(b, i));

/**
 * True when the 20-byte IPv4 header at `l3` (of the buffer `v` views) sums right: five 32-bit
 * loads. The ones' complement sum does not depend on byte order (RFC 1071 §2(B)), so
 * little-endian words sum to the byte-swapped result, and 0xffff swapped is 0xffff.
 */
export function ipv4Header20Ok(v: DataView, l3: number): boolean {
  // `(l3 + n) | 0`: V8 adds without an overflow check (the fast path runs this per packet).
  const a = v.getInt32(l3, true);
  const b = v.getInt32((l3 + 4) | 0, true);
  const c = v.getInt32((l3 + 8) | 0, true);
  const d = v.getInt32((l3 + 12) | 0, true);
  const e = v.getInt32((l3 + 16) | 0, true);
  let sum =
    (a & 0xffff) +
    (a >>> 16) +
    (b & 0xffff) +
    (b >>> 16) +
    (c & 0xffff) +
    (c >>> 16) +
    (d & 0xffff) +
    (d >>> 16) +
    (e & 0xffff) +
    (e >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

export function onesSum(b: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  return sum;
}

export function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function put16(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 8) & 255;
  b[i + 1] = v & 255;
}

export function put32(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 24) & 255;
  b[i + 1] = (v >>> 16) & 255;
  b[i + 2] = (v >>> 8) & 255;
  b[i + 3] = v & 255;
}

export function ipChecksum(b: Uint8Array, l3: number): void {
  b[l3 + 10] = 0;
  b[l3 + 11] = 0;
  put16(b, l3 + 10, fold(onesSum(b, l3, l3 + (b[l3] & 15) * 4)));
}

/** True when an IPv4 header's checksum is right (the ones' complement sum of the header is 0xffff). */
export function ipChecksumOk(b: Uint8Array, l3: number): boolean {
  return fold(onesSum(b, l3, l3 + (b[l3] & 15) * 4)) === 0;
}

/** Recompute the TCP/UDP/ICMP checksum of an IPv4 packet at l3. */
export function l4Checksum(b: Uint8Array, l3: number): void {
  const ihl = (b[l3] & 15) * 4;
  const total = u16(b, l3 + 2);
  const proto = b[l3 + 9];
  const l4 = l3 + ihl;
  const len = total - ihl;
  const at = proto === IP_TCP ? 16 : proto === IP_UDP ? 6 : proto === IP_ICMP ? 2 : -1;
  if (at < 0) return;
  b[l4 + at] = 0;
  b[l4 + at + 1] = 0;
  let sum = onesSum(b, l4, l4 + len);
  if (proto !== IP_ICMP) sum = onesSum(b, l3 + 12, l3 + 20, sum) + proto + len;
  let c = fold(sum);
  if (proto === IP_UDP && c === 0) c = 0xffff;
  put16(b, l4 + at, c);
}

/** Incremental TTL decrement with the checksum patched (RFC 1624). */
export function decrementTtl(b: Uint8Array, l3: number): void {
  // The 16-bit word TTL|protocol changes from m to m' (RFC 1624: HC' = ~(~HC + ~m + m')).
  // ~m + m' is 0xffff + ((ttl' - ttl) << 8): the protocol byte cancels out. Offsets as
  // `(l3 + n) | 0`: V8 adds without an overflow check (routers run this per packet).
  const at = (l3 + 8) | 0;
  const ttl = b[at];
  const ttl2 = (ttl - 1) & 255;
  b[at] = ttl2;
  const hi = (l3 + 10) | 0;
  const lo = (l3 + 11) | 0;
  let sum = (~((b[hi] << 8) | b[lo]) & 0xffff) + 0xffff + ((ttl2 - ttl) << 8);
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  b[hi] = (~sum >>> 8) & 255;
  b[lo] = ~sum & 255;
}

export function writeMac(b: Uint8Array, at: number, mac: Uint8Array): void {
  for (let i = 0; i < 6; i++) b[at + i] = mac[i];
}

/** A deterministic 32-bit hash (FNV-1a over the bytes). */
export function fnv(b: Uint8Array, start: number, end: number, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  return h >>> 0;
}

export interface IpPacketSpec {
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  srcIp: number;
  dstIp: number;
  proto: number;
  ttl: number;
  id: number;
  df: boolean;
  /** Total IPv4 length (header + L4 + payload). */
  totalLength: number;
  srcPort: number;
  dstPort: number;
  icmpType: number;
  icmpCode: number;
  icmpId: number;
  icmpSeq: number;
  tcpFlags: number;
  tcpSeq: number;
  tcpAck: number;
  /** Raw L4 payload to place first (e.g. the quoted packet of an ICMP error); rest is a pattern. */
  payload?: Uint8Array;
  /** ICMP unreachable: next-hop MTU in bytes 6-7. */
  nextHopMtu?: number;
}

/** Build an Ethernet + IPv4 + ICMP/TCP/UDP frame with the codec, checksums computed. Payload: a byte pattern. */
export function buildIpFrame(s: IpPacketSpec): Uint8Array {
  const l4Header = s.proto === IP_TCP ? 20 : 8;
  const total = Math.max(s.totalLength, 20 + l4Header);
  const data = new Uint8Array(total - 20 - l4Header);
  let i = 0;
  if (s.payload) for (let j = 0; j < s.payload.length && i < data.length; j++) data[i++] = s.payload[j];
  for (let k = 0; i < data.length; i++, k++) data[i] = 0x61 + (k % 23); // 'abc...' like Windows ping
  const ip = ipv4Header({
    src: u32ToIp(s.srcIp),
    dst: u32ToIp(s.dstIp),
    protocol: s.proto,
    ttl: s.ttl,
    identification: s.id & 0xffff,
    flags: s.df ? 0x2 : 0,
  });
  const l4: LayerSpec =
    s.proto === IP_ICMP
      ? {
          protocol: 'icmp',
          header:
            s.nextHopMtu !== undefined
              ? { type: s.icmpType, code: s.icmpCode, checksum: 0, nextHopMtu: s.nextHopMtu }
              : { ...icmpEcho(s.icmpId, s.icmpSeq, s.icmpType === 0), type: s.icmpType, code: s.icmpCode },
        }
      : s.proto === IP_TCP
        ? {
            protocol: 'tcp',
            header: tcpHeader({
              srcPort: s.srcPort,
              dstPort: s.dstPort,
              seq: s.tcpSeq,
              ack: s.tcpAck,
              flags: s.tcpFlags,
            }),
          }
        : { protocol: 'udp', header: udpHeader({ srcPort: s.srcPort, dstPort: s.dstPort }) };
  return encodeFrame([
    { protocol: 'eth', header: ethernetHeader(formatMac(s.dstMac), formatMac(s.srcMac), ETH_IPV4) },
    { protocol: 'ip', header: ip },
    l4,
    { protocol: 'data', header: { bytes: data } },
  ]);
}

export function buildArp(
  op: number,
  srcMac: Uint8Array,
  dstMac: Uint8Array,
  senderMac: Uint8Array,
  senderIp: number,
  targetMac: Uint8Array,
  targetIp: number,
  /** The link's VLAN on the PA network (0 = untagged). */
  vlanId = 0,
): Uint8Array {
  const arp =
    op === 1
      ? arpRequest(formatMac(senderMac), u32ToIp(senderIp), u32ToIp(targetIp))
      : arpReply(formatMac(senderMac), u32ToIp(senderIp), formatMac(targetMac), u32ToIp(targetIp));
  const layers: LayerSpec[] = [
    {
      protocol: 'eth',
      header: ethernetHeader(formatMac(dstMac), formatMac(srcMac), vlanId > 0 ? ETH_VLAN : ETH_ARP),
    },
  ];
  if (vlanId > 0) layers.push({ protocol: 'vlan', header: vlanHeader(vlanId, ETH_ARP) });
  layers.push({ protocol: 'arp', header: { ...arp, targetMac: formatMac(targetMac) } });
  return encodeFrame(layers);
}

export interface EncapSpec {
  kind: 'vxlan' | 'nvgre';
  vsid: number;
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  vlanId: number; // 0 = untagged
  srcPa: number;
  dstPa: number;
  ipId: number;
  /** Inner-flow hash: the VXLAN UDP source port and the NVGRE FlowID come from it. */
  flowHash: number;
}

/** The outer headers (eth [+vlan] + ip + udp + vxlan | gre) for a given inner length, encoded by the codec. */
export function buildEncapHeader(s: EncapSpec, innerLength: number): Uint8Array {
  const vlan = s.vlanId > 0;
  const layers: LayerSpec[] = [
    {
      protocol: 'eth',
      header: ethernetHeader(formatMac(s.dstMac), formatMac(s.srcMac), vlan ? ETH_VLAN : ETH_IPV4),
    },
  ];
  if (vlan) layers.push({ protocol: 'vlan', header: vlanHeader(s.vlanId, ETH_IPV4) });
  // DF on the outer header: the PA network never fragments tunnels.
  const ip = ipv4Header({
    src: u32ToIp(s.srcPa),
    dst: u32ToIp(s.dstPa),
    protocol: s.kind === 'vxlan' ? IP_UDP : IP_GRE,
    ttl: 64,
    identification: s.ipId & 0xffff,
    flags: 0x2,
  });
  layers.push({ protocol: 'ip', header: ip });
  if (s.kind === 'vxlan') {
    layers.push({ protocol: 'udp', header: vxlanUdpHeader(vxlanSourcePort(s.flowHash)) });
    layers.push({ protocol: 'vxlan', header: vxlanHeader(s.vsid) });
  } else layers.push({ protocol: 'gre', header: nvgreHeader(s.vsid, nvgreFlowId(s.flowHash)) });
  const headerLength = 14 + (vlan ? 4 : 0) + 20 + (s.kind === 'vxlan' ? 16 : 8);
  // Encode with a zero inner frame of the right length so the codec fixes the lengths; keep the headers.
  layers.push({ protocol: 'data', header: { bytes: new Uint8Array(innerLength) } });
  return encodeFrame(layers).slice(0, headerLength);
}

export interface IcmpErrorSpec {
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  vlanId: number; // 0 = untagged
  srcIp: number;
  dstIp: number;
  ipId: number;
  type: number;
  code: number;
  /** Type 3 code 4: the MTU of the link the packet did not fit. */
  nextHopMtu?: number;
  /** The offending packet's IP header and first 8 bytes of payload (RFC 792). */
  quoted: Uint8Array;
}

/** An ICMP error from a router or host on the PA network: eth [+vlan] + IPv4 + ICMP + the quote. */
export function buildIcmpError(s: IcmpErrorSpec): Uint8Array {
  const vlan = s.vlanId > 0;
  const layers: LayerSpec[] = [
    {
      protocol: 'eth',
      header: ethernetHeader(formatMac(s.dstMac), formatMac(s.srcMac), vlan ? ETH_VLAN : ETH_IPV4),
    },
  ];
  if (vlan) layers.push({ protocol: 'vlan', header: vlanHeader(s.vlanId, ETH_IPV4) });
  layers.push({
    protocol: 'ip',
    header: ipv4Header({
      src: u32ToIp(s.srcIp),
      dst: u32ToIp(s.dstIp),
      protocol: IP_ICMP,
      ttl: 64,
      identification: s.ipId & 0xffff,
      flags: 0,
    }),
  });
  layers.push({
    protocol: 'icmp',
    header: { type: s.type, code: s.code, checksum: 0, nextHopMtu: s.nextHopMtu ?? 0 },
  });
  layers.push({ protocol: 'data', header: { bytes: s.quoted } });
  return encodeFrame(layers);
}

/** VXLAN source port from the inner flow hash, in 49152..65535 (RFC 7348 §5). */
export function vxlanSourcePort(hash: number): number {
  return 49152 + (((hash >>> 16) ^ hash) & 0x3fff);
}

/** NVGRE FlowID (8 bits) from the same hash (RFC 7637 §4.3). */
export function nvgreFlowId(hash: number): number {
  return ((hash >>> 24) ^ (hash >>> 16) ^ (hash >>> 8) ^ hash) & 255;
}

/** Hash of the inner flow: MACs, IPs, protocol and ports of the inner frame. */
export function innerFlowHash(frame: Uint8Array, at: number): number {
  const p = parse(frame, at);
  const b = new Uint8Array(17);
  put32(b, 0, p.ipSrc);
  put32(b, 4, p.ipDst);
  b[8] = p.proto;
  put16(b, 9, p.srcPort);
  put16(b, 11, p.dstPort);
  put16(b, 13, p.etherType);
  return fnv(b, 0, 15, fnv(frame, at, at + 12));
}

export const BROADCAST_MAC = new Uint8Array([255, 255, 255, 255, 255, 255]);
export const ZERO_MAC = new Uint8Array(6);

export function isMulticastMac(m: Uint8Array): boolean {
  return (m[0] & 1) === 1;
}

export function macEq(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * 802.1Q push: the frame with a VLAN tag after its MACs, the tag encoded by the codec
 * (TPID 0x8100, PCP 0, the VLAN ID, then the frame's own EtherType).
 */
export function pushVlanTag(frame: Uint8Array, vlanId: number): Uint8Array {
  const type = (frame[12] << 8) | frame[13];
  const header = encodeFrame([
    {
      protocol: 'eth',
      header: ethernetHeader(formatMac(frame.subarray(0, 6)), formatMac(frame.subarray(6, 12)), ETH_VLAN),
    },
    { protocol: 'vlan', header: vlanHeader(vlanId, type) },
  ]).slice(0, 18);
  const out = new Uint8Array(frame.length + 4);
  out.set(header);
  out.set(frame.subarray(14), 18);
  return out;
}

/** 802.1Q pop: the frame without its VLAN tag (unchanged when it has none). */
export function popVlanTag(frame: Uint8Array): Uint8Array {
  if (frame[12] !== 0x81 || frame[13] !== 0x00) return frame.slice();
  const out = new Uint8Array(frame.length - 4);
  out.set(frame.subarray(0, 12));
  out.set(frame.subarray(16), 12);
  return out;
}
