// Ethernet II (IEEE 802.3 with an EtherType), without FCS: captures and HNV's inner frames omit it.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                 Destination MAC address (6 octets)            |
//  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                               |                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//  |                   Source MAC address (6 octets)               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |           EtherType           |            Payload ...
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { ByteWriter } from './bytes.ts';
import { macToBytes } from './bytes.ts';
import type { DecodeContext, LayerResult } from './fields.ts';
import { createContext, layer, macText, readFields } from './fields.ts';
import type { EncodeOptions, EthernetHeader, FieldNode, FieldSpec } from './types.ts';

export const ETHERTYPE_NAMES: Readonly<Record<number, string>> = {
  2048: 'IPv4',
  2054: 'ARP',
  33024: '802.1Q Virtual LAN',
  34525: 'IPv6',
  25944: 'Transparent Ethernet bridging',
};

export const ethernetFields: FieldSpec[] = [
  { key: 'eth.dst', label: 'Destination', offset: 0, length: 6, format: 'mac' },
  { key: 'eth.src', label: 'Source', offset: 6, length: 6, format: 'mac' },
  {
    key: 'eth.type',
    label: 'Type',
    offset: 12,
    length: 2,
    format: 'hex',
    names: ETHERTYPE_NAMES,
    meaning: 'EtherType: which protocol the payload carries',
  },
];

export function decodeEthernet(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const ok = readFields(bytes, ethernetFields, offset, end, ctx, fields, 'Ethernet');
  const header: EthernetHeader = ok
    ? {
        dst: macText(bytes, offset),
        src: macText(bytes, offset + 6),
        type: ctx.view.getUint16(offset + 12),
      }
    : { dst: '', src: '', type: 0 };
  const l = layer('eth', 'Ethernet II', offset, Math.min(14, end - offset), fields, header);
  if (!ok) return { layer: l };
  return {
    layer: l,
    next: { start: offset + 14, end, dispatch: { table: 'ethertype', values: [header.type] } },
  };
}

export function encodeEthernet(h: EthernetHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  w.bytes(macToBytes(h.dst)).bytes(macToBytes(h.src)).u16(h.type);
}
