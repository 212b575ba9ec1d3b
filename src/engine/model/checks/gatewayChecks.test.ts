// The gateway's objects are validated like every other: each error names the object, the field
// and the rule, and a refused document changes nothing.
import { describe, expect, it } from 'vitest';
import { hybridGateway } from '../../../scenarios/hybridGateway.ts';
import type { TopologyDocument } from '../schema.ts';
import { validateDocument } from '../validate.ts';

function errorsOf(edit: (doc: TopologyDocument) => void) {
  const doc = hybridGateway();
  edit(doc);
  const r = validateDocument(doc);
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => ({
    kind: e.objectKind,
    name: e.objectName,
    field: e.field,
    rule: e.rule,
    message: e.message,
  }));
}

const vg = (doc: TopologyDocument, id: string) => {
  const found = doc.virtualGateways?.find((v) => v.id === id);
  if (!found) throw new Error(id);
  return found;
};

describe('gateway validation', () => {
  it('the hybrid scenario is valid', () => {
    expect(validateDocument(hybridGateway()).ok).toBe(true);
  });

  it('a pool of type S2sGre carries GRE only: the IPsec and L3 connections are named (pool-serves-type); NAT goes with any pool', () => {
    const errors = errorsOf((doc) => {
      const pool = doc.gatewayPools?.[0];
      if (pool) pool.type = 'S2sGre';
    });
    const served = errors.filter((e) => e.rule === 'pool-serves-type');
    expect(served.map((e) => [e.name, e.field])).toEqual([
      ['Fabrikam Gateway/Branch IPsec', 'connections[0].type'],
      ['Fabrikam Gateway/Partner L3', 'connections[1].type'],
    ]);
    expect(served[0].message).toMatch(/pool 'Default pool' is of type S2sGre/);
  });

  it('two tenants with one GRE key on one gateway: unique-gre-key, naming both connections', () => {
    const errors = errorsOf((doc) => {
      vg(doc, 'fabrikam-gw').connections.push({
        id: 'f-gre',
        name: 'Branch GRE',
        type: 'gre',
        siteId: 'fabrikam-branch',
        greKey: 5001,
        routes: [],
      });
    });
    expect(errors).toEqual([
      {
        kind: 'gateway connection',
        name: 'Fabrikam Gateway/Branch GRE',
        field: 'connections[2].greKey',
        rule: 'unique-gre-key',
        message:
          "gateway connection 'Fabrikam Gateway/Branch GRE' GRE key 5001 is already used by gateway connection 'Contoso Gateway/HQ GRE' on gateway 'GW1': the key tells the tenants' tunnels apart",
      },
    ]);
  });

  it('references: a tunnel to no site, a tunnel to the internet, a gateway on no host', () => {
    const errors = errorsOf((doc) => {
      const c = vg(doc, 'contoso-gw').connections[0];
      if (c.type === 'gre') c.siteId = 'nowhere';
      const f = vg(doc, 'fabrikam-gw').connections[0];
      if (f.type === 'ipsec') f.siteId = 'internet';
      if (doc.gateways) doc.gateways[0].hostId = 'host-9';
    });
    expect(errors.map((e) => [e.kind, e.field, e.rule])).toEqual([
      ['gateway', 'hostId', 'known-reference'],
      ['gateway connection', 'connections[0].siteId', 'known-reference'],
      ['gateway connection', 'connections[0].siteId', 'tunnel-to-on-premises'],
    ]);
    expect(errors[0].message).toBe("gateway 'GW1' hostId 'host-9' refers to no host");
  });

  it('addresses: a front-end IP outside its link, a site edge on a router address, a host outside the prefixes', () => {
    const errors = errorsOf((doc) => {
      if (doc.gateways) doc.gateways[0].externalIp = '131.107.1.10';
      const hq = doc.sites?.[0];
      if (hq) {
        hq.edgeIp = '198.51.100.1';
        hq.hosts = ['10.0.0.1'];
      }
    });
    expect(errors.map((e) => [e.kind, e.name, e.field, e.rule])).toEqual([
      ['gateway', 'GW1', 'externalIp', 'ip-in-logical-subnet'],
      ['site', 'Contoso HQ', 'edgeIp', 'unique-ip'],
      ['site', 'Contoso HQ', 'hosts[0]', 'site-host-in-prefixes'],
    ]);
    expect(errors[1].message).toBe(
      "site 'Contoso HQ' edge IP 198.51.100.1 is already used by router interface L3 Router/WAN",
    );
  });

  it('BGP routes are learnt over a tunnel; a NAT range runs forward; one virtual gateway per VM network', () => {
    const errors = errorsOf((doc) => {
      const c = vg(doc, 'contoso-gw');
      c.bgpRoutes = [
        { prefix: '172.16.0.0/16', connectionId: 'contoso-nat', peerIp: '172.16.0.1', peerAsn: 65001 },
      ];
      const nat = c.connections[1];
      if (nat.type === 'nat') nat.portRangeEnd = 100;
      vg(doc, 'fabrikam-gw').vmNetworkId = 'contoso-net';
    });
    expect(errors.map((e) => [e.kind, e.field, e.rule])).toEqual([
      ['gateway connection', 'connections[1].portRangeStart', 'port-range-order'],
      ['virtual gateway', 'bgpRoutes[0].connectionId', 'bgp-over-tunnel'],
      ['virtual gateway', 'vmNetworkId', 'one-virtual-gateway'],
    ]);
  });

  it('L3 connections: the VLAN of its subnet, an interface and a peer on it, one VLAN per tenant on a gateway', () => {
    const errors = errorsOf((doc) => {
      const l3 = vg(doc, 'fabrikam-gw').connections[1];
      if (l3.type === 'l3') {
        l3.vlanId = 51;
        l3.prefixLength = 25;
        l3.peerIp = '10.51.0.1';
      }
      vg(doc, 'contoso-gw').connections.push({
        id: 'contoso-l3',
        name: 'Contoso L3',
        type: 'l3',
        vlanId: 51,
        logicalSubnetId: 'partner-vlan-50',
        localIp: '10.50.0.2',
        prefixLength: 24,
        peerIp: '10.50.0.2',
        routes: [],
      });
    });
    expect(errors.map((e) => [e.name, e.field, e.rule])).toEqual([
      ['Contoso Gateway/Contoso L3', 'connections[2].vlanId', 'l3-vlan-of-subnet'],
      ['Contoso Gateway/Contoso L3', 'connections[2].peerIp', 'l3-peer-not-local'],
      ['Fabrikam Gateway/Partner L3', 'connections[1].vlanId', 'l3-vlan-of-subnet'],
      ['Fabrikam Gateway/Partner L3', 'connections[1].localIp', 'unique-ip'],
      ['Fabrikam Gateway/Partner L3', 'connections[1].prefixLength', 'l3-prefix-length'],
      ['Fabrikam Gateway/Partner L3', 'connections[1].peerIp', 'l3-peer-on-vlan'],
      ['Fabrikam Gateway/Partner L3', 'connections[1].vlanId', 'unique-l3-vlan'],
    ]);
    expect(errors.map((e) => e.message)).toContain(
      "gateway connection 'Fabrikam Gateway/Partner L3' VLAN 51 is not the VLAN of its logical subnet 'Partner VLAN 50' (VLAN 50)",
    );
    expect(errors.map((e) => e.message)).toContain(
      "gateway connection 'Fabrikam Gateway/Partner L3' VLAN 51 is already used by gateway connection 'Contoso Gateway/Contoso L3' on gateway 'GW1': the VLAN tells the tenants' L3 traffic apart",
    );
  });

  it("L3 connections: a subnet that is no logical subnet, or the gateway's own front end", () => {
    const errors = errorsOf((doc) => {
      const l3 = vg(doc, 'fabrikam-gw').connections[1];
      if (l3.type === 'l3') l3.logicalSubnetId = 'front-end';
      vg(doc, 'contoso-gw').connections.push({
        id: 'contoso-l3',
        name: 'Contoso L3',
        type: 'l3',
        vlanId: 60,
        logicalSubnetId: 'vlan-60',
        localIp: '10.60.0.2',
        prefixLength: 24,
        peerIp: '10.60.0.1',
        routes: [],
      });
    });
    expect(errors.map((e) => [e.name, e.field, e.rule])).toContainEqual([
      'Contoso Gateway/Contoso L3',
      'connections[2].logicalSubnetId',
      'known-reference',
    ]);
    expect(errors.map((e) => [e.name, e.field, e.rule])).toContainEqual([
      'Fabrikam Gateway/Partner L3',
      'connections[1].logicalSubnetId',
      'l3-own-vlan-subnet',
    ]);
  });

  it('schema: a reserved SPI is refused, located at the connection', () => {
    const errors = errorsOf((doc) => {
      const f = vg(doc, 'fabrikam-gw').connections[0];
      if (f.type === 'ipsec') f.spiOut = 7;
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'gateway connection', field: 'connections[0].spiOut' });
    expect(errors[0].message).toContain('256');
  });
});
