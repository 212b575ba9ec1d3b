// pcapng (what Wireshark and dumpcap write by default), read in chunks like PcapReader:
// a file is blocks, each `type | total length | body | total length`, in the byte order its
// Section Header Block says. Packets come from Enhanced (6), Simple (3) and the obsolete
// Packet (2) blocks; Interface Description Blocks (1) give each interface's link type, snaplen
// and timestamp resolution. Other blocks (name resolution, statistics, ...) are skipped.
// Reading never throws: problems become issues with file offsets.
//
//  SHB: 0x0a0d0d0a | length | byte-order magic 0x1a2b3c4d | major 1 | minor 0 | section length (8) | options
//  IDB: 1 | length | linktype (2) | reserved (2) | snaplen | options (if_tsresol = 9)
//  EPB: 6 | length | interface | ts high | ts low | captured len | original len | data, padded to 4 | options
//  SPB: 3 | length | original len | data (captured: what the block holds, at most snaplen)
import type { PcapRecord } from './pcap.ts';
import type { DecodeIssue } from './types.ts';

export const PCAPNG_MAGIC = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Bigger than any block a capture holds (a 256 KiB packet and its options). */
const MAX_BLOCK = 16 * 1024 * 1024;

interface Interface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second. */
  unitsPerSecond: number;
}

const issue = (
  code: string,
  severity: DecodeIssue['severity'],
  start: number,
  length: number,
  message: string,
) => ({
  code,
  severity,
  start,
  length,
  message,
});

/** As PcapReader: push() chunks, end() at the end; each packet's `data` is valid only during its callback. */
export class PcapngReader {
  readonly issues: DecodeIssue[] = [];
  /** The first interface's link type. */
  linkType?: number;
  readable = true;
  /** Packets delivered so far. */
  count = 0;
  private blocks = 0;
  private buffer = new Uint8Array(0);
  private view = new DataView(this.buffer.buffer);
  private head = 0;
  private tail = 0;
  /** File offset of buffer[head]. */
  private offset = 0;
  private little = true;
  private sectionSeen = false;
  private interfaces: Interface[] = [];
  private readonly record: PcapRecord = { data: new Uint8Array(0), timestampMicros: 0, originalLength: 0 };

  push(chunk: Uint8Array, onRecord: (record: PcapRecord) => void): void {
    if (!this.readable) return;
    this.append(chunk);
    while (this.readable && this.tail - this.head >= 12) {
      const pos = this.head;
      const at = this.offset;
      const type = this.view.getUint32(pos, this.little);
      if (type === PCAPNG_MAGIC) {
        // A section header: its byte-order magic says how to read its own length.
        const magic = this.view.getUint32(pos + 8, true);
        if (magic === BYTE_ORDER_MAGIC) this.little = true;
        else if (magic === 0x4d3c2b1a) this.little = false;
        else {
          this.fail(
            'not-pcap',
            at + 8,
            4,
            `Not a pcapng file: byte-order magic 0x${hex8(this.view.getUint32(pos + 8, false))} at offset ${at + 8}`,
          );
          return;
        }
      } else if (!this.sectionSeen) {
        this.fail(
          'not-pcap',
          at,
          4,
          `Not a pcapng file: it starts with block type 0x${hex8(type)}, not a section header`,
        );
        return;
      }
      const total = this.view.getUint32(pos + 4, this.little);
      if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK) {
        this.fail(
          'bad-block',
          at + 4,
          4,
          `${this.where(at)}: block total length ${total} is impossible (a multiple of 4, at least 12)`,
        );
        return;
      }
      if (this.tail - pos < total) break;
      const trailer = this.view.getUint32(pos + total - 4, this.little);
      if (trailer !== total) {
        this.fail(
          'bad-block',
          at + total - 4,
          4,
          `${this.where(at)}: block total length ${total} at its start but ${trailer} at its end`,
        );
        return;
      }
      this.block(type, pos, total, at, onRecord);
      this.blocks++;
      this.head = pos + total;
      this.offset = at + total;
    }
  }

  end(): void {
    if (!this.readable) return;
    const left = this.tail - this.head;
    if (!this.sectionSeen && this.blocks === 0) {
      this.issues.push(
        issue('not-pcap', 'error', 0, left, `Not a pcapng file: ${left} bytes, no section header`),
      );
    } else if (left > 0 && left < 12) {
      this.issues.push(
        issue(
          'truncated',
          'error',
          this.offset,
          left,
          `${this.where(this.offset)}: the block header is cut short (${left} of 12 bytes)`,
        ),
      );
    } else if (left > 0) {
      const total = this.view.getUint32(this.head + 4, this.little);
      this.issues.push(
        issue(
          'truncated',
          'error',
          this.offset,
          left,
          `${this.where(this.offset)}: block total length ${total} but only ${left} bytes left in the file`,
        ),
      );
    }
    this.readable = false;
  }

  private block(
    type: number,
    pos: number,
    total: number,
    at: number,
    onRecord: (r: PcapRecord) => void,
  ): void {
    const v = this.view;
    const le = this.little;
    switch (type) {
      case PCAPNG_MAGIC: {
        this.sectionSeen = true;
        this.interfaces = []; // interface ids count from 0 again in each section
        const major = v.getUint16(pos + 12, le);
        if (major !== 1) {
          this.issues.push(
            issue(
              'unknown-version',
              'warning',
              at + 12,
              2,
              `${this.where(at)}: pcapng version ${major} is not 1; read as 1`,
            ),
          );
        }
        return;
      }
      case 1: {
        if (total < 20) {
          this.short(at, total, 'interface description', 20);
          return;
        }
        const linkType = v.getUint16(pos + 8, le);
        const iface: Interface = { linkType, snaplen: v.getUint32(pos + 12, le), unitsPerSecond: 1e6 };
        // Options: code (2) | length (2) | value padded to 4; if_tsresol (9) sets the units.
        let p = pos + 16;
        const optionsEnd = pos + total - 4;
        while (p + 4 <= optionsEnd) {
          const code = v.getUint16(p, le);
          const length = v.getUint16(p + 2, le);
          if (code === 0) break;
          if (code === 9 && length >= 1 && p + 5 <= optionsEnd) {
            const r = this.buffer[p + 4];
            iface.unitsPerSecond = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** (r & 0x7f);
          }
          p += 4 + ((length + 3) & ~3);
        }
        if (this.interfaces.length === 0 && this.linkType === undefined) this.linkType = linkType;
        this.interfaces.push(iface);
        if (linkType !== 1) {
          this.issues.push(
            issue(
              'unsupported-linktype',
              'warning',
              at + 8,
              2,
              `${this.where(at)}: link type ${linkType} is not Ethernet (1)`,
            ),
          );
        }
        return;
      }
      case 6:
      case 2: {
        if (total < 32) {
          this.short(at, total, type === 6 ? 'enhanced packet' : 'packet', 32);
          return;
        }
        // EPB: interface id (4); obsolete PB: interface id (2) + drops count (2).
        const id = type === 6 ? v.getUint32(pos + 8, le) : v.getUint16(pos + 8, le);
        const iface = this.interfaces[id];
        if (!iface) {
          this.issues.push(
            issue(
              'bad-block',
              'error',
              at + 8,
              4,
              `${this.where(at)}: interface ${id} has no interface description block before it; the packet is skipped`,
            ),
          );
          return;
        }
        const captured = v.getUint32(pos + 20, le);
        const original = v.getUint32(pos + 24, le);
        if (28 + captured > total - 4) {
          this.issues.push(
            issue(
              'bad-block',
              'error',
              at + 20,
              4,
              `${this.where(at)}: captured length ${captured} runs past the block (total length ${total}); the packet is skipped`,
            ),
          );
          return;
        }
        const units = v.getUint32(pos + 12, le) * 2 ** 32 + v.getUint32(pos + 16, le);
        this.deliver(
          pos + 28,
          captured,
          original,
          Math.floor((units * 1e6) / iface.unitsPerSecond),
          onRecord,
        );
        return;
      }
      case 3: {
        if (total < 16) {
          this.short(at, total, 'simple packet', 16);
          return;
        }
        const iface = this.interfaces[0];
        if (!iface) {
          this.issues.push(
            issue(
              'bad-block',
              'error',
              at,
              4,
              `${this.where(at)}: a simple packet block before any interface description block; skipped`,
            ),
          );
          return;
        }
        const original = v.getUint32(pos + 8, le);
        let captured = Math.min(original, total - 16);
        if (iface.snaplen > 0) captured = Math.min(captured, iface.snaplen);
        this.deliver(pos + 12, captured, original, 0, onRecord);
        return;
      }
      default:
        return; // name resolution, interface statistics, custom blocks: nothing to decode
    }
  }

  private deliver(
    start: number,
    captured: number,
    original: number,
    micros: number,
    onRecord: (r: PcapRecord) => void,
  ): void {
    const record = this.record;
    record.data = this.buffer.subarray(start, start + captured);
    record.originalLength = original;
    record.timestampMicros = micros;
    this.count++;
    onRecord(record);
  }

  private short(at: number, total: number, what: string, need: number): void {
    this.issues.push(
      issue(
        'bad-block',
        'error',
        at + 4,
        4,
        `${this.where(at)}: block total length ${total} is too short for a ${what} block (${need}); skipped`,
      ),
    );
  }

  private fail(code: string, start: number, length: number, message: string): void {
    this.issues.push(issue(code, 'error', start, length, message));
    this.readable = false;
  }

  /** "Block 7 at offset 1234", and for a packet block, which packet of the file it holds. */
  private where(at: number, type = this.typeAt(at)): string {
    const packet = type === 6 || type === 3 || type === 2 ? ` (packet ${this.count + 1})` : '';
    return `Block ${this.blocks + 1}${packet} at offset ${at}`;
  }

  /** The type of the block starting at file offset `at`, if its first 4 bytes are buffered. */
  private typeAt(at: number): number {
    const pos = this.head + (at - this.offset);
    return pos >= this.head && pos + 4 <= this.tail ? this.view.getUint32(pos, this.little) : -1;
  }

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
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
