// A vSwitch port. From its VM: the unified flow table first (a hit runs the cached entry: the
// fast path), else the VFP executor walks the port's layers and the entry it builds is cached
// and run (the slow path). ARP and broadcasts are handled per packet, never cached. To its VM:
// delivery, where the guest learns ARP replies and answers pings and TCP.

import { notAddressedToGuest } from '../appliance';
import { routerIcmp, ttlExceeded } from '../distributedRouter';
import { extractKey, keyToString } from '../flowTable';
import type { Decision, Forwarder } from '../forwarder';
import { guestAnswers } from '../guest';
import { decrementTtl, ETH_IPV4, NVGRE_OVERHEAD, parse, readingAt, VXLAN_OVERHEAD } from '../packet';
import type { HostRt, PortRt } from '../runtime';
import { copyOf, hostWhere, NO_WHERE, type Pkt, portWhere } from '../steps';
import { layerPlace } from '../trace/wording';
import { egressSlow } from '../vfp/executor';
import { describeAction } from '../vfp/registry';
import type { FlowEntry } from '../vfp/walk';

/** A frame leaves a VM into its vSwitch port: ingress processing, UFT, forwarding. */
export function portIngress(fw: Forwarder, port: PortRt, pkt: Pkt): Decision {
  const b = pkt.buf;
  const at = pkt.off;
  const sink = fw.sink;
  if (sink.on === true) {
    const frame = copyOf(pkt);
    sink.emit({ type: 'vm-send', vm: port.label, host: port.host.name }, portWhere(port), frame);
    sink.frame(`${port.label} -> ${port.host.name} vSwitch`, frame);
  }
  // ARP and broadcast/multicast are handled per packet (host agent, replication): never cached.
  if (((b[at + 12] << 8) | b[at + 13]) === 0x0806 /* ETH_ARP */ || (b[at] & 1) === 1) {
    fw.noteSlow();
    // An entry back means a decision to apply now (a drop), not to cache.
    const decided = egressSlow(fw, port, pkt);
    return decided ? executeEntry(fw, port.host, port, decided, pkt) : 0 /* Decision.Consumed */;
  }
  const key = fw.key;
  const v = fw.viewOn(b);
  const table = port.flowTable;
  const idx = table.lookup(v, at, port.vsid) | 0;
  if (idx >= 0) {
    const entry = table.entries[idx];
    table.hitCount++;
    fw.stats.fast++;
    if (sink.on === true) {
      fw.notePath(true);
      extractKey(v, at, port.vsid, key);
      const stale = fw.ctx.agents.staleRecordOf(port.host, entry);
      const now = stale ? fw.ctx.controller.locate(stale.vsid, stale.caIp) : undefined;
      sink.emit(
        {
          type: 'uft',
          event: 'hit',
          place: 'port',
          host: port.host.name,
          vm: port.label,
          key: keyToString(key),
          actions: entry.actions.map(describeAction),
          hits: entry.hits + 1,
          stale: stale
            ? { pa: stale.pa, caIp: stale.caIp, vsid: stale.vsid, nowPa: now?.pa ?? '?' }
            : undefined,
        },
        portWhere(port),
      );
    }
    return executeEntry(fw, port.host, port, entry, pkt);
  }
  table.missCount++;
  fw.noteSlow();
  extractKey(v, at, port.vsid, key);
  const keyCopy = key.slice();
  if (sink.on === true)
    sink.emit(
      {
        type: 'uft',
        event: 'miss',
        place: 'port',
        host: port.host.name,
        vm: port.label,
        key: keyToString(keyCopy),
      },
      portWhere(port),
    );
  const entry = egressSlow(fw, port, pkt);
  if (!entry) return 0 /* Decision.Consumed */;
  table.insert(keyCopy, entry);
  fw.activeTables.add(table);
  if (sink.on === true)
    sink.emit(
      {
        type: 'uft',
        event: 'insert',
        place: 'port',
        host: port.host.name,
        vm: port.label,
        key: keyToString(keyCopy),
        actions: entry.actions.map(describeAction),
      },
      portWhere(port),
    );
  return executeEntry(fw, port.host, port, entry, pkt);
}

/** Apply a flow entry to a packet: the fast path (and the tail of the slow path). */
export function executeEntry(
  fw: Forwarder,
  host: HostRt,
  src: PortRt | null,
  entry: FlowEntry,
  pkt: Pkt,
): Decision {
  const b = pkt.buf;
  // A routed flow (the distributed router rewrites it): TTL is not in the flow key, so a
  // cached route still meets the packet whose TTL runs out here.
  if (entry.rewrite === true && src !== null && b[pkt.off + 22] <= 1) {
    ttlExceeded(fw, src, b.subarray(pkt.off, pkt.off + pkt.len));
    return 0 /* Decision.Consumed */;
  }
  const rewrites = entry.rewrites;
  for (let i = 0; i < rewrites.length; i++) rewrites[i].apply(b, pkt.off);
  switch (entry.op) {
    case 1: // FlowOp.Drop
      entry.hits++;
      return fw.drop(entry.dropAt, entry.dropReason, fw.sink.on === true ? hostWhere(host) : NO_WHERE);
    case 2: // FlowOp.Local
      entry.hits++;
      if (entry.rewrite === true) rewriteInner(entry, b, pkt.off);
      fw.port = entry.outPort;
      return entry.outPort !== null ? 3 /* Decision.ToVm */ : 0 /* Decision.Consumed */;
    case 3: {
      // FlowOp.Encap
      if (pkt.len > entry.maxLength) {
        mtuExceeded(fw, src, entry, pkt);
        return 0 /* Decision.Consumed */;
      }
      if (entry.rewrite === true) rewriteInner(entry, b, pkt.off);
      const off = applyEncap(fw, entry, b, pkt.off, pkt.len);
      pkt.len += pkt.off - off;
      pkt.off = off;
      // The link reads the headers just written: the template's reading, moved to `off`.
      let outer = entry.outer;
      if (outer === null) {
        outer = entry.outer = parse(b, off);
        readingAt(outer, outer, -off, outer.ipLen);
      }
      readingAt(fw.hop, outer, off, pkt.len - outer.l3);
      fw.hopFresh = true;
      if (fw.sink.on === true)
        fw.sink.emit({ type: 'output-uplink', host: host.name }, hostWhere(host), copyOf(pkt));
      fw.host = host;
      return 4 /* Decision.ToUplink */;
    }
    case 5: {
      // FlowOp.Native
      // SLB direct server return: the reply leaves on the PA network as a plain IP packet.
      entry.hits++;
      const t = entry.template;
      const off = pkt.off + 14 - t.length;
      b.set(t, off);
      decrementTtl(b, pkt.off + 14);
      pkt.len += pkt.off - off;
      pkt.off = off;
      if (fw.sink.on === true)
        fw.sink.emit({ type: 'output-uplink', host: host.name, plain: true }, hostWhere(host), copyOf(pkt));
      fw.host = host;
      return 4 /* Decision.ToUplink */;
    }
    case 4: {
      // FlowOp.Decap. Outer length: Ethernet (+ VLAN) + IPv4 header + UDP/VXLAN or GRE.
      let l3 = pkt.off + 14;
      if (b[pkt.off + 12] === 0x81 && b[pkt.off + 13] === 0) l3 += 4;
      const l4 = l3 + (b[l3] & 15) * 4;
      return decapTo(fw, entry, pkt, l4 + (b[l3 + 9] === 17 /* IP_UDP */ ? 16 : 8));
    }
  }
  return 0 /* Decision.Consumed */;
}

/** A decap entry's work: the frame now starts at the inner frame, `inner`, for the entry's port. */
export function decapTo(fw: Forwarder, entry: FlowEntry, pkt: Pkt, inner: number): Decision {
  entry.hits++;
  pkt.len -= inner - pkt.off;
  pkt.off = inner;
  fw.port = entry.outPort;
  return entry.outPort !== null ? 3 /* Decision.ToVm */ : 0 /* Decision.Consumed */;
}

function rewriteInner(entry: FlowEntry, b: Uint8Array, at: number): void {
  const dst = entry.newDstMac;
  const src = entry.newSrcMac;
  for (let i = 0; i < 6; i++) {
    b[at + i] = dst[i];
    b[at + 6 + i] = src[i];
  }
  decrementTtl(b, at + 14);
}

/**
 * The cached VXLAN/NVGRE encapsulation: copy the flow's outer-header template into the headroom
 * in front of the frame, then patch outer IP total length, id and checksum (from the template's
 * precomputed partial sum, RFC 1624) and the UDP length. No allocation. Returns the new frame start.
 */
function applyEncap(fw: Forwarder, entry: FlowEntry, b: Uint8Array, at: number, len: number): number {
  entry.hits++;
  const t = entry.template;
  const n = t.length;
  const off = at - n;
  // One memcpy: cheaper than a loop of word stores in optimized JS (each iteration re-checks).
  b.set(t, off);
  const v = fw.viewOn(b);
  // Offsets as `(x + n) | 0`: V8 adds without an overflow check.
  const ip = (off + entry.ipOff) | 0;
  const ipLen = (n - entry.ipOff + len) | 0;
  const id = (entry.ipIdBase + entry.hits) & 0xffff;
  v.setUint16((ip + 2) | 0, ipLen);
  v.setUint16((ip + 4) | 0, id);
  let sum = entry.ipPartialSum + ipLen + id;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  v.setUint16((ip + 10) | 0, ~sum & 0xffff);
  if (entry.udpOff >= 0) v.setUint16((off + entry.udpOff + 4) | 0, ipLen - 20);
  return off;
}

/** The outer frame would not fit the PA MTU: drop with the reason; with DF, ICMP frag-needed to the VM. */
function mtuExceeded(fw: Forwarder, src: PortRt | null, entry: FlowEntry, pkt: Pkt): void {
  const host = src?.host;
  const ls = host?.logicalSubnet;
  if (!src || !host || !ls) return;
  const kind = entry.udpOff >= 0 ? 'vxlan' : 'nvgre';
  const overhead = kind === 'vxlan' ? VXLAN_OVERHEAD : NVGRE_OVERHEAD;
  const innerIp = pkt.len - 14;
  const reason = `outer packet ${innerIp + overhead} bytes exceeds MTU ${ls.mtu} of logical subnet '${ls.name}' (${kind.toUpperCase()} adds ${overhead} bytes to the VM's ${innerIp}-byte packet)`;
  fw.dropped(
    `${host.name} / port ${src.label} / ${layerPlace(fw.ctx.controller.doc.hnvMode, 'pa_route')}`,
    reason,
    {
      ...portWhere(src),
      layer: 'pa_route',
      logicalSubnetId: ls.id,
      logicalSubnetName: ls.name,
    },
  );
  const b = pkt.buf;
  const l3 = pkt.off + 14;
  const df = (b[l3 + 6] & 0x40) !== 0;
  if (!df || ((b[pkt.off + 12] << 8) | b[pkt.off + 13]) !== ETH_IPV4) return;
  routerIcmp(
    fw,
    src,
    b.subarray(pkt.off, pkt.off + pkt.len),
    { type: 3, code: 4, nextHopMtu: ls.mtu - overhead },
    `ICMP fragmentation needed (type 3 code 4, next-hop MTU ${ls.mtu - overhead}) sent back to ${src.label}`,
  );
}

/** Deliver a frame to a VM; the guest learns ARP replies, and answers pings and TCP in a trace. */
export function deliverToVm(fw: Forwarder, port: PortRt, pkt: Pkt): Decision {
  // IPv4 unicast not to the VM's own address: a virtual appliance routes it on, any other guest drops it.
  const b = pkt.buf;
  const at = pkt.off;
  const type = (b[at + 12] << 8) | b[at + 13];
  if (type === 0x0800 /* ETH_IPV4 */ && fw.viewOn(b).getUint32((at + 30) | 0) !== port.caIp) {
    const forwarded = notAddressedToGuest(fw, port, pkt);
    if (forwarded !== -1) return forwarded;
  }
  fw.stats.delivered++;
  // What the guest does with it: kept out of this function, which the forwarder's loop inlines.
  if (fw.sink.on === true || type === 0x0806 /* ETH_ARP */ || fw.guestReplies === true)
    guestReceives(fw, port, pkt, type);
  return 0 /* Decision.Consumed */;
}

/** The guest's side of a delivery: the trace's view, ARP learning, and the answers of a traced exchange. */
function guestReceives(fw: Forwarder, port: PortRt, pkt: Pkt, type: number): void {
  if (fw.sink.on === true) {
    const frame = copyOf(pkt);
    fw.sink.emit({ type: 'deliver', vm: port.label, host: port.host.name }, portWhere(port), frame);
    fw.sink.frame(`${port.host.name} vSwitch -> ${port.label}`, frame);
    fw.outcome.delivered.push(port.label);
  }
  const b = pkt.buf;
  const at = pkt.off;
  if (type === 0x0806 /* ETH_ARP */) {
    const p = parse(b, at);
    if (p.arpOp === 2) port.arpCache.set(p.arpSenderIp, b.slice(at + 22, at + 28));
    return;
  }
  if (fw.guestReplies === true && guestAnswers(b, at)) fw.replies.push({ port, frame: copyOf(pkt) });
}
