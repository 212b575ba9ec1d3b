// Default canvas positions for a document, so a scenario or an imported document shows up
// tidily. Leaves sit side by side in slots; each parent is centred over its children.
// Physical view: the router on top, logical subnets, their hosts, each host's VMs.
// Virtual view: tenants, their VM networks, virtual subnets, the VMs of each subnet
// (by a VM's first vNIC).
import type { TopologyDocument } from './schema';

type Point = { x: number; y: number };
export type DocumentLayout = NonNullable<TopologyDocument['layout']>;

export const LAYOUT_SLOT_WIDTH = 160;
const PHYSICAL_ROWS = { router: 40, logicalSubnet: 180, host: 320, vm: 480 };
const VIRTUAL_ROWS = { tenant: 40, vmNetwork: 140, virtualSubnet: 250, vm: 380 };

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

/**
 * Lays out a tree of ids: leaves take consecutive slots, parents are centred over children.
 * Positions are collected in a Map: an object id '__proto__' assigned into a plain object
 * would set its prototype instead of adding a key.
 */
class SlotLayout {
  private readonly placed = new Map<string, Point>();
  private slot = 0;

  get positions(): Record<string, Point> {
    return Object.fromEntries(this.placed);
  }

  place(id: string, point: Point): void {
    this.placed.set(id, point);
  }

  leaf(id: string, y: number): number {
    const x = this.slot++ * LAYOUT_SLOT_WIDTH;
    this.placed.set(id, { x, y });
    return x;
  }

  /** An empty slot, for a parent without children. */
  gap(): number {
    return this.slot++ * LAYOUT_SLOT_WIDTH;
  }

  parent(id: string, y: number, childXs: number[]): number {
    const x =
      childXs.length === 0 ? this.gap() : Math.round((Math.min(...childXs) + Math.max(...childXs)) / 2);
    this.placed.set(id, { x, y });
    return x;
  }
}

export function autoLayout(doc: TopologyDocument): DocumentLayout {
  return { physical: physicalLayout(doc), virtual: virtualLayout(doc) };
}

function physicalLayout(doc: TopologyDocument): Record<string, Point> {
  const layout = new SlotLayout();
  const rows = PHYSICAL_ROWS;
  const vmsOnHost = groupBy(doc.vms, (vm) => vm.hostId);
  const hostsOnSubnet = groupBy(doc.hosts, (host) => host.logicalSubnetId);
  const placeHost = (hostId: string): number => {
    const vmXs = (vmsOnHost.get(hostId) ?? []).map((vm) => layout.leaf(vm.id, rows.vm));
    return layout.parent(hostId, rows.host, vmXs);
  };
  const subnetXs: number[] = [];
  const known = new Set(doc.logicalSubnets.map((s) => s.id));
  for (const subnet of doc.logicalSubnets) {
    const hostXs = (hostsOnSubnet.get(subnet.id) ?? []).map((host) => placeHost(host.id));
    subnetXs.push(layout.parent(subnet.id, rows.logicalSubnet, hostXs));
  }
  for (const host of doc.hosts) if (!known.has(host.logicalSubnetId)) placeHost(host.id);
  const centre = subnetXs.length === 0 ? 0 : Math.round((Math.min(...subnetXs) + Math.max(...subnetXs)) / 2);
  doc.routers.forEach((router, i) => {
    const offset = (i - (doc.routers.length - 1) / 2) * 2 * LAYOUT_SLOT_WIDTH;
    layout.place(router.id, { x: Math.round(centre + offset), y: rows.router });
  });
  return layout.positions;
}

function virtualLayout(doc: TopologyDocument): Record<string, Point> {
  const layout = new SlotLayout();
  const rows = VIRTUAL_ROWS;
  const vmsInSubnet = groupBy(doc.vms, (vm) => vm.nics[0].virtualSubnetId);
  const subnetsInNetwork = groupBy(doc.virtualSubnets, (s) => s.vmNetworkId);
  const networksOfTenant = groupBy(doc.vmNetworks, (n) => n.tenantId);
  for (const tenant of doc.tenants) {
    const networkXs = (networksOfTenant.get(tenant.id) ?? []).map((network) => {
      const subnetXs = (subnetsInNetwork.get(network.id) ?? []).map((subnet) => {
        const vmXs = (vmsInSubnet.get(subnet.id) ?? []).map((vm) => layout.leaf(vm.id, rows.vm));
        return layout.parent(subnet.id, rows.virtualSubnet, vmXs);
      });
      return layout.parent(network.id, rows.vmNetwork, subnetXs);
    });
    layout.parent(tenant.id, rows.tenant, networkXs);
  }
  return layout.positions;
}
