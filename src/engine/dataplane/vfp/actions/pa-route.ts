// pa-route: the PA routing layer of an encapsulated frame: the PA compartment's next hop (the
// remote host on the same logical subnet, else the subnet's gateway, by ARP), the subnet's
// VLAN, and the flow's outer-header template the fast path copies in front of each packet.
import { ipToU32, u32ToIp } from '../../../controller/addr';
import { formatMac } from '../../../wire/bytes';
import { buildEncapHeader, NVGRE_OVERHEAD, onesSum, VXLAN_OVERHEAD } from '../../packet';
import { whereWith } from '../../steps';
import { dropEntry } from '../executor';
import { type ActionHandler, Step } from '../walk';

export const paRoute: ActionHandler<'pa-route'> = {
  type: 'pa-route',
  describe: (a) =>
    a.nextHopMac === undefined
      ? `PA route VLAN ${a.vlanId}`
      : `PA route: VLAN ${a.vlanId}, eth.dst ${a.nextHopMac}`,
  egress(w, a) {
    const { fw, port, entry, record } = w;
    const host = port.host;
    const ls = host.logicalSubnet;
    if (!w.outer || !record || !ls) return Step.Next; // not encapsulated: no PA route
    const where = whereWith(w.where, {
      layer: 'pa_route',
      logicalSubnetId: ls.id,
      logicalSubnetName: ls.name,
    });
    const kind = record.encapsulation;
    const srcPa = port.pa;
    const dstPa = ipToU32(record.pa);
    // Outer next hop: the remote host when its PA is on our logical subnet, else the subnet's gateway.
    const lsPrefix = ls.prefix.split('/');
    const mask = Number(lsPrefix[1]) === 0 ? 0 : (0xffffffff << (32 - Number(lsPrefix[1]))) >>> 0;
    const sameSubnet = (dstPa & mask) >>> 0 === (ipToU32(lsPrefix[0]) & mask) >>> 0;
    const nextHopIp = sameSubnet ? dstPa : ipToU32(ls.defaultGateway);
    const srcMac = host.paMac.get(srcPa) ?? host.teamMacs[0];
    const known = host.paArp.has(nextHopIp);
    const nextHop = fw.ctx.physical.arpOnLink(
      fw.sink,
      host.paArp,
      ls,
      { name: host.name, mac: srcMac, ip: srcPa },
      nextHopIp,
    );
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'pa-next-hop',
          host: host.name,
          nextHop: u32ToIp(nextHopIp),
          sameSubnet,
          cached: known,
          mac: nextHop ? formatMac(nextHop.mac) : null,
          owner: nextHop?.name ?? '',
        },
        where,
      );
    if (!nextHop)
      return dropEntry(
        w,
        `${host.name} / PA routing`,
        `no ARP answer for PA next hop ${u32ToIp(nextHopIp)}`,
        w.where,
      );
    const template = buildEncapHeader(
      {
        kind,
        vsid: w.vsid,
        srcMac,
        dstMac: nextHop.mac,
        vlanId: ls.vlanId,
        srcPa,
        dstPa,
        ipId: w.flowHash & 0xffff,
        flowHash: w.flowHash,
      },
      w.frame.length,
    );
    entry.template = template;
    entry.ipOff = ls.vlanId > 0 ? 18 : 14;
    entry.udpOff = kind === 'vxlan' ? entry.ipOff + 20 : -1;
    entry.ipIdBase = w.flowHash & 0xffff;
    // One's-complement sum of the outer IP header without total length (word 1), id (2), checksum (5).
    const ip = entry.ipOff;
    entry.ipPartialSum =
      onesSum(template, ip, ip + 2) +
      onesSum(template, ip + 6, ip + 10) +
      onesSum(template, ip + 12, ip + 20);
    entry.maxLength = ls.mtu - ((kind === 'vxlan' ? VXLAN_OVERHEAD : NVGRE_OVERHEAD) - 14);
    const resolved = { ...a, nextHopMac: formatMac(nextHop.mac) };
    entry.actions.push(resolved);
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'action',
          action: a,
          text: `PA routing: logical subnet '${ls.name}', VLAN ${ls.vlanId}, outer eth ${formatMac(srcMac)} -> ${formatMac(nextHop.mac)}`,
        },
        where,
      );
    return Step.Next;
  },
};
