// Geometry of both views, derived from the document (plus the positions the user
// dragged, kept in document.layout). Pure: the same document always draws the same.
import type { Edge, Node } from '@xyflow/react';
import type { TopologyDocument } from '../../engine/model/schema';
import { colorForRoutingDomain, colorForVsid } from '../colors';

export const VM_W = 156;
export const VM_H = 50;
const GAP = 12;
const PAD = 12;
const HOST_HEADER = 74;
const VSWITCH_H = 26;
const HOST_MIN_W = 320;
const BUS_H = 46;
const ROUTER_W = 180;
const ROUTER_H = 58;
const COLUMN_GAP = 48;

export type ObjectKind = 'host' | 'vm' | 'router' | 'lsubnet' | 'tenant' | 'vmnet' | 'vsubnet' | 'drouter';

export interface VmData extends Record<string, unknown> {
  objectId: string;
  kind: 'vm';
  name: string;
  /** One line per adapter. */
  nics: { caIp: string; vsid: number | null; color: string }[];
  subtitle?: string;
  /** Where it sits, for its accessible name: "on Host 1" / "in Contoso Subnet". */
  place: string;
}
export interface HostData extends Record<string, unknown> {
  objectId: string;
  kind: 'host';
  name: string;
  providerAddresses: string[];
  team: string[];
  subnetLabel: string;
  vmCount: number;
  width: number;
  height: number;
}
export interface LogicalSubnetData extends Record<string, unknown> {
  objectId: string;
  kind: 'lsubnet';
  name: string;
  prefix: string;
  vlanId: number;
  /** Tenant VLANs the ToR trunks to this subnet's hosts (VLAN isolation). */
  trunkedVlans?: number[];
  mtu: number;
  gateway: string;
  width: number;
}
export interface RouterData extends Record<string, unknown> {
  objectId: string;
  kind: 'router';
  name: string;
  interfaceCount: number;
}
export interface TenantData extends Record<string, unknown> {
  objectId: string;
  kind: 'tenant';
  name: string;
  width: number;
  height: number;
}
export interface VmNetworkData extends Record<string, unknown> {
  objectId: string;
  kind: 'vmnet';
  name: string;
  routingDomainId: string;
  color: string;
  width: number;
  height: number;
}
export interface VirtualSubnetData extends Record<string, unknown> {
  objectId: string;
  kind: 'vsubnet';
  name: string;
  vsid: number;
  /** Set when the subnet is isolated by an 802.1Q VLAN instead of the overlay. */
  vlanId?: number;
  prefix: string;
  encapsulation: string;
  color: string;
  hasAcl: boolean;
  width: number;
  height: number;
}
export interface DistributedRouterData extends Record<string, unknown> {
  objectId: string;
  kind: 'drouter';
  color: string;
}

export type LabNodeData =
  | VmData
  | HostData
  | LogicalSubnetData
  | RouterData
  | TenantData
  | VmNetworkData
  | VirtualSubnetData
  | DistributedRouterData;
export type LabNode = Node<LabNodeData>;

export interface LinkData extends Record<string, unknown> {
  label?: string;
  /** Bus edges run straight down onto the bus when they can. */
  busHalfWidth?: number;
  color?: string;
}
export type LabEdge = Edge<LinkData>;

export interface Graph {
  nodes: LabNode[];
  edges: LabEdge[];
}

/** Node ids are per view and prefixed by kind, so an object id never collides across collections. */
export const nodeId = (kind: ObjectKind, id: string) => `${kind}:${id}`;

function gridSize(count: number, maxCols: number): { cols: number; rows: number } {
  const cols = Math.max(1, Math.min(maxCols, count));
  return { cols, rows: Math.max(1, Math.ceil(count / cols)) };
}

function vsidIndex(doc: TopologyDocument): Map<string, number> {
  return new Map(doc.virtualSubnets.map((s) => [s.id, s.vsid]));
}

function vmNics(doc: TopologyDocument, vsids: Map<string, number>) {
  const byVm = new Map<string, VmData['nics']>();
  for (const vm of doc.vms) {
    byVm.set(
      vm.id,
      vm.nics.map((n) => {
        const vsid = vsids.get(n.virtualSubnetId) ?? null;
        return { caIp: n.caIp, vsid, color: vsid === null ? '#94a3b8' : colorForVsid(vsid, doc) };
      }),
    );
  }
  return byVm;
}

// ---------------------------------------------------------------------------------------
// Physical view: routers on top, PA subnets as buses, hosts (with their VMs) below.

/**
 * Saved positions are honoured unless they make top-level objects overlap (a document
 * laid out for other node sizes, e.g. an import): then the derived layout wins.
 */
function overlaps(nodes: LabNode[]): boolean {
  const top = nodes.filter((n) => !n.parentId);
  for (let i = 0; i < top.length; i++) {
    const a = top[i];
    for (let j = i + 1; j < top.length; j++) {
      const b = top[j];
      if (
        a.position.x < b.position.x + (b.width ?? 0) &&
        b.position.x < a.position.x + (a.width ?? 0) &&
        a.position.y < b.position.y + (b.height ?? 0) &&
        b.position.y < a.position.y + (a.height ?? 0)
      ) {
        return true;
      }
    }
    if (i > 400) break; // huge documents: a sample is enough
  }
  return false;
}

type Positions = Record<string, { x: number; y: number }>;

export function physicalGraph(doc: TopologyDocument): Graph {
  const saved = doc.layout?.physical ?? {};
  const graph = buildPhysical(doc, saved);
  return Object.keys(saved).length > 0 && overlaps(graph.nodes) ? buildPhysical(doc, {}) : graph;
}

export function virtualGraph(doc: TopologyDocument): Graph {
  const saved = doc.layout?.virtual ?? {};
  const graph = buildVirtual(doc, saved);
  return Object.keys(saved).length > 0 && overlaps(graph.nodes) ? buildVirtual(doc, {}) : graph;
}

/**
 * Where the canvas draws every object of each view when nothing is saved (absolute
 * positions; nested objects are always laid out by their container). Built-in scenarios
 * store this as their layout, so the canvas honours it and later drags: a stored layout
 * whose top-level objects overlap is ignored as a whole, and then no drag would stick.
 */
export function derivedLayout(doc: TopologyDocument): { physical: Positions; virtual: Positions } {
  const absolute = (graph: Graph): Positions => {
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const at = (n: LabNode): { x: number; y: number } => {
      const parent = n.parentId ? byId.get(n.parentId) : undefined;
      const base = parent ? at(parent) : { x: 0, y: 0 };
      return { x: base.x + n.position.x, y: base.y + n.position.y };
    };
    const positions: Positions = {};
    for (const n of graph.nodes) {
      if (n.type === 'drouter') continue;
      positions[n.data.objectId] ??= at(n);
    }
    return positions;
  };
  return { physical: absolute(buildPhysical(doc, {})), virtual: absolute(buildVirtual(doc, {})) };
}

function buildPhysical(doc: TopologyDocument, saved: Positions): Graph {
  const nodes: LabNode[] = [];
  const edges: LabEdge[] = [];
  const vsids = vsidIndex(doc);
  const nics = vmNics(doc, vsids);
  const tenantOf = new Map<string, string>();
  {
    const tenantName = new Map(doc.tenants.map((t) => [t.id, t.name]));
    const netTenant = new Map(doc.vmNetworks.map((n) => [n.id, tenantName.get(n.tenantId) ?? '']));
    const subnetTenant = new Map(doc.virtualSubnets.map((s) => [s.id, netTenant.get(s.vmNetworkId) ?? '']));
    for (const vm of doc.vms) tenantOf.set(vm.id, subnetTenant.get(vm.nics[0]?.virtualSubnetId ?? '') ?? '');
  }

  const vmsByHost = new Map<string, typeof doc.vms>();
  for (const vm of doc.vms) {
    const list = vmsByHost.get(vm.hostId);
    if (list) list.push(vm);
    else vmsByHost.set(vm.hostId, [vm]);
  }
  const subnetById = new Map(doc.logicalSubnets.map((s) => [s.id, s]));
  const hostsBySubnet = new Map<string, typeof doc.hosts>();
  const unattached: typeof doc.hosts = [];
  for (const h of doc.hosts) {
    if (!subnetById.has(h.logicalSubnetId)) {
      unattached.push(h);
      continue;
    }
    const list = hostsBySubnet.get(h.logicalSubnetId);
    if (list) list.push(h);
    else hostsBySubnet.set(h.logicalSubnetId, [h]);
  }

  const hostSize = (hostId: string) => {
    const count = vmsByHost.get(hostId)?.length ?? 0;
    const { cols, rows } = gridSize(count, 3);
    const width = Math.max(HOST_MIN_W, PAD * 2 + cols * VM_W + (cols - 1) * GAP);
    const height = HOST_HEADER + VSWITCH_H + PAD + rows * (VM_H + GAP) - GAP + PAD;
    return { width, height };
  };

  const BUS_Y = 130;
  const HOST_Y = BUS_Y + BUS_H + 70;
  let x = 0;
  const busCenters: number[] = [];

  const placeHosts = (
    hosts: typeof doc.hosts,
    startX: number,
    subnetLabel: (id: string) => string,
    hostY = HOST_Y,
  ) => {
    let cx = startX;
    for (const host of hosts) {
      const { width, height } = hostSize(host.id);
      const hostNodeId = nodeId('host', host.id);
      const vms = vmsByHost.get(host.id) ?? [];
      nodes.push({
        id: hostNodeId,
        type: 'host',
        position: saved[host.id] ?? { x: cx, y: hostY },
        width,
        height,
        style: { width, height },
        data: {
          objectId: host.id,
          kind: 'host',
          name: host.name,
          providerAddresses: host.providerAddresses,
          team: host.teamMembers.map((m) => m.name),
          subnetLabel: subnetLabel(host.logicalSubnetId),
          vmCount: vms.length,
          width,
          height,
        },
      });
      const { cols } = gridSize(vms.length, 3);
      vms.forEach((vm, i) => {
        nodes.push({
          id: nodeId('vm', vm.id),
          type: 'vm',
          parentId: hostNodeId,
          position: {
            x: PAD + (i % cols) * (VM_W + GAP),
            y: HOST_HEADER + VSWITCH_H + PAD + Math.floor(i / cols) * (VM_H + GAP),
          },
          width: VM_W,
          height: VM_H,
          data: {
            objectId: vm.id,
            kind: 'vm',
            name: vm.name,
            nics: nics.get(vm.id) ?? [],
            subtitle: tenantOf.get(vm.id) || undefined,
            place: `on ${host.name}`,
          },
        });
      });
      cx += width + GAP * 2;
    }
    return cx - GAP * 2;
  };

  for (const subnet of doc.logicalSubnets) {
    const hosts = hostsBySubnet.get(subnet.id) ?? [];
    // Hosts hang under their bus, wherever the user put it.
    const position = saved[subnet.id] ?? { x, y: BUS_Y };
    const end = placeHosts(hosts, position.x, () => subnet.name, position.y + BUS_H + 70);
    const width = Math.max(420, end - position.x);
    const busNodeId = nodeId('lsubnet', subnet.id);
    nodes.push({
      id: busNodeId,
      type: 'lsubnet',
      position,
      width,
      height: BUS_H,
      style: { width, height: BUS_H },
      data: {
        objectId: subnet.id,
        kind: 'lsubnet',
        name: subnet.name,
        prefix: subnet.prefix,
        vlanId: subnet.vlanId,
        ...(subnet.trunkedVlans?.length ? { trunkedVlans: subnet.trunkedVlans } : {}),
        mtu: subnet.mtu,
        gateway: subnet.defaultGateway,
        width,
      },
    });
    busCenters.push(position.x + width / 2);
    for (const host of hosts) {
      edges.push({
        id: `link:${host.id}`,
        source: busNodeId,
        sourceHandle: 'down',
        target: nodeId('host', host.id),
        targetHandle: 'up',
        type: 'bus',
        data: { busHalfWidth: width / 2 },
      });
    }
    x = Math.max(x, position.x) + width + COLUMN_GAP;
  }
  if (unattached.length > 0) placeHosts(unattached, x, () => 'not connected');

  const span = busCenters.length > 0 ? [Math.min(...busCenters), Math.max(...busCenters)] : [0, 0];
  const routerRowWidth = doc.routers.length * ROUTER_W + (doc.routers.length - 1) * COLUMN_GAP;
  let rx = (span[0] + span[1]) / 2 - routerRowWidth / 2;
  for (const router of doc.routers) {
    nodes.push({
      id: nodeId('router', router.id),
      type: 'router',
      position: saved[router.id] ?? { x: rx, y: 0 },
      width: ROUTER_W,
      height: ROUTER_H,
      data: {
        objectId: router.id,
        kind: 'router',
        name: router.name,
        interfaceCount: router.interfaces.length,
      },
    });
    for (const itf of router.interfaces) {
      if (!subnetById.has(itf.logicalSubnetId)) continue;
      const bus = nodes.find((n) => n.id === nodeId('lsubnet', itf.logicalSubnetId));
      edges.push({
        id: `rlink:${router.id}:${itf.logicalSubnetId}`,
        source: nodeId('router', router.id),
        sourceHandle: 'down',
        target: nodeId('lsubnet', itf.logicalSubnetId),
        targetHandle: 'up',
        type: 'bus',
        data: { label: itf.ip, busHalfWidth: ((bus?.width as number | undefined) ?? 340) / 2 },
      });
    }
    rx += ROUTER_W + COLUMN_GAP;
  }
  return { nodes, edges };
}

// ---------------------------------------------------------------------------------------
// Virtual view: tenants contain VM networks (routing domains, with their distributed
// router) which contain virtual subnets which contain the VMs' adapters.

const T_HEADER = 40;
const N_HEADER = 46;
const DR_H = 34;
const DR_W = 190;
const S_HEADER = 52;
const S_MIN_W = 240; // room for a name like 'Fabrikam Subnet' beside its VSID badge

function buildVirtual(doc: TopologyDocument, saved: Positions): Graph {
  const nodes: LabNode[] = [];
  const edges: LabEdge[] = [];
  const vsids = vsidIndex(doc);
  const hostName = new Map(doc.hosts.map((h) => [h.id, h.name]));

  const nicsBySubnet = new Map<string, { vmId: string; name: string; caIp: string; host: string }[]>();
  for (const vm of doc.vms) {
    for (const n of vm.nics) {
      const entry = {
        vmId: vm.id,
        name: vm.nics.length > 1 ? `${vm.name}/${n.name}` : vm.name,
        caIp: n.caIp,
        host: hostName.get(vm.hostId) ?? 'no host',
      };
      const list = nicsBySubnet.get(n.virtualSubnetId);
      if (list) list.push(entry);
      else nicsBySubnet.set(n.virtualSubnetId, [entry]);
    }
  }
  const subnetsByNet = new Map<string, typeof doc.virtualSubnets>();
  for (const s of doc.virtualSubnets) {
    const list = subnetsByNet.get(s.vmNetworkId);
    if (list) list.push(s);
    else subnetsByNet.set(s.vmNetworkId, [s]);
  }
  const netsByTenant = new Map<string, typeof doc.vmNetworks>();
  for (const n of doc.vmNetworks) {
    const list = netsByTenant.get(n.tenantId);
    if (list) list.push(n);
    else netsByTenant.set(n.tenantId, [n]);
  }

  const subnetSize = (subnetId: string) => {
    const count = nicsBySubnet.get(subnetId)?.length ?? 0;
    const { cols, rows } = gridSize(count, 2);
    return {
      width: Math.max(S_MIN_W, PAD * 2 + cols * VM_W + (cols - 1) * GAP),
      height: S_HEADER + rows * (VM_H + GAP) - GAP + PAD,
    };
  };
  const netSize = (netId: string) => {
    const subnets = subnetsByNet.get(netId) ?? [];
    const sizes = subnets.map((s) => subnetSize(s.id));
    const inner = sizes.reduce((w, s) => w + s.width, 0) + Math.max(0, sizes.length - 1) * GAP;
    const height = Math.max(0, ...sizes.map((s) => s.height));
    return {
      width: Math.max(DR_W + PAD * 2, inner + PAD * 2, 240),
      height: N_HEADER + DR_H + 34 + (height || 40) + PAD,
      sizes,
    };
  };

  const placeNet = (
    net: (typeof doc.vmNetworks)[number],
    parentId: string | undefined,
    position: { x: number; y: number },
  ) => {
    const { width, height, sizes } = netSize(net.id);
    const color = colorForRoutingDomain(net.routingDomainId, doc);
    const netNodeId = nodeId('vmnet', net.id);
    nodes.push({
      id: netNodeId,
      type: 'vmnet',
      parentId,
      position,
      // Inside a tenant the layout is derived; an orphan network (no tenant) can be moved.
      draggable: parentId === undefined,
      width,
      height,
      style: { width, height },
      data: {
        objectId: net.id,
        kind: 'vmnet',
        name: net.name,
        routingDomainId: net.routingDomainId,
        color,
        width,
        height,
      },
    });
    const drId = nodeId('drouter', net.id);
    nodes.push({
      id: drId,
      type: 'drouter',
      parentId: netNodeId,
      position: { x: width / 2 - DR_W / 2, y: N_HEADER },
      width: DR_W,
      height: DR_H,
      draggable: false,
      data: { objectId: net.id, kind: 'drouter', color },
    });
    const subnets = subnetsByNet.get(net.id) ?? [];
    let sx = PAD;
    subnets.forEach((subnet, i) => {
      const size = sizes[i];
      const subnetNodeId = nodeId('vsubnet', subnet.id);
      const scolor = colorForVsid(subnet.vsid, doc);
      nodes.push({
        id: subnetNodeId,
        type: 'vsubnet',
        parentId: netNodeId,
        position: { x: sx, y: N_HEADER + DR_H + 34 },
        width: size.width,
        height: size.height,
        style: { width: size.width, height: size.height },
        draggable: false,
        data: {
          objectId: subnet.id,
          kind: 'vsubnet',
          name: subnet.name,
          vsid: subnet.vsid,
          prefix: subnet.prefix,
          encapsulation: subnet.encapsulation,
          ...(subnet.isolation === 'vlan' ? { vlanId: subnet.vlanId } : {}),
          color: scolor,
          hasAcl: Boolean(subnet.aclId),
          width: size.width,
          height: size.height,
        },
      });
      edges.push({
        id: `gw:${subnet.id}`,
        source: drId,
        sourceHandle: 'down',
        target: subnetNodeId,
        targetHandle: 'up',
        type: 'smoothstep',
        style: { stroke: color, strokeWidth: 1.5 },
        label: gatewayOf(subnet.prefix),
        labelStyle: { fontSize: 10, fontFamily: 'ui-monospace, monospace' },
        labelBgPadding: [4, 2],
        labelBgBorderRadius: 4,
        selectable: false,
      });
      const entries = nicsBySubnet.get(subnet.id) ?? [];
      const { cols } = gridSize(entries.length, 2);
      entries.forEach((entry, k) => {
        nodes.push({
          id: `vm:${entry.vmId}:${subnet.id}:${k}`,
          type: 'vm',
          parentId: subnetNodeId,
          position: { x: PAD + (k % cols) * (VM_W + GAP), y: S_HEADER + Math.floor(k / cols) * (VM_H + GAP) },
          width: VM_W,
          height: VM_H,
          draggable: false,
          data: {
            objectId: entry.vmId,
            kind: 'vm',
            name: entry.name,
            nics: [{ caIp: entry.caIp, vsid: vsids.get(subnet.id) ?? null, color: scolor }],
            subtitle: entry.host,
            place: `in ${subnet.name}`,
          },
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
    const tenantNodeId = nodeId('tenant', tenant.id);
    const position = saved[tenant.id] ?? { x, y: 0 };
    nodes.push({
      id: tenantNodeId,
      type: 'tenant',
      position,
      width,
      height,
      style: { width, height },
      data: { objectId: tenant.id, kind: 'tenant', name: tenant.name, width, height },
    });
    let nx = PAD;
    for (const net of nets) {
      const size = placeNet(net, tenantNodeId, { x: nx, y: T_HEADER });
      nx += size.width + GAP;
    }
    x += width + COLUMN_GAP;
  }
  // VM networks whose tenant is missing (invalid document): still drawn, top level.
  const tenantIds = new Set(doc.tenants.map((t) => t.id));
  for (const net of doc.vmNetworks) {
    if (tenantIds.has(net.tenantId)) continue;
    const size = placeNet(net, undefined, saved[net.id] ?? { x, y: 0 });
    x += size.width + COLUMN_GAP;
  }
  return { nodes, edges };
}

/** The distributed router's address in a virtual subnet: the lowest host address (DOMAIN.md §6). */
export function gatewayOf(prefix: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(prefix);
  if (!m) return '';
  const value = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const length = Number(m[5]);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const gw = (((value & mask) >>> 0) + 1) >>> 0;
  return `${gw >>> 24}.${(gw >>> 16) & 255}.${(gw >>> 8) & 255}.${gw & 255}`;
}
