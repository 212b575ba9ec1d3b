// The nodes and edges of both views, derived from the document (plus the positions the user
// dragged, kept in document.layout). Pure: the same document always draws the same. Where
// each box sits is the model's layout (engine/model/layout.ts, shared with the builder);
// this file adds what each node shows.
import type { Edge, Node } from '@xyflow/react';
import { type BoxKind, type LayoutBox, physicalBoxes, virtualBoxes } from '../../engine/model/layout';
import type { TopologyDocument } from '../../engine/model/schema';
import { gatewayOf } from '../../engine/net';
import { colorForRoutingDomain, colorForVsid } from '../colors';

export { VM_H, VM_W } from '../../engine/model/layout';

export type ObjectKind = BoxKind;

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

/** A RAS gateway VM or an SLB MUX VM on its host (physical view). */
export interface InfraVmData extends Record<string, unknown> {
  objectId: string;
  kind: 'gateway' | 'mux';
  name: string;
  /** "RAS gateway" / "SLB MUX". */
  role: string;
  /** Its address on the host's link (a gateway's PA, a MUX's IP) and a second fact. */
  ip: string;
  detail: string;
  place: string;
}
/** What sits on a link beyond the router: a site, an external endpoint, a gateway's external NIC. */
export interface OutsideData extends Record<string, unknown> {
  objectId: string;
  kind: 'site' | 'endpoint' | 'gwnic';
  name: string;
  role: string;
  ip: string;
  detail: string;
}
/** A tenant's virtual gateway (virtual view): its compartment and one line per connection. */
export interface VirtualGatewayData extends Record<string, unknown> {
  objectId: string;
  kind: 'vgw';
  name: string;
  gatewayName: string;
  connections: { id: string; text: string }[];
  color: string;
}
/** A load balancer's frontend (virtual view). */
export interface VipData extends Record<string, unknown> {
  objectId: string;
  kind: 'vip';
  name: string;
  vip: string;
  rules: string;
  pool: string;
}

export type LabNodeData =
  | InfraVmData
  | OutsideData
  | VirtualGatewayData
  | VipData
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
  const busSpan = new Map<string, { top: number; bottom: number }>();

  const gateways = new Map((doc.gateways ?? []).map((g) => [g.id, g]));
  const muxes = new Map((doc.slbMuxes ?? []).map((m) => [m.id, m]));
  const sites = new Map((doc.sites ?? []).map((s) => [s.id, s]));
  const endpoints = new Map((doc.externalEndpoints ?? []).map((e) => [e.id, e]));
  // A site or an endpoint drawn above its link hangs from the link's top (the outer tier).
  const outsideLinks: { id: string; subnetId: string; bottom: number }[] = [];

  for (const box of physicalBoxes(doc, saved, { edge: true })) {
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
      busSpan.set(subnet.id, { top: box.y, bottom: box.y + box.height });
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
    } else if (box.kind === 'gateway' || box.kind === 'mux') {
      const host = hosts.get(box.parent?.objectId ?? '');
      const common = {
        id,
        type: 'infra',
        parentId: box.parent ? nodeId(box.parent.kind, box.parent.objectId) : undefined,
        position,
        width: box.width,
        height: box.height,
        draggable: false,
      };
      if (box.kind === 'gateway') {
        const g = gateways.get(box.objectId)!;
        nodes.push({
          ...common,
          data: {
            objectId: g.id,
            kind: 'gateway',
            name: g.name,
            role: 'RAS gateway',
            ip: g.providerAddress,
            detail: `ext ${g.externalIp}`,
            place: `on ${host?.name ?? ''}`,
          },
        });
      } else {
        const m = muxes.get(box.objectId)!;
        nodes.push({
          ...common,
          data: {
            objectId: m.id,
            kind: 'mux',
            name: m.name,
            role: 'SLB MUX',
            ip: m.ip,
            detail: `AS ${m.asn}`,
            place: `on ${host?.name ?? ''}`,
          },
        });
      }
    } else if (box.kind === 'site' || box.kind === 'endpoint' || box.kind === 'gwnic') {
      let data: OutsideData;
      let subnetId: string;
      if (box.kind === 'site') {
        const site = sites.get(box.objectId)!;
        subnetId = site.logicalSubnetId;
        data = {
          objectId: site.id,
          kind: 'site',
          name: site.name,
          role: site.kind === 'internet' ? 'Internet' : 'On-premises site',
          ip: site.edgeIp,
          detail: site.prefixes.join(', '),
        };
      } else if (box.kind === 'endpoint') {
        const e = endpoints.get(box.objectId)!;
        subnetId = e.logicalSubnetId;
        data = {
          objectId: e.id,
          kind: 'endpoint',
          name: `${subnets.get(e.logicalSubnetId)?.name ?? '?'}/${e.name}`,
          role: 'External endpoint',
          ip: e.ip,
          detail: e.mac,
        };
      } else {
        const g = gateways.get(box.objectId)!;
        subnetId = g.externalLogicalSubnetId;
        data = {
          objectId: g.id,
          kind: 'gwnic',
          name: `${g.name} external NIC`,
          role: 'RAS gateway',
          ip: g.externalIp,
          detail: `on ${hosts.get(g.hostId)?.name ?? '?'}`,
        };
      }
      nodes.push({ id, type: 'outside', position, width: box.width, height: box.height, data });
      outsideLinks.push({ id, subnetId, bottom: box.y + box.height });
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
        // A link drawn above the router (the outer tier) is reached from the router's top.
        const above = (busSpan.get(itf.logicalSubnetId)?.bottom ?? 0) <= box.y;
        edges.push({
          id: `rlink:${router.id}:${itf.logicalSubnetId}`,
          source: id,
          sourceHandle: above ? 'top' : 'down',
          target: nodeId('lsubnet', itf.logicalSubnetId),
          targetHandle: above ? 'bottom-in' : 'up',
          type: 'bus',
          data: { label: itf.ip, busHalfWidth: (busWidth.get(itf.logicalSubnetId) ?? 340) / 2 },
        });
      }
    }
  }
  for (const link of outsideLinks) {
    if (!subnets.has(link.subnetId)) continue;
    const above = link.bottom <= (busSpan.get(link.subnetId)?.top ?? 0);
    edges.push({
      id: `olink:${link.id}`,
      source: nodeId('lsubnet', link.subnetId),
      sourceHandle: above ? 'top-out' : 'down',
      target: link.id,
      targetHandle: above ? 'bottom-in' : 'up',
      type: 'bus',
      data: { busHalfWidth: (busWidth.get(link.subnetId) ?? 340) / 2 },
      selectable: false,
    });
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

  const vgws = new Map((doc.virtualGateways ?? []).map((g) => [g.id, g]));
  const lbs = new Map((doc.loadBalancers ?? []).map((lb) => [lb.id, lb]));
  const gatewayName = new Map((doc.gateways ?? []).map((g) => [g.id, g.name]));
  const siteName = new Map((doc.sites ?? []).map((s) => [s.id, s.name]));
  /** The virtual view's node of each vNIC (its VM's tile in its subnet). */
  const nicNode = new Map<string, string>();
  const vipBoxes: string[] = [];

  for (const box of virtualBoxes(doc, saved, { edge: true })) {
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
      const vmNodeId = `vm:${vm.id}:${subnet.id}:${box.slot ?? 0}`;
      nicNode.set(nic.id, vmNodeId);
      nodes.push({
        id: vmNodeId,
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
    } else if (box.kind === 'vgw') {
      const vgw = vgws.get(box.objectId)!;
      const net = nets.get(vgw.vmNetworkId);
      const color = colorForRoutingDomain(net?.routingDomainId ?? '', doc);
      const id = nodeId('vgw', vgw.id);
      nodes.push({
        id,
        type: 'vgw',
        position,
        ...sized(box),
        data: {
          objectId: vgw.id,
          kind: 'vgw',
          name: vgw.name,
          gatewayName: gatewayName.get(vgw.gatewayId) ?? vgw.gatewayId,
          connections: vgw.connections.map((c) => ({ id: c.id, text: connectionText(c, siteName) })),
          color,
        },
      });
      if (net)
        edges.push({
          id: `vgwlink:${vgw.id}`,
          source: nodeId('vmnet', net.id),
          sourceHandle: 'gateway',
          target: id,
          targetHandle: 'up',
          type: 'smoothstep',
          style: { stroke: color, strokeWidth: 1.5, strokeDasharray: '6 3' },
          label: '0.0.0.0/0',
          labelStyle: { fontSize: 10, fontFamily: 'ui-monospace, monospace' },
          labelBgPadding: [4, 2] as [number, number],
          labelBgBorderRadius: 4,
          selectable: false,
        });
    } else if (box.kind === 'vip') {
      const lb = lbs.get(box.objectId)!;
      vipBoxes.push(lb.id);
      const failing = lb.probeFailures?.length ?? 0;
      nodes.push({
        id: nodeId('vip', lb.id),
        type: 'vip',
        position,
        ...sized(box),
        data: {
          objectId: lb.id,
          kind: 'vip',
          name: lb.name,
          vip: lb.frontendIp,
          rules:
            lb.rules
              .map((r) => `${r.protocol.toUpperCase()} ${r.frontendPort}→${r.backendPort}`)
              .join(', ') || 'no rules',
          pool: `${lb.backendVnicIds.length} ${lb.backendVnicIds.length === 1 ? 'DIP' : 'DIPs'}${failing > 0 ? ` · ${failing} probe${failing === 1 ? '' : 's'} failing` : ''}`,
        },
      });
    }
  }
  // Each VIP to its DIPs: a failing probe's DIP is drawn dashed and red.
  for (const lbId of vipBoxes) {
    const lb = lbs.get(lbId)!;
    const failing = new Set(lb.probeFailures ?? []);
    for (const nicId of lb.backendVnicIds) {
      const target = nicNode.get(nicId);
      if (!target) continue;
      edges.push({
        id: `dip:${lb.id}:${nicId}`,
        source: nodeId('vip', lb.id),
        sourceHandle: 'dips',
        target,
        targetHandle: 'dip',
        type: 'default',
        style: failing.has(nicId)
          ? { stroke: '#dc2626', strokeWidth: 1.5, strokeDasharray: '4 3' }
          : { stroke: '#7c3aed', strokeWidth: 1.5 },
        selectable: false,
        zIndex: 1,
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

/** One line of a virtual gateway's node: "GRE HQ GRE → Contoso HQ · key 5001". */
function connectionText(
  c: NonNullable<TopologyDocument['virtualGateways']>[number]['connections'][number],
  siteName: Map<string, string>,
): string {
  switch (c.type) {
    case 'gre':
      return `GRE key ${c.greKey} → ${siteName.get(c.siteId) ?? c.siteId}`;
    case 'ipsec':
      return `IPsec → ${siteName.get(c.siteId) ?? c.siteId}`;
    case 'l3':
      return `L3 VLAN ${c.vlanId} → ${c.peerIp}`;
    case 'nat':
      return `NAT ${c.publicIp ?? 'gateway IP'} :${c.portRangeStart}-${c.portRangeEnd}`;
  }
}
