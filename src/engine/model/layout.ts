// Default canvas positions for a document, so a scenario or an imported document shows
// up tidily. Physical view: the router on top, logical subnets below it, hosts in columns
// under their logical subnet, VMs stacked under their host. Virtual view: tenants, then
// VM networks, then virtual subnets, VMs stacked under the subnet of their first vNIC.
import type { TopologyDocument } from './schema';

type Point = { x: number; y: number };
export type DocumentLayout = NonNullable<TopologyDocument['layout']>;

export const LAYOUT_COLUMN_WIDTH = 240;
const ROW_Y = [0, 160, 320, 480];
const VM_ROW_HEIGHT = 90;

function mean(values: number[], fallback: number): number {
  if (values.length === 0) return fallback;
  let sum = 0;
  for (const v of values) sum += v;
  return Math.round(sum / values.length);
}

export function autoLayout(doc: TopologyDocument): DocumentLayout {
  return { physical: physicalLayout(doc), virtual: virtualLayout(doc) };
}

function physicalLayout(doc: TopologyDocument): Record<string, Point> {
  const positions: Record<string, Point> = {};
  const hostsBySubnet = new Map<string, string[]>();
  for (const host of doc.hosts) {
    const list = hostsBySubnet.get(host.logicalSubnetId);
    if (list === undefined) hostsBySubnet.set(host.logicalSubnetId, [host.id]);
    else list.push(host.id);
  }
  let column = 0;
  const subnetX: number[] = [];
  const placed = new Set<string>();
  for (const subnet of doc.logicalSubnets) {
    const hosts = hostsBySubnet.get(subnet.id) ?? [];
    const xs: number[] = [];
    for (const hostId of hosts) {
      if (placed.has(hostId)) continue;
      placed.add(hostId);
      const x = column++ * LAYOUT_COLUMN_WIDTH;
      positions[hostId] = { x, y: ROW_Y[2] };
      xs.push(x);
    }
    if (xs.length === 0) column++;
    const x = mean(xs, (column - 1) * LAYOUT_COLUMN_WIDTH);
    positions[subnet.id] = { x, y: ROW_Y[1] };
    subnetX.push(x);
  }
  for (const host of doc.hosts) {
    if (placed.has(host.id)) continue; // host on an unknown logical subnet: still shown
    placed.add(host.id);
    positions[host.id] = { x: column++ * LAYOUT_COLUMN_WIDTH, y: ROW_Y[2] };
  }
  const centre = mean(subnetX, 0);
  doc.routers.forEach((router, i) => {
    const offset = (i - (doc.routers.length - 1) / 2) * LAYOUT_COLUMN_WIDTH;
    positions[router.id] = { x: Math.round(centre + offset), y: ROW_Y[0] };
  });
  const vmsOnHost = new Map<string, number>();
  for (const vm of doc.vms) {
    const host = positions[vm.hostId];
    const k = vmsOnHost.get(vm.hostId) ?? 0;
    vmsOnHost.set(vm.hostId, k + 1);
    positions[vm.id] = { x: host?.x ?? 0, y: ROW_Y[3] + k * VM_ROW_HEIGHT };
  }
  return positions;
}

function virtualLayout(doc: TopologyDocument): Record<string, Point> {
  const positions: Record<string, Point> = {};
  const subnetsByNetwork = new Map<string, string[]>();
  for (const s of doc.virtualSubnets) {
    const list = subnetsByNetwork.get(s.vmNetworkId);
    if (list === undefined) subnetsByNetwork.set(s.vmNetworkId, [s.id]);
    else list.push(s.id);
  }
  const networksByTenant = new Map<string, string[]>();
  for (const n of doc.vmNetworks) {
    const list = networksByTenant.get(n.tenantId);
    if (list === undefined) networksByTenant.set(n.tenantId, [n.id]);
    else list.push(n.id);
  }
  let column = 0;
  const place = (id: string, y: number, xs: number[]): number => {
    const x = xs.length === 0 ? column++ * LAYOUT_COLUMN_WIDTH : mean(xs, 0);
    positions[id] = { x, y };
    return x;
  };
  for (const tenant of doc.tenants) {
    const networkXs: number[] = [];
    for (const networkId of networksByTenant.get(tenant.id) ?? []) {
      const subnetXs: number[] = [];
      for (const subnetId of subnetsByNetwork.get(networkId) ?? [])
        subnetXs.push(place(subnetId, ROW_Y[2], []));
      networkXs.push(place(networkId, ROW_Y[1], subnetXs));
    }
    place(tenant.id, ROW_Y[0], networkXs);
  }
  const vmsInSubnet = new Map<string, number>();
  for (const vm of doc.vms) {
    const subnetId = vm.nics[0].virtualSubnetId;
    const subnet = positions[subnetId];
    const k = vmsInSubnet.get(subnetId) ?? 0;
    vmsInSubnet.set(subnetId, k + 1);
    positions[vm.id] = { x: subnet?.x ?? 0, y: ROW_Y[3] + k * VM_ROW_HEIGHT };
  }
  return positions;
}
