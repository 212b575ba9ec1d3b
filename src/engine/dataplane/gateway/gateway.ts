// The RAS gateway VM as a piece of the forwarder. Its internal NIC takes a tenant's VXLAN/NVGRE
// packet off its host's logical subnet, decapsulates it into the tenant's compartment (by VSID),
// routes it by the compartment's routes and sends it out of its external NIC: SNATed to the
// public IP, or tunnelled to the on-premises site in GRE (the tenant's key) or ESP (the SA's SPI).
// The way back: the external NIC takes GRE (by key), ESP (by SPI) or the answer to a NAT
// mapping, and the compartment sends it to the VM's host in VXLAN/NVGRE, by the CA-PA mapping.
import { ipToU32, macToBytes, u32ToIp } from '../../controller/addr';
import { formatMac } from '../../wire/bytes';
import { Decision, type Forwarder } from '../forwarder';
import {
  decrementTtl,
  ETH_IPV4,
  fnv,
  IP_GRE,
  IP_ICMP,
  IP_TCP,
  IP_UDP,
  ipChecksum,
  ipChecksumOk,
  l4Checksum,
  newParsed,
  nvgreFlowId,
  type Parsed,
  parseInto,
  put16,
  put32,
  vxlanSourcePort,
} from '../packet';
import { copyOf, NO_WHERE, type Pkt } from '../steps';
import type { TraceWhere } from '../trace-types';
import {
  type CompartmentRt,
  type ConnectionRt,
  compartmentRoute,
  type EdgeDevice,
  type GatewayRt,
  type TenantSubnetRt,
} from './edges';
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
  writeIpv4,
} from './frames';
import { nextHopMac } from './nextHop';
import { siteReceive } from './site';

const IP_ESP = 50;
/** The inner packet's headers (one reading at a time: the gateway is not re-entered mid-packet). */
const inner: Parsed = newParsed();

/** A frame for an edge device on a link: the device's piece decides. */
export function edgeReceive(fw: Forwarder, dev: EdgeDevice, pkt: Pkt, p: Parsed): Decision {
  if (dev.kind === 'site') return siteReceive(fw, dev.site, pkt, p);
  const g = dev.gateway;
  const where = fw.sink.on ? gatewayWhere(g) : NO_WHERE;
  // The external NIC also carries the compartments' L3 interfaces, one per VLAN: the link the
  // frame came in on tells which.
  const link = fw.link;
  const l3 =
    dev.kind === 'gateway-external' && link !== null && link.id !== g.extLink?.id
      ? g.l3ByLink.get(link.id)
      : undefined;
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'edge-receive',
        device: l3
          ? `${g.name} L3 interface ${l3.c.type === 'l3' ? l3.c.localIp : ''} (VLAN ${l3.l3?.vlanId})`
          : `${g.name} ${dev.kind === 'gateway-internal' ? 'internal NIC' : 'external NIC'}`,
        link: (l3 ? link : dev.kind === 'gateway-internal' ? g.link : g.extLink)?.name ?? '?',
      },
      where,
    );
  if (p.etherType !== ETH_IPV4) return fw.drop(g.name, 'not an IPv4 packet', where);
  if (!ipChecksumOk(pkt.buf, p.l3))
    return fw.drop(g.name, `${l3 ? '' : 'outer '}IPv4 header checksum is wrong`, where);
  if (l3) return fromL3(fw, g, l3, pkt, p, where);
  return dev.kind === 'gateway-internal'
    ? fromTenant(fw, g, pkt, p, where)
    : fromOutside(fw, g, pkt, p, where);
}

/** Where the gateway VM is, for a trace; in a tenant's compartment, that tenant's virtual gateway too. */
export const gatewayWhere = (g: GatewayRt, c?: CompartmentRt): TraceWhere => ({
  hostId: g.gw.hostId,
  hostName: g.name,
  edgeId: g.gw.id,
  edgeName: g.name,
  serviceId: c?.vg.id,
});

/** A tenant's packet in VXLAN/NVGRE to the gateway's PA: into its compartment, then out. */
function fromTenant(fw: Forwarder, g: GatewayRt, pkt: Pkt, p: Parsed, outside: TraceWhere): Decision {
  let where = outside;
  const sink = fw.sink;
  if (p.ipDst !== g.pa)
    return fw.drop(g.name, `outer destination ${u32ToIp(p.ipDst)} is not ${g.name}'s PA`, where);
  if (p.encap === null)
    return fw.drop(g.name, 'not VXLAN/NVGRE traffic: the internal NIC takes tenant tunnels only', where);
  const c = g.byVsid.get(p.vsid);
  if (!c)
    return fw.drop(
      g.name,
      `no tenant compartment on ${g.name} for VSID ${p.vsid}: its VM network has no virtual gateway here`,
      where,
    );
  if (sink.on) where = gatewayWhere(g, c);
  if (sink.on)
    sink.emit(
      {
        type: 'action',
        action: { type: 'decap', encapsulation: p.encap, vsid: p.vsid },
        text: `${g.name} decapsulates ${p.encap.toUpperCase()} ${p.encap === 'vxlan' ? 'VNI' : 'VSID'} ${p.vsid} into ${c.tenant}'s compartment (${c.vmNetwork})`,
      },
      where,
      pkt.buf.slice(p.inner, pkt.off + pkt.len),
    );
  parseInto(inner, pkt.buf, p.inner);
  if (inner.etherType !== ETH_IPV4)
    return fw.drop(g.name, 'the tenant frame is not IPv4: the gateway routes IP only', where);
  const end = inner.l3 + inner.ipLen;
  // The flow cache first: a flow seen before takes its route (and NAT mapping) from its entry.
  const flows = g.flows;
  const flow = flows.find(c.index, inner.proto, inner.ipSrc, inner.ipDst, inner.srcPort, inner.dstPort);
  let i: number;
  if (flow >= 0) {
    i = flows.route[flow];
    flows.hits[flow]++;
    if (sink.on)
      sink.emit(
        {
          type: 'gateway-flow',
          event: 'hit',
          gateway: g.name,
          compartment: c.tenant,
          flow: flowText(inner),
          connection: c.via[i].c.name,
          hits: flows.hits[flow],
        },
        where,
      );
  } else {
    if (sink.on)
      sink.emit(
        {
          type: 'gateway-flow',
          event: 'miss',
          gateway: g.name,
          compartment: c.tenant,
          flow: flowText(inner),
          connection: null,
          hits: 0,
        },
        where,
      );
    i = compartmentRoute(c, inner.ipDst);
    if (sink.on)
      sink.emit(
        {
          type: 'gateway-route',
          gateway: g.name,
          compartment: c.tenant,
          dst: u32ToIp(inner.ipDst),
          prefix: i < 0 ? null : c.prefixes[i],
          connection: i < 0 ? null : c.via[i].c.name,
          origin: i < 0 ? null : c.origins[i],
        },
        where,
      );
  }
  if (i < 0)
    return fw.drop(
      g.name,
      `no route to ${u32ToIp(inner.ipDst)} in ${c.tenant}'s compartment on ${g.name} (${c.prefixes.join(', ') || 'no routes'})`,
      where,
    );
  // A full cache keeps what it has: the flows beyond it take the slow path every time.
  const row =
    flow >= 0
      ? flow
      : flows.full()
        ? -1
        : flows.insert(c.index, inner.proto, inner.ipSrc, inner.ipDst, inner.srcPort, inner.dstPort, i, -1);
  if (row >= 0 && flow < 0 && sink.on)
    sink.emit(
      {
        type: 'gateway-flow',
        event: 'insert',
        gateway: g.name,
        compartment: c.tenant,
        flow: flowText(inner),
        connection: c.via[i].c.name,
        hits: 0,
      },
      where,
    );
  if (inner.ttl <= 1) return fw.drop(g.name, `TTL ${inner.ttl} expired in ${g.name}`, where);
  decrementTtl(pkt.buf, inner.l3);
  const conn = c.via[i];
  const ip = inner.l3;
  const len = inner.ipLen;
  pkt.len = end - pkt.off;
  switch (conn.c.type) {
    case 'nat':
      return natOut(fw, g, c, conn, pkt, ip, len, row, where);
    case 'gre': {
      const site = conn.site;
      if (!site) return fw.drop(g.name, `connection '${conn.c.name}' has no site`, where);
      const key = conn.c.greKey;
      const gre = writeGreIpv4(pkt.buf, ip, key);
      const announce = sink.on
        ? (packet: Uint8Array) =>
            sink.emit(
              {
                type: 'action',
                action: {
                  type: 'gre-encap',
                  key,
                  src: u32ToIp(g.extIp),
                  dst: u32ToIp(site.ip),
                },
                text: `GRE tunnel '${conn.c.name}': key ${key}, ${u32ToIp(g.extIp)} -> ${site.name} edge ${u32ToIp(site.ip)}`,
              },
              where,
              packet,
            )
        : undefined;
      return sendExternal(fw, g, pkt, gre, len + 8, site.ip, IP_GRE, where, announce);
    }
    case 'ipsec': {
      const site = conn.site;
      if (!site) return fw.drop(g.name, `connection '${conn.c.name}' has no site`, where);
      ensureTail(pkt, espTrailer(len));
      conn.espSeq = (conn.espSeq + 1) >>> 0;
      const spi = conn.c.spiOut;
      const espLength = espSeal(pkt.buf, ip, len, spi, conn.espSeq);
      const seq = conn.espSeq;
      const announce = sink.on
        ? (packet: Uint8Array) =>
            sink.emit(
              {
                type: 'action',
                action: {
                  type: 'esp-encap',
                  spi,
                  sequence: seq,
                  src: u32ToIp(g.extIp),
                  dst: u32ToIp(site.ip),
                },
                text: `IPsec tunnel '${conn.c.name}': ESP SPI 0x${hex8(spi)}, sequence ${seq}, the ${len}-byte packet encrypted, ${u32ToIp(g.extIp)} -> ${site.name} edge ${u32ToIp(site.ip)}`,
              },
              where,
              packet,
            )
        : undefined;
      return sendExternal(fw, g, pkt, ip - 16, espLength, site.ip, IP_ESP, where, announce);
    }
    case 'l3':
      return l3Out(fw, g, c, conn, pkt, ip, len, where);
  }
}

/**
 * L3 forwarding: the routed packet leaves as it is (no tunnel, no NAT) on the connection's VLAN,
 * 802.1Q-tagged, from the compartment's L3 interface (the external NIC's MAC) to the peer's MAC.
 */
function l3Out(
  fw: Forwarder,
  g: GatewayRt,
  c: CompartmentRt,
  conn: ConnectionRt,
  pkt: Pkt,
  ip: number,
  len: number,
  where: TraceWhere,
): Decision {
  const l3 = conn.l3;
  if (!l3) return fw.drop(g.name, `L3 connection '${conn.c.name}' has no logical subnet for its VLAN`, where);
  const mac = nextHopMac(fw, l3.nic, l3.peerIp);
  if (!mac)
    return fw.drop(
      g.name,
      `no ARP answer on VLAN ${l3.vlanId} ('${l3.link.name}') for ${u32ToIp(l3.peerIp)}, the peer of L3 connection '${conn.c.name}'`,
      where,
    );
  const start = writeEth(pkt.buf, ip, mac, g.extMac, l3.vlanId, ETH_IPV4);
  pkt.off = start;
  pkt.len = ip + len - start;
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'gateway-l3',
        direction: 'out',
        gateway: g.name,
        compartment: c.tenant,
        connection: conn.c.name,
        vlanId: l3.vlanId,
        link: l3.link.name,
        localIp: u32ToIp(l3.localIp),
        peerIp: u32ToIp(l3.peerIp),
        peerMac: formatMac(mac),
      },
      where,
      copyOf(pkt),
    );
  fw.link = l3.link;
  fw.from = fw.sink.on ? `${g.name} L3 interface ${u32ToIp(l3.localIp)}` : '';
  return Decision.OnLink;
}

/** A packet on an L3 connection's VLAN, for a VM of the compartment the VLAN belongs to. */
function fromL3(
  fw: Forwarder,
  g: GatewayRt,
  conn: ConnectionRt,
  pkt: Pkt,
  p: Parsed,
  where: TraceWhere,
): Decision {
  const l3 = conn.l3 as NonNullable<ConnectionRt['l3']>;
  const c = conn.compartment;
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'gateway-l3',
        direction: 'in',
        gateway: g.name,
        compartment: c.tenant,
        connection: conn.c.name,
        vlanId: l3.vlanId,
        link: l3.link.name,
        localIp: u32ToIp(l3.localIp),
        peerIp: u32ToIp(l3.peerIp),
        peerMac: null,
      },
      where,
      ipAsFrame(pkt.buf, p.l3, p.ipLen, g.extMac),
    );
  if (p.ipDst === l3.localIp)
    return fw.drop(
      g.name,
      `${u32ToIp(p.ipDst)} is the L3 interface of '${conn.c.name}' itself: the gateway forwards for the compartment, it runs no service there`,
      where,
    );
  return toTenant(fw, g, c, pkt, p.l3, where);
}

/** SNAT (RFC 3022 NAPT): the inside source and port (ICMP: identifier) -> the public IP and a mapped port. */
function natOut(
  fw: Forwarder,
  g: GatewayRt,
  c: CompartmentRt,
  conn: ConnectionRt,
  pkt: Pkt,
  ip: number,
  len: number,
  /** The flow's cache entry (-1: none, the cache is full): its NAT mapping once the first packet made one. */
  flow: number,
  where: TraceWhere,
): Decision {
  const b = pkt.buf;
  const proto = b[ip + 9];
  const l4 = ip + (b[ip] & 15) * 4;
  if (proto !== IP_TCP && proto !== IP_UDP && !(proto === IP_ICMP && b[l4] === 8))
    return fw.drop(g.name, `NAT maps TCP, UDP and ICMP echo only (IP protocol ${proto})`, where);
  const portAt = proto === IP_ICMP ? l4 + 4 : l4;
  const src = ((b[ip + 12] << 24) | (b[ip + 13] << 16) | (b[ip + 14] << 8) | b[ip + 15]) >>> 0;
  const port = (b[portAt] << 8) | b[portAt + 1];
  const table = g.nat;
  const cached = flow >= 0 ? g.flows.natRow[flow] : -1;
  let row = cached >= 0 ? cached : table.findOut(c.index, proto, src, port);
  const fresh = row < 0;
  if (fresh)
    row = table.add(c.index, proto, src, port, conn.publicIp, conn.portFirst, conn.portLast, fw.clock.now);
  if (row >= 0 && flow >= 0) g.flows.natRow[flow] = row;
  if (row < 0)
    return fw.drop(
      g.name,
      `NAT port range ${conn.portFirst}-${conn.portLast} of '${conn.c.name}' is exhausted`,
      where,
    );
  table.touch(row, fw.clock.now);
  put32(b, ip + 12, conn.publicIp);
  put16(b, portAt, table.publicPort[row]);
  ipChecksum(b, ip);
  l4Checksum(b, ip);
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'action',
        action: {
          type: 'nat',
          direction: 'out',
          from: `${u32ToIp(src)}:${port}`,
          to: `${u32ToIp(conn.publicIp)}:${table.publicPort[row]}`,
        },
        text: `SNAT (${fresh ? 'new mapping' : 'existing mapping'}): source ${u32ToIp(src)} ${proto === IP_ICMP ? 'ICMP id' : 'port'} ${port} -> ${u32ToIp(conn.publicIp)} ${table.publicPort[row]} (NAT connection '${conn.c.name}')`,
      },
      where,
      ipAsFrame(b, ip, len, g.extMac),
    );
  const dst = ((b[ip + 16] << 24) | (b[ip + 17] << 16) | (b[ip + 18] << 8) | b[ip + 19]) >>> 0;
  return sendExternal(fw, g, pkt, ip, len, dst, 0, where);
}

/**
 * Out of the external NIC: an outer IPv4 header (when `proto` is a tunnel's) in front of the
 * payload at `at`, then Ethernet to the next hop on the front-end link (the peer when on-link,
 * else the link's default gateway, by ARP).
 */
function sendExternal(
  fw: Forwarder,
  g: GatewayRt,
  pkt: Pkt,
  at: number,
  length: number,
  dst: number,
  proto: number,
  where: TraceWhere,
  /** Traced tunnels: the step that built the outer header, told the packet it built. */
  announce?: (packet: Uint8Array) => void,
): Decision {
  const nic = g.extNic;
  if (!nic) return fw.drop(g.name, 'the external NIC has no logical subnet', where);
  const link = nic.link;
  let ip = at;
  let total = length;
  if (proto !== 0) {
    ip = writeIpv4(pkt.buf, at, {
      src: g.extIp,
      dst,
      proto,
      ttl: 64,
      id: fnv(pkt.buf, at, at + Math.min(length, 24)),
      df: false,
      payloadLength: length,
    });
    total += 20;
  }
  if (announce) announce(ipAsFrame(pkt.buf, ip, total, g.extMac));
  const mac = nextHopMac(fw, nic, dst);
  if (!mac)
    return fw.drop(g.name, `no ARP answer on '${link.name}' for the next hop towards ${u32ToIp(dst)}`, where);
  const start = writeEth(pkt.buf, ip, mac, g.extMac, link.vlanId, ETH_IPV4);
  pkt.len = ip + total - start;
  pkt.off = start;
  fw.link = link;
  fw.from = fw.sink.on ? `${g.name} front end ${u32ToIp(g.extIp)}` : '';
  return Decision.OnLink;
}

/** The external NIC: a tunnel packet from a site (GRE by key, ESP by SPI) or an answer to a NAT mapping. */
function fromOutside(fw: Forwarder, g: GatewayRt, pkt: Pkt, p: Parsed, where: TraceWhere): Decision {
  const b = pkt.buf;
  const sink = fw.sink;
  const l4 = p.l4;
  const end = p.l3 + p.ipLen;
  if (p.ipDst === g.extIp && p.proto === IP_GRE) {
    const fault = greIpv4Fault(b, l4);
    if (fault) return fw.drop(g.name, fault, where);
    const key = ((b[l4 + 4] << 24) | (b[l4 + 5] << 16) | (b[l4 + 6] << 8) | b[l4 + 7]) >>> 0;
    const conn = g.byGreKey.get(key);
    if (!conn) return fw.drop(g.name, `GRE key ${key} matches no tenant's tunnel on ${g.name}`, where);
    if (!conn.site || conn.site.ip !== p.ipSrc)
      return fw.drop(
        g.name,
        `GRE key ${key} is '${conn.c.name}', whose peer is not ${u32ToIp(p.ipSrc)}`,
        where,
      );
    if (sink.on)
      sink.emit(
        {
          type: 'action',
          action: { type: 'gre-decap', key },
          text: `GRE key ${key} is ${conn.compartment.tenant}'s tunnel '${conn.c.name}': strip outer IPv4/GRE into its compartment`,
        },
        where,
        ipAsFrame(b, l4 + 8, end - l4 - 8, g.extMac),
      );
    return toTenant(fw, g, conn.compartment, pkt, l4 + 8, where);
  }
  if (p.ipDst === g.extIp && p.proto === IP_ESP) {
    const spi = ((b[l4] << 24) | (b[l4 + 1] << 16) | (b[l4 + 2] << 8) | b[l4 + 3]) >>> 0;
    const seq = ((b[l4 + 4] << 24) | (b[l4 + 5] << 16) | (b[l4 + 6] << 8) | b[l4 + 7]) >>> 0;
    const conn = g.bySpi.get(spi);
    if (!conn)
      return fw.drop(g.name, `ESP SPI 0x${hex8(spi)} names no security association on ${g.name}`, where);
    if (seq <= conn.espSeen)
      return fw.drop(
        g.name,
        `ESP sequence ${seq} on SPI 0x${hex8(spi)} was already seen: a replay (RFC 4303 §3.4.3)`,
        where,
      );
    const opened = espOpen(b, l4, end, spi);
    if (!opened.ok) return fw.drop(g.name, opened.reason, where);
    conn.espSeen = seq;
    if (sink.on)
      sink.emit(
        {
          type: 'action',
          action: { type: 'esp-decap', spi, sequence: seq },
          text: `ESP SPI 0x${hex8(spi)} is ${conn.compartment.tenant}'s SA '${conn.c.name}': ICV checked, sequence ${seq} accepted, decrypted into its compartment`,
        },
        where,
        ipAsFrame(b, opened.ip, opened.len, g.extMac),
      );
    return toTenant(fw, g, conn.compartment, pkt, opened.ip, where);
  }
  if (g.natIps.has(p.ipDst)) return natIn(fw, g, pkt, p, where);
  return fw.drop(
    g.name,
    `${u32ToIp(p.ipDst)} ${p.proto} is neither a tunnel to ${g.name} nor an answer to its NAT`,
    where,
  );
}

/** Un-SNAT: the answer to a mapped port goes back to the inside address and port it stands for. */
function natIn(fw: Forwarder, g: GatewayRt, pkt: Pkt, p: Parsed, where: TraceWhere): Decision {
  const b = pkt.buf;
  const ip = p.l3;
  const proto = p.proto;
  const l4 = p.l4;
  if (proto === IP_ICMP && b[l4] !== 0)
    return fw.drop(g.name, `ICMP type ${b[l4]} to the NAT address: only echo replies map back`, where);
  const portAt = proto === IP_ICMP ? l4 + 4 : l4 + 2;
  const port = (b[portAt] << 8) | b[portAt + 1];
  const row = g.nat.findIn(proto, port);
  if (row < 0 || g.nat.publicIp[row] !== p.ipDst)
    return fw.drop(
      g.name,
      `no NAT mapping for ${u32ToIp(p.ipDst)} ${proto === IP_ICMP ? 'ICMP id' : 'port'} ${port}: an unsolicited inbound packet is dropped`,
      where,
    );
  const c = g.compartments[g.nat.compartment[row]];
  const inside = g.nat.insideIp[row];
  g.nat.touch(row, fw.clock.now);
  put32(b, ip + 16, inside);
  put16(b, portAt, g.nat.insidePort[row]);
  ipChecksum(b, ip);
  l4Checksum(b, ip);
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'action',
        action: {
          type: 'nat',
          direction: 'in',
          from: `${u32ToIp(p.ipDst)}:${port}`,
          to: `${u32ToIp(inside)}:${g.nat.insidePort[row]}`,
        },
        text: `un-SNAT: ${u32ToIp(p.ipDst)} ${proto === IP_ICMP ? 'ICMP id' : 'port'} ${port} is ${c.tenant}'s ${u32ToIp(inside)} ${g.nat.insidePort[row]} (NAT table)`,
      },
      where,
      ipAsFrame(b, ip, p.ipLen, g.extMac),
    );
  return toTenant(fw, g, c, pkt, ip, where);
}

/**
 * Out of the compartment to a VM: the virtual subnet holding the destination, its CA-PA mapping,
 * then VXLAN/NVGRE from the gateway's PA to the VM's host, onto the gateway's logical subnet.
 */
function toTenant(
  fw: Forwarder,
  g: GatewayRt,
  c: CompartmentRt,
  pkt: Pkt,
  ip: number,
  outside: TraceWhere,
): Decision {
  const b = pkt.buf;
  const sink = fw.sink;
  const where = sink.on ? gatewayWhere(g, c) : outside;
  const dst = ((b[ip + 16] << 24) | (b[ip + 17] << 16) | (b[ip + 18] << 8) | b[ip + 19]) >>> 0;
  const len = (b[ip + 2] << 8) | b[ip + 3];
  let subnet: TenantSubnetRt | null = null;
  for (let i = 0; i < c.subnets.length; i++)
    if ((dst & c.subnets[i].mask) >>> 0 === c.subnets[i].net) {
      subnet = c.subnets[i];
      break;
    }
  if (!subnet) return fw.drop(g.name, `no virtual subnet of '${c.vmNetwork}' holds ${u32ToIp(dst)}`, where);
  let known = subnet.records.get(dst);
  if (known === undefined) {
    // The controller's CA-PA mapping (the NC pushes it to the gateways too), read once per CA.
    const record = fw.ctx.controller.locate(subnet.vsid, u32ToIp(dst));
    known = record ? { record, pa: ipToU32(record.pa), mac: macToBytes(record.mac) } : null;
    subnet.records.set(dst, known);
  }
  const record = known?.record;
  if (sink.on)
    sink.emit(
      {
        type: 'ca-pa',
        host: g.name,
        vsid: subnet.vsid,
        ca: u32ToIp(dst),
        record: record
          ? {
              caIp: record.caIp,
              vsid: record.vsid,
              mac: record.mac,
              pa: record.pa,
              encapsulation: record.encapsulation,
              vm: record.vmLabel,
            }
          : null,
      },
      where,
    );
  if (!known) return fw.drop(g.name, `no lookup record for ${u32ToIp(dst)} in VSID ${subnet.vsid}`, where);
  if (b[ip + 8] <= 1) return fw.drop(g.name, `TTL ${b[ip + 8]} expired in ${g.name}`, where);
  decrementTtl(b, ip);
  const nic = g.paNic;
  if (!nic) return fw.drop(g.name, 'the internal NIC has no logical subnet', where);
  const link = nic.link;
  const pa = known.pa;
  const mac = nextHopMac(fw, nic, pa);
  if (!mac)
    return fw.drop(
      g.name,
      `no ARP answer on '${link.name}' for the next hop towards PA ${u32ToIp(pa)}`,
      where,
    );
  // The inner Ethernet header: from the distributed router's MAC of that subnet to the VM.
  const eth = writeEth(b, ip, known.mac, subnet.routerMac, 0, ETH_IPV4);
  const hash = fnv(b, ip + 12, ip + 20);
  const vxlan = subnet.vxlan;
  let at = eth;
  if (vxlan) {
    at -= 8;
    b[at] = 0x08;
    b[at + 1] = 0;
    b[at + 2] = 0;
    b[at + 3] = 0;
    put32(b, at + 4, (subnet.vsid << 8) >>> 0);
    at -= 8;
    put16(b, at, vxlanSourcePort(hash));
    put16(b, at + 2, 4789);
    put16(b, at + 4, 8 + 8 + 14 + len);
    put16(b, at + 6, 0);
  } else {
    at -= 8;
    put16(b, at, 0x2000);
    put16(b, at + 2, 0x6558);
    put32(b, at + 4, ((subnet.vsid << 8) | nvgreFlowId(hash)) >>> 0);
  }
  const start = writeEthIpv4(b, at, {
    dstMac: mac,
    srcMac: g.mac,
    vlanId: link.vlanId,
    src: g.pa,
    dst: pa,
    proto: vxlan ? IP_UDP : IP_GRE,
    ttl: 64,
    id: hash,
    df: true,
    payloadLength: ip + len - at,
  });
  pkt.off = start;
  pkt.len = ip + len - start;
  if (sink.on)
    sink.emit(
      {
        type: 'action',
        action: {
          type: 'encap',
          encapsulation: known.record.encapsulation,
          vsid: subnet.vsid,
          srcPa: u32ToIp(g.pa),
          dstPa: known.record.pa,
        },
        text: `${g.name} routes it into VSID ${subnet.vsid} (TTL-1) and encapsulates in ${vxlan ? 'VXLAN' : 'NVGRE'} to ${known.record.vmLabel}'s host: ${u32ToIp(g.pa)} -> ${known.record.pa}, outer eth -> ${formatMac(mac)}`,
      },
      where,
      copyOf(pkt),
    );
  fw.link = link;
  fw.from = fw.sink.on ? `${g.name} (PA ${u32ToIp(g.pa)})` : '';
  return Decision.OnLink;
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

const PROTOCOL_NAMES: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

/** A flow as the trace names it (traced packets only). */
function flowText(p: Parsed): string {
  const name = PROTOCOL_NAMES[p.proto] ?? `IP protocol ${p.proto}`;
  const ends = `${u32ToIp(p.ipSrc)} -> ${u32ToIp(p.ipDst)}`;
  if (p.proto === IP_ICMP) return `${name} ${ends} id ${p.srcPort}`;
  if (p.proto === IP_TCP || p.proto === IP_UDP)
    return `${name} ${u32ToIp(p.ipSrc)}:${p.srcPort} -> ${u32ToIp(p.ipDst)}:${p.dstPort}`;
  return `${name} ${ends}`;
}
