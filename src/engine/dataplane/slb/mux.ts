// The SLB pieces of the forwarder. A router reaches a VIP through the MUXes that announce it
// (BGP, as data: VIP/32 via each MUX, ECMP by hash). The MUX hashes the flow's tuple (Toeplitz,
// RSS's hash) to pick a healthy DIP for a new flow, remembers it (flow affinity: later packets
// go to the same DIP even after its probe fails), writes the inner Ethernet header (the DIP's
// MAC, from the distributed router's MAC of its subnet) and tunnels the packet in VXLAN (or
// NVGRE, the DIP subnet's) to the PA of the DIP's host. An external endpoint takes frames for
// its MAC. Nothing here allocates per packet on the untraced path.
import { u32ToIp } from '../../controller/addr';
import { formatMac } from '../../wire/bytes';
import { Decision, type Forwarder } from '../forwarder';
import {
  buildEncapHeader,
  ETH_IPV4,
  IP_TCP,
  ipChecksum,
  type Parsed,
  put16,
  vxlanSourcePort,
  writeMac,
} from '../packet';
import type { RouterIfaceRt } from '../runtime';
import { copyOf, NO_WHERE, type Pkt } from '../steps';
import type { TraceWhere } from '../trace-types';
import type { DipRt, EndpointRt, MuxRt, SlbDevice, SlbPlane, VipRuleRt } from './plane';
import { toeplitz } from './toeplitz';

const hex = (h: number) => `0x${(h >>> 0).toString(16).padStart(8, '0')}`;

function tupleText(p: Parsed): string {
  const proto = p.proto === IP_TCP ? 'TCP' : p.proto === 17 ? 'UDP' : `protocol ${p.proto}`;
  return `${u32ToIp(p.ipSrc)}:${p.srcPort} -> ${u32ToIp(p.ipDst)}:${p.dstPort} ${proto}`;
}

/** A frame on a link for a MUX or an external endpoint. */
export function slbReceive(fw: Forwarder, dev: SlbDevice, pkt: Pkt, p: Parsed): Decision {
  return dev.kind === 'mux' ? muxReceive(fw, dev, pkt, p) : endpointReceive(fw, dev);
}

function endpointReceive(fw: Forwarder, ep: EndpointRt): Decision {
  fw.stats.delivered++;
  if (fw.sink.on) {
    fw.sink.emit(
      { type: 'endpoint-receive', endpoint: ep.label, link: ep.ls.name },
      { logicalSubnetId: ep.ls.id, logicalSubnetName: ep.ls.name },
    );
    fw.outcome.delivered.push(ep.label);
  }
  return Decision.Consumed;
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

function muxReceive(fw: Forwarder, mux: MuxRt, pkt: Pkt, p: Parsed): Decision {
  const plane = fw.ctx.fabric.slb as SlbPlane;
  const sink = fw.sink;
  const where: TraceWhere = sink.on
    ? {
        hostId: mux.hostId,
        hostName: mux.hostName,
        logicalSubnetId: mux.ls.id,
        logicalSubnetName: mux.ls.name,
      }
    : NO_WHERE;
  const at = mux.at;
  if (p.etherType !== ETH_IPV4 || p.encap) return fw.drop(at, 'not a plain IPv4 packet for a VIP', where);
  const vip = plane.vipOf(p.ipDst);
  if (!vip) return fw.drop(at, `${u32ToIp(p.ipDst)} is not a VIP of any load balancer`, where);
  const rule = findRule(vip.rules, p.proto, p.dstPort);
  if (!rule)
    return fw.drop(
      at,
      `load balancer '${vip.lb.name}' has no load-balancing or inbound NAT rule for ${p.proto === IP_TCP ? 'TCP' : p.proto === 17 ? 'UDP' : `protocol ${p.proto}`}${p.proto === IP_TCP || p.proto === 17 ? ` port ${p.dstPort}` : ''} of VIP ${u32ToIp(p.ipDst)}`,
      where,
    );
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
