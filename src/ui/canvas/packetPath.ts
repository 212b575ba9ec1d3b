// Where the travelling packet is drawn on the canvas, step by step. Each trace step already
// says where the engine handled the packet (`where`: VM, port, host, router, logical subnet);
// this turns that into a point on the drawn boxes, and the move from one step to the next into
// a path along the links (host up to the bus, along the bus, up to the router). Pure: the
// same steps and boxes always give the same points; nothing here decides where a packet goes.
import type { TopologyDocument } from '../../engine/model/schema';
import type { TraceStep } from '../store/trace';

export type Place =
  /** At the VM (it sends, or it is delivered). */
  | { kind: 'vm'; vmId: string; portId?: string }
  /** In the vSwitch (VFP layers of a port, the host's flow table). */
  | { kind: 'vswitch'; hostId: string; vmId?: string; portId?: string }
  /** The host's uplink (NIC team) onto the physical network. */
  | { kind: 'uplink'; hostId: string }
  | { kind: 'router'; routerId: string }
  /**
   * At an SDN edge device: a RAS gateway VM or SLB MUX (in `hostId`), a site's edge, an external
   * endpoint; `serviceId` is what it acts for in the virtual view (a virtual gateway, a load balancer).
   */
  | { kind: 'edge'; edgeId: string; hostId?: string; serviceId?: string }
  /** On the wire of a logical subnet (the bus). */
  | { kind: 'wire'; logicalSubnetId: string };

const UPLINK_EVENTS = new Set(['output-uplink', 'uplink-receive', 'pa-compartment', 'vlan-trunk-receive']);

/** The place of one step, or null when the step says nothing about the packet's position. */
export function placeOf(step: TraceStep): Place | null {
  const w = step.where;
  // A side exchange (PA ARP for the next hop) is not the packet moving: it waits where it is.
  if (step.aside || step.kind === 'control-plane') return null;
  if (w.edgeId) return { kind: 'edge', edgeId: w.edgeId, hostId: w.hostId, serviceId: w.serviceId };
  if (w.routerId) return { kind: 'router', routerId: w.routerId };
  const event = step.node.what?.type;
  if (w.vmId && (step.kind === 'deliver' || event === 'vm-send' || step.kind === 'packet'))
    return { kind: 'vm', vmId: w.vmId, portId: w.portId };
  if (w.hostId) {
    if (!w.vmId && event && UPLINK_EVENTS.has(event)) return { kind: 'uplink', hostId: w.hostId };
    return { kind: 'vswitch', hostId: w.hostId, vmId: w.vmId, portId: w.portId };
  }
  if (w.vmId) return { kind: 'vm', vmId: w.vmId, portId: w.portId };
  if (w.logicalSubnetId) return { kind: 'wire', logicalSubnetId: w.logicalSubnetId };
  return null;
}

/** Every step's place; a step without one takes its packet's previous place (or its next, at the start). */
export function placesOf(steps: TraceStep[]): (Place | null)[] {
  const places = steps.map(placeOf);
  for (let i = 1; i < steps.length; i++)
    if (!places[i] && steps[i - 1].packetIndex === steps[i].packetIndex) places[i] = places[i - 1];
  for (let i = steps.length - 2; i >= 0; i--)
    if (!places[i] && steps[i + 1].packetIndex === steps[i].packetIndex) places[i] = places[i + 1];
  return places;
}

export interface Point {
  x: number;
  y: number;
}
export interface Box extends Point {
  width: number;
  height: number;
}
/** Absolute flow-space boxes of the drawn nodes, by node id. */
export type BoxLookup = (nodeId: string) => Box | undefined;

/** A point the packet rests at; `busY` when it rests on a bus (moves onto and off it go straight). */
export interface Stop extends Point {
  busY?: number;
  /** The virtual subnet whose VM this stop is at (the virtual view routes between subnets). */
  subnetId?: string;
  /** The path the packet took from the stop before to this one, when it is not a straight line. */
  via?: Point[];
  /** A stop on the way between two VMs (virtual view): that way, and how far along it (0..1). */
  way?: Point[];
  t?: number;
}

/** How far under a virtual subnet's box the packet travels while it is in the provider network. */
const PROVIDER_LANE = 26;
const pointOf = (p: Point): Point => ({ x: p.x, y: p.y });
const near = (a: Point, b: Point) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5;
const centre = (b: Box): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
/** The vSwitch strip under the host's header (engine/model/layout.ts: header 74, strip 26). */
const VSWITCH_Y = 74 + 13;
const UPLINK_INSET = 10;

/**
 * A host's or router's link to a bus, as edges.tsx draws it: from the box's handle (a host's
 * top, a router's bottom) to the bus line, straight when the box sits over the bus, else the
 * step path to the bus's own handle (its centre).
 */
function linkToBus(kind: 'host' | 'router', node: Box, bus: Box): Point[] {
  const busY = bus.y + bus.height / 2;
  const x = node.x + node.width / 2;
  const y = kind === 'host' ? node.y : node.y + node.height;
  if (Math.abs(x - (bus.x + bus.width / 2)) < bus.width / 2 - 8)
    return [
      { x, y },
      { x, y: busY },
    ];
  const busX = bus.x + bus.width / 2;
  const busEdge = kind === 'host' ? bus.y + bus.height : bus.y;
  const midY = (y + busEdge) / 2;
  return [
    { x, y },
    { x, y: midY },
    { x: busX, y: midY },
    { x: busX, y: busY },
  ];
}

/** The physical view: VMs in hosts, hosts and routers joined by bus links. */
export function physicalStops(steps: TraceStep[], places: (Place | null)[], box: BoxLookup): (Stop | null)[] {
  // An edge device's box: a gateway VM or MUX in its host, or a site or endpoint under its link.
  const edgeBox = (id: string) =>
    box(`mux:${id}`) ?? box(`gateway:${id}`) ?? box(`site:${id}`) ?? box(`endpoint:${id}`);
  const endpoint = (place: Place | null): { kind: 'host' | 'router'; node: Box } | undefined => {
    if (!place || place.kind === 'wire') return undefined;
    if (place.kind === 'router') {
      const node = box(`router:${place.routerId}`);
      return node ? { kind: 'router', node } : undefined;
    }
    // A device in a host reaches the link through its host; one outside hangs under the link.
    if (place.kind === 'edge') {
      const node = place.hostId ? box(`host:${place.hostId}`) : edgeBox(place.edgeId);
      return node ? { kind: 'host', node } : undefined;
    }
    const node = place.kind === 'vm' ? undefined : box(`host:${place.hostId}`);
    return node ? { kind: 'host', node } : undefined;
  };
  const stops: (Stop | null)[] = places.map((place) => {
    if (!place) return null;
    switch (place.kind) {
      case 'vm': {
        const b = box(`vm:${place.vmId}`);
        return b ? centre(b) : null;
      }
      case 'vswitch': {
        const host = box(`host:${place.hostId}`);
        if (!host) return null;
        const vm = place.vmId ? box(`vm:${place.vmId}`) : undefined;
        return { x: vm ? vm.x + vm.width / 2 : host.x + host.width / 2, y: host.y + VSWITCH_Y };
      }
      case 'uplink': {
        const host = box(`host:${place.hostId}`);
        // Just inside the host's top edge, where its link leaves (the NIC team).
        return host ? { x: host.x + host.width / 2, y: host.y + UPLINK_INSET } : null;
      }
      case 'router': {
        const b = box(`router:${place.routerId}`);
        return b ? centre(b) : null;
      }
      case 'edge': {
        const b = edgeBox(place.edgeId);
        return b ? centre(b) : null;
      }
    }
    return null; // a wire: below, once the boxes around it have their points
  });
  // A wire step: onto the bus along the sender's link, then along the bus to where the
  // receiver's link joins it (the sender's, when nobody takes the frame).
  for (let i = 0; i < steps.length; i++) {
    const place = places[i];
    if (place?.kind !== 'wire') continue;
    if (i > 0 && JSON.stringify(places[i - 1]) === JSON.stringify(place) && stops[i - 1]) {
      stops[i] = stops[i - 1];
      continue;
    }
    const bus = box(`lsubnet:${place.logicalSubnetId}`);
    if (!bus) continue;
    const busY = bus.y + bus.height / 2;
    const packet = steps[i].packetIndex;
    let sender = -1;
    for (let k = i - 1; k >= 0 && steps[k].packetIndex === packet; k--)
      if (places[k] && places[k]?.kind !== 'wire') {
        sender = k;
        break;
      }
    let receiver = -1;
    for (let k = i + 1; k < steps.length && steps[k].packetIndex === packet; k++)
      if (places[k] && places[k]?.kind !== 'wire') {
        receiver = k;
        break;
      }
    const from = sender >= 0 ? endpoint(places[sender]) : undefined;
    const to = receiver >= 0 ? endpoint(places[receiver]) : undefined;
    const onto = from ? linkToBus(from.kind, from.node, bus) : undefined;
    const off = to ? linkToBus(to.kind, to.node, bus) : undefined;
    const at = off?.at(-1) ?? onto?.at(-1) ?? { x: bus.x + bus.width / 2, y: busY };
    const previous = sender >= 0 ? stops[sender] : null;
    const stop: Stop = { x: at.x, y: busY, busY };
    if (previous && onto) stop.via = [pointOf(previous), ...onto, pointOf(stop)];
    stops[i] = stop;
    // The receiver's first step comes off the bus along its own link.
    const next = receiver >= 0 ? stops[receiver] : null;
    if (next && off)
      stops[receiver] = { ...next, via: [pointOf(stop), ...[...off].reverse(), pointOf(next)] };
  }
  return stops;
}

/**
 * The virtual view draws no hosts, links or routers: a step in the VFP of a VM's port sits at
 * that VM; a step in the provider network (uplinks, wires, routers) sits on the way from the
 * packet's source VM to its destination VM, through the distributed router when the subnets
 * differ, in order.
 */
export function virtualStops(
  steps: TraceStep[],
  places: (Place | null)[],
  box: BoxLookup,
  doc: TopologyDocument,
  vmNodeIds: ReadonlyMap<string, string>,
): (Stop | null)[] {
  const subnetOfPort = new Map<string, string>();
  const firstSubnetOfVm = new Map<string, string>();
  const networkOfSubnet = new Map(doc.virtualSubnets.map((s) => [s.id, s.vmNetworkId]));
  for (const vm of doc.vms)
    for (const nic of vm.nics) {
      subnetOfPort.set(nic.id, nic.virtualSubnetId);
      if (!firstSubnetOfVm.has(vm.id)) firstSubnetOfVm.set(vm.id, nic.virtualSubnetId);
    }
  const vmStop = (vmId: string | undefined, portId: string | undefined): Stop | null => {
    if (!vmId) return null;
    const subnetId = (portId && subnetOfPort.get(portId)) || firstSubnetOfVm.get(vmId);
    const id = subnetId ? vmNodeIds.get(`${vmId}:${subnetId}`) : undefined;
    const b = id ? box(id) : undefined;
    return b ? { ...centre(b), subnetId } : null;
  };
  // An edge device acting for a drawn virtual gateway or load balancer (VIP) rests on that box.
  const serviceStop = (id: string | undefined): Stop | null => {
    const b = id ? (box(`vgw:${id}`) ?? box(`vip:${id}`)) : undefined;
    return b ? centre(b) : null;
  };
  const stops: (Stop | null)[] = places.map((p) =>
    p && (p.kind === 'vm' || p.kind === 'vswitch')
      ? vmStop(p.vmId, p.portId)
      : p?.kind === 'edge'
        ? serviceStop(p.serviceId)
        : null,
  );
  // Provider-network stretches: spread along the way between the VM stops around them.
  let i = 0;
  while (i < steps.length) {
    if (stops[i] || !places[i]) {
      i++;
      continue;
    }
    const packet = steps[i].packetIndex;
    let end = i;
    while (end + 1 < steps.length && steps[end + 1].packetIndex === packet && !stops[end + 1]) end++;
    let from: Stop | null = null;
    for (let k = i - 1; k >= 0 && steps[k].packetIndex === packet && !from; k--) from = stops[k];
    let to: Stop | null = null;
    for (let k = end + 1; k < steps.length && steps[k].packetIndex === packet && !to; k++) to = stops[k];
    const ends = [from, to].filter((s): s is Stop => s !== null);
    if (ends.length > 0) {
      const a = ends[0];
      const b = ends[ends.length - 1];
      const way = wayBetween(a, b, box, networkOfSubnet);
      // Distinct places in the stretch get evenly spaced points; repeated ones stay put.
      const keys: string[] = [];
      for (let k = i; k <= end; k++) {
        const key = JSON.stringify(places[k]);
        if (places[k] && keys.at(-1) !== key) keys.push(key);
      }
      let slot = -1;
      let last = '';
      for (let k = i; k <= end; k++) {
        const key = JSON.stringify(places[k]);
        if (key !== last) slot++;
        last = key;
        const t = (slot + 1) / (keys.length + 1);
        stops[k] = { ...pointAlong(way, t), way, t };
      }
    }
    i = end + 1;
  }
  return stops;
}

/**
 * From one VM stop to another: between subnets through the distributed router; within a
 * subnet, out under the subnet's box and back in (the provider network, not drawn here, is
 * where the packet is meanwhile).
 */
function wayBetween(a: Stop, b: Stop, box: BoxLookup, networkOfSubnet: ReadonlyMap<string, string>): Point[] {
  if (a.subnetId && b.subnetId && a.subnetId !== b.subnetId) {
    const net = networkOfSubnet.get(b.subnetId);
    const router = net && net === networkOfSubnet.get(a.subnetId) ? box(`drouter:${net}`) : undefined;
    if (router) return [a, centre(router), b];
  }
  const subnets = [a.subnetId, b.subnetId].map((id) => (id ? box(`vsubnet:${id}`) : undefined));
  const bottom = Math.max(...subnets.map((s) => (s ? s.y + s.height : Math.max(a.y, b.y))));
  const lane = bottom + PROVIDER_LANE;
  return [a, { x: a.x, y: lane }, { x: b.x, y: lane }, b];
}

/** Cumulative lengths along a polyline, from 0 to the total. */
function distances(way: Point[]): number[] {
  const out = [0];
  for (let k = 1; k < way.length; k++)
    out.push(out[k - 1] + Math.hypot(way[k].x - way[k - 1].x, way[k].y - way[k - 1].y));
  return out;
}

/** The part of a polyline between two fractions of its length, corners included. */
function subPath(way: Point[], from: number, to: number): Point[] {
  if (from > to) return subPath(way, to, from).reverse();
  const d = distances(way);
  const total = d[d.length - 1];
  const inner = way.filter((_, k) => d[k] > from * total && d[k] < to * total);
  return [pointAlong(way, from), ...inner, pointAlong(way, to)];
}

function pointAlong(way: Point[], t: number): Point {
  const lengths = way.slice(1).map((p, k) => Math.hypot(p.x - way[k].x, p.y - way[k].y));
  const total = lengths.reduce((s, l) => s + l, 0);
  let left = t * total;
  for (let k = 0; k < lengths.length; k++) {
    if (left <= lengths[k] || k === lengths.length - 1) {
      const f = lengths[k] === 0 ? 0 : Math.min(1, left / lengths[k]);
      return { x: way[k].x + (way[k + 1].x - way[k].x) * f, y: way[k].y + (way[k + 1].y - way[k].y) * f };
    }
    left -= lengths[k];
  }
  return way[0];
}

/**
 * The way from one stop to the next, along the links: onto a bus straight down (or up) to it,
 * along the bus, off it straight to the next box; between subnets of the virtual view through
 * their distributed router.
 */
export function pathBetween(
  a: Stop,
  b: Stop,
  box?: BoxLookup,
  networkOfSubnet?: ReadonlyMap<string, string>,
): Point[] {
  if (b.via && near(a, b.via[0]) && near(b, b.via[b.via.length - 1])) return b.via;
  if (a.via && near(b, a.via[0]) && near(a, a.via[a.via.length - 1])) return [...a.via].reverse();
  if (a.busY !== undefined && b.busY !== undefined && a.busY !== b.busY) {
    // Bus to bus means through whatever joins them: go off one and onto the other.
    return [a, { x: a.x, y: b.busY }, b];
  }
  if (b.busY !== undefined && a.busY === undefined) return [a, { x: a.x, y: b.busY }, b];
  if (a.busY !== undefined && b.busY === undefined) return [a, { x: b.x, y: a.busY }, b];
  // Along the way between two VMs: a VM at either end of it is its start or its end.
  const way = a.way ?? b.way;
  if (way) {
    const at = (s: Stop) =>
      s.way === way && s.t !== undefined
        ? s.t
        : near(s, way[0])
          ? 0
          : near(s, way[way.length - 1])
            ? 1
            : null;
    const ta = at(a);
    const tb = at(b);
    if (ta !== null && tb !== null) return subPath(way, ta, tb);
  }
  if (box && networkOfSubnet) return wayBetween(a, b, box, networkOfSubnet);
  return [a, b];
}
