// The VFP configuration of one port: layers (acl, vnet, pa_route) with groups per direction,
// rules with priorities and an origin, and an explicit default rule in every group.
import type { Acl, AclRule, Host, LogicalSubnet, VirtualSubnet, VmNetwork } from '../model/schema';
import { formatIpv4, gatewayMacOf, lowestHostAddress, prefixOf } from '../net';
import type { Direction, PortPolicy, RuleMatch, VfpGroup, VfpLayer, VfpRule } from './types';

export const LAYER_PRIORITY = { acl: 100, vnet: 200, pa_route: 300 } as const;

export interface PortContext {
  portId: string;
  vnicId: string;
  vmId: string;
  vmLabel: string;
  mac: string;
  caIp: string;
  subnet: VirtualSubnet;
  vmNetwork: VmNetwork;
  host: Host;
  logicalSubnet: LogicalSubnet;
  pa: string;
  teamMember: string;
  teamMac: string;
  subnetAcl?: Acl;
  portAcl?: Acl;
  /** The SLB host agent's NAT layer when a load balancer names this vNIC (controller/slb.ts). */
  slbNat?: VfpLayer | null;
}

function portRange(text: string): [number, number] | undefined {
  if (text === '*') return undefined;
  const [a, b] = text.split('-').map(Number);
  return [a, b ?? a];
}

function aclRuleMatch(rule: AclRule): RuleMatch {
  const m: RuleMatch = { etherType: 'ipv4' };
  if (rule.protocol !== 'all') m.protocol = rule.protocol;
  if (rule.sourceAddressPrefix !== '*') m.srcPrefix = rule.sourceAddressPrefix;
  if (rule.destinationAddressPrefix !== '*') m.dstPrefix = rule.destinationAddressPrefix;
  const sp = portRange(rule.sourcePortRange);
  const dp = portRange(rule.destinationPortRange);
  if (sp) m.srcPorts = sp;
  if (dp) m.dstPorts = dp;
  return m;
}

function aclGroup(
  acl: Acl | undefined,
  scope: 'subnet' | 'port',
  direction: Direction,
  where: string,
  priority: number,
): VfpGroup {
  const dirName = direction === 'out' ? 'outbound' : 'inbound';
  const id = `acl_${scope}_${direction}`;
  if (!acl) {
    return {
      id,
      direction,
      family: 'ipv4',
      priority,
      rules: [],
      defaultRule: {
        id: `${id}-default`,
        priority: 65535,
        match: {},
        actions: [{ type: 'allow' }],
        origin: `no ACL on ${where}: allow all`,
      },
    };
  }
  const rules: VfpRule[] = acl.rules
    .filter((r) => r.direction === dirName)
    .map((r) => ({
      id: r.id,
      name: r.name,
      priority: r.priority,
      match: aclRuleMatch(r),
      actions: [
        r.action === 'allow'
          ? { type: 'allow' as const }
          : {
              type: 'drop' as const,
              reason: `denied by ACL rule '${r.name}' of ACL '${acl.name}' on ${where}`,
            },
      ],
      origin: `ACL rule '${r.name}' (${r.action} ${dirName}, priority ${r.priority}) of ACL '${acl.name}' on ${where}`,
      log: true,
    }))
    .sort((a, b) => a.priority - b.priority);
  return {
    id,
    direction,
    family: 'ipv4',
    priority,
    rules,
    defaultRule: {
      id: `${id}-default`,
      name: `default (${acl.defaultAction})`,
      priority: 65535,
      match: {},
      actions: [
        acl.defaultAction === 'allow'
          ? { type: 'allow' }
          : { type: 'drop', reason: `denied by the default rule (deny) of ACL '${acl.name}' on ${where}` },
      ],
      origin: `default action (${acl.defaultAction}) of ACL '${acl.name}' on ${where}`,
      log: true,
    },
  };
}

/**
 * The stateful firewall's groups around a port's ACL groups: the connection state is looked up
 * first (a reply of a tracked flow passes the layer without its rules), and a new flow that every
 * ACL group allowed is committed last (so its replies will pass). Only ports under an ACL have
 * them: with no ACL every packet is allowed anyway, and nothing needs tracking.
 */
function stateGroup(direction: Direction, op: 'lookup' | 'commit'): VfpGroup {
  const dirName = direction === 'out' ? 'outbound' : 'inbound';
  const id = op === 'lookup' ? `acl_state_${direction}` : `acl_commit_${direction}`;
  return {
    id,
    direction,
    family: 'ipv4',
    priority: op === 'lookup' ? 10 : 60000,
    rules: [
      {
        id: op === 'lookup' ? `conntrack-${direction}` : `conntrack-commit-${direction}`,
        priority: 100,
        match: { etherType: 'ipv4' },
        actions: [{ type: 'conntrack', op }],
        origin:
          op === 'lookup'
            ? `stateful firewall: the reply of a flow this port tracks passes without the ACL rules (${dirName})`
            : `stateful firewall: a new ${dirName} flow the ACL rules allowed is tracked, so its replies pass`,
      },
    ],
    defaultRule: {
      id: `${id}-default`,
      priority: 65535,
      match: {},
      actions: [{ type: 'allow' }],
      origin: 'not IPv4: not tracked',
    },
  };
}

/**
 * Groups that don't depend on the port (a subnet's ACL, the subnet's VNet egress rules, a PA's
 * routing) are built once and shared by every port that uses them: 10,000 ports stay cheap.
 */
export type GroupCache = Map<string, VfpGroup>;

function cached(cache: GroupCache, key: string, build: () => VfpGroup): VfpGroup {
  let g = cache.get(key);
  if (!g) {
    g = build();
    cache.set(key, g);
  }
  return g;
}

export function compilePort(c: PortContext, cache: GroupCache = new Map()): PortPolicy {
  const s = c.subnet;
  const subnetWhere = `virtual subnet '${s.name}' (VSID ${s.vsid})`;
  const subnetAclKey = `acl|${c.subnetAcl?.id ?? '-'}|${s.id}`;
  const portAclGroup = (direction: Direction) =>
    c.portAcl
      ? aclGroup(c.portAcl, 'port', direction, c.vmLabel, 200)
      : cached(cache, `noacl|port|${direction}`, () =>
          aclGroup(undefined, 'port', direction, 'the vNIC port', 200),
        );
  const stateful = c.subnetAcl !== undefined || c.portAcl !== undefined;
  const acl: VfpLayer = {
    id: 'acl',
    name: 'ACL',
    priority: LAYER_PRIORITY.acl,
    groups: [
      ...(stateful ? [cached(cache, 'state|out|lookup', () => stateGroup('out', 'lookup'))] : []),
      cached(cache, `${subnetAclKey}|out`, () => aclGroup(c.subnetAcl, 'subnet', 'out', subnetWhere, 100)),
      portAclGroup('out'),
      ...(stateful ? [cached(cache, 'state|out|commit', () => stateGroup('out', 'commit'))] : []),
      ...(stateful ? [cached(cache, 'state|in|lookup', () => stateGroup('in', 'lookup'))] : []),
      cached(cache, `${subnetAclKey}|in`, () => aclGroup(c.subnetAcl, 'subnet', 'in', subnetWhere, 100)),
      portAclGroup('in'),
      ...(stateful ? [cached(cache, 'state|in|commit', () => stateGroup('in', 'commit'))] : []),
    ],
  };
  const rd = `routing domain '${c.vmNetwork.name}'`;
  const vnet: VfpLayer =
    s.isolation === 'vlan' && s.vlanId !== undefined
      ? vlanLayer(c, s.vlanId)
      : {
          id: 'vnet',
          name: 'Virtual network',
          priority: LAYER_PRIORITY.vnet,
          groups: [
            cached(cache, `vnet_out|${s.id}`, () => ({
              id: 'vnet_out',
              direction: 'out',
              family: 'ipv4',
              priority: 100,
              rules: [
                {
                  id: 'arp-to-agent',
                  priority: 100,
                  match: { etherType: 'arp' },
                  actions: [{ type: 'arp-reply' }],
                  origin: `ARP in ${subnetWhere}: answered on the host from its policy store, never forwarded`,
                },
                {
                  id: 'broadcast-replicate',
                  priority: 200,
                  match: { etherType: 'ipv4', dstMacKind: 'broadcast' },
                  actions: [{ type: 'replicate', vsid: s.vsid }],
                  origin: `broadcast/multicast in ${subnetWhere}: unicast replication to every VM of the VSID`,
                },
                {
                  id: `route-${s.vsid}`,
                  priority: 300,
                  match: { etherType: 'ipv4', dstMac: gatewayMacOf(s) },
                  actions: [{ type: 'route', routingDomainId: c.vmNetwork.routingDomainId }],
                  origin: `distributed router of ${rd}: gateway ${formatIpv4(lowestHostAddress(prefixOf(s.prefix)))} of ${subnetWhere}`,
                },
                {
                  id: `ca-pa-${s.vsid}`,
                  priority: 400,
                  match: { etherType: 'ipv4', dstPrefix: s.prefix, dstMacKind: 'unicast' },
                  actions: [{ type: 'lookup', space: 'ca-pa', vsid: s.vsid }],
                  origin: `${subnetWhere} of ${rd}: CA-PA mapping space, ${s.encapsulation.toUpperCase()}`,
                },
              ],
              defaultRule: {
                id: 'vnet_out-default',
                priority: 65535,
                match: {},
                actions: [
                  { type: 'drop', reason: `no virtual network rule of ${subnetWhere} matches this packet` },
                ],
                origin: `default of the virtual network policy of ${subnetWhere}: nothing else matches`,
              },
            })),
            {
              id: 'vnet_in',
              direction: 'in',
              family: 'ipv4',
              priority: 100,
              rules: [
                {
                  id: `decap-${s.vsid}`,
                  priority: 100,
                  match: { vsid: s.vsid, dstMac: c.mac, outerDstIps: [c.pa] },
                  actions: [{ type: 'decap', encapsulation: s.encapsulation, vsid: s.vsid }],
                  origin: `${subnetWhere}: decapsulate ${s.encapsulation.toUpperCase()} ${s.encapsulation === 'vxlan' ? 'VNI' : 'VSID'} ${s.vsid} for ${c.vmLabel}`,
                },
                {
                  id: `local-${s.vsid}`,
                  priority: 200,
                  match: { vsid: s.vsid, dstMac: c.mac },
                  actions: [{ type: 'output', port: c.portId }],
                  origin: `${subnetWhere}: local delivery to ${c.vmLabel} (${c.caIp}, ${c.mac})`,
                },
              ],
              defaultRule: {
                id: 'vnet_in-default',
                priority: 65535,
                match: {},
                actions: [{ type: 'drop', reason: `not addressed to ${c.vmLabel} in VSID ${s.vsid}` }],
                origin: `default of the virtual network policy on ${c.vmLabel}: nothing else matches`,
              },
            },
          ],
        };
  const ls = c.logicalSubnet;
  const paWhere = `PA ${c.pa} on ${c.teamMember} of ${c.host.name} (logical subnet '${ls.name}', VLAN ${ls.vlanId})`;
  const paRoute: VfpLayer = {
    id: 'pa_route',
    name: 'PA routing',
    priority: LAYER_PRIORITY.pa_route,
    groups: [
      cached(cache, `pa_out|${c.pa}|${ls.id}`, () => ({
        id: 'pa_route_out',
        direction: 'out',
        family: 'ipv4',
        priority: 100,
        rules: [
          {
            id: `pa-${c.pa}`,
            priority: 100,
            match: { etherType: 'ipv4', encapsulated: true },
            actions: [
              { type: 'pa-route', logicalSubnetId: ls.id, vlanId: ls.vlanId },
              { type: 'output', port: 'uplink' },
            ],
            origin: paWhere,
          },
        ],
        defaultRule: {
          id: 'pa_route_out-default',
          priority: 65535,
          match: {},
          actions: [{ type: 'allow' }],
          origin: 'not encapsulated: stays on the host, no PA route',
        },
      })),
      cached(cache, `pa_in|${c.pa}|${ls.id}`, () => ({
        id: 'pa_route_in',
        direction: 'in',
        family: 'ipv4',
        priority: 100,
        rules: [
          {
            id: `pa-in-${c.pa}`,
            priority: 100,
            match: { encapsulated: true, outerDstIps: [c.pa] },
            actions: [{ type: 'allow' }],
            origin: `PA compartment: ${paWhere}`,
          },
        ],
        defaultRule: {
          id: 'pa_route_in-default',
          priority: 65535,
          match: {},
          actions: [{ type: 'allow' }],
          origin: 'not encapsulated (local traffic)',
        },
      })),
    ],
  };
  return {
    portId: c.portId,
    vnicId: c.vnicId,
    vmId: c.vmId,
    vmLabel: c.vmLabel,
    mac: c.mac,
    caIp: c.caIp,
    vsid: s.vsid,
    routingDomainId: c.vmNetwork.routingDomainId,
    pa: c.pa,
    layers: c.slbNat ? [acl, c.slbNat, vnet, paRoute] : [acl, vnet, paRoute],
  };
}

/**
 * The VNet layer of a VLAN-isolated subnet: the classic access port. Every frame from the VM
 * gets the tenant's 802.1Q tag and is bridged at L2 (no encapsulation, no CA-PA lookup, no
 * host agent); frames of the same VLAN addressed to the VM (or broadcast) lose the tag and
 * are delivered. Nothing but the tag keeps tenants apart.
 */
function vlanLayer(c: PortContext, vlanId: number): VfpLayer {
  const s = c.subnet;
  const where = `virtual subnet '${s.name}' (VLAN ${vlanId})`;
  return {
    id: 'vnet',
    name: 'Virtual network',
    priority: LAYER_PRIORITY.vnet,
    groups: [
      {
        id: 'vnet_out',
        direction: 'out',
        family: 'ipv4',
        priority: 100,
        rules: [
          {
            id: `vlan-${vlanId}-tag`,
            priority: 100,
            match: {},
            actions: [
              { type: 'push-vlan', vlanId },
              { type: 'output', port: 'uplink' },
            ],
            origin: `${where}: access port in VLAN ${vlanId}, 802.1Q tag pushed and bridged at L2 (no encapsulation, no CA-PA lookup)`,
          },
        ],
        defaultRule: {
          id: 'vnet_out-default',
          priority: 65535,
          match: {},
          actions: [{ type: 'drop', reason: `no rule of ${where} matches this frame` }],
          origin: `default of the virtual network policy of ${where}: nothing else matches`,
        },
      },
      {
        id: 'vnet_in',
        direction: 'in',
        family: 'ipv4',
        priority: 100,
        rules: [
          {
            id: `vlan-${vlanId}-deliver`,
            priority: 100,
            match: { vsid: s.vsid, dstMac: c.mac },
            actions: [{ type: 'pop-vlan' }, { type: 'output', port: c.portId }],
            origin: `${where}: 802.1Q tag removed, delivered to ${c.vmLabel} (${c.caIp}, ${c.mac})`,
          },
          {
            id: `vlan-${vlanId}-flood`,
            priority: 200,
            match: { vsid: s.vsid, dstMacKind: 'broadcast' },
            actions: [{ type: 'pop-vlan' }, { type: 'output', port: c.portId }],
            origin: `${where}: broadcast in VLAN ${vlanId}, flooded to ${c.vmLabel}`,
          },
        ],
        defaultRule: {
          id: 'vnet_in-default',
          priority: 65535,
          match: {},
          actions: [{ type: 'drop', reason: `not addressed to ${c.vmLabel} in VLAN ${vlanId}` }],
          origin: `default of the virtual network policy on ${c.vmLabel}: nothing else matches`,
        },
      },
    ],
  };
}
