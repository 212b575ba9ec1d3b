// Test-SdnVfpPortTuple: the port's VFP groups, layer by layer, for one 5-tuple.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index';
import { createEngine } from '../index';
import type { TopologyDocument } from '../model/schema';

function withSqlAcl(): TopologyDocument {
  const doc = structuredClone(scenarioById('multi-tenant')?.document as TopologyDocument);
  doc.acls.push({
    id: 'sql-acl',
    name: 'SQL only from Web',
    defaultAction: 'allow',
    rules: [
      {
        id: 'deny-1433',
        name: 'no SQL from outside',
        priority: 100,
        direction: 'inbound',
        action: 'deny',
        protocol: 'tcp',
        sourceAddressPrefix: '10.1.1.100/32',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '1433',
      },
    ],
  });
  const sql = doc.vms.find((v) => v.id === 'contoso-sql');
  if (sql) sql.nics[0].aclId = 'sql-acl';
  return doc;
}

describe('testTuple', () => {
  it('OUT from Contoso/Web: both ACL groups allow by default, vnet encapsulates to Host 1, pa_route picks the VLAN', () => {
    const e = createEngine();
    e.load(scenarioById('multi-tenant')?.document);
    const r = e.testTuple({
      port: 'Contoso/Web',
      direction: 'out',
      protocol: 'tcp',
      dstIp: '10.1.1.11',
      dstPort: 1433,
    });
    expect(r.tuple).toBe('10.1.1.12:50000 -> 10.1.1.11:1433 TCP');
    expect(r.verdict).toBe('allow');
    expect(r.groups.map((g) => `${g.layer}/${g.group}:${g.rules.find((x) => x.hit)?.ruleId}`)).toEqual([
      'acl/acl_subnet_out:acl_subnet_out-default',
      'acl/acl_port_out:acl_port_out-default',
      'vnet/vnet_out:ca-pa-5001',
      'pa_route/pa_route_out:pa-192.168.2.20',
    ]);
    expect(r.groups[2].actions[0]).toMatch(/VXLAN VNI 5001: 192\.168\.2\.20 -> 192\.168\.1\.10/);
    // The rules the vnet group weighed before the hit are listed as misses.
    expect(r.groups[2].rules.filter((x) => !x.hit).map((x) => x.ruleId)).toContain('arp-to-agent');
  });

  it('IN at Contoso/SQL: the port ACL denies 1433 from 10.1.1.100, lets 10.1.1.12 in', () => {
    const e = createEngine();
    expect(e.load(withSqlAcl()).ok).toBe(true);
    const denied = e.testTuple({
      port: 'Contoso/SQL',
      direction: 'in',
      protocol: 'tcp',
      srcIp: '10.1.1.100',
      dstPort: 1433,
    });
    expect(denied.verdict).toBe('block');
    expect(denied.reason).toMatch(/no SQL from outside/);
    const hit = denied.groups.find((g) => g.group === 'acl_port_in')?.rules.find((x) => x.hit);
    expect(hit).toMatchObject({
      ruleId: expect.stringContaining('deny-1433'),
      priority: 100,
      isDefault: false,
    });
    const allowed = e.testTuple({
      port: 'Contoso/SQL',
      direction: 'in',
      protocol: 'tcp',
      srcIp: '10.1.1.12',
      dstPort: 1433,
    });
    expect(allowed.verdict).toBe('allow');
  });

  it('changes nothing the lab holds: flow tables and ARP caches stay empty', () => {
    const e = createEngine();
    e.load(scenarioById('multi-tenant')?.document);
    e.testTuple({ port: 'Contoso/Web', direction: 'out', protocol: 'icmp', dstIp: '10.1.1.11' });
    const t = e.hostTables('host-2');
    expect(t?.ports.every((p) => p.flowTable.length === 0)).toBe(true);
    expect(t?.paArpCache).toEqual([]);
  });

  it('names what is wrong: an unknown port, a bad address, a missing destination', () => {
    const e = createEngine();
    e.load(scenarioById('multi-tenant')?.document);
    expect(() =>
      e.testTuple({ port: 'Nope/X', direction: 'out', protocol: 'tcp', dstIp: '10.1.1.11' }),
    ).toThrow(/unknown port 'Nope\/X'/);
    expect(() =>
      e.testTuple({ port: 'Contoso/Web', direction: 'out', protocol: 'tcp', dstIp: '10.1.1' }),
    ).toThrow(/destination IP '10\.1\.1'/);
    expect(() => e.testTuple({ port: 'Contoso/Web', direction: 'out', protocol: 'tcp' })).toThrow(
      /destination IP/,
    );
  });

  it('the console cmdlet prints the same decision', () => {
    const e = createEngine();
    e.load(withSqlAcl());
    const r = e.shell(
      'Test-SdnVfpPortTuple -PortName contoso-sql-nic -Direction IN -Protocol TCP -SourceIP 10.1.1.100 -DestinationPort 1433',
      {},
    );
    expect(r.error).toBeUndefined();
    expect(r.output).toMatch(/Direction : IN/);
    expect(r.output).toMatch(/acl_port_in +\S*deny-1433\S* +100/);
    expect(r.output).toMatch(/Result {4}: Blocked: .*no SQL from outside/);
  });
});
