// Classic libpcap files (not pcapng): a 24-byte global header, then per record a 16-byte
// header and the frame. We write little-endian, microseconds, LINKTYPE_ETHERNET (1); we read
// either byte order and nanosecond files too. Reading never throws: problems become issues.
// PcapReader takes the file in chunks of any size (the CLI streams it); readPcap is the
// whole-buffer convenience over it.
//
//  global: magic 0xa1b2c3d4 | version 2.4 | thiszone | sigfigs | snaplen | linktype
//  record: ts_sec | ts_usec (or ts_nsec) | incl_len | orig_len | incl_len bytes
import type { DecodeIssue } from './types.ts';

export const LINKTYPE_ETHERNET = 1;
const MAGIC_MICROS = 0xa1b2c3d4;
const MAGIC_NANOS = 0xa1b23c4d;
const SNAPLEN = 262144;
/** No record is believed larger than this, whatever snaplen says (libpcap's own ceiling is 256 KiB). */
const MAX_RECORD = SNAPLEN * 4;

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

/**
 * Incremental reader: push() chunks as they arrive, end() when the file is done. Each record
 * goes to the callback as it completes; its `data` is a view into the reader's buffer, valid
 * only until the callback returns (copy it to keep it). Issues carry file offsets.
 */
export class PcapReader {
  readonly issues: DecodeIssue[] = [];
  linkType?: number;
  snaplen = 0;
  /** False once the file cannot be read on (not a pcap, an impossible record): push() ignores the rest. */
  readable = true;
  /** Records delivered so far. */
  count = 0;
  private buffer = new Uint8Array(0);
  private view = new DataView(this.buffer.buffer);
  /** Unread bytes are buffer[head, tail); buffer[head] is at file offset `offset`. */
  private head = 0;
  private tail = 0;
  private offset = 0;
  private headerRead = false;
  private little = true;
  private nanos = false;
  private readonly record: PcapRecord = { data: new Uint8Array(0), timestampMicros: 0, originalLength: 0 };

  push(chunk: Uint8Array, onRecord: (record: PcapRecord) => void): void {
    if (!this.readable) return;
    this.append(chunk);
    if (!this.headerRead) {
      if (this.tail - this.head < 24) return;
      this.readHeader();
      if (!this.readable) return;
    }
    const { buffer, view, little } = this;
    const record = this.record;
    while (this.tail - this.head >= 16) {
      const pos = this.head;
      const included = view.getUint32(pos + 8, little);
      const original = view.getUint32(pos + 12, little);
      const at = this.offset;
      if (included > MAX_RECORD) {
        this.issues.push(
          issue(
            'bad-record',
            'error',
            at + 8,
            4,
            `${this.where(at)}: incl_len ${included} is impossibly large`,
          ),
        );
        this.readable = false;
        return;
      }
      if (this.tail - pos < 16 + included) break;
      if (this.snaplen > 0 && included > this.snaplen) {
        this.issues.push(
          issue(
            'incl-len-over-snaplen',
            'warning',
            at + 8,
            4,
            `${this.where(at)}: incl_len ${included} is more than the file's snaplen ${this.snaplen}`,
          ),
        );
      }
      if (included > original) {
        this.issues.push(
          issue(
            'incl-len-over-orig-len',
            'warning',
            at + 8,
            8,
            `${this.where(at)}: incl_len ${included} is more than orig_len ${original}: a capture cannot hold more than was on the wire`,
          ),
        );
      }
      const frac = view.getUint32(pos + 4, little);
      record.timestampMicros =
        view.getUint32(pos, little) * 1e6 + (this.nanos ? Math.floor(frac / 1000) : frac);
      record.originalLength = original;
      record.data = buffer.subarray(pos + 16, pos + 16 + included);
      this.head = pos + 16 + included;
      this.offset = at + 16 + included;
      this.count++;
      onRecord(record);
    }
  }

  /** The file is over: a record left incomplete is cut short. */
  end(): void {
    if (!this.readable) return;
    const left = this.tail - this.head;
    if (!this.headerRead) {
      this.issues.push(
        issue('not-pcap', 'error', 0, left, `Not a pcap file: ${left} bytes, the header alone is 24`),
      );
    } else if (left > 0 && left < 16) {
      this.issues.push(
        issue(
          'truncated',
          'error',
          this.offset,
          left,
          `${this.where(this.offset)}: the record header is cut short (${left} of 16 bytes)`,
        ),
      );
    } else if (left > 0) {
      const included = this.view.getUint32(this.head + 8, this.little);
      this.issues.push(
        issue(
          'truncated',
          'error',
          this.offset + 16,
          left - 16,
          `${this.where(this.offset)}: incl_len ${included} but only ${left - 16} bytes left in the file`,
        ),
      );
    }
    this.readable = false;
  }

  private where(at: number): string {
    return `Record ${this.count + 1} at offset ${at}`;
  }

  /** Keep the unread bytes and add the chunk, compacting or growing the buffer as needed. */
  private append(chunk: Uint8Array): void {
    const left = this.tail - this.head;
    if (this.tail + chunk.length > this.buffer.length) {
      if (left + chunk.length > this.buffer.length) {
        const grown = new Uint8Array(Math.max(left + chunk.length, this.buffer.length * 2, 64 * 1024));
        grown.set(this.buffer.subarray(this.head, this.tail));
        this.buffer = grown;
        this.view = new DataView(grown.buffer);
      } else this.buffer.copyWithin(0, this.head, this.tail);
      this.head = 0;
      this.tail = left;
    }
    this.buffer.set(chunk, this.tail);
    this.tail += chunk.length;
  }

  private readHeader(): void {
    this.headerRead = true;
    const { view } = this;
    const at = this.head;
    const le = view.getUint32(at, true);
    const be = view.getUint32(at, false);
    if (le === MAGIC_MICROS || le === MAGIC_NANOS) {
      this.little = true;
      this.nanos = le === MAGIC_NANOS;
    } else if (be === MAGIC_MICROS || be === MAGIC_NANOS) {
      this.little = false;
      this.nanos = be === MAGIC_NANOS;
    } else {
      const what = be === 0x0a0d0d0a ? ' (this is pcapng; save it as classic pcap)' : '';
      this.issues.push(
        issue(
          'not-pcap',
          'error',
          0,
          4,
          `Not a pcap file: magic 0x${be.toString(16).padStart(8, '0')}${what}`,
        ),
      );
      this.readable = false;
      return;
    }
    const major = view.getUint16(at + 4, this.little);
    const minor = view.getUint16(at + 6, this.little);
    if (major !== 2 || minor !== 4) {
      this.issues.push(
        issue(
          'unknown-version',
          'warning',
          4,
          4,
          `pcap header: version ${major}.${minor} is not 2.4, the only one libpcap writes; records are read as 2.4`,
        ),
      );
    }
    this.snaplen = view.getUint32(at + 16, this.little);
    const linkType = view.getUint32(at + 20, this.little);
    this.linkType = linkType;
    if (linkType !== LINKTYPE_ETHERNET) {
      this.issues.push(
        issue('unsupported-linktype', 'warning', 20, 4, `Link type ${linkType} is not Ethernet (1)`),
      );
    }
    this.head += 24;
    this.offset = 24;
  }
}

export function readPcap(bytes: Uint8Array): PcapReadResult {
  const records: PcapRecord[] = [];
  const reader = new PcapReader();
  reader.push(bytes, (r) => {
    records.push({
      data: r.data.slice(),
      timestampMicros: r.timestampMicros,
      originalLength: r.originalLength,
    });
  });
  reader.end();
  return { records, issues: reader.issues, linkType: reader.linkType };
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
