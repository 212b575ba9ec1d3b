// The distributed router's route decision with user-defined routes and VNet peering: the winning
// route (longest prefix; a user-defined route over a system one on an equal prefix) turned into
// where the packet goes: a destination in this VM network or a peered one, a virtual appliance,
// or a drop naming the route. Slow path only: the flow entry caches the result.
import { ipToU32, u32ToIp } from '../controller/addr';
import type { Controller } from '../controller/controller';
import type { CompiledRoute, RouteDecision, Routing, SubnetRoutes } from '../controller/routing';
import { effectiveRoutes, whyWon } from '../controller/routing';
import type { PortRt } from './runtime';
import type { RouteFact, TraceEvent } from './trace/events';

/** Where the route sends the packet: the CA to look up in a VSID, or why it is dropped. */
export type NextHop =
  | {
      kind: 'forward';
      /** The VSID to route into and the CA whose lookup record gives the MAC and PA. */
      vsid: number;
      ca: number;
      /** The route that reached `vsid` (system or peering). */
      via: CompiledRoute;
      /** The user-defined route that sent the packet to an appliance, if one did. */
      udr: CompiledRoute | null;
    }
  /** To the VM network's RAS gateway (its default route, or a route table's VirtualNetworkGateway route). */
  | { kind: 'gateway'; udr: CompiledRoute | null }
  | { kind: 'drop'; reason: string };

export function routeFact(r: CompiledRoute): RouteFact {
  const route = r.route;
  const fact: RouteFact = {
    prefix: route.prefix,
    length: r.length,
    origin: r.origin,
    nextHopType: route.nextHopType ?? 'VnetLocal',
    nextHop: route.nextHopType === 'VirtualAppliance' || r.origin === 'gateway' ? route.nextHop : null,
    vsid: r.origin === 'udr' || r.origin === 'gateway' ? null : route.vsid,
  };
  if (route.routeTable !== undefined) fact.routeTable = route.routeTable;
  if (route.routeName !== undefined) fact.route = route.routeName;
  if (route.peering !== undefined) fact.peering = route.peering;
  return fact;
}

export function routeDecisionEvent(
  vmNetwork: string,
  vsid: number,
  dst: number,
  d: RouteDecision,
): Extract<TraceEvent, { type: 'route-decision' }> {
  return {
    type: 'route-decision',
    vmNetwork,
    vsid,
    dst: u32ToIp(dst),
    winner: d.winner ? routeFact(d.winner) : null,
    matching: d.matching.map(routeFact),
    why: whyWon(d),
  };
}

const udrName = (r: CompiledRoute) =>
  `route table '${r.route.routeTable}' route '${r.route.routeName}' (${r.route.prefix})`;

/**
 * Where the winning route sends a packet from VSID `vsid` of routing domain `rd` to `dst`
 * (sent by `src`). A peering is crossed only when the route came from one; traffic an appliance
 * forwarded (its source is outside this VM network) enters the peer only if the peer allows
 * forwarded traffic.
 */
export function nextHopOf(
  routing: Routing,
  rd: string,
  vmNetwork: string,
  vsid: number,
  d: RouteDecision,
  src: number,
  dst: number,
): NextHop {
  const w = d.winner;
  if (!w) {
    const prefixes = routing
      .routesOf(rd, vsid)
      .filter((r) => r.origin !== 'udr')
      .map((r) => r.route.prefix)
      .join(', ');
    const pending = routing.notConnected.get(rd);
    return {
      kind: 'drop',
      reason: `no route to ${u32ToIp(dst)} in routing domain '${vmNetwork}' (${prefixes}): another routing domain is reachable only through a gateway or a VNet peering set up on both sides${pending ? `; ${pending.join('; ')}` : ''}`,
    };
  }
  if (w.origin === 'gateway') return { kind: 'gateway', udr: null };
  let target: CompiledRoute | null = w;
  let ca = dst;
  let udr: CompiledRoute | null = null;
  if (w.origin === 'udr') {
    udr = w;
    const type = w.route.nextHopType;
    if (type === 'None')
      return { kind: 'drop', reason: `${udrName(w)} next hop None: the packet is dropped` };
    if (type === 'VirtualNetworkGateway') return { kind: 'gateway', udr: w };
    // The next hop (the appliance's CA, or the destination for VnetLocal) is found in the VM
    // network's own address space and its peers': system and peering routes only.
    if (type === 'VirtualAppliance') ca = ipToU32(w.route.nextHop);
    target = routing.decide(rd, vsid, ca, false).winner;
    if (!target)
      return {
        kind: 'drop',
        reason:
          type === 'VirtualAppliance'
            ? `${udrName(w)}: next hop ${u32ToIp(ca)} is in no subnet of VM network '${vmNetwork}' or its peers`
            : `${udrName(w)} next hop VnetLocal: ${u32ToIp(dst)} is in no subnet of VM network '${vmNetwork}'`,
      };
  }
  if (target.origin === 'peering') {
    const remote = target.route.remoteRoutingDomainId ?? '';
    const own = routing.decide(rd, vsid, src, false).winner;
    if (own?.origin !== 'system' && !routing.forwardedAllowed(remote, rd))
      return {
        kind: 'drop',
        reason: `peering ${target.route.peering}: ${u32ToIp(src)} is not in VM network '${vmNetwork}' (forwarded traffic), and the remote side does not allow forwarded traffic`,
      };
  }
  return { kind: 'forward', vsid: target.route.vsid, ca, via: target, udr };
}

/** The effective routes of each virtual subnet with a port on a host (overlay subnets only), for host tables. */
export function subnetRoutesOf(controller: Controller, ports: PortRt[]): SubnetRoutes[] {
  const out: SubnetRoutes[] = [];
  const seen = new Set<number>();
  for (const p of ports) {
    const subnet = p.resolved.subnet;
    if (seen.has(p.vsid) || subnet.isolation === 'vlan') continue;
    seen.add(p.vsid);
    out.push({
      vsid: p.vsid,
      subnet: subnet.name,
      vmNetwork: p.resolved.vmNetwork.name,
      routes: effectiveRoutes(controller.routing, p.rd, p.vsid),
    });
  }
  return out.sort((a, b) => a.vsid - b.vsid);
}
