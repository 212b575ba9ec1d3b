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
      hnvLab: { mtu: 9000 },
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

  it("carries a vNIC's MAC spoofing as the NC's portSettings.macSpoofing, and refuses other values", () => {
    const doc = multiTenantFixture();
    doc.vms[0].nics[0].macAddressSpoofing = true;
    const rest = toNetworkControllerRest(doc);
    const nis = rest.networkInterfaces as { properties: { portSettings?: unknown } }[];
    expect(nis.map((ni) => ni.properties.portSettings)).toEqual([
      { macSpoofing: 'Enabled' },
      ...nis.slice(1).map(() => undefined),
    ]);
    expect(roundTrip(doc)).toEqual(doc);
    const bad = JSON.parse(JSON.stringify(rest));
    bad.networkInterfaces[0].properties.portSettings = { macSpoofing: 'yes' };
    const result = fromNetworkControllerRest(bad);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => [e.field, e.message])).toEqual([
        [
          'properties.portSettings.macSpoofing',
          expect.stringMatching(
            /properties\.portSettings\.macSpoofing 'yes' is not one of Enabled, Disabled$/,
          ),
        ],
      ]);
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
  type Path = (string | number)[];
  /** The fixture's export as loose JSON with the value at `path` replaced (deleted when undefined). */
  function edited(path: Path, value: unknown): unknown {
    const rest = JSON.parse(JSON.stringify(toNetworkControllerRest(multiTenantFixture())));
    let owner = rest;
    for (const key of path.slice(0, -1)) owner = owner[key];
    const last = path[path.length - 1];
    if (value === undefined) delete owner[last];
    else owner[last] = value;
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
    expect(errorsOf(edited(['hnvLab', 'routers'], [null]))).toEqual([
      {
        objectKind: 'REST export',
        objectName: undefined,
        field: 'hnvLab.routers[0]',
        rule: 'type',
        message: 'REST export hnvLab.routers[0] null is not an object',
      },
    ]);
    expect(errorsOf(edited(['hnvLab', 'routers'], [{}]))).toEqual([
      {
        objectKind: 'router',
        objectName: '#1',
        field: 'hnvLab.routers[0].id',
        rule: 'required',
        message: "router '#1' hnvLab.routers[0].id is missing",
      },
    ]);
    expect(errorsOf(edited(['hnvLab', 'routers', 0, 'interfaces'], [null]))).toEqual([
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
    const rest = edited(['virtualNetworks', 0, 'properties', 'subnets', 0, 'properties', 'vsid'], '9999');
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
    const rest = edited(['logicalNetworks', 0, 'properties', 'subnets', 0, 'properties', 'vlanID'], 'abc');
    expect(errorsOf(rest).map((e) => e.message)).toEqual([
      "logical subnet 'pa1' properties.vlanID 'abc' is not a number",
    ]);
  });

  const rule = ['accessControlLists', 0, 'properties', 'aclRules', 0, 'properties'];
  const subnet = ['virtualNetworks', 0, 'properties', 'subnets', 0, 'properties'];
  const logicalSubnet = ['logicalNetworks', 0, 'properties', 'subnets', 0, 'properties'];
  const member = ['servers', 0, 'properties', 'networkInterfaces', 0, 'properties'];
  const nic = ['networkInterfaces', 0];
  const notARef = 'is not a reference like { "resourceRef": "/servers/Host1" }';
  it.each<[string, Path, unknown, string]>([
    ['hnvMode', ['hnvLab', 'hnvMode'], 'v3', "REST export hnvLab.hnvMode 'v3' is not one of 'v1', 'v2'"],
    [
      'tenant',
      ['hnvLab', 'tenants'],
      [{ id: 7, name: 'T' }],
      "tenant '#1' hnvLab.tenants[0].id 7 is not a string",
    ],
    ['layout', ['hnvLab', 'layout'], 3, 'REST export hnvLab.layout 3 is not an object'],
    [
      'order',
      ['hnvLab', 'order', 'virtualSubnets'],
      'x',
      "REST export hnvLab.order.virtualSubnets 'x' is not a list",
    ],
    [
      'properties',
      ['accessControlLists', 0, 'properties'],
      [],
      "access control list 'allow-web' properties a list is not an object",
    ],
    [
      'priority',
      [...rule, 'priority'],
      '100',
      "ACL rule 'allow-web/r1' properties.priority '100' is not a number",
    ],
    [
      'type',
      [...rule, 'type'],
      'Sideways',
      "ACL rule 'allow-web/r1' properties.type 'Sideways' is not one of Inbound, Outbound",
    ],
    [
      'action',
      [...rule, 'action'],
      undefined,
      "ACL rule 'allow-web/r1' properties.action is missing (one of Allow, Deny)",
    ],
    [
      'address prefix',
      [...rule, 'sourceAddressPrefix'],
      5,
      "ACL rule 'allow-web/r1' properties.sourceAddressPrefix 5 is not a string",
    ],
    [
      'default action',
      ['accessControlLists', 0, 'properties', 'hnvLab', 'defaultAction'],
      'block',
      "access control list 'allow-web' properties.hnvLab.defaultAction 'block' is not one of 'allow', 'deny'",
    ],
    [
      'encapsulation',
      [...subnet, 'hnvLab', 'encapsulation'],
      'gre',
      "virtual subnet 'contoso-web' properties.hnvLab.encapsulation 'gre' is not one of 'vxlan', 'nvgre'",
    ],
    [
      'ACL reference',
      [...subnet, 'accessControlList'],
      'allow-web',
      `virtual subnet 'contoso-web' properties.accessControlList 'allow-web' ${notARef}`,
    ],
    [
      'tenantId',
      ['virtualNetworks', 0, 'resourceMetadata', 'tenantId'],
      1,
      "virtual network 'contoso-net' resourceMetadata.tenantId 1 is not a string",
    ],
    [
      'MTU',
      [...logicalSubnet, 'hnvLab', 'mtu'],
      '9000',
      "logical subnet 'pa1' properties.hnvLab.mtu '9000' is not a number",
    ],
    [
      'trunked VLANs',
      [...logicalSubnet, 'hnvLab', 'trunkedVlans'],
      ['7'],
      "logical subnet 'pa1' properties.hnvLab.trunkedVlans[0] '7' is not a number",
    ],
    [
      'default gateways',
      [...logicalSubnet, 'defaultGateways'],
      '192.168.1.1',
      "logical subnet 'pa1' properties.defaultGateways '192.168.1.1' is not a list",
    ],
    [
      'PAs',
      ['servers', 0, 'properties', 'hnvLab', 'providerAddresses'],
      [1],
      "server 'host1' properties.hnvLab.providerAddresses[0] 1 is not a string",
    ],
    [
      'team member MAC',
      [...member, 'hnvLab', 'macAddress'],
      1,
      "server 'host1' properties.networkInterfaces[0].properties.hnvLab.macAddress 1 is not a string",
    ],
    [
      'logical subnet reference',
      [...member, 'logicalSubnets'],
      [null],
      `server 'host1' properties.networkInterfaces[0].properties.logicalSubnets[0] null ${notARef}`,
    ],
    [
      'server reference',
      [...nic, 'properties', 'server'],
      '/servers/host1',
      `network interface 'contoso-sql-nic' properties.server '/servers/host1' ${notARef}`,
    ],
    [
      'private MAC',
      [...nic, 'properties', 'privateMacAddress'],
      1,
      "network interface 'contoso-sql-nic' properties.privateMacAddress 1 is not a string",
    ],
    [
      'CA',
      [...nic, 'properties', 'ipConfigurations', 0, 'properties', 'privateIPAddress'],
      ['10.1.1.11'],
      "network interface 'contoso-sql-nic' properties.ipConfigurations[0].properties.privateIPAddress a list is not a string",
    ],
    [
      'VM id',
      [...nic, 'properties', 'hnvLab', 'vmId'],
      3,
      "network interface 'contoso-sql-nic' properties.hnvLab.vmId 3 is not a string",
    ],
    [
      'name',
      [...nic, 'resourceMetadata', 'name'],
      {},
      "network interface 'contoso-sql-nic' resourceMetadata.name an object is not a string",
    ],
    ['resourceId', ['servers', 0, 'resourceId'], 12, "server '#1' resourceId 12 is not a string"],
  ])('names the resource, field and rule for a wrong %s', (_what, path, value, message) => {
    expect(errorsOf(edited(path, value)).map((e) => e.message)).toEqual([message]);
  });
});
