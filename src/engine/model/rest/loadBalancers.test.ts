import { describe, expect, it } from 'vitest';
import { loadBalancer } from '../../../scenarios/builders.ts';
import { fromNetworkControllerRest, toNetworkControllerRest } from './index.ts';

describe('NC REST loadBalancers', () => {
  it('exports the VIP, the DIPs as ipConfiguration references, rules wired to the pool and probe', () => {
    const rest = toNetworkControllerRest(loadBalancer());
    const lb = rest.loadBalancers?.[0];
    expect(lb?.resourceRef).toBe('/loadBalancers/web-lb');
    expect(lb?.properties.frontendIPConfigurations[0].properties).toMatchObject({
      privateIPAddress: '203.0.113.10',
    });
    expect(lb?.properties.backendAddressPools[0].properties).toEqual({
      backendIPConfigurations: [
        { resourceRef: '/networkInterfaces/contoso-web1-nic0/ipConfigurations/ipconfig1' },
        { resourceRef: '/networkInterfaces/contoso-web2-nic0/ipConfigurations/ipconfig1' },
        { resourceRef: '/networkInterfaces/contoso-web3-nic0/ipConfigurations/ipconfig1' },
      ],
    });
    expect(lb?.properties.loadBalancingRules[0].properties).toMatchObject({
      protocol: 'TCP',
      frontendPort: 80,
      backendPort: 80,
      loadDistribution: 'Default',
      backendAddressPool: { resourceRef: '/loadBalancers/web-lb/backendAddressPools/backend' },
      probe: { resourceRef: '/loadBalancers/web-lb/probes/http-probe' },
    });
    expect(rest.hnvLab.slbMuxes?.map((m) => m.name)).toEqual(['SLB MUX 1', 'SLB MUX 2']);
  });

  it('an import with a bad load-balancing rule names the resource, the field and the rule', () => {
    const rest = JSON.parse(JSON.stringify(toNetworkControllerRest(loadBalancer())));
    rest.loadBalancers[0].properties.loadBalancingRules[0].properties.protocol = 'ICMP';
    const result = fromNetworkControllerRest(rest);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({ field: 'properties.protocol', rule: 'value', objectName: 'web-lb/http' }),
    ]);
  });

  it('an import whose VIP lies on a link fails validation with the load balancer named', () => {
    const rest = JSON.parse(JSON.stringify(toNetworkControllerRest(loadBalancer())));
    rest.loadBalancers[0].properties.frontendIPConfigurations[0].properties.privateIPAddress = '192.168.2.77';
    const result = fromNetworkControllerRest(rest);
    expect(result.ok ? [] : result.errors.map((e) => [e.objectName, e.field, e.rule])).toEqual([
      ['Web LB', 'frontendIp', 'vip-off-link'],
    ]);
  });
});
