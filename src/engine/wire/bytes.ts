// Byte-level helpers shared by every protocol module: a growable big-endian writer and
// the hex conversions (addresses come from ../net). Pure ES2022: no Buffer, no TextEncoder needed.

/** Growable byte buffer with big-endian (network order) writes. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  position = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    const need = this.position + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.position));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.position++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.position, v & 0xffff);
    this.position += 2;
    return this;
  }

  u24(v: number): this {
    this.ensure(3);
    this.buf[this.position] = (v >>> 16) & 0xff;
    this.buf[this.position + 1] = (v >>> 8) & 0xff;
    this.buf[this.position + 2] = v & 0xff;
    this.position += 3;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.position, v >>> 0);
    this.position += 4;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.position);
    this.position += b.length;
    return this;
  }

  /** Write `count` zero bytes (padding). */
  zeros(count: number): this {
    this.ensure(count);
    this.buf.fill(0, this.position, this.position + count);
    this.position += count;
    return this;
  }

  /** The bytes written so far, as an exactly-sized copy (safe to transfer to/from a worker). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.position);
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Hex of two bytes, filled as pairs are seen. */
const HEX4: (string | undefined)[] = new Array(65536);

/** Lower-case hex of a byte range, no separators (how tshark -T fields prints FT_BYTES). */
export function hex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  let i = start;
  // Two bytes a step: half the concatenations (a payload's hex is built on every frame).
  for (; i + 1 < end; i += 2) {
    const pair = (bytes[i] << 8) | bytes[i + 1];
    let h = HEX4[pair];
    if (h === undefined) {
      h = HEX[bytes[i]] + HEX[bytes[i + 1]];
      HEX4[pair] = h;
    }
    s += h;
  }
  if (i < end) s += HEX[bytes[i]];
  return s;
}

/** Hex string (separators ':', '-', ' ' allowed) to bytes; invalid digits become 0. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s:-]/g, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16) || 0;
  return out;
}

// Address parse/format lives in the network-arithmetic leaf; the codec re-exports it.
export {
  formatIpv4 as numberToIpv4,
  formatMac,
  formatMac as bytesToMac,
  ipv4ToNumber,
  macToBytes,
  parseMac,
} from '../net/index.ts';
