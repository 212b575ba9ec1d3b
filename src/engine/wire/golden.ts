// Golden frames: the samples plus a TCP SYN with options, an ICMP fragmentation-needed
// quoting a VXLAN packet, and the host agent's ARP reply. Tests pin their bytes as hex.
import {
  arpReply,
  ethernetHeader,
  greIpv4Header,
  icmpEcho,
  icmpFragmentationNeeded,
  ipv4Header,
  tcpHeader,
  vxlanUdpHeader,
} from './builders.ts';
import { encodeFrame } from './frame.ts';
import { CONTOSO, sampleLayers } from './samples.ts';
import type { LayerSpec } from './types.ts';

export interface GoldenFrame {
  id: string;
  layers: LayerSpec[];
  bytes: Uint8Array;
}

export function goldenLayers(): Record<string, LayerSpec[]> {
  const c = CONTOSO;
  return {
    ...sampleLayers(),
    'tcp-syn': [
      { protocol: 'eth', header: ethernetHeader(c.sql.mac, c.web.mac, 0x0800) },
      {
        protocol: 'ip',
        header: ipv4Header({ src: c.web.ca, dst: c.sql.ca, protocol: 6, identification: 0x4e20 }),
      },
      {
        protocol: 'tcp',
        header: tcpHeader({
          srcPort: 50123,
          dstPort: 1433,
          seq: 0x11223344,
          flags: 0x002,
          options: [
            { kind: 'mss', value: 1460 },
            { kind: 'nop' },
            { kind: 'wscale', shift: 8 },
            { kind: 'sack-perm' },
            { kind: 'timestamp', value: 43981, echo: 0 },
          ],
        }),
      },
    ],
    // Host 2 sent a 1550-byte VXLAN packet (DF set) towards a 1500-byte link: the router
    // answers with fragmentation needed, quoting the outer IP header and the UDP header.
    'icmp-frag-needed': [
      { protocol: 'eth', header: ethernetHeader(c.host2.mac, c.gatewayMac, 0x0800) },
      {
        protocol: 'ip',
        header: ipv4Header({
          src: '192.168.2.1',
          dst: c.host2.pa,
          protocol: 1,
          identification: 0x0102,
          flags: 0,
        }),
      },
      { protocol: 'icmp', header: icmpFragmentationNeeded(1500) },
      {
        protocol: 'ip',
        header: ipv4Header({
          src: c.host2.pa,
          dst: c.host1.pa,
          protocol: 17,
          identification: 0x3c4d,
          totalLength: 1550,
        }),
      },
      { protocol: 'udp', header: { ...vxlanUdpHeader(c.vxlanSourcePort), length: 1530 } },
    ],
    // The RAS gateway's site-to-site GRE tunnel: the gateway's public IP -> the on-premises
    // edge, key = the tenant's tunnel key, carrying Contoso/Web's ping (TTL 127 after the
    // distributed router) to an on-premises host.
    'gre-ipv4': [
      { protocol: 'eth', header: ethernetHeader('00:15:5d:00:07:01', '00:15:5d:00:0a:01', 0x0800) },
      {
        protocol: 'ip',
        header: ipv4Header({
          src: '131.107.0.10',
          dst: '198.51.100.2',
          protocol: 47,
          identification: 0x0a0b,
        }),
      },
      { protocol: 'gre', header: greIpv4Header(5001) },
      {
        protocol: 'ip',
        header: ipv4Header({
          src: c.web.ca,
          dst: '172.16.0.10',
          protocol: 1,
          ttl: 126,
          identification: 0x1a2b,
          flags: 0,
        }),
      },
      { protocol: 'icmp', header: icmpEcho(1, 7) },
      {
        protocol: 'data',
        header: { bytes: Uint8Array.from('abcdefghijklmnopqrstuvwabcdefghi', (ch) => ch.charCodeAt(0)) },
      },
    ],
    // The same tunnel as IPsec: ESP with the SA's SPI and sequence number; the rest is ciphertext.
    esp: [
      { protocol: 'eth', header: ethernetHeader('00:15:5d:00:07:01', '00:15:5d:00:0a:01', 0x0800) },
      {
        protocol: 'ip',
        header: ipv4Header({
          src: '131.107.0.10',
          dst: '198.51.100.3',
          protocol: 50,
          identification: 0x0a0c,
        }),
      },
      {
        protocol: 'esp',
        header: {
          spi: 0x6001a001,
          sequence: 1,
          payload: Uint8Array.from({ length: 48 }, (_, i) => (i * 37 + 11) & 255),
        },
      },
    ],
    'arp-reply': [
      { protocol: 'eth', header: ethernetHeader(c.web.mac, c.sql.mac, 0x0806) },
      { protocol: 'arp', header: arpReply(c.sql.mac, c.sql.ca, c.web.mac, c.web.ca) },
    ],
  };
}

export function goldenFrames(): GoldenFrame[] {
  return Object.entries(goldenLayers()).map(([id, layers]) => ({ id, layers, bytes: encodeFrame(layers) }));
}
