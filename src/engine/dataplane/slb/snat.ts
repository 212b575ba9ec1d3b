// The SLB host agent's outbound NAT table of one DIP (NAPT to the VIP, RFC 3022): a connection
// the DIP opens (protocol, its port, the remote address and port) maps to one port of the DIP's
// slice of the outbound NAT rule's range; the answer to VIP:that port maps back. Ports are given
// first free from the start of the slice (deterministic: the same connections in the same order
// get the same ports). Only a flow's first packet (the slow path) reads or writes the table; its
// flow entry caches the rewrite.

export interface SnatMapping {
  proto: number;
  dipPort: number;
  remoteIp: number;
  remotePort: number;
  vip: number;
  vipPort: number;
}

export class SnatTable {
  /** 'proto|dipPort|remoteIp|remotePort' -> mapping (the outbound key). */
  private out = new Map<string, SnatMapping>();
  /** proto * 65536 + vipPort -> mapping (the inbound key). */
  private byPort = new Map<number, SnatMapping>();

  get size(): number {
    return this.byPort.size;
  }

  findOut(proto: number, dipPort: number, remoteIp: number, remotePort: number): SnatMapping | null {
    return this.out.get(`${proto}|${dipPort}|${remoteIp >>> 0}|${remotePort}`) ?? null;
  }

  findIn(proto: number, vipPort: number): SnatMapping | null {
    return this.byPort.get(proto * 65536 + vipPort) ?? null;
  }

  /** Map a new connection to the first free port in [first, last]; null when the slice is used up. */
  add(
    proto: number,
    dipPort: number,
    remoteIp: number,
    remotePort: number,
    vip: number,
    first: number,
    last: number,
  ): SnatMapping | null {
    for (let p = first; p <= last; p++) {
      if (this.byPort.has(proto * 65536 + p)) continue;
      const m: SnatMapping = { proto, dipPort, remoteIp: remoteIp >>> 0, remotePort, vip, vipPort: p };
      this.out.set(`${proto}|${dipPort}|${remoteIp >>> 0}|${remotePort}`, m);
      this.byPort.set(proto * 65536 + p, m);
      return m;
    }
    return null;
  }

  /** Forget mappings whose port no longer lies in a slice the DIP holds (the rule changed). */
  keepOnly(inSlice: (proto: number, vip: number, port: number) => boolean): void {
    for (const [k, m] of this.out)
      if (!inSlice(m.proto, m.vip, m.vipPort)) {
        this.out.delete(k);
        this.byPort.delete(m.proto * 65536 + m.vipPort);
      }
  }

  clear(): void {
    this.out.clear();
    this.byPort.clear();
  }

  entries(): SnatMapping[] {
    return [...this.byPort.values()].sort((a, b) => a.proto - b.proto || a.vipPort - b.vipPort);
  }
}
