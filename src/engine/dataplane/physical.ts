// The physical network under the overlay: logical subnets as links (VLAN, MTU), L3 routers
// (outer TTL-1, MAC rewrite, each subnet's VLAN, ICMP fragmentation-needed when a DF packet
// does not fit the next link) and ARP for the outer next hops, with each router's ARP cache.
// A link and a router are pieces of the forwarder: each returns where the frame goes next.
import { u32ToIp } from '../controller/addr';
import type { LogicalSubnet } from '../model/schema';
import { formatMac } from '../wire/bytes';
import { Decision, type Forwarder } from './forwarder';
import { edgeOnLink, edgeOwnerOnLink } from './gateway/edges';
import {
  BROADCAST_MAC,
  buildArp,
  buildIcmpError,
  decrementTtl,
  fnv,
  type Parsed,
  writeMac,
  ZERO_MAC,
} from './packet';
import { type Fabric, NO_MACS, type RouterIfaceRt } from './runtime';
import { vipNextHop } from './slb/mux';
import { copyOf, HEADROOM, NO_WHERE, type Pkt } from './steps';
import type { TraceSink } from './trace/sink';
import type { TraceWhere } from './trace-types';

/** The routers' ARP caches and the ARP exchanges on PA links. */
export class PhysicalNetwork {
  constructor(private readonly fabric: () => Fabric) {}

  /** Every router forgets what it learnt (hosts' PA caches live on their HostRt). */
  forgetArp(): void {
    for (const r of this.fabric().routerIfaces) {
      r.arp.clear();
      r.lastHopMac = null;
      r.lastHopMacs = NO_MACS;
    }
    this.fabric().slb?.forgetArp();
  }

  /** Who answers ARP for an IP on a PA link: a router interface or a host's PA there. */
  ownerOnLink(
    ls: LogicalSubnet,
    ip: number,
  ): { name: string; mac: Uint8Array; learn: Map<number, Uint8Array> } | null {
    const fabric = this.fabric();
    const iface = fabric.routerIfaces.find((r) => r.ip === ip && r.logicalSubnet.id === ls.id);
    if (iface)
      return { name: `${iface.router.name} (gateway of '${ls.name}')`, mac: iface.mac, learn: iface.arp };
    const host = fabric.paOwner.get(ip);
    const mac = host?.logicalSubnet?.id === ls.id ? host.paMac.get(ip) : undefined;
    if (host && mac) return { name: host.name, mac, learn: host.paArp };
    return (
      (fabric.edges ? edgeOwnerOnLink(fabric.edges, ls, ip) : null) ?? fabric.slb?.ownerOnLink(ls, ip) ?? null
    );
  }

  /**
   * ARP on a PA link (RFC 826). From the sender's cache if it has the next hop; else a broadcast
   * who-has goes out on the link (its VLAN) and the owner answers, both frames on the wire. The
   * owner learns the asker on the way, as RFC 826 says, so the answer's return trip needs no ARP.
   */
  arpOnLink(
    sink: TraceSink,
    cache: Map<number, Uint8Array>,
    ls: LogicalSubnet,
    sender: { name: string; mac: Uint8Array; ip: number },
    target: number,
  ): { name: string; mac: Uint8Array } | null {
    const cached = cache.get(target);
    if (cached)
      return { name: sink.on === true ? (this.ownerOnLink(ls, target)?.name ?? '') : '', mac: cached };
    const owner = this.ownerOnLink(ls, target);
    const where: TraceWhere = { logicalSubnetId: ls.id, logicalSubnetName: ls.name };
    const link = `link '${ls.name}'`;
    const arp = {
      type: 'pa-arp' as const,
      link: ls.name,
      vlanId: ls.vlanId,
      asker: sender.name,
      owner: owner?.name ?? '',
      mac: owner ? formatMac(owner.mac) : '',
    };
    if (sink.on === true) {
      const request = buildArp(
        1,
        sender.mac,
        BROADCAST_MAC,
        sender.mac,
        sender.ip,
        ZERO_MAC,
        target,
        ls.vlanId,
      );
      sink.emit(
        { ...arp, op: 'request', senderIp: u32ToIp(sender.ip), targetIp: u32ToIp(target) },
        where,
        request,
        true,
      );
      sink.frame(link, request);
    }
    if (!owner) return null;
    owner.learn.set(sender.ip, sender.mac);
    cache.set(target, owner.mac);
    if (sink.on === true) {
      const reply = buildArp(2, owner.mac, sender.mac, owner.mac, target, sender.mac, sender.ip, ls.vlanId);
      sink.emit(
        { ...arp, op: 'reply', senderIp: u32ToIp(target), targetIp: u32ToIp(sender.ip) },
        where,
        reply,
        true,
      );
      sink.frame(link, reply);
    }
    return owner;
  }
}

/** A frame on a link: the device that owns its destination MAC there takes it. */
export function onLink(fw: Forwarder, ls: LogicalSubnet, pkt: Pkt, p: Parsed, from: string): Decision {
  if (fw.sink.on === true) traceWire(fw, ls, pkt, from);
  if (p.vlanId !== (ls.vlanId > 0 ? ls.vlanId : -1) || p.ipLen > ls.mtu) return linkFault(fw, ls, p);
  const fabric = fw.ctx.fabric;
  // The destination MAC, read once for both tables: its first two bytes and its last four.
  const v = fw.viewOn(pkt.buf);
  const macHi = v.getUint16(pkt.off);
  const macLo = v.getInt32(pkt.off + 2);
  const iface = fabric.routerIfaceByMac.getWords(macHi, macLo);
  // Same link: the same object unless the document was replaced since (then the same id).
  if (iface !== undefined && (iface.logicalSubnet === ls || iface.logicalSubnet.id === ls.id)) {
    fw.iface = iface;
    return 6 /* Decision.ToRouter */;
  }
  const host = fabric.hostByMac.getWords(macHi, macLo);
  if (host !== undefined && (host.logicalSubnet === ls || host.logicalSubnet?.id === ls.id)) {
    fw.host = host;
    return 7 /* Decision.ToHost */;
  }
  return toEdgeDevice(fw, fabric, ls, pkt);
}

/** The trace's view of a frame on a link. */
function traceWire(fw: Forwarder, ls: LogicalSubnet, pkt: Pkt, from: string): void {
  const frame = copyOf(pkt);
  fw.sink.emit(
    { type: 'wire', link: ls.name, prefix: ls.prefix, vlanId: ls.vlanId, mtu: ls.mtu, from },
    linkWhere(fw, ls),
    frame,
  );
  fw.sink.frame(`link '${ls.name}'`, frame);
}

/** A frame the link does not carry: tagged with another VLAN, or larger than its MTU. */
function linkFault(fw: Forwarder, ls: LogicalSubnet, p: Parsed): Decision {
  const reason =
    p.vlanId !== (ls.vlanId > 0 ? ls.vlanId : -1)
      ? `frame tagged VLAN ${p.vlanId} on a link with VLAN ${ls.vlanId}`
      : `${p.ipLen}-byte packet exceeds MTU ${ls.mtu} of logical subnet '${ls.name}'`;
  return fw.drop(`link '${ls.name}'`, reason, linkWhere(fw, ls));
}

/** Neither a router nor a host owns the MAC on the link: an SDN edge device (gateway, site, MUX), else nobody. */
function toEdgeDevice(fw: Forwarder, fabric: Fabric, ls: LogicalSubnet, pkt: Pkt): Decision {
  const edge = fabric.edges?.byMac.get(pkt.buf, pkt.off);
  if (edge && edgeOnLink(edge, ls)) {
    fw.edge = edge;
    return Decision.ToEdge;
  }
  const slb = fabric.slb?.deviceByMac(ls, pkt.buf, pkt.off);
  if (slb) {
    fw.slbDevice = slb;
    return Decision.ToSlb;
  }
  return fw.drop(
    `link '${ls.name}'`,
    `no device with MAC ${formatMac(pkt.buf.subarray(pkt.off, pkt.off + 6))} on the link`,
    linkWhere(fw, ls),
  );
}

const linkWhere = (fw: Forwarder, ls: LogicalSubnet): TraceWhere =>
  fw.sink.on === true ? { logicalSubnetId: ls.id, logicalSubnetName: ls.name } : NO_WHERE;

/** A physical L3 router: outer TTL-1, MACs rewritten, the egress subnet's VLAN. */
export function routerReceive(fw: Forwarder, iface: RouterIfaceRt, pkt: Pkt, p: Parsed): Decision {
  // On-link first; else a route learnt over BGP or the default route (`offLinkHop`).
  let hop = p.ipDst;
  let egress = interfaceTowards(iface, hop);
  if (egress === undefined) {
    hop = offLinkHop(fw, iface, p);
    if (hop >= 0) egress = interfaceTowards(iface, hop);
  }
  if (egress === undefined)
    return fw.drop(iface.router.name, `no interface towards ${u32ToIp(p.ipDst)}`, routerWhere(iface));
  if (p.ttl <= 1) return fw.drop(iface.router.name, 'outer TTL expired', routerWhere(iface));
  // The next hop's MAC: the egress interface remembers its last next hop and the Ethernet header
  // it wrote towards it; else the router's ARP cache, else an ARP exchange on the egress link.
  const last = egress.lastHopMac;
  const remembered = last !== null && egress.lastHopIp === hop;
  const mac = remembered ? last : nextHopMac(fw, iface, egress, p, hop);
  if (mac === undefined)
    return fw.drop(iface.router.name, `no ARP answer for ${u32ToIp(hop)}`, routerWhere(iface));
  if (fw.sink.on === true && remembered) traceRouterLookup(fw, iface, egress, p, hop, mac, true);
  if (p.ipLen > egress.logicalSubnet.mtu) return tooBigForNextLink(fw, iface, egress, pkt, p);
  // The IP packet stays where it is; the new Ethernet header (the egress subnet's VLAN tag, if
  // any) is written in front of it, into the headroom. No copy, no allocation.
  // Straight-line stores: the MACs as three words, then the tag and the EtherType.
  const b = pkt.buf;
  const v = fw.viewOn(b);
  const vlanId = egress.logicalSubnet.vlanId;
  const off = p.l3 - (vlanId > 0 ? 18 : 14);
  // (Offsets as `(off + n) | 0`: V8 adds without an overflow check.)
  const w = egress.lastHopMacs;
  v.setInt32(off, w[0], true);
  v.setInt32((off + 4) | 0, w[1], true);
  v.setInt32((off + 8) | 0, w[2], true);
  if (vlanId > 0) {
    v.setUint16((off + 12) | 0, 0x8100 /* ETH_VLAN */);
    v.setUint16((off + 14) | 0, vlanId);
    v.setUint16((off + 16) | 0, 0x0800 /* ETH_IPV4 */);
  } else v.setUint16((off + 12) | 0, 0x0800 /* ETH_IPV4 */);
  pkt.len += pkt.off - off;
  pkt.off = off;
  decrementTtl(b, p.l3);
  if (fw.sink.on === true) traceRouted(fw, iface, egress, pkt, p, mac);
  // The IP header stayed where it was: only the VLAN, the outer TTL and the frame start changed.
  p.vlanId = vlanId > 0 ? vlanId : -1;
  p.ttl -= 1;
  fw.hopFresh = true;
  fw.link = egress.logicalSubnet;
  fw.from = iface.router.name;
  return 5 /* Decision.OnLink */;
}

/**
 * The next hop for a destination on none of the router's links: a route learnt over BGP (a VIP
 * the SLB MUXes announce), else the default route to the internet's edge (a 'site' of kind
 * internet); -1 for none.
 */
function offLinkHop(fw: Forwarder, iface: RouterIfaceRt, p: Parsed): number {
  const slb = fw.ctx.fabric.slb;
  if (slb !== undefined) {
    const vip = vipNextHop(fw, slb, iface, p);
    if (vip >= 0 && interfaceTowards(iface, vip) !== undefined) return vip;
  }
  return fw.ctx.fabric.edges?.internet?.ip ?? -1;
}

/**
 * The next hop's MAC when the egress interface's last next hop was another: from the router's
 * ARP cache, else an ARP exchange on the egress link. The interface remembers it and the
 * Ethernet header's words.
 */
function nextHopMac(
  fw: Forwarder,
  iface: RouterIfaceRt,
  egress: RouterIfaceRt,
  p: Parsed,
  hop: number,
): Uint8Array | undefined {
  const cache = iface.arp;
  const known = cache.get(hop);
  const mac =
    known ??
    fw.ctx.physical.arpOnLink(
      fw.sink,
      cache,
      egress.logicalSubnet,
      { name: iface.router.name, mac: egress.mac, ip: egress.ip },
      hop,
    )?.mac;
  if (fw.sink.on === true) traceRouterLookup(fw, iface, egress, p, hop, mac ?? null, known !== undefined);
  if (mac !== undefined) {
    egress.lastHopIp = hop;
    egress.lastHopMac = mac;
    egress.lastHopMacs = macWords(mac, egress.mac);
  }
  return mac;
}

function traceRouterLookup(
  fw: Forwarder,
  iface: RouterIfaceRt,
  egress: RouterIfaceRt,
  p: Parsed,
  hop: number,
  mac: Uint8Array | null,
  cached: boolean,
): void {
  const ls = egress.logicalSubnet;
  fw.sink.emit(
    {
      type: 'router-lookup',
      router: iface.router.name,
      dst: u32ToIp(p.ipDst),
      link: ls.name,
      prefix: ls.prefix,
      vlanId: ls.vlanId,
      cached,
      mac: mac ? formatMac(mac) : null,
      owner: fw.ctx.physical.ownerOnLink(ls, hop)?.name ?? '?',
    },
    { ...routerWhere(iface), logicalSubnetId: ls.id, logicalSubnetName: ls.name },
  );
}

/** The packet does not fit the next link: dropped; with DF, ICMP fragmentation needed goes back. */
function tooBigForNextLink(
  fw: Forwarder,
  iface: RouterIfaceRt,
  egress: RouterIfaceRt,
  pkt: Pkt,
  p: Parsed,
): Decision {
  const mtu = egress.logicalSubnet.mtu;
  fw.dropped(
    iface.router.name,
    `${p.ipLen}-byte packet does not fit MTU ${mtu} of logical subnet '${egress.logicalSubnet.name}' (the next link)${p.df ? '' : ' and routers here do not fragment'}`,
    routerWhere(iface),
  );
  if (p.df) fragNeeded(fw, iface, pkt, p, mtu);
  return 0 /* Decision.Consumed */;
}

/** The trace's view of the routed frame (before `p` moves on to the next link). */
function traceRouted(
  fw: Forwarder,
  iface: RouterIfaceRt,
  egress: RouterIfaceRt,
  pkt: Pkt,
  p: Parsed,
  mac: Uint8Array,
): void {
  const name = iface.router.name;
  fw.sink.emit(
    {
      type: 'action',
      action: { type: 'set-field', field: 'ip.ttl', value: p.ttl - 1 },
      text: `${name} routes: outer TTL ${p.ttl} -> ${p.ttl - 1}, eth ${formatMac(egress.mac)} -> ${formatMac(mac)}, VLAN ${p.vlanId < 0 ? 'none' : p.vlanId} -> ${egress.logicalSubnet.vlanId}`,
    },
    routerWhere(iface),
    copyOf(pkt),
  );
}

/**
 * A router could not forward a DF packet: ICMP fragmentation needed (type 3 code 4, RFC 1191)
 * from the interface it arrived on, back to the packet's source PA, quoting its IP header and
 * the first 8 bytes behind it.
 */
function fragNeeded(fw: Forwarder, iface: RouterIfaceRt, pkt: Pkt, p: Parsed, mtu: number): void {
  const router = iface.router;
  const back = interfaceTowards(iface, p.ipSrc);
  if (!back) return;
  const mac = fw.ctx.physical.arpOnLink(
    fw.sink,
    iface.arp,
    back.logicalSubnet,
    { name: router.name, mac: back.mac, ip: back.ip },
    p.ipSrc,
  )?.mac;
  if (!mac) return;
  const quoted = pkt.buf.slice(p.l3, p.l3 + (pkt.buf[p.l3] & 15) * 4 + 8);
  const frame = buildIcmpError({
    srcMac: back.mac,
    dstMac: mac,
    vlanId: back.logicalSubnet.vlanId,
    srcIp: back.ip,
    dstIp: p.ipSrc,
    ipId: fnv(quoted, 0, quoted.length),
    type: 3,
    code: 4,
    nextHopMtu: mtu,
    quoted,
  });
  if (fw.sink.on === true)
    fw.sink.emit(
      {
        type: 'icmp-error',
        router: router.name,
        from: u32ToIp(back.ip),
        to: u32ToIp(p.ipSrc),
        icmp: { type: 3, code: 4, nextHopMtu: mtu },
      },
      {
        routerId: router.id,
        routerName: router.name,
        logicalSubnetId: back.logicalSubnet.id,
        logicalSubnetName: back.logicalSubnet.name,
      },
      frame,
    );
  const buf = new Uint8Array(HEADROOM + frame.length);
  buf.set(frame, HEADROOM);
  fw.spawn({ buf, off: HEADROOM, len: frame.length }, (f) => {
    f.link = back.logicalSubnet;
    f.from = router.name;
    return 5 /* Decision.OnLink */;
  });
}

/** A destination and a source MAC as the three little-endian words of an Ethernet header's first 12 bytes. */
function macWords(dst: Uint8Array, src: Uint8Array): Int32Array {
  const h = new Uint8Array(12);
  writeMac(h, 0, dst);
  writeMac(h, 6, src);
  const v = new DataView(h.buffer);
  return Int32Array.of(v.getInt32(0, true), v.getInt32(4, true), v.getInt32(8, true));
}

/** The interface of `from`'s router on the subnet of `ip`. */
function interfaceTowards(from: RouterIfaceRt, ip: number): RouterIfaceRt | undefined {
  const all = from.siblings;
  for (let i = 0; i < all.length; i++) {
    const r = all[i];
    if ((ip & r.mask) === r.net) return r;
  }
  return undefined;
}

function routerWhere(iface: RouterIfaceRt): TraceWhere {
  return { routerId: iface.router.id, routerName: iface.router.name };
}
