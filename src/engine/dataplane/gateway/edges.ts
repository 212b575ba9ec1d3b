// The runtime of the SDN edge, built from the document: each RAS gateway VM (its internal NIC on
// its host's logical subnet with a PA, its external NIC with the front-end IP), each tenant's
// compartment on it (routes as typed arrays, longest prefix first, each with its origin), and
// the sites beyond the L3 router. Devices are found on their links by MAC, like hosts and routers.
import { ipToU32, macToBytes, parsePrefix } from '../../controller/addr';
import type { Controller } from '../../controller/controller';
import type { LookupRecord } from '../../controller/types';
import type { Gateway, GatewayConnection, Site, VirtualGateway } from '../../model/gatewaySchema';
import type { LogicalSubnet, TopologyDocument } from '../../model/schema';
import { gatewayMacOf } from '../../net';
import { MacTable } from '../macTable';
import { GatewayFlowTable } from './flowCache';
import { NatTable } from './nat';
import { type Nic, nicOn } from './nextHop';

export interface SiteRt {
  site: Site;
  name: string;
  link: LogicalSubnet;
  ip: number;
  mac: Uint8Array;
  nets: Uint32Array;
  masks: Uint32Array;
  /** The edge device's ARP cache on its link. */
  arp: Map<number, Uint8Array>;
  nic: Nic;
  /** The hosts that answer (null: any address in the prefixes). */
  hosts: Uint32Array | null;
  /** Outbound ESP sequence numbers of the SAs this site sends on, by SPI. */
  espSeq: Map<number, number>;
}

export interface ConnectionRt {
  c: GatewayConnection;
  compartment: CompartmentRt;
  site: SiteRt | null;
  /** The gateway's outbound ESP sequence number (ipsec). */
  espSeq: number;
  /** The highest inbound sequence number seen (ipsec anti-replay, RFC 4303 §3.4.3). */
  espSeen: number;
  /** NAT: the public IP and the port range. */
  publicIp: number;
  portFirst: number;
  portLast: number;
  /** L3 forwarding: the compartment's interface on the connection's VLAN (null for other types). */
  l3: L3InterfaceRt | null;
}

/** An L3 connection's interface: on its VLAN's logical subnet, with the gateway's external MAC. */
export interface L3InterfaceRt {
  link: LogicalSubnet;
  vlanId: number;
  localIp: number;
  peerIp: number;
  /** Finds the peer's MAC by ARP on the VLAN (its own cache: the compartment's neighbours). */
  nic: Nic;
}

/** A virtual subnet of the compartment's VM network, as the way back to a VM reads it. */
export interface TenantSubnetRt {
  net: number;
  mask: number;
  vsid: number;
  vxlan: boolean;
  /** The distributed router's MAC in this subnet: the inner source MAC toward the VM. */
  routerMac: Uint8Array;
  /** CA -> its lookup record, the PA and MAC as numbers/bytes (filled on first use; the
   *  edges are rebuilt on every document change, which empties it). */
  records: Map<number, { record: LookupRecord; pa: number; mac: Uint8Array } | null>;
}

export interface CompartmentRt {
  index: number;
  subnets: TenantSubnetRt[];
  vg: VirtualGateway;
  gateway: GatewayRt;
  routingDomainId: string;
  tenant: string;
  vmNetwork: string;
  /** Routes, longest prefix first: network, mask, prefix text, connection, origin. */
  nets: Uint32Array;
  masks: Uint32Array;
  prefixes: string[];
  via: ConnectionRt[];
  origins: string[];
  connections: ConnectionRt[];
}

export interface GatewayRt {
  gw: Gateway;
  name: string;
  hostName: string;
  /** The internal NIC: on its host's logical subnet, with the gateway's PA. */
  link: LogicalSubnet | undefined;
  pa: number;
  mac: Uint8Array;
  /** The external NIC: the front-end (public) IP. */
  extLink: LogicalSubnet | undefined;
  extIp: number;
  extMac: Uint8Array;
  paArp: Map<number, Uint8Array>;
  extArp: Map<number, Uint8Array>;
  /** The two NICs as next-hop finders (absent when their link is missing). */
  paNic: Nic | null;
  extNic: Nic | null;
  compartments: CompartmentRt[];
  byVsid: Map<number, CompartmentRt>;
  byGreKey: Map<number, ConnectionRt>;
  bySpi: Map<number, ConnectionRt>;
  /** L3 connections by the id of their VLAN's logical subnet (one per VLAN on a gateway). */
  l3ByLink: Map<string, ConnectionRt>;
  /** NAT connections by public IP (the compartment an inbound packet to it belongs to is in the mapping). */
  natIps: Set<number>;
  nat: NatTable;
  /** Tenant flows out through the compartments: their route (and NAT mapping) decided once. */
  flows: GatewayFlowTable;
}

/** What a frame on a link may be addressed to besides hosts and routers. */
export type EdgeDevice =
  | { kind: 'gateway-internal'; gateway: GatewayRt }
  | { kind: 'gateway-external'; gateway: GatewayRt }
  | { kind: 'site'; site: SiteRt };

export interface EdgeNetwork {
  gateways: GatewayRt[];
  sites: SiteRt[];
  byMac: MacTable<EdgeDevice>;
  /** Routing domain -> its compartment (one virtual gateway per VM network). */
  byRd: Map<string, CompartmentRt>;
  /** The internet's edge: where the L3 router sends what none of its interfaces covers. */
  internet: SiteRt | null;
}

export function buildEdges(controller: Controller, previous?: EdgeNetwork): EdgeNetwork {
  const doc = controller.doc;
  const links = new Map(doc.logicalSubnets.map((l) => [l.id, l]));
  const hosts = new Map(doc.hosts.map((h) => [h.id, h]));
  const net: EdgeNetwork = {
    gateways: [],
    sites: [],
    byMac: new MacTable(),
    byRd: new Map(),
    internet: null,
  };
  const sites = new Map<string, SiteRt>();
  for (const s of doc.sites ?? []) {
    const link = links.get(s.logicalSubnetId);
    if (!link) continue;
    const prefixes = s.prefixes.map(parsePrefix);
    const rt: SiteRt = {
      site: s,
      name: s.name,
      link,
      ip: ipToU32(s.edgeIp),
      mac: macToBytes(s.edgeMac),
      nets: Uint32Array.from(prefixes, (p) => p.network),
      masks: Uint32Array.from(prefixes, (p) => p.mask),
      arp: new Map(),
      nic: undefined as unknown as Nic,
      hosts: s.hosts ? Uint32Array.from(s.hosts, ipToU32) : null,
      espSeq: new Map(previous?.sites.find((o) => o.site.id === s.id)?.espSeq ?? []),
    };
    rt.nic = nicOn(link, `${s.name} edge`, rt.mac, rt.ip, rt.arp);
    sites.set(s.id, rt);
    net.sites.push(rt);
    net.byMac.set(rt.mac, { kind: 'site', site: rt });
    if (s.kind === 'internet' && !net.internet) net.internet = rt;
  }
  const networks = new Map(doc.vmNetworks.map((n) => [n.id, n]));
  const tenants = new Map(doc.tenants.map((t) => [t.id, t]));
  for (const g of doc.gateways ?? []) {
    const host = hosts.get(g.hostId);
    // A rebuild keeps the NAT table: established mappings survive an edit elsewhere.
    const before = previous?.gateways.find((o) => o.gw.id === g.id);
    const rt: GatewayRt = {
      gw: g,
      name: g.name,
      hostName: host?.name ?? g.hostId,
      link: host ? links.get(host.logicalSubnetId) : undefined,
      pa: ipToU32(g.providerAddress),
      mac: macToBytes(g.mac),
      extLink: links.get(g.externalLogicalSubnetId),
      extIp: ipToU32(g.externalIp),
      extMac: macToBytes(g.externalMac),
      paArp: new Map(),
      extArp: new Map(),
      paNic: null,
      extNic: null,
      compartments: [],
      byVsid: new Map(),
      byGreKey: new Map(),
      bySpi: new Map(),
      l3ByLink: new Map(),
      natIps: new Set(),
      nat: before?.nat ?? new NatTable(),
      // Not kept across a rebuild: the routes it cached may have changed.
      flows: new GatewayFlowTable(),
    };
    if (rt.link) rt.paNic = nicOn(rt.link, `${rt.name} (PA)`, rt.mac, rt.pa, rt.paArp);
    if (rt.extLink) rt.extNic = nicOn(rt.extLink, `${rt.name} front end`, rt.extMac, rt.extIp, rt.extArp);
    net.gateways.push(rt);
    net.byMac.set(rt.mac, { kind: 'gateway-internal', gateway: rt });
    net.byMac.set(rt.extMac, { kind: 'gateway-external', gateway: rt });
  }
  for (const vg of doc.virtualGateways ?? []) {
    const gateway = net.gateways.find((g) => g.gw.id === vg.gatewayId);
    const vmNetwork = networks.get(vg.vmNetworkId);
    if (!gateway || !vmNetwork) continue;
    const rd = vmNetwork.routingDomainId;
    const compartment: CompartmentRt = {
      index: gateway.compartments.length,
      subnets: controller
        .subnetsOfRd(rd)
        .filter((s) => s.isolation !== 'vlan')
        .map((s) => {
          const p = parsePrefix(s.prefix);
          return {
            net: p.network,
            mask: p.mask,
            vsid: s.vsid,
            vxlan: s.encapsulation === 'vxlan',
            routerMac: macToBytes(gatewayMacOf(s)),
            records: new Map(),
          };
        }),
      vg,
      gateway,
      routingDomainId: rd,
      tenant: tenants.get(vmNetwork.tenantId)?.name ?? '?',
      vmNetwork: vmNetwork.name,
      nets: new Uint32Array(0),
      masks: new Uint32Array(0),
      prefixes: [],
      via: [],
      origins: [],
      connections: [],
    };
    gateway.compartments.push(compartment);
    net.byRd.set(rd, compartment);
    for (const s of controller.subnetsOfRd(rd)) gateway.byVsid.set(s.vsid, compartment);
    const routes: { prefix: string; len: number; via: ConnectionRt; origin: string }[] = [];
    const byId = new Map<string, ConnectionRt>();
    for (const c of vg.connections) {
      const site = c.type === 'gre' || c.type === 'ipsec' ? (sites.get(c.siteId) ?? null) : null;
      const before = previous?.gateways
        .find((o) => o.gw.id === gateway.gw.id)
        ?.compartments.flatMap((o) => o.connections)
        .find((o) => o.c.id === c.id);
      const conn: ConnectionRt = {
        c,
        compartment,
        site,
        // The SAs' counters survive a rebuild (an edit elsewhere does not reset IPsec).
        espSeq: before?.espSeq ?? 0,
        espSeen: before?.espSeen ?? 0,
        publicIp: c.type === 'nat' ? ipToU32(c.publicIp ?? gateway.gw.externalIp) : 0,
        portFirst: c.type === 'nat' ? c.portRangeStart : 0,
        portLast: c.type === 'nat' ? c.portRangeEnd : 0,
        l3: null,
      };
      if (c.type === 'l3') {
        const link = links.get(c.logicalSubnetId);
        if (link) {
          const localIp = ipToU32(c.localIp);
          conn.l3 = {
            link,
            vlanId: link.vlanId,
            localIp,
            peerIp: ipToU32(c.peerIp),
            nic: nicOn(link, `${gateway.name} L3 '${c.name}'`, gateway.extMac, localIp, new Map()),
          };
          gateway.l3ByLink.set(link.id, conn);
        }
      }
      compartment.connections.push(conn);
      byId.set(c.id, conn);
      if (c.type === 'gre') gateway.byGreKey.set(c.greKey, conn);
      if (c.type === 'ipsec') gateway.bySpi.set(c.spiIn, conn);
      if (c.type === 'nat') {
        gateway.natIps.add(conn.publicIp);
        routes.push({ prefix: '0.0.0.0/0', len: 0, via: conn, origin: `NAT connection '${c.name}'` });
      } else
        for (const p of c.routes)
          routes.push({
            prefix: p,
            len: parsePrefix(p).length,
            via: conn,
            origin: `static route of connection '${c.name}'`,
          });
    }
    for (const r of vg.bgpRoutes ?? []) {
      const via = byId.get(r.connectionId);
      if (via)
        routes.push({
          prefix: r.prefix,
          len: parsePrefix(r.prefix).length,
          via,
          origin: `BGP peer ${r.peerIp} (AS ${r.peerAsn}) over '${via.c.name}'`,
        });
    }
    // Longest prefix first; among equals, the first configured (static before BGP, as an
    // administrative distance would have it).
    routes.sort((a, b) => b.len - a.len);
    compartment.nets = Uint32Array.from(routes, (r) => parsePrefix(r.prefix).network);
    compartment.masks = Uint32Array.from(routes, (r) => parsePrefix(r.prefix).mask);
    compartment.prefixes = routes.map((r) => r.prefix);
    compartment.via = routes.map((r) => r.via);
    compartment.origins = routes.map((r) => r.origin);
  }
  return net;
}

/** The compartment's route for `dst`: the index of the longest matching prefix, or -1. */
export function compartmentRoute(c: CompartmentRt, dst: number): number {
  const nets = c.nets;
  const masks = c.masks;
  for (let i = 0; i < nets.length; i++) if ((dst & masks[i]) >>> 0 === nets[i]) return i;
  return -1;
}

/** Whether `ip` is inside one of the site's prefixes. */
export function siteCovers(s: SiteRt, ip: number): boolean {
  for (let i = 0; i < s.nets.length; i++) if ((ip & s.masks[i]) >>> 0 === s.nets[i]) return true;
  return false;
}

/** Whether a host lives at `ip` behind the site (inside its prefixes, and listed when it lists hosts). */
export function siteHasHost(s: SiteRt, ip: number): boolean {
  if (!siteCovers(s, ip)) return false;
  return s.hosts === null || s.hosts.includes(ip);
}

/** Who answers ARP for `ip` on link `ls` among the edge devices. */
export function edgeOwnerOnLink(
  net: EdgeNetwork,
  ls: LogicalSubnet,
  ip: number,
): { name: string; mac: Uint8Array; learn: Map<number, Uint8Array> } | null {
  for (const g of net.gateways) {
    if (g.pa === ip && g.link?.id === ls.id) return { name: `${g.name} (PA)`, mac: g.mac, learn: g.paArp };
    if (g.extIp === ip && g.extLink?.id === ls.id)
      return { name: `${g.name} (front end)`, mac: g.extMac, learn: g.extArp };
    const l3 = g.l3ByLink.get(ls.id)?.l3;
    if (l3 && l3.localIp === ip) return { name: l3.nic.self.name, mac: g.extMac, learn: l3.nic.arp };
  }
  for (const s of net.sites)
    if (s.ip === ip && s.link.id === ls.id) return { name: `${s.name} edge`, mac: s.mac, learn: s.arp };
  return null;
}

/**
 * Whether an edge device takes frames on link `ls`: a gateway's external NIC also carries its
 * compartments' L3 interfaces, each on its VLAN (the same MAC, a tagged sub-interface).
 */
export function edgeOnLink(d: EdgeDevice, ls: LogicalSubnet): boolean {
  if (d.kind === 'site') return d.site.link.id === ls.id;
  if (d.kind === 'gateway-internal') return d.gateway.link?.id === ls.id;
  return d.gateway.extLink?.id === ls.id || d.gateway.l3ByLink.has(ls.id);
}

/** Whether the document has anything at the edge (a gateway or a site). */
export function hasEdge(doc: TopologyDocument): boolean {
  return (doc.gateways?.length ?? 0) > 0 || (doc.sites?.length ?? 0) > 0;
}

/** An edit of the edge rebuilds the fabric like a physical change (and drops cached flows). */
export function edgeChanged(
  prev: TopologyDocument,
  next: TopologyDocument,
  differs: (a: unknown, b: unknown) => boolean,
): boolean {
  return (
    differs(prev.gateways, next.gateways) ||
    differs(prev.virtualGateways, next.virtualGateways) ||
    differs(prev.sites, next.sites) ||
    differs(prev.gatewayPools, next.gatewayPools)
  );
}
