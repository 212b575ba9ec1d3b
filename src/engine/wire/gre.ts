// GRE (RFC 2784 with the key and sequence extensions of RFC 2890), and the NVGRE view
// of it (RFC 7637): protocol 0x6558 (transparent Ethernet bridging), K = 1, and the key
// split into the 24-bit Virtual Subnet ID and an 8-bit FlowID.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |C| |K|S| Reserved0       | Ver |         Protocol Type         |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |      Checksum (optional)      |       Reserved1 (Optional)    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                         Key (optional)                        |
//  |  NVGRE:  Virtual Subnet ID (VSID), 24 bits    |    FlowID     |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                 Sequence Number (Optional)                    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { ByteWriter } from './bytes.ts';
import { internetChecksum, onesComplementSum } from './checksum.ts';
import { ETHERTYPE_NAMES } from './ethernet.ts';
import type { DecodeContext, Fixup, LayerResult } from './fields.ts';
import { addIssue, checksumIssue, createContext, layer, makeNode, readFields, readUint } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, GreHeader } from './types.ts';

export const NVGRE_PROTOCOL = 0x6558;

/**
 * GRE's first word bits 6-12 (0x03f8): reserved, sent as zero and ignored on receipt (RFC 2784
 * §2.3). Bits 1-5 are not: a receiver without RFC 1701 discards a packet with any of them set.
 */
export const GRE_IGNORED_BITS = 0x03f8;

/**
 * Whether a GRE header's first word is "key, and nothing else": K = 1; C, R, S, strict source
 * route, recursion control and version 0 (RFC 2784 §2.3, RFC 2890); bits 6-12 ignored. What
 * NVGRE and the gateway's site-to-site GRE tunnels both send.
 */
export function isKeyOnlyGreWord(word: number): boolean {
  return (word & ~GRE_IGNORED_BITS & 0xffff) === 0x2000;
}

/**
 * Whether a GRE header's first word and protocol type make a valid NVGRE header (RFC 7637 §3.2:
 * C = 0, K = 1, S = 0, version 0; RFC 2784 §2.3: R, strict source route and recursion control 0;
 * bits 6-12 ignored). The one predicate the codec and the data plane share.
 */
export function isNvgreHeader(word: number, protocolType: number): boolean {
  return protocolType === NVGRE_PROTOCOL && isKeyOnlyGreWord(word);
}

/** RFC 7637 §3.2's rules for the GRE header of an NVGRE frame, one issue each. */
const NVGRE_RULES: Record<string, { code: string; message: string }> = {
  C: {
    code: 'nvgre-c-bit-set',
    message: 'NVGRE Checksum present (C) is 1: RFC 7637 requires 0; not a valid NVGRE frame',
  },
  K: {
    code: 'nvgre-k-bit-clear',
    message:
      'NVGRE Key present (K) is 0: RFC 7637 requires 1 (the key carries the VSID); not a valid NVGRE frame',
  },
  S: {
    code: 'nvgre-s-bit-set',
    message: 'NVGRE Sequence number present (S) is 1: RFC 7637 requires 0; not a valid NVGRE frame',
  },
};

const bit = (key: string, label: string, mask: number, format: 'bool' | 'dec' = 'bool'): FieldSpec => ({
  key,
  label,
  offset: 0,
  length: 2,
  mask,
  format,
  parent: 'gre.flags_and_version',
});

export const greFields: FieldSpec[] = [
  { key: 'gre.flags_and_version', label: 'Flags and version', offset: 0, length: 2, format: 'hex' },
  bit('gre.flags.checksum', 'Checksum present (C)', 0x8000),
  bit('gre.flags.routing', 'Routing present (R)', 0x4000),
  bit('gre.flags.key', 'Key present (K)', 0x2000),
  bit('gre.flags.sequence_number', 'Sequence number present (S)', 0x1000),
  bit('gre.flags.strict_source_route', 'Strict source route', 0x0800),
  bit('gre.flags.recursion_control', 'Recursion control', 0x0700, 'dec'),
  bit('gre.flags.reserved', 'Flags (reserved)', 0x00f8, 'dec'),
  bit('gre.flags.version', 'Version', 0x0007, 'dec'),
  { key: 'gre.proto', label: 'Protocol type', offset: 2, length: 2, format: 'hex', names: ETHERTYPE_NAMES },
];

// Optional fields: offsets here are relative to where each one starts.
const checksumFields: FieldSpec[] = [
  { key: 'gre.checksum', label: 'Checksum', offset: 0, length: 2, format: 'hex' },
  { key: 'gre.offset', label: 'Reserved1 (offset)', offset: 2, length: 2, format: 'dec' },
];
const keyFields: FieldSpec[] = [
  { key: 'gre.key', label: 'Key', offset: 0, length: 4, format: 'hex', meaning: 'NVGRE: VSID << 8 | FlowID' },
];
const sequenceFields: FieldSpec[] = [
  { key: 'gre.sequence_number', label: 'Sequence number', offset: 0, length: 4, format: 'dec' },
];

/** RFC 7637's reading of the key, as derived rows under gre.key. */
function nvgreRows(start: number, key: number): FieldNode[] {
  const vsid = key >>> 8;
  const flowId = key & 0xff;
  return [
    makeNode(
      'nvgre.vsid',
      'Virtual Subnet ID (VSID)',
      start,
      3,
      vsid,
      String(vsid),
      'The tenant virtual subnet',
    ),
    makeNode('nvgre.flowid', 'FlowID', start + 3, 1, flowId, String(flowId), 'Per-flow entropy for ECMP'),
  ];
}

export function decodeGre(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const header: GreHeader = {
    checksumPresent: false,
    keyPresent: false,
    sequencePresent: false,
    reserved0: 0,
    version: 0,
    protocolType: 0,
  };
  let title = 'Generic Routing Encapsulation';
  const partial = () => ({ layer: layer('gre', title, offset, end - offset, fields, header) });
  if (!readFields(bytes, greFields, offset, end, ctx, fields, 'GRE')) return partial();
  const word = readUint(bytes, offset, 2);
  header.checksumPresent = (word & 0x8000) !== 0;
  header.keyPresent = (word & 0x2000) !== 0;
  header.sequencePresent = (word & 0x1000) !== 0;
  if (word & 0x4000) header.routingPresent = true;
  header.reserved0 = (word >>> 3) & 0x1ff;
  header.version = word & 7;
  header.protocolType = readUint(bytes, offset + 2, 2);
  const present = [
    header.checksumPresent && 'C',
    header.routingPresent && 'R',
    header.keyPresent && 'K',
    header.sequencePresent && 'S',
  ].filter(Boolean);
  fields[0].display = `${fields[0].value} (${present.length ? `${present.join(', ')} set` : 'no options'}, version ${header.version})`;
  // RFC 2784 receivers discard R = 1 (RFC 1701 source routing) and a version other than 0.
  if (header.routingPresent) {
    addIssue(
      ctx,
      'gre-routing-present',
      'error',
      offset,
      2,
      'GRE Routing present (R) is 1: RFC 2784 requires 0 and discards the packet',
    );
  }
  if (header.version !== 0) {
    addIssue(ctx, 'gre-version', 'error', offset, 2, `GRE Version is ${header.version}: RFC 2784 requires 0`);
  }
  // NVGRE (RFC 7637 §3.2): C = 0, K = 1, S = 0, version 0. A frame that breaks any of them is
  // shown as GRE carrying Ethernet (as tshark shows it), without the VSID reading of the key.
  const nvgre = header.protocolType === NVGRE_PROTOCOL;
  let validNvgre = isNvgreHeader(word, header.protocolType);
  if (nvgre) {
    const broken = [header.checksumPresent && 'C', !header.keyPresent && 'K', header.sequencePresent && 'S'];
    for (const rule of broken) {
      if (!rule) continue;
      addIssue(ctx, NVGRE_RULES[rule].code, 'error', offset, 2, NVGRE_RULES[rule].message);
      validNvgre = false;
    }
    if (word & 0x0c00)
      addIssue(
        ctx,
        'nvgre-reserved0',
        'error',
        offset,
        2,
        `GRE bits 4-5 are 0x${(word & 0x0c00).toString(16)}: RFC 2784 §2.3 discards a packet with any of bits 1-5 set; not a valid NVGRE frame`,
      );
    title = validNvgre
      ? 'Generic Routing Encapsulation (NVGRE)'
      : 'Generic Routing Encapsulation (not valid NVGRE)';
  }
  // With R = 1 the checksum, offset and source route entries of RFC 1701 follow and we do not
  // read them, so where the payload starts is unknown: the rest is data (tshark: Malformed).
  if (header.routingPresent) {
    return {
      layer: layer('gre', title, offset, 4, fields, header),
      next: { start: offset + 4, end, protocol: 'data' },
    };
  }
  let pos = offset + 4;
  if (header.checksumPresent) {
    if (!readFields(bytes, checksumFields, pos, end, ctx, fields, 'GRE')) return partial();
    header.checksum = readUint(bytes, pos, 2);
    header.offset = readUint(bytes, pos + 2, 2);
    if (!ctx.payloadCut) {
      const expected = internetChecksum(bytes, pos + 2, end, onesComplementSum(bytes, offset, pos));
      if (expected !== header.checksum) checksumIssue(ctx, 'GRE', pos, header.checksum, expected);
    }
    pos += 4;
  }
  if (header.keyPresent) {
    if (!readFields(bytes, keyFields, pos, end, ctx, fields, 'GRE')) return partial();
    header.key = readUint(bytes, pos, 4);
    if (validNvgre) fields[fields.length - 1].children = nvgreRows(pos, header.key);
    pos += 4;
  }
  if (header.sequencePresent) {
    if (!readFields(bytes, sequenceFields, pos, end, ctx, fields, 'GRE')) return partial();
    header.sequence = readUint(bytes, pos, 4);
    pos += 4;
  }
  const l = layer('gre', title, offset, pos - offset, fields, header);
  // Even with nothing left, name the next protocol: the frame walker reports the missing inner frame.
  return {
    layer: l,
    next: { start: pos, end, dispatch: { table: 'greProtocol', values: [header.protocolType] } },
  };
}

export function encodeGre(h: GreHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  const word =
    (h.checksumPresent ? 0x8000 : 0) |
    (h.routingPresent ? 0x4000 : 0) |
    (h.keyPresent ? 0x2000 : 0) |
    (h.sequencePresent ? 0x1000 : 0) |
    ((h.reserved0 & 0x1ff) << 3) |
    (h.version & 7);
  w.u16(word).u16(h.protocolType);
  if (h.checksumPresent) w.u16(h.checksum ?? 0).u16(h.offset ?? 0);
  if (h.keyPresent) w.u32(h.key ?? 0);
  if (h.sequencePresent) w.u32(h.sequence ?? 0);
}

/** With C set, the checksum covers the GRE header and its payload. */
export const fixupGre: Fixup = (f, v, span, o) => {
  if (!o.computeChecksums || o.quoted || (f[span.start] & 0x80) === 0) return;
  v.setUint16(span.start + 4, 0);
  v.setUint16(span.start + 4, internetChecksum(f, span.start, span.end));
};
