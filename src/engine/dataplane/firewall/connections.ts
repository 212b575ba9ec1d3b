// The connection state table of one vSwitch port: the datacenter firewall's state. A flow that
// the port's ACL rules allow is committed here (its original 5-tuple and the tuple its replies
// will carry); a later packet of the reverse tuple is a reply and passes the ACL layer without
// its rules. Typed arrays and an open-addressing hash over both tuples of every connection (as
// conntrack's two tuple hashes): a lookup allocates nothing. Connections end at their idle
// timeout, swept when the lab's clock moves (`expire`).
import { u32ToIp } from '../../controller/addr';
import { IP_ICMP, IP_TCP, IP_UDP, type Parsed } from '../packet';

/**
 * Idle timeouts in seconds. Windows SDN does not publish its firewall's; these are the usual
 * stateful-firewall values: TCP 4 minutes (Azure's VFP idle timeout for TCP flows), UDP 60 s,
 * ICMP 30 s (Linux conntrack's), anything else 60 s.
 */
export const IDLE_TIMEOUT = { tcp: 240, udp: 60, icmp: 30, other: 60 } as const;

export function idleTimeoutOf(proto: number): number {
  return proto === IP_TCP
    ? IDLE_TIMEOUT.tcp
    : proto === IP_UDP
      ? IDLE_TIMEOUT.udp
      : proto === IP_ICMP
        ? IDLE_TIMEOUT.icmp
        : IDLE_TIMEOUT.other;
}

/** ICMP queries and the type of their reply (echo, timestamp, information, address mask). */
const ICMP_REPLY: Record<number, number> = { 8: 0, 13: 14, 15: 16, 17: 18 };

/** A packet's ports word: TCP/UDP source<<16 | destination port; ICMP type<<16 | identifier. */
export function portsWord(p: Parsed): number {
  if (p.proto === IP_TCP || p.proto === IP_UDP) return ((p.srcPort << 16) | p.dstPort) >>> 0;
  if (p.proto === IP_ICMP) return ((p.icmpType << 16) | p.srcPort) >>> 0;
  return 0;
}

/** The ports word the replies of a flow carry; -1 when the packet starts nothing to track (an ICMP error or reply). */
export function replyPortsWord(proto: number, ports: number): number {
  if (proto === IP_TCP || proto === IP_UDP) return (((ports & 0xffff) << 16) | (ports >>> 16)) >>> 0;
  if (proto === IP_ICMP) {
    const reply = ICMP_REPLY[ports >>> 16];
    return reply === undefined ? -1 : ((reply << 16) | (ports & 0xffff)) >>> 0;
  }
  return ports;
}

const PROTO_NAME: Record<number, string> = { [IP_TCP]: 'tcp', [IP_UDP]: 'udp', [IP_ICMP]: 'icmp' };

/** '10.1.1.12:50000 -> 10.1.1.11:1433 tcp', 'icmp 10.1.1.12 -> 10.1.1.11 echo id 1'. */
export function tupleText(proto: number, src: number, dst: number, ports: number): string {
  const name = PROTO_NAME[proto] ?? `proto ${proto}`;
  if (proto === IP_TCP || proto === IP_UDP)
    return `${name} ${u32ToIp(src)}:${ports >>> 16} -> ${u32ToIp(dst)}:${ports & 0xffff}`;
  if (proto === IP_ICMP) {
    const type = ports >>> 16;
    const what = type === 8 ? 'echo request' : type === 0 ? 'echo reply' : `type ${type}`;
    return `${name} ${u32ToIp(src)} -> ${u32ToIp(dst)} ${what} id ${ports & 0xffff}`;
  }
  return `${name} ${u32ToIp(src)} -> ${u32ToIp(dst)}`;
}

/**
 * The same key for both directions of a flow (and for any packet of it): what a cached flow
 * entry depends on when it consulted the state (`FlowDep` kind 'conn'). Built on the slow path only.
 */
export function flowKeyOf(proto: number, src: number, dst: number, ports: number): string {
  const icmp = proto === IP_ICMP;
  const a = icmp ? `${src >>> 0}` : `${src >>> 0}:${ports >>> 16}`;
  const b = icmp ? `${dst >>> 0}` : `${dst >>> 0}:${ports & 0xffff}`;
  const tail = icmp ? `|id ${ports & 0xffff}` : '';
  return a < b ? `${proto}|${a}|${b}${tail}` : `${proto}|${b}|${a}${tail}`;
}

/** The original direction of a connection at its port: the VM sent it (out) or received it (in). */
export const Dir = { Out: 0, In: 1 } as const;

/** One tracked connection, as host tables and the CLI list it. */
export interface ConnectionView {
  /** The original direction's 5-tuple: '10.1.1.12:50000 -> 10.1.1.11:1433 tcp'. */
  flow: string;
  /** Its replies' 5-tuple. */
  reply: string;
  protocol: string;
  /** 'out': the VM opened it (the ACL's outbound rules allowed it); 'in': a peer did. */
  direction: 'out' | 'in';
  /** TCP: SYN_SENT until a reply is seen, then ESTABLISHED; UDP and ICMP: NEW, then REPLIED. */
  state: string;
  /** Lab clock, seconds. */
  created: number;
  lastSeen: number;
  idleTimeout: number;
  /** Seconds left before the idle timeout removes it. */
  expiresIn: number;
  packetsOriginal: number;
  packetsReply: number;
}

const WORDS = 8; // per connection: original [proto, src, dst, ports], reply [proto, src, dst, ports]

export class ConnectionTable {
  private capacity: number;
  /** Tuples of each connection (see WORDS). */
  tuples: Int32Array;
  dir: Uint8Array;
  replied: Uint8Array;
  live: Uint8Array;
  created: Float64Array;
  lastSeen: Float64Array;
  /** Packets per connection: [original, reply]. */
  packets: Float64Array;
  private slots: Int32Array;
  private used = 0;
  private free: number[] = [];
  /**
   * Cached flow entries that consulted the state of each flow (by `flowKeyOf`): a commit or an
   * expiry of that flow invalidates them. A count that may run high (entries dropped for other
   * reasons are not subtracted): that costs a scan that finds nothing, never a stale entry.
   */
  readonly watchers = new Map<string, number>();

  constructor(capacity = 8) {
    this.capacity = capacity;
    this.tuples = new Int32Array(capacity * WORDS);
    this.dir = new Uint8Array(capacity);
    this.replied = new Uint8Array(capacity);
    this.live = new Uint8Array(capacity);
    this.created = new Float64Array(capacity);
    this.lastSeen = new Float64Array(capacity);
    this.packets = new Float64Array(capacity * 2);
    this.slots = new Int32Array(capacity * 4);
  }

  /** Live connections. */
  get size(): number {
    return this.used - this.free.length;
  }

  private hash(proto: number, src: number, dst: number, ports: number): number {
    let h = Math.imul(0x811c9dc5 ^ proto, 0x01000193);
    h = Math.imul(h ^ src, 0x01000193);
    h = Math.imul(h ^ dst, 0x01000193);
    h = Math.imul(h ^ ports, 0x01000193);
    return (h ^ (h >>> 15)) & (this.slots.length - 1);
  }

  /**
   * The connection a packet belongs to, as `conn * 2 + side` (side 0: it carries the original
   * tuple, 1: the reply tuple), or -1. A connection idle past its timeout is not found.
   */
  find(proto: number, src: number, dst: number, ports: number, now: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const t = this.tuples;
    let s = this.hash(proto, src | 0, dst | 0, ports | 0);
    for (let n = 0; n <= mask; n++) {
      const v = slots[s];
      if (v === 0) return -1;
      const at = (v - 1) * 4; // (conn * 2 + side) * 4 words
      if (
        t[at] === proto &&
        t[at + 1] === (src | 0) &&
        t[at + 2] === (dst | 0) &&
        t[at + 3] === (ports | 0)
      ) {
        const c = (v - 1) >> 1;
        // An idle one not swept yet is gone already; a newer one may follow it.
        if (this.live[c] && now - this.lastSeen[c] < this.idleTimeout(c)) return v - 1;
      }
      s = (s + 1) & mask;
    }
    return -1;
  }

  idleTimeout(c: number): number {
    return idleTimeoutOf(this.tuples[c * WORDS]);
  }

  /** Track a new connection; returns its index. */
  add(
    dir: number,
    proto: number,
    src: number,
    dst: number,
    ports: number,
    replyPorts: number,
    now: number,
  ): number {
    let c = this.free.pop();
    if (c === undefined) {
      if (this.used === this.capacity) this.grow();
      c = this.used++;
    }
    const t = this.tuples;
    const at = c * WORDS;
    t[at] = proto;
    t[at + 1] = src | 0;
    t[at + 2] = dst | 0;
    t[at + 3] = ports | 0;
    t[at + 4] = proto;
    t[at + 5] = dst | 0;
    t[at + 6] = src | 0;
    t[at + 7] = replyPorts | 0;
    this.dir[c] = dir;
    this.replied[c] = 0;
    this.live[c] = 1;
    this.created[c] = now;
    this.lastSeen[c] = now;
    this.packets[c * 2] = 0;
    this.packets[c * 2 + 1] = 0;
    this.place(c * 2);
    this.place(c * 2 + 1);
    return c;
  }

  private place(tupleIndex: number): void {
    const t = this.tuples;
    const at = tupleIndex * 4;
    const mask = this.slots.length - 1;
    let s = this.hash(t[at], t[at + 1], t[at + 2], t[at + 3]);
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = tupleIndex + 1;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.tuples = grown(this.tuples, cap * WORDS);
    this.dir = grown(this.dir, cap);
    this.replied = grown(this.replied, cap);
    this.live = grown(this.live, cap);
    this.created = grown(this.created, cap);
    this.lastSeen = grown(this.lastSeen, cap);
    this.packets = grown(this.packets, cap * 2);
    this.capacity = cap;
    this.rehash();
  }

  private rehash(): void {
    this.slots = new Int32Array(this.capacity * 4);
    for (let c = 0; c < this.used; c++)
      if (this.live[c]) {
        this.place(c * 2);
        this.place(c * 2 + 1);
      }
  }

  /** A packet of the connection passed (`side` 0 original, 1 reply): it is not idle. */
  touch(c: number, side: number, now: number): void {
    this.lastSeen[c] = now;
    this.packets[c * 2 + side]++;
  }

  /** The flow key of connection `c` (see `flowKeyOf`). */
  flowKey(c: number): string {
    const t = this.tuples;
    const at = c * WORDS;
    return flowKeyOf(t[at], t[at + 1], t[at + 2], t[at + 3] >>> 0);
  }

  /** The original 5-tuple of connection `c` as text. */
  describe(c: number): string {
    const t = this.tuples;
    const at = c * WORDS;
    return tupleText(t[at], t[at + 1] >>> 0, t[at + 2] >>> 0, t[at + 3] >>> 0);
  }

  stateOf(c: number): string {
    const tcp = this.tuples[c * WORDS] === IP_TCP;
    return this.replied[c] ? (tcp ? 'ESTABLISHED' : 'REPLIED') : tcp ? 'SYN_SENT' : 'NEW';
  }

  /** Remove connections idle for their timeout or longer; `onExpire` hears each (before it goes). */
  expire(now: number, onExpire: (c: number) => void): number {
    let n = 0;
    for (let c = 0; c < this.used; c++)
      if (this.live[c] && now - this.lastSeen[c] >= this.idleTimeout(c)) {
        onExpire(c);
        this.live[c] = 0;
        this.free.push(c);
        n++;
      }
    if (n) this.rehash();
    return n;
  }

  clear(): void {
    this.live.fill(0);
    this.slots.fill(0);
    this.used = 0;
    this.free = [];
    this.watchers.clear();
  }

  view(now: number): ConnectionView[] {
    const out: ConnectionView[] = [];
    const t = this.tuples;
    for (let c = 0; c < this.used; c++) {
      if (!this.live[c]) continue;
      const at = c * WORDS;
      const timeout = this.idleTimeout(c);
      out.push({
        flow: this.describe(c),
        reply: tupleText(t[at + 4], t[at + 5] >>> 0, t[at + 6] >>> 0, t[at + 7] >>> 0),
        protocol: PROTO_NAME[t[at]] ?? `proto ${t[at]}`,
        direction: this.dir[c] === Dir.Out ? 'out' : 'in',
        state: this.stateOf(c),
        created: this.created[c],
        lastSeen: this.lastSeen[c],
        idleTimeout: timeout,
        expiresIn: Math.max(0, this.lastSeen[c] + timeout - now),
        packetsOriginal: this.packets[c * 2],
        packetsReply: this.packets[c * 2 + 1],
      });
    }
    return out;
  }
}
