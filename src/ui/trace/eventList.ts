// The event list's model, as Packet Tracer's simulation mode shows a trace: one row per step
// with where it came from, where it is, what happened and in which layer; filters by protocol
// and by kind of detail; a summary level that keeps the steps of the HNV forwarding flow
// (DOMAIN.md §5) and hides the rest until a packet is opened to its detail.
// Everything here is read from the engine's typed events (`step.node.what`), never from titles.
import type { Trace, TraceEvent, TraceWhere } from '../../engine/index';
import type { TraceStep } from '../store/trace';

/** What a filter chip hides: a packet protocol, or a kind of detail. */
export type EventFilter = 'arp' | 'icmp' | 'tcp' | 'udp' | 'pa-arp' | 'vfp' | 'control-plane';
export const PROTOCOL_FILTERS = ['arp', 'icmp', 'tcp', 'udp'] as const;
export const DETAIL_FILTERS = ['pa-arp', 'vfp', 'control-plane'] as const;
export const FILTER_LABELS: Record<EventFilter, string> = {
  arp: 'ARP',
  icmp: 'ICMP',
  tcp: 'TCP',
  udp: 'UDP',
  'pa-arp': 'PA ARP',
  vfp: 'VFP detail',
  'control-plane': 'Control plane',
};

/** The chips' words: HNVv1 has no VFP, its detail is the HNV filter's policy and flow cache. */
export function filterLabel(f: EventFilter, v1: boolean): string {
  return v1 && f === 'vfp' ? 'Policy detail' : FILTER_LABELS[f];
}

/** 'vfp': VFP layers, groups, rules and flow-table bookkeeping; 'packet': the packet's own way. */
export type EventCategory = 'header' | 'packet' | 'pa-arp' | 'vfp' | 'control-plane';
export type PacketProtocol = 'arp' | 'icmp' | 'tcp' | 'udp' | 'frame';
/** How much of one packet the list shows. */
export type PacketMode = 'collapsed' | 'summary' | 'detail';
export type EventLevel = 'summary' | 'detail';

export interface EventView {
  level: EventLevel;
  hidden: EventFilter[];
  /** Per packet of the trace (by packet index). */
  packets: PacketMode[];
  /** The filter chips are on screen. */
  filtersOpen?: boolean;
}

export interface EventRow {
  index: number;
  packetIndex: number;
  category: EventCategory;
  /** A step of the HNV forwarding flow: shown at the summary level. */
  summary: boolean;
  protocol: PacketProtocol;
  /** Where the packet was before it got here (Packet Tracer's "last device"). */
  from: string;
  /** Where the step happened. */
  at: string;
  /** Which part of the stack acted: a VFP layer, the host agent, the PA network, ... */
  layer: string;
}

/** The steps of DOMAIN.md §5 (and their VLAN, routing and MTU counterparts). */
export function isSummaryEvent(e: TraceEvent, where: TraceWhere): boolean {
  switch (e.type) {
    case 'packet':
    case 'vm-send':
    case 'host-agent-arp':
    case 'vlan-answer':
    case 'ca-pa':
    case 'route-decision':
    case 'appliance-forward':
    case 'pa-next-hop':
    case 'uplink-receive':
    case 'vlan-trunk':
    case 'vlan-trunk-receive':
    case 'vlan-members':
    case 'path-mtu':
    case 'icmp-error':
    case 'deliver':
    case 'drop':
    // The SDN edge: the gateway's route, the router's BGP route to a VIP, the MUX's pick.
    case 'gateway-route':
    case 'gateway-l3':
    case 'bgp-route':
    case 'slb-mux':
    case 'slb-mux-snat':
    case 'slb-snat':
    case 'endpoint-receive':
    case 'edge-receive':
    case 'site-send':
      return true;
    case 'output-uplink':
      // An SLB reply leaving its host straight for the client (direct server return).
      return e.plain === true;
    case 'conn-state':
      // The stateful firewall letting a reply in is the point of it.
      return e.event === 'reply';
    case 'gateway-flow':
      // The gateway's flow cache: slow or fast path through the compartment.
      return e.event !== 'insert';
    case 'uft':
      // The flow table decides slow or fast path at the source port; an invalidation is news.
      return (e.place === 'port' && (e.event === 'miss' || e.event === 'hit')) || e.event === 'invalidate';
    case 'action':
      switch (e.action.type) {
        case 'encap':
        case 'decap':
        case 'route':
        case 'replicate':
        case 'push-vlan':
        case 'pop-vlan':
        case 'nat':
        case 'gre-encap':
        case 'gre-decap':
        case 'esp-encap':
        case 'esp-decap':
        case 'slb-nat':
        case 'slb-snat':
          return true;
        case 'set-field':
          // A router on the PA network forwarding the tunnel packet (outer TTL - 1).
          return e.action.field === 'ip.ttl' && where.routerId !== undefined;
        default:
          return false;
      }
    default:
      return false;
  }
}

export function eventCategory(e: TraceEvent | undefined, kind: TraceStep['kind']): EventCategory {
  if (kind === 'packet') return 'header';
  if (!e)
    return kind === 'control-plane'
      ? 'control-plane'
      : kind === 'stage' || kind === 'rule'
        ? 'vfp'
        : 'packet';
  switch (e.type) {
    case 'pa-arp':
      return 'pa-arp';
    case 'stage':
    case 'rule':
      return 'vfp';
    case 'uft':
      if (e.event === 'invalidate') return 'control-plane';
      return e.place === 'port' && e.event !== 'insert' ? 'packet' : 'vfp';
    case 'control-plane':
      return 'control-plane';
    default:
      return 'packet';
  }
}

/** HNVv1 (WS2012 R2) has no VFP: the same layers in the words of the Hyper-V switch and the HNV filter. */
const V1_LAYER: Record<string, string> = {
  UFT: 'flow cache',
  'VFP acl': 'switch ACLs',
  'VFP vnet': 'HNV filter',
  'VFP pa_route': 'HNV filter',
};

function layerOf(e: TraceEvent | undefined, where: TraceWhere, v1: boolean): string {
  const layer = layerOfV2(e, where);
  if (!v1) return layer;
  return V1_LAYER[layer] ?? (layer.startsWith('VFP ') ? 'HNV filter' : layer);
}

function layerOfV2(e: TraceEvent | undefined, where: TraceWhere): string {
  switch (e?.type) {
    case 'packet':
      return e.protocol === 'frame' ? 'frame' : e.protocol.toUpperCase();
    case 'vm-send':
    case 'vlan-answer':
      return 'VM';
    case 'uft':
      return 'UFT';
    case 'host-agent-arp':
      return 'host agent';
    case 'control-plane':
      return 'control plane';
    case 'route-decision':
      return 'distributed router';
    case 'ca-pa':
      return 'CA-PA map';
    case 'action':
      if (where.layer) break;
      if (e.action.type === 'encap' || e.action.type === 'decap') return 'VFP vnet';
      if (e.action.type === 'route') return 'distributed router';
      break;
    case 'vlan-trunk':
    case 'vlan-trunk-receive':
    case 'vlan-members':
      return 'L2 fabric';
    case 'port-by-mac':
    case 'deliver':
      return 'vSwitch';
    case 'wire':
    case 'pa-arp':
    case 'router-lookup':
    case 'uplink-receive':
    case 'output-uplink':
    case 'pa-compartment':
    case 'path-mtu':
    case 'icmp-error':
      return 'PA network';
  }
  if (where.layer) return `VFP ${where.layer}`;
  if (where.edgeId) return 'SDN edge';
  if (where.routerId || where.logicalSubnetId) return 'PA network';
  return where.hostId ? 'vSwitch' : '';
}

function deviceAt(e: TraceEvent | undefined, where: TraceWhere): string {
  switch (e?.type) {
    case 'wire':
    case 'pa-arp':
      return e.link;
    case 'vlan-trunk':
      return `VLAN ${e.vlanId}`;
    case 'deliver':
      return e.vm;
    case 'vm-send':
    case 'control-plane':
      return e.host;
    case 'icmp-error':
    case 'router-lookup':
      return e.router;
  }
  return where.edgeName ?? where.routerName ?? where.hostName ?? where.logicalSubnetName ?? where.vm ?? '';
}

/** The rows of the list, one per step: from and at follow the packet device to device. */
export function eventRows(steps: TraceStep[], v1 = false): EventRow[] {
  const rows: EventRow[] = [];
  let packetIndex = -1;
  let protocol: PacketProtocol = 'frame';
  let here = '';
  let before = '';
  for (const step of steps) {
    const e = step.node.what;
    if (step.packetIndex !== packetIndex) {
      packetIndex = step.packetIndex;
      protocol = e?.type === 'packet' ? e.protocol : 'frame';
      here = '';
      before = '';
    }
    const at = step.kind === 'packet' ? '' : deviceAt(e, step.where);
    // A side exchange (PA ARP) does not move the packet; the control plane is not on its way.
    const moves = !step.aside && e?.type !== 'control-plane' && e?.type !== 'pa-arp';
    if (moves && at && at !== here) {
      before = e?.type === 'vm-send' ? e.vm : e?.type === 'wire' ? e.from : here;
      here = at;
    }
    let from = before;
    if (e?.type === 'control-plane') from = 'controller';
    else if (e?.type === 'pa-arp') from = e.op === 'request' ? e.asker : e.owner;
    rows.push({
      index: step.index,
      packetIndex,
      category: eventCategory(e, step.kind),
      summary: e ? isSummaryEvent(e, step.where) : ['packet', 'deliver', 'drop'].includes(step.kind),
      protocol,
      from: step.kind === 'packet' ? '' : from,
      at,
      layer: layerOf(e, step.where, v1),
    });
  }
  return rows;
}

/**
 * How much of each packet shows at first: the packets up to the first one that is not ARP (the
 * VM's ARP and the packet itself, its whole HNV flow), and any packet that was dropped; the
 * rest (the reply and its ARP) folded to their header row.
 */
export function defaultPacketModes(trace: Trace, level: EventLevel = 'summary'): PacketMode[] {
  if (level === 'detail') return trace.packets.map(() => 'detail');
  const protocolOf = (i: number) => {
    const what = trace.packets[i].root.what;
    return what?.type === 'packet' ? what.protocol : 'frame';
  };
  const firstMain = trace.packets.findIndex((_, i) => protocolOf(i) !== 'arp');
  const openUpTo = firstMain < 0 ? trace.packets.length - 1 : firstMain;
  return trace.packets.map((p, i) =>
    i <= openUpTo || p.verdict.outcome === 'dropped' ? 'summary' : 'collapsed',
  );
}

/** The step indices the list shows, in order: what play, step and scrub walk. */
export function visibleSteps(rows: EventRow[], view: EventView): number[] {
  const hidden = new Set<string>(view.hidden);
  const out: number[] = [];
  for (const row of rows) {
    if (hidden.has(row.protocol)) continue;
    if (row.category === 'header') {
      out.push(row.index);
      continue;
    }
    const mode = view.packets[row.packetIndex] ?? view.level;
    if (mode === 'collapsed') continue;
    if (hidden.has(row.category)) continue;
    if (mode === 'summary' && !row.summary) continue;
    out.push(row.index);
  }
  return out;
}

/**
 * What a step did, as a comparable key: its typed event (the title when it has none). A flow
 * table event compares by what it did where, not by its key's fields or its hit counter: the
 * step that changed the key (a lookup, an encapsulation) is where the two traces part.
 */
export function stepKey(step: TraceStep): string {
  const e = step.node.what;
  if (!e) return `${step.kind}:${step.title}`;
  if (e.type === 'uft')
    return JSON.stringify([e.type, e.event, e.place, e.host, e.vm ?? '', e.stale ?? null]);
  return JSON.stringify(e);
}

/** One row of a what-if: the same place in the same packet, before and after the edit. */
export interface WhatIfRow {
  before?: TraceStep;
  after?: TraceStep;
  /** The two sides did different things here (or one side has no such step). */
  differs: boolean;
  /** A packet only one side sent (the VM's ARP when its cache already held the answer). */
  only?: 'before' | 'after';
}

interface PacketSummary {
  label: string;
  steps: TraceStep[];
}

/** Each packet's summary steps, without the control plane's updates (they are not the packet's way). */
function packetSummaries(steps: TraceStep[]): PacketSummary[] {
  const rows = eventRows(steps);
  const out: PacketSummary[] = [];
  for (const step of steps) {
    const row = rows[step.index];
    if (!row.summary || row.category === 'control-plane') continue;
    if (step.kind === 'packet') out.push({ label: step.packetLabel, steps: [step] });
    else out.at(-1)?.steps.push(step);
  }
  return out;
}

/**
 * The what-if's rows: packets paired by their label in order (a packet only one side sent
 * stands alone), their summary steps side by side; `first` is the first paired row that differs.
 */
export function compareTraces(before: TraceStep[], after: TraceStep[]): { rows: WhatIfRow[]; first: number } {
  const b = packetSummaries(before);
  const a = packetSummaries(after);
  const rows: WhatIfRow[] = [];
  let i = 0;
  let j = 0;
  while (i < b.length || j < a.length) {
    if (i < b.length && j < a.length && b[i].label === a[j].label) {
      const n = Math.max(b[i].steps.length, a[j].steps.length);
      for (let k = 0; k < n; k++) {
        const x = b[i].steps[k];
        const y = a[j].steps[k];
        rows.push({ before: x, after: y, differs: !x || !y || stepKey(x) !== stepKey(y) });
      }
      i++;
      j++;
    } else if (i < b.length && !a.slice(j).some((p) => p.label === b[i].label)) {
      for (const step of b[i].steps) rows.push({ before: step, differs: false, only: 'before' });
      i++;
    } else {
      for (const step of a[j].steps) rows.push({ after: step, differs: false, only: 'after' });
      j++;
    }
  }
  return { rows, first: rows.findIndex((r) => r.differs) };
}
