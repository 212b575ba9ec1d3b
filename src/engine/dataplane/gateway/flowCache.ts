// The gateway's flow cache: the first packet of a tenant flow through a compartment walks its
// routes (and, for NAT, the mapping table); the decision is kept under the fields that walk read
// (compartment, protocol, inner source and destination, ports or ICMP identifier), so later
// packets of the flow take it from here, like the vSwitch's unified flow table. Columns in typed
// arrays with an open-addressing index: no strings, no allocation per packet. The edges are
// rebuilt on every document change, and the cache with them: a changed route is never served
// from an old entry.

/** Entries a gateway keeps at most (a flood of new flows must not grow it without bound). */
export const GATEWAY_FLOW_LIMIT = 1 << 16;

export class GatewayFlowTable {
  size = 0;
  private cap = 64;
  compartment = new Int16Array(this.cap);
  proto = new Uint8Array(this.cap);
  src = new Uint32Array(this.cap);
  dst = new Uint32Array(this.cap);
  srcPort = new Uint16Array(this.cap);
  dstPort = new Uint16Array(this.cap);
  /** The compartment's route (index into its routes, longest prefix first) the flow took. */
  route = new Int32Array(this.cap);
  /** NAT: the mapping row of the flow (-1 for other connections). */
  natRow = new Int32Array(this.cap);
  /** Packets served from the entry (the first, which built it, not counted). */
  hits = new Uint32Array(this.cap);
  /** Open addressing: slot -> row + 1 (0 empty). */
  private index = new Int32Array(this.cap * 2);

  private slot(c: number, proto: number, src: number, dst: number, sp: number, dp: number): number {
    let h = Math.imul(src ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(dst ^ 0x7f4a7c15, 0xc2b2ae35);
    h ^= Math.imul(((sp << 16) | dp) ^ (proto << 8) ^ c, 0x27d4eb2f);
    h ^= h >>> 15;
    return (h >>> 0) & (this.index.length - 1);
  }

  constructor(readonly limit = GATEWAY_FLOW_LIMIT) {}

  full(): boolean {
    return this.size >= this.limit;
  }

  /** The entry of this flow, or -1. */
  find(c: number, proto: number, src: number, dst: number, sp: number, dp: number): number {
    const mask = this.index.length - 1;
    for (let i = this.slot(c, proto, src, dst, sp, dp); ; i = (i + 1) & mask) {
      const r = this.index[i] - 1;
      if (r < 0) return -1;
      if (
        this.dst[r] === dst >>> 0 &&
        this.src[r] === src >>> 0 &&
        this.srcPort[r] === sp &&
        this.dstPort[r] === dp &&
        this.proto[r] === proto &&
        this.compartment[r] === c
      )
        return r;
    }
  }

  /** Keep a decision for a flow not in the table; returns its row. */
  insert(
    c: number,
    proto: number,
    src: number,
    dst: number,
    sp: number,
    dp: number,
    route: number,
    natRow: number,
  ): number {
    if (this.size === this.cap) this.grow();
    const r = this.size++;
    this.compartment[r] = c;
    this.proto[r] = proto;
    this.src[r] = src;
    this.dst[r] = dst;
    this.srcPort[r] = sp;
    this.dstPort[r] = dp;
    this.route[r] = route;
    this.natRow[r] = natRow;
    this.hits[r] = 0;
    this.place(r);
    return r;
  }

  /** Forget every entry (NAT mappings expired: the rows the entries name were renumbered). */
  clear(): void {
    this.size = 0;
    this.index.fill(0);
  }

  private place(r: number): void {
    const mask = this.index.length - 1;
    let i = this.slot(
      this.compartment[r],
      this.proto[r],
      this.src[r],
      this.dst[r],
      this.srcPort[r],
      this.dstPort[r],
    );
    while (this.index[i] !== 0) i = (i + 1) & mask;
    this.index[i] = r + 1;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const widen = <T extends Int16Array | Uint8Array | Uint16Array | Uint32Array | Int32Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.compartment = widen(this.compartment, (n) => new Int16Array(n));
    this.proto = widen(this.proto, (n) => new Uint8Array(n));
    this.src = widen(this.src, (n) => new Uint32Array(n));
    this.dst = widen(this.dst, (n) => new Uint32Array(n));
    this.srcPort = widen(this.srcPort, (n) => new Uint16Array(n));
    this.dstPort = widen(this.dstPort, (n) => new Uint16Array(n));
    this.route = widen(this.route, (n) => new Int32Array(n));
    this.natRow = widen(this.natRow, (n) => new Int32Array(n));
    this.hits = widen(this.hits, (n) => new Uint32Array(n));
    this.cap = cap;
    this.index = new Int32Array(cap * 2);
    for (let r = 0; r < this.size; r++) this.place(r);
  }
}
