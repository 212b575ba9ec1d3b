// The SLB pieces of the forwarder. A router reaches a VIP through the MUXes that announce it
// (BGP, as data: VIP/32 via each MUX, ECMP by hash). The MUX hashes the flow's tuple (Toeplitz,
// RSS's hash) to pick a healthy DIP for a new flow, remembers it (flow affinity: later packets
// go to the same DIP even after its probe fails), writes the inner Ethernet header (the DIP's
// MAC, from the distributed router's MAC of its subnet) and tunnels the packet in VXLAN (or
// NVGRE, the DIP subnet's) to the PA of the DIP's host. An external endpoint takes frames for
// its MAC. Nothing here allocates per packet on the untraced path.
import { u32ToIp } from '../../controller/addr';
import { toeplitz } from '../../net/toeplitz';
import { formatMac } from '../../wire/bytes';
import { Decision, type Forwarder } from '../forwarder';
import type { SiteReply } from '../gateway/site';
import {
  buildEncapHeader,
  buildIpFrame,
  ETH_IPV4,
  fnv,
  IP_TCP,
  ipChecksum,
  type Parsed,
  pushVlanTag,
  put16,
  put32,
  vxlanSourcePort,
  writeMac,
} from '../packet';
import type { RouterIfaceRt } from '../runtime';
import { copyOf, NO_WHERE, type Pkt, pktOf } from '../steps';
import type { TraceWhere } from '../trace-types';
import type { DipRt, EndpointRt, MuxRt, SlbDevice, SlbPlane, VipRt, VipRuleRt } from './plane';

const hex = (h: number) => `0x${(h >>> 0).toString(16).padStart(8, '0')}`;

function tupleText(p: Parsed): string {
  const proto = p.proto === IP_TCP ? 'TCP' : p.proto === 17 ? 'UDP' : `protocol ${p.proto}`;
  return `${u32ToIp(p.ipSrc)}:${p.srcPort} -> ${u32ToIp(p.ipDst)}:${p.dstPort} ${proto}`;
}

/** A frame on a link for a MUX or an external endpoint. */
export function slbReceive(fw: Forwarder, dev: SlbDevice, pkt: Pkt, p: Parsed): Decision {
  return dev.kind === 'mux' ? muxReceive(fw, dev, pkt, p) : endpointReceive(fw, dev, pkt, p);
}

/** Where an external endpoint is, for a trace: its link, and itself. */
export const endpointWhere = (ep: EndpointRt): TraceWhere => ({
  logicalSubnetId: ep.ls.id,
  logicalSubnetName: ep.ls.name,
  edgeId: ep.id,
  edgeName: ep.label,
});

function endpointReceive(fw: Forwarder, ep: EndpointRt, pkt: Pkt, p: Parsed): Decision {
  fw.stats.delivered++;
  if (fw.sink.on) {
    fw.sink.emit({ type: 'endpoint-receive', endpoint: ep.label, link: ep.ls.name }, endpointWhere(ep));
    fw.outcome.delivered.push(ep.label);
    // A traced TCP SYN to the endpoint (a VM's outbound connection) is answered: its SYN-ACK
    // goes back to the address and port the SYN came from (the VIP and its SNAT port).
    const b = pkt.buf;
    if (fw.guestReplies && p.etherType === ETH_IPV4 && p.proto === IP_TCP && (b[p.l4 + 13] & 0x12) === 0x02)
      fw.siteReplies.push(endpointSynAck(ep, b, p));
  }
  return Decision.Consumed;
}

/** The endpoint's SYN-ACK to a SYN it received (`p` read from `b`): a reply the trace runs next. */
function endpointSynAck(ep: EndpointRt, b: Uint8Array, p: Parsed): SiteReply {
  const seq = ((b[p.l4 + 4] << 24) | (b[p.l4 + 5] << 16) | (b[p.l4 + 6] << 8) | b[p.l4 + 7]) >>> 0;
  const to = p.ipSrc;
  const srcPort = p.dstPort;
  const dstPort = p.srcPort;
  const ls = ep.ls;
  const where = endpointWhere(ep);
  const seed = new Uint8Array(12);
  put32(seed, 0, ep.ip);
  put32(seed, 4, to);
  put32(seed, 8, ((srcPort << 16) | dstPort) >>> 0);
  return {
    label: `TCP SYN, ACK ${ep.label} ${u32ToIp(ep.ip)}:${srcPort} -> ${u32ToIp(to)}:${dstPort}`,
    where,
    start(fw) {
      const gateway = parseIp(ls.defaultGateway);
      const hop = fw.ctx.physical.arpOnLink(
        fw.sink,
        ep.arp,
        ls,
        { name: ep.label, mac: ep.mac, ip: ep.ip },
        gateway,
      );
      if (!hop)
        return fw.drop(ep.label, `no ARP answer for its gateway ${ls.defaultGateway} on '${ls.name}'`, where);
      let frame = buildIpFrame({
        srcMac: ep.mac,
        dstMac: hop.mac,
        srcIp: ep.ip,
        dstIp: to,
        proto: IP_TCP,
        ttl: 64,
        id: fnv(seed, 0, 12) & 0xffff,
        df: true,
        totalLength: 40,
        srcPort,
        dstPort,
        icmpType: 0,
        icmpCode: 0,
        icmpId: 0,
        icmpSeq: 0,
        tcpFlags: 0x12,
        tcpSeq: fnv(seed, 0, 12),
        tcpAck: (seq + 1) >>> 0,
      });
      if (ls.vlanId > 0) frame = pushVlanTag(frame, ls.vlanId);
      fw.pkt = pktOf(frame);
      fw.link = ls;
      fw.from = ep.label;
      return Decision.OnLink;
    },
  };
}

/**
 * A router's route to a destination off its links: a VIP the MUXes announce. Returns the next
 * hop (a MUX's IP, by ECMP hash when several announce it), or -1.
 */
export function vipNextHop(fw: Forwarder, plane: SlbPlane, iface: RouterIfaceRt, p: Parsed): number {
  const vip = plane.vipOf(p.ipDst);
  if (!vip) return -1;
  const muxes = plane.muxes;
  const links = iface.siblings;
  // Count the MUXes on this router's links (every one peers with it), then take the hash's pick.
  let n = 0;
  for (let i = 0; i < muxes.length; i++) if (reaches(links, muxes[i])) n++;
  if (n === 0) return -1;
  const hash = toeplitz(p.ipSrc, p.ipDst, ((p.srcPort << 16) | p.dstPort) >>> 0, 32);
  let k = hash % n;
  let chosen: MuxRt | null = null;
  for (let i = 0; i < muxes.length && chosen === null; i++)
    if (reaches(links, muxes[i]) && k-- === 0) chosen = muxes[i];
  if (!chosen) return -1;
  if (fw.sink.on) {
    const peers = muxes.filter((m) => reaches(links, m));
    fw.sink.emit(
      {
        type: 'bgp-route',
        router: iface.router.name,
        dst: u32ToIp(p.ipDst),
        prefix: `${vip.lb.frontendIp}/32`,
        nextHops: peers.map((m) => ({ ip: u32ToIp(m.ip), mux: m.name })),
        chosen: `${chosen.name} ${u32ToIp(chosen.ip)}`,
        hash: hex(hash),
        origin: `BGP peer MUX ${peers.map((m) => `'${m.name}' (AS ${m.asn})`).join(', ')}: VIP of load balancer '${vip.lb.name}'`,
      },
      { routerId: iface.router.id, routerName: iface.router.name },
    );
  }
  return chosen.ip;
}

function reaches(links: RouterIfaceRt[], m: MuxRt): boolean {
  for (let i = 0; i < links.length; i++) if (links[i].logicalSubnet.id === m.ls.id) return true;
  return false;
}

function findRule(rules: VipRuleRt[], proto: number, port: number): VipRuleRt | null {
  for (let i = 0; i < rules.length; i++)
    if (rules[i].proto === proto && rules[i].frontendPort === port) return rules[i];
  return null;
}

/** Where a MUX is, for a trace; serving a VIP, that VIP's load balancer too. */
const muxWhere = (mux: MuxRt, vip: VipRt | null): TraceWhere => ({
  hostId: mux.hostId,
  hostName: mux.hostName,
  logicalSubnetId: mux.ls.id,
  logicalSubnetName: mux.ls.name,
  edgeId: mux.id,
  edgeName: mux.name,
  serviceId: vip?.lb.id,
});

function muxReceive(fw: Forwarder, mux: MuxRt, pkt: Pkt, p: Parsed): Decision {
  const plane = fw.ctx.fabric.slb as SlbPlane;
  const sink = fw.sink;
  let where: TraceWhere = sink.on ? muxWhere(mux, null) : NO_WHERE;
  const at = mux.at;
  if (p.etherType !== ETH_IPV4 || p.encap) return fw.drop(at, 'not a plain IPv4 packet for a VIP', where);
  const vip = plane.vipOf(p.ipDst);
  if (!vip) return fw.drop(at, `${u32ToIp(p.ipDst)} is not a VIP of any load balancer`, where);
  if (sink.on) where = muxWhere(mux, vip);
  const rule = findRule(vip.rules, p.proto, p.dstPort);
  if (!rule) {
    // An answer to a DIP's outbound NAT connection: the port's slice names the DIP (no state).
    const owner = plane.snatOwner(p.ipDst, p.proto, p.dstPort);
    if (owner === null) return fw.drop(at, noRuleReason(vip, p), where);
    const dip = owner.dip;
    if (dip === null)
      return fw.drop(
        at,
        `port ${p.dstPort} of VIP ${u32ToIp(p.ipDst)} is in the outbound NAT slice of a DIP with no lookup record`,
        where,
      );
    const hash = toeplitz(p.ipSrc, p.ipDst, ((p.srcPort << 16) | p.dstPort) >>> 0, 32);
    if (sink.on)
      sink.emit(
        {
          type: 'slb-mux-snat',
          mux: mux.name,
          host: mux.hostName,
          loadBalancer: vip.lb.name,
          rule: owner.slice.rule,
          tuple: tupleText(p),
          port: p.dstPort,
          slice: `${owner.slice.portStart}-${owner.slice.portEnd}`,
          chosen: { dip: u32ToIp(dip.caIp), vm: dip.vm, host: dip.hostName, pa: u32ToIp(dip.pa) },
        },
        where,
      );
    return tunnel(fw, mux, pkt, p, dip, hash, where);
  }
  const ports = ((p.srcPort << 16) | p.dstPort) >>> 0;
  const extra = rule.hashBits === 32 ? ports : rule.hashBits === 8 ? (p.proto << 24) >>> 0 : 0;
  const hash = toeplitz(p.ipSrc, p.ipDst, extra, rule.hashBits);
  // Flow affinity: a known flow keeps its DIP while that DIP is still in the rule's pool.
  const known = mux.flows.get(p.ipSrc, p.ipDst, ports, p.proto);
  let dip: DipRt | null = known >= 0 ? plane.dipByNumber[known] : null;
  if (dip !== null && rule.healthy[dip.n] === undefined) dip = null;
  const existing = dip !== null;
  if (dip === null) {
    const up = rule.up;
    if (up.length === 0)
      return fw.drop(
        at,
        `every DIP of ${rule.what} of load balancer '${vip.lb.name}' fails its health probe: no DIP for a new flow`,
        where,
      );
    dip = up[hash % up.length];
    mux.flows.set(p.ipSrc, p.ipDst, ports, p.proto, dip.n);
  }
  if (sink.on)
    sink.emit(
      {
        type: 'slb-mux',
        mux: mux.name,
        host: mux.hostName,
        loadBalancer: vip.lb.name,
        rule: rule.what,
        tuple: tupleText(p),
        distribution: rule.distribution,
        hash: hex(hash),
        dips: rule.dips.map((d) => ({ dip: u32ToIp(d.caIp), vm: d.vm, healthy: rule.healthy[d.n] })),
        chosen: { dip: u32ToIp(dip.caIp), vm: dip.vm, host: dip.hostName, pa: u32ToIp(dip.pa) },
        flow: existing ? 'existing' : 'new',
      },
      where,
    );
  return tunnel(fw, mux, pkt, p, dip, hash, where);
}

/** Why a packet to a VIP port no rule and no outbound NAT slice holds is dropped. */
function noRuleReason(vip: VipRt, p: Parsed): string {
  const proto = p.proto === IP_TCP ? 'TCP' : p.proto === 17 ? 'UDP' : `protocol ${p.proto}`;
  const hasPorts = p.proto === IP_TCP || p.proto === 17;
  if (hasPorts) {
    const n = vip.lb.backendVnicIds.length;
    for (const r of vip.lb.outboundNatRules) {
      const covers = r.protocol === 'all' || (r.protocol === 'tcp') === (p.proto === IP_TCP);
      if (covers && p.dstPort >= r.portRangeStart && p.dstPort <= r.portRangeEnd) {
        const size = n === 0 ? 0 : Math.floor((r.portRangeEnd - r.portRangeStart + 1) / n);
        return `${proto} port ${p.dstPort} of VIP ${u32ToIp(p.ipDst)} is in outbound NAT rule '${r.name}' (${r.portRangeStart}-${r.portRangeEnd}) of load balancer '${vip.lb.name}' but in no DIP's SNAT slice (${n} DIPs x ${size} ports from ${r.portRangeStart}): left over, no DIP owns it`;
      }
    }
  }
  return `load balancer '${vip.lb.name}' has no load-balancing or inbound NAT rule for ${proto}${hasPorts ? ` port ${p.dstPort}` : ''} of VIP ${u32ToIp(p.ipDst)}, and no DIP's outbound NAT slice holds it`;
}

/** The MUX tunnels the packet (destination still the VIP) to the DIP's host. */
function tunnel(
  fw: Forwarder,
  mux: MuxRt,
  pkt: Pkt,
  p: Parsed,
  dip: DipRt,
  hash: number,
  where: TraceWhere,
): Decision {
  const sink = fw.sink;
  const at = mux.at;
  const template = outerHeader(fw, mux, dip);
  if (!template) return fw.drop(at, `no ARP answer for the next hop toward PA ${u32ToIp(dip.pa)}`, where);
  // The inner frame: the IP packet as it came, behind the DIP's MAC and its subnet's router MAC.
  const b = pkt.buf;
  const inner = p.l3 - 14;
  writeMac(b, inner, dip.mac);
  writeMac(b, inner + 6, dip.gatewayMac);
  put16(b, inner + 12, ETH_IPV4);
  const innerLen = pkt.off + pkt.len - inner;
  const off = inner - template.length;
  b.set(template, off);
  const vlan = b[off + 12] === 0x81 && b[off + 13] === 0;
  const ip = off + (vlan ? 18 : 14);
  const ipLen = template.length - (ip - off) + innerLen;
  mux.ipId = (mux.ipId + 1) & 0xffff;
  put16(b, ip + 2, ipLen);
  put16(b, ip + 4, mux.ipId);
  ipChecksum(b, ip);
  if (b[ip + 9] === 17) {
    put16(b, ip + 20, vxlanSourcePort(hash));
    put16(b, ip + 24, ipLen - 20);
  }
  pkt.off = off;
  pkt.len = template.length + innerLen;
  if (sink.on)
    sink.emit(
      {
        type: 'action',
        action: {
          type: 'encap',
          encapsulation: dip.encapsulation,
          vsid: dip.vsid,
          srcPa: u32ToIp(mux.ip),
          dstPa: u32ToIp(dip.pa),
        },
        text: `${mux.name} encapsulates in ${dip.encapsulation.toUpperCase()} ${dip.encapsulation === 'vxlan' ? 'VNI' : 'VSID'} ${dip.vsid}: ${u32ToIp(mux.ip)} -> PA ${u32ToIp(dip.pa)} of ${dip.hostName}; inner eth ${formatMac(dip.gatewayMac)} -> ${formatMac(dip.mac)} (${dip.vm}), destination still the VIP`,
      },
      where,
      copyOf(pkt),
    );
  fw.link = mux.ls;
  fw.from = mux.name;
  return Decision.OnLink;
}

/** The MUX's outer headers toward a DIP's host (next hop by ARP on the MUX's link), once per DIP. */
function outerHeader(fw: Forwarder, mux: MuxRt, dip: DipRt): Uint8Array | null {
  const cached = mux.templates.get(dip.n);
  if (cached) return cached;
  const ls = mux.ls;
  const [net, len] = ls.prefix.split('/');
  const bits = Number(len);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const sameLink = (dip.pa & mask) >>> 0 === (parseIp(net) & mask) >>> 0;
  const nextHop = sameLink ? dip.pa : parseIp(ls.defaultGateway);
  const hop = fw.ctx.physical.arpOnLink(
    fw.sink,
    mux.arp,
    ls,
    { name: mux.name, mac: mux.mac, ip: mux.ip },
    nextHop,
  );
  if (!hop) return null;
  const t = buildEncapHeader(
    {
      kind: dip.encapsulation,
      vsid: dip.vsid,
      srcMac: mux.mac,
      dstMac: hop.mac,
      vlanId: ls.vlanId,
      srcPa: mux.ip,
      dstPa: dip.pa,
      ipId: 0,
      flowHash: 0,
    },
    0,
  );
  mux.templates.set(dip.n, t);
  return t;
}

function parseIp(text: string): number {
  const [a, b, c, d] = text.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}
