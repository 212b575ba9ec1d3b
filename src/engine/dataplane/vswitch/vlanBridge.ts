// VLAN isolation, the classic path: the port pushed the tenant's 802.1Q tag and the fabric
// bridges the frame at L2 to the ports of the same VLAN, on hosts whose logical subnet trunks
// it; each far port's inbound layers pop the tag. No encapsulation, no CA-PA lookup, no host
// agent: an ARP request is flooded in the VLAN and answered by the VM that owns the address.
// Handled per packet (a plain bridged frame has no VFP flow to cache).
import { u32ToIp } from '../../controller/addr';
import type { LogicalSubnet } from '../../model/schema';
import { formatMac } from '../../wire/bytes';
import { Decision, type Forwarder } from '../forwarder';
import { buildArp, ETH_ARP, isMulticastMac, macEq, parse, pushVlanTag } from '../packet';
import type { PortRt } from '../runtime';
import { hostWhere, pktOf, portWhere, whereWith } from '../steps';
import type { TraceWhere } from '../trace-types';
import { ingressSlow } from '../vfp/executor';

/** Bridge `frame` (untagged, as the VM sent it) from `port` in VLAN `vlanId`. */
export function vlanBridge(fw: Forwarder, port: PortRt, frame: Uint8Array, vlanId: number): void {
  const sink = fw.sink;
  const host = port.host;
  const where: TraceWhere = whereWith(portWhere(port), { layer: 'vnet' });
  const tagged = pushVlanTag(frame, vlanId);
  const p = parse(frame);
  const broadcast = isMulticastMac(p.dstMac);
  const arpTarget = p.etherType === ETH_ARP && p.arpOp === 1 ? p.arpTargetIp : -1;
  const members: PortRt[] = [];
  for (const h of fw.ctx.hosts.values())
    for (const q of h.ports) if (q !== port && vlanOfPort(q) === vlanId) members.push(q);
  // The MAC owner; for a flooded ARP request, the VM owning the address (the others discard it).
  const targets = broadcast
    ? arpTarget >= 0
      ? members.filter((q) => q.caIp === arpTarget)
      : members
    : members.filter((q) => macEq(q.mac, p.dstMac));
  const wanted = arpTarget >= 0 ? `who-has ${u32ToIp(arpTarget)}` : formatMac(p.dstMac);
  if (sink.on)
    sink.emit(
      {
        type: 'vlan-members',
        vlanId,
        wanted,
        targets: targets.map((q) => ({ vm: q.label, host: q.host.name })),
        members: members.length + 1,
      },
      where,
    );
  if (targets.length === 0) {
    fw.dropped(
      `VLAN ${vlanId}`,
      arpTarget >= 0
        ? `no VM in VLAN ${vlanId} answers ARP for ${u32ToIp(arpTarget)}: ${port.label} marks it unreachable (other VLANs never see the request)`
        : `no port in VLAN ${vlanId} has MAC ${formatMac(p.dstMac)}: ports in other VLANs never see this frame`,
      where,
    );
    return;
  }
  const ls = host.logicalSubnet;
  let onWire = false;
  for (const dst of targets) {
    if (dst.host !== host) {
      if (!trunksVlan(ls, vlanId)) {
        fw.dropped(`${host.name} uplink`, vlanNotCarried(vlanId, ls, port), where);
        continue;
      }
      if (!onWire && ls) {
        onWire = true;
        if (sink.on) {
          sink.emit(
            { type: 'vlan-trunk', vlanId, host: host.name, link: ls.name },
            { logicalSubnetId: ls.id, logicalSubnetName: ls.name },
            tagged,
          );
          sink.frame(`VLAN ${vlanId} trunk '${ls.name}'`, tagged);
        }
      }
      const dls = dst.host.logicalSubnet;
      if (!trunksVlan(dls, vlanId)) {
        fw.dropped(`${dst.host.name} uplink`, vlanNotCarried(vlanId, dls, dst), hostWhere(dst.host));
        continue;
      }
      if (sink.on)
        sink.emit({ type: 'vlan-trunk-receive', vlanId, host: dst.host.name }, hostWhere(dst.host));
    }
    // The far port's inbound layers: the VNet rule pops the tag and outputs to the port.
    const entered = ingressSlow(fw, dst, tagged, 0, dst.vsid, null);
    if (entered.reason) {
      fw.dropped(`${dst.host.name} / port ${dst.label}`, entered.reason, portWhere(dst));
      continue;
    }
    fw.spawn(pktOf(entered.frame), (f) => {
      f.port = entered.outPort ?? dst;
      return Decision.ToVm;
    });
    if (arpTarget >= 0) {
      // The VM that owns the address answers; its reply is bridged back in the VLAN.
      const reply = buildArp(2, dst.mac, port.mac, dst.mac, dst.caIp, port.mac, port.caIp);
      if (sink.on) {
        sink.emit(
          {
            type: 'vlan-answer',
            vm: dst.label,
            ip: u32ToIp(dst.caIp),
            mac: formatMac(dst.mac),
            host: dst.host.name,
          },
          portWhere(dst),
          reply,
        );
        sink.emit(
          {
            type: 'action',
            action: { type: 'push-vlan', vlanId },
            text: `802.1Q push: the vSwitch port tags the frame VLAN ${vlanId} (no encapsulation, no CA-PA lookup: the tag alone isolates the tenant)`,
          },
          whereWith(portWhere(dst), { layer: 'vnet' }),
          pushVlanTag(reply, vlanId),
        );
      }
      vlanBridge(fw, dst, reply, vlanId);
    }
  }
}

/** The tenant VLAN of a port whose virtual subnet is VLAN-isolated, else undefined. */
function vlanOfPort(port: PortRt): number | undefined {
  const s = port.resolved.subnet;
  return s.isolation === 'vlan' ? s.vlanId : undefined;
}

function trunksVlan(ls: LogicalSubnet | undefined, vlanId: number): boolean {
  return ls?.trunkedVlans?.includes(vlanId) ?? false;
}

/** Why a VLAN-isolated VM is cut off: its VLAN does not reach the rack it runs in. */
function vlanNotCarried(vlanId: number, ls: LogicalSubnet | undefined, port: PortRt): string {
  return `VLAN ${vlanId} is not carried on logical subnet '${ls?.name ?? 'none'}': under VLAN isolation a VM can only live where its VLAN is trunked; it would need a new IP in that rack's subnet (${port.label} runs on ${port.host.name})`;
}
