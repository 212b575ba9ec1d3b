// ICMP for IPv4 (RFC 792, RFC 1191 for the next-hop MTU). The checksum covers the whole
// ICMP message. Errors (unreachable, time exceeded) quote the offending IP header plus
// 8 bytes, which the registry decodes as an inner ip layer, as Wireshark does.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     Type      |     Code      |          Checksum             |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  | echo:  Identifier             |        Sequence Number        |
//  | frag-needed (3/4): unused     |         Next-Hop MTU          |
//  | other errors: unused (32 bits)                                |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  | echo: data ...   errors: IP header + first 8 payload bytes    |
import type { ByteWriter } from './bytes.ts';
import { internetChecksum, onesComplementSum } from './checksum.ts';
import type { DecodeContext, Fixup, LayerResult } from './fields.ts';
import { checksumIssue, createContext, layer, readFields, readUint } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, IcmpHeader } from './types.ts';

export const ICMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  5: 'Redirect',
  8: 'Echo (ping) request',
  11: 'Time-to-live exceeded',
};

export const ICMP_UNREACHABLE_CODES: Readonly<Record<number, string>> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  13: 'Communication administratively filtered',
};

export const ICMP_TIME_EXCEEDED_CODES: Readonly<Record<number, string>> = {
  0: 'TTL exceeded in transit',
  1: 'Fragment reassembly time exceeded',
};

export const icmpFields: FieldSpec[] = [
  { key: 'icmp.type', label: 'Type', offset: 0, length: 1, format: 'dec', names: ICMP_TYPE_NAMES },
  { key: 'icmp.code', label: 'Code', offset: 1, length: 1, format: 'dec' },
  { key: 'icmp.checksum', label: 'Checksum', offset: 2, length: 2, format: 'hex' },
];

const echoFields: FieldSpec[] = [
  { key: 'icmp.ident', label: 'Identifier', offset: 4, length: 2, format: 'dec' },
  { key: 'icmp.seq', label: 'Sequence number', offset: 6, length: 2, format: 'dec' },
];

const fragNeededFields: FieldSpec[] = [
  { key: 'icmp.unused', label: 'Unused', offset: 4, length: 2, format: 'bytes' },
  {
    key: 'icmp.mtu',
    label: 'MTU of next hop',
    offset: 6,
    length: 2,
    format: 'dec',
    meaning: 'The largest packet the next link carries: the sender must shrink to this (path MTU discovery)',
  },
];

const errorFields: FieldSpec[] = [
  { key: 'icmp.unused', label: 'Unused', offset: 4, length: 4, format: 'bytes' },
];

const isEcho = (type: number) => type === 0 || type === 8;
const isError = (type: number) => type === 3 || type === 11;
const isFragNeeded = (type: number, code: number) => type === 3 && code === 4;

export function decodeIcmp(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const header: IcmpHeader = { type: 0, code: 0, checksum: 0 };
  const title = 'Internet Control Message Protocol';
  if (!readFields(bytes, icmpFields, offset, end, ctx, fields, 'ICMP')) {
    return { layer: layer('icmp', title, offset, end - offset, fields, header) };
  }
  header.type = bytes[offset];
  header.code = bytes[offset + 1];
  header.checksum = ctx.view.getUint16(offset + 2);
  if (header.type === 3)
    fields[1].display = `${header.code} (${ICMP_UNREACHABLE_CODES[header.code] ?? 'unknown'})`;
  const rest = isEcho(header.type)
    ? echoFields
    : isFragNeeded(header.type, header.code)
      ? fragNeededFields
      : isError(header.type)
        ? errorFields
        : [];
  const ok = readFields(bytes, rest, offset, end, ctx, fields, 'ICMP');
  if (!ok) return { layer: layer('icmp', title, offset, end - offset, fields, header) };
  if (offset + 8 <= end) {
    if (isEcho(header.type)) {
      header.identifier = readUint(bytes, offset + 4, 2);
      header.sequence = readUint(bytes, offset + 6, 2);
    } else if (isFragNeeded(header.type, header.code)) {
      header.nextHopMtu = readUint(bytes, offset + 6, 2);
      const unused = readUint(bytes, offset + 4, 2);
      if (unused !== 0) header.rest = unused * 0x10000 + header.nextHopMtu;
    } else {
      header.rest = readUint(bytes, offset + 4, 4);
    }
  }
  if (!ctx.quoted && !ctx.payloadCut) {
    const expected = internetChecksum(bytes, offset + 4, end, onesComplementSum(bytes, offset, offset + 2));
    if (expected !== header.checksum) checksumIssue(ctx, 'ICMP', offset + 2, header.checksum, expected);
  }
  const hl = Math.min(8, end - offset);
  const l = layer('icmp', title, offset, hl, fields, header);
  if (offset + 8 >= end) return { layer: l };
  if (isError(header.type))
    return { layer: l, next: { start: offset + 8, end, protocol: 'ip', quoted: true } };
  return { layer: l, next: { start: offset + 8, end, protocol: 'data' } };
}

export function encodeIcmp(h: IcmpHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  w.u8(h.type).u8(h.code).u16(h.checksum);
  if (isEcho(h.type) && h.rest === undefined) w.u16(h.identifier ?? 0).u16(h.sequence ?? 0);
  else if (isFragNeeded(h.type, h.code) && h.rest === undefined) w.u16(0).u16(h.nextHopMtu ?? 0);
  else w.u32(h.rest ?? 0);
}

/** The ICMP checksum covers the whole message, quoted datagram included. */
export const fixupIcmp: Fixup = (f, v, span, o) => {
  if (!o.computeChecksums || o.quoted) return;
  v.setUint16(span.start + 2, 0);
  v.setUint16(span.start + 2, internetChecksum(f, span.start, span.end));
};
