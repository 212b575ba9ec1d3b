// ARP (RFC 826) for Ethernet/IPv4. In HNV the host agent answers ARP; it never leaves the host.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |         Hardware type         |         Protocol type         |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  HW size (6)  | Proto size (4)|            Opcode             |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                 Sender MAC address (6 octets)                 |
//  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                               |   Sender IP address (4 oct.)  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                               |                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  Target MAC address (6 oct.)  +
//  |                                                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                   Target IP address (4 octets)                |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { ByteWriter } from './bytes.ts';
import { formatMac, ipv4ToNumber, macToBytes, numberToIpv4 } from './bytes.ts';
import type { DecodeContext, LayerResult } from './fields.ts';
import { addIssue, createContext, layer, readFields, readUint } from './fields.ts';
import type { ArpHeader, EncodeOptions, FieldNode, FieldSpec } from './types.ts';

const fixedPart: FieldSpec[] = [
  {
    key: 'arp.hw.type',
    label: 'Hardware type',
    offset: 0,
    length: 2,
    format: 'dec',
    names: { 1: 'Ethernet' },
  },
  {
    key: 'arp.proto.type',
    label: 'Protocol type',
    offset: 2,
    length: 2,
    format: 'hex',
    names: { 2048: 'IPv4' },
  },
  { key: 'arp.hw.size', label: 'Hardware size', offset: 4, length: 1, format: 'dec' },
  { key: 'arp.proto.size', label: 'Protocol size', offset: 5, length: 1, format: 'dec' },
  {
    key: 'arp.opcode',
    label: 'Opcode',
    offset: 6,
    length: 2,
    format: 'dec',
    names: { 1: 'request', 2: 'reply' },
  },
];

const ethernetIpv4Part: FieldSpec[] = [
  { key: 'arp.src.hw_mac', label: 'Sender MAC address', offset: 8, length: 6, format: 'mac' },
  { key: 'arp.src.proto_ipv4', label: 'Sender IP address', offset: 14, length: 4, format: 'ipv4' },
  { key: 'arp.dst.hw_mac', label: 'Target MAC address', offset: 18, length: 6, format: 'mac' },
  { key: 'arp.dst.proto_ipv4', label: 'Target IP address', offset: 24, length: 4, format: 'ipv4' },
];

export const arpFields: FieldSpec[] = [...fixedPart, ...ethernetIpv4Part];

export function decodeArp(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const header: ArpHeader = {
    hardwareType: 0,
    protocolType: 0,
    hardwareSize: 0,
    protocolSize: 0,
    opcode: 0,
    senderMac: '',
    senderIp: '',
    targetMac: '',
    targetIp: '',
  };
  const done = (len: number) => ({
    layer: layer('arp', 'Address Resolution Protocol', offset, len, fields, header),
  });
  if (!readFields(bytes, fixedPart, offset, end, ctx, fields, 'ARP')) return done(end - offset);
  header.hardwareType = readUint(bytes, offset, 2);
  header.protocolType = readUint(bytes, offset + 2, 2);
  header.hardwareSize = bytes[offset + 4];
  header.protocolSize = bytes[offset + 5];
  header.opcode = readUint(bytes, offset + 6, 2);
  if (header.hardwareSize !== 6 || header.protocolSize !== 4) {
    addIssue(
      ctx,
      'arp-unsupported',
      'warning',
      offset + 4,
      2,
      'ARP: only Ethernet/IPv4 addresses (sizes 6 and 4) are decoded',
    );
    return done(8);
  }
  if (!readFields(bytes, ethernetIpv4Part, offset, end, ctx, fields, 'ARP')) return done(end - offset);
  header.senderMac = formatMac(bytes, offset + 8);
  header.senderIp = numberToIpv4(readUint(bytes, offset + 14, 4));
  header.targetMac = formatMac(bytes, offset + 18);
  header.targetIp = numberToIpv4(readUint(bytes, offset + 24, 4));
  return done(28);
}

export function encodeArp(h: ArpHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  w.u16(h.hardwareType).u16(h.protocolType).u8(h.hardwareSize).u8(h.protocolSize).u16(h.opcode);
  w.bytes(macToBytes(h.senderMac)).u32(ipv4ToNumber(h.senderIp));
  w.bytes(macToBytes(h.targetMac)).u32(ipv4ToNumber(h.targetIp));
}
