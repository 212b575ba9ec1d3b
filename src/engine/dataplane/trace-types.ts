// The trace: a tree of typed steps, produced as a by-product of executing packets.
// Plain data only (structured-cloneable): bytes are Uint8Array, everything else JSON.
import type { Action, SouthboundUpdate } from '../controller/types';
import type { HnvMode } from '../model/schema';
import type { TraceEvent } from './trace/events';

export type TraceProtocol = 'arp' | 'icmp' | 'tcp' | 'udp';

/** What to trace. `from`/`to` accept a vNIC id, 'Tenant/VM' or (for `to`) a CA IP. */
export interface TraceRequest {
  from: string;
  to: string;
  protocol: TraceProtocol;
  srcPort?: number;
  dstPort?: number;
  /**
   * The VM's IP packet length in bytes (default 84 for ICMP, 60 for UDP). TCP: the handshake's
   * segments carry no data; with a size (> 40), one data segment of that length follows it.
   */
  size?: number;
  /** Don't-fragment bit on the VM's packet (default as Windows: set on TCP, clear on ICMP echo and UDP). */
  df?: boolean;
  /** ICMP sequence / packet number within the flow, drives deterministic IP ids (default 1). */
  sequence?: number;
  /**
   * A raw Ethernet frame the source VM's port sends exactly as given (an ovn-trace microflow):
   * no ARP first, no reply. `to` and `protocol` are ignored; the trace's request states what
   * the frame is. See `checkRawFrame` for what a frame must be.
   */
  frame?: Uint8Array;
}

/** Where a step happened. Ids and display names, whichever apply. */
export interface TraceWhere {
  hostId?: string;
  hostName?: string;
  portId?: string;
  /** 'Contoso/Web' */
  vm?: string;
  vmId?: string;
  layer?: string;
  group?: string;
  ruleId?: string;
  routerId?: string;
  routerName?: string;
  /** Logical subnet (a physical link / VLAN). */
  logicalSubnetId?: string;
  logicalSubnetName?: string;
  /** An SDN edge device: a RAS gateway VM, an SLB MUX, a site's edge, an external endpoint (its document id). */
  edgeId?: string;
  edgeName?: string;
  /**
   * What the edge device acts for on the tenant's side (its document id): the virtual gateway
   * whose compartment a RAS gateway routes in, the load balancer whose VIP a MUX serves.
   */
  serviceId?: string;
}

interface NodeBase {
  /** Short human sentence: 'VFP vnet/vnet_out: rule encap-5001 matched'. */
  title: string;
  where: TraceWhere;
  /** The full frame after this step, if the step touched or carried a frame. */
  frame?: Uint8Array;
  /**
   * The frame belongs to a side exchange this step is part of (ARP for a PA next hop), not to
   * the packet being traced: the packet's own frame is unchanged by it.
   */
  aside?: boolean;
  /** What happened, as the typed event the data plane emitted (the title is its prose). */
  what?: TraceEvent;
  children: TraceNode[];
}

export type TraceNode =
  | (NodeBase & { kind: 'packet'; packet: string; path?: Exclude<PacketPath, 'none'> })
  | (NodeBase & {
      kind: 'hop';
      from: string;
      to: string;
      /** An ARP frame on a PA link (aside): who asked whom, or who answered. */
      arp?: { op: 'request' | 'reply'; senderIp: string; targetIp: string };
    })
  | (NodeBase & { kind: 'stage'; stage: string; direction: 'in' | 'out' })
  | (NodeBase & { kind: 'rule'; hit: boolean; ruleId: string; priority: number; origin: string })
  | (NodeBase & { kind: 'lookup'; table: string; key: string; result: string | null; origin?: string })
  | (NodeBase & { kind: 'action'; action: Action })
  | (NodeBase & {
      kind: 'flow-cache';
      /** 'invalidate': a control-plane update removed the entry (its policy changed). */
      event: 'hit' | 'miss' | 'insert' | 'invalidate';
      key: string;
      actions?: string[];
    })
  | (NodeBase & {
      kind: 'output';
      to: string;
      /** An ICMP error a router sends back (fragmentation needed: with the next link's MTU). */
      icmp?: { type: number; code: number; fromIp: string; toIp: string; nextHopMtu?: number };
    })
  | (NodeBase & { kind: 'deliver'; vm: string })
  | (NodeBase & { kind: 'drop'; reason: string })
  | (NodeBase & { kind: 'control-plane'; update: SouthboundUpdate });

export type TraceNodeKind = TraceNode['kind'];

export interface TraceVerdict {
  outcome: 'delivered' | 'dropped';
  /** 'Contoso/SQL' when delivered, or where it was dropped ('Host 2 / port Contoso/Web / VFP acl'). */
  at: string;
  reason?: string;
  /** Every VM the (last) packet reached; several for replicated broadcasts. */
  deliveredTo?: string[];
}

/** One packet of the trace (ARP request, echo request, echo reply ...). */
export type PacketPath = 'slow' | 'fast' | 'mixed' | 'none';

export interface TracePacket {
  label: string;
  /**
   * Fast: every vSwitch on the way (source port, destination uplink) found the flow in its table;
   * slow: none did, each walked its layers; mixed: some did (a cached action that led to a miss).
   */
  path: PacketPath;
  root: TraceNode;
  verdict: TraceVerdict;
}

export interface Trace {
  request: TraceRequest;
  /** Control-plane updates that preceded this trace (from the last `update`), if any. */
  controlPlane: SouthboundUpdate[];
  packets: TracePacket[];
  /** The verdict of the trace's main packet (the echo request/reply pair counts as delivered only if both are). */
  verdict: TraceVerdict;
  /** Every frame that crossed a wire or port, in order (for pcap). */
  frames: { where: string; frame: Uint8Array }[];
  /** The datacenter's HNV version, whose words the steps use (absent: v2, VFP). */
  hnvMode?: HnvMode;
}

/** Flow-table counters returned by `send`. */
export interface FlowCounters {
  packets: number;
  slowPath: number;
  fastPath: number;
  delivered: number;
  dropped: number;
  flowEntries: number;
  hits: number;
  misses: number;
}
