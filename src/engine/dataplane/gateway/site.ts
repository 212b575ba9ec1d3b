// What lies beyond the L3 router, as a piece of the forwarder: an on-premises site's edge device
// ends the tenants' tunnels (GRE by key, ESP by SPI) and hands the inner packet to the host inside
// the site's prefixes; the internet's edge (the ISP router) takes packets for any address. A host
// out there answers a ping: its echo reply goes back the same way (through the tunnel, or plain to
// the NAT address), traced as a packet of its own.
import { u32ToIp } from '../../controller/addr';
import { Decision, type Forwarder } from '../forwarder';
import { ETH_IPV4, IP_GRE, IP_ICMP, ipChecksum, l4Checksum, type Parsed, put32 } from '../packet';
import { copyOf, HEADROOM, NO_WHERE, type Pkt } from '../steps';
import type { TraceWhere } from '../trace-types';
import { type ConnectionRt, type SiteRt, siteCovers, siteHasHost } from './edges';
import {
  ensureTail,
  espOpen,
  espSeal,
  espTrailer,
  greIpv4Fault,
  ipAsFrame,
  writeEth,
  writeEthIpv4,
  writeGreIpv4,
} from './frames';
import { nextHopMac } from './nextHop';

const IP_ESP = 50;

/** An echo reply a site's host sends back once the traced request is delivered. */
export interface SiteReply {
  label: string;
  where: TraceWhere;
  /** Puts the reply on the site's link: the forwarder's first decision for it. */
  start(fw: Forwarder): Decision;
}

export const siteWhere = (s: SiteRt): TraceWhere => ({
  hostName: s.name,
  edgeId: s.site.id,
  edgeName: s.name,
});

export function siteReceive(fw: Forwarder, s: SiteRt, pkt: Pkt, p: Parsed): Decision {
  const sink = fw.sink;
  const where = sink.on ? siteWhere(s) : NO_WHERE;
  if (sink.on)
    sink.emit({ type: 'edge-receive', device: `${s.name} edge ${u32ToIp(s.ip)}`, link: s.link.name }, where);
  if (p.etherType !== ETH_IPV4) return fw.drop(s.name, 'not an IPv4 packet', where);
  const b = pkt.buf;
  const end = p.l3 + p.ipLen;
  if (s.site.kind === 'internet') {
    if (!siteHasHost(s, p.ipDst))
      return fw.drop(
        s.name,
        `no host at ${u32ToIp(p.ipDst)} on ${s.name} answers (it has ${s.site.hosts?.join(', ')})`,
        where,
      );
    return deliver(fw, s, pkt, p.l3, null, where);
  }
  if (s.site.kind === 'physical') {
    // The physical network's router: plain IP from a gateway's L3 interface on its VLAN.
    const conn = l3ConnectionOf(fw, s, b, pkt.off + 6);
    if (!conn)
      return fw.drop(
        s.name,
        `the frame comes from no L3 connection whose peer is ${s.name}'s router ${u32ToIp(s.ip)}`,
        where,
      );
    if (!siteHasHost(s, p.ipDst))
      return fw.drop(
        s.name,
        siteCovers(s, p.ipDst)
          ? `no host at ${u32ToIp(p.ipDst)} in ${s.name} (its hosts: ${s.site.hosts?.join(', ')})`
          : `${u32ToIp(p.ipDst)} is not inside ${s.name} (${s.site.prefixes.join(', ')})`,
        where,
      );
    return deliver(fw, s, pkt, p.l3, conn, where);
  }
  if (p.ipDst !== s.ip)
    return fw.drop(
      s.name,
      `${u32ToIp(p.ipDst)} is not ${s.name}'s edge: the site takes tunnels to ${u32ToIp(s.ip)} only`,
      where,
    );
  const l4 = p.l4;
  let ip = -1;
  let conn: ConnectionRt | null = null;
  if (p.proto === IP_GRE) {
    const fault = greIpv4Fault(b, l4);
    if (fault) return fw.drop(s.name, fault, where);
    const key = ((b[l4 + 4] << 24) | (b[l4 + 5] << 16) | (b[l4 + 6] << 8) | b[l4 + 7]) >>> 0;
    conn = tunnelOf(fw, s, p.ipSrc, (c) => c.c.type === 'gre' && c.c.greKey === key);
    if (!conn)
      return fw.drop(s.name, `GRE key ${key} from ${u32ToIp(p.ipSrc)} is no tunnel of ${s.name}`, where);
    ip = l4 + 8;
    if (sink.on)
      sink.emit(
        {
          type: 'action',
          action: { type: 'gre-decap', key },
          text: `${s.name} edge: GRE key ${key} ('${conn.c.name}'), outer headers stripped`,
        },
        where,
        ipAsFrame(b, ip, end - ip, s.mac),
      );
  } else if (p.proto === IP_ESP) {
    const spi = ((b[l4] << 24) | (b[l4 + 1] << 16) | (b[l4 + 2] << 8) | b[l4 + 3]) >>> 0;
    const seq = ((b[l4 + 4] << 24) | (b[l4 + 5] << 16) | (b[l4 + 6] << 8) | b[l4 + 7]) >>> 0;
    conn = tunnelOf(fw, s, p.ipSrc, (c) => c.c.type === 'ipsec' && c.c.spiOut === spi);
    if (!conn) return fw.drop(s.name, `ESP SPI 0x${spi.toString(16)} names no SA at ${s.name}`, where);
    const opened = espOpen(b, l4, end, spi);
    if (!opened.ok) return fw.drop(s.name, opened.reason, where);
    ip = opened.ip;
    if (sink.on)
      sink.emit(
        {
          type: 'action',
          action: { type: 'esp-decap', spi, sequence: seq },
          text: `${s.name} edge: ESP SPI 0x${spi.toString(16)} ('${conn.c.name}'), ICV checked, sequence ${seq}, decrypted`,
        },
        where,
        ipAsFrame(b, ip, opened.len, s.mac),
      );
  } else
    return fw.drop(s.name, `IP protocol ${p.proto} to the edge: it ends GRE and IPsec tunnels only`, where);
  const dst = ((b[ip + 16] << 24) | (b[ip + 17] << 16) | (b[ip + 18] << 8) | b[ip + 19]) >>> 0;
  if (!siteCovers(s, dst))
    return fw.drop(s.name, `${u32ToIp(dst)} is not inside ${s.name} (${s.site.prefixes.join(', ')})`, where);
  if (!siteHasHost(s, dst))
    return fw.drop(
      s.name,
      `no host at ${u32ToIp(dst)} in ${s.name} (its hosts: ${s.site.hosts?.join(', ')})`,
      where,
    );
  return deliver(fw, s, pkt, ip, conn, where);
}

/** The tunnel connection (of any gateway) that ends at this site from `peer` and passes `test`. */
function tunnelOf(
  fw: Forwarder,
  s: SiteRt,
  peer: number,
  test: (c: ConnectionRt) => boolean,
): ConnectionRt | null {
  for (const g of fw.ctx.fabric.edges?.gateways ?? []) {
    if (g.extIp !== peer) continue;
    for (const c of g.compartments)
      for (const conn of c.connections) if (conn.site === s && test(conn)) return conn;
  }
  return null;
}

/** The L3 connection (of any gateway) on this site's VLAN whose peer is the site's router and whose interface has MAC `macAt`. */
function l3ConnectionOf(fw: Forwarder, s: SiteRt, b: Uint8Array, macAt: number): ConnectionRt | null {
  for (const g of fw.ctx.fabric.edges?.gateways ?? []) {
    const conn = g.l3ByLink.get(s.link.id);
    if (!conn || conn.l3?.peerIp !== s.ip) continue;
    const m = g.extMac;
    if (
      b[macAt] === m[0] &&
      b[macAt + 1] === m[1] &&
      b[macAt + 2] === m[2] &&
      b[macAt + 3] === m[3] &&
      b[macAt + 4] === m[4] &&
      b[macAt + 5] === m[5]
    )
      return conn;
  }
  return null;
}

function deliver(
  fw: Forwarder,
  s: SiteRt,
  pkt: Pkt,
  ip: number,
  conn: ConnectionRt | null,
  where: TraceWhere,
): Decision {
  const b = pkt.buf;
  const len = (b[ip + 2] << 8) | b[ip + 3];
  // Who got it, in words for a trace's verdict; untraced packets only count (no string per packet).
  const named = fw.sink.on || fw.guestReplies;
  const host = named ? u32ToIp(ipAt(b, ip + 16)) : '';
  const label = !named
    ? s.name
    : s.site.kind === 'internet'
      ? `internet host ${host}`
      : s.site.kind === 'physical'
        ? `host ${host} at ${s.name}`
        : `on-premises host ${host} at ${s.name}`;
  fw.outcome.delivered.push(label);
  fw.stats.delivered++;
  if (fw.sink.on) {
    const packet = ipAsFrame(b, ip, len, s.mac);
    fw.sink.emit({ type: 'deliver', vm: label, host: s.name, text: `delivered to ${label}` }, where, packet);
  }
  const l4 = ip + (b[ip] & 15) * 4;
  if (fw.guestReplies && b[ip + 9] === IP_ICMP && b[l4] === 8) {
    const request = b.slice(ip, ip + len);
    fw.siteReplies.push({
      label: `ICMP echo reply ${label.split(' at ')[0]} -> ${u32ToIp(ipAt(request, 12))}`,
      where,
      start: (f) => sendReply(f, s, conn, request, where),
    });
  }
  return Decision.Consumed;
}

const ipAt = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/** The host's echo reply, wrapped as its site sends it back: GRE, ESP, or plain (the internet). */
function sendReply(
  fw: Forwarder,
  s: SiteRt,
  conn: ConnectionRt | null,
  request: Uint8Array,
  where: TraceWhere,
): Decision {
  const len = request.length;
  const pkt: Pkt = { buf: new Uint8Array(HEADROOM + len + 64), off: HEADROOM, len };
  const b = pkt.buf;
  const ip = HEADROOM;
  b.set(request, ip);
  // Swap the addresses, echo reply (same id, sequence, data), a fresh TTL.
  put32(b, ip + 12, ipAt(request, 16));
  put32(b, ip + 16, ipAt(request, 12));
  b[ip + 8] = s.site.kind === 'internet' ? 115 : 128;
  b[ip + (b[ip] & 15) * 4] = 0;
  ipChecksum(b, ip);
  l4Checksum(b, ip);
  if (fw.sink.on)
    fw.sink.emit(
      { type: 'vm-send', vm: `${u32ToIp(ipAt(request, 16))}`, host: s.name },
      where,
      ipAsFrame(b, ip, len, s.mac),
    );
  // The next hop back: the gateway's front end (a tunnel), its L3 interface on the VLAN (an L3
  // connection: the reply stays plain IP to the VM's address), or the NAT address itself.
  const peer = conn?.l3 ? conn.l3.localIp : (conn?.compartment.gateway.extIp ?? ipAt(request, 12));
  let at = ip;
  let length = len;
  let proto = 0;
  if (conn?.c.type === 'gre') {
    at = writeGreIpv4(b, ip, conn.c.greKey);
    length = len + 8;
    proto = IP_GRE;
  } else if (conn?.c.type === 'ipsec') {
    ensureTail(pkt, espTrailer(len));
    const seq = ((s.espSeq.get(conn.c.spiIn) ?? 0) + 1) >>> 0;
    s.espSeq.set(conn.c.spiIn, seq);
    length = espSeal(pkt.buf, ip, len, conn.c.spiIn, seq);
    at = ip - 16;
    proto = IP_ESP;
  }
  const mac = nextHopMac(fw, s.nic, peer);
  if (!mac) return fw.drop(s.name, `no ARP answer on '${s.link.name}' towards ${u32ToIp(peer)}`, where);
  const start =
    proto === 0
      ? writeEth(pkt.buf, at, mac, s.mac, s.link.vlanId, ETH_IPV4)
      : writeEthIpv4(pkt.buf, at, {
          dstMac: mac,
          srcMac: s.mac,
          vlanId: s.link.vlanId,
          src: s.ip,
          dst: peer,
          proto,
          ttl: 64,
          id: ipAt(request, 4) >>> 16,
          df: false,
          payloadLength: length,
        });
  pkt.off = start;
  pkt.len = at + length - start;
  if (fw.sink.on && proto !== 0)
    fw.sink.emit(
      {
        type: 'action',
        action:
          proto === IP_GRE
            ? {
                type: 'gre-encap',
                key: conn?.c.type === 'gre' ? conn.c.greKey : 0,
                src: u32ToIp(s.ip),
                dst: u32ToIp(peer),
              }
            : {
                type: 'esp-encap',
                spi: conn?.c.type === 'ipsec' ? conn.c.spiIn : 0,
                sequence: conn?.c.type === 'ipsec' ? (s.espSeq.get(conn.c.spiIn) ?? 0) : 0,
                src: u32ToIp(s.ip),
                dst: u32ToIp(peer),
              },
        text: `${s.name} edge tunnels the reply back over '${conn?.c.name}' to ${u32ToIp(peer)}`,
      },
      where,
      copyOf(pkt),
    );
  fw.pkt = pkt;
  fw.link = s.link;
  fw.from = `${s.name} edge`;
  return Decision.OnLink;
}
