// The forwarder: the data plane's only loop. Each piece (a vSwitch port, an uplink, a link, a
// physical router, delivery to a VM) looks at the packet where it is and returns a `Decision`:
// where the packet goes next (its operands in the forwarder's registers), or that it was
// dropped or consumed. Nothing calls the next piece itself. Tracing is a sink the pieces emit
// typed events into; untraced packets use the null sink and build nothing.
import type { Controller } from '../controller/controller';
import type { LogicalSubnet } from '../model/schema';
import type { FlowTable } from './flowTable';
import { KEY_WORDS, viewOf } from './flowTable';
import type { EdgeDevice } from './gateway/edges';
import { edgeReceive } from './gateway/gateway';
import type { SiteReply } from './gateway/site';
import type { HostAgents } from './hostAgents';
import { newParsed, type Parsed, parseInto } from './packet';
import { onLink, type PhysicalNetwork, routerReceive } from './physical';
import type { Fabric, HostRt, PortRt, RouterIfaceRt } from './runtime';
import { slbReceive } from './slb/mux';
import type { SlbDevice } from './slb/plane';
import type { Pkt } from './steps';
import { NULL_SINK, type TraceSink } from './trace/sink';
import type { PacketPath, TraceWhere } from './trace-types';
import { deliverToVm, portIngress } from './vswitch/port';
import { uplinkReceive } from './vswitch/uplink';

/**
 * Where a packet goes next, as a piece decided. Operands are in the forwarder's registers.
 * The hot path writes these as numbers, each with its name in a comment next to it, because
 * V8 does not fold a module object's properties into constants, and each `Decision.X` there
 * costs a load and a map check per packet. `forwarder.test.ts` pins the numbers.
 */
export const Decision = {
  /** Handled: nothing more to do (delivered, answered, or replicated into copies of its own). */
  Consumed: 0,
  /** Dropped: `dropAt`, `dropReason`, `dropWhere`. */
  Drop: 1,
  /** Into the vSwitch port `port` from its VM. */
  FromVm: 2,
  /** Out of the vSwitch port `port` to its VM. */
  ToVm: 3,
  /** Onto `host`'s uplink (its logical subnet's link). */
  ToUplink: 4,
  /** Onto the link `link`, sent by `from`; `hop` holds its headers. */
  OnLink: 5,
  /** Into the physical router interface `iface`. */
  ToRouter: 6,
  /** Into `host`'s uplink from the wire. */
  ToHost: 7,
  /** Into the edge device `edge` (a gateway NIC, a site's edge) from the wire. */
  ToEdge: 8,
  /** Into the SLB MUX or external endpoint `slbDevice` from the wire. */
  ToSlb: 9,
} as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

export interface Outcome {
  delivered: string[];
  drop: { at: string; reason: string } | null;
  path: PacketPath;
}

export interface PacketStats {
  packets: number;
  slow: number;
  fast: number;
  delivered: number;
  dropped: number;
}

/** What the forwarder needs from the datacenter around it (which replaces hosts and fabric on a rebuild). */
export interface ForwarderContext {
  readonly controller: Controller;
  readonly agents: HostAgents;
  hosts: Map<string, HostRt>;
  fabric: Fabric;
  readonly physical: PhysicalNetwork;
}

export class Forwarder {
  sink: TraceSink = NULL_SINK;
  stats: PacketStats = { packets: 0, slow: 0, fast: 0, delivered: 0, dropped: 0 };
  outcome: Outcome = { delivered: [], drop: null, path: 'none' };
  /** The guest's echo requests to answer (a traced ping), else not recorded. */
  replies: { port: PortRt; frame: Uint8Array }[] = [];
  guestReplies = false;
  /** Echo replies of hosts beyond the router (a site, the internet) to a traced ping. */
  siteReplies: SiteReply[] = [];
  /** Flow tables that hold entries: invalidation visits these, not 10,000 empty ones. */
  activeTables = new Set<FlowTable<PortRt>>();
  /** The lab's clock, in seconds: it moves only when told (`Datacenter.advanceClock`). */
  readonly clock = { now: 0 };
  /** A flow key for the slow path and traces: a table miss writes its key here for the insert (no allocation per packet). */
  readonly key = new Int32Array(KEY_WORDS);

  // ---- registers: the operands of the last decision
  pkt: Pkt = { buf: new Uint8Array(0), off: 0, len: 0 };
  port: PortRt | null = null;
  host: HostRt | null = null;
  link: LogicalSubnet | null = null;
  iface: RouterIfaceRt | null = null;
  edge: EdgeDevice | null = null;
  slbDevice: SlbDevice | null = null;
  from = '';
  dropAt = '';
  dropReason = '';
  dropWhere: TraceWhere = {};
  /** The headers of the frame at the current hop, read once per hop. */
  readonly hop: Parsed = newParsed();
  /** `hop` already describes the frame going onto the next link (the encap or a router wrote its headers). */
  hopFresh = false;

  private viewBuf: Uint8Array | null = null;
  private view: DataView = new DataView(new ArrayBuffer(0));

  constructor(readonly ctx: ForwarderContext) {}

  /** Run a packet from a decision until it is consumed or dropped: the loop. */
  run(first: Decision, pkt: Pkt): void {
    this.pkt = pkt;
    this.hopFresh = false;
    // `| 0` on each piece's answer: V8 then knows `d` is a small integer and the switch is a
    // bare jump table (a tagged number costs it a dozen checks per step).
    let d = (first | 0) as Decision;
    for (;;) {
      switch (d) {
        case 2: // Decision.FromVm
          d = (portIngress(this, this.port as PortRt, this.pkt) | 0) as Decision;
          break;
        case 3: // Decision.ToVm
          d = (deliverToVm(this, this.port as PortRt, this.pkt) | 0) as Decision;
          break;
        case 4: {
          // Decision.ToUplink
          const host = this.host as HostRt;
          if (host.logicalSubnet === undefined) return;
          this.link = host.logicalSubnet;
          this.from = this.sink.on === true ? `${host.name} uplink` : '';
          d = 5 /* Decision.OnLink */;
          break;
        }
        case 5: // Decision.OnLink
          // A router that forwarded the frame kept its reading of the headers up to date.
          // (`as boolean`: TypeScript narrowed hopFresh to false at the loop's start; pieces set it.)
          if ((this.hopFresh as boolean) === true) this.hopFresh = false;
          else parseInto(this.hop, this.pkt.buf, this.pkt.off, this.viewOn(this.pkt.buf));
          d = (onLink(this, this.link as LogicalSubnet, this.pkt, this.hop, this.from) | 0) as Decision;
          break;
        case 6: // Decision.ToRouter
          d = (routerReceive(this, this.iface as RouterIfaceRt, this.pkt, this.hop) | 0) as Decision;
          break;
        case 7: // Decision.ToHost
          d = (uplinkReceive(this, this.host as HostRt, this.pkt, this.hop) | 0) as Decision;
          break;
        case 8: // Decision.ToEdge
          d = (edgeReceive(this, this.edge as EdgeDevice, this.pkt, this.hop) | 0) as Decision;
          break;
        case 9: // Decision.ToSlb
          d = (slbReceive(this, this.slbDevice as SlbDevice, this.pkt, this.hop) | 0) as Decision;
          break;
        case 1: // Decision.Drop
          this.dropped(this.dropAt, this.dropReason, this.dropWhere);
          return;
        default:
          return;
      }
    }
  }

  /**
   * Run another packet to the end from inside a piece (a replicated copy, an injected reply, an
   * ICMP error): `start` sets the registers and returns its first decision; the same loop runs
   * it, and the registers are restored after.
   */
  spawn(pkt: Pkt, start: (fw: Forwarder) => Decision): void {
    const { pkt: p0, port, host, link, iface, from } = this;
    this.pkt = pkt;
    this.hopFresh = false;
    this.run(start(this), pkt);
    this.pkt = p0;
    this.port = port;
    this.host = host;
    this.link = link;
    this.iface = iface;
    this.from = from;
  }

  /** A drop decision: its place, reason and trace location in the registers. */
  drop(at: string, reason: string, where: TraceWhere): Decision {
    this.dropAt = at;
    this.dropReason = reason;
    this.dropWhere = where;
    return Decision.Drop;
  }

  /** Count and record a drop now. */
  dropped(at: string, reason: string, where: TraceWhere): void {
    this.stats.dropped++;
    if (!this.outcome.drop) this.outcome.drop = { at, reason };
    if (this.sink.on === true) this.sink.emit({ type: 'drop', at, reason }, where);
  }

  noteSlow(): void {
    this.stats.slow++;
    this.notePath(false);
  }

  /** A vSwitch on the packet's way found its flow in the table (fast) or walked its layers. */
  notePath(fast: boolean): void {
    // Only a trace reads the path (untraced packets are counted in `stats`): the fast path calls
    // this only when tracing.
    if (this.sink.on !== true) return;
    const now = this.outcome.path;
    if (now === 'none') this.outcome.path = fast ? 'fast' : 'slow';
    else if (now !== (fast ? 'fast' : 'slow')) this.outcome.path = 'mixed';
  }

  /** A DataView over the packet buffer: packets reuse their buffer, so no view per packet. */
  viewOn(b: Uint8Array): DataView {
    if (b !== this.viewBuf) {
      this.viewBuf = b;
      this.view = viewOf(b);
    }
    return this.view;
  }
}
