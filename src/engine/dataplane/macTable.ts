// Devices on the physical network by MAC, looked up straight from a frame's bytes: no key
// strings, no allocation per packet. Buckets by the MAC's last three bytes (a small integer),
// then a byte compare: a datacenter's links hold hundreds of MACs, not millions.

import { macEq } from './packet';

export class MacTable<T> {
  private buckets = new Map<number, { mac: Uint8Array; value: T }[]>();

  private static bucketKey(b: Uint8Array, at: number): number {
    return (b[at + 3] << 16) | (b[at + 4] << 8) | b[at + 5];
  }

  /** The device whose MAC is the 6 bytes at `at`. */
  get(b: Uint8Array, at = 0): T | undefined {
    const bucket = this.buckets.get(MacTable.bucketKey(b, at));
    if (!bucket) return undefined;
    for (let i = 0; i < bucket.length; i++) {
      const m = bucket[i].mac;
      if (
        m[0] === b[at] &&
        m[1] === b[at + 1] &&
        m[2] === b[at + 2] &&
        m[3] === b[at + 3] &&
        m[4] === b[at + 4] &&
        m[5] === b[at + 5]
      )
        return bucket[i].value;
    }
    return undefined;
  }

  set(mac: Uint8Array, value: T): void {
    const key = MacTable.bucketKey(mac, 0);
    const bucket = (this.buckets.get(key) ?? []).filter((e) => !macEq(e.mac, mac));
    bucket.push({ mac: mac.slice(0, 6), value });
    this.buckets.set(key, bucket);
  }

  /** Forget a MAC, if it still belongs to `value`. */
  delete(mac: Uint8Array, value: T): void {
    const key = MacTable.bucketKey(mac, 0);
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    const rest = bucket.filter((e) => !(macEq(e.mac, mac) && e.value === value));
    if (rest.length) this.buckets.set(key, rest);
    else this.buckets.delete(key);
  }
}
