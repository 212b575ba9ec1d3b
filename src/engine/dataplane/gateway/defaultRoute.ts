// The distributed router's default route: in a VM network with a virtual gateway, a destination
// outside every virtual subnet goes to the gateway (0.0.0.0/0, which the controller compiles into
// the customer routes): MACs rewritten to the gateway's, TTL-1, and the tunnel to the gateway VM's
// PA in the source subnet's VSID. The gateway VM is a lookup target like a VM on another host.
import { macToBytes, u32ToIp } from '../../controller/addr';
import type { LookupRecord } from '../../controller/types';
import { gatewayMacOf } from '../../net';
import { ttlExceeded } from '../distributedRouter';
import { decrementTtl, writeMac } from '../packet';
import type { TraceWhere } from '../trace-types';
import { toDestination } from '../vfp/unicast';
import { type EgressWalk, Step } from '../vfp/walk';
import type { CompartmentRt } from './edges';

/** The record the distributed router resolves the default route to: the gateway VM's PA and MAC. */
function gatewayRecord(
  c: CompartmentRt,
  vsid: number,
  encapsulation: LookupRecord['encapsulation'],
): LookupRecord {
  const g = c.gateway;
  return {
    caIp: '0.0.0.0/0',
    vsid,
    mac: g.gw.mac,
    pa: g.gw.providerAddress,
    routingDomainId: c.routingDomainId,
    rule: 'TranslationMethodEncap',
    encapsulation,
    vmId: g.gw.id,
    vnicId: '',
    // Never a port of the sending host: the gateway VM is reached through its own PA.
    hostId: `gateway:${g.gw.id}`,
    vmLabel: `gateway ${g.name} (virtual gateway '${c.vg.name}')`,
  };
}

/** The walk's step when the routing domain has a virtual gateway; null when it has none. */
export function routeToGateway(w: EgressWalk, routingDomainId: string, where: TraceWhere): Step | null {
  const { fw, port, inner, frame, entry } = w;
  const c = fw.ctx.fabric.edges?.byRd.get(routingDomainId);
  if (!c) return null;
  if (inner.ttl <= 1) {
    ttlExceeded(fw, port, frame);
    return Step.PerPacket;
  }
  const record = gatewayRecord(c, port.vsid, port.resolved.subnet.encapsulation);
  entry.rewrite = true;
  const srcMac = gatewayMacOf(port.resolved.subnet);
  entry.newSrcMac = macToBytes(srcMac);
  entry.newDstMac = macToBytes(record.mac);
  entry.actions.push({
    type: 'route',
    routingDomainId,
    fromVsid: port.vsid,
    toVsid: port.vsid,
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
        action: { type: 'route', routingDomainId },
        text: `distributed router: ${u32ToIp(inner.ipDst)} is in no virtual subnet, default route 0.0.0.0/0 -> ${record.vmLabel} at PA ${record.pa}; MACs rewritten, TTL ${inner.ttl} -> ${inner.ttl - 1}`,
      },
      where,
      frame.slice(),
    );
  return toDestination(w, record, port.vsid);
}
