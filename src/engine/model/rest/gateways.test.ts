// The gateway's resources in the Network Controller's shapes, and back.
import { describe, expect, it } from 'vitest';
import { hybridGateway } from '../../../scenarios/hybridGateway.ts';
import { fromNetworkControllerRest, toNetworkControllerRest } from './index.ts';

describe('NC REST: gatewayPools, gateways, virtualGateways', () => {
  const doc = hybridGateway();
  const nc = toNetworkControllerRest(doc);

  it('exports the NC shapes: connectionType, destinationIPAddress, greConfiguration.greKey, routes, bgpPeers', () => {
    expect(nc.gatewayPools?.map((p) => [p.resourceRef, p.properties.type])).toEqual([
      ['/gatewayPools/default-pool', 'All'],
    ]);
    expect(nc.gateways?.[0].properties.pool).toEqual({ resourceRef: '/gatewayPools/default-pool' });
    const [contoso, fabrikam] = nc.virtualGateways ?? [];
    expect(contoso.properties.routingType).toBe('Dynamic');
    expect(contoso.properties.networkConnections.map((c) => c.properties)).toMatchObject([
      {
        connectionType: 'GRE',
        destinationIPAddress: '198.51.100.2',
        greConfiguration: { greKey: 5001 },
        routes: [],
      },
    ]);
    expect(contoso.properties.bgpRouters[0].properties.bgpPeers[0].properties).toEqual({
      peerIpAddress: '172.16.0.1',
      asNumber: 65001,
    });
    expect(fabrikam.properties.networkConnections[0].properties).toMatchObject({
      connectionType: 'IPSec',
      destinationIPAddress: '198.51.100.3',
      routes: [{ destinationPrefix: '172.16.0.0/16', metric: 10 }],
    });
    expect(fabrikam.properties.routingType).toBe('Static');
  });

  it('imports back to the same document', () => {
    const back = fromNetworkControllerRest(JSON.parse(JSON.stringify(nc)));
    if (!back.ok) throw new Error(back.errors.map((e) => e.message).join('; '));
    expect(back.document.virtualGateways).toEqual(doc.virtualGateways);
    expect(back.document.gateways).toEqual(doc.gateways);
    expect(back.document.sites).toEqual(doc.sites);
  });

  it('exports an L3 connection as the NC writes it: l3Configuration.vlanSubnet, ipAddresses, peerIPAddresses', () => {
    const fabrikam = nc.virtualGateways?.[1];
    expect(fabrikam?.properties.networkConnections[1]).toEqual({
      resourceId: 'fabrikam-partner-l3',
      resourceRef: '/virtualGateways/fabrikam-gw/networkConnections/fabrikam-partner-l3',
      resourceMetadata: { name: 'Partner L3' },
      properties: {
        connectionType: 'L3',
        l3Configuration: {
          vlanSubnet: { resourceRef: '/logicalNetworks/partner/logicalSubnets/partner-vlan-50' },
        },
        ipAddresses: [{ ipAddress: '10.50.0.2', prefixLength: 24 }],
        peerIPAddresses: ['10.50.0.1'],
        routes: [{ destinationPrefix: '192.168.50.0/24', metric: 10 }],
        hnvLab: { vlanId: 50 },
      },
    });
  });

  it("an NC L3 connection without the lab's VLAN copy takes its vlanSubnet's VLAN; without ipAddresses it is a named error", () => {
    const plain = JSON.parse(JSON.stringify(nc));
    delete plain.virtualGateways[1].properties.networkConnections[1].properties.hnvLab.vlanId;
    const r = fromNetworkControllerRest(plain);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    expect(r.document.virtualGateways?.[1].connections[1]).toMatchObject({ type: 'l3', vlanId: 50 });
    const broken = JSON.parse(JSON.stringify(nc));
    delete broken.virtualGateways[1].properties.networkConnections[1].properties.ipAddresses;
    const bad = fromNetworkControllerRest(broken);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors[0]).toMatchObject({
        objectKind: 'gateway connection',
        field: 'properties.ipAddresses[0].ipAddress',
      });
  });

  it('a GRE connection without its key is a named error', () => {
    const broken = JSON.parse(JSON.stringify(nc));
    delete broken.virtualGateways[0].properties.networkConnections[0].properties.greConfiguration.greKey;
    const r = fromNetworkControllerRest(broken);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]).toMatchObject({
        objectKind: 'gateway connection',
        field: 'properties.greConfiguration.greKey',
      });
  });
});
