// The hybrid scenario's brief, written from its document (plain data: the UI loads it, so it
// imports types only; the document is built in hybridGateway.ts).
import type { TopologyDocument } from '../engine/model/schema';
import type { ScenarioBrief } from './briefs';

export function hybridGatewayBrief(doc: TopologyDocument): ScenarioBrief {
  const gw = doc.gateways?.[0];
  const hq = doc.sites?.find((s) => s.id === 'contoso-hq');
  const contoso = doc.virtualGateways?.find((v) => v.id === 'contoso-gw');
  const gre = contoso?.connections.find((c) => c.type === 'gre');
  const bgp = contoso?.bgpRoutes?.[0];
  const l3 = doc.virtualGateways
    ?.find((v) => v.id === 'fabrikam-gw')
    ?.connections.find((c) => c.type === 'l3');
  const partner = doc.sites?.find((s) => s.kind === 'physical');
  return {
    description: `A multi-tenant RAS gateway (${gw?.name}, PA ${gw?.providerAddress}, front end ${gw?.externalIp}) holds one compartment per tenant. Contoso reaches ${hq?.name} (${hq?.prefixes.join(', ')}, learnt from BGP peer ${bgp?.peerIp}) through a GRE tunnel with key ${gre?.type === 'gre' ? gre.greKey : '?'} and the internet through NAT to ${gw?.externalIp}; Fabrikam reaches its branch, with the same 172.16.0.0/16, over IPsec (ESP), and a partner's DMZ by L3 forwarding on a VLAN. A VM's packet for anything outside its virtual subnets takes the default route to the gateway in VXLAN.`,
    tryThis: [
      `Trace Contoso/Web → 172.16.0.10, ping: VXLAN to ${gw?.providerAddress}, the gateway's route from BGP, then GRE (IP protocol 47, key ${gre?.type === 'gre' ? gre.greKey : '?'}) from ${gw?.externalIp} to ${hq?.edgeIp}; the echo reply comes back through the same tunnel.`,
      `Trace Contoso/Web → 8.8.8.8: the gateway's NAT rewrites the source to ${gw?.externalIp}; the reply is mapped back to 10.1.1.12.`,
      'Trace Fabrikam/Web → 172.16.0.10: the same address, another tenant: ESP with its own SPI, payload encrypted. Export the pcap: Wireshark shows only the SPI and sequence.',
      ...(l3?.type === 'l3'
        ? [
            `Trace Fabrikam/Web → ${partner?.hosts?.[0] ?? partner?.prefixes[0]}: L3 forwarding, no tunnel. The gateway sends the packet as it is, tagged VLAN ${l3.vlanId}, from its L3 interface ${l3.localIp} to the partner's router ${l3.peerIp}; the answer comes back on VLAN ${l3.vlanId} into Fabrikam's compartment.`,
          ]
        : []),
    ],
  };
}
