// route: the distributed router of the routing domain: the route of the destination (its
// subnets, a peered network's, the sender subnet's route table: routeDecision.ts), then the
// lookup record of the destination or of the virtual appliance the route names; MACs and VSID
// rewritten, TTL-1. It answers a ping of its gateway address and sends time exceeded for an
// expiring TTL.
import { macToBytes, u32ToIp } from '../../../controller/addr';
import type { CompiledRoute } from '../../../controller/routing';
import { gatewayEcho, ttlExceeded } from '../../distributedRouter';
import { routeToGateway } from '../../gateway/defaultRoute';
import { decrementTtl, IP_ICMP, writeMac } from '../../packet';
import { nextHopOf, routeDecisionEvent } from '../../routeDecision';
import { whereWith } from '../../steps';
import { dropEntry } from '../executor';
import { toDestination } from '../unicast';
import { type ActionHandler, Step } from '../walk';
import { lookupRecord } from './lookup';

export const route: ActionHandler<'route'> = {
  type: 'route',
  describe: (a) =>
    a.toVsid === undefined
      ? 'distributed route'
      : `route: VSID ${a.fromVsid} -> ${a.toVsid}, eth.src=${a.srcMac}, eth.dst=${a.dstMac}, ip.ttl-1`,
  egress(w, a) {
    const { fw, port, inner, frame, entry } = w;
    const where = whereWith(w.where, { routerName: 'distributed router' });
    const at = `${port.host.name} / distributed router`;
    const net = port.resolved.vmNetwork;
    const routing = fw.ctx.controller.routing;
    // Longest prefix over the domain's subnets, its peers' and this subnet's route table.
    // Only routes this host's agent holds count: one whose update has not reached it yet does not.
    const agents = fw.ctx.agents;
    const decision = routing.decide(a.routingDomainId, port.vsid, inner.ipDst, true, (key) =>
      agents.holdsRoute(port.host, key),
    );
    // Built from the routing domain's routes: a change of them (a subnet, a route table, a
    // peering) invalidates the entry, a cached "no route" drop included.
    entry.deps.push({ kind: 'route', routingDomainId: a.routingDomainId });
    if (fw.sink.on) fw.sink.emit(routeDecisionEvent(net.name, port.vsid, inner.ipDst, decision), where);
    const hop = nextHopOf(
      routing,
      a.routingDomainId,
      net.name,
      port.vsid,
      decision,
      inner.ipSrc,
      inner.ipDst,
    );
    if (hop.kind === 'drop') return dropEntry(w, at, hop.reason, where);
    if (hop.kind === 'gateway') {
      const viaGateway = routeToGateway(w, a.routingDomainId, where);
      if (viaGateway !== null) return viaGateway;
      const by = hop.udr
        ? `route table '${hop.udr.route.routeTable}' route '${hop.udr.route.routeName}' next hop VirtualNetworkGateway`
        : 'the default route';
      return dropEntry(w, at, `${by}: VM network '${net.name}' has no virtual gateway`, where);
    }
    const target = { vsid: hop.vsid, prefix: hop.via.route.prefix };
    const record = lookupRecord(fw, port.host, target.vsid, hop.ca, where);
    const gateway = hop.udr === null && hop.via.origin === 'system' && hop.via.net + 1 === inner.ipDst;
    if (!record && gateway && inner.proto === IP_ICMP && inner.icmpType === 8) {
      gatewayEcho(fw, port, frame, inner);
      return Step.PerPacket;
    }
    if (inner.ttl <= 1) {
      ttlExceeded(fw, port, frame);
      return Step.PerPacket;
    }
    if (!record)
      // The subnet's lowest address is the distributed router itself: it answers ARP and ping,
      // but nothing lives behind it to answer anything else.
      return dropEntry(
        w,
        at,
        gateway
          ? `${u32ToIp(inner.ipDst)} is the distributed router's gateway address of ${target.prefix}: it answers ARP and ping, but no VM lives there to take other packets`
          : hop.udr && hop.ca !== inner.ipDst
            ? `next hop ${u32ToIp(hop.ca)} of route table '${hop.udr.route.routeTable}' route '${hop.udr.route.routeName}': no vNIC there (no lookup record in VSID ${target.vsid})`
            : `no lookup record for ${u32ToIp(inner.ipDst)} in VSID ${target.vsid}`,
        where,
      );
    entry.rewrite = true;
    // The destination subnet's gateway MAC (configured, else derived from its VSID).
    const srcMac = hop.via.route.gatewayMac;
    entry.newSrcMac = macToBytes(srcMac);
    entry.newDstMac = macToBytes(record.mac);
    entry.actions.push({
      type: 'route',
      routingDomainId: a.routingDomainId,
      fromVsid: port.vsid,
      toVsid: target.vsid,
      srcMac,
      dstMac: record.mac,
    });
    writeMac(frame, 0, entry.newDstMac);
    writeMac(frame, 6, entry.newSrcMac);
    decrementTtl(frame, inner.l3);
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'action',
          action: a,
          text: `distributed router: VSID ${port.vsid} -> ${target.vsid}${routedVia(hop.via, hop.udr, hop.ca)}, MACs rewritten, TTL ${inner.ttl} -> ${inner.ttl - 1}`,
        },
        where,
        frame.slice(),
      );
    return toDestination(w, record, target.vsid);
  },
};

/** ' to virtual appliance 10.0.0.4 (route table ...)', ' across peering A<->B', or nothing. */
function routedVia(via: CompiledRoute, udr: CompiledRoute | null, ca: number): string {
  const parts: string[] = [];
  if (udr?.route.nextHopType === 'VirtualAppliance')
    parts.push(
      ` to virtual appliance ${u32ToIp(ca)} (route table '${udr.route.routeTable}' route '${udr.route.routeName}')`,
    );
  if (via.origin === 'peering') parts.push(` across peering ${via.route.peering}`);
  return parts.join('');
}
