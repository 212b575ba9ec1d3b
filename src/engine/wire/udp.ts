// UDP (RFC 768). Checksum over the IPv4 pseudo-header + UDP header + data; 0 = none.
// VXLAN (RFC 7348) sends 0 over IPv4, so the encoder leaves a VXLAN carrier's checksum alone.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |          Source Port          |       Destination Port        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |            Length             |           Checksum            |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import { VXLAN_UDP_PORT } from '../net/index.ts';
import type { ByteWriter } from './bytes.ts';
import { internetChecksum, onesComplementSum, pseudoHeaderSum } from './checksum.ts';
import type { DecodeContext, Fixup, LayerResult } from './fields.ts';
import { addIssue, checksumIssue, createContext, layer, readFields } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, UdpHeader } from './types.ts';

export const VXLAN_PORT = VXLAN_UDP_PORT;

export const udpFields: FieldSpec[] = [
  {
    key: 'udp.srcport',
    label: 'Source port',
    offset: 0,
    length: 2,
    format: 'dec',
    meaning: 'For VXLAN: a hash of the inner flow, so ECMP spreads tunnels',
  },
  {
    key: 'udp.dstport',
    label: 'Destination port',
    offset: 2,
    length: 2,
    format: 'dec',
    names: { 4789: 'VXLAN' },
  },
  {
    key: 'udp.length',
    label: 'Length',
    offset: 4,
    length: 2,
    format: 'dec',
    meaning: 'Header plus data, in bytes',
  },
  {
    key: 'udp.checksum',
    label: 'Checksum',
    offset: 6,
    length: 2,
    format: 'hex',
    meaning: '0 = not computed',
  },
];

/** UDP checksum with the field taken as zero; a computed 0 is sent as 0xffff (RFC 768). */
export function udpChecksum(bytes: Uint8Array, start: number, end: number, src: number, dst: number): number {
  const pseudo = pseudoHeaderSum(src, dst, 17, end - start);
  const c = internetChecksum(bytes, start + 8, end, onesComplementSum(bytes, start, start + 6, pseudo));
  return c === 0 ? 0xffff : c;
}

export function decodeUdp(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const header: UdpHeader = { srcPort: 0, dstPort: 0, length: 0, checksum: 0 };
  const title = 'User Datagram Protocol';
  if (!readFields(bytes, udpFields, offset, end, ctx, fields, 'UDP')) {
    return { layer: layer('udp', title, offset, end - offset, fields, header) };
  }
  const v = ctx.view;
  header.srcPort = v.getUint16(offset);
  header.dstPort = v.getUint16(offset + 2);
  header.length = v.getUint16(offset + 4);
  header.checksum = v.getUint16(offset + 6);
  let payloadEnd = end;
  if (!ctx.quoted) {
    if (header.length < 8) {
      addIssue(
        ctx,
        'bad-length',
        'error',
        offset + 4,
        2,
        `UDP length ${header.length} is shorter than the header (8)`,
      );
    } else if (offset + header.length > end) {
      if (!ctx.payloadCut) {
        addIssue(
          ctx,
          'bad-length',
          'error',
          offset + 4,
          2,
          `UDP length ${header.length} runs past the IP payload (${end - offset} bytes)`,
        );
      }
    } else {
      payloadEnd = offset + header.length;
      if (header.checksum !== 0 && !ctx.payloadCut) {
        const expected = udpChecksum(bytes, offset, payloadEnd, ctx.ipSrc, ctx.ipDst);
        if (expected !== header.checksum) checksumIssue(ctx, 'UDP', offset + 6, header.checksum, expected);
      }
    }
  }
  const l = layer('udp', title, offset, 8, fields, header);
  if (offset + 8 >= payloadEnd) return { layer: l };
  // Like tshark, try the lower port first.
  const ports =
    header.srcPort < header.dstPort ? [header.srcPort, header.dstPort] : [header.dstPort, header.srcPort];
  return {
    layer: l,
    next: { start: offset + 8, end: payloadEnd, dispatch: { table: 'udpPort', values: ports } },
  };
}

export function encodeUdp(h: UdpHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  w.u16(h.srcPort).u16(h.dstPort).u16(h.length).u16(h.checksum);
}

export const fixupUdp: Fixup = (f, v, span, o) => {
  if (o.quoted) return;
  if (o.fixLengths) v.setUint16(span.start + 4, span.end - span.start);
  // VXLAN over IPv4: keep what the header says (HNV sends 0).
  if (o.computeChecksums && o.next !== 'vxlan') {
    v.setUint16(span.start + 6, udpChecksum(f, span.start, span.end, o.ipSrc, o.ipDst));
  }
};
