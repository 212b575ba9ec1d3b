// Small header builders with the defaults the engine wants, so callers state only what matters.
import { NVGRE_PROTOCOL } from './gre.ts';
import type {
  ArpHeader,
  EthernetHeader,
  GreHeader,
  IcmpHeader,
  Ipv4Header,
  TcpHeader,
  UdpHeader,
  VlanHeader,
  VxlanHeader,
} from './types.ts';
import { VXLAN_PORT } from './udp.ts';
import { VXLAN_I_FLAG } from './vxlan.ts';

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

export function ethernetHeader(dst: string, src: string, type: number): EthernetHeader {
  return { dst, src, type };
}

export function vlanHeader(id: number, type = 0x0800, pcp = 0): VlanHeader {
  return { pcp, dei: 0, id, type };
}

/** IPv4 with TTL 128 (the Windows default) and DF set; lengths and checksum are left to the encoder. */
export function ipv4Header(
  p: Partial<Ipv4Header> & Pick<Ipv4Header, 'src' | 'dst' | 'protocol'>,
): Ipv4Header {
  return {
    version: 4,
    ihl: 5,
    dscp: 0,
    ecn: 0,
    totalLength: 0,
    identification: 0,
    flags: 0x2,
    fragmentOffset: 0,
    ttl: 128,
    checksum: 0,
    options: new Uint8Array(0),
    ...p,
  };
}

/** Echo request (type 8) or, with reply = true, echo reply (type 0). */
export function icmpEcho(identifier: number, sequence: number, reply = false): IcmpHeader {
  return { type: reply ? 0 : 8, code: 0, checksum: 0, identifier, sequence };
}

/** Destination unreachable, fragmentation needed (type 3 code 4) with the next-hop MTU. */
export function icmpFragmentationNeeded(nextHopMtu: number): IcmpHeader {
  return { type: 3, code: 4, checksum: 0, nextHopMtu };
}

export function udpHeader(p: Partial<UdpHeader> & Pick<UdpHeader, 'srcPort' | 'dstPort'>): UdpHeader {
  return { length: 0, checksum: 0, ...p };
}

/** The outer UDP header of a VXLAN packet: destination 4789, checksum 0 (RFC 7348 over IPv4). */
export function vxlanUdpHeader(srcPort: number): UdpHeader {
  return { srcPort, dstPort: VXLAN_PORT, length: 0, checksum: 0 };
}

export function tcpHeader(p: Partial<TcpHeader> & Pick<TcpHeader, 'srcPort' | 'dstPort'>): TcpHeader {
  return {
    seq: 0,
    ack: 0,
    dataOffset: 5,
    flags: 0,
    window: 64240,
    checksum: 0,
    urgentPointer: 0,
    options: [],
    ...p,
  };
}

/** VXLAN header with only the I flag set. */
export function vxlanHeader(vni: number): VxlanHeader {
  return { flags: VXLAN_I_FLAG, reserved1: 0, vni: vni & 0xffffff, reserved2: 0 };
}

/** NVGRE: GRE with K = 1, protocol 0x6558, key = VSID << 8 | FlowID. */
export function nvgreHeader(vsid: number, flowId = 0): GreHeader {
  return {
    checksumPresent: false,
    keyPresent: true,
    sequencePresent: false,
    reserved0: 0,
    version: 0,
    protocolType: NVGRE_PROTOCOL,
    key: (((vsid & 0xffffff) << 8) | (flowId & 0xff)) >>> 0,
  };
}

/** GRE carrying IPv4 (protocol 0x0800) with a key: a site-to-site GRE tunnel of the RAS gateway. */
export function greIpv4Header(key: number): GreHeader {
  return {
    checksumPresent: false,
    keyPresent: true,
    sequencePresent: false,
    reserved0: 0,
    version: 0,
    protocolType: 0x0800,
    key: key >>> 0,
  };
}

export function arpRequest(senderMac: string, senderIp: string, targetIp: string): ArpHeader {
  return {
    hardwareType: 1,
    protocolType: 0x0800,
    hardwareSize: 6,
    protocolSize: 4,
    opcode: 1,
    senderMac,
    senderIp,
    targetMac: '00:00:00:00:00:00',
    targetIp,
  };
}

export function arpReply(
  senderMac: string,
  senderIp: string,
  targetMac: string,
  targetIp: string,
): ArpHeader {
  return { ...arpRequest(senderMac, senderIp, targetIp), opcode: 2, targetMac };
}
