// A MUX's flow table: 5-tuple -> the DIP it chose for the flow's first packet. Later packets of
// the flow go to the same DIP whatever the probes say since (flow affinity). Open addressing over
// typed arrays: no objects, no strings per packet.

const EMPTY = -1;

export class AffinityTable {
  /** Four words per slot: source IP, destination IP, ports, protocol. */
  private keys: Int32Array;
  /** The DIP's stable number per slot, EMPTY when free. */
  private dips: Int32Array;
  size = 0;

  constructor(capacity = 64) {
    this.keys = new Int32Array(capacity * 4);
    this.dips = new Int32Array(capacity).fill(EMPTY);
  }

  private slot(src: number, dst: number, ports: number, proto: number): number {
    const mask = this.dips.length - 1;
    let h = Math.imul(src ^ Math.imul(dst, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(ports ^ proto, 0xc2b2ae35);
    h ^= h >>> 15;
    let i = h & mask;
    const k = this.keys;
    for (;;) {
      if (this.dips[i] === EMPTY) return i;
      const j = i * 4;
      if (k[j] === (src | 0) && k[j + 1] === (dst | 0) && k[j + 2] === (ports | 0) && k[j + 3] === proto)
        return i;
      i = (i + 1) & mask;
    }
  }

  /** The DIP number of the flow, or -1. */
  get(src: number, dst: number, ports: number, proto: number): number {
    return this.dips[this.slot(src, dst, ports, proto)];
  }

  set(src: number, dst: number, ports: number, proto: number, dip: number): void {
    if ((this.size + 1) * 2 > this.dips.length) this.grow();
    const i = this.slot(src, dst, ports, proto);
    if (this.dips[i] === EMPTY) this.size++;
    const j = i * 4;
    this.keys[j] = src | 0;
    this.keys[j + 1] = dst | 0;
    this.keys[j + 2] = ports | 0;
    this.keys[j + 3] = proto;
    this.dips[i] = dip;
  }

  clear(): void {
    this.dips.fill(EMPTY);
    this.size = 0;
  }

  /** Every flow: [src, dst, ports, proto, dip] (host tables). */
  entries(): [number, number, number, number, number][] {
    const out: [number, number, number, number, number][] = [];
    for (let i = 0; i < this.dips.length; i++)
      if (this.dips[i] !== EMPTY) {
        const j = i * 4;
        out.push([
          this.keys[j] >>> 0,
          this.keys[j + 1] >>> 0,
          this.keys[j + 2] >>> 0,
          this.keys[j + 3],
          this.dips[i],
        ]);
      }
    return out;
  }

  private grow(): void {
    const old = this.entries();
    this.keys = new Int32Array(this.keys.length * 2);
    this.dips = new Int32Array(this.dips.length * 2).fill(EMPTY);
    this.size = 0;
    for (const [s, d, p, pr, dip] of old) this.set(s, d, p, pr, dip);
  }
}
