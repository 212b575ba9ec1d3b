// Edits of the SDN edge from the properties panel: load balancers (pool, rules, probes),
// virtual gateways' connections, and the plain fields of gateways, MUXes, sites and external
// endpoints. Values are stored as typed, as every field edit: validation names what is wrong.
import type { GatewayConnection } from '../../engine/model/gatewaySchema';
import type {
  LbInboundNatRule,
  LbOutboundNatRule,
  LbProbe,
  LbRule,
  LoadBalancer,
  TopologyDocument,
} from '../../engine/model/schema';
import { formatIpv4, ipv4ToNumber, parsePrefix, prefixContains } from '../../engine/net';
import { ActionError, defineAction } from './types';
import { newObjectId, uniqueName } from './util';

/** The document's optional collections of edge objects, and what the panel calls each object. */
export const EDGE_KINDS = {
  loadBalancers: 'Load balancer',
  virtualGateways: 'Virtual gateway',
  gateways: 'RAS gateway',
  gatewayPools: 'Gateway pool',
  slbMuxes: 'SLB MUX',
  sites: 'Site',
  externalEndpoints: 'External endpoint',
} as const;
export type EdgeCollection = keyof typeof EDGE_KINDS;
type EdgeItem<C extends EdgeCollection> = NonNullable<TopologyDocument[C]>[number];

/** Which edge collection holds the object with this id, if any. */
export function findEdgeCollection(doc: TopologyDocument, id: string): EdgeCollection | undefined {
  return (Object.keys(EDGE_KINDS) as EdgeCollection[]).find((c) =>
    ((doc[c] ?? []) as { id: string }[]).some((o) => o.id === id),
  );
}

function updateEdgeIn<C extends EdgeCollection>(
  doc: TopologyDocument,
  collection: C,
  id: string,
  change: (item: EdgeItem<C>) => EdgeItem<C>,
): TopologyDocument {
  const items = (doc[collection] ?? []) as EdgeItem<C>[];
  if (!items.some((o) => o.id === id)) throw new ActionError('That object no longer exists.');
  return { ...doc, [collection]: items.map((o) => (o.id === id ? change(o) : o)) };
}

export type EdgeUpdateArgs = {
  [C in EdgeCollection]: { collection: C; id: string; patch: Partial<Omit<EdgeItem<C>, 'id'>> };
}[EdgeCollection];

export const updateEdgeObject = defineAction<EdgeUpdateArgs>('updateEdgeObject', 'Edit', (doc, args) =>
  updateEdgeIn(doc, args.collection, args.id, (o) => ({ ...o, ...args.patch }) as typeof o),
);

const updateLb = (doc: TopologyDocument, id: string, change: (lb: LoadBalancer) => LoadBalancer) =>
  updateEdgeIn(doc, 'loadBalancers', id, change);

/**
 * Put a vNIC in a load balancer's backend pool or take it out. Out of the pool, its probe
 * switch goes too (a failing probe is only about a DIP of the pool).
 */
export const setBackendMember = defineAction<{ loadBalancerId: string; vnicId: string; member: boolean }>(
  'setBackendMember',
  'Edit backend pool',
  (doc, { loadBalancerId, vnicId, member }) =>
    updateLb(doc, loadBalancerId, (lb) => {
      const others = lb.backendVnicIds.filter((id) => id !== vnicId);
      if (member) return { ...lb, backendVnicIds: [...others, vnicId] };
      const failures = (lb.probeFailures ?? []).filter((id) => id !== vnicId);
      return { ...lb, backendVnicIds: others, probeFailures: failures };
    }),
);

export const addLbRule = defineAction<{ loadBalancerId: string; ruleId?: string }>(
  'addLbRule',
  'Add load-balancing rule',
  (doc, args) =>
    updateLb(doc, args.loadBalancerId, (lb) => {
      const used = new Set(lb.rules.map((r) => r.frontendPort));
      let port = 80;
      while (used.has(port) && port < 65535) port++;
      const rule: LbRule = {
        id: args.ruleId ?? newObjectId('rule'),
        name: uniqueName(
          lb.rules.map((r) => r.name),
          'Rule',
        ),
        protocol: 'tcp',
        frontendPort: port,
        backendPort: port,
        loadDistribution: 'default',
        ...(lb.probes[0] ? { probeId: lb.probes[0].id } : {}),
      };
      return { ...lb, rules: [...lb.rules, rule] };
    }),
);

export const updateLbRule = defineAction<{
  loadBalancerId: string;
  ruleId: string;
  patch: Partial<Omit<LbRule, 'id'>>;
}>('updateLbRule', 'Edit load-balancing rule', (doc, args) =>
  updateLb(doc, args.loadBalancerId, (lb) => ({
    ...lb,
    rules: lb.rules.map((r) => (r.id === args.ruleId ? withoutUndefined({ ...r, ...args.patch }) : r)),
  })),
);

export const removeLbRule = defineAction<{ loadBalancerId: string; ruleId: string }>(
  'removeLbRule',
  'Remove load-balancing rule',
  (doc, args) =>
    updateLb(doc, args.loadBalancerId, (lb) => ({
      ...lb,
      rules: lb.rules.filter((r) => r.id !== args.ruleId),
    })),
);

export const addLbProbe = defineAction<{ loadBalancerId: string; probeId?: string }>(
  'addLbProbe',
  'Add health probe',
  (doc, args) =>
    updateLb(doc, args.loadBalancerId, (lb) => {
      const probe: LbProbe = {
        id: args.probeId ?? newObjectId('probe'),
        name: uniqueName(
          lb.probes.map((p) => p.name),
          'Probe',
        ),
        protocol: 'tcp',
        port: lb.rules[0]?.backendPort ?? 80,
        intervalInSeconds: 5,
        numberOfProbes: 2,
      };
      return { ...lb, probes: [...lb.probes, probe] };
    }),
);

export const updateLbProbe = defineAction<{
  loadBalancerId: string;
  probeId: string;
  patch: Partial<Omit<LbProbe, 'id'>>;
}>('updateLbProbe', 'Edit health probe', (doc, args) =>
  updateLb(doc, args.loadBalancerId, (lb) => ({
    ...lb,
    probes: lb.probes.map((p) => (p.id === args.probeId ? withoutUndefined({ ...p, ...args.patch }) : p)),
  })),
);

/** Remove a probe; the rules that used it keep balancing, unprobed. */
export const removeLbProbe = defineAction<{ loadBalancerId: string; probeId: string }>(
  'removeLbProbe',
  'Remove health probe',
  (doc, args) =>
    updateLb(doc, args.loadBalancerId, (lb) => ({
      ...lb,
      probes: lb.probes.filter((p) => p.id !== args.probeId),
      rules: lb.rules.map((r) => {
        if (r.probeId !== args.probeId) return r;
        const { probeId: _gone, ...rest } = r;
        return rest;
      }),
    })),
);

/**
 * A NAT rule of a load balancer: inbound (VIP:port -> one DIP:port, e.g. RDP to one VM) or
 * outbound (the DIPs' own connections SNATed to the VIP, the port range cut into slices).
 */
export type LbNatKind = 'inbound' | 'outbound';
const NAT_LIST = { inbound: 'inboundNatRules', outbound: 'outboundNatRules' } as const;

/** A new NAT rule: inbound on a free frontend port to the first DIP; outbound over 1024-4095. */
export const addLbNatRule = defineAction<{ loadBalancerId: string; kind: LbNatKind; natRuleId?: string }>(
  'addLbNatRule',
  'Add NAT rule',
  (doc, args) =>
    updateLb(doc, args.loadBalancerId, (lb) => {
      const id = args.natRuleId ?? newObjectId('nat');
      if (args.kind === 'outbound') {
        const rule: LbOutboundNatRule = {
          id,
          name: uniqueName(
            lb.outboundNatRules.map((r) => r.name),
            'Outbound',
          ),
          protocol: 'all',
          portRangeStart: 1024,
          portRangeEnd: 4095,
        };
        return { ...lb, outboundNatRules: [...lb.outboundNatRules, rule] };
      }
      const dip = lb.backendVnicIds[0];
      if (dip === undefined)
        throw new ActionError(
          `load balancer '${lb.name}' has no DIP yet: add a vNIC to its backend pool first`,
        );
      const used = new Set([...lb.rules, ...lb.inboundNatRules].map((r) => r.frontendPort));
      let port = 3389;
      while (used.has(port) && port < 65535) port++;
      const rule: LbInboundNatRule = {
        id,
        name: uniqueName(
          lb.inboundNatRules.map((r) => r.name),
          'Inbound',
        ),
        protocol: 'tcp',
        frontendPort: port,
        backendPort: 3389,
        backendVnicId: dip,
      };
      return { ...lb, inboundNatRules: [...lb.inboundNatRules, rule] };
    }),
);

export const updateLbNatRule = defineAction<{
  loadBalancerId: string;
  kind: LbNatKind;
  natRuleId: string;
  patch: Partial<Omit<LbInboundNatRule, 'id'>> | Partial<Omit<LbOutboundNatRule, 'id'>>;
}>('updateLbNatRule', 'Edit NAT rule', (doc, args) =>
  updateLb(doc, args.loadBalancerId, (lb) => {
    const list = NAT_LIST[args.kind];
    return {
      ...lb,
      [list]: (lb[list] as { id: string }[]).map((r) =>
        r.id === args.natRuleId ? withoutUndefined({ ...r, ...args.patch }) : r,
      ),
    };
  }),
);

export const removeLbNatRule = defineAction<{ loadBalancerId: string; kind: LbNatKind; natRuleId: string }>(
  'removeLbNatRule',
  'Remove NAT rule',
  (doc, args) =>
    updateLb(doc, args.loadBalancerId, (lb) => {
      const list = NAT_LIST[args.kind];
      return { ...lb, [list]: (lb[list] as { id: string }[]).filter((r) => r.id !== args.natRuleId) };
    }),
);

/** Optional fields set to undefined are dropped, so the document stays what the schema reads. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export type ConnectionPatch = { [K in string]?: unknown };

export const updateGatewayConnection = defineAction<{
  virtualGatewayId: string;
  connectionId: string;
  patch: ConnectionPatch;
}>('updateGatewayConnection', 'Edit gateway connection', (doc, args) =>
  updateEdgeIn(doc, 'virtualGateways', args.virtualGatewayId, (vg) => ({
    ...vg,
    connections: vg.connections.map((c) =>
      c.id === args.connectionId ? (withoutUndefined({ ...c, ...args.patch }) as GatewayConnection) : c,
    ),
  })),
);

/** A new connection of `type` with the lab's defaults (the first on-premises site, free ports). */
export const addGatewayConnection = defineAction<{
  virtualGatewayId: string;
  type: GatewayConnection['type'];
  connectionId?: string;
}>('addGatewayConnection', 'Add gateway connection', (doc, args) =>
  updateEdgeIn(doc, 'virtualGateways', args.virtualGatewayId, (vg) => {
    const id = args.connectionId ?? newObjectId('conn');
    const site = (doc.sites ?? []).find((s) => s.kind === 'on-premises');
    const names = vg.connections.map((c) => c.name);
    let connection: GatewayConnection;
    switch (args.type) {
      case 'gre':
        connection = {
          id,
          name: uniqueName(names, 'GRE'),
          type: 'gre',
          siteId: site?.id ?? '',
          greKey: 1,
          routes: [],
        };
        break;
      case 'ipsec':
        connection = {
          id,
          name: uniqueName(names, 'IPsec'),
          type: 'ipsec',
          siteId: site?.id ?? '',
          spiOut: 0x1000,
          spiIn: 0x1001,
          routes: [],
        };
        break;
      case 'l3': {
        // A tagged logical subnet of its own: not routed by the fabric's routers (a PA subnet)
        // and not used by another L3 connection on this gateway VM (its VLAN tells the tenants
        // apart); the peer router at its first
        // host address, the compartment's interface at the second. The validator names the
        // field if no subnet suits.
        const used = new Set(
          (doc.virtualGateways ?? [])
            .filter((g) => g.gatewayId === vg.gatewayId)
            .flatMap((g) => g.connections.flatMap((c) => (c.type === 'l3' ? [c.logicalSubnetId] : []))),
        );
        for (const r of doc.routers) for (const i of r.interfaces) used.add(i.logicalSubnetId);
        const ls = doc.logicalSubnets.find((l) => l.vlanId > 0 && !used.has(l.id));
        const prefix = ls ? parsePrefix(ls.prefix) : undefined;
        const taken = new Set(
          (doc.virtualGateways ?? []).flatMap((g) =>
            g.connections.flatMap((c) => (c.type === 'l3' ? [c.localIp] : [])),
          ),
        );
        let local = prefix ? prefix.network + 2 : 0;
        while (prefix && taken.has(formatIpv4(local)) && local < prefix.broadcast - 1) local++;
        connection = {
          id,
          name: uniqueName(names, 'L3'),
          type: 'l3',
          vlanId: ls?.vlanId ?? 1,
          logicalSubnetId: ls?.id ?? '',
          localIp: prefix ? formatIpv4(local) : '10.0.0.2',
          prefixLength: prefix?.length ?? 24,
          peerIp: prefix ? formatIpv4(prefix.network + 1) : '10.0.0.1',
          routes: [],
        };
        break;
      }
      case 'nat':
        connection = {
          id,
          name: uniqueName(names, 'NAT'),
          type: 'nat',
          portRangeStart: 10000,
          portRangeEnd: 19999,
        };
        break;
    }
    return { ...vg, connections: [...vg.connections, connection] };
  }),
);

export const removeGatewayConnection = defineAction<{ virtualGatewayId: string; connectionId: string }>(
  'removeGatewayConnection',
  'Remove gateway connection',
  (doc, args) =>
    updateEdgeIn(doc, 'virtualGateways', args.virtualGatewayId, (vg) => ({
      ...vg,
      connections: vg.connections.filter((c) => c.id !== args.connectionId),
      // BGP routes learnt over the connection go with it.
      ...(vg.bgpRoutes
        ? { bgpRoutes: vg.bgpRoutes.filter((r) => r.connectionId !== args.connectionId) }
        : {}),
    })),
);

/**
 * A VIP for a new load balancer: the first address of 203.0.113.0/24 (TEST-NET-3, the public
 * range the lab's VIPs come from) that no load balancer uses and no link contains — a VIP is
 * routed to the MUXes, so it lies outside every logical subnet. Undefined when none is free.
 */
export function suggestVip(doc: TopologyDocument): string | undefined {
  const used = new Set((doc.loadBalancers ?? []).map((lb) => lb.frontendIp));
  const links = doc.logicalSubnets.map((s) => parsePrefix(s.prefix)).filter((p) => p !== undefined);
  const base = ipv4ToNumber('203.0.113.0');
  for (let host = 10; host < 255; host++) {
    const address = base + host;
    const text = formatIpv4(address);
    if (!used.has(text) && !links.some((p) => prefixContains(p, address))) return text;
  }
  return undefined;
}

/** A new load balancer: a VIP, its DIPs (may be none yet), and, with DIPs, TCP 80 probed on 80. */
export const addLoadBalancer = defineAction<{ id: string; frontendIp: string; backendVnicIds: string[] }>(
  'addLoadBalancer',
  'Add load balancer',
  (doc, args) => {
    const names = (doc.loadBalancers ?? []).map((lb) => lb.name);
    const probeId = newObjectId('probe');
    const serving = args.backendVnicIds.length > 0;
    const lb: LoadBalancer = {
      id: args.id,
      name: uniqueName(names, 'Load balancer'),
      frontendIp: args.frontendIp,
      backendVnicIds: args.backendVnicIds,
      rules: serving
        ? [
            {
              id: newObjectId('rule'),
              name: 'HTTP',
              protocol: 'tcp',
              frontendPort: 80,
              backendPort: 80,
              loadDistribution: 'default',
              probeId,
            },
          ]
        : [],
      probes: serving
        ? [
            {
              id: probeId,
              name: 'TCP 80',
              protocol: 'tcp',
              port: 80,
              intervalInSeconds: 5,
              numberOfProbes: 2,
            },
          ]
        : [],
      inboundNatRules: [],
      outboundNatRules: [],
      probeFailures: [],
    };
    return { ...doc, loadBalancers: [...(doc.loadBalancers ?? []), lb] };
  },
);

/** A VM network's virtual gateway: its compartment on a gateway VM, no connections yet. */
export const addVirtualGateway = defineAction<{ id: string; vmNetworkId: string; gatewayId: string }>(
  'addVirtualGateway',
  'Add virtual gateway',
  (doc, args) => {
    const net = doc.vmNetworks.find((n) => n.id === args.vmNetworkId);
    const gateway = (doc.gateways ?? []).find((g) => g.id === args.gatewayId);
    if (!net || !gateway) throw new ActionError('That VM network or gateway no longer exists.');
    const other = (doc.virtualGateways ?? []).find((g) => g.vmNetworkId === net.id);
    if (other)
      throw new ActionError(
        `VM network '${net.name}' already has virtual gateway '${other.name}': one per VM network.`,
      );
    const names = (doc.virtualGateways ?? []).map((g) => g.name);
    const name = names.includes(`${net.name} Gateway`)
      ? uniqueName(names, `${net.name} Gateway`)
      : `${net.name} Gateway`;
    return {
      ...doc,
      virtualGateways: [
        ...(doc.virtualGateways ?? []),
        {
          id: args.id,
          name,
          vmNetworkId: net.id,
          poolId: gateway.poolId,
          gatewayId: gateway.id,
          connections: [],
        },
      ],
    };
  },
);

/** Load balancers and virtual gateways: nothing else in the document refers to them. */
export const DELETABLE_EDGE: readonly EdgeCollection[] = ['loadBalancers', 'virtualGateways'];

/** Delete load balancers and virtual gateways (and their dragged positions). */
export const removeEdgeObjects = defineAction<{ ids: string[] }>(
  'removeEdgeObjects',
  'Delete',
  (doc, args) => {
    const ids = new Set(args.ids);
    const next = { ...doc };
    if (doc.loadBalancers) next.loadBalancers = doc.loadBalancers.filter((o) => !ids.has(o.id));
    if (doc.virtualGateways) next.virtualGateways = doc.virtualGateways.filter((o) => !ids.has(o.id));
    if (doc.layout) {
      const prune = (positions: Record<string, { x: number; y: number }>) =>
        Object.fromEntries(Object.entries(positions).filter(([id]) => !ids.has(id)));
      next.layout = { physical: prune(doc.layout.physical), virtual: prune(doc.layout.virtual) };
    }
    return next;
  },
);
