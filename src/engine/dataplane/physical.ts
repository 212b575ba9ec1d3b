// The physical network under the overlay: logical subnets as links (VLAN, MTU), L3 routers
// (outer TTL-1, MAC rewrite, each subnet's VLAN, ICMP fragmentation-needed when a DF packet
// does not fit the next link) and ARP for the outer next hops, with each router's ARP cache.
// Hosts plug in through the context: the data plane hands a host's frames in, takes frames for
// a host's MACs back.
import { u32ToIp } from '../controller/addr';
import type { LogicalSubnet } from '../model/schema';
import { formatMac } from '../wire/bytes';
import {
  BROADCAST_MAC,
  buildArp,
  buildIcmpError,
  decrementTtl,
  ETH_IPV4,
  ETH_VLAN,
  fnv,
  newParsed,
  type Parsed,
  parseInto,
  put16,
  writeMac,
  ZERO_MAC,
} from './packet';
import type { Fabric, HostRt, RouterIfaceRt } from './runtime';
import { add, copyOf, HEADROOM, NO_WHERE, type Pkt } from './steps';
import type { TraceNode, TraceWhere } from './trace-types';

/** What the physical network needs from the data plane around it. */
export interface PhysicalContext {
  readonly fabric: Fabric;
  /** Frames of the trace being recorded, in order (null: not tracing). */
  readonly frames: { where: string; frame: Uint8Array }[] | null;
  dropped(at: string, reason: string, parent: TraceNode | null, where: TraceWhere): void;
  /** A frame addressed to one of a host's team MACs arrives on its uplink. */
  hostReceive(host: HostRt, pkt: Pkt, p: Parsed, parent: TraceNode | null): void;
}

export class PhysicalNetwork {
  /** Each physical router's ARP cache, IP -> MAC, over all its links. */
  private routerArp = new Map<string, Map<number, Uint8Array>>();
  /** The headers of the frame on each nested hop (see wireSend). */
  private hopViews: Parsed[] = [];
  private depth = 0;

  constructor(private readonly ctx: PhysicalContext) {}

  /** Every router forgets what it learnt (hosts' PA caches live on their HostRt). */
  forgetArp(): void {
    this.routerArp.clear();
  }

  /** A host sends a frame out of its uplink onto its logical subnet. */
  uplinkSend(host: HostRt, pkt: Pkt, parent: TraceNode | null): void {
    const ls = host.logicalSubnet;
    if (!ls) return;
    this.wireSend(ls, pkt, parent ? `${host.name} uplink` : '', parent);
  }

  /** A frame goes onto a link: one reading of its headers per hop, reused (routers nest hops). */
  wireSend(ls: LogicalSubnet, pkt: Pkt, from: string, parent: TraceNode | null): void {
    let p = this.hopViews[this.depth];
    if (!p) {
      p = newParsed();
      this.hopViews[this.depth] = p;
    }
    parseInto(p, pkt.buf, pkt.off);
    this.depth++;
    try {
      this.onLink(ls, pkt, p, from, parent);
    } finally {
      this.depth--;
    }
  }

  private onLink(ls: LogicalSubnet, pkt: Pkt, p: Parsed, from: string, parent: TraceNode | null): void {
    const where: TraceWhere = parent ? { logicalSubnetId: ls.id, logicalSubnetName: ls.name } : NO_WHERE;
    if (parent) {
      const frame = copyOf(pkt);
      add(parent, {
        kind: 'hop',
        title: `on the wire: logical subnet '${ls.name}' (${ls.prefix}, VLAN ${ls.vlanId}, MTU ${ls.mtu}) from ${from}`,
        where,
        frame,
        from,
        to: `link '${ls.name}'`,
        children: [],
      });
      this.ctx.frames?.push({ where: `link '${ls.name}'`, frame });
    }
    const expected = ls.vlanId > 0 ? ls.vlanId : -1;
    if (p.vlanId !== expected) {
      this.ctx.dropped(
        `link '${ls.name}'`,
        `frame tagged VLAN ${p.vlanId} on a link with VLAN ${ls.vlanId}`,
        parent,
        where,
      );
      return;
    }
    if (p.ipLen > ls.mtu) {
      this.ctx.dropped(
        `link '${ls.name}'`,
        `${p.ipLen}-byte packet exceeds MTU ${ls.mtu} of logical subnet '${ls.name}'`,
        parent,
        where,
      );
      return;
    }
    const iface = this.ctx.fabric.routerIfaceByMac.get(pkt.buf, pkt.off);
    if (iface && iface.logicalSubnet.id === ls.id) {
      this.routerReceive(iface, pkt, p, parent);
      return;
    }
    const host = this.ctx.fabric.hostByMac.get(pkt.buf, pkt.off);
    if (host && host.logicalSubnet?.id === ls.id) {
      this.ctx.hostReceive(host, pkt, p, parent);
      return;
    }
    this.ctx.dropped(
      `link '${ls.name}'`,
      `no device with MAC ${formatMac(pkt.buf.subarray(pkt.off, pkt.off + 6))} on the link`,
      parent,
      where,
    );
  }

  /** A physical L3 router: outer TTL-1, MACs rewritten, the egress subnet's VLAN. */
  private routerReceive(iface: RouterIfaceRt, pkt: Pkt, p: Parsed, parent: TraceNode | null): void {
    const router = iface.router;
    const egress = this.interfaceTowards(iface, p.ipDst);
    if (!egress) {
      this.ctx.dropped(router.name, `no interface towards ${u32ToIp(p.ipDst)}`, parent, routerWhere(iface));
      return;
    }
    if (p.ttl <= 1) {
      this.ctx.dropped(router.name, 'outer TTL expired', parent, routerWhere(iface));
      return;
    }
    // The next hop's MAC: the router's ARP cache, else an ARP exchange on the egress link.
    const cache = this.routerArpCache(router.id);
    const known = cache.get(p.ipDst);
    const mac =
      known ??
      this.arpOnLink(
        cache,
        egress.logicalSubnet,
        { name: router.name, mac: egress.mac, ip: egress.ip },
        p.ipDst,
        parent,
      )?.mac;
    if (parent)
      add(parent, {
        kind: 'lookup',
        title: mac
          ? `${router.name}: ${u32ToIp(p.ipDst)} via interface on '${egress.logicalSubnet.name}', ${known ? 'ARP cache' : 'ARP'} -> ${formatMac(mac)} (${this.ownerOnLink(egress.logicalSubnet, p.ipDst)?.name ?? '?'})`
          : `${router.name}: no ARP answer for ${u32ToIp(p.ipDst)}`,
        where: {
          ...routerWhere(iface),
          logicalSubnetId: egress.logicalSubnet.id,
          logicalSubnetName: egress.logicalSubnet.name,
        },
        table: `${router.name} routing table + ARP cache`,
        key: u32ToIp(p.ipDst),
        result: mac
          ? `${egress.logicalSubnet.prefix} VLAN ${egress.logicalSubnet.vlanId}, ${formatMac(mac)}`
          : null,
        children: [],
      });
    if (!mac) {
      this.ctx.dropped(router.name, `no ARP answer for ${u32ToIp(p.ipDst)}`, parent, routerWhere(iface));
      return;
    }
    const egressMtu = egress.logicalSubnet.mtu;
    if (p.ipLen > egressMtu) {
      this.ctx.dropped(
        router.name,
        `${p.ipLen}-byte packet does not fit MTU ${egressMtu} of logical subnet '${egress.logicalSubnet.name}' (the next link)${p.df ? '' : ' and routers here do not fragment'}`,
        parent,
        routerWhere(iface),
      );
      if (p.df) this.fragNeeded(iface, pkt, p, egressMtu, parent);
      return;
    }
    // The IP packet stays where it is; the new Ethernet header (the egress subnet's VLAN tag, if
    // any) is written in front of it, into the headroom. No copy, no allocation.
    const b = pkt.buf;
    const vlanId = egress.logicalSubnet.vlanId;
    const off = p.l3 - (vlanId > 0 ? 18 : 14);
    writeMac(b, off, mac);
    writeMac(b, off + 6, egress.mac);
    if (vlanId > 0) {
      put16(b, off + 12, ETH_VLAN);
      put16(b, off + 14, vlanId);
      put16(b, off + 16, ETH_IPV4);
    } else put16(b, off + 12, ETH_IPV4);
    pkt.len += pkt.off - off;
    pkt.off = off;
    decrementTtl(b, p.l3);
    if (parent)
      add(parent, {
        kind: 'action',
        title: `${router.name} routes: outer TTL ${p.ttl} -> ${p.ttl - 1}, eth ${formatMac(egress.mac)} -> ${formatMac(mac)}, VLAN ${p.vlanId < 0 ? 'none' : p.vlanId} -> ${egress.logicalSubnet.vlanId}`,
        where: routerWhere(iface),
        frame: copyOf(pkt),
        action: { type: 'set-field', field: 'ip.ttl', value: p.ttl - 1 },
        children: [],
      });
    this.wireSend(egress.logicalSubnet, pkt, router.name, parent);
  }

  /**
   * A router could not forward a DF packet: ICMP fragmentation needed (type 3 code 4, RFC 1191)
   * from the interface it arrived on, back to the packet's source PA, quoting its IP header and
   * the first 8 bytes behind it.
   */
  private fragNeeded(iface: RouterIfaceRt, pkt: Pkt, p: Parsed, mtu: number, parent: TraceNode | null): void {
    const router = iface.router;
    const back = this.interfaceTowards(iface, p.ipSrc);
    if (!back) return;
    const mac = this.arpOnLink(
      this.routerArpCache(router.id),
      back.logicalSubnet,
      { name: router.name, mac: back.mac, ip: back.ip },
      p.ipSrc,
      parent,
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
    if (parent)
      add(parent, {
        kind: 'output',
        title: `${router.name} sends ICMP fragmentation needed (type 3 code 4, next-hop MTU ${mtu}) back to ${u32ToIp(p.ipSrc)}`,
        where: {
          routerId: router.id,
          routerName: router.name,
          logicalSubnetId: back.logicalSubnet.id,
          logicalSubnetName: back.logicalSubnet.name,
        },
        frame,
        to: u32ToIp(p.ipSrc),
        icmp: { type: 3, code: 4, fromIp: u32ToIp(back.ip), toIp: u32ToIp(p.ipSrc), nextHopMtu: mtu },
        children: [],
      });
    const buf = new Uint8Array(HEADROOM + frame.length);
    buf.set(frame, HEADROOM);
    this.wireSend(back.logicalSubnet, { buf, off: HEADROOM, len: frame.length }, router.name, parent);
  }

  /** The router's interface on the subnet of `ip`. */
  /** The interface of `from`'s router on the subnet of `ip`. */
  private interfaceTowards(from: RouterIfaceRt, ip: number): RouterIfaceRt | undefined {
    const all = from.siblings;
    for (let i = 0; i < all.length; i++) {
      const r = all[i];
      if ((ip & r.mask) >>> 0 === r.net) return r;
    }
    return undefined;
  }

  private routerArpCache(routerId: string): Map<number, Uint8Array> {
    let cache = this.routerArp.get(routerId);
    if (!cache) {
      cache = new Map();
      this.routerArp.set(routerId, cache);
    }
    return cache;
  }

  /** Who answers ARP for an IP on a PA link: a router interface or a host's PA there. */
  private ownerOnLink(
    ls: LogicalSubnet,
    ip: number,
  ): { name: string; mac: Uint8Array; learn: Map<number, Uint8Array> } | null {
    const iface = this.ctx.fabric.routerIfaces.find((r) => r.ip === ip && r.logicalSubnet.id === ls.id);
    if (iface)
      return {
        name: `${iface.router.name} (gateway of '${ls.name}')`,
        mac: iface.mac,
        learn: this.routerArpCache(iface.router.id),
      };
    const host = this.ctx.fabric.paOwner.get(ip);
    const mac = host?.logicalSubnet?.id === ls.id ? host.paMac.get(ip) : undefined;
    return host && mac ? { name: host.name, mac, learn: host.paArp } : null;
  }

  /**
   * ARP on a PA link (RFC 826). From the sender's cache if it has the next hop; else a broadcast
   * who-has goes out on the link (its VLAN) and the owner answers, both frames on the wire. The
   * owner learns the asker on the way, as RFC 826 says, so the answer's return trip needs no ARP.
   */
  arpOnLink(
    cache: Map<number, Uint8Array>,
    ls: LogicalSubnet,
    sender: { name: string; mac: Uint8Array; ip: number },
    target: number,
    parent: TraceNode | null,
  ): { name: string; mac: Uint8Array } | null {
    const cached = cache.get(target);
    if (cached) return { name: this.ownerOnLink(ls, target)?.name ?? '', mac: cached };
    const owner = this.ownerOnLink(ls, target);
    const where: TraceWhere = { logicalSubnetId: ls.id, logicalSubnetName: ls.name };
    const link = `link '${ls.name}'`;
    if (parent) {
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
      add(parent, {
        kind: 'hop',
        title: `ARP on '${ls.name}': ${sender.name} asks who has ${u32ToIp(target)} (broadcast${ls.vlanId > 0 ? `, VLAN ${ls.vlanId}` : ''})`,
        where,
        frame: request,
        from: sender.name,
        to: link,
        aside: true,
        arp: { op: 'request', senderIp: u32ToIp(sender.ip), targetIp: u32ToIp(target) },
        children: [],
      });
      this.ctx.frames?.push({ where: link, frame: request });
    }
    if (!owner) return null;
    owner.learn.set(sender.ip, sender.mac);
    cache.set(target, owner.mac);
    if (parent) {
      const reply = buildArp(2, owner.mac, sender.mac, owner.mac, target, sender.mac, sender.ip, ls.vlanId);
      add(parent, {
        kind: 'hop',
        title: `ARP on '${ls.name}': ${owner.name} answers ${u32ToIp(target)} is at ${formatMac(owner.mac)}`,
        where,
        frame: reply,
        from: owner.name,
        to: sender.name,
        aside: true,
        arp: { op: 'reply', senderIp: u32ToIp(target), targetIp: u32ToIp(sender.ip) },
        children: [],
      });
      this.ctx.frames?.push({ where: link, frame: reply });
    }
    return owner;
  }
}

function routerWhere(iface: RouterIfaceRt): TraceWhere {
  return { routerId: iface.router.id, routerName: iface.router.name };
}
