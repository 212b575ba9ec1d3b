import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index';
import { fromNetworkControllerRest, toNetworkControllerRest } from './rest';
import { validDocument } from './testArbitraries';
import { multiTenantFixture } from './testDocument';

function roundTrip(doc: unknown): unknown {
  const result = fromNetworkControllerRest(JSON.parse(JSON.stringify(toNetworkControllerRest(doc as never))));
  return result.ok ? result.document : result.errors.map((e) => e.message);
}

describe('toNetworkControllerRest', () => {
  const rest = toNetworkControllerRest(multiTenantFixture());

  it('shapes virtual networks like the NC: addressSpace, subnets with addressPrefix, VSID and ACL reference', () => {
    expect(rest.virtualNetworks[1]).toMatchObject({
      resourceId: 'fabrikam-net',
      resourceRef: '/virtualNetworks/fabrikam-net',
      instanceId: '22222222-2222-4222-8222-222222222222',
      resourceMetadata: { name: 'Fabrikam Net', tenantId: 'fabrikam' },
      properties: {
        addressSpace: { addressPrefixes: ['10.1.1.0/24'] },
        logicalNetwork: { resourceRef: '/logicalNetworks/hnv-pa' },
        subnets: [
          {
            resourceId: 'fabrikam-web',
            resourceRef: '/virtualNetworks/fabrikam-net/subnets/fabrikam-web',
            properties: {
              addressPrefix: '10.1.1.0/24',
              vsid: 6001,
              accessControlList: { resourceRef: '/accessControlLists/allow-web' },
              ipConfigurations: [
                { resourceRef: '/networkInterfaces/fabrikam-sql-nic/ipConfigurations/ipconfig1' },
                { resourceRef: '/networkInterfaces/fabrikam-web-nic/ipConfigurations/ipconfig1' },
              ],
            },
          },
        ],
      },
    });
  });

  it('shapes network interfaces with ipConfigurations, the NC MAC format and the hosting server', () => {
    expect(rest.networkInterfaces[0]).toEqual({
      resourceId: 'contoso-sql-nic',
      resourceRef: '/networkInterfaces/contoso-sql-nic',
      resourceMetadata: { name: 'nic0', tenantId: 'contoso' },
      properties: {
        privateMacAddress: '00155D000111',
        privateMacAllocationMethod: 'Static',
        isPrimary: true,
        ipConfigurations: [
          {
            resourceId: 'ipconfig1',
            resourceRef: '/networkInterfaces/contoso-sql-nic/ipConfigurations/ipconfig1',
            properties: {
              privateIPAddress: '10.1.1.11',
              privateIPAllocationMethod: 'Static',
              subnet: { resourceRef: '/virtualNetworks/contoso-net/subnets/contoso-web' },
            },
          },
        ],
        server: { resourceRef: '/servers/host1' },
        hnvLab: { vmId: 'contoso-sql', vmName: 'SQL' },
      },
    });
  });

  it('shapes logical networks, servers and ACL rules', () => {
    expect(rest.logicalNetworks[0].properties.networkVirtualizationEnabled).toBe(true);
    expect(rest.logicalNetworks[0].properties.subnets[0].properties).toEqual({
      addressPrefix: '192.168.1.0/24',
      vlanID: 11,
      defaultGateways: ['192.168.1.1'],
      isPublic: false,
      hnvLab: { mtu: 9014 },
    });
    expect(rest.servers[0].properties.networkInterfaces[0].properties.logicalSubnets).toEqual([
      { resourceRef: '/logicalNetworks/hnv-pa/logicalSubnets/pa1' },
    ]);
    expect(rest.servers[0].properties.hnvLab).toEqual({
      providerAddresses: ['192.168.1.10', '192.168.1.11'],
    });
    expect(rest.accessControlLists[0].properties.aclRules[0].properties).toEqual({
      protocol: 'TCP',
      sourcePortRange: '*',
      destinationPortRange: '80',
      action: 'Allow',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '10.1.1.0/24',
      priority: 100,
      type: 'Inbound',
      description: 'http',
      logging: 'Disabled',
    });
  });
});

describe('fromNetworkControllerRest', () => {
  it('round-trips the fixture and every built-in scenario exactly', () => {
    expect(roundTrip(multiTenantFixture())).toEqual(multiTenantFixture());
    for (const scenario of scenarios) expect(roundTrip(scenario.document)).toEqual(scenario.document);
  });

  it('round-trips any builder-made document (property)', () => {
    fc.assert(
      fc.property(validDocument, (doc) => {
        expect(roundTrip(doc)).toEqual(doc);
      }),
      { numRuns: 80 },
    );
  });

  it('imports a plain NC export without lab extensions, allocating what it lacks', () => {
    const plain = {
      logicalNetworks: [
        {
          resourceId: 'HNVPA',
          properties: {
            networkVirtualizationEnabled: true,
            subnets: [
              {
                resourceId: 'HNVPA_0',
                properties: { addressPrefix: '10.10.56.0/23', vlanID: 11, defaultGateways: ['10.10.56.1'] },
              },
            ],
          },
        },
      ],
      servers: [
        {
          resourceId: 'Host1',
          properties: {
            networkInterfaces: [
              {
                resourceId: 'SETTeam1',
                properties: {
                  logicalSubnets: [{ resourceRef: '/logicalNetworks/HNVPA/logicalSubnets/HNVPA_0' }],
                },
              },
              {
                resourceId: 'SETTeam2',
                properties: {
                  logicalSubnets: [{ resourceRef: '/logicalNetworks/HNVPA/logicalSubnets/HNVPA_0' }],
                },
              },
            ],
          },
        },
      ],
      virtualNetworks: [
        {
          resourceId: 'Contoso_VNet1',
          resourceMetadata: { tenantId: 'Contoso' },
          properties: {
            addressSpace: { addressPrefixes: ['24.30.1.0/24'] },
            subnets: [{ resourceId: 'Contoso_WebTier', properties: { addressPrefix: '24.30.1.0/24' } }],
          },
        },
      ],
      networkInterfaces: [
        {
          resourceId: 'MyVM_Ethernet1',
          properties: {
            privateMacAddress: '001122334455',
            ipConfigurations: [
              {
                resourceId: 'MyVM_IP1',
                properties: {
                  privateIPAddress: '24.30.1.101',
                  subnet: { resourceRef: '/virtualNetworks/Contoso_VNet1/subnets/Contoso_WebTier' },
                },
              },
            ],
            server: { resourceRef: '/servers/Host1' },
          },
        },
      ],
    };
    const result = fromNetworkControllerRest(plain);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([]);
    if (!result.ok) return;
    const doc = result.document;
    expect(doc.tenants).toEqual([{ id: 'Contoso', name: 'Contoso' }]);
    expect(doc.virtualSubnets[0]).toMatchObject({
      vsid: 5001,
      encapsulation: 'vxlan',
      prefix: '24.30.1.0/24',
    });
    expect(doc.hosts[0].providerAddresses).toEqual(['10.10.56.2', '10.10.56.3']);
    expect(doc.vms[0]).toMatchObject({
      id: 'MyVM_Ethernet1',
      hostId: 'Host1',
      nics: [{ mac: '00:11:22:33:44:55', caIp: '24.30.1.101' }],
    });
  });

  it('reports what a broken export lacks, naming the resource', () => {
    expect(fromNetworkControllerRest([])).toEqual({
      ok: false,
      errors: [
        {
          objectKind: 'REST export',
          field: '(root)',
          rule: 'type',
          message: 'the REST export is not a JSON object',
        },
      ],
    });
    const rest = toNetworkControllerRest(multiTenantFixture()) as unknown as {
      networkInterfaces: { properties: Record<string, unknown> }[];
    };
    delete rest.networkInterfaces[1].properties.server;
    const result = fromNetworkControllerRest(rest);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      "network interface 'contoso-web-nic' has no server, so the lab does not know which host runs it",
    ]);
  });

  it('hands a wrong reference to validation, which names it', () => {
    const rest = toNetworkControllerRest(multiTenantFixture());
    rest.networkInterfaces[0].properties.ipConfigurations[0].properties.subnet = {
      resourceRef: '/virtualNetworks/contoso-net/subnets/nope',
    };
    const result = fromNetworkControllerRest(rest);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      "vNIC SQL nics[0].virtualSubnetId 'nope' refers to no virtual subnet",
    ]);
  });
});
