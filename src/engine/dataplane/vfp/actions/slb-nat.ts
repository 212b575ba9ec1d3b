// slb-nat: the SLB host agent's NAT on a DIP's port (the `slb_nat` layer). Inbound, after the
// MUX's tunnel is decapsulated: VIP:vipPort -> DIP:dipPort, so the VM sees its own address.
// Outbound, the VM's reply: DIP:dipPort -> VIP:vipPort, and the packet leaves the host on the
// PA network straight toward the client through the PA gateway (direct server return): it never
// goes back through the MUX. Both rewrites are cached in the flow entry (checksums patched
// incrementally, nothing allocated per packet).
import { ipToU32, u32ToIp } from '../../../controller/addr';
import { formatMac } from '../../../wire/bytes';
import { FlowOp } from '../../flowTable';
import { ETH_IPV4, ETH_VLAN, put16, writeMac } from '../../packet';
import { translate } from '../../slb/nat';
import { whereWith } from '../../steps';
import type { TraceWhere } from '../../trace-types';
import { dropEntry } from '../executor';
import { type ActionHandler, type EgressWalk, Step } from '../walk';

export const slbNat: ActionHandler<'slb-nat'> = {
  type: 'slb-nat',
  describe: (a) =>
    a.direction === 'in'
      ? `SLB NAT ${a.vip}:${a.vipPort} -> ${a.dip}:${a.dipPort}`
      : `SLB NAT ${a.dip}:${a.dipPort} -> ${a.vip}:${a.vipPort}, direct server return`,
  ingress(w, a) {
    const dip = ipToU32(a.dip);
    const l3 = w.innerAt + 14;
    const was = `${u32ToIp(w.inner.ipDst)}:${w.inner.dstPort}`;
    translate(w.frame, l3, true, dip, a.dipPort);
    w.inner.ipDst = dip;
    w.inner.dstPort = a.dipPort;
    const port = a.dipPort;
    w.rewrites.push({ apply: (b, at) => translate(b, at + l3, true, dip, port) });
    w.actions.push(a);
    if (w.fw.sink.on)
      w.fw.sink.emit(
        {
          type: 'action',
          action: a,
          text: `SLB host agent NAT (load balancer '${a.loadBalancer}'): destination ${was} -> DIP ${a.dip}:${a.dipPort}`,
        },
        whereWith(w.where, { layer: 'slb_nat' }),
        w.frame.slice(w.innerAt),
      );
    return Step.Next;
  },
  egress(w, a) {
    const { fw, entry, frame, inner } = w;
    if (inner.etherType !== ETH_IPV4) return Step.Next;
    const vip = ipToU32(a.vip);
    const vipPort = a.vipPort;
    translate(frame, 14, false, vip, vipPort);
    inner.ipSrc = vip;
    inner.srcPort = vipPort;
    entry.rewrites.push({ apply: (b, at) => translate(b, at + 14, false, vip, vipPort) });
    entry.actions.push(a);
    const where = whereWith(w.where, { layer: 'slb_nat' });
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'action',
          action: a,
          text: `SLB host agent NAT (load balancer '${a.loadBalancer}'): source ${a.dip}:${a.dipPort} -> VIP ${a.vip}:${a.vipPort}`,
        },
        where,
        frame.slice(),
      );
    return leaveDirect(w, where, 'direct server return: not encapsulated, not through the MUX');
  },
};

/**
 * The packet leaves the host as it is (no tunnel): a plain IP packet from the host's PA NIC to
 * the PA gateway, which routes it toward the client (an SLB reply, direct server return; an
 * outbound NAT connection of a DIP). The flow entry caches the Ethernet header.
 */
export function leaveDirect(w: EgressWalk, where: TraceWhere, why: string): Step {
  const { fw, port, entry } = w;
  const host = port.host;
  const ls = host.logicalSubnet;
  if (!ls) return dropEntry(w, host.name, 'host has no logical subnet', where);
  // A plain IP packet from the host's PA NIC to the PA gateway.
  const srcPa = port.pa;
  const srcMac = host.paMac.get(srcPa) ?? host.teamMacs[0];
  const gateway = ipToU32(ls.defaultGateway);
  const known = host.paArp.has(gateway);
  const hop = fw.ctx.physical.arpOnLink(
    fw.sink,
    host.paArp,
    ls,
    { name: host.name, mac: srcMac, ip: srcPa },
    gateway,
  );
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'pa-next-hop',
        host: host.name,
        nextHop: ls.defaultGateway,
        sameSubnet: false,
        cached: known,
        mac: hop ? formatMac(hop.mac) : null,
        owner: hop?.name ?? '',
      },
      whereWith(where, { logicalSubnetId: ls.id, logicalSubnetName: ls.name }),
    );
  if (!hop)
    return dropEntry(
      w,
      `${host.name} / PA routing`,
      `no ARP answer for PA gateway ${ls.defaultGateway}`,
      where,
    );
  const vlan = ls.vlanId > 0;
  const t = new Uint8Array(vlan ? 18 : 14);
  writeMac(t, 0, hop.mac);
  writeMac(t, 6, srcMac);
  if (vlan) {
    put16(t, 12, ETH_VLAN);
    put16(t, 14, ls.vlanId);
    put16(t, 16, ETH_IPV4);
  } else put16(t, 12, ETH_IPV4);
  entry.template = t;
  entry.op = FlowOp.Native;
  const out = { type: 'output' as const, port: 'uplink', label: `${host.name} uplink` };
  entry.actions.push(out);
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'action',
        action: out,
        text: `${why}; out of ${host.name}'s uplink (VLAN ${ls.vlanId}) to the PA gateway ${ls.defaultGateway} (${formatMac(hop.mac)}), TTL-1`,
      },
      where,
    );
  return Step.Done;
}
