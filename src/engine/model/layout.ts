// Where each object of a document sits in the two canvas views: one box per object, in the
// order the canvas draws them. Pure and computed once: the builder stores its absolute
// positions as a document's default layout (built-in scenarios, imports), and the canvas
// draws its nodes from the same boxes, honouring positions the user dragged (document.layout).
// Physical view: routers on top, PA subnets as buses, hosts (with their VMs) below.
// Virtual view: tenants contain VM networks (with their distributed router), which contain
// virtual subnets, which contain the VMs' adapters.
import type { TopologyDocument } from './schema';

type Point = { x: number; y: number };
export type DocumentLayout = NonNullable<TopologyDocument['layout']>;
type Positions = Record<string, Point>;

export const VM_W = 156;
export const VM_H = 50;
const GAP = 12;
const PAD = 12;
const HOST_HEADER = 74;
const VSWITCH_H = 26;
const HOST_MIN_W = 320;
const BUS_H = 46;
const BUS_Y = 130;
const ROUTER_W = 180;
const ROUTER_H = 58;
const COLUMN_GAP = 48;
const T_HEADER = 40;
const N_HEADER = 46;
const DR_H = 34;
const DR_W = 190;
const S_HEADER = 52;
const S_MIN_W = 240; // room for a name like 'Fabrikam Subnet' beside its VSID badge

export type BoxKind =
  | 'host'
  | 'vm'
  | 'router'
  | 'lsubnet'
  | 'tenant'
  | 'vmnet'
  | 'vsubnet'
  | 'drouter'
  // The SDN edge, drawn by the canvas only (LayoutOptions.edge): RAS gateway and SLB MUX VMs on
  // their hosts, a gateway's external NIC, sites and external endpoints under the link they sit
  // on (physical); virtual gateways and load balancers' VIPs under the tenants (virtual).
  | 'gateway'
  | 'mux'
  | 'gwnic'
  | 'site'
  | 'endpoint'
  | 'vgw'
  | 'vip';

/**
 * `edge`: also lay out the SDN edge objects (gateways, MUXes, sites, endpoints, virtual
 * gateways, VIPs), placed from their hosts, links and VM networks. The canvas and the stored
 * default layout (autoLayout) both do, so a scenario's stored layout is what the canvas draws.
 */
export interface LayoutOptions {
  edge?: boolean;
}

export const EDGE_NODE_W = 164;
export const EDGE_NODE_H = 58;
export const VIP_W = 216;
export const VIP_H = 66;
export const VGW_W = 250;
/** A virtual gateway's box: a header, then one line per connection. */
export const vgwHeight = (connections: number) => 46 + 16 * Math.max(1, connections);
const EDGE_ROW_GAP = 64;
/** The outer tier (links that reach only outside): its bus, under a row of sites and endpoints. */
const OUTER_BUS_Y = EDGE_NODE_H + 70;
const OUTER_BUS_MIN_W = 420;
const ROUTER_GAP = 72;

/** One object's box; x/y are relative to its parent's box when it has one. */
export interface LayoutBox {
  kind: BoxKind;
  /** The document object's id (a VM network's id for its distributed router). */
  objectId: string;
  parent?: { kind: BoxKind; objectId: string };
  x: number;
  y: number;
  width: number;
  height: number;
  /** Virtual view: the box is one adapter of the VM, nics[nicIndex], in its subnet's grid. */
  nicIndex?: number;
  /** Virtual view: the adapter's place among its subnet's adapters. */
  slot?: number;
}

function gridSize(count: number, maxCols: number): { cols: number; rows: number } {
  const cols = Math.max(1, Math.min(maxCols, count));
  return { cols, rows: Math.max(1, Math.ceil(count / cols)) };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [item]);
    else list.push(item);
  }
  return groups;
}

/** The physical view's boxes, honouring `saved` top-level positions. */
export function physicalBoxes(
  doc: TopologyDocument,
  saved: Positions = {},
  options: LayoutOptions = {},
): LayoutBox[] {
  const boxes: LayoutBox[] = [];
  const vmsByHost = groupBy(doc.vms, (vm) => vm.hostId);
  // Gateway and MUX VMs: a row of their own under the host's VMs (never widening it much).
  const infraByHost = new Map<string, { kind: 'gateway' | 'mux'; id: string }[]>();
  // What hangs under a link besides hosts: a gateway's external NIC, sites, external endpoints.
  const outsideBySubnet = new Map<string, { kind: 'gwnic' | 'site' | 'endpoint'; id: string }[]>();
  if (options.edge) {
    const push = <T>(map: Map<string, T[]>, key: string, item: T) => {
      const list = map.get(key);
      if (list) list.push(item);
      else map.set(key, [item]);
    };
    for (const g of doc.gateways ?? []) {
      push(infraByHost, g.hostId, { kind: 'gateway', id: g.id });
      push(outsideBySubnet, g.externalLogicalSubnetId, { kind: 'gwnic', id: g.id });
    }
    for (const m of doc.slbMuxes ?? []) push(infraByHost, m.hostId, { kind: 'mux', id: m.id });
    for (const site of doc.sites ?? [])
      push(outsideBySubnet, site.logicalSubnetId, { kind: 'site', id: site.id });
    for (const e of doc.externalEndpoints ?? [])
      push(outsideBySubnet, e.logicalSubnetId, { kind: 'endpoint', id: e.id });
  }
  const subnetIds = new Set(doc.logicalSubnets.map((s) => s.id));
  const hostsBySubnet = groupBy(
    doc.hosts.filter((h) => subnetIds.has(h.logicalSubnetId)),
    (h) => h.logicalSubnetId,
  );
  const unattached = doc.hosts.filter((h) => !subnetIds.has(h.logicalSubnetId));

  const placeHosts = (hosts: typeof doc.hosts, startX: number, hostY: number) => {
    let cx = startX;
    for (const host of hosts) {
      const vms = vmsByHost.get(host.id) ?? [];
      const infra = infraByHost.get(host.id) ?? [];
      const { cols: vmCols, rows: vmRows } = gridSize(vms.length, 3);
      const infraGrid = gridSize(infra.length, 3);
      const infraRows = infra.length === 0 ? 0 : infraGrid.rows;
      const rows = (vms.length === 0 && infraRows > 0 ? 0 : vmRows) + infraRows;
      const cols = Math.max(vms.length === 0 ? 1 : vmCols, infra.length === 0 ? 1 : infraGrid.cols);
      const width = Math.max(HOST_MIN_W, PAD * 2 + cols * VM_W + (cols - 1) * GAP);
      const height = HOST_HEADER + VSWITCH_H + PAD + rows * (VM_H + GAP) - GAP + PAD;
      const at = saved[host.id] ?? { x: cx, y: hostY };
      boxes.push({ kind: 'host', objectId: host.id, x: at.x, y: at.y, width, height });
      vms.forEach((vm, i) => {
        boxes.push({
          kind: 'vm',
          objectId: vm.id,
          parent: { kind: 'host', objectId: host.id },
          x: PAD + (i % cols) * (VM_W + GAP),
          y: HOST_HEADER + VSWITCH_H + PAD + Math.floor(i / cols) * (VM_H + GAP),
          width: VM_W,
          height: VM_H,
        });
      });
      const infraTop = HOST_HEADER + VSWITCH_H + PAD + (vms.length === 0 ? 0 : vmRows * (VM_H + GAP));
      infra.forEach((item, i) => {
        boxes.push({
          kind: item.kind,
          objectId: item.id,
          parent: { kind: 'host', objectId: host.id },
          x: PAD + (i % infraGrid.cols) * (VM_W + GAP),
          y: infraTop + Math.floor(i / infraGrid.cols) * (VM_H + GAP),
          width: VM_W,
          height: VM_H,
        });
      });
      cx += width + GAP * 2;
    }
    return cx - GAP * 2;
  };
  /** Sites, endpoints and gateway NICs in a row under their link, after its hosts; returns the row's end. */
  const placeOutside = (subnetId: string, startX: number, y: number) => {
    const items = outsideBySubnet.get(subnetId) ?? [];
    if (items.length === 0) return Number.NEGATIVE_INFINITY;
    let cx = startX;
    for (const item of items) {
      const at = saved[item.id] ?? { x: cx, y };
      boxes.push({ kind: item.kind, objectId: item.id, ...at, width: EDGE_NODE_W, height: EDGE_NODE_H });
      cx += EDGE_NODE_W + GAP;
    }
    return cx - GAP;
  };

  // Links that reach only outside the datacenter (a gateway's front end, the WAN, a partner's
  // VLAN) get a tier of their own above the routers, with their sites and endpoints above them:
  // the outside on top, the datacenter below, as network diagrams draw it. In one row with the
  // PA subnets they made the hybrid datacenter six times wider than high.
  const outer = new Set(
    doc.routers.length > 0 && hostsBySubnet.size > 0
      ? doc.logicalSubnets
          .filter((s) => !hostsBySubnet.has(s.id) && outsideBySubnet.has(s.id))
          .map((s) => s.id)
      : [],
  );
  const routerY = outer.size > 0 ? OUTER_BUS_Y + BUS_H + ROUTER_GAP : 0;
  const busY = routerY + BUS_Y;

  let x = 0;
  const busCenters: number[] = [];
  for (const subnet of doc.logicalSubnets) {
    if (outer.has(subnet.id)) continue;
    // Hosts hang under their bus, wherever the user put it.
    const position = saved[subnet.id] ?? { x, y: busY };
    const hostsEnd = placeHosts(hostsBySubnet.get(subnet.id) ?? [], position.x, position.y + BUS_H + 70);
    const outsideStart = hostsEnd > position.x ? hostsEnd + GAP * 2 : position.x;
    const end = Math.max(hostsEnd, placeOutside(subnet.id, outsideStart, position.y + BUS_H + 70));
    const width = Math.max(420, end - position.x);
    boxes.push({ kind: 'lsubnet', objectId: subnet.id, ...position, width, height: BUS_H });
    busCenters.push(position.x + width / 2);
    x = Math.max(x, position.x) + width + COLUMN_GAP;
  }
  if (unattached.length > 0) placeHosts(unattached, x, busY + BUS_H + 70);

  const span = busCenters.length > 0 ? [Math.min(...busCenters), Math.max(...busCenters)] : [0, 0];
  const center = (span[0] + span[1]) / 2;
  const outerWidth = (id: string) =>
    Math.max(OUTER_BUS_MIN_W, (outsideBySubnet.get(id)?.length ?? 0) * (EDGE_NODE_W + GAP) - GAP);
  const outerSubnets = doc.logicalSubnets.filter((s) => outer.has(s.id));
  let ox = center - (outerSubnets.reduce((w, s) => w + outerWidth(s.id) + COLUMN_GAP, 0) - COLUMN_GAP) / 2;
  for (const subnet of outerSubnets) {
    const position = saved[subnet.id] ?? { x: ox, y: OUTER_BUS_Y };
    const width = outerWidth(subnet.id);
    placeOutside(subnet.id, position.x, position.y - 70 - EDGE_NODE_H);
    boxes.push({ kind: 'lsubnet', objectId: subnet.id, ...position, width, height: BUS_H });
    ox = position.x + width + COLUMN_GAP;
  }

  const routerRowWidth = doc.routers.length * ROUTER_W + (doc.routers.length - 1) * COLUMN_GAP;
  let rx = center - routerRowWidth / 2;
  for (const router of doc.routers) {
    const at = saved[router.id] ?? { x: rx, y: routerY };
    boxes.push({ kind: 'router', objectId: router.id, ...at, width: ROUTER_W, height: ROUTER_H });
    rx += ROUTER_W + COLUMN_GAP;
  }
  return boxes;
}

/** The virtual view's boxes, honouring `saved` top-level positions. */
export function virtualBoxes(
  doc: TopologyDocument,
  saved: Positions = {},
  options: LayoutOptions = {},
): LayoutBox[] {
  const boxes: LayoutBox[] = [];
  // A subnet holding a load balancer's DIPs puts them in one row (up to 4), so each VIP-to-DIP
  // edge reaches its VM from below without crossing another VM.
  const dipVnics = new Set(options.edge ? (doc.loadBalancers ?? []).flatMap((lb) => lb.backendVnicIds) : []);
  const dipSubnets = new Set<string>();
  const nicsBySubnet = new Map<string, { vmId: string; nicIndex: number }[]>();
  for (const vm of doc.vms) {
    vm.nics.forEach((n, nicIndex) => {
      if (dipVnics.has(n.id)) dipSubnets.add(n.virtualSubnetId);
      const list = nicsBySubnet.get(n.virtualSubnetId);
      if (list) list.push({ vmId: vm.id, nicIndex });
      else nicsBySubnet.set(n.virtualSubnetId, [{ vmId: vm.id, nicIndex }]);
    });
  }
  const subnetsByNet = groupBy(doc.virtualSubnets, (s) => s.vmNetworkId);
  const netsByTenant = groupBy(doc.vmNetworks, (n) => n.tenantId);

  const maxCols = (subnetId: string) => (dipSubnets.has(subnetId) ? 4 : 2);
  const subnetSize = (subnetId: string) => {
    const { cols, rows } = gridSize(nicsBySubnet.get(subnetId)?.length ?? 0, maxCols(subnetId));
    return {
      width: Math.max(S_MIN_W, PAD * 2 + cols * VM_W + (cols - 1) * GAP),
      height: S_HEADER + rows * (VM_H + GAP) - GAP + PAD,
    };
  };
  const netSize = (netId: string) => {
    const sizes = (subnetsByNet.get(netId) ?? []).map((s) => subnetSize(s.id));
    const inner = sizes.reduce((w, s) => w + s.width, 0) + Math.max(0, sizes.length - 1) * GAP;
    const height = Math.max(0, ...sizes.map((s) => s.height));
    return {
      width: Math.max(DR_W + PAD * 2, inner + PAD * 2, 240),
      height: N_HEADER + DR_H + 34 + (height || 40) + PAD,
      sizes,
    };
  };

  const placeNet = (net: (typeof doc.vmNetworks)[number], tenantId: string | undefined, at: Point) => {
    const { width, height, sizes } = netSize(net.id);
    boxes.push({
      kind: 'vmnet',
      objectId: net.id,
      ...(tenantId === undefined ? {} : { parent: { kind: 'tenant', objectId: tenantId } }),
      ...at,
      width,
      height,
    });
    const parent = { kind: 'vmnet', objectId: net.id } as const;
    boxes.push({
      kind: 'drouter',
      objectId: net.id,
      parent,
      x: width / 2 - DR_W / 2,
      y: N_HEADER,
      width: DR_W,
      height: DR_H,
    });
    let sx = PAD;
    (subnetsByNet.get(net.id) ?? []).forEach((subnet, i) => {
      const size = sizes[i];
      boxes.push({ kind: 'vsubnet', objectId: subnet.id, parent, x: sx, y: N_HEADER + DR_H + 34, ...size });
      const entries = nicsBySubnet.get(subnet.id) ?? [];
      const { cols } = gridSize(entries.length, maxCols(subnet.id));
      entries.forEach((entry, k) => {
        boxes.push({
          kind: 'vm',
          objectId: entry.vmId,
          parent: { kind: 'vsubnet', objectId: subnet.id },
          nicIndex: entry.nicIndex,
          slot: k,
          x: PAD + (k % cols) * (VM_W + GAP),
          y: S_HEADER + Math.floor(k / cols) * (VM_H + GAP),
          width: VM_W,
          height: VM_H,
        });
      });
      sx += size.width + GAP;
    });
    return { width, height };
  };

  let x = 0;
  for (const tenant of doc.tenants) {
    const nets = netsByTenant.get(tenant.id) ?? [];
    const sizes = nets.map((n) => netSize(n.id));
    const inner = sizes.reduce((w, s) => w + s.width, 0) + Math.max(0, sizes.length - 1) * GAP;
    const width = Math.max(260, inner + PAD * 2);
    const height = T_HEADER + Math.max(60, ...sizes.map((s) => s.height)) + PAD;
    const at = saved[tenant.id] ?? { x, y: 0 };
    boxes.push({ kind: 'tenant', objectId: tenant.id, ...at, width, height });
    let nx = PAD;
    for (const net of nets) nx += placeNet(net, tenant.id, { x: nx, y: T_HEADER }).width + GAP;
    x += width + COLUMN_GAP;
  }
  // VM networks whose tenant is missing (invalid document): still drawn, top level.
  const tenantIds = new Set(doc.tenants.map((t) => t.id));
  for (const net of doc.vmNetworks) {
    if (tenantIds.has(net.tenantId)) continue;
    x += placeNet(net, undefined, saved[net.id] ?? { x, y: 0 }).width + COLUMN_GAP;
  }
  if (options.edge) placeEdgeRow(doc, boxes, saved);
  return boxes;
}

/**
 * Virtual gateways and load balancers' VIPs, in one row under the tenants: each under what it
 * serves (a virtual gateway under its VM network, a VIP under its DIPs), left to right without
 * overlapping. A position the user dragged wins.
 */
function placeEdgeRow(doc: TopologyDocument, boxes: LayoutBox[], saved: Positions): void {
  const containers = new Map<string, LayoutBox>();
  for (const b of boxes) if (b.kind !== 'vm') containers.set(`${b.kind}:${b.objectId}`, b);
  const origin = (b: LayoutBox): Point => {
    const parent = b.parent ? containers.get(`${b.parent.kind}:${b.parent.objectId}`) : undefined;
    const base = parent ? origin(parent) : { x: 0, y: 0 };
    return { x: base.x + b.x, y: base.y + b.y };
  };
  let bottom = 0;
  for (const b of boxes) if (!b.parent) bottom = Math.max(bottom, b.y + b.height);
  const nicCenter = new Map<string, number>();
  const vms = new Map(doc.vms.map((vm) => [vm.id, vm]));
  for (const b of boxes) {
    if (b.kind !== 'vm') continue;
    const nic = vms.get(b.objectId)?.nics[b.nicIndex ?? 0];
    if (nic && !nicCenter.has(nic.id)) nicCenter.set(nic.id, origin(b).x + b.width / 2);
  }
  const items: { kind: 'vgw' | 'vip'; id: string; anchor: number; width: number; height: number }[] = [];
  for (const vgw of doc.virtualGateways ?? []) {
    const net = containers.get(`vmnet:${vgw.vmNetworkId}`);
    const anchor = net ? origin(net).x + net.width / 2 : 0;
    items.push({ kind: 'vgw', id: vgw.id, anchor, width: VGW_W, height: vgwHeight(vgw.connections.length) });
  }
  for (const lb of doc.loadBalancers ?? []) {
    const xs = lb.backendVnicIds.map((id) => nicCenter.get(id)).filter((x) => x !== undefined);
    const anchor = xs.length > 0 ? (Math.min(...xs) + Math.max(...xs)) / 2 : 0;
    items.push({ kind: 'vip', id: lb.id, anchor, width: VIP_W, height: VIP_H });
  }
  items.sort((a, b) => a.anchor - b.anchor);
  let right = Number.NEGATIVE_INFINITY;
  const y = bottom + EDGE_ROW_GAP;
  for (const item of items) {
    const x = Math.max(item.anchor - item.width / 2, right + GAP * 2);
    const at = saved[item.id] ?? { x, y };
    boxes.push({ kind: item.kind, objectId: item.id, ...at, width: item.width, height: item.height });
    right = Math.max(right, x + item.width);
  }
}

/** Absolute positions of boxes: the first box of an object wins (a VM's first adapter). */
function absolute(boxes: LayoutBox[]): Positions {
  const byKey = new Map<string, LayoutBox>();
  for (const b of boxes) if (b.kind !== 'vm') byKey.set(`${b.kind}:${b.objectId}`, b); // VMs contain nothing
  const at = (b: LayoutBox): Point => {
    const parent = b.parent ? byKey.get(`${b.parent.kind}:${b.parent.objectId}`) : undefined;
    const base = parent ? at(parent) : { x: 0, y: 0 };
    return { x: base.x + b.x, y: base.y + b.y };
  };
  const positions = new Map<string, Point>();
  for (const b of boxes) {
    // A gateway VM sits in its host (laid out by it) and shares its id with the gateway's
    // external NIC, which is placed on its own: the NIC's position is the one stored.
    if (b.kind === 'drouter' || b.kind === 'gateway' || positions.has(b.objectId)) continue;
    positions.set(b.objectId, at(b));
  }
  // A Map, then an object: an id '__proto__' assigned into a plain object would set its prototype.
  return Object.fromEntries(positions);
}

/**
 * Where the canvas draws every object of each view when nothing is saved (absolute
 * positions; nested objects are always laid out by their container). The builder stores this
 * as a document's layout, so the canvas honours it and later drags: a stored layout whose
 * top-level objects overlap is ignored as a whole, and then no drag would stick.
 */
export function autoLayout(doc: TopologyDocument): DocumentLayout {
  return {
    physical: absolute(physicalBoxes(doc, {}, { edge: true })),
    virtual: absolute(virtualBoxes(doc, {}, { edge: true })),
  };
}
