// route: the distributed router of the routing domain: the host agent's customer route of the
// destination (on-link subnets only), then that subnet's lookup record; MACs and VSID rewritten, TTL-1.
// It answers a ping of its gateway address and sends time exceeded for an expiring TTL.
import { macToBytes, routerMac, u32ToIp } from '../../../controller/addr';
import { gatewayEcho, ttlExceeded } from '../../distributedRouter';
import { decrementTtl, IP_ICMP, writeMac } from '../../packet';
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
    const where = { ...w.where, routerName: 'distributed router' };
    const at = `${port.host.name} / distributed router`;
    const net = port.resolved.vmNetwork;
    // The host agent's customer routes of the routing domain (on-link subnets), as it holds them.
    const routes = fw.ctx.agents.routesOf(port.host, a.routingDomainId);
    const hit = routes.find((r) => (inner.ipDst & r.mask) >>> 0 === r.net);
    const target = hit?.route;
    // Built from the routing domain's routes: a change of them (a subnet added or removed)
    // invalidates the entry, a cached "no route" drop included.
    entry.deps.push({ kind: 'route', routingDomainId: a.routingDomainId });
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'customer-route',
          vmNetwork: net.name,
          dst: u32ToIp(inner.ipDst),
          prefix: target?.prefix ?? null,
          vsid: target?.vsid ?? null,
        },
        where,
      );
    if (!target) {
      const prefixes = routes.map((r) => r.route.prefix).join(', ');
      return dropEntry(
        w,
        at,
        `no route to ${u32ToIp(inner.ipDst)} in routing domain '${net.name}' (${prefixes}): another routing domain is reachable only through a gateway`,
        where,
      );
    }
    const record = lookupRecord(fw, port.host, target.vsid, inner.ipDst, where);
    const gateway = hit?.gatewayIp === inner.ipDst;
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
          : `no lookup record for ${u32ToIp(inner.ipDst)} in VSID ${target.vsid}`,
        where,
      );
    entry.rewrite = true;
    const srcMac = routerMac(target.vsid);
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
          text: `distributed router: VSID ${port.vsid} -> ${target.vsid}, MACs rewritten, TTL ${inner.ttl} -> ${inner.ttl - 1}`,
        },
        where,
        frame.slice(),
      );
    return toDestination(w, record, target.vsid);
  },
};
