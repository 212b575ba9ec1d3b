// User-defined routes and VNet peering, as the controller compiles them: each routing domain's
// routes gain its peers' subnets (only when both sides peer: 'Connected') and the routes of the
// route tables of its subnets. The distributed router picks among them by longest prefix; on an
// equal prefix a user-defined route wins over a system one (as Azure and SDN v2 do).
import { peeringLabel, peeringStatuses } from '../model/peering';
import type { NextHopType, RouteTable, TopologyDocument, VirtualSubnet, VmNetwork } from '../model/schema';
import { formatIpv4, gatewayMacOf, lowestHostAddress, prefixOf } from '../net';
import type { CustomerRoute } from './types';

/** What the document index needs to hold for routing. */
interface RoutingSource {
  vmNetworks: Map<string, VmNetwork>;
  subnetsByRd: Map<string, VirtualSubnet[]>;
  routesByRd: Map<string, { key: string; route: CustomerRoute }[]>;
}

/** A route ready for the lookup: its prefix as numbers. */
export interface CompiledRoute {
  /** The key the controller pushes it to the host agents under. */
  key: string;
  route: CustomerRoute;
  net: number;
  mask: number;
  length: number;
  origin: 'system' | 'udr' | 'peering' | 'gateway';
}

/** The route decision of the distributed router for one packet. */
export interface RouteDecision {
  winner: CompiledRoute | null;
  /** Every route whose prefix holds the destination, best first. */
  matching: CompiledRoute[];
}

/**
 * The routing part of the document index: peering and UDR routes (added to `routesByRd`), which
 * routing domains' records a host of another domain needs (its peers'), and the per-VSID lookup.
 */
export class Routing {
  /** Routing domain -> the domains whose VMs have routes into it (their hosts hold its records). */
  readonly reachableFrom = new Map<string, Set<string>>();
  private readonly candidates = new Map<number, CompiledRoute[]>();
  /** Routing domain -> its peerings that pass no traffic yet, in words (for the no-route drop). */
  readonly notConnected = new Map<string, string[]>();
  /** 'to|from' -> whether the peering of domain `to` toward `from` allows forwarded traffic in. */
  private readonly forwarded = new Map<string, boolean>();

  constructor(
    doc: TopologyDocument,
    private readonly index: RoutingSource,
  ) {
    this.addPeeringRoutes(doc);
    this.addUserRoutes(doc);
  }

  private push(rd: string, key: string, route: CustomerRoute): void {
    const list = this.index.routesByRd.get(rd) ?? [];
    list.push({ key, route });
    this.index.routesByRd.set(rd, list);
  }

  private addPeeringRoutes(doc: TopologyDocument): void {
    for (const s of peeringStatuses(doc)) {
      if (s.remote)
        this.forwarded.set(
          `${s.network.routingDomainId}|${s.remote.routingDomainId}`,
          s.peering.allowForwardedTraffic,
        );
      if (s.remote && s.state === 'Initiated') {
        const list = this.notConnected.get(s.network.routingDomainId) ?? [];
        list.push(
          `peering '${s.peering.name}' to '${s.remote.name}' is Initiated ('${s.remote.name}' does not peer back)`,
        );
        this.notConnected.set(s.network.routingDomainId, list);
      }
      if (s.state !== 'Connected' || !s.remote || !s.peering.allowVirtualNetworkAccess) continue;
      const rd = s.network.routingDomainId;
      const remoteRd = s.remote.routingDomainId;
      if (rd === remoteRd) continue;
      const label = peeringLabel(s.network.name, s.remote.name);
      for (const subnet of this.index.subnetsByRd.get(remoteRd) ?? []) {
        if (subnet.isolation === 'vlan') continue;
        this.push(rd, `peer/${subnet.vsid}/${subnet.prefix}`, {
          routingDomainId: rd,
          vmNetworkName: s.network.name,
          vsid: subnet.vsid,
          prefix: subnet.prefix,
          gateway: formatIpv4(lowestHostAddress(prefixOf(subnet.prefix))),
          gatewayMac: gatewayMacOf(subnet),
          nextHop: '0.0.0.0',
          metric: 256,
          origin: 'peering',
          peering: label,
          remoteRoutingDomainId: remoteRd,
        });
      }
      const from = this.reachableFrom.get(remoteRd) ?? new Set<string>();
      from.add(rd);
      this.reachableFrom.set(remoteRd, from);
    }
  }

  private addUserRoutes(doc: TopologyDocument): void {
    if (!doc.routeTables?.length) return;
    const tables = new Map<string, RouteTable>((doc.routeTables ?? []).map((t) => [t.id, t]));
    for (const subnet of doc.virtualSubnets) {
      const table = subnet.routeTableId ? tables.get(subnet.routeTableId) : undefined;
      const network = this.index.vmNetworks.get(subnet.vmNetworkId);
      if (!table || !network || subnet.isolation === 'vlan') continue;
      for (const r of table.routes)
        this.push(network.routingDomainId, `udr/${subnet.vsid}/${r.addressPrefix}`, {
          routingDomainId: network.routingDomainId,
          vmNetworkName: network.name,
          vsid: subnet.vsid,
          prefix: r.addressPrefix,
          gateway: formatIpv4(lowestHostAddress(prefixOf(subnet.prefix))),
          gatewayMac: gatewayMacOf(subnet),
          nextHop: r.nextHopIpAddress ?? '0.0.0.0',
          metric: 0,
          origin: 'udr',
          nextHopType: r.nextHopType,
          routeTable: table.name,
          routeName: r.name,
        });
    }
  }

  /** Whether domain `to`'s peering with `from` lets in traffic that did not originate in `from`. */
  forwardedAllowed(to: string, from: string): boolean {
    return this.forwarded.get(`${to}|${from}`) === true;
  }

  /**
   * The routes a packet from VSID `vsid` (in routing domain `rd`) is matched against, best first:
   * longer prefixes first; on an equal prefix the user-defined route first. Built once per VSID.
   */
  routesOf(rd: string, vsid: number): CompiledRoute[] {
    let list = this.candidates.get(vsid);
    if (list) return list;
    list = [];
    for (const { key, route } of this.index.routesByRd.get(rd) ?? []) {
      // A route table's routes and the gateway's default route are per subnet.
      if ((route.origin === 'udr' || route.origin === 'gateway') && route.vsid !== vsid) continue;
      const p = prefixOf(route.prefix);
      list.push({
        key,
        route,
        net: p.network,
        mask: p.mask,
        length: p.length,
        origin: route.origin ?? 'system',
      });
    }
    list.sort((a, b) => b.length - a.length || rank(a) - rank(b));
    this.candidates.set(vsid, list);
    return list;
  }

  /** The distributed router's choice for `ip` from VSID `vsid`; `withUdr` false: the VNet's own address space only. */
  decide(
    rd: string,
    vsid: number,
    ip: number,
    withUdr = true,
    /** Whether the deciding host agent holds a route (a route whose update has not reached it does not count). */
    holds?: (key: string) => boolean,
  ): RouteDecision {
    const matching: CompiledRoute[] = [];
    for (const r of this.routesOf(rd, vsid))
      if (
        (ip & r.mask) >>> 0 === r.net &&
        (withUdr || (r.origin !== 'udr' && r.origin !== 'gateway')) &&
        (holds === undefined || holds(r.key))
      )
        matching.push(r);
    return { winner: matching[0] ?? null, matching };
  }
}

const rank = (r: CompiledRoute): number => (r.origin === 'udr' ? 0 : 1);

/** Why the winner won, in words: longest prefix, or a user-defined route over a system one. */
export function whyWon(d: RouteDecision): string {
  const w = d.winner;
  if (!w) return 'no route holds the destination';
  if (d.matching.length === 1) return `the only route that holds the destination (/${w.length})`;
  const tie = d.matching.find((r) => r !== w && r.length === w.length);
  if (tie) return `equal prefix /${w.length}: a user-defined route wins over a ${tie.origin} route`;
  const next = d.matching[1];
  return `longest prefix match: /${w.length} beats /${next.length} (${d.matching.length} routes hold the destination)`;
}

/** One row of a subnet's effective routes, as host tables show them (Azure's "effective routes"). */
export interface EffectiveRoute {
  prefix: string;
  origin: 'system' | 'udr' | 'peering' | 'gateway';
  nextHopType: NextHopType;
  /** The appliance's CA, or the VSID a system or peering route leads into. */
  nextHop: string;
  /** 'Invalid': a user-defined route with the same prefix overrides it. */
  state: 'Active' | 'Invalid';
  /** Where it came from: "virtual subnet 'Web'", "route table 'Web routes' route 'to App'", "peering A<->B". */
  source: string;
}

export interface SubnetRoutes {
  vsid: number;
  subnet: string;
  vmNetwork: string;
  routes: EffectiveRoute[];
}

/** The routes a packet from VSID `vsid` meets, best first, each with its state and source. */
export function effectiveRoutes(routing: Routing, rd: string, vsid: number): EffectiveRoute[] {
  const list = routing.routesOf(rd, vsid);
  const udrPrefixes = new Set(list.filter((r) => r.origin === 'udr').map((r) => r.route.prefix));
  return list.map((r) => {
    const route = r.route;
    const type = route.nextHopType ?? 'VnetLocal';
    return {
      prefix: route.prefix,
      origin: r.origin,
      nextHopType: type,
      nextHop:
        type === 'VirtualAppliance' || r.origin === 'gateway'
          ? route.nextHop
          : r.origin === 'udr'
            ? ''
            : `VSID ${route.vsid}`,
      state: r.origin !== 'udr' && udrPrefixes.has(route.prefix) ? 'Invalid' : 'Active',
      source:
        r.origin === 'udr'
          ? `route table '${route.routeTable}' route '${route.routeName}'`
          : r.origin === 'peering'
            ? `peering ${route.peering}`
            : r.origin === 'gateway'
              ? `virtual gateway of '${route.vmNetworkName}'`
              : `virtual subnet of '${route.vmNetworkName}'`,
    };
  });
}
