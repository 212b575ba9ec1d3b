// Devices on the physical network by MAC, looked up straight from a frame's bytes: no key
// strings, no allocation per packet. The entries live in a list (changed only when hosts or
// routers are rebuilt); lookups go through an open-addressed index over typed arrays, rebuilt
// after a change: the MAC as two integers (its first two bytes, its last four), linear probing.

import { macEq } from './packet';

const hi16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const lo32 = (b: Uint8Array, at: number) =>
  (b[at + 2] << 24) | (b[at + 3] << 16) | (b[at + 4] << 8) | b[at + 5];

export class MacTable<T> {
  private entries: { mac: Uint8Array; value: T }[] = [];
  /** Index slots: the MAC's first two bytes + 1 (0 = empty), its last four, the entry's value. */
  private slotHi = new Int32Array(0);
  private slotLo = new Int32Array(0);
  private slotValue: (T | undefined)[] = [];
  private mask = -1;
  private stale = false;

  /** The device whose MAC is the 6 bytes at `at`. */
  get(b: Uint8Array, at = 0): T | undefined {
    if (this.stale) this.reindex();
    const mask = this.mask;
    if (mask < 0) return undefined;
    const hi = hi16(b, at) + 1;
    const lo = lo32(b, at);
    for (let i = Math.imul(lo ^ (hi << 16), 0x9e3779b1) & mask; ; i = (i + 1) & mask) {
      const h = this.slotHi[i];
      if (h === 0) return undefined;
      if (h === hi && this.slotLo[i] === lo) return this.slotValue[i];
    }
  }

  set(mac: Uint8Array, value: T): void {
    this.entries = this.entries.filter((e) => !macEq(e.mac, mac));
    this.entries.push({ mac: mac.slice(0, 6), value });
    this.stale = true;
  }

  /** Forget a MAC, if it still belongs to `value`. */
  delete(mac: Uint8Array, value: T): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !(macEq(e.mac, mac) && e.value === value));
    if (this.entries.length !== before) this.stale = true;
  }

  private reindex(): void {
    this.stale = false;
    const n = this.entries.length;
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
    for (const { mac, value } of this.entries) {
      const hi = hi16(mac, 0) + 1;
      const lo = lo32(mac, 0);
      let i = Math.imul(lo ^ (hi << 16), 0x9e3779b1) & this.mask;
      while (this.slotHi[i] !== 0) i = (i + 1) & this.mask;
      this.slotHi[i] = hi;
      this.slotLo[i] = lo;
      this.slotValue[i] = value;
    }
  }
}
