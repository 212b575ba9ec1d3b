// The rules that span the gateway's objects: references (pool, host, logical subnets, VM
// network, sites, connections), addresses inside their links and unique in the provider space,
// MACs unique in the datacenter, one virtual gateway per VM network, tunnel keys and SPIs that
// tell tenants apart on a gateway, NAT port ranges, BGP routes over a tunnel connection.
import { ipv4ToNumber, prefixContains, prefixesOverlap, prefixOf } from '../../net';
import {
  EDGE_COLLECTIONS,
  type EdgeCollectionName,
  type Gateway,
  type VirtualGateway,
} from '../gatewaySchema';
import { quote } from '../quote';
import type { TopologyDocument } from '../schema';
import { elementField, type Subject, subject } from './subject';

type Fail = (who: Subject, field: string, rule: string, message: string) => void;

export function checkGateways(
  doc: TopologyDocument,
  macs: Map<string, Subject>,
  providerIps: Map<number, Subject>,
  fail: Fail,
): void {
  for (const collection of Object.keys(EDGE_COLLECTIONS) as EdgeCollectionName[]) {
    const kind = EDGE_COLLECTIONS[collection];
    const seen = new Set<string>();
    for (const object of doc[collection] ?? []) {
      if (seen.has(object.id))
        fail(
          subject(kind, object.id, object.name),
          'id',
          'unique-id',
          `${kind} ${quote(object.name)} id ${quote(object.id)} is already used by another ${kind}`,
        );
      seen.add(object.id);
    }
  }
  const pools = new Set((doc.gatewayPools ?? []).map((p) => p.id));
  const poolTypes = new Map((doc.gatewayPools ?? []).map((p) => [p.id, p]));
  const hosts = new Map(doc.hosts.map((h) => [h.id, h]));
  const links = new Map(doc.logicalSubnets.map((s) => [s.id, { subnet: s, prefix: prefixOf(s.prefix) }]));
  const sites = new Map((doc.sites ?? []).map((s) => [s.id, s]));
  const gateways = new Map<string, Gateway>();
  const missing = (who: Subject, field: string, value: string, kind: string) =>
    fail(who, field, 'known-reference', `${who.label} ${field} ${quote(value)} refers to no ${kind}`);
  const claimMac = (who: Subject, field: string, mac: string) => {
    const holder = macs.get(mac);
    if (holder) fail(who, field, 'unique-mac', `${who.label} MAC ${mac} is already used by ${holder.label}`);
    else macs.set(mac, who);
  };
  /** An address on a link: inside its prefix, not its network/broadcast address, used once. */
  const claimIp = (who: Subject, field: string, ip: string, linkId: string, what: string) => {
    const link = links.get(linkId);
    if (!link) return;
    const n = ipv4ToNumber(ip);
    if (!prefixContains(link.prefix, n)) {
      fail(
        who,
        field,
        'ip-in-logical-subnet',
        `${who.label} ${what} ${ip} is outside logical subnet ${quote(link.subnet.name)} ${link.subnet.prefix}`,
      );
      return;
    }
    if (n === link.prefix.network || n === link.prefix.broadcast) {
      fail(
        who,
        field,
        'ip-not-edge-address',
        `${who.label} ${what} ${ip} is the network or broadcast address of ${link.subnet.prefix}`,
      );
      return;
    }
    const holder = providerIps.get(n);
    if (holder)
      fail(who, field, 'unique-ip', `${who.label} ${what} ${ip} is already used by ${holder.label}`);
    else providerIps.set(n, who);
  };

  for (const g of doc.gateways ?? []) {
    const who = subject('gateway', g.id, g.name);
    if (!gateways.has(g.id)) gateways.set(g.id, g);
    if (!pools.has(g.poolId)) missing(who, 'poolId', g.poolId, 'gateway pool');
    const host = hosts.get(g.hostId);
    if (!host) missing(who, 'hostId', g.hostId, 'host');
    else claimIp(who, 'providerAddress', g.providerAddress, host.logicalSubnetId, 'PA');
    if (!links.has(g.externalLogicalSubnetId))
      missing(who, 'externalLogicalSubnetId', g.externalLogicalSubnetId, 'logical subnet');
    else claimIp(who, 'externalIp', g.externalIp, g.externalLogicalSubnetId, 'front-end IP');
    claimMac(who, 'mac', g.mac);
    claimMac(who, 'externalMac', g.externalMac);
  }

  for (const s of doc.sites ?? []) {
    const who = subject('site', s.id, s.name);
    if (!links.has(s.logicalSubnetId)) missing(who, 'logicalSubnetId', s.logicalSubnetId, 'logical subnet');
    else claimIp(who, 'edgeIp', s.edgeIp, s.logicalSubnetId, 'edge IP');
    claimMac(who, 'edgeMac', s.edgeMac);
    const prefixes = s.prefixes.map(prefixOf);
    (s.hosts ?? []).forEach((h, i) => {
      if (!prefixes.some((p) => prefixContains(p, ipv4ToNumber(h))))
        fail(
          who,
          `hosts[${i}]`,
          'site-host-in-prefixes',
          `${who.label} host ${h} is outside its prefixes (${s.prefixes.join(', ')})`,
        );
    });
    // Beyond the router: a site's prefixes must not be the datacenter's own provider space.
    s.prefixes.forEach((p, i) => {
      const prefix = prefixOf(p);
      if (prefix.hostBitsSet)
        fail(who, `prefixes[${i}]`, 'prefix-network-address', `${who.label} prefix ${p} has host bits set`);
      if (s.kind === 'on-premises')
        for (const { subnet, prefix: link } of links.values())
          if (prefixesOverlap(prefix, link))
            fail(
              who,
              `prefixes[${i}]`,
              'site-prefix-outside-fabric',
              `${who.label} prefix ${p} overlaps logical subnet ${quote(subnet.name)} ${subnet.prefix}: an on-premises site lies beyond the L3 router`,
            );
    });
  }

  const networks = new Map(doc.vmNetworks.map((n) => [n.id, n]));
  const byNetwork = new Map<string, VirtualGateway>();
  /** Per gateway VM: GRE keys and inbound SPIs in use (they pick the tenant of an arriving tunnel packet). */
  const keys = new Map<string, Map<number, string>>();
  const spis = new Map<string, Map<number, string>>();
  /** Per gateway VM: the VLANs of its L3 connections (an answer's VLAN picks the tenant). */
  const vlans = new Map<string, Map<number, string>>();
  for (const vg of doc.virtualGateways ?? []) {
    const who = subject('virtual gateway', vg.id, vg.name);
    if (!pools.has(vg.poolId)) missing(who, 'poolId', vg.poolId, 'gateway pool');
    const network = networks.get(vg.vmNetworkId);
    if (!network) missing(who, 'vmNetworkId', vg.vmNetworkId, 'VM network');
    else {
      const other = byNetwork.get(vg.vmNetworkId);
      if (other)
        fail(
          who,
          'vmNetworkId',
          'one-virtual-gateway',
          `${who.label} serves VM network ${quote(network.name)}, which virtual gateway ${quote(other.name)} already serves: one per VM network`,
        );
      else byNetwork.set(vg.vmNetworkId, vg);
    }
    const gw = gateways.get(vg.gatewayId);
    if (!gw) missing(who, 'gatewayId', vg.gatewayId, 'gateway');
    else if (gw.poolId !== vg.poolId)
      fail(
        who,
        'gatewayId',
        'gateway-in-pool',
        `${who.label} gateway ${quote(gw.name)} is not in pool ${quote(vg.poolId)}`,
      );
    const connectionIds = new Map<string, string>();
    let nats = 0;
    vg.connections.forEach((c, i) => {
      const field = (k: string) => elementField('connections', i, k);
      const cw = subject('gateway connection', c.id, `${vg.name}/${c.name}`);
      if (connectionIds.has(c.id))
        fail(cw, field('id'), 'unique-id', `${cw.label} id ${quote(c.id)} is already used in ${who.label}`);
      connectionIds.set(c.id, c.type);
      // A pool's type says which connections its gateways carry (NC gatewayPools: All,
      // S2sIpSec, S2sGre, Forwarding = L3); the lab's NAT to the internet goes with any.
      const pool = poolTypes.get(vg.poolId);
      const serves = { gre: 'S2sGre', ipsec: 'S2sIpSec', l3: 'Forwarding', nat: undefined }[c.type];
      if (pool && serves && pool.type !== 'All' && pool.type !== serves)
        fail(
          cw,
          field('type'),
          'pool-serves-type',
          `${cw.label} is a${c.type === 'ipsec' ? 'n IPsec' : c.type === 'l3' ? 'n L3' : ' GRE'} connection, but pool ${quote(pool.name)} is of type ${pool.type}: it serves ${serves === 'Forwarding' ? 'L3' : serves} connections (or use a pool of type All)`,
        );
      if (c.type === 'gre' || c.type === 'ipsec') {
        const site = sites.get(c.siteId);
        if (!site) missing(cw, field('siteId'), c.siteId, 'site');
        else if (site.kind !== 'on-premises')
          fail(
            cw,
            field('siteId'),
            'tunnel-to-on-premises',
            `${cw.label} ends at site ${quote(site.name)}, which is ${site.kind === 'internet' ? 'the internet' : 'a physical network (an L3 connection reaches it)'}: a site-to-site tunnel ends at an on-premises site`,
          );
      }
      if (c.type === 'gre' && gw) {
        const used = keys.get(gw.id) ?? new Map<number, string>();
        keys.set(gw.id, used);
        const holder = used.get(c.greKey);
        if (holder)
          fail(
            cw,
            field('greKey'),
            'unique-gre-key',
            `${cw.label} GRE key ${c.greKey} is already used by ${holder} on gateway ${quote(gw.name)}: the key tells the tenants' tunnels apart`,
          );
        else used.set(c.greKey, cw.label);
      }
      if (c.type === 'ipsec' && gw) {
        const used = spis.get(gw.id) ?? new Map<number, string>();
        spis.set(gw.id, used);
        const holder = used.get(c.spiIn);
        if (holder)
          fail(
            cw,
            field('spiIn'),
            'unique-spi',
            `${cw.label} inbound SPI ${c.spiIn} is already used by ${holder} on gateway ${quote(gw.name)}: the SPI names the security association`,
          );
        else used.set(c.spiIn, cw.label);
      }
      if (c.type === 'l3') {
        const link = links.get(c.logicalSubnetId);
        if (!link) missing(cw, field('logicalSubnetId'), c.logicalSubnetId, 'logical subnet');
        else {
          const vlan = link.subnet.vlanId;
          if (vlan !== c.vlanId)
            fail(
              cw,
              field('vlanId'),
              'l3-vlan-of-subnet',
              `${cw.label} VLAN ${c.vlanId} is not the VLAN of its logical subnet ${quote(link.subnet.name)} (${vlan === 0 ? 'untagged' : `VLAN ${vlan}`})`,
            );
          if (
            gw &&
            (c.logicalSubnetId === gw.externalLogicalSubnetId ||
              c.logicalSubnetId === hosts.get(gw.hostId)?.logicalSubnetId)
          )
            fail(
              cw,
              field('logicalSubnetId'),
              'l3-own-vlan-subnet',
              `${cw.label} logical subnet ${quote(link.subnet.name)} is gateway ${quote(gw.name)}'s ${c.logicalSubnetId === gw.externalLogicalSubnetId ? 'front-end' : 'PA'} subnet: an L3 connection forwards onto a VLAN of its own`,
            );
          claimIp(cw, field('localIp'), c.localIp, c.logicalSubnetId, 'L3 interface IP');
          if (c.prefixLength !== link.prefix.length)
            fail(
              cw,
              field('prefixLength'),
              'l3-prefix-length',
              `${cw.label} L3 interface ${c.localIp}/${c.prefixLength} does not match its logical subnet ${quote(link.subnet.name)} ${link.subnet.prefix}`,
            );
          const peer = ipv4ToNumber(c.peerIp);
          if (
            !prefixContains(link.prefix, peer) ||
            peer === link.prefix.network ||
            peer === link.prefix.broadcast
          )
            fail(
              cw,
              field('peerIp'),
              'l3-peer-on-vlan',
              `${cw.label} peer ${c.peerIp} is not a host address of its VLAN's logical subnet ${quote(link.subnet.name)} ${link.subnet.prefix}: the next hop must be on-link`,
            );
          else if (c.peerIp === c.localIp)
            fail(
              cw,
              field('peerIp'),
              'l3-peer-not-local',
              `${cw.label} peer ${c.peerIp} is its own L3 interface IP`,
            );
        }
        if (gw) {
          const used = vlans.get(gw.id) ?? new Map<number, string>();
          vlans.set(gw.id, used);
          const holder = used.get(c.vlanId);
          if (holder)
            fail(
              cw,
              field('vlanId'),
              'unique-l3-vlan',
              `${cw.label} VLAN ${c.vlanId} is already used by ${holder} on gateway ${quote(gw.name)}: the VLAN tells the tenants' L3 traffic apart`,
            );
          else used.set(c.vlanId, cw.label);
        }
      }
      if (c.type === 'nat') {
        nats++;
        if (c.portRangeStart > c.portRangeEnd)
          fail(
            cw,
            field('portRangeStart'),
            'port-range-order',
            `${cw.label} port range ${c.portRangeStart}-${c.portRangeEnd} starts after it ends`,
          );
        if (nats > 1)
          fail(
            cw,
            field('type'),
            'one-nat',
            `${who.label} has more than one NAT connection: one per virtual gateway`,
          );
      }
    });
    (vg.bgpRoutes ?? []).forEach((r, i) => {
      const type = connectionIds.get(r.connectionId);
      if (type === undefined)
        missing(who, elementField('bgpRoutes', i, 'connectionId'), r.connectionId, 'connection of it');
      else if (type !== 'gre' && type !== 'ipsec')
        fail(
          who,
          elementField('bgpRoutes', i, 'connectionId'),
          'bgp-over-tunnel',
          `${who.label} BGP route ${r.prefix} is learnt over a ${type.toUpperCase()} connection: BGP peers with a site over a GRE or IPsec tunnel`,
        );
    });
  }
}
