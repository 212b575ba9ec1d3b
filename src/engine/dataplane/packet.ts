// Byte-level frame parsing and building for the data plane. Everything reads and writes real
// Ethernet/IPv4/UDP/VXLAN/GRE bytes; the slow path may allocate, the fast path does not use this.

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

export function parse(frame: Uint8Array, at = 0): Parsed {
  const p: Parsed = {
    dstMac: frame.slice(at, at + 6),
    srcMac: frame.slice(at + 6, at + 12),
    vlanId: -1,
    etherType: u16(frame, at + 12),
    l3: at + 14,
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
    inner: 0,
    arpOp: 0,
    arpSenderIp: 0,
    arpTargetIp: 0,
  };
  if (p.etherType === ETH_VLAN) {
    p.vlanId = u16(frame, at + 14) & 0x0fff;
    p.etherType = u16(frame, at + 16);
    p.l3 = at + 18;
  }
  if (p.etherType === ETH_ARP) {
    p.arpOp = u16(frame, p.l3 + 6);
    p.arpSenderIp = u32(frame, p.l3 + 14);
    p.arpTargetIp = u32(frame, p.l3 + 24);
    return p;
  }
  if (p.etherType !== ETH_IPV4) return p;
  const l3 = p.l3;
  p.ipLen = u16(frame, l3 + 2);
  p.df = (frame[l3 + 6] & 0x40) !== 0;
  p.ttl = frame[l3 + 8];
  p.proto = frame[l3 + 9];
  p.ipSrc = u32(frame, l3 + 12);
  p.ipDst = u32(frame, l3 + 16);
  p.l4 = l3 + (frame[l3] & 15) * 4;
  if (p.proto === IP_TCP || p.proto === IP_UDP) {
    p.srcPort = u16(frame, p.l4);
    p.dstPort = u16(frame, p.l4 + 2);
    if (p.proto === IP_UDP && p.dstPort === VXLAN_PORT) {
      p.encap = 'vxlan';
      p.vsid = (frame[p.l4 + 12] << 16) | (frame[p.l4 + 13] << 8) | frame[p.l4 + 14];
      p.inner = p.l4 + 16;
    }
  } else if (p.proto === IP_ICMP) {
    p.icmpType = frame[p.l4];
    p.srcPort = u16(frame, p.l4 + 4); // echo identifier: part of the flow
  } else if (p.proto === IP_GRE && u16(frame, p.l4 + 2) === ETH_TEB && frame[p.l4] & 0x20) {
    p.encap = 'nvgre';
    const key = u32(frame, p.l4 + 4);
    p.vsid = key >>> 8;
    p.flowId = key & 255;
    p.inner = p.l4 + 8;
  }
  return p;
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
  const oldWord = (b[l3 + 8] << 8) | b[l3 + 9];
  b[l3 + 8] = b[l3 + 8] - 1;
  const newWord = (b[l3 + 8] << 8) | b[l3 + 9];
  const old = (b[l3 + 10] << 8) | b[l3 + 11];
  let sum = (~old & 0xffff) + (~oldWord & 0xffff) + newWord;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  put16(b, l3 + 10, ~sum & 0xffff);
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

/** Build an Ethernet + IPv4 + ICMP/TCP/UDP frame, checksums computed. Payload: a byte pattern. */
export function buildIpFrame(s: IpPacketSpec): Uint8Array {
  const l4Header = s.proto === IP_TCP ? 20 : 8;
  const total = Math.max(s.totalLength, 20 + l4Header);
  const f = new Uint8Array(14 + total);
  writeMac(f, 0, s.dstMac);
  writeMac(f, 6, s.srcMac);
  put16(f, 12, ETH_IPV4);
  const l3 = 14;
  f[l3] = 0x45;
  put16(f, l3 + 2, total);
  put16(f, l3 + 4, s.id & 0xffff);
  f[l3 + 6] = s.df ? 0x40 : 0;
  f[l3 + 8] = s.ttl;
  f[l3 + 9] = s.proto;
  put32(f, l3 + 12, s.srcIp);
  put32(f, l3 + 16, s.dstIp);
  const l4 = l3 + 20;
  if (s.proto === IP_ICMP) {
    f[l4] = s.icmpType;
    f[l4 + 1] = s.icmpCode;
    if (s.nextHopMtu !== undefined) put16(f, l4 + 6, s.nextHopMtu);
    else {
      put16(f, l4 + 4, s.icmpId);
      put16(f, l4 + 6, s.icmpSeq);
    }
  } else if (s.proto === IP_TCP) {
    put16(f, l4, s.srcPort);
    put16(f, l4 + 2, s.dstPort);
    put32(f, l4 + 4, s.tcpSeq);
    put32(f, l4 + 8, s.tcpAck);
    f[l4 + 12] = 0x50;
    f[l4 + 13] = s.tcpFlags;
    put16(f, l4 + 14, 64240);
  } else {
    put16(f, l4, s.srcPort);
    put16(f, l4 + 2, s.dstPort);
    put16(f, l4 + 4, total - 20);
  }
  const dataStart = l4 + l4Header;
  let i = dataStart;
  if (s.payload) for (let j = 0; j < s.payload.length && i < f.length; j++) f[i++] = s.payload[j];
  for (let k = 0; i < f.length; i++, k++) f[i] = 0x61 + (k % 23); // 'abc...' like Windows ping
  ipChecksum(f, l3);
  l4Checksum(f, l3);
  return f;
}

export function buildArp(
  op: number,
  srcMac: Uint8Array,
  dstMac: Uint8Array,
  senderMac: Uint8Array,
  senderIp: number,
  targetMac: Uint8Array,
  targetIp: number,
): Uint8Array {
  const f = new Uint8Array(42);
  writeMac(f, 0, dstMac);
  writeMac(f, 6, srcMac);
  put16(f, 12, ETH_ARP);
  put16(f, 14, 1);
  put16(f, 16, ETH_IPV4);
  f[18] = 6;
  f[19] = 4;
  put16(f, 20, op);
  writeMac(f, 22, senderMac);
  put32(f, 28, senderIp);
  writeMac(f, 32, targetMac);
  put32(f, 38, targetIp);
  return f;
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

/** The outer headers (eth [+vlan] + ip + udp + vxlan | gre) for a given inner length. */
export function buildEncapHeader(s: EncapSpec, innerLength: number): Uint8Array {
  const vlan = s.vlanId > 0 ? 4 : 0;
  const tunnel = s.kind === 'vxlan' ? 16 : 8;
  const h = new Uint8Array(14 + vlan + 20 + tunnel);
  writeMac(h, 0, s.dstMac);
  writeMac(h, 6, s.srcMac);
  let at = 12;
  if (vlan) {
    put16(h, 12, ETH_VLAN);
    put16(h, 14, s.vlanId & 0x0fff);
    at = 16;
  }
  put16(h, at, ETH_IPV4);
  const l3 = at + 2;
  h[l3] = 0x45;
  put16(h, l3 + 2, 20 + tunnel + innerLength);
  put16(h, l3 + 4, s.ipId & 0xffff);
  f_df(h, l3);
  h[l3 + 8] = 64;
  h[l3 + 9] = s.kind === 'vxlan' ? IP_UDP : IP_GRE;
  put32(h, l3 + 12, s.srcPa);
  put32(h, l3 + 16, s.dstPa);
  ipChecksum(h, l3);
  const l4 = l3 + 20;
  if (s.kind === 'vxlan') {
    put16(h, l4, vxlanSourcePort(s.flowHash));
    put16(h, l4 + 2, VXLAN_PORT);
    put16(h, l4 + 4, 8 + 8 + innerLength);
    // checksum 0 over IPv4 (RFC 7348)
    h[l4 + 8] = 0x08;
    h[l4 + 12] = (s.vsid >>> 16) & 255;
    h[l4 + 13] = (s.vsid >>> 8) & 255;
    h[l4 + 14] = s.vsid & 255;
  } else {
    h[l4] = 0x20; // K=1, C=0, S=0, version 0
    put16(h, l4 + 2, ETH_TEB);
    put32(h, l4 + 4, ((s.vsid << 8) | nvgreFlowId(s.flowHash)) >>> 0);
  }
  return h;
}

function f_df(h: Uint8Array, l3: number): void {
  h[l3 + 6] = 0x40; // DF on the outer header: the PA network never fragments tunnels
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

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}
