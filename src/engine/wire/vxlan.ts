// VXLAN (RFC 7348), the HNVv2 default encapsulation: UDP port 4789, VNI = the virtual
// subnet's VSID. The field table follows tshark, which reads the first 16 bits as flags
// (I = 0x0800 there; the G/D/A bits belong to the Group Policy extension) and the next
// 16 as the Group Policy ID; in RFC 7348 all of those except I are reserved.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |R|R|R|R|I|R|R|R|            Reserved                           |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                VXLAN Network Identifier (VNI) |   Reserved    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { ByteWriter } from './bytes.ts';
import type { DecodeContext, LayerResult } from './fields.ts';
import { addIssue, createContext, layer, readFields, readUint } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, VxlanHeader } from './types.ts';

export const VXLAN_I_FLAG = 0x08;

const flag = (key: string, label: string, mask: number, meaning?: string): FieldSpec => ({
  key,
  label,
  offset: 0,
  length: 2,
  mask,
  format: 'bool',
  parent: 'vxlan.flags',
  meaning,
});

export const vxlanFields: FieldSpec[] = [
  { key: 'vxlan.flags', label: 'Flags', offset: 0, length: 2, format: 'hex', names: { 2048: 'VNI valid' } },
  flag('vxlan.flag_g', 'GBP extension', 0x8000),
  flag('vxlan.flag_i', 'VXLAN Network ID (VNI) valid', 0x0800, 'I flag: must be 1 for the VNI to count'),
  flag('vxlan.flag_d', "Don't learn", 0x0040),
  flag('vxlan.flag_a', 'Policy applied', 0x0008),
  {
    key: 'vxlan.flags_reserved',
    label: 'Reserved flags',
    offset: 0,
    length: 2,
    mask: 0x77b7,
    format: 'hex',
    parent: 'vxlan.flags',
  },
  { key: 'vxlan.gbp', label: 'Group policy ID (reserved)', offset: 2, length: 2, format: 'dec' },
  {
    key: 'vxlan.vni',
    label: 'VXLAN network identifier (VNI)',
    offset: 4,
    length: 3,
    format: 'dec',
    meaning: 'In HNV: the virtual subnet ID (VSID)',
  },
  { key: 'vxlan.reserved8', label: 'Reserved', offset: 7, length: 1, format: 'dec' },
];

export function decodeVxlan(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const header: VxlanHeader = { flags: 0, reserved1: 0, vni: 0, reserved2: 0 };
  const title = 'Virtual eXtensible Local Area Network';
  if (!readFields(bytes, vxlanFields, offset, end, ctx, fields, 'VXLAN')) {
    return { layer: layer('vxlan', title, offset, end - offset, fields, header) };
  }
  header.flags = bytes[offset];
  header.reserved1 = readUint(bytes, offset + 1, 3);
  header.vni = readUint(bytes, offset + 4, 3);
  header.reserved2 = bytes[offset + 7];
  // Reserved bits are ignored on receipt (RFC 7348 §5); only a clear I flag is a problem.
  if ((header.flags & VXLAN_I_FLAG) === 0) {
    addIssue(
      ctx,
      'vxlan-i-flag-clear',
      'error',
      offset,
      1,
      `VXLAN I flag is clear (flags 0x${header.flags.toString(16).padStart(2, '0')}): the VNI is not valid`,
    );
  }
  const l = layer('vxlan', title, offset, 8, fields, header);
  // Even with nothing left, name the next protocol: the frame walker reports the missing inner frame.
  return { layer: l, next: { start: offset + 8, end, protocol: 'eth' } };
}

export function encodeVxlan(h: VxlanHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  w.u8(h.flags).u24(h.reserved1).u24(h.vni).u8(h.reserved2);
}
