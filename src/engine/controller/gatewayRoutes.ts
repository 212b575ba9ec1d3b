// The controller's part of the RAS gateway: each VM network with a virtual gateway gets a default
// route (0.0.0.0/0) in each of its virtual subnets, next hop the gateway VM that holds its
// compartment (its PA: the lab gives the compartment no CA of its own). The distributed router
// sends there whatever no virtual subnet holds (dataplane/gateway/defaultRoute.ts).
import type { TopologyDocument, VmNetwork } from '../model/schema';
import { formatIpv4, gatewayMacOf, lowestHostAddress, prefixOf } from '../net';
import type { CustomerRoute } from './types';

export function gatewayDefaultRoutes(
  doc: TopologyDocument,
  vmNetworks: Map<string, VmNetwork>,
): { rd: string; route: CustomerRoute }[] {
  const out: { rd: string; route: CustomerRoute }[] = [];
  for (const vg of doc.virtualGateways ?? []) {
    const network = vmNetworks.get(vg.vmNetworkId);
    const gateway = doc.gateways?.find((g) => g.id === vg.gatewayId);
    if (!network || !gateway) continue;
    for (const s of doc.virtualSubnets) {
      if (s.vmNetworkId !== network.id || s.isolation === 'vlan') continue;
      out.push({
        rd: network.routingDomainId,
        route: {
          routingDomainId: network.routingDomainId,
          vmNetworkName: network.name,
          vsid: s.vsid,
          prefix: '0.0.0.0/0',
          gateway: formatIpv4(lowestHostAddress(prefixOf(s.prefix))),
          gatewayMac: gatewayMacOf(s),
          nextHop: gateway.providerAddress,
          metric: 256,
          origin: 'gateway',
          nextHopType: 'VirtualNetworkGateway',
        },
      });
    }
  }
  return out;
}
