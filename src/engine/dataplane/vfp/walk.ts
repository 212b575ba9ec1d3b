// What an action sees while the executor walks a port's layers (the slow path), and what it
// answers: go on, the flow is decided (cache it), or this packet was handled on its own.
import type { Action, LookupRecord } from '../../controller/types';
import type { FlowEntry as GenericFlowEntry, PacketRewrite } from '../flowTable';
import type { Forwarder } from '../forwarder';
import type { Parsed } from '../packet';
import type { PortRt } from '../runtime';
import type { TraceWhere } from '../trace-types';
import type { MatchView } from '../vfpMatch';

export type FlowEntry = GenericFlowEntry<PortRt>;

export const Step = {
  /** Go on: the next action of the rule, then the next group. */
  Next: 0,
  /** The flow's entry is complete (its op decided): stop, cache it. */
  Done: 1,
  /** This packet was handled on its own (answered, replicated, bridged): nothing to cache. */
  PerPacket: 2,
  /**
   * The layer has decided without its remaining groups (its flow state let the packet through,
   * as a VFP layer's flow table does): go on with the next layer.
   */
  Layer: 3,
} as const;
export type Step = (typeof Step)[keyof typeof Step];

/** One slow-path walk of a frame a VM sent (egress: the port's outbound groups). */
export interface EgressWalk {
  fw: Forwarder;
  port: PortRt;
  /** A copy of the frame, as the actions so far left it. */
  frame: Uint8Array;
  inner: Parsed;
  view: MatchView;
  entry: FlowEntry;
  where: TraceWhere;
  /** 'Host 2 / port Contoso/Web' */
  at: string;
  layer: string;
  /** The index of the group being walked in the port's outbound groups. */
  groupIndex: number;
  /** The VSID the frame is in now (the distributed router moves it). */
  vsid: number;
  /** The lookup record of the destination, once looked up. */
  record: LookupRecord | null;
  /** Encapsulation: the outer headers without MACs/VLAN (for the PA routing layer's match). */
  outer: Uint8Array | null;
  flowHash: number;
  /** push-vlan: the 802.1Q tag the frame carries now (bridged at L2, no encapsulation). */
  vlanId: number;
}

/** One walk of a port's inbound groups for a frame about to be delivered to it. */
export interface IngressWalk {
  fw: Forwarder;
  port: PortRt;
  frame: Uint8Array;
  /** Where the inner frame starts in `frame` (after the outer headers of a tunnel packet). */
  innerAt: number;
  /** The flow entry the caller caches for this delivery (null: nothing cached, a tuple test). */
  entry: FlowEntry | null;
  where: TraceWhere;
  /** Set by a drop action. */
  reason: string | null;
  /** Set by an output action: the port the layers deliver to. */
  outPort: PortRt | null;
  /** The inner frame's headers, as the rules see them (an SLB NAT action updates them). */
  inner: Parsed;
  /** Rewrites of the inner frame the flow applies to every packet (SLB NAT), at the outer frame start. */
  rewrites: PacketRewrite[];
  /** Actions the flow entry lists besides decap and output (SLB NAT). */
  actions: Action[];
}

export interface ActionHandler<T extends Action['type']> {
  type: T;
  /** The action as host tables and flow entries list it. */
  describe(a: Extract<Action, { type: T }>): string;
  /** In a port's outbound groups (the slow path of a frame from the VM). */
  egress?(w: EgressWalk, a: Extract<Action, { type: T }>): Step;
  /** In a port's inbound groups (a frame about to be delivered); Step.Done stops the walk. */
  ingress?(w: IngressWalk, a: Extract<Action, { type: T }>): Step;
}
