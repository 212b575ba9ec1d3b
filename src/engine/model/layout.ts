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

export type BoxKind = 'host' | 'vm' | 'router' | 'lsubnet' | 'tenant' | 'vmnet' | 'vsubnet' | 'drouter';

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
export function physicalBoxes(doc: TopologyDocument, saved: Positions = {}): LayoutBox[] {
  const boxes: LayoutBox[] = [];
  const vmsByHost = groupBy(doc.vms, (vm) => vm.hostId);
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
      const { cols, rows } = gridSize(vms.length, 3);
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
      cx += width + GAP * 2;
    }
    return cx - GAP * 2;
  };

  let x = 0;
  const busCenters: number[] = [];
  for (const subnet of doc.logicalSubnets) {
    // Hosts hang under their bus, wherever the user put it.
    const position = saved[subnet.id] ?? { x, y: BUS_Y };
    const end = placeHosts(hostsBySubnet.get(subnet.id) ?? [], position.x, position.y + BUS_H + 70);
    const width = Math.max(420, end - position.x);
    boxes.push({ kind: 'lsubnet', objectId: subnet.id, ...position, width, height: BUS_H });
    busCenters.push(position.x + width / 2);
    x = Math.max(x, position.x) + width + COLUMN_GAP;
  }
  if (unattached.length > 0) placeHosts(unattached, x, BUS_Y + BUS_H + 70);

  const span = busCenters.length > 0 ? [Math.min(...busCenters), Math.max(...busCenters)] : [0, 0];
  const routerRowWidth = doc.routers.length * ROUTER_W + (doc.routers.length - 1) * COLUMN_GAP;
  let rx = (span[0] + span[1]) / 2 - routerRowWidth / 2;
  for (const router of doc.routers) {
    const at = saved[router.id] ?? { x: rx, y: 0 };
    boxes.push({ kind: 'router', objectId: router.id, ...at, width: ROUTER_W, height: ROUTER_H });
    rx += ROUTER_W + COLUMN_GAP;
  }
  return boxes;
}

/** The virtual view's boxes, honouring `saved` top-level positions. */
export function virtualBoxes(doc: TopologyDocument, saved: Positions = {}): LayoutBox[] {
  const boxes: LayoutBox[] = [];
  const nicsBySubnet = new Map<string, { vmId: string; nicIndex: number }[]>();
  for (const vm of doc.vms) {
    vm.nics.forEach((n, nicIndex) => {
      const list = nicsBySubnet.get(n.virtualSubnetId);
      if (list) list.push({ vmId: vm.id, nicIndex });
      else nicsBySubnet.set(n.virtualSubnetId, [{ vmId: vm.id, nicIndex }]);
    });
  }
  const subnetsByNet = groupBy(doc.virtualSubnets, (s) => s.vmNetworkId);
  const netsByTenant = groupBy(doc.vmNetworks, (n) => n.tenantId);

  const subnetSize = (subnetId: string) => {
    const { cols, rows } = gridSize(nicsBySubnet.get(subnetId)?.length ?? 0, 2);
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
      const { cols } = gridSize(entries.length, 2);
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
  return boxes;
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
    if (b.kind === 'drouter' || positions.has(b.objectId)) continue;
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
  return { physical: absolute(physicalBoxes(doc)), virtual: absolute(virtualBoxes(doc)) };
}
