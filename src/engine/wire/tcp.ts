// TCP (RFC 9293) with the common options: MSS (2), window scale (3, RFC 7323),
// SACK-permitted (4, RFC 2018), timestamps (8, RFC 7323), NOP (1), EOL (0).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |          Source Port          |       Destination Port        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                        Sequence Number                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Acknowledgment Number                      |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Data |     |A|C|E|U|A|P|R|S|F|                               |
//  | Offset| Rsv |E|W|C|R|C|S|S|Y|I|            Window             |
//  |       |     | |R|E|G|K|H|T|N|N|                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |           Checksum            |         Urgent Pointer        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Options                    |    Padding    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { ByteWriter } from './bytes.ts';
import { hex } from './bytes.ts';
import { internetChecksum, onesComplementSum, pseudoHeaderSum } from './checksum.ts';
import type { DecodeContext, Fixup, LayerResult } from './fields.ts';
import { addIssue, checksumIssue, createContext, layer, makeNode, readFields, readUint } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, TcpHeader, TcpOption } from './types.ts';

const flag = (key: string, label: string, mask: number): FieldSpec => ({
  key,
  label,
  offset: 12,
  length: 2,
  mask,
  format: 'bool',
  parent: 'tcp.flags',
});

export const tcpFields: FieldSpec[] = [
  { key: 'tcp.srcport', label: 'Source port', offset: 0, length: 2, format: 'dec' },
  { key: 'tcp.dstport', label: 'Destination port', offset: 2, length: 2, format: 'dec' },
  { key: 'tcp.seq_raw', label: 'Sequence number (raw)', offset: 4, length: 4, format: 'dec' },
  { key: 'tcp.ack_raw', label: 'Acknowledgment number (raw)', offset: 8, length: 4, format: 'dec' },
  {
    key: 'tcp.hdr_len',
    label: 'Header length',
    offset: 12,
    length: 1,
    mask: 0xf0,
    scale: 4,
    format: 'dec',
    meaning: 'Data offset x 4 bytes',
  },
  { key: 'tcp.flags', label: 'Flags', offset: 12, length: 2, mask: 0x0fff, format: 'hex' },
  flag('tcp.flags.res', 'Reserved', 0x0e00),
  flag('tcp.flags.ae', 'Accurate ECN', 0x0100),
  flag('tcp.flags.cwr', 'Congestion window reduced', 0x0080),
  flag('tcp.flags.ece', 'ECN-Echo', 0x0040),
  flag('tcp.flags.urg', 'Urgent', 0x0020),
  flag('tcp.flags.ack', 'Acknowledgment', 0x0010),
  flag('tcp.flags.push', 'Push', 0x0008),
  flag('tcp.flags.reset', 'Reset', 0x0004),
  flag('tcp.flags.syn', 'Syn', 0x0002),
  flag('tcp.flags.fin', 'Fin', 0x0001),
  { key: 'tcp.window_size_value', label: 'Window', offset: 14, length: 2, format: 'dec' },
  { key: 'tcp.checksum', label: 'Checksum', offset: 16, length: 2, format: 'hex' },
  { key: 'tcp.urgent_pointer', label: 'Urgent pointer', offset: 18, length: 2, format: 'dec' },
];

const OPTION_KEYS: Readonly<Record<number, [string, string, number]>> = {
  // kind: [key, label, length]
  0: ['tcp.options.eol', 'End of Option List', 1],
  1: ['tcp.options.nop', 'No-Operation', 1],
  2: ['tcp.options.mss', 'Maximum segment size', 4],
  3: ['tcp.options.wscale', 'Window scale', 3],
  4: ['tcp.options.sack_perm', 'SACK permitted', 2],
  8: ['tcp.options.timestamp', 'Timestamps', 10],
};

const FLAG_NAMES: [number, string][] = [
  [0x100, 'AE'],
  [0x080, 'CWR'],
  [0x040, 'ECE'],
  [0x020, 'URG'],
  [0x010, 'ACK'],
  [0x008, 'PSH'],
  [0x004, 'RST'],
  [0x002, 'SYN'],
  [0x001, 'FIN'],
];

/** 'SYN, ACK' as Wireshark summarises the flags. */
export function tcpFlagNames(flags: number): string {
  const set = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
  return set.length ? set.join(', ') : 'none';
}

function dec(key: string, label: string, start: number, length: number, v: number): FieldNode {
  return makeNode(key, label, start, length, v, String(v));
}

/** One option node (tshark's layout: the option's bytes, then kind, length and values under it). */
function optionNode(bytes: Uint8Array, pos: number, kind: number, len: number): [FieldNode, TcpOption] {
  const known = OPTION_KEYS[kind];
  const node = makeNode(
    known?.[0] ?? 'tcp.options.unknown',
    known?.[1] ?? `Unknown option ${kind}`,
    pos,
    len,
    hex(bytes, pos, pos + len),
    hex(bytes, pos, pos + len),
  );
  const kids: FieldNode[] = [dec('tcp.option_kind', 'Kind', pos, 1, kind)];
  if (kind > 1) kids.push(dec('tcp.option_len', 'Length', pos + 1, 1, len));
  let option: TcpOption;
  if (kind === 0) option = { kind: 'eol' };
  else if (kind === 1) option = { kind: 'nop' };
  else if (kind === 2 && len === 4) {
    const value = readUint(bytes, pos + 2, 2);
    kids.push(dec('tcp.options.mss_val', 'MSS value', pos + 2, 2, value));
    option = { kind: 'mss', value };
  } else if (kind === 3 && len === 3) {
    const shift = bytes[pos + 2];
    kids.push(dec('tcp.options.wscale.shift', 'Shift count', pos + 2, 1, shift));
    kids.push(dec('tcp.options.wscale.multiplier', 'Multiplier', pos + 2, 1, 2 ** Math.min(shift, 14)));
    option = { kind: 'wscale', shift };
  } else if (kind === 4 && len === 2) option = { kind: 'sack-perm' };
  else if (kind === 8 && len === 10) {
    const value = readUint(bytes, pos + 2, 4);
    const echo = readUint(bytes, pos + 6, 4);
    kids.push(dec('tcp.options.timestamp.tsval', 'Timestamp value', pos + 2, 4, value));
    kids.push(dec('tcp.options.timestamp.tsecr', 'Timestamp echo reply', pos + 6, 4, echo));
    option = { kind: 'timestamp', value, echo };
  } else {
    if (len > 2) {
      const p = hex(bytes, pos + 2, pos + len);
      kids.push(makeNode('tcp.options.unknown.payload', 'Payload', pos + 2, len - 2, p, p));
    }
    option = { kind: 'unknown', type: kind, data: bytes.slice(pos + 2, pos + len) };
  }
  node.children = kids;
  return [node, option];
}

function decodeOptions(
  bytes: Uint8Array,
  start: number,
  end: number,
  ctx: DecodeContext,
  out: TcpOption[],
): FieldNode {
  const all = hex(bytes, start, end);
  const container = makeNode('tcp.options', 'Options', start, end - start, all, `${end - start} bytes`);
  const kids: FieldNode[] = [];
  let pos = start;
  while (pos < end) {
    const kind = bytes[pos];
    let len = 1;
    if (kind > 1) {
      len = pos + 1 < end ? bytes[pos + 1] : 0;
      if (len < 2 || pos + len > end) {
        addIssue(ctx, 'bad-option', 'error', pos, end - pos, `TCP option ${kind} has invalid length ${len}`);
        break;
      }
    }
    const [node, option] = optionNode(bytes, pos, kind, len);
    kids.push(node);
    out.push(option);
    pos += len;
    if (kind === 0) break; // End of list: the rest is padding
  }
  container.children = kids;
  return container;
}

export function tcpChecksum(bytes: Uint8Array, start: number, end: number, src: number, dst: number): number {
  const pseudo = pseudoHeaderSum(src, dst, 6, end - start);
  return internetChecksum(bytes, start + 18, end, onesComplementSum(bytes, start, start + 16, pseudo));
}

export function decodeTcp(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const header: TcpHeader = {
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    dataOffset: 0,
    flags: 0,
    window: 0,
    checksum: 0,
    urgentPointer: 0,
    options: [],
  };
  const title = 'Transmission Control Protocol';
  const v = ctx.view;
  const ok = readFields(bytes, tcpFields, offset, end, ctx, fields, 'TCP');
  // A quoted segment (ICMP error) has only its first 8 bytes: keep the ports and sequence.
  if (offset + 8 <= end) {
    header.srcPort = v.getUint16(offset);
    header.dstPort = v.getUint16(offset + 2);
    header.seq = v.getUint32(offset + 4);
  }
  if (!ok) return { layer: layer('tcp', title, offset, end - offset, fields, header) };
  header.ack = v.getUint32(offset + 8);
  header.dataOffset = bytes[offset + 12] >>> 4;
  header.flags = v.getUint16(offset + 12) & 0x0fff;
  header.window = v.getUint16(offset + 14);
  header.checksum = v.getUint16(offset + 16);
  header.urgentPointer = v.getUint16(offset + 18);
  const flagsNode = fields.find((n) => n.key === 'tcp.flags');
  if (flagsNode) flagsNode.display = `${flagsNode.value} (${tcpFlagNames(header.flags)})`;
  const hl = header.dataOffset * 4;
  if (header.dataOffset < 5) {
    addIssue(
      ctx,
      'bad-header-length',
      'error',
      offset + 12,
      1,
      `TCP data offset ${header.dataOffset} is below the minimum 5`,
    );
    return { layer: layer('tcp', title, offset, 20, fields, header) };
  }
  if (offset + hl > end) {
    addIssue(
      ctx,
      'truncated',
      ctx.quoted ? 'info' : 'error',
      offset + 20,
      end - offset - 20,
      `TCP options: header length ${hl} but only ${end - offset} bytes available`,
    );
    return { layer: layer('tcp', title, offset, end - offset, fields, header) };
  }
  if (hl > 20) fields.push(decodeOptions(bytes, offset + 20, offset + hl, ctx, header.options));
  if (!ctx.quoted && !ctx.payloadCut) {
    const expected = tcpChecksum(bytes, offset, end, ctx.ipSrc, ctx.ipDst);
    if (expected !== header.checksum) checksumIssue(ctx, 'TCP', offset + 16, header.checksum, expected);
  }
  const l = layer('tcp', title, offset, hl, fields, header);
  if (offset + hl >= end) return { layer: l };
  return { layer: l, next: { start: offset + hl, end, protocol: 'data' } };
}

function encodeOption(o: TcpOption, w: ByteWriter): void {
  switch (o.kind) {
    case 'eol':
      w.u8(0);
      break;
    case 'nop':
      w.u8(1);
      break;
    case 'mss':
      w.u8(2).u8(4).u16(o.value);
      break;
    case 'wscale':
      w.u8(3).u8(3).u8(o.shift);
      break;
    case 'sack-perm':
      w.u8(4).u8(2);
      break;
    case 'timestamp':
      w.u8(8).u8(10).u32(o.value).u32(o.echo);
      break;
    case 'unknown':
      w.u8(o.type)
        .u8(o.data.length + 2)
        .bytes(o.data);
      break;
  }
}

export function encodeTcp(h: TcpHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  w.u16(h.srcPort).u16(h.dstPort).u32(h.seq).u32(h.ack);
  w.u16(((h.dataOffset & 0xf) << 12) | (h.flags & 0x0fff));
  w.u16(h.window).u16(h.checksum).u16(h.urgentPointer);
  const before = w.position;
  for (const o of h.options) encodeOption(o, w);
  w.zeros((4 - ((w.position - before) % 4)) % 4); // pad with EOL bytes to a 32-bit boundary
}

export const fixupTcp: Fixup = (f, v, span, o) => {
  if (o.quoted) return;
  if (o.fixLengths)
    f[span.start + 12] = (f[span.start + 12] & 0x0f) | (((span.headerEnd - span.start) >>> 2) << 4);
  if (o.computeChecksums)
    v.setUint16(span.start + 16, tcpChecksum(f, span.start, span.end, o.ipSrc, o.ipDst));
};
