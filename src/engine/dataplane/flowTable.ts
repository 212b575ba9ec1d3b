// The unified flow table (UFT) of one port: an open-addressing hash table over a Int32Array.
// The fast path computes a key into a preallocated Int32Array and probes: no strings, no objects.

import { u32ToIp } from '../controller/addr';
import type { Action } from '../controller/types';
import type { Parsed } from './packet';

/** Words per flow key: see `extractKey`. */
export const KEY_WORDS = 8;

/** What a cached flow does to later packets; built once by the slow path. */
export const FlowOp = {
  Drop: 1,
  /** Deliver to a port on this host (maybe after a distributed-router rewrite). */
  Local: 2,
  /** Prepend the encap template, patch lengths/id/checksum, send on the uplink. */
  Encap: 3,
  /** Strip the outer headers, deliver to a port. */
  Decap: 4,
  /** Not encapsulated: put `template` (the PA next hop's Ethernet header) in front of the IP packet, TTL-1, send on the uplink. */
  Native: 5,
} as const;
export type FlowOp = (typeof FlowOp)[keyof typeof FlowOp];

/** What a cached flow was built from: when one of these changes, the entry goes. */
export type FlowDep =
  | { kind: 'record'; vsid: number; ca: string }
  | { kind: 'port'; portId: string }
  | { kind: 'route'; routingDomainId: string }
  /** The stateful firewall's state of one flow at a port (`flowKeyOf`): its commit or expiry. */
  | { kind: 'conn'; portId: string; flow: string };

/** A set of flow dependencies (what an update changed), by kind. */
export class FlowDeps {
  private records = new Set<string>();
  private ports = new Set<string>();
  private routes = new Set<string>();
  private conns = new Set<string>();

  constructor(deps: Iterable<FlowDep> = []) {
    for (const d of deps) this.add(d);
  }

  add(d: FlowDep): this {
    if (d.kind === 'record') this.records.add(`${d.vsid}/${d.ca}`);
    else if (d.kind === 'port') this.ports.add(d.portId);
    else if (d.kind === 'route') this.routes.add(d.routingDomainId);
    else this.conns.add(`${d.portId}#${d.flow}`);
    return this;
  }

  has(d: FlowDep): boolean {
    if (d.kind === 'record') return this.records.has(`${d.vsid}/${d.ca}`);
    if (d.kind === 'port') return this.ports.has(d.portId);
    if (d.kind === 'route') return this.routes.has(d.routingDomainId);
    return this.conns.has(`${d.portId}#${d.flow}`);
  }

  get size(): number {
    return this.records.size + this.ports.size + this.routes.size + this.conns.size;
  }

  /** These dependencies without those in `other`. */
  without(other: FlowDeps): FlowDeps {
    const out = new FlowDeps();
    for (const r of this.records) if (!other.records.has(r)) out.records.add(r);
    for (const p of this.ports) if (!other.ports.has(p)) out.ports.add(p);
    for (const r of this.routes) if (!other.routes.has(r)) out.routes.add(r);
    for (const c of this.conns) if (!other.conns.has(c)) out.conns.add(c);
    return out;
  }
}

/** A per-packet rewrite a cached flow applies (an action such as set-field), at the frame start. */
export interface PacketRewrite {
  apply(b: Uint8Array, at: number): void;
}

export interface FlowEntry<T = unknown> {
  op: FlowOp;
  /** The port a Local/Decap entry delivers to (an object reference: stable across host rebuilds). */
  outPort: T | null;
  /** Distributed router rewrite: new inner MACs + TTL-1. */
  rewrite: boolean;
  newSrcMac: Uint8Array;
  newDstMac: Uint8Array;
  /** Encap: the outer headers, built for this flow (MACs, VLAN, PAs, VNI, source port). */
  template: Uint8Array;
  /** The forwarder's reading of the template's headers at offset 0 (made on the first packet). */
  outer: Parsed | null;
  /** Offset of the outer IPv4 header in the template; of the UDP header (-1 for NVGRE). */
  ipOff: number;
  udpOff: number;
  /** Outer IP id base and the one's-complement sum of the template's IP header without length/id/checksum. */
  ipIdBase: number;
  ipPartialSum: number;
  /** Largest inner frame that fits the PA MTU (encap) or the vNIC MTU. */
  maxLength: number;
  /** Rewrites applied to every packet of the flow before its op (none on most flows). */
  rewrites: PacketRewrite[];
  /** The actions the slow path resolved (host tables and traces list them), what it was built from. */
  actions: Action[];
  deps: FlowDep[];
  dropAt: string;
  dropReason: string;
  /** Packets handled by this entry on the fast path. */
  hits: number;
}

const EMPTY = new Uint8Array(0);
export function newEntry<T>(op: FlowOp): FlowEntry<T> {
  return {
    op,
    outPort: null,
    rewrite: false,
    newSrcMac: EMPTY,
    newDstMac: EMPTY,
    template: EMPTY,
    outer: null,
    ipOff: 0,
    udpOff: -1,
    ipIdBase: 0,
    ipPartialSum: 0,
    maxLength: 65535,
    rewrites: [],
    actions: [],
    deps: [],
    dropAt: '',
    dropReason: '',
    hits: 0,
  };
}

/**
 * Read a frame's flow key into `key` (no allocation). Key: [ethertype<<16|proto, src ip, dst ip,
 * src port<<16|dst port, dst MAC hi16<<16|src MAC hi16, dst MAC lo32, src MAC lo32, VSID].
 * Reads through a DataView over the frame's buffer: one big-endian load per word instead of four
 * byte loads (V8 compiles DataView reads to a load and a byte swap).
 */
export function extractKey(v: DataView, at: number, vsid: number, key: Int32Array): void {
  const type = v.getUint16(at + 12);
  let proto = 0;
  let src = 0;
  let dst = 0;
  let ports = 0;
  if (type === 0x0800) {
    const l3 = at + 14;
    proto = v.getUint8(l3 + 9);
    src = v.getInt32(l3 + 12);
    dst = v.getInt32(l3 + 16);
    const l4 = l3 + (v.getUint8(l3) & 15) * 4;
    // ICMP: type and id (echo request and reply differ by type); TCP/UDP: both ports.
    if (proto === 1) ports = (v.getUint8(l4) << 24) | v.getUint16(l4 + 4);
    else ports = v.getInt32(l4);
  }
  key[0] = (type << 16) | proto;
  key[1] = src;
  key[2] = dst;
  key[3] = ports;
  key[4] = (v.getUint16(at) << 16) | v.getUint16(at + 6);
  key[5] = v.getInt32(at + 2);
  key[6] = v.getInt32(at + 8);
  key[7] = vsid;
}

/** A DataView over exactly the bytes of `b` (offsets into the view are offsets into `b`). */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function keyToString(key: Int32Array): string {
  const type = key[0] >>> 16;
  const proto = key[0] & 0xffff;
  const l4 =
    proto === 1
      ? `icmp type ${key[3] >>> 24} id ${key[3] & 0xffff}`
      : proto === 6 || proto === 17
        ? `${proto === 6 ? 'tcp' : 'udp'} ${key[3] >>> 16} -> ${key[3] & 0xffff}`
        : `proto ${proto}`;
  const what =
    type === 0x0800
      ? `${u32ToIp(key[1] >>> 0)} -> ${u32ToIp(key[2] >>> 0)} ${l4}`
      : `ethertype 0x${type.toString(16)}`;
  return `vsid ${key[7]} ${what}`;
}

/**
 * A flow key's 8 words hashed for the table's slot: each word times its own odd constant, the
 * products combined, then mixed so the high bits reach the low bits the slot takes. The five
 * multiplies do not wait on each other (FNV's eight did, one after another: the fast path runs
 * this per packet, and that chain was its longest wait). The MAC words go in as one: flows that
 * differ only by MAC are rare, and the probe compares every word anyway.
 */
function hashWords(
  k0: number,
  k1: number,
  k2: number,
  k3: number,
  k4: number,
  k5: number,
  k6: number,
  k7: number,
): number {
  let h =
    (Math.imul(k0 ^ k7, 0x9e3779b1) ^ Math.imul(k1, 0x85ebca77)) +
    (Math.imul(k2, 0xc2b2ae3d) ^ Math.imul(k3, 0x27d4eb2f)) +
    Math.imul(k4 ^ k5 ^ k6, 0x165667b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

export class FlowTable<T = unknown> {
  private capacity: number;
  private keys: Int32Array;
  /** Slot -> entry index + 1 (0 = empty). */
  private slots: Int32Array;
  entries: FlowEntry<T>[] = [];
  private entryKeys: Int32Array[] = [];
  /** Whose table this is (set by the runtime), for traces of invalidations. */
  owner: { hostId: string; hostName: string; portId?: string; vm?: string } | null = null;
  hitCount = 0;
  missCount = 0;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.keys = new Int32Array(capacity * KEY_WORDS);
    this.slots = new Int32Array(capacity);
  }

  private hash(key: Int32Array): number {
    return hashWords(key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7]) & (this.capacity - 1);
  }

  /** The entry index for this key, or -1. */
  find(key: Int32Array): number {
    return this.probe(key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7]);
  }

  /**
   * The fast path's probe: the flow key of the frame at `at` (the words `extractKey` reads) goes
   * from the frame into registers and is hashed and compared there: no key is written. Returns
   * the entry index, or -1 (the caller then reads the key with `extractKey` to insert it).
   * Without a key to write it is small enough (with `probe` and `hashWords`) for V8 to inline it
   * into the port's fast path: V8 inlines only so much bytecode into one function.
   */
  lookup(v: DataView, at: number, vsid: number): number {
    // Offsets as `(x + n) | 0`: V8 then adds without an overflow check (a frame offset is small).
    const type = v.getUint16((at + 12) | 0);
    let k0 = type << 16;
    let k1 = 0;
    let k2 = 0;
    let k3 = 0;
    if (type === 0x0800) {
      const l3 = (at + 14) | 0;
      const proto = v.getUint8((l3 + 9) | 0);
      k0 |= proto;
      k1 = v.getInt32((l3 + 12) | 0);
      k2 = v.getInt32((l3 + 16) | 0);
      const l4 = (l3 + (v.getUint8(l3) & 15) * 4) | 0;
      k3 = proto === 1 ? (v.getUint8(l4) << 24) | v.getUint16((l4 + 4) | 0) : v.getInt32(l4);
    }
    const k4 = (v.getUint16(at) << 16) | v.getUint16((at + 6) | 0);
    return this.probe(k0, k1, k2, k3, k4, v.getInt32((at + 2) | 0), v.getInt32((at + 8) | 0), vsid);
  }

  /** The entry index for the key `k0..k7`, or -1: open addressing, linear probing. */
  private probe(
    k0: number,
    k1: number,
    k2: number,
    k3: number,
    k4: number,
    k5: number,
    k6: number,
    k7: number,
  ): number {
    const mask = this.capacity - 1;
    const keys = this.keys;
    const slots = this.slots;
    let slot = hashWords(k0, k1, k2, k3, k4, k5, k6, k7) & mask;
    for (let n = 0; n <= mask; n++) {
      const e = slots[slot];
      if (e === 0) return -1;
      // The slot's words: `b | i` is b + i (b is a multiple of KEY_WORDS, 8), with no overflow check.
      const b = slot << 3;
      if (
        keys[b] === k0 &&
        keys[b | 1] === k1 &&
        keys[b | 2] === k2 &&
        keys[b | 3] === k3 &&
        keys[b | 4] === k4 &&
        keys[b | 5] === k5 &&
        keys[b | 6] === k6 &&
        keys[b | 7] === k7
      )
        return e - 1;
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  insert(key: Int32Array, entry: FlowEntry<T>): number {
    if ((this.entries.length + 1) * 2 > this.capacity) this.grow();
    const index = this.entries.length;
    this.entries.push(entry);
    this.entryKeys.push(key); // callers hand over their own copy
    this.place(key, index);
    return index;
  }

  private place(key: Int32Array, index: number): void {
    let slot = this.hash(key);
    while (this.slots[slot] !== 0) slot = (slot + 1) & (this.capacity - 1);
    this.slots[slot] = index + 1;
    this.keys.set(key, slot * KEY_WORDS);
  }

  private grow(): void {
    this.capacity *= 2;
    this.rebuild();
  }

  private rebuild(): void {
    this.keys = new Int32Array(this.capacity * KEY_WORDS);
    this.slots = new Int32Array(this.capacity);
    this.entryKeys.forEach((k, i) => {
      this.place(k, i);
    });
  }

  /** Drop entries built from any of these dependencies (or all when null); returns how many. */
  invalidate(deps: FlowDeps | null, onDrop?: (entry: FlowEntry<T>, key: Int32Array) => void): number {
    if (this.entries.length === 0) return 0;
    const keepE: FlowEntry<T>[] = [];
    const keepK: Int32Array[] = [];
    this.entries.forEach((e, i) => {
      if (deps !== null && !e.deps.some((d) => deps.has(d))) {
        keepE.push(e);
        keepK.push(this.entryKeys[i]);
      } else onDrop?.(e, this.entryKeys[i]);
    });
    const dropped = this.entries.length - keepE.length;
    if (dropped === 0) return 0;
    this.entries = keepE;
    this.entryKeys = keepK;
    this.rebuild();
    return dropped;
  }

  view(describe: (a: Action) => string): { key: string; actions: string[]; hits: number }[] {
    return this.entries.map((e, i) => ({
      key: keyToString(this.entryKeys[i]),
      actions: e.actions.map(describe),
      hits: e.hits,
    }));
  }
}
