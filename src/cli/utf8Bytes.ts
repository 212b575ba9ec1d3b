/**
 * A growable UTF-8 byte string written piece by piece: the decode CLI builds each frame's
 * output here instead of as a JS string, so there is no rope of a few hundred pieces to
 * flatten and encode per frame (that cost more than decoding it).
 */
export class Utf8Bytes {
  buffer: Buffer = Buffer.allocUnsafe(1 << 16);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  str(s: string): void {
    const n = s.length;
    if (this.length + 3 * n > this.buffer.length) this.grow(3 * n);
    const b = this.buffer;
    let p = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Rare (an ellipsis in a long value): let Buffer encode the rest.
        this.length = p + b.write(s.slice(i), p, 'utf8');
        return;
      }
      b[p++] = c;
    }
    this.length = p;
  }

  /** Bytes already encoded. */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.length + n > this.buffer.length) this.grow(n);
    this.buffer.set(bytes, this.length);
    this.length += n;
  }

  /** Bytes [start, end) of `source`, without a view object per call. */
  range(source: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.buffer.length) this.grow(n);
    source.copy(this.buffer, this.length, start, end);
    this.length += n;
  }

  byte(c: number): void {
    if (this.length + 1 > this.buffer.length) this.grow(1);
    this.buffer[this.length++] = c;
  }

  /** A non-negative integer in decimal. */
  int(v: number): void {
    if (v < 10 && v >= 0) {
      if (this.length + 1 > this.buffer.length) this.grow(1);
      this.buffer[this.length++] = 48 + v;
    } else this.str(String(v));
  }

  /** A copy of bytes [start, end) (the buffer is reused). */
  copy(start: number, end: number): Buffer {
    return Buffer.from(this.buffer.subarray(start, end)); // a copy: Buffer#slice would be a view
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

/** The UTF-8 of strings that repeat on every frame (labels, keys), encoded once. */
export class EncodedStrings {
  private readonly map = new Map<string, Uint8Array>();
  constructor(private readonly wrap: (s: string) => string) {}

  get(s: string): Uint8Array {
    let b = this.map.get(s);
    if (b === undefined) {
      b = Buffer.from(this.wrap(s), 'utf8');
      this.map.set(s, b);
    }
    return b;
  }
}
