// slb-snat: the SLB host agent's outbound NAT on a DIP's port (an outbound NAT rule, in the
// `slb_nat` layer). Outbound: a TCP/UDP connection the DIP opens to outside its VM network gets
// the VIP as source and the first free port of the DIP's slice (the host's SNAT table remembers
// it), and leaves the host un-encapsulated to the PA gateway, as a DSR reply does. Inbound: the
// answer, which the MUX tunnelled here because the port is in this DIP's slice, is mapped back
// to the DIP's address and port by that table; no mapping, no entry. The rewrite is cached in
// the flow entry (checksums patched incrementally, nothing allocated per packet).
import { ipToU32, u32ToIp } from '../../../controller/addr';
import { ETH_IPV4, IP_TCP } from '../../packet';
import { translate } from '../../slb/nat';
import type { SlbPlane } from '../../slb/plane';
import { whereWith } from '../../steps';
import { dropEntry } from '../executor';
import { type ActionHandler, Step } from '../walk';
import { leaveDirect } from './slb-nat';

const protoName = (p: number) => (p === IP_TCP ? 'TCP' : 'UDP');

export const slbSnat: ActionHandler<'slb-snat'> = {
  type: 'slb-snat',
  describe: (a) =>
    a.port === undefined
      ? a.direction === 'out'
        ? `SLB SNAT ${a.protocol.toUpperCase()} ${a.dip} -> VIP ${a.vip} ports ${a.portStart}-${a.portEnd}, not encapsulated`
        : `SLB un-SNAT ${a.protocol.toUpperCase()} VIP ${a.vip} ports ${a.portStart}-${a.portEnd} -> ${a.dip}`
      : a.direction === 'out'
        ? `SLB SNAT ${a.from} -> ${a.vip}:${a.port}, not encapsulated`
        : `SLB un-SNAT ${a.from} -> ${a.dip}:${a.port}`,
  egress(w, a) {
    const { fw, port, entry, frame, inner } = w;
    if (inner.etherType !== ETH_IPV4) return Step.Next;
    const plane = fw.ctx.fabric.slb as SlbPlane;
    const table = plane.snatTable(port.id);
    const vip = ipToU32(a.vip);
    const where = whereWith(w.where, { layer: 'slb_nat' });
    let m = table.findOut(inner.proto, inner.srcPort, inner.ipDst, inner.dstPort);
    const existing = m !== null;
    if (m === null)
      m = table.add(inner.proto, inner.srcPort, inner.ipDst, inner.dstPort, vip, a.portStart, a.portEnd);
    const inside = `${u32ToIp(inner.ipSrc)}:${inner.srcPort}`;
    if (m === null)
      return dropEntry(
        w,
        `${w.at} / SLB NAT`,
        `${a.rule} of load balancer '${a.loadBalancer}': every port of ${port.label}'s slice ${a.portStart}-${a.portEnd} is in use`,
        where,
      );
    const vipPort = m.vipPort;
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'slb-snat',
          host: port.host.name,
          vm: port.label,
          loadBalancer: a.loadBalancer,
          direction: 'out',
          mapping: existing ? 'existing' : 'new',
          inside,
          remote: `${u32ToIp(inner.ipDst)}:${inner.dstPort}`,
          public: `${a.vip}:${vipPort}`,
          slice: `${a.portStart}-${a.portEnd}`,
        },
        where,
      );
    translate(frame, 14, false, vip, vipPort);
    inner.ipSrc = vip;
    inner.srcPort = vipPort;
    entry.rewrites.push({ apply: (b, at) => translate(b, at + 14, false, vip, vipPort) });
    const resolved = {
      type: 'slb-snat' as const,
      direction: a.direction,
      loadBalancer: a.loadBalancer,
      rule: a.rule,
      protocol: a.protocol,
      vip: a.vip,
      dip: a.dip,
      portStart: a.portStart,
      portEnd: a.portEnd,
      from: inside,
      port: vipPort,
    };
    entry.actions.push(resolved);
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'action',
          action: resolved,
          text: `SLB host agent outbound NAT (${a.rule} of '${a.loadBalancer}'): source ${inside} -> VIP ${a.vip}:${vipPort} (${protoName(inner.proto)}, ${port.label}'s slice ${a.portStart}-${a.portEnd})`,
        },
        where,
        frame.slice(),
      );
    return leaveDirect(w, where, 'outbound NAT: not encapsulated, straight to the PA gateway');
  },
  ingress(w, a) {
    const { fw, port, inner } = w;
    const plane = fw.ctx.fabric.slb as SlbPlane;
    const m = plane.snatTable(port.id).findIn(inner.proto, inner.dstPort);
    const ok =
      m !== null &&
      m.vip === inner.ipDst &&
      m.remoteIp === inner.ipSrc >>> 0 &&
      m.remotePort === inner.srcPort;
    const where = whereWith(w.where, { layer: 'slb_nat' });
    const remote = `${u32ToIp(inner.ipSrc)}:${inner.srcPort}`;
    const pub = `${u32ToIp(inner.ipDst)}:${inner.dstPort}`;
    const dip = ipToU32(a.dip);
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'slb-snat',
          host: port.host.name,
          vm: port.label,
          loadBalancer: a.loadBalancer,
          direction: 'in',
          mapping: ok ? 'existing' : 'none',
          inside: ok && m ? `${a.dip}:${m.dipPort}` : '',
          remote,
          public: pub,
          slice: `${a.portStart}-${a.portEnd}`,
        },
        where,
      );
    if (!ok || m === null) {
      const reason = `no outbound NAT mapping of ${port.label} for ${remote} -> ${pub}: the DIP opened no such connection`;
      if (fw.sink.on)
        fw.sink.emit({ type: 'action', action: { type: 'drop', reason }, text: `drop: ${reason}` }, where);
      w.reason = reason;
      return Step.Done;
    }
    const dipPort = m.dipPort;
    const l3 = w.innerAt + 14;
    translate(w.frame, l3, true, dip, dipPort);
    inner.ipDst = dip;
    inner.dstPort = dipPort;
    w.rewrites.push({ apply: (b, at) => translate(b, at + l3, true, dip, dipPort) });
    const resolved = {
      type: 'slb-snat' as const,
      direction: a.direction,
      loadBalancer: a.loadBalancer,
      rule: a.rule,
      protocol: a.protocol,
      vip: a.vip,
      dip: a.dip,
      portStart: a.portStart,
      portEnd: a.portEnd,
      from: pub,
      port: dipPort,
    };
    w.actions.push(resolved);
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'action',
          action: resolved,
          text: `SLB host agent outbound NAT, the answer (${a.rule} of '${a.loadBalancer}'): destination ${pub} -> DIP ${a.dip}:${dipPort}`,
        },
        where,
        w.frame.slice(w.innerAt),
      );
    return Step.Next;
  },
};
