import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../engine/model/validate';
import { loadBalancer } from '../../scenarios/builders';
import { hybridGateway } from '../../scenarios/hybridGateway';
import {
  addGatewayConnection,
  addLbNatRule,
  addLbRule,
  addLoadBalancer,
  addVirtualGateway,
  findEdgeCollection,
  removeEdgeObjects,
  removeGatewayConnection,
  removeLbNatRule,
  removeLbProbe,
  setBackendMember,
  suggestVip,
  updateEdgeObject,
  updateGatewayConnection,
  updateLbNatRule,
} from './edge';

describe('edge edits', () => {
  it('a DIP taken out of the pool loses its failing probe too; the document stays valid', () => {
    const doc = loadBalancer();
    const failing = {
      ...doc,
      loadBalancers: [{ ...doc.loadBalancers![0], probeFailures: ['contoso-web2-nic0'] }],
    };
    const next = setBackendMember.perform(failing, {
      loadBalancerId: 'web-lb',
      vnicId: 'contoso-web2-nic0',
      member: false,
    });
    expect(next.loadBalancers?.[0].backendVnicIds).toEqual(['contoso-web1-nic0', 'contoso-web3-nic0']);
    expect(next.loadBalancers?.[0].probeFailures).toEqual([]);
    expect(failing.loadBalancers?.[0].backendVnicIds).toHaveLength(3);
    expect(validateDocument(next).ok).toBe(true);
    const back = setBackendMember.perform(next, {
      loadBalancerId: 'web-lb',
      vnicId: 'contoso-web2-nic0',
      member: true,
    });
    expect(back.loadBalancers?.[0].backendVnicIds).toContain('contoso-web2-nic0');
  });

  it('a new rule takes a free frontend port; a removed probe leaves its rules unprobed', () => {
    const doc = addLbRule.perform(loadBalancer(), { loadBalancerId: 'web-lb', ruleId: 'r2' });
    expect(doc.loadBalancers?.[0].rules[1]).toMatchObject({
      id: 'r2',
      frontendPort: 81,
      probeId: 'http-probe',
    });
    expect(validateDocument(doc).ok).toBe(true);
    const unprobed = removeLbProbe.perform(doc, { loadBalancerId: 'web-lb', probeId: 'http-probe' });
    expect(unprobed.loadBalancers?.[0].probes).toEqual([]);
    expect(unprobed.loadBalancers?.[0].rules.every((r) => r.probeId === undefined)).toBe(true);
    expect(validateDocument(unprobed).ok).toBe(true);
  });

  it("a VIP typed wrong is stored as typed, and validation names the load balancer's frontendIp", () => {
    const doc = updateEdgeObject.perform(loadBalancer(), {
      collection: 'loadBalancers',
      id: 'web-lb',
      patch: { frontendIp: '203.0.113' },
    });
    const result = validateDocument(doc);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.some((e) => e.objectId === 'web-lb' && e.field === 'frontendIp')).toBe(true);
  });

  it('gateway connections: edit the GRE key, add an IPsec tunnel to a site, remove one with its BGP routes', () => {
    const doc = hybridGateway();
    expect(findEdgeCollection(doc, 'contoso-gw')).toBe('virtualGateways');
    expect(findEdgeCollection(doc, 'contoso-hq')).toBe('sites');
    expect(findEdgeCollection(doc, 'contoso-net')).toBeUndefined();
    const keyed = updateGatewayConnection.perform(doc, {
      virtualGatewayId: 'contoso-gw',
      connectionId: 'contoso-hq-gre',
      patch: { greKey: 7001 },
    });
    expect(keyed.virtualGateways?.[0].connections[0]).toMatchObject({ type: 'gre', greKey: 7001 });
    expect(validateDocument(keyed).ok).toBe(true);
    const added = addGatewayConnection.perform(doc, {
      virtualGatewayId: 'contoso-gw',
      type: 'ipsec',
      connectionId: 'x',
    });
    expect(added.virtualGateways?.[0].connections.at(-1)).toMatchObject({
      id: 'x',
      type: 'ipsec',
      siteId: 'contoso-hq',
    });
    // A new L3 connection takes a tagged subnet the fabric's routers do not route (not a PA
    // subnet) and no other tenant's L3 connection on GW1 uses: none is left while Fabrikam holds
    // VLAN 50 (the validator names the field), VLAN 50 once Fabrikam's connection is gone.
    const none = addGatewayConnection.perform(doc, {
      virtualGatewayId: 'contoso-gw',
      type: 'l3',
      connectionId: 'y',
    });
    const invalid = validateDocument(none);
    expect(invalid.ok ? [] : invalid.errors.map((e) => e.field)).toContain('connections[2].logicalSubnetId');
    const freed = removeGatewayConnection.perform(doc, {
      virtualGatewayId: 'fabrikam-gw',
      connectionId: 'fabrikam-partner-l3',
    });
    const l3 = addGatewayConnection.perform(freed, {
      virtualGatewayId: 'contoso-gw',
      type: 'l3',
      connectionId: 'y',
    });
    expect(l3.virtualGateways?.[0].connections.at(-1)).toMatchObject({
      type: 'l3',
      logicalSubnetId: 'partner-vlan-50',
      vlanId: 50,
      peerIp: '10.50.0.1',
      localIp: '10.50.0.2',
      prefixLength: 24,
    });
    expect(validateDocument(l3).ok).toBe(true);
    const removed = removeGatewayConnection.perform(doc, {
      virtualGatewayId: 'contoso-gw',
      connectionId: 'contoso-hq-gre',
    });
    expect(removed.virtualGateways?.[0].connections.map((c) => c.id)).toEqual(['contoso-nat']);
    expect(removed.virtualGateways?.[0].bgpRoutes).toEqual([]);
  });

  it('a new load balancer takes a free VIP outside every link; with DIPs it balances TCP 80 and validates', () => {
    const doc = loadBalancer();
    const vip = suggestVip(doc);
    expect(vip).toBe('203.0.113.11');
    const next = addLoadBalancer.perform(doc, {
      id: 'lb2',
      frontendIp: vip ?? '',
      backendVnicIds: ['contoso-web1-nic0', 'contoso-web2-nic0'],
    });
    expect(next.loadBalancers?.[1]).toMatchObject({
      id: 'lb2',
      name: 'Load balancer 1',
      frontendIp: '203.0.113.11',
    });
    expect(next.loadBalancers?.[1].rules[0]).toMatchObject({ protocol: 'tcp', frontendPort: 80 });
    expect(validateDocument(next).ok).toBe(true);
    // A link covering 203.0.113.0/25 pushes the VIP past it.
    const covered = {
      ...doc,
      logicalSubnets: [
        ...doc.logicalSubnets,
        { ...doc.logicalSubnets[2], id: 'x', prefix: '203.0.113.0/25' },
      ],
    };
    expect(suggestVip(covered)).toBe('203.0.113.128');
  });

  it('a virtual gateway joins a VM network once; a second one is refused with the reason', () => {
    const doc = hybridGateway();
    const bare = { ...doc, virtualGateways: doc.virtualGateways?.filter((g) => g.id !== 'fabrikam-gw') };
    const next = addVirtualGateway.perform(bare, { id: 'vg', vmNetworkId: 'fabrikam-net', gatewayId: 'gw1' });
    expect(next.virtualGateways?.at(-1)).toMatchObject({
      name: 'Fabrikam Net Gateway',
      vmNetworkId: 'fabrikam-net',
      poolId: 'default-pool',
      connections: [],
    });
    expect(validateDocument(next).ok).toBe(true);
    expect(() =>
      addVirtualGateway.perform(doc, { id: 'vg', vmNetworkId: 'contoso-net', gatewayId: 'gw1' }),
    ).toThrow(/already has virtual gateway 'Contoso Gateway'/);
  });

  it('deleting a load balancer and a virtual gateway leaves the rest valid', () => {
    const lb = removeEdgeObjects.perform(loadBalancer(), { ids: ['web-lb'] });
    expect(lb.loadBalancers).toEqual([]);
    expect(validateDocument(lb).ok).toBe(true);
    const hybrid = removeEdgeObjects.perform(hybridGateway(), { ids: ['fabrikam-gw'] });
    expect(hybrid.virtualGateways?.map((g) => g.id)).toEqual(['contoso-gw']);
    expect(validateDocument(hybrid).ok).toBe(true);
  });

  it('NAT rules: an inbound rule on a free frontend port to the first DIP, outbound ranges edited, removed; clashes named', () => {
    const doc = loadBalancer();
    const added = addLbNatRule.perform(doc, { loadBalancerId: 'web-lb', kind: 'inbound', natRuleId: 'rdp2' });
    expect(added.loadBalancers?.[0].inboundNatRules.at(-1)).toMatchObject({
      id: 'rdp2',
      protocol: 'tcp',
      frontendPort: 3390, // 3389 is RDP to Web1 already
      backendVnicId: 'contoso-web1-nic0',
    });
    expect(validateDocument(added).ok).toBe(true);
    const clash = updateLbNatRule.perform(added, {
      loadBalancerId: 'web-lb',
      kind: 'inbound',
      natRuleId: 'rdp2',
      patch: { frontendPort: 80 },
    });
    const clashed = validateDocument(clash);
    expect(clashed.ok ? [] : clashed.errors.map((e) => [e.objectId, e.field, e.rule])).toContainEqual([
      'web-lb',
      'inboundNatRules[1].frontendPort',
      'unique-frontend-port',
    ]);
    const narrowed = updateLbNatRule.perform(doc, {
      loadBalancerId: 'web-lb',
      kind: 'outbound',
      natRuleId: 'snat',
      patch: { portRangeStart: 2048 },
    });
    expect(narrowed.loadBalancers?.[0].outboundNatRules[0]).toMatchObject({
      portRangeStart: 2048,
      portRangeEnd: 4095,
    });
    expect(validateDocument(narrowed).ok).toBe(true);
    const reversed = updateLbNatRule.perform(doc, {
      loadBalancerId: 'web-lb',
      kind: 'outbound',
      natRuleId: 'snat',
      patch: { portRangeStart: 5000 },
    });
    const bad = validateDocument(reversed);
    expect(bad.ok ? [] : bad.errors.map((e) => e.rule)).toContain('port-range-order');
    const removed = removeLbNatRule.perform(doc, {
      loadBalancerId: 'web-lb',
      kind: 'outbound',
      natRuleId: 'snat',
    });
    expect(removed.loadBalancers?.[0].outboundNatRules).toEqual([]);
    expect(removed.loadBalancers?.[0].inboundNatRules).toEqual(doc.loadBalancers?.[0].inboundNatRules);
  });
});
