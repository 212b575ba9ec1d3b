// routeTables and virtualNetworkPeerings in the Network Controller's REST shapes, both ways.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../../scenarios/index.ts';
import type { TopologyDocument } from '../schema.ts';
import { fromNetworkControllerRest, toNetworkControllerRest } from './index.ts';

const doc = (): TopologyDocument =>
  structuredClone(scenarioById('udr-peering')?.document) as TopologyDocument;

describe('NC REST: route tables and peerings', () => {
  it('exports routeTables with routes (addressPrefix, nextHopType, nextHopIpAddress) and their subnets', () => {
    const rest = toNetworkControllerRest(doc());
    const web = rest.routeTables?.find((t) => t.resourceId === 'web-routes');
    expect(web).toMatchObject({
      resourceRef: '/routeTables/web-routes',
      resourceMetadata: { name: 'Web routes' },
      properties: {
        routes: [
          {
            resourceId: 'web-to-app',
            resourceRef: '/routeTables/web-routes/routes/web-to-app',
            properties: {
              addressPrefix: '10.1.2.0/24',
              nextHopType: 'VirtualAppliance',
              nextHopIpAddress: '10.0.1.4',
            },
          },
          { resourceId: 'web-no-mgmt', properties: { addressPrefix: '10.0.2.0/24', nextHopType: 'None' } },
        ],
        subnets: [{ resourceRef: '/virtualNetworks/spoke-net/subnets/web' }],
      },
    });
    expect(web?.properties.routes[1].properties).not.toHaveProperty('nextHopIpAddress');
    const spoke = rest.virtualNetworks.find((n) => n.resourceId === 'spoke-net');
    expect(spoke?.properties.subnets.find((s) => s.resourceId === 'web')?.properties.routeTable).toEqual({
      resourceRef: '/routeTables/web-routes',
    });
  });

  it('exports virtualNetworkPeerings with the NC flags and the computed peering state', () => {
    const rest = toNetworkControllerRest(doc());
    const peering = (vn: string) =>
      rest.virtualNetworks.find((n) => n.resourceId === vn)?.properties.virtualNetworkPeerings;
    expect(peering('hub-net')).toEqual([
      {
        resourceId: 'hub-to-spoke',
        resourceRef: '/virtualNetworks/hub-net/virtualNetworkPeerings/hub-to-spoke',
        resourceMetadata: { name: 'Hub to Spoke' },
        properties: {
          remoteVirtualNetwork: { resourceRef: '/virtualNetworks/spoke-net' },
          allowVirtualnetworkAccess: true,
          allowForwardedTraffic: true,
          allowGatewayTransit: false,
          useRemoteGateways: false,
          peeringState: 'Connected',
        },
      },
    ]);
    expect(peering('sales-net')?.[0].properties.peeringState).toBe('Initiated');
    const fw = rest.networkInterfaces.find((n) => n.properties.hnvLab?.vmId === 'fw');
    expect(fw?.properties.hnvLab?.ipForwarding).toBe(true);
  });

  it('round-trips exactly, and reads a plain NC body (either case of allowVirtualNetworkAccess)', () => {
    const original = doc();
    const back = fromNetworkControllerRest(JSON.parse(JSON.stringify(toNetworkControllerRest(original))));
    expect(back).toEqual({ ok: true, document: original });
    const rest = JSON.parse(JSON.stringify(toNetworkControllerRest(original)));
    const p = rest.virtualNetworks[0].properties.virtualNetworkPeerings[0].properties;
    delete p.allowVirtualnetworkAccess;
    p.allowVirtualNetworkAccess = true;
    delete p.peeringState;
    expect(fromNetworkControllerRest(rest).ok).toBe(true);
  });

  it('names a bad nextHopType and a bad flag, and imports nothing', () => {
    const rest = JSON.parse(JSON.stringify(toNetworkControllerRest(doc())));
    rest.routeTables[0].properties.routes[0].properties.nextHopType = 'Internet';
    rest.virtualNetworks[0].properties.virtualNetworkPeerings[0].properties.allowForwardedTraffic = 'yes';
    const r = fromNetworkControllerRest(rest);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.objectKind} ${e.objectName} ${e.field} ${e.rule}`)).toEqual([
      'route web-to-app properties.nextHopType value',
      'virtual network peering hub-to-spoke properties.allowForwardedTraffic type',
    ]);
    expect(r.errors[0].message).toContain('VirtualAppliance, VnetLocal, VirtualNetworkGateway, None');
  });
});
