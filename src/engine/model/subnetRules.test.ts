// Rules of a virtual subnet that follow from HNV itself: HNVv1 carries NVGRE only, and a
// configured gateway MAC is a unicast address no vNIC of its VSID holds. Each error names the
// subnet, the field and the rule; a refused document changes nothing (validate is pure).
import { describe, expect, it } from 'vitest';
import { toNetworkControllerRest as exportNcRest, fromNetworkControllerRest as importNcRest } from './rest';
import type { TopologyDocument } from './schema';
import { multiTenantFixture } from './testDocument';
import { validateDocument } from './validate';

function errorsOf(doc: TopologyDocument) {
  const result = validateDocument(doc);
  return result.ok ? [] : result.errors;
}

const onSubnets = (doc: TopologyDocument) =>
  errorsOf(doc)
    .filter((e) => e.objectKind === 'virtual subnet')
    .map(({ objectName, field, rule, message }) => ({ objectName, field, rule, message }));

describe('HNVv1: NVGRE only', () => {
  it('refuses a VXLAN subnet in an HNVv1 datacenter, naming the subnet, the field and the rule', () => {
    const doc = multiTenantFixture();
    doc.hnvMode = 'v1';
    doc.virtualSubnets[1].encapsulation = 'nvgre';
    expect(onSubnets(doc)).toEqual([
      {
        objectName: 'Contoso Subnet',
        field: 'encapsulation',
        rule: 'v1-nvgre-only',
        message:
          "virtual subnet 'Contoso Subnet' uses VXLAN, but HNVv1 (Windows Server 2012 R2) encapsulates in NVGRE only: set it to NVGRE or the datacenter to HNVv2",
      },
    ]);
  });

  it('accepts NVGRE in v1, and both encapsulations in v2', () => {
    const v1 = multiTenantFixture();
    v1.hnvMode = 'v1';
    for (const s of v1.virtualSubnets) s.encapsulation = 'nvgre';
    expect(onSubnets(v1)).toEqual([]);
    const v2 = multiTenantFixture();
    v2.virtualSubnets[1].encapsulation = 'nvgre';
    expect(validateDocument(v2).ok).toBe(true);
  });
});

describe('gateway MAC of a virtual subnet', () => {
  const withGatewayMac = (mac: string) => {
    const doc = multiTenantFixture();
    doc.virtualSubnets[0].gatewayMac = mac;
    return doc;
  };

  it('accepts a unicast MAC, and round-trips it through NC REST export and import', () => {
    const doc = withGatewayMac('00:15:5d:ff:00:01');
    expect(validateDocument(doc).ok).toBe(true);
    const exported = exportNcRest(doc);
    const subnet = exported.virtualNetworks[0].properties.subnets[0];
    expect(subnet.properties.hnvLab?.gatewayMac).toBe('00:15:5d:ff:00:01');
    const back = importNcRest(JSON.parse(JSON.stringify(exported)));
    expect(back.ok && back.document.virtualSubnets[0].gatewayMac).toBe('00:15:5d:ff:00:01');
    // Absent stays absent (derived), both ways.
    const plain = exportNcRest(multiTenantFixture());
    expect(plain.virtualNetworks[0].properties.subnets[0].properties.hnvLab?.gatewayMac).toBeUndefined();
    const again = importNcRest(JSON.parse(JSON.stringify(plain)));
    expect(again.ok && again.document.virtualSubnets[0].gatewayMac).toBeUndefined();
  });

  it('reads the NC way of writing a MAC (00-15-5D-FF-00-01) on import', () => {
    const exported = JSON.parse(JSON.stringify(exportNcRest(withGatewayMac('00:15:5d:ff:00:01'))));
    exported.virtualNetworks[0].properties.subnets[0].properties.hnvLab.gatewayMac = '00-15-5D-FF-00-02';
    const back = importNcRest(exported);
    expect(back.ok && back.document.virtualSubnets[0].gatewayMac).toBe('00:15:5d:ff:00:02');
  });

  it.each([
    [
      '01:00:5e:00:00:01',
      'unicast-mac',
      "virtual subnet 'Contoso Subnet' gateway MAC 01:00:5e:00:00:01 is a multicast address: the distributed router needs a unicast one",
    ],
    [
      '00:00:00:00:00:00',
      'unicast-mac',
      "virtual subnet 'Contoso Subnet' gateway MAC 00:00:00:00:00:00 is all zeros",
    ],
    [
      '00:15:5d:00:01:12',
      'gateway-mac-not-vnic',
      "virtual subnet 'Contoso Subnet' gateway MAC 00:15:5d:00:01:12 is the MAC of vNIC Contoso/Web in the same VSID 5001",
    ],
  ])('refuses %s (%s)', (mac, rule, message) => {
    expect(onSubnets(withGatewayMac(mac))).toEqual([
      { objectName: 'Contoso Subnet', field: 'gatewayMac', rule, message },
    ]);
  });

  it("allows a vNIC's MAC of another VSID (the router's MAC is scoped to its subnet)", () => {
    expect(validateDocument(withGatewayMac('00:15:5d:00:02:11')).ok).toBe(true); // Fabrikam SQL's
  });

  it('a malformed one is refused by the schema, with the field', () => {
    const errors = errorsOf(withGatewayMac('00-15-5D-FF-00-01'));
    expect(errors.map((e) => [e.objectKind, e.field])).toEqual([['virtual subnet', 'gatewayMac']]);
  });
});
