import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index';
import { createEngine, type Engine, type ShellSession } from '../index';
import { decodeFrame } from '../wire/index';
import { tokenize } from './tokens';

function engineFor(scenario: string): Engine {
  const engine = createEngine();
  const s = scenarioById(scenario);
  if (!s) throw new Error(scenario);
  expect(engine.load(s.document).ok).toBe(true);
  return engine;
}

/** Runs lines in order, applying each change as the UI and the CLI do. */
function script(engine: Engine, lines: string[]) {
  let session: ShellSession = {};
  const results = [];
  for (const line of lines) {
    const r = engine.shell(line, session);
    if (r.change) expect(engine.update(r.change.document).ok).toBe(true);
    session = r.session;
    results.push(r);
  }
  return results;
}

describe('Get-NetVirtualizationLookupRecord', () => {
  it("prints VSID 5001's records with the real cmdlet's property names", () => {
    const [r] = script(engineFor('multi-tenant'), [
      'Get-NetVirtualizationLookupRecord -VirtualSubnetID 5001',
    ]);
    expect(r.error).toBeUndefined();
    const blocks = r.output.trim().split(/\n\s*\n/);
    expect(blocks).toHaveLength(2);
    const fields = (block: string) =>
      Object.fromEntries(block.split('\n').map((l) => l.split(/\s+:\s?/, 2).map((s) => s.trim())));
    const sql = fields(blocks[0]);
    expect(Object.keys(sql)).toEqual([
      'CustomerAddress',
      'VirtualSubnetID',
      'MACAddress',
      'ProviderAddress',
      'CustomerID',
      'Context',
      'Rule',
      'VMName',
      'UseVmMACAddress',
      'Type',
    ]);
    expect(sql).toMatchObject({
      CustomerAddress: '10.1.1.11',
      VirtualSubnetID: '5001',
      MACAddress: '00155D500111',
      ProviderAddress: '192.168.1.10',
      Rule: 'TranslationMethodEncap',
      VMName: 'SQL',
    });
    expect(fields(blocks[1]).ProviderAddress).toBe('192.168.2.20');
  });

  it('filters by several values and by host session', () => {
    const e = engineFor('multi-tenant');
    const [all, host2] = script(e, [
      'Get-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.12 -VirtualSubnetID 5001,6001',
      'Get-PACAMapping -CimSession "Host 2"',
    ]);
    expect(all.output.match(/CustomerAddress/g)).toHaveLength(2);
    expect(host2.output).toMatch(/CA IP Address\s+CA MAC Address\s+Virtual Subnet ID\s+PA IP Address/);
    expect(host2.output).toContain('00-15-5D-50-01-12');
  });
});

describe('parameter binding errors name the parameter, in PowerShell words', () => {
  const cases: [string, RegExp][] = [
    [
      'Get-NetVirtualizationLookupRecord -Foo 1',
      /A parameter cannot be found that matches parameter name 'Foo'/,
    ],
    [
      'Get-NetVirtualizationLookupRecord -V 5001',
      /parameter name 'V' is ambiguous\. Possible matches include: -VirtualSubnetID -VMName/,
    ],
    [
      'Get-NetVirtualizationLookupRecord -VirtualSubnetID abc',
      /parameter 'VirtualSubnetID'.*"abc".*System\.UInt32/,
    ],
    [
      'Get-NetVirtualizationLookupRecord -VirtualSubnetID',
      /Missing an argument for parameter 'VirtualSubnetID'/,
    ],
    [
      'New-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.50',
      /missing mandatory parameters: VirtualSubnetID MACAddress ProviderAddress Rule VMName/,
    ],
    [
      'New-NetVirtualizationLookupRecord -CustomerAddress 10.1.1 -VirtualSubnetID 5001 -MACAddress 00155D000001 -ProviderAddress 192.168.1.10 -Rule TranslationMethodEncap -VMName X',
      /parameter 'CustomerAddress'.*"10\.1\.1" is not an IPv4 address/,
    ],
    [
      'New-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.50 -VirtualSubnetID 5001 -MACAddress 00155D000001 -ProviderAddress 192.168.1.10 -Rule Bogus -VMName X',
      /parameter 'Rule'.*does not belong to the set "TranslationMethodEncap,TranslationMethodNat"/,
    ],
    ['Get-Nothing', /The term 'Get-Nothing' is not recognized/],
    ["Get-Help 'Get-NetVirtualizationLookupRecord", /missing the terminator: '/],
  ];
  for (const [line, message] of cases)
    it(line, () => {
      const [r] = script(engineFor('multi-tenant'), [line]);
      expect(r.error).toMatch(message);
      expect(r.change).toBeUndefined();
    });
});

describe('changes are validated documents; a refused one changes nothing', () => {
  it('New-NetVirtualizationLookupRecord adds a VM that a ping reaches', () => {
    const e = engineFor('multi-tenant');
    const [made] = script(e, [
      'New-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.13 -VirtualSubnetID 5001 -MACAddress 00-15-5D-50-01-13 -ProviderAddress 192.168.2.20 -Rule TranslationMethodEncap -VMName App',
    ]);
    expect(made.error).toBeUndefined();
    expect(made.change?.label).toBe('New-NetVirtualizationLookupRecord App 10.1.1.13');
    expect(made.output).toMatch(/^WARNING: In HNVv2 the Network Controller owns the lookup records/);
    const vm = made.change?.document.vms.find((v) => v.name === 'App');
    expect(vm?.hostId).toBe('host-2');
    expect(vm?.nics[0]).toMatchObject({
      caIp: '10.1.1.13',
      mac: '00:15:5d:50:01:13',
      virtualSubnetId: 'contoso-subnet',
    });
    expect(e.trace({ from: 'Contoso/SQL', to: 'Contoso/App', protocol: 'icmp' }).verdict.outcome).toBe(
      'delivered',
    );
  });

  it('a CA outside the subnet is refused by the validator, naming the vNIC field', () => {
    const [r] = script(engineFor('multi-tenant'), [
      'New-NetVirtualizationLookupRecord -CustomerAddress 10.9.9.9 -VirtualSubnetID 5001 -MACAddress 00155D500199 -ProviderAddress 192.168.1.10 -Rule TranslationMethodEncap -VMName Stray',
    ]);
    expect(r.change).toBeUndefined();
    expect(r.error).toMatch(
      /^New-NetVirtualizationLookupRecord : The change was refused, nothing changed: .*10\.9\.9\.9/,
    );
  });

  it('Set- moves a VM to the host of the new PA; Remove- takes it away', () => {
    const e = engineFor('multi-tenant');
    const [moved, gone] = script(e, [
      'Set-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.12 -VirtualSubnetID 5001 -ProviderAddress 192.168.1.10',
      'Remove-NetVirtualizationLookupRecord -VMName Web -VirtualSubnetID 6001',
    ]);
    expect(moved.change?.document.vms.find((v) => v.id === 'contoso-web')?.hostId).toBe('host-1');
    expect(gone.change?.document.vms.map((v) => v.id)).not.toContain('fabrikam-web');
    expect(gone.change?.document.vms.map((v) => v.id)).toContain('contoso-web');
  });

  it('IP Rewrite is refused with the reason', () => {
    const [r] = script(engineFor('multi-tenant'), [
      'New-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.13 -VirtualSubnetID 5001 -MACAddress 00155D500113 -ProviderAddress 192.168.2.20 -Rule TranslationMethodNat -VMName App',
    ]);
    expect(r.error).toMatch(/TranslationMethodNat\) is not modelled/);
  });
});

describe('HNVv1: a tenant network built only with the NetVirtualization cmdlets', () => {
  it('customer route, provider addresses, two lookup records: the ping is delivered over NVGRE', () => {
    const e = engineFor('hnv-v1-vs-v2');
    const rd = '{3b7a1c2d-0000-4000-8000-00000000a001}';
    const results = script(e, [
      `New-NetVirtualizationCustomerRoute -RoutingDomainID '${rd}' -VirtualSubnetID 7001 -DestinationPrefix 10.7.1.0/24 -NextHop 0.0.0.0 -Metric 255`,
      "Enter-PSSession 'Host 1'",
      'New-NetVirtualizationProviderAddress -ProviderAddress 192.168.1.7 -InterfaceIndex 1 -PrefixLength 24',
      'Exit-PSSession',
      "New-NetVirtualizationProviderAddress -ProviderAddress 192.168.2.7 -InterfaceIndex 1 -PrefixLength 24 -CimSession 'Host 2'",
      `New-NetVirtualizationLookupRecord -CustomerAddress 10.7.1.10 -VirtualSubnetID 7001 -MACAddress 00155D070110 -ProviderAddress 192.168.1.7 -Rule TranslationMethodEncap -VMName Blue1 -CustomerID '${rd}'`,
      `New-NetVirtualizationLookupRecord -CustomerAddress 10.7.1.11 -VirtualSubnetID 7001 -MACAddress 00155D070111 -ProviderAddress 192.168.2.7 -Rule TranslationMethodEncap -VMName Blue2`,
      'Get-NetVirtualizationLookupRecord -VirtualSubnetID 7001',
    ]);
    for (const r of results) expect(r.error).toBeUndefined();
    expect(results[0].output).toMatch(
      /Created VM network 'Routing domain 3b7a1c2d' \(tenant Customer 3b7a1c2d\)/,
    );
    expect(results.at(-1)?.output.match(/TranslationMethodEncap/g)).toHaveLength(2);
    const trace = e.trace({
      from: 'Customer 3b7a1c2d/Blue1',
      to: 'Customer 3b7a1c2d/Blue2',
      protocol: 'icmp',
    });
    expect(trace.verdict.outcome).toBe('delivered');
    const protocols = trace.frames.map((f) =>
      decodeFrame(f.frame)
        .layers.map((l) => l.protocol)
        .join('/'),
    );
    expect(protocols.some((p) => p.includes('gre') && !p.includes('vxlan'))).toBe(true);
  });

  it('a PA needs a host: without a session the cmdlet says how to name one', () => {
    const [r] = script(engineFor('hnv-v1-vs-v2'), [
      'New-NetVirtualizationProviderAddress -ProviderAddress 192.168.1.7 -InterfaceIndex 1 -PrefixLength 24',
    ]);
    expect(r.error).toMatch(/Enter-PSSession -ComputerName <host> first, or add -CimSession <host>/);
  });
});

describe('Network Controller REST', () => {
  const vn =
    '{"resourceMetadata":{"name":"Woodgrove Net","tenantId":"woodgrove"},"properties":{"addressSpace":{"addressPrefixes":["10.7.0.0/16"]},"logicalNetwork":{"resourceRef":"/logicalNetworks/hnv-pa"},"subnets":[{"resourceId":"app","properties":{"addressPrefix":"10.7.1.0/24"}}]}}';
  const nic = (id: string, name: string, mac: string, ip: string, host: string) =>
    `PUT /networking/v1/networkInterfaces/${id} {"resourceMetadata":{"name":"${name}"},"properties":{"privateMacAddress":"${mac}","privateMacAllocationMethod":"Static","ipConfigurations":[{"resourceId":"ipconfig1","properties":{"privateIPAddress":"${ip}","privateIPAllocationMethod":"Static","subnet":{"resourceRef":"/virtualNetworks/woodgrove-net/subnets/app"}}}],"server":{"resourceRef":"/servers/${host}"}}}`;

  it('PUT a virtual network and two interfaces, GET them back, ping across hosts', () => {
    const e = engineFor('multi-tenant');
    const [put, a, b, get] = script(e, [
      `PUT /networking/v1/virtualNetworks/woodgrove-net ${vn}`,
      nic('wg-a', 'App1', '00155D070101', '10.7.1.10', 'host-1'),
      nic('wg-b', 'App2', '00155D070102', '10.7.1.11', 'host-2'),
      'GET /networking/v1/virtualNetworks/woodgrove-net',
    ]);
    for (const r of [put, a, b, get]) expect(r.error).toBeUndefined();
    expect(put.output.startsWith('201 Created')).toBe(true);
    const body = JSON.parse(get.output);
    expect(body.resourceRef).toBe('/virtualNetworks/woodgrove-net');
    expect(body.properties.provisioningState).toBe('Succeeded');
    expect(body.properties.subnets[0].properties.vsid).toBe(5002); // the next free VSID, as the NC allocates
    expect(body.properties.subnets[0].properties.ipConfigurations).toHaveLength(2);
    expect(e.trace({ from: 'woodgrove/App1', to: 'woodgrove/App2', protocol: 'icmp' }).verdict.outcome).toBe(
      'delivered',
    );
  });

  it('errors: bad JSON, unknown collection, missing resource, a DELETE that leaves dangling references', () => {
    const e = engineFor('multi-tenant');
    const [json, coll, missing, del] = script(e, [
      'PUT /networking/v1/virtualNetworks/x {"properties":',
      'GET /networking/v1/macPools',
      'GET /networking/v1/virtualNetworks/nope',
      'DELETE /networking/v1/virtualNetworks/contoso-net',
    ]);
    expect(json.error).toMatch(/^PUT : 400 Bad Request: The body is not JSON/);
    expect(coll.error).toMatch(/404 Not Found: No resource collection 'macPools'/);
    expect(missing.error).toMatch(/404 Not Found: \/virtualNetworks\/nope does not exist/);
    expect(del.error).toMatch(/^DELETE : 400 Bad Request: .*contoso-subnet/);
    expect(del.change).toBeUndefined();
  });

  it('Invoke-RestMethod is the same verb', () => {
    const [r] = script(engineFor('multi-tenant'), [
      'Invoke-RestMethod -Uri https://nc.contoso.com/networking/v1/servers/host-1 -Method Get',
    ]);
    expect(JSON.parse(r.output).resourceId).toBe('host-1');
  });
});

describe('vfpctrl', () => {
  it("lists a port's layers and rules as the controller compiled them", () => {
    const [ports, layers, rules, bad] = script(engineFor('multi-tenant'), [
      'vfpctrl /list-vmswitch-port',
      'vfpctrl /port contoso-sql-nic /list-layer',
      'vfpctrl /port Contoso/SQL /layer vnet /list-rule',
      'vfpctrl /port nope /list-layer',
    ]);
    expect(ports.output.match(/Port name :/g)).toHaveLength(4);
    expect(layers.output).toMatch(/LAYER : acl[\s\S]*LAYER : vnet[\s\S]*LAYER : pa_route/);
    expect(rules.output).toMatch(/RULE : /);
    expect(rules.output).not.toMatch(/Layer\s+: acl/);
    expect(bad.error).toMatch(/no port 'nope'/);
  });

  it("lists a port's tracked connections and its firewall audit log", () => {
    const doc = structuredClone(scenarioById('multi-tenant')?.document);
    if (!doc) throw new Error('multi-tenant');
    doc.acls.push({
      id: 'web-fw',
      name: 'Web firewall',
      defaultAction: 'deny',
      rules: [
        {
          id: 'allow-out',
          name: 'allow-out',
          priority: 100,
          direction: 'outbound',
          action: 'allow',
          protocol: 'all',
          sourceAddressPrefix: '*',
          sourcePortRange: '*',
          destinationAddressPrefix: '*',
          destinationPortRange: '*',
        },
      ],
    });
    const web = doc.vms.find((v) => v.id === 'contoso-web');
    if (web) web.nics[0].aclId = 'web-fw';
    const e = createEngine();
    expect(e.load(doc).ok).toBe(true);
    e.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    const [conns, audit, none] = script(e, [
      'vfpctrl /port Contoso/Web /list-connection',
      'vfpctrl /port Contoso/Web /list-audit',
      'vfpctrl /port Contoso/SQL /list-connection',
    ]);
    expect(conns.output).toContain('Flow         : icmp 10.1.1.12 -> 10.1.1.11 echo request id 1');
    expect(conns.output).toContain('State        : REPLIED');
    expect(audit.output.match(/AUDIT : /g)).toHaveLength(1);
    expect(audit.output).toMatch(
      /Rule\s+: allow-out \(allow-out\)\n\s+Direction\s+: OUT\n\s+Action\s+: ALLOW/,
    );
    expect(none.output).toContain('(none)');
  });
});

describe('completion', () => {
  it('completes cmdlets, parameters, values and REST paths', () => {
    const e = engineFor('multi-tenant');
    expect(e.completeShell('Get-NetVirtualizationL')).toEqual(['Get-NetVirtualizationLookupRecord']);
    expect(e.completeShell('Get-NetVirtualizationLookupRecord -Vi')).toEqual(['-VirtualSubnetID']);
    expect(e.completeShell('Get-NetVirtualizationLookupRecord -VirtualSubnetID ')).toEqual(['5001', '6001']);
    expect(e.completeShell('Enter-PSSession -ComputerName H')).toEqual(["'Host 1'", "'Host 2'"]);
    expect(e.completeShell('GET /networking/v1/virtualN')).toEqual(['/networking/v1/virtualNetworks']);
    expect(e.completeShell('GET /networking/v1/virtualNetworks/c')).toEqual([
      '/networking/v1/virtualNetworks/contoso-net',
    ]);
  });
});

describe('tokenizer', () => {
  it('a single-quoted string with doubled quotes reads back as itself (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const tokens = tokenize(`Cmd -Name '${text.replace(/'/g, "''")}'`);
        expect(tokens.map((t) => t.text)).toEqual(['Cmd', '-Name', text]);
      }),
    );
  });
  it('-Name:value binds like -Name value', () => {
    expect(tokenize('Get-X -VirtualSubnetID:5001').map((t) => t.text)).toEqual([
      'Get-X',
      '-VirtualSubnetID',
      '5001',
    ]);
  });
});

describe('ovsdb-client', () => {
  it("dumps a host agent's southbound tables in a host session, and says where to run it otherwise", () => {
    const [outside, , dump] = script(engineFor('multi-tenant'), [
      'ovsdb-client dump ms_vtep',
      "Enter-PSSession 'Host 1'",
      'ovsdb-client dump ms_vtep Ucast_Macs_Remote',
    ]);
    expect(outside.error).toMatch(/Enter-PSSession -ComputerName <host> first/);
    expect(dump.output).toMatch(/^Ucast_Macs_Remote table\n_uuid +MAC +ipaddr +logical_switch +locator/);
    expect(dump.output).toContain('00:15:5d:50:01:12 10.1.1.12 5001           192.168.2.20');
  });
});

describe('NetworkController cmdlets (one table: Get-/New-/Remove- per NC resource)', () => {
  it('New-NetworkControllerVirtualNetwork and -NetworkInterface build a network a ping crosses', () => {
    const e = engineFor('multi-tenant');
    const props = JSON.stringify({
      addressSpace: { addressPrefixes: ['10.8.0.0/16'] },
      logicalNetwork: { resourceRef: '/logicalNetworks/hnv-pa' },
      subnets: [{ resourceId: 'front', properties: { addressPrefix: '10.8.1.0/24' } }],
    });
    const nic = (id: string, mac: string, ip: string, host: string) =>
      `New-NetworkControllerNetworkInterface -ResourceId ${id} -ResourceMetadata '{"name":"${id}"}' -Properties '${JSON.stringify(
        {
          privateMacAddress: mac,
          privateMacAllocationMethod: 'Static',
          ipConfigurations: [
            {
              resourceId: 'ipconfig1',
              properties: {
                privateIPAddress: ip,
                privateIPAllocationMethod: 'Static',
                subnet: { resourceRef: '/virtualNetworks/tailspin/subnets/front' },
              },
            },
          ],
          server: { resourceRef: `/servers/${host}` },
        },
      )}' -ConnectionUri https://nc.contoso.com`;
    const results = script(e, [
      `New-NetworkControllerVirtualNetwork -ResourceId tailspin -ResourceMetadata '{"name":"Tailspin Net","tenantId":"tailspin"}' -Properties '${props}' -Force`,
      nic('ts-a', '00155D080101', '10.8.1.10', 'host-1'),
      nic('ts-b', '00155D080102', '10.8.1.11', 'host-2'),
      'Get-NetworkControllerVirtualSubnet -VirtualNetworkId tailspin',
    ]);
    for (const r of results) expect(r.error).toBeUndefined();
    expect(results[0].change?.label).toBe('New-NetworkControllerVirtualNetwork tailspin');
    expect(results[3].output).toMatch(/ResourceRef +: \/virtualNetworks\/tailspin\/subnets\/front/);
    expect(results[3].output).toMatch(/"ipConfigurations":\[\{"resourceRef":"\/networkInterfaces\/ts-a/);
    expect(e.trace({ from: 'tailspin/ts-a', to: 'tailspin/ts-b', protocol: 'icmp' }).verdict.outcome).toBe(
      'delivered',
    );
  });

  it('bad JSON names -Properties; a Remove that leaves dangling references changes nothing', () => {
    const [json, del] = script(engineFor('multi-tenant'), [
      "New-NetworkControllerVirtualNetwork -ResourceId x -Properties '{oops'",
      'Remove-NetworkControllerVirtualNetwork contoso-net -Force',
    ]);
    expect(json.error).toMatch(
      /^New-NetworkControllerVirtualNetwork : Cannot bind parameter 'Properties'\. The value is not JSON/,
    );
    expect(del.error).toMatch(/^Remove-NetworkControllerVirtualNetwork : 400 Bad Request: .*contoso-subnet/);
    expect(del.change).toBeUndefined();
  });
});
