// The nodes and edges of both views, derived from the document (plus the positions the user
// dragged, kept in document.layout). Pure: the same document always draws the same. Where
// each box sits is the model's layout (engine/model/layout.ts, shared with the builder);
// this file adds what each node shows.
import type { Edge, Node } from '@xyflow/react';
import { type LayoutBox, physicalBoxes, virtualBoxes } from '../../engine/model/layout';
import type { TopologyDocument } from '../../engine/model/schema';
import { gatewayOf } from '../../engine/net';
import { colorForRoutingDomain, colorForVsid } from '../colors';

export { VM_H, VM_W } from '../../engine/model/layout';

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
  /** What processes packets in its vSwitch: VFP (HNVv2) or the HNV filter (HNVv1). */
  filter: 'VFP' | 'HNV filter';
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

function sized(box: LayoutBox) {
  return { width: box.width, height: box.height, style: { width: box.width, height: box.height } };
}

function buildPhysical(doc: TopologyDocument, saved: Positions): Graph {
  const nodes: LabNode[] = [];
  const edges: LabEdge[] = [];
  const nics = vmNics(doc, vsidIndex(doc));
  const tenantOf = new Map<string, string>();
  {
    const tenantName = new Map(doc.tenants.map((t) => [t.id, t.name]));
    const netTenant = new Map(doc.vmNetworks.map((n) => [n.id, tenantName.get(n.tenantId) ?? '']));
    const subnetTenant = new Map(doc.virtualSubnets.map((s) => [s.id, netTenant.get(s.vmNetworkId) ?? '']));
    for (const vm of doc.vms) tenantOf.set(vm.id, subnetTenant.get(vm.nics[0]?.virtualSubnetId ?? '') ?? '');
  }
  const hosts = new Map(doc.hosts.map((h) => [h.id, h]));
  const subnets = new Map(doc.logicalSubnets.map((s) => [s.id, s]));
  const routers = new Map(doc.routers.map((r) => [r.id, r]));
  const vms = new Map(doc.vms.map((vm) => [vm.id, vm]));
  const vmCount = new Map<string, number>();
  for (const vm of doc.vms) vmCount.set(vm.hostId, (vmCount.get(vm.hostId) ?? 0) + 1);
  const busWidth = new Map<string, number>();

  for (const box of physicalBoxes(doc, saved)) {
    const id = nodeId(box.kind, box.objectId);
    const position = { x: box.x, y: box.y };
    if (box.kind === 'host') {
      const host = hosts.get(box.objectId)!;
      nodes.push({
        id,
        type: 'host',
        position,
        ...sized(box),
        data: {
          objectId: host.id,
          kind: 'host',
          name: host.name,
          providerAddresses: host.providerAddresses,
          team: host.teamMembers.map((m) => m.name),
          subnetLabel: subnets.get(host.logicalSubnetId)?.name ?? 'not connected',
          vmCount: vmCount.get(host.id) ?? 0,
          filter: doc.hnvMode === 'v1' ? 'HNV filter' : 'VFP',
          width: box.width,
          height: box.height,
        },
      });
    } else if (box.kind === 'vm') {
      const vm = vms.get(box.objectId)!;
      nodes.push({
        id,
        type: 'vm',
        parentId: box.parent ? nodeId(box.parent.kind, box.parent.objectId) : undefined,
        position,
        width: box.width,
        height: box.height,
        data: {
          objectId: vm.id,
          kind: 'vm',
          name: vm.name,
          nics: nics.get(vm.id) ?? [],
          subtitle: tenantOf.get(vm.id) || undefined,
          place: `on ${hosts.get(vm.hostId)?.name ?? ''}`,
        },
      });
    } else if (box.kind === 'lsubnet') {
      const subnet = subnets.get(box.objectId)!;
      busWidth.set(subnet.id, box.width);
      nodes.push({
        id,
        type: 'lsubnet',
        position,
        ...sized(box),
        data: {
          objectId: subnet.id,
          kind: 'lsubnet',
          name: subnet.name,
          prefix: subnet.prefix,
          vlanId: subnet.vlanId,
          ...(subnet.trunkedVlans?.length ? { trunkedVlans: subnet.trunkedVlans } : {}),
          mtu: subnet.mtu,
          gateway: subnet.defaultGateway,
          width: box.width,
        },
      });
      for (const host of doc.hosts) {
        if (host.logicalSubnetId !== subnet.id) continue;
        edges.push({
          id: `link:${host.id}`,
          source: id,
          sourceHandle: 'down',
          target: nodeId('host', host.id),
          targetHandle: 'up',
          type: 'bus',
          data: { busHalfWidth: box.width / 2 },
        });
      }
    } else if (box.kind === 'router') {
      const router = routers.get(box.objectId)!;
      nodes.push({
        id,
        type: 'router',
        position,
        width: box.width,
        height: box.height,
        data: {
          objectId: router.id,
          kind: 'router',
          name: router.name,
          interfaceCount: router.interfaces.length,
        },
      });
      for (const itf of router.interfaces) {
        if (!subnets.has(itf.logicalSubnetId)) continue;
        edges.push({
          id: `rlink:${router.id}:${itf.logicalSubnetId}`,
          source: id,
          sourceHandle: 'down',
          target: nodeId('lsubnet', itf.logicalSubnetId),
          targetHandle: 'up',
          type: 'bus',
          data: { label: itf.ip, busHalfWidth: (busWidth.get(itf.logicalSubnetId) ?? 340) / 2 },
        });
      }
    }
  }
  return { nodes, edges };
}

function buildVirtual(doc: TopologyDocument, saved: Positions): Graph {
  const nodes: LabNode[] = [];
  const edges: LabEdge[] = [];
  const hostName = new Map(doc.hosts.map((h) => [h.id, h.name]));
  const tenants = new Map(doc.tenants.map((t) => [t.id, t]));
  const nets = new Map(doc.vmNetworks.map((n) => [n.id, n]));
  const subnets = new Map(doc.virtualSubnets.map((s) => [s.id, s]));
  const vms = new Map(doc.vms.map((vm) => [vm.id, vm]));

  for (const box of virtualBoxes(doc, saved)) {
    const parentId = box.parent ? nodeId(box.parent.kind, box.parent.objectId) : undefined;
    const position = { x: box.x, y: box.y };
    if (box.kind === 'tenant') {
      const tenant = tenants.get(box.objectId)!;
      nodes.push({
        id: nodeId('tenant', tenant.id),
        type: 'tenant',
        position,
        ...sized(box),
        data: {
          objectId: tenant.id,
          kind: 'tenant',
          name: tenant.name,
          width: box.width,
          height: box.height,
        },
      });
    } else if (box.kind === 'vmnet') {
      const net = nets.get(box.objectId)!;
      nodes.push({
        id: nodeId('vmnet', net.id),
        type: 'vmnet',
        parentId,
        position,
        // Inside a tenant the layout is derived; an orphan network (no tenant) can be moved.
        draggable: parentId === undefined,
        ...sized(box),
        data: {
          objectId: net.id,
          kind: 'vmnet',
          name: net.name,
          routingDomainId: net.routingDomainId,
          color: colorForRoutingDomain(net.routingDomainId, doc),
          width: box.width,
          height: box.height,
        },
      });
    } else if (box.kind === 'drouter') {
      const net = nets.get(box.objectId)!;
      nodes.push({
        id: nodeId('drouter', net.id),
        type: 'drouter',
        parentId,
        position,
        width: box.width,
        height: box.height,
        draggable: false,
        data: { objectId: net.id, kind: 'drouter', color: colorForRoutingDomain(net.routingDomainId, doc) },
      });
    } else if (box.kind === 'vsubnet') {
      const subnet = subnets.get(box.objectId)!;
      const id = nodeId('vsubnet', subnet.id);
      nodes.push({
        id,
        type: 'vsubnet',
        parentId,
        position,
        ...sized(box),
        draggable: false,
        data: {
          objectId: subnet.id,
          kind: 'vsubnet',
          name: subnet.name,
          vsid: subnet.vsid,
          prefix: subnet.prefix,
          encapsulation: subnet.encapsulation,
          ...(subnet.isolation === 'vlan' ? { vlanId: subnet.vlanId } : {}),
          color: colorForVsid(subnet.vsid, doc),
          hasAcl: Boolean(subnet.aclId),
          width: box.width,
          height: box.height,
        },
      });
      const net = nets.get(subnet.vmNetworkId);
      edges.push({
        id: `gw:${subnet.id}`,
        source: nodeId('drouter', subnet.vmNetworkId),
        sourceHandle: 'down',
        target: id,
        targetHandle: 'up',
        type: 'smoothstep',
        style: { stroke: colorForRoutingDomain(net?.routingDomainId ?? '', doc), strokeWidth: 1.5 },
        label: gatewayOf(subnet.prefix) ?? '',
        labelStyle: { fontSize: 10, fontFamily: 'ui-monospace, monospace' },
        labelBgPadding: [4, 2],
        labelBgBorderRadius: 4,
        selectable: false,
      });
    } else if (box.kind === 'vm' && box.parent) {
      const vm = vms.get(box.objectId)!;
      const nic = vm.nics[box.nicIndex ?? 0];
      const subnet = subnets.get(box.parent.objectId)!;
      nodes.push({
        id: `vm:${vm.id}:${subnet.id}:${box.slot ?? 0}`,
        type: 'vm',
        parentId,
        position,
        width: box.width,
        height: box.height,
        draggable: false,
        data: {
          objectId: vm.id,
          kind: 'vm',
          name: vm.nics.length > 1 ? `${vm.name}/${nic.name}` : vm.name,
          nics: [{ caIp: nic.caIp, vsid: subnet.vsid, color: colorForVsid(subnet.vsid, doc) }],
          subtitle: hostName.get(vm.hostId) ?? 'no host',
          place: `in ${subnet.name}`,
        },
      });
    }
  }
  edges.push(...peeringEdges(doc));
  return { nodes, edges };
}

/**
 * One dashed link per pair of peered VM networks, between their distributed routers (left to
 * right in document order): 'peering' when both sides peer, 'peering (Initiated)' for one side.
 */
function peeringEdges(doc: TopologyDocument): LabEdge[] {
  const order = new Map(doc.vmNetworks.map((n, i) => [n.id, i]));
  const pairs = new Map<string, { a: string; b: string; sides: number }>();
  for (const n of doc.vmNetworks)
    for (const p of n.peerings ?? []) {
      if (!order.has(p.remoteVmNetworkId) || p.remoteVmNetworkId === n.id) continue;
      const [a, b] =
        (order.get(n.id) ?? 0) < (order.get(p.remoteVmNetworkId) ?? 0)
          ? [n.id, p.remoteVmNetworkId]
          : [p.remoteVmNetworkId, n.id];
      const key = `${a}|${b}`;
      const pair = pairs.get(key) ?? { a, b, sides: 0 };
      pair.sides++;
      pairs.set(key, pair);
    }
  return [...pairs.values()].map(({ a, b, sides }) => ({
    id: `peering:${a}:${b}`,
    source: nodeId('drouter', a),
    sourceHandle: 'peer-out',
    target: nodeId('drouter', b),
    targetHandle: 'peer-in',
    type: 'smoothstep',
    style: { stroke: sides > 1 ? '#0d9488' : '#d97706', strokeWidth: 1.5, strokeDasharray: '5 3' },
    label: sides > 1 ? 'peering' : 'peering (Initiated)',
    labelStyle: { fontSize: 10 },
    labelBgPadding: [4, 2] as [number, number],
    labelBgBorderRadius: 4,
    selectable: false,
    zIndex: 1,
  }));
}
