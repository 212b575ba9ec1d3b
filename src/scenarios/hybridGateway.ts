// The hybrid scenario: the multi-tenant datacenter plus a multi-tenant RAS gateway. Contoso
// reaches its on-premises site (172.16.0.0/16, learnt over BGP) through a GRE tunnel and the
// internet through NAT; Fabrikam reaches its own branch (the same 172.16.0.0/16: tenants'
// on-premises ranges overlap too) over IPsec. Beyond the L3 router: a WAN link with the two
// sites' edge devices and the ISP's router (the internet). Fabrikam also reaches a partner's
// DMZ (192.168.50.0/24) by L3 forwarding on VLAN 50. Its JSON is written from here.
import { DatacenterBuilder } from '../engine/model/builder';
import { autoLayout } from '../engine/model/layout';
import type { TopologyDocument } from '../engine/model/schema';

export function hybridGateway(): TopologyDocument {
  const b = new DatacenterBuilder('Hybrid: Contoso on-premises over site-to-site', 'v2');
  const provider = b.logicalNetwork('HNV Provider', 'hnv-pa');
  const pa1 = b.logicalSubnet({
    name: 'PA Subnet 1',
    prefix: '192.168.1.0/24',
    vlanId: 10,
    logicalNetworkId: provider,
    id: 'pa-subnet-1',
  });
  const pa2 = b.logicalSubnet({
    name: 'PA Subnet 2',
    prefix: '192.168.2.0/24',
    vlanId: 20,
    logicalNetworkId: provider,
    id: 'pa-subnet-2',
  });
  const publicNet = b.logicalNetwork('Public', 'public');
  b.logicalSubnet({
    name: 'Gateway front end',
    prefix: '131.107.0.0/24',
    logicalNetworkId: publicNet,
    mtu: 1500,
    id: 'front-end',
  });
  b.logicalSubnet({
    name: 'WAN',
    prefix: '198.51.100.0/24',
    logicalNetworkId: publicNet,
    mtu: 1500,
    id: 'wan',
  });
  b.router({ name: 'L3 Router', id: 'l3-router' });
  // Fabrikam's partner network: a physical network the gateway reaches on VLAN 50 (L3
  // forwarding, no tunnel), not through the L3 router. Its router is the L3 connection's peer.
  const partnerNet = b.logicalNetwork('Partner', 'partner');
  b.logicalSubnet({
    name: 'Partner VLAN 50',
    prefix: '10.50.0.0/24',
    vlanId: 50,
    logicalNetworkId: partnerNet,
    mtu: 1500,
    id: 'partner-vlan-50',
  });
  const host1 = b.host({
    name: 'Host 1',
    logicalSubnetId: pa1,
    providerAddresses: ['192.168.1.10', '192.168.1.11'],
    id: 'host-1',
  });
  const host2 = b.host({
    name: 'Host 2',
    logicalSubnetId: pa2,
    providerAddresses: ['192.168.2.20', '192.168.2.21'],
    id: 'host-2',
  });
  b.host({
    name: 'Host 3',
    logicalSubnetId: pa1,
    providerAddresses: ['192.168.1.30', '192.168.1.31'],
    id: 'host-3',
  });
  const contoso = b.tenant('Contoso', 'contoso');
  const fabrikam = b.tenant('Fabrikam', 'fabrikam');
  const contosoNet = b.vmNetwork({ tenantId: contoso, name: 'Contoso Net', id: 'contoso-net' });
  const fabrikamNet = b.vmNetwork({ tenantId: fabrikam, name: 'Fabrikam Net', id: 'fabrikam-net' });
  const contosoSubnet = b.virtualSubnet({
    vmNetworkId: contosoNet,
    name: 'Contoso Subnet',
    prefix: '10.1.1.0/24',
    vsid: 5001,
    id: 'contoso-subnet',
  });
  const fabrikamSubnet = b.virtualSubnet({
    vmNetworkId: fabrikamNet,
    name: 'Fabrikam Subnet',
    prefix: '10.1.1.0/24',
    vsid: 6001,
    id: 'fabrikam-subnet',
  });
  b.vm('SQL', { hostId: host1, virtualSubnetId: contosoSubnet, caIp: '10.1.1.11' });
  b.vm('Web', { hostId: host2, virtualSubnetId: contosoSubnet, caIp: '10.1.1.12' });
  b.vm('SQL', { hostId: host1, virtualSubnetId: fabrikamSubnet, caIp: '10.1.1.11' });
  b.vm('Web', { hostId: host2, virtualSubnetId: fabrikamSubnet, caIp: '10.1.1.12' });
  const doc = b.build();
  doc.gatewayPools = [{ id: 'default-pool', name: 'Default pool', type: 'All' }];
  doc.gateways = [
    {
      id: 'gw1',
      name: 'GW1',
      poolId: 'default-pool',
      hostId: 'host-3',
      providerAddress: '192.168.1.50',
      mac: '00:15:5d:0a:00:01',
      externalLogicalSubnetId: 'front-end',
      externalIp: '131.107.0.10',
      externalMac: '00:15:5d:0a:00:02',
    },
  ];
  doc.sites = [
    {
      id: 'contoso-hq',
      name: 'Contoso HQ',
      kind: 'on-premises',
      logicalSubnetId: 'wan',
      edgeIp: '198.51.100.2',
      edgeMac: '00:15:5d:0b:00:02',
      prefixes: ['172.16.0.0/16'],
      hosts: ['172.16.0.10', '172.16.0.11'],
    },
    {
      id: 'fabrikam-branch',
      name: 'Fabrikam Branch',
      kind: 'on-premises',
      logicalSubnetId: 'wan',
      edgeIp: '198.51.100.3',
      edgeMac: '00:15:5d:0b:00:03',
      prefixes: ['172.16.0.0/16'],
      hosts: ['172.16.0.10'],
    },
    {
      id: 'internet',
      name: 'Internet',
      kind: 'internet',
      logicalSubnetId: 'wan',
      edgeIp: '198.51.100.254',
      edgeMac: '00:15:5d:0b:00:fe',
      prefixes: ['0.0.0.0/0'],
      hosts: ['8.8.8.8', '1.1.1.1'],
    },
    {
      id: 'partner-dmz',
      name: 'Partner DMZ',
      kind: 'physical',
      logicalSubnetId: 'partner-vlan-50',
      edgeIp: '10.50.0.1',
      edgeMac: '00:15:5d:0b:00:50',
      prefixes: ['192.168.50.0/24'],
      hosts: ['192.168.50.10'],
    },
  ];
  doc.virtualGateways = [
    {
      id: 'contoso-gw',
      name: 'Contoso Gateway',
      vmNetworkId: 'contoso-net',
      poolId: 'default-pool',
      gatewayId: 'gw1',
      connections: [
        { id: 'contoso-hq-gre', name: 'HQ GRE', type: 'gre', siteId: 'contoso-hq', greKey: 5001, routes: [] },
        {
          id: 'contoso-nat',
          name: 'Internet NAT',
          type: 'nat',
          portRangeStart: 10000,
          portRangeEnd: 19999,
        },
      ],
      bgpRoutes: [
        { prefix: '172.16.0.0/16', connectionId: 'contoso-hq-gre', peerIp: '172.16.0.1', peerAsn: 65001 },
      ],
    },
    {
      id: 'fabrikam-gw',
      name: 'Fabrikam Gateway',
      vmNetworkId: 'fabrikam-net',
      poolId: 'default-pool',
      gatewayId: 'gw1',
      connections: [
        {
          id: 'fabrikam-branch-ipsec',
          name: 'Branch IPsec',
          type: 'ipsec',
          siteId: 'fabrikam-branch',
          spiOut: 0x6001a001,
          spiIn: 0x6001b001,
          routes: ['172.16.0.0/16'],
        },
        {
          id: 'fabrikam-partner-l3',
          name: 'Partner L3',
          type: 'l3',
          vlanId: 50,
          logicalSubnetId: 'partner-vlan-50',
          localIp: '10.50.0.2',
          prefixLength: 24,
          peerIp: '10.50.0.1',
          routes: ['192.168.50.0/24'],
        },
      ],
    },
  ];
  // Laid out again with the edge objects: the stored layout is what the canvas draws.
  doc.layout = autoLayout(doc);
  return doc;
}
