// The gateway's NAT table (NAPT, RFC 3022): a tenant flow (compartment, protocol, inside address,
// inside port or ICMP identifier) maps to one public port of the public IP; the answer to that
// port maps back. Columns in typed arrays, an open-addressing index for the outbound key and a
// direct index by public port for the inbound one: no strings, no allocation per packet.
// A mapping idle for its protocol's timeout on the lab's clock is removed when time passes.

const EMPTY = -1;
/** Protocols with their own port space: ICMP (identifiers), TCP, UDP. */
const PROTO_SLOT: Record<number, number> = { 1: 0, 6: 1, 17: 2 };

export function natProtocolSlot(proto: number): number {
  return PROTO_SLOT[proto] ?? -1;
}

/**
 * Seconds a mapping lives without a packet: the NAT behaviour RFCs' values. ICMP echo 60 s
 * (RFC 5508 REQ-1), UDP 300 s (RFC 4787 REQ-5's recommended 5 minutes), TCP 7440 s (RFC 5382
 * REQ-5: 2 hours 4 minutes for an established connection).
 */
export function natIdleTimeout(proto: number): number {
  return proto === 6 ? 7440 : proto === 17 ? 300 : 60;
}

export class NatTable {
  size = 0;
  private cap = 256;
  compartment = new Int16Array(this.cap);
  proto = new Uint8Array(this.cap);
  insideIp = new Uint32Array(this.cap);
  insidePort = new Uint16Array(this.cap);
  publicIp = new Uint32Array(this.cap);
  publicPort = new Uint16Array(this.cap);
  packets = new Uint32Array(this.cap);
  /** The lab clock (seconds) at the mapping's last packet, either way. */
  lastSeen = new Float64Array(this.cap);
  /** Open addressing over the outbound key: slot -> row + 1 (0 empty). */
  private index = new Int32Array(this.cap * 2);
  /** (protocol slot, public port) -> row, per public IP's port space (one per gateway here). */
  private byPublic = new Int32Array(3 * 65536).fill(EMPTY);
  /** Next port to try in each protocol's space. */
  private cursor = new Int32Array(3);

  private hash(c: number, proto: number, ip: number, port: number): number {
    let h = Math.imul(ip ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(port + 1, 0xc2b2ae35) ^ (proto << 24) ^ c;
    h ^= h >>> 15;
    return (h >>> 0) & (this.index.length - 1);
  }

  /** The row mapping this outbound flow, or -1. */
  findOut(c: number, proto: number, ip: number, port: number): number {
    const mask = this.index.length - 1;
    for (let i = this.hash(c, proto, ip, port); ; i = (i + 1) & mask) {
      const r = this.index[i] - 1;
      if (r < 0) return EMPTY;
      if (
        this.insidePort[r] === port &&
        this.insideIp[r] === ip >>> 0 &&
        this.proto[r] === proto &&
        this.compartment[r] === c
      )
        return r;
    }
  }

  /** The row an inbound packet to `port` maps back to, or -1. */
  findIn(proto: number, port: number): number {
    const slot = natProtocolSlot(proto);
    return slot < 0 ? EMPTY : this.byPublic[slot * 65536 + port];
  }

  /**
   * Map a new flow to a free public port in [first, last]. -1 when the range is exhausted (the
   * gateway drops the flow: RFC 3022's NAPT has nothing else to give it).
   */
  add(
    c: number,
    proto: number,
    ip: number,
    port: number,
    pubIp: number,
    first: number,
    last: number,
    now: number,
  ): number {
    const slot = natProtocolSlot(proto);
    if (slot < 0) return EMPTY;
    const span = last - first + 1;
    let p = this.cursor[slot] >= first && this.cursor[slot] <= last ? this.cursor[slot] : first;
    let tries = 0;
    while (this.byPublic[slot * 65536 + p] !== EMPTY) {
      if (++tries >= span) return EMPTY;
      p = p === last ? first : p + 1;
    }
    this.cursor[slot] = p === last ? first : p + 1;
    if (this.size * 2 >= this.cap) this.grow();
    const r = this.size++;
    this.compartment[r] = c;
    this.proto[r] = proto;
    this.insideIp[r] = ip;
    this.insidePort[r] = port;
    this.publicIp[r] = pubIp;
    this.publicPort[r] = p;
    this.packets[r] = 0;
    this.lastSeen[r] = now;
    this.byPublic[slot * 65536 + p] = r;
    this.place(r);
    return r;
  }

  /**
   * Remove the mappings idle for their timeout at `now` (their public ports are free again);
   * returns how many. The rows left are renumbered: whoever kept row numbers (the gateway's flow
   * cache) must forget them.
   */
  expire(now: number): number {
    let kept = 0;
    for (let r = 0; r < this.size; r++) {
      const at = natProtocolSlot(this.proto[r]) * 65536 + this.publicPort[r];
      if (now - this.lastSeen[r] >= natIdleTimeout(this.proto[r])) {
        this.byPublic[at] = EMPTY;
        continue;
      }
      if (kept !== r) {
        this.compartment[kept] = this.compartment[r];
        this.proto[kept] = this.proto[r];
        this.insideIp[kept] = this.insideIp[r];
        this.insidePort[kept] = this.insidePort[r];
        this.publicIp[kept] = this.publicIp[r];
        this.publicPort[kept] = this.publicPort[r];
        this.packets[kept] = this.packets[r];
        this.lastSeen[kept] = this.lastSeen[r];
        this.byPublic[at] = kept;
      }
      kept++;
    }
    const removed = this.size - kept;
    if (removed > 0) {
      this.size = kept;
      this.index.fill(0);
      for (let r = 0; r < kept; r++) this.place(r);
    }
    return removed;
  }

  /** A packet of the mapping `r`, either way, at `now`: counted, and its idle timer restarts. */
  touch(r: number, now: number): void {
    this.packets[r]++;
    this.lastSeen[r] = now;
  }

  private place(r: number): void {
    const mask = this.index.length - 1;
    let i = this.hash(this.compartment[r], this.proto[r], this.insideIp[r], this.insidePort[r]);
    while (this.index[i] !== 0) i = (i + 1) & mask;
    this.index[i] = r + 1;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const widen = <T extends Int16Array | Uint8Array | Uint16Array | Uint32Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ) => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.compartment = widen(this.compartment, (n) => new Int16Array(n));
    this.proto = widen(this.proto, (n) => new Uint8Array(n));
    this.insideIp = widen(this.insideIp, (n) => new Uint32Array(n));
    this.insidePort = widen(this.insidePort, (n) => new Uint16Array(n));
    this.publicIp = widen(this.publicIp, (n) => new Uint32Array(n));
    this.publicPort = widen(this.publicPort, (n) => new Uint16Array(n));
    this.packets = widen(this.packets, (n) => new Uint32Array(n));
    this.lastSeen = widen(this.lastSeen, (n) => new Float64Array(n));
    this.cap = cap;
    this.index = new Int32Array(cap * 2);
    for (let r = 0; r < this.size; r++) this.place(r);
  }
}
