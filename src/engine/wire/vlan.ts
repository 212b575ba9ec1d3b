// IEEE 802.1Q tag. The TPID 0x8100 is the EtherType of the enclosing header; this layer
// covers the TCI and the EtherType that follows it.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  | PCP |D|        VLAN ID        |           EtherType           |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { ByteWriter } from './bytes.ts';
import { ETHERTYPE_NAMES } from './ethernet.ts';
import type { DecodeContext, LayerResult } from './fields.ts';
import { createContext, layer, readFields } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, VlanHeader } from './types.ts';

export const vlanFields: FieldSpec[] = [
  {
    key: 'vlan.priority',
    label: 'Priority (PCP)',
    offset: 0,
    length: 2,
    mask: 0xe000,
    format: 'dec',
    meaning: '802.1p class of service',
  },
  { key: 'vlan.dei', label: 'Drop eligible (DEI)', offset: 0, length: 2, mask: 0x1000, format: 'bool' },
  {
    key: 'vlan.id',
    label: 'VLAN ID',
    offset: 0,
    length: 2,
    mask: 0x0fff,
    format: 'dec',
    meaning: 'In HNV: the VLAN of the provider (PA) logical subnet',
  },
  { key: 'vlan.etype', label: 'Type', offset: 2, length: 2, format: 'hex', names: ETHERTYPE_NAMES },
];

export function decodeVlan(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const ok = readFields(bytes, vlanFields, offset, end, ctx, fields, '802.1Q');
  let header: VlanHeader = { pcp: 0, dei: 0, id: 0, type: 0 };
  if (ok) {
    const tci = ctx.view.getUint16(offset);
    header = {
      pcp: tci >>> 13,
      dei: (tci >>> 12) & 1,
      id: tci & 0x0fff,
      type: ctx.view.getUint16(offset + 2),
    };
  }
  const l = layer('vlan', '802.1Q Virtual LAN', offset, Math.min(4, end - offset), fields, header);
  if (!ok) return { layer: l };
  return {
    layer: l,
    next: { start: offset + 4, end, dispatch: { table: 'ethertype', values: [header.type] } },
  };
}

export function encodeVlan(h: VlanHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  w.u16(((h.pcp & 7) << 13) | ((h.dei & 1) << 12) | (h.id & 0x0fff)).u16(h.type);
}
