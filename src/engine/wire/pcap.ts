// Classic libpcap files (not pcapng): a 24-byte global header, then per record a 16-byte
// header and the frame. We write little-endian, microseconds, LINKTYPE_ETHERNET (1); we read
// either byte order and nanosecond files too. Reading never throws: problems become issues.
//
//  global: magic 0xa1b2c3d4 | version 2.4 | thiszone | sigfigs | snaplen | linktype
//  record: ts_sec | ts_usec (or ts_nsec) | incl_len | orig_len | incl_len bytes
import type { DecodeIssue } from './types.ts';

export const LINKTYPE_ETHERNET = 1;
const MAGIC_MICROS = 0xa1b2c3d4;
const MAGIC_NANOS = 0xa1b23c4d;
const SNAPLEN = 262144;

export interface PcapRecord {
  data: Uint8Array;
  timestampMicros: number;
  /** Length of the frame on the wire (may exceed data.length if the capture was cut). */
  originalLength: number;
}

export interface PcapReadResult {
  records: PcapRecord[];
  issues: DecodeIssue[];
  linkType?: number;
}

function issue(
  code: string,
  severity: DecodeIssue['severity'],
  start: number,
  length: number,
  message: string,
) {
  return { code, severity, start, length, message };
}

export function readPcap(bytes: Uint8Array): PcapReadResult {
  const records: PcapRecord[] = [];
  const issues: DecodeIssue[] = [];
  if (bytes.length < 24) {
    issues.push(
      issue(
        'not-pcap',
        'error',
        0,
        bytes.length,
        `Not a pcap file: ${bytes.length} bytes, the header alone is 24`,
      ),
    );
    return { records, issues };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let little: boolean;
  let nanos: boolean;
  const le = view.getUint32(0, true);
  const be = view.getUint32(0, false);
  if (le === MAGIC_MICROS || le === MAGIC_NANOS) {
    little = true;
    nanos = le === MAGIC_NANOS;
  } else if (be === MAGIC_MICROS || be === MAGIC_NANOS) {
    little = false;
    nanos = be === MAGIC_NANOS;
  } else {
    const what = be === 0x0a0d0d0a ? ' (this is pcapng; save it as classic pcap)' : '';
    issues.push(
      issue('not-pcap', 'error', 0, 4, `Not a pcap file: magic 0x${be.toString(16).padStart(8, '0')}${what}`),
    );
    return { records, issues };
  }
  const linkType = view.getUint32(20, little);
  if (linkType !== LINKTYPE_ETHERNET) {
    issues.push(issue('unsupported-linktype', 'warning', 20, 4, `Link type ${linkType} is not Ethernet (1)`));
  }
  let pos = 24;
  while (pos < bytes.length) {
    if (pos + 16 > bytes.length) {
      issues.push(
        issue('truncated', 'error', pos, bytes.length - pos, `Record header at offset ${pos} is cut short`),
      );
      break;
    }
    const sec = view.getUint32(pos, little);
    const frac = view.getUint32(pos + 4, little);
    const included = view.getUint32(pos + 8, little);
    const original = view.getUint32(pos + 12, little);
    if (included > SNAPLEN * 4) {
      issues.push(
        issue('bad-record', 'error', pos + 8, 4, `Record at offset ${pos} claims ${included} bytes`),
      );
      break;
    }
    const start = pos + 16;
    const end = start + included;
    if (end > bytes.length) {
      issues.push(
        issue(
          'truncated',
          'error',
          start,
          bytes.length - start,
          `Record at offset ${pos} needs ${included} bytes, only ${bytes.length - start} left`,
        ),
      );
      break;
    }
    records.push({
      data: bytes.slice(start, end),
      timestampMicros: sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac),
      originalLength: original,
    });
    pos = end;
  }
  return { records, issues, linkType };
}

export function writePcap(records: { data: Uint8Array; timestampMicros?: number }[]): Uint8Array {
  let size = 24;
  for (const r of records) size += 16 + r.data.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_MICROS, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setInt32(8, 0, true);
  view.setUint32(12, 0, true);
  view.setUint32(16, SNAPLEN, true);
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  let pos = 24;
  for (const r of records) {
    const micros = Math.max(0, Math.floor(r.timestampMicros ?? 0));
    view.setUint32(pos, Math.floor(micros / 1e6), true);
    view.setUint32(pos + 4, micros % 1e6, true);
    view.setUint32(pos + 8, r.data.length, true);
    view.setUint32(pos + 12, r.data.length, true);
    out.set(r.data, pos + 16);
    pos += 16 + r.data.length;
  }
  return out;
}
