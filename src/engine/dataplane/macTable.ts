// Devices on the physical network by MAC, looked up straight from a frame's bytes: no key
// strings, no allocation per packet. The entries live in a Map by the MAC as a 48-bit number
// (changed only when hosts or routers are rebuilt); lookups go through an open-addressed index over typed arrays, rebuilt
// after a change: the MAC as two integers (its first two bytes, its last four), linear probing.

const hi16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const lo32 = (b: Uint8Array, at: number) =>
  (b[at + 2] << 24) | (b[at + 3] << 16) | (b[at + 4] << 8) | b[at + 5];

/** The MAC as one exact number: its first two bytes times 2^32 plus its last four. */
const mac48 = (mac: Uint8Array) => hi16(mac, 0) * 2 ** 32 + (lo32(mac, 0) >>> 0);

export class MacTable<T> {
  private entries = new Map<number, T>();
  /** Index slots: the MAC's first two bytes + 1 (0 = empty), its last four, the entry's value. */
  private slotHi = new Int32Array(0);
  private slotLo = new Int32Array(0);
  private slotValue: (T | undefined)[] = [];
  private mask = -1;
  private stale = false;
  /**
   * The last MAC found and its value, and the last MAC not found: a link sees the same few MACs
   * frame after frame, and the fabric asks its router table first (-1: none).
   */
  private lastHi = -1;
  private lastLo = 0;
  private lastValue: T | undefined = undefined;
  private missHi = -1;
  private missLo = 0;

  /** The device whose MAC is the 6 bytes at `at`. */
  get(b: Uint8Array, at = 0): T | undefined {
    return this.getWords(hi16(b, at), lo32(b, at));
  }

  /** The device whose MAC's first two bytes are `hi` (0..65535) and last four `lo` (as an int32). */
  getWords(hi: number, lo: number): T | undefined {
    if (hi === this.lastHi && lo === this.lastLo) return this.lastValue;
    if (hi === this.missHi && lo === this.missLo) return undefined;
    return this.find(hi, lo);
  }

  /** The probe behind `getWords`' memory (kept apart so that the memory's check inlines where it is used). */
  private find(hi: number, lo: number): T | undefined {
    if (this.stale === true) this.reindex();
    const mask = this.mask;
    if (mask < 0) return undefined;
    const h1 = hi + 1;
    for (let i = Math.imul(lo ^ (h1 << 16), 0x9e3779b1) & mask; ; i = (i + 1) & mask) {
      const h = this.slotHi[i];
      if (h === 0) {
        this.missHi = hi;
        this.missLo = lo;
        return undefined;
      }
      if (h === h1 && this.slotLo[i] === lo) {
        this.lastHi = hi;
        this.lastLo = lo;
        this.lastValue = this.slotValue[i];
        return this.lastValue;
      }
    }
  }

  set(mac: Uint8Array, value: T): void {
    this.entries.set(mac48(mac), value);
    this.changed();
  }

  /** Forget a MAC, if it still belongs to `value`. */
  delete(mac: Uint8Array, value: T): void {
    const key = mac48(mac);
    if (this.entries.get(key) !== value) return;
    this.entries.delete(key);
    this.changed();
  }

  /** After a change: the index is rebuilt on the next lookup, and the memory of the last hit and miss is gone. */
  private changed(): void {
    this.stale = true;
    this.lastHi = -1;
    this.lastValue = undefined;
    this.missHi = -1;
  }

  private reindex(): void {
    this.stale = false;
    const n = this.entries.size;
    if (n === 0) {
      this.mask = -1;
      return;
    }
    let size = 8;
    while (size < n * 2) size *= 2; // at most half full: short probes
    this.mask = size - 1;
    this.slotHi = new Int32Array(size);
    this.slotLo = new Int32Array(size);
    this.slotValue = new Array(size).fill(undefined);
    for (const [key, value] of this.entries) {
      const hi = Math.floor(key / 2 ** 32) + 1;
      const lo = (key % 2 ** 32) | 0;
      let i = Math.imul(lo ^ (hi << 16), 0x9e3779b1) & this.mask;
      while (this.slotHi[i] !== 0) i = (i + 1) & this.mask;
      this.slotHi[i] = hi;
      this.slotLo[i] = lo;
      this.slotValue[i] = value;
    }
  }
}
