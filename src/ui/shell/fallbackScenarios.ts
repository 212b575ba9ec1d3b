// The built-in multi-tenant scenario as plain data, used only until src/scenarios lands.
// TODO(ui-a): drop this file once src/scenarios/index.ts exports the scenario list.
import type { TopologyDocument } from '../../engine/model/schema';

const nic = (id: string, mac: string, caIp: string, virtualSubnetId: string) => ({
  id,
  name: 'nic0',
  mac,
  caIp,
  virtualSubnetId,
});

export const MULTI_TENANT: TopologyDocument = {
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
    },
  ],
  acls: [],
  vms: [
    {
      id: 'contoso-sql',
      name: 'SQL',
      hostId: 'host1',
      nics: [nic('contoso-sql-nic', '00:15:5d:00:01:11', '10.1.1.11', 'contoso-web')],
    },
    {
      id: 'contoso-web-vm',
      name: 'Web',
      hostId: 'host2',
      nics: [nic('contoso-web-nic', '00:15:5d:00:01:12', '10.1.1.12', 'contoso-web')],
    },
    {
      id: 'fabrikam-sql',
      name: 'SQL',
      hostId: 'host1',
      nics: [nic('fabrikam-sql-nic', '00:15:5d:00:02:11', '10.1.1.11', 'fabrikam-web')],
    },
    {
      id: 'fabrikam-web-vm',
      name: 'Web',
      hostId: 'host2',
      nics: [nic('fabrikam-web-nic', '00:15:5d:00:02:12', '10.1.1.12', 'fabrikam-web')],
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
      mtu: 9014,
    },
    {
      id: 'pa2',
      name: 'PA Rack 2',
      logicalNetworkId: 'hnv-pa',
      prefix: '192.168.2.0/24',
      vlanId: 12,
      defaultGateway: '192.168.2.1',
      mtu: 9014,
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

export interface ScenarioEntry {
  id: string;
  title: string;
  description: string;
  document: TopologyDocument;
}

export const FALLBACK_SCENARIOS: ScenarioEntry[] = [
  {
    id: 'multi-tenant',
    title: 'Multi-tenant',
    description: 'Contoso and Fabrikam run SQL and Web with the same CAs on two hosts.',
    document: MULTI_TENANT,
  },
];
