// Port security and the raw-frame check of a VM's port: what a VM may send into its port.
import { u32ToIp } from '../../controller/addr';
import { formatMac } from '../../wire/bytes';
import { ETH_ARP, ETH_IPV4, IP_ICMP, IP_TCP, IP_UDP, macEq, type Parsed, parse } from '../packet';
import type { PortRt } from '../runtime';
import type { TraceProtocol } from '../trace-types';

/**
 * Port security: a VM sends only from its own vNIC's MAC (unless the vNIC allows MAC spoofing,
 * as Hyper-V's MacAddressSpoofing) and its own CA (0.0.0.0 is allowed: DHCP and ARP probes;
 * a vNIC with IP forwarding on sends IPv4 from any source: it routes others' packets).
 * Why the frame is refused, or null.
 */
export function portSecurity(port: PortRt, frame: Uint8Array, p: Parsed): string | null {
  const vnic = port.resolved.vnic;
  const spoofOk = vnic.macAddressSpoofing === true;
  const own = formatMac(port.mac);
  if (!spoofOk && !macEq(frame.subarray(6, 12), port.mac))
    return `source MAC ${formatMac(frame.subarray(6, 12))} is not the vNIC's own (${own}) and MAC address spoofing is off for ${port.label}`;
  let ip = -1;
  let what = 'source IP';
  if (p.etherType === ETH_IPV4) ip = p.ipSrc;
  else if (p.etherType === ETH_ARP) {
    ip = p.arpSenderIp;
    what = 'ARP sender IP';
    if (!spoofOk && !macEq(frame.subarray(p.l3 + 8, p.l3 + 14), port.mac))
      return `ARP sender MAC ${formatMac(frame.subarray(p.l3 + 8, p.l3 + 14))} is not the vNIC's own (${own}) and MAC address spoofing is off for ${port.label}`;
  }
  // IP forwarding (a virtual appliance) sends packets of others on: any source IP.
  if (ip > 0 && ip !== port.caIp && !(vnic.ipForwarding === true && what === 'source IP'))
    return `${what} ${u32ToIp(ip)} is not ${port.label}'s CA ${u32ToIp(port.caIp)}: the port accepts only its own address`;
  return null;
}

/**
 * What a raw frame from a VM must be for the lab to trace it, and what it is: an Ethernet
 * frame of ARP or IPv4 ICMP/TCP/UDP, whole (the IPv4 total length within the frame, the L4
 * header present), no bigger than the vNIC's MTU allows. Throws an error naming the field.
 */
export function checkRawFrame(frame: Uint8Array, port: PortRt): { to: string; protocol: TraceProtocol } {
  const fail = (field: string, rule: string): never => {
    throw new Error(`frame from ${port.label}: ${field}: ${rule}`);
  };
  if (frame.length < 14)
    fail('length', `${frame.length} bytes is shorter than an Ethernet header (14 bytes)`);
  const type = (frame[12] << 8) | frame[13];
  if (type === ETH_ARP) {
    if (frame.length < 42) fail('length', `an ARP frame needs 42 bytes, this one has ${frame.length}`);
    const p = parse(frame);
    return { to: u32ToIp(p.arpTargetIp), protocol: 'arp' };
  }
  if (type !== ETH_IPV4)
    fail(
      'eth.type',
      `0x${type.toString(16).padStart(4, '0')}: the lab traces ARP (0x0806) and IPv4 (0x0800) frames`,
    );
  if (frame.length < 34)
    fail('length', `an IPv4 frame needs at least 34 bytes, this one has ${frame.length}`);
  if (frame[14] >> 4 !== 4) fail('ip.version', `${frame[14] >> 4}, must be 4`);
  const ihl = (frame[14] & 15) * 4;
  if (ihl < 20) fail('ip.hdr_len', `${ihl} bytes, must be at least 20`);
  const total = (frame[16] << 8) | frame[17];
  if (total < ihl || 14 + total > frame.length)
    fail(
      'ip.len',
      `${total}: must cover the header (${ihl}) and fit the frame (${frame.length - 14} bytes after Ethernet)`,
    );
  if (total > port.mtu) fail('ip.len', `${total} bytes exceeds the vNIC's MTU ${port.mtu}`);
  const proto = frame[23];
  const l4 = L4_HEADER.get(proto);
  if (!l4) return fail('ip.proto', `${proto}: the lab traces ICMP (1), TCP (6) and UDP (17)`);
  if (total < ihl + l4.bytes)
    fail('ip.len', `${total}: too short for the ${l4.protocol.toUpperCase()} header (${l4.bytes} bytes)`);
  return { to: u32ToIp(parse(frame).ipDst), protocol: l4.protocol };
}

const L4_HEADER = new Map<number, { protocol: TraceProtocol; bytes: number }>([
  [IP_ICMP, { protocol: 'icmp', bytes: 8 }],
  [IP_TCP, { protocol: 'tcp', bytes: 20 }],
  [IP_UDP, { protocol: 'udp', bytes: 8 }],
]);
