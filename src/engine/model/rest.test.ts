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

describe('fromNetworkControllerRest checks every field before use', () => {
  type Rest = ReturnType<typeof toNetworkControllerRest>;
  /** The fixture's export as loose JSON, edited. */
  function edited(edit: (rest: Rest & Record<string, never>) => void): unknown {
    const rest = JSON.parse(JSON.stringify(toNetworkControllerRest(multiTenantFixture())));
    edit(rest);
    return rest;
  }
  function errorsOf(input: unknown) {
    const result = fromNetworkControllerRest(input);
    return result.ok
      ? []
      : result.errors.map(({ objectKind, objectName, field, rule, message }) => ({
          objectKind,
          objectName,
          field,
          rule,
          message,
        }));
  }

  it('hnvLab.routers [null], [{}] and interfaces [null] are named errors, not TypeErrors', () => {
    expect(errorsOf(edited((r) => void (r.hnvLab.routers = [null as never])))).toEqual([
      {
        objectKind: 'REST export',
        objectName: undefined,
        field: 'hnvLab.routers[0]',
        rule: 'type',
        message: 'REST export hnvLab.routers[0] null is not an object',
      },
    ]);
    expect(errorsOf(edited((r) => void (r.hnvLab.routers = [{} as never])))).toEqual([
      {
        objectKind: 'router',
        objectName: '#1',
        field: 'hnvLab.routers[0].id',
        rule: 'required',
        message: "router '#1' hnvLab.routers[0].id is missing",
      },
    ]);
    expect(errorsOf(edited((r) => void (r.hnvLab.routers[0].interfaces = [null as never])))).toEqual([
      {
        objectKind: 'router',
        objectName: 'tor',
        field: 'hnvLab.routers[0].interfaces[0]',
        rule: 'type',
        message: "router 'tor' hnvLab.routers[0].interfaces[0] null is not an object",
      },
    ]);
  });

  it('a VSID of the wrong type is refused, never replaced by an allocated one', () => {
    const rest = edited((r) => {
      (r.virtualNetworks[0].properties.subnets[0].properties as { vsid: unknown }).vsid = '9999';
    });
    expect(errorsOf(rest)).toEqual([
      {
        objectKind: 'virtual subnet',
        objectName: 'contoso-web',
        field: 'properties.vsid',
        rule: 'type',
        message: "virtual subnet 'contoso-web' properties.vsid '9999' is not a number",
      },
    ]);
  });

  it('quotes the original value of a wrong vlanID, not NaN', () => {
    const rest = edited((r) => {
      (r.logicalNetworks[0].properties.subnets[0].properties as { vlanID: unknown }).vlanID = 'abc';
    });
    expect(errorsOf(rest).map((e) => e.message)).toEqual([
      "logical subnet 'pa1' properties.vlanID 'abc' is not a number",
    ]);
  });

  it.each<[string, (r: Rest & Record<string, never>) => void, string]>([
    [
      'hnvMode',
      (r) => void ((r.hnvLab as { hnvMode: unknown }).hnvMode = 'v3'),
      "REST export hnvLab.hnvMode 'v3' is not one of 'v1', 'v2'",
    ],
    [
      'a tenant',
      (r) => void (r.hnvLab.tenants = [{ id: 7, name: 'T' } as never]),
      "tenant '#1' hnvLab.tenants[0].id 7 is not a string",
    ],
    [
      'layout',
      (r) => void ((r.hnvLab as { layout: unknown }).layout = 3),
      'REST export hnvLab.layout 3 is not an object',
    ],
    [
      'properties',
      (r) => void ((r.accessControlLists[0] as { properties: unknown }).properties = []),
      "access control list 'allow-web' properties a list is not an object",
    ],
    [
      'an ACL rule priority',
      (r) =>
        void ((r.accessControlLists[0].properties.aclRules[0].properties as { priority: unknown }).priority =
          '100'),
      "ACL rule 'allow-web/r1' properties.priority '100' is not a number",
    ],
    [
      'an ACL rule type',
      (r) =>
        void ((r.accessControlLists[0].properties.aclRules[0].properties as { type: unknown }).type =
          'Sideways'),
      "ACL rule 'allow-web/r1' properties.type 'Sideways' is not one of Inbound, Outbound",
    ],
    [
      'an ACL rule action',
      (r) =>
        void delete (r.accessControlLists[0].properties.aclRules[0].properties as { action?: unknown })
          .action,
      "ACL rule 'allow-web/r1' properties.action is missing (one of Allow, Deny)",
    ],
    [
      'an ACL rule prefix',
      (r) =>
        void ((
          r.accessControlLists[0].properties.aclRules[0].properties as { sourceAddressPrefix: unknown }
        ).sourceAddressPrefix = 5),
      "ACL rule 'allow-web/r1' properties.sourceAddressPrefix 5 is not a string",
    ],
    [
      'a default action',
      (r) =>
        void ((r.accessControlLists[0].properties.hnvLab as { defaultAction: unknown }).defaultAction =
          'block'),
      "access control list 'allow-web' properties.hnvLab.defaultAction 'block' is not one of 'allow', 'deny'",
    ],
    [
      'an encapsulation',
      (r) =>
        void ((
          r.virtualNetworks[0].properties.subnets[0].properties.hnvLab as { encapsulation: unknown }
        ).encapsulation = 'gre'),
      "virtual subnet 'contoso-web' properties.hnvLab.encapsulation 'gre' is not one of 'vxlan', 'nvgre'",
    ],
    [
      'an ACL reference',
      (r) =>
        void ((
          r.virtualNetworks[1].properties.subnets[0].properties as { accessControlList: unknown }
        ).accessControlList = 'allow-web'),
      'virtual subnet \'fabrikam-web\' properties.accessControlList \'allow-web\' is not a reference like { "resourceRef": "/servers/Host1" }',
    ],
    [
      'a tenantId',
      (r) => void ((r.virtualNetworks[0].resourceMetadata as { tenantId: unknown }).tenantId = 1),
      "virtual network 'contoso-net' resourceMetadata.tenantId 1 is not a string",
    ],
    [
      'an MTU',
      (r) =>
        void ((r.logicalNetworks[0].properties.subnets[0].properties.hnvLab as { mtu: unknown }).mtu =
          '9000'),
      "logical subnet 'pa1' properties.hnvLab.mtu '9000' is not a number",
    ],
    [
      'trunked VLANs',
      (r) =>
        void ((
          r.logicalNetworks[0].properties.subnets[0].properties.hnvLab as { trunkedVlans: unknown }
        ).trunkedVlans = ['7']),
      "logical subnet 'pa1' properties.hnvLab.trunkedVlans[0] '7' is not a number",
    ],
    [
      'default gateways',
      (r) =>
        void ((
          r.logicalNetworks[0].properties.subnets[0].properties as { defaultGateways: unknown }
        ).defaultGateways = '192.168.1.1'),
      "logical subnet 'pa1' properties.defaultGateways '192.168.1.1' is not a list",
    ],
    [
      'PAs',
      (r) =>
        void ((r.servers[0].properties.hnvLab as { providerAddresses: unknown }).providerAddresses = [1]),
      "server 'host1' properties.hnvLab.providerAddresses[0] 1 is not a string",
    ],
    [
      'a team member MAC',
      (r) =>
        void ((
          r.servers[0].properties.networkInterfaces[0].properties.hnvLab as { macAddress: unknown }
        ).macAddress = 1),
      "server 'host1' properties.networkInterfaces[0].properties.hnvLab.macAddress 1 is not a string",
    ],
    [
      'a logical subnet reference',
      (r) =>
        void ((
          r.servers[1].properties.networkInterfaces[0].properties as { logicalSubnets: unknown }
        ).logicalSubnets = [null]),
      'server \'host2\' properties.networkInterfaces[0].properties.logicalSubnets[0] null is not a reference like { "resourceRef": "/servers/Host1" }',
    ],
    [
      'a server reference',
      (r) => void ((r.networkInterfaces[0].properties as { server: unknown }).server = '/servers/host1'),
      'network interface \'contoso-sql-nic\' properties.server \'/servers/host1\' is not a reference like { "resourceRef": "/servers/Host1" }',
    ],
    [
      'a private MAC',
      (r) =>
        void ((r.networkInterfaces[0].properties as { privateMacAddress: unknown }).privateMacAddress = 1),
      "network interface 'contoso-sql-nic' properties.privateMacAddress 1 is not a string",
    ],
    [
      'a CA',
      (r) =>
        void ((
          r.networkInterfaces[0].properties.ipConfigurations[0].properties as { privateIPAddress: unknown }
        ).privateIPAddress = ['10.1.1.11']),
      "network interface 'contoso-sql-nic' properties.ipConfigurations[0].properties.privateIPAddress a list is not a string",
    ],
    [
      'a VM id',
      (r) => void ((r.networkInterfaces[0].properties.hnvLab as { vmId: unknown }).vmId = 3),
      "network interface 'contoso-sql-nic' properties.hnvLab.vmId 3 is not a string",
    ],
    [
      'a name',
      (r) => void ((r.networkInterfaces[0].resourceMetadata as { name: unknown }).name = {}),
      "network interface 'contoso-sql-nic' resourceMetadata.name an object is not a string",
    ],
    [
      'a resourceId',
      (r) => void ((r.servers[0] as { resourceId: unknown }).resourceId = 12),
      "server '#1' resourceId 12 is not a string",
    ],
    [
      'the subnet order',
      (r) => void ((r.hnvLab.order as { virtualSubnets: unknown }).virtualSubnets = 'x'),
      "REST export hnvLab.order.virtualSubnets 'x' is not a list",
    ],
  ])('names the resource, field and rule for a wrong value: %s', (_what, edit, message) => {
    expect(errorsOf(edited(edit)).map((e) => e.message)).toEqual([message]);
  });
});
