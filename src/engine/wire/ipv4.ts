// IPv4 (RFC 791). Options are kept raw; the header checksum covers the header only.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version|  IHL  |   DSCP    |ECN|          Total Length         |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |         Identification        |Flags|      Fragment Offset    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Time to Live |    Protocol   |         Header Checksum       |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                       Source Address                          |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Destination Address                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Options                    |    Padding    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { ByteWriter } from './bytes.ts';
import { hex, ipv4ToNumber } from './bytes.ts';
import { internetChecksum, onesComplementSum } from './checksum.ts';
import type { DecodeContext, Fixup, LayerResult } from './fields.ts';
import {
  addIssue,
  checksumIssue,
  createContext,
  ipv4Text,
  layer,
  makeNode,
  readFields,
  readUint,
  truncated,
} from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, Ipv4Header } from './types.ts';

export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  1: 'ICMP',
  6: 'TCP',
  17: 'UDP',
  47: 'GRE',
  50: 'ESP',
};

export const ipv4Fields: FieldSpec[] = [
  { key: 'ip.version', label: 'Version', offset: 0, length: 1, mask: 0xf0, format: 'dec' },
  {
    key: 'ip.hdr_len',
    label: 'Header length',
    offset: 0,
    length: 1,
    mask: 0x0f,
    scale: 4,
    format: 'dec',
    meaning: 'IHL x 4 bytes (20 without options)',
  },
  { key: 'ip.dsfield', label: 'Differentiated services', offset: 1, length: 1, format: 'hex' },
  {
    key: 'ip.dsfield.dscp',
    label: 'DSCP',
    offset: 1,
    length: 1,
    mask: 0xfc,
    format: 'dec',
    parent: 'ip.dsfield',
  },
  {
    key: 'ip.dsfield.ecn',
    label: 'ECN',
    offset: 1,
    length: 1,
    mask: 0x03,
    format: 'dec',
    parent: 'ip.dsfield',
  },
  {
    key: 'ip.len',
    label: 'Total length',
    offset: 2,
    length: 2,
    format: 'dec',
    meaning: 'Header plus payload, in bytes',
  },
  { key: 'ip.id', label: 'Identification', offset: 4, length: 2, format: 'hex' },
  {
    key: 'ip.flags',
    label: 'Flags',
    offset: 6,
    length: 1,
    mask: 0xe0,
    format: 'hex',
    names: { 0: 'none', 1: 'More fragments', 2: "Don't fragment", 3: "Don't fragment, More fragments" },
  },
  {
    key: 'ip.flags.rb',
    label: 'Reserved bit',
    offset: 6,
    length: 1,
    mask: 0x80,
    format: 'bool',
    parent: 'ip.flags',
  },
  {
    key: 'ip.flags.df',
    label: "Don't fragment",
    offset: 6,
    length: 1,
    mask: 0x40,
    format: 'bool',
    parent: 'ip.flags',
    meaning: 'A router must drop (and answer ICMP fragmentation-needed) rather than fragment',
  },
  {
    key: 'ip.flags.mf',
    label: 'More fragments',
    offset: 6,
    length: 1,
    mask: 0x20,
    format: 'bool',
    parent: 'ip.flags',
  },
  { key: 'ip.frag_offset', label: 'Fragment offset', offset: 6, length: 2, mask: 0x1fff, format: 'dec' },
  { key: 'ip.ttl', label: 'Time to live', offset: 8, length: 1, format: 'dec' },
  { key: 'ip.proto', label: 'Protocol', offset: 9, length: 1, format: 'dec', names: IP_PROTOCOL_NAMES },
  { key: 'ip.checksum', label: 'Header checksum', offset: 10, length: 2, format: 'hex' },
  { key: 'ip.src', label: 'Source address', offset: 12, length: 4, format: 'ipv4' },
  { key: 'ip.dst', label: 'Destination address', offset: 16, length: 4, format: 'ipv4' },
];

const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Options List',
  1: 'No-Operation',
  7: 'Record Route',
  68: 'Time Stamp',
  130: 'Security',
  131: 'Loose Source Route',
  137: 'Strict Source Route',
  148: 'Router Alert',
};

const optionTypeFields: FieldSpec[] = [
  { key: 'ip.opt.type', label: 'Type', offset: 0, length: 1, format: 'dec', names: OPTION_NAMES },
  {
    key: 'ip.opt.type.copy',
    label: 'Copy on fragmentation',
    offset: 0,
    length: 1,
    mask: 0x80,
    format: 'bool',
    parent: 'ip.opt.type',
  },
  {
    key: 'ip.opt.type.class',
    label: 'Class',
    offset: 0,
    length: 1,
    mask: 0x60,
    format: 'dec',
    parent: 'ip.opt.type',
  },
  {
    key: 'ip.opt.type.number',
    label: 'Number',
    offset: 0,
    length: 1,
    mask: 0x1f,
    format: 'dec',
    parent: 'ip.opt.type',
  },
];

/** Options as a tree: one node per option with its type, length and (Router Alert) value. */
function decodeOptions(bytes: Uint8Array, start: number, end: number, ctx: DecodeContext): FieldNode {
  const container = makeNode(
    'ip.options',
    'Options',
    start,
    end - start,
    hex(bytes, start, end),
    `${end - start} bytes`,
  );
  const children: FieldNode[] = [];
  let pos = start;
  while (pos < end) {
    const type = bytes[pos];
    const opt: FieldNode[] = [];
    readFields(bytes, optionTypeFields, pos, end, ctx, opt, 'IPv4 option');
    if (type === 0 || type === 1) {
      children.push(...opt);
      pos += 1;
      if (type === 0) break; // End of list: the rest is padding
      continue;
    }
    if (pos + 1 >= end) {
      truncated(ctx, 'IPv4 option length', pos + 1, 1, end);
      break;
    }
    const len = bytes[pos + 1];
    if (len < 2 || pos + len > end) {
      addIssue(ctx, 'bad-option', 'error', pos, end - pos, `IPv4 option ${type} has invalid length ${len}`);
      break;
    }
    opt.push(makeNode('ip.opt.len', 'Length', pos + 1, 1, len, String(len)));
    if (type === 148 && len === 4) {
      const v = readUint(bytes, pos + 2, 2);
      opt.push(makeNode('ip.opt.ra', 'Router Alert', pos + 2, 2, v, String(v)));
    }
    children.push(...opt);
    pos += len;
  }
  container.children = children;
  return container;
}

/** Shared empty options: headers without options (nearly all) allocate nothing for them. */
const NO_OPTIONS = new Uint8Array(0);

export function decodeIpv4(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const header: Ipv4Header = {
    version: 0,
    ihl: 0,
    dscp: 0,
    ecn: 0,
    totalLength: 0,
    identification: 0,
    flags: 0,
    fragmentOffset: 0,
    ttl: 0,
    protocol: 0,
    checksum: 0,
    src: '',
    dst: '',
    options: NO_OPTIONS,
  };
  const title = 'Internet Protocol Version 4';
  const ok = readFields(bytes, ipv4Fields, offset, end, ctx, fields, 'IPv4');
  if (!ok) return { layer: layer('ip', title, offset, end - offset, fields, header) };
  const v = ctx.view;
  header.version = bytes[offset] >>> 4;
  header.ihl = bytes[offset] & 0x0f;
  header.dscp = bytes[offset + 1] >>> 2;
  header.ecn = bytes[offset + 1] & 3;
  header.totalLength = v.getUint16(offset + 2);
  header.identification = v.getUint16(offset + 4);
  header.flags = bytes[offset + 6] >>> 5;
  header.fragmentOffset = v.getUint16(offset + 6) & 0x1fff;
  header.ttl = bytes[offset + 8];
  header.protocol = bytes[offset + 9];
  header.checksum = v.getUint16(offset + 10);
  const src = v.getUint32(offset + 12);
  const dst = v.getUint32(offset + 16);
  header.src = ipv4Text(src);
  header.dst = ipv4Text(dst);

  if (header.version !== 4) {
    addIssue(ctx, 'bad-version', 'warning', offset, 1, `IPv4 version field is ${header.version}, expected 4`);
  }
  if (header.ihl < 5) {
    addIssue(
      ctx,
      'ihl-too-small',
      'error',
      offset,
      1,
      `IPv4 IHL is ${header.ihl} (${header.ihl * 4} bytes); the minimum is 5 (20 bytes)`,
    );
    return { layer: layer('ip', title, offset, 20, fields, header) };
  }
  const hl = header.ihl * 4;
  if (offset + hl > end) {
    truncated(ctx, 'IPv4 options', offset + 20, hl - 20, end);
    return { layer: layer('ip', title, offset, end - offset, fields, header) };
  }
  if (hl > 20) {
    header.options = bytes.slice(offset + 20, offset + hl);
    fields.push(decodeOptions(bytes, offset + 20, offset + hl, ctx));
  }
  // Checksum: recompute with the field taken as zero, so the issue can say what was expected.
  const expected = internetChecksum(
    bytes,
    offset + 12,
    offset + hl,
    onesComplementSum(bytes, offset, offset + 10),
  );
  if (expected !== header.checksum) checksumIssue(ctx, 'IPv4 header', offset + 10, header.checksum, expected);

  let payloadEnd = end;
  ctx.payloadCut = false;
  if (header.totalLength < hl) {
    if (!ctx.quoted) {
      addIssue(
        ctx,
        'bad-length',
        'error',
        offset + 2,
        2,
        `IPv4 total length ${header.totalLength} is shorter than the header (${hl})`,
      );
    }
  } else if (offset + header.totalLength > end) {
    ctx.payloadCut = true;
    if (!ctx.quoted) {
      addIssue(
        ctx,
        'truncated',
        'error',
        end,
        0,
        `IPv4 total length ${header.totalLength} but only ${end - offset} bytes captured`,
      );
    }
  } else {
    payloadEnd = offset + header.totalLength; // bytes beyond are Ethernet padding/trailer
  }
  ctx.ipSrc = src;
  ctx.ipDst = dst;
  const l = layer('ip', title, offset, hl, fields, header);
  // Fragments carry a piece of the upper layer: show it as data, as tshark does.
  const fragment = (header.flags & 1) === 1 || header.fragmentOffset !== 0;
  if (fragment) return { layer: l, next: { start: offset + hl, end: payloadEnd, protocol: 'data' } };
  return {
    layer: l,
    next: {
      start: offset + hl,
      end: payloadEnd,
      dispatch: { table: 'ipProtocol', values: [header.protocol] },
    },
  };
}

export function encodeIpv4(h: Ipv4Header, w: ByteWriter, _opts?: EncodeOptions): void {
  w.u8(((h.version & 0xf) << 4) | (h.ihl & 0xf));
  w.u8(((h.dscp & 0x3f) << 2) | (h.ecn & 3));
  w.u16(h.totalLength);
  w.u16(h.identification);
  w.u16(((h.flags & 7) << 13) | (h.fragmentOffset & 0x1fff));
  w.u8(h.ttl).u8(h.protocol).u16(h.checksum);
  w.u32(ipv4ToNumber(h.src)).u32(ipv4ToNumber(h.dst));
  w.bytes(h.options);
  const pad = (4 - (h.options.length % 4)) % 4;
  w.zeros(pad); // options end on a 32-bit boundary (0 = End of Options List)
}

export const fixupIpv4: Fixup = (f, v, span, o) => {
  const hl = span.headerEnd - span.start;
  if (o.fixLengths) {
    f[span.start] = (f[span.start] & 0xf0) | ((hl >>> 2) & 0x0f);
    if (!o.quoted) v.setUint16(span.start + 2, span.end - span.start);
  }
  if (o.computeChecksums) {
    v.setUint16(span.start + 10, 0);
    v.setUint16(span.start + 10, internetChecksum(f, span.start, span.headerEnd));
  }
};
