// The first screen's sample frames, built from the docs' multi-tenant scenario: Contoso Web
// (CA 10.1.1.12, Host 2) pings Contoso SQL (CA 10.1.1.11, Host 1) in VSID 5001; the hosts'
// provider addresses are 192.168.2.20 and 192.168.1.10 on two PA subnets joined by a router.
import {
  arpRequest,
  BROADCAST_MAC,
  ethernetHeader,
  icmpEcho,
  ipv4Header,
  nvgreHeader,
  vlanHeader,
  vxlanHeader,
  vxlanUdpHeader,
} from './builders.ts';
import { encodeFrame } from './frame.ts';
import type { LayerSpec } from './types.ts';

export interface SampleFrame {
  id: string;
  title: string;
  description: string;
  bytes: Uint8Array;
}

export const CONTOSO = {
  vsid: 5001,
  web: { ca: '10.1.1.12', mac: '00:15:5d:01:01:0c' },
  sql: { ca: '10.1.1.11', mac: '00:15:5d:01:01:0b' },
  host1: { pa: '192.168.1.10', mac: '00:15:5d:00:01:0a' },
  host2: { pa: '192.168.2.20', mac: '00:15:5d:00:02:14' },
  /** The PA default gateway (ToR SVI) on Host 2's subnet: the outer destination MAC. */
  gatewayMac: '00:15:5d:00:02:01',
  paVlan: 12,
  /** UDP source port: a hash of the inner flow (RFC 7348 suggests 49152-65535). */
  vxlanSourcePort: 53211,
  flowId: 0x2a,
} as const;

const PAYLOAD = new Uint8Array(Array.from({ length: 32 }, (_, i) => 0x61 + (i % 23))); // Windows ping: 'abcdefghijklmnopqrstuvwabcdefghi'

/** The VM's own frame: CA MACs and CA IPs, exactly as it leaves the Web VM. */
function innerEcho(): LayerSpec[] {
  const c = CONTOSO;
  return [
    { protocol: 'eth', header: ethernetHeader(c.sql.mac, c.web.mac, 0x0800) },
    {
      protocol: 'ip',
      header: ipv4Header({ src: c.web.ca, dst: c.sql.ca, protocol: 1, identification: 0x1a2b }),
    },
    { protocol: 'icmp', header: icmpEcho(1, 7) },
    { protocol: 'data', header: { bytes: PAYLOAD } },
  ];
}

function outer(etherType: number, protocol: number, vlan: boolean): LayerSpec[] {
  const c = CONTOSO;
  const ip: LayerSpec = {
    protocol: 'ip',
    header: ipv4Header({ src: c.host2.pa, dst: c.host1.pa, protocol, identification: 0x3c4d }),
  };
  if (!vlan) return [{ protocol: 'eth', header: ethernetHeader(c.gatewayMac, c.host2.mac, etherType) }, ip];
  return [
    { protocol: 'eth', header: ethernetHeader(c.gatewayMac, c.host2.mac, 0x8100) },
    { protocol: 'vlan', header: vlanHeader(c.paVlan, etherType) },
    ip,
  ];
}

export function sampleLayers(): Record<string, LayerSpec[]> {
  const c = CONTOSO;
  const vxlan = (vlan: boolean): LayerSpec[] => [
    ...outer(0x0800, 17, vlan),
    { protocol: 'udp', header: vxlanUdpHeader(c.vxlanSourcePort) },
    { protocol: 'vxlan', header: vxlanHeader(c.vsid) },
    ...innerEcho(),
  ];
  return {
    'icmp-echo': innerEcho(),
    vxlan: vxlan(false),
    'vxlan-vlan': vxlan(true),
    nvgre: [
      ...outer(0x0800, 47, false),
      { protocol: 'gre', header: nvgreHeader(c.vsid, c.flowId) },
      ...innerEcho(),
    ],
    'arp-request': [
      { protocol: 'eth', header: ethernetHeader(BROADCAST_MAC, c.web.mac, 0x0806) },
      { protocol: 'arp', header: arpRequest(c.web.mac, c.web.ca, c.sql.ca) },
    ],
  };
}

export function sampleFrames(): SampleFrame[] {
  const l = sampleLayers();
  return [
    {
      id: 'icmp-echo',
      title: 'Ping inside the VM network',
      description:
        'Contoso Web (10.1.1.12) pings SQL (10.1.1.11): the frame as the VM sends it, CA addresses only.',
      bytes: encodeFrame(l['icmp-echo']),
    },
    {
      id: 'vxlan',
      title: 'The same ping in VXLAN',
      description:
        'Host 2 wraps the VM frame: outer IP 192.168.2.20 -> 192.168.1.10 (PAs), UDP 4789, VNI 5001 = the VSID. 50 bytes of overhead.',
      bytes: encodeFrame(l.vxlan),
    },
    {
      id: 'vxlan-vlan',
      title: 'VXLAN on a tagged PA network',
      description:
        'As above, with the 802.1Q tag of the provider logical subnet (VLAN 12): 54 bytes of overhead.',
      bytes: encodeFrame(l['vxlan-vlan']),
    },
    {
      id: 'nvgre',
      title: 'The same ping in NVGRE',
      description:
        'HNVv1 style: outer IP protocol 47, GRE with K = 1 and protocol 0x6558; the key carries VSID 5001 and a FlowID. 42 bytes of overhead.',
      bytes: encodeFrame(l.nvgre),
    },
    {
      id: 'arp-request',
      title: 'ARP request (answered by the host agent)',
      description:
        'Web asks who has 10.1.1.11. In HNV the VFP hands it to the host agent, which replies from its policy store: ARP never leaves the host.',
      bytes: encodeFrame(l['arp-request']),
    },
  ];
}
