// Static lookups over the document's objects (everything but VMs), and a vNIC with all it
// refers to resolved: what the controller compiles from.
import type {
  Acl,
  Host,
  LogicalSubnet,
  Tenant,
  TopologyDocument,
  VirtualSubnet,
  Vm,
  VmNetwork,
  Vnic,
} from '../model/schema';
import { formatIpv4, gatewayMacOf, lowestHostAddress, prefixOf } from '../net';
import { gatewayDefaultRoutes } from './gatewayRoutes';
import { Routing } from './routing';
import type { CustomerRoute } from './types';

/** A vNIC with everything it refers to resolved. */
export interface ResolvedVnic {
  vnic: Vnic;
  vm: Vm;
  vmIndex: number;
  host: Host;
  subnet: VirtualSubnet;
  vmNetwork: VmNetwork;
  tenant: Tenant;
  label: string;
}

export const recordKey = (vsid: number, caIp: string): string => `${vsid}/${caIp}`;
export const routeKey = (r: CustomerRoute) => `${r.vsid}/${r.prefix}`;

/** Static lookups over the document's objects (everything but VMs). */
export class DocumentIndex {
  tenants = new Map<string, Tenant>();
  vmNetworks = new Map<string, VmNetwork>();
  subnets = new Map<string, VirtualSubnet>();
  acls = new Map<string, Acl>();
  hosts = new Map<string, Host>();
  logicalSubnets = new Map<string, LogicalSubnet>();
  subnetsByRd = new Map<string, VirtualSubnet[]>();
  rdOfVsid = new Map<number, string>();
  /** Each routing domain's customer routes with their keys, built once: a move pushes them as they are. */
  routesByRd = new Map<string, { key: string; route: CustomerRoute }[]>();
  /** Peering and user-defined routes (added to `routesByRd`) and the route lookup. */
  routing: Routing;
  constructor(doc: TopologyDocument) {
    for (const t of doc.tenants) this.tenants.set(t.id, t);
    for (const n of doc.vmNetworks) this.vmNetworks.set(n.id, n);
    for (const a of doc.acls) this.acls.set(a.id, a);
    for (const h of doc.hosts) this.hosts.set(h.id, h);
    for (const l of doc.logicalSubnets) this.logicalSubnets.set(l.id, l);
    for (const s of doc.virtualSubnets) {
      this.subnets.set(s.id, s);
      const rd = this.vmNetworks.get(s.vmNetworkId)?.routingDomainId ?? '';
      this.rdOfVsid.set(s.vsid, rd);
      const list = this.subnetsByRd.get(rd) ?? [];
      list.push(s);
      this.subnetsByRd.set(rd, list);
      // VLAN-isolated subnets are not routed by the distributed router (one VLAN = one IP subnet).
      if (s.isolation === 'vlan') continue;
      const route: CustomerRoute = {
        routingDomainId: rd,
        vmNetworkName: this.vmNetworks.get(s.vmNetworkId)?.name ?? '',
        vsid: s.vsid,
        prefix: s.prefix,
        gateway: formatIpv4(lowestHostAddress(prefixOf(s.prefix))),
        gatewayMac: gatewayMacOf(s),
        nextHop: '0.0.0.0',
        metric: 256,
      };
      const routes = this.routesByRd.get(rd) ?? [];
      routes.push({ key: routeKey(route), route });
      this.routesByRd.set(rd, routes);
    }
    for (const { rd, route } of gatewayDefaultRoutes(doc, this.vmNetworks)) {
      const routes = this.routesByRd.get(rd) ?? [];
      routes.push({ key: routeKey(route), route });
      this.routesByRd.set(rd, routes);
    }
    this.routing = new Routing(doc, this);
  }
  resolveVm(vm: Vm, vmIndex: number): ResolvedVnic[] {
    const host = this.hosts.get(vm.hostId);
    if (!host) return [];
    const out: ResolvedVnic[] = [];
    for (const vnic of vm.nics) {
      const subnet = this.subnets.get(vnic.virtualSubnetId);
      const vmNetwork = subnet && this.vmNetworks.get(subnet.vmNetworkId);
      const tenant = vmNetwork && this.tenants.get(vmNetwork.tenantId);
      if (!subnet || !vmNetwork || !tenant) continue;
      const label =
        vm.nics.length > 1 ? `${tenant.name}/${vm.name}/${vnic.name}` : `${tenant.name}/${vm.name}`;
      out.push({ vnic, vm, vmIndex, host, subnet, vmNetwork, tenant, label });
    }
    return out;
  }
}
