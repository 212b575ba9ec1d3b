// A small valid document (the docs' multi-tenant figure) that tests start from and break on purpose.
import type { TopologyDocument } from './schema';

export function multiTenantFixture(): TopologyDocument {
  return {
    version: 1,
    name: 'Multi-tenant',
    hnvMode: 'v2',
    tenants: [
      { id: 'contoso', name: 'Contoso' },
      { id: 'fabrikam', name: 'Fabrikam' },
    ],
    vmNetworks: [
      {
        id: 'contoso-net',
        name: 'Contoso Net',
        tenantId: 'contoso',
        routingDomainId: '11111111-1111-4111-8111-111111111111',
      },
      {
        id: 'fabrikam-net',
        name: 'Fabrikam Net',
        tenantId: 'fabrikam',
        routingDomainId: '22222222-2222-4222-8222-222222222222',
      },
    ],
    virtualSubnets: [
      {
        id: 'contoso-web',
        name: 'Contoso Subnet',
        vmNetworkId: 'contoso-net',
        vsid: 5001,
        prefix: '10.1.1.0/24',
        encapsulation: 'vxlan',
      },
      {
        id: 'fabrikam-web',
        name: 'Fabrikam Subnet',
        vmNetworkId: 'fabrikam-net',
        vsid: 6001,
        prefix: '10.1.1.0/24',
        encapsulation: 'vxlan',
        aclId: 'allow-web',
      },
    ],
    acls: [
      {
        id: 'allow-web',
        name: 'Allow web',
        defaultAction: 'deny',
        rules: [
          {
            id: 'r1',
            name: 'http',
            priority: 100,
            direction: 'inbound',
            action: 'allow',
            protocol: 'tcp',
            sourceAddressPrefix: '*',
            sourcePortRange: '*',
            destinationAddressPrefix: '10.1.1.0/24',
            destinationPortRange: '80',
          },
          {
            id: 'r2',
            name: 'any out',
            priority: 100,
            direction: 'outbound',
            action: 'allow',
            protocol: 'all',
            sourceAddressPrefix: '*',
            sourcePortRange: '*',
            destinationAddressPrefix: '*',
            destinationPortRange: '1024-65535',
          },
        ],
      },
    ],
    vms: [
      {
        id: 'contoso-sql',
        name: 'SQL',
        hostId: 'host1',
        nics: [
          {
            id: 'contoso-sql-nic',
            name: 'nic0',
            mac: '00:15:5d:00:01:11',
            caIp: '10.1.1.11',
            virtualSubnetId: 'contoso-web',
          },
        ],
      },
      {
        id: 'contoso-web-vm',
        name: 'Web',
        hostId: 'host2',
        nics: [
          {
            id: 'contoso-web-nic',
            name: 'nic0',
            mac: '00:15:5d:00:01:12',
            caIp: '10.1.1.12',
            virtualSubnetId: 'contoso-web',
          },
        ],
      },
      {
        id: 'fabrikam-sql',
        name: 'SQL',
        hostId: 'host1',
        nics: [
          {
            id: 'fabrikam-sql-nic',
            name: 'nic0',
            mac: '00:15:5d:00:02:11',
            caIp: '10.1.1.11',
            virtualSubnetId: 'fabrikam-web',
          },
        ],
      },
      {
        id: 'fabrikam-web-vm',
        name: 'Web',
        hostId: 'host2',
        nics: [
          {
            id: 'fabrikam-web-nic',
            name: 'nic0',
            mac: '00:15:5d:00:02:12',
            caIp: '10.1.1.12',
            virtualSubnetId: 'fabrikam-web',
          },
        ],
      },
    ],
    hosts: [
      {
        id: 'host1',
        name: 'Host 1',
        logicalSubnetId: 'pa1',
        teamMembers: [
          { name: 'NIC1', mac: '00:1d:d8:00:01:01' },
          { name: 'NIC2', mac: '00:1d:d8:00:01:02' },
        ],
        providerAddresses: ['192.168.1.10', '192.168.1.11'],
      },
      {
        id: 'host2',
        name: 'Host 2',
        logicalSubnetId: 'pa2',
        teamMembers: [
          { name: 'NIC1', mac: '00:1d:d8:00:02:01' },
          { name: 'NIC2', mac: '00:1d:d8:00:02:02' },
        ],
        providerAddresses: ['192.168.2.20', '192.168.2.21'],
      },
    ],
    logicalNetworks: [{ id: 'hnv-pa', name: 'HNV PA' }],
    logicalSubnets: [
      {
        id: 'pa1',
        name: 'PA Rack 1',
        logicalNetworkId: 'hnv-pa',
        prefix: '192.168.1.0/24',
        vlanId: 11,
        defaultGateway: '192.168.1.1',
        mtu: 9000,
      },
      {
        id: 'pa2',
        name: 'PA Rack 2',
        logicalNetworkId: 'hnv-pa',
        prefix: '192.168.2.0/24',
        vlanId: 12,
        defaultGateway: '192.168.2.1',
        mtu: 9000,
      },
    ],
    routers: [
      {
        id: 'tor',
        name: 'L3 router',
        interfaces: [
          { logicalSubnetId: 'pa1', ip: '192.168.1.1', mac: '00:1d:d8:ff:00:01' },
          { logicalSubnetId: 'pa2', ip: '192.168.2.1', mac: '00:1d:d8:ff:00:02' },
        ],
      },
    ],
    layout: { physical: {}, virtual: {} },
  };
}
