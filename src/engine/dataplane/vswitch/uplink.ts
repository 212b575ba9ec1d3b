// A host's uplink: frames from the wire for one of its team MACs. The PA compartment takes the
// host's own tunnel packets (outer checksum, destination PA, a valid VXLAN/NVGRE header) and
// ICMP errors about them; the uplink's flow table (the decap side) hits, or the vSwitch finds
// the port by VSID and inner MAC and that port's inbound layers decide.
import { u32ToIp } from '../../controller/addr';
import { formatMac } from '../../wire/bytes';
import { extractKey, FlowOp, keyToString, newEntry } from '../flowTable';
import type { Decision, Forwarder } from '../forwarder';
import {
  EncapFault,
  ETH_IPV4,
  ipChecksum,
  ipChecksumOk,
  ipv4Header20Ok,
  type Parsed,
  parse,
} from '../packet';
import { type HostRt, ownsPa, type PortRt, portByMac } from '../runtime';
import { copyOf, hostWhere, NO_WHERE, type Pkt } from '../steps';
import { dropEntry, ingressSlow } from '../vfp/executor';
import { describeAction } from '../vfp/registry';
import { decapTo, executeEntry } from './port';

export function uplinkReceive(fw: Forwarder, host: HostRt, pkt: Pkt, p: Parsed): Decision {
  const sink = fw.sink;
  const where = sink.on === true ? hostWhere(host) : NO_WHERE;
  if (sink.on === true) sink.emit({ type: 'uplink-receive', host: host.name }, where);
  const b = pkt.buf;
  const v = fw.viewOn(b);
  if (
    p.etherType === 0x0800 /* ETH_IPV4 */ &&
    !((b[p.l3] & 15) === 5 ? ipv4Header20Ok(v, p.l3) : ipChecksumOk(b, p.l3))
  )
    return fw.drop(host.name, badOuterChecksum(b, p.l3), where);
  if (!ownsPa(host, p.ipDst))
    return fw.drop(host.name, `outer destination ${u32ToIp(p.ipDst)} is not a PA of ${host.name}`, where);
  if (p.encapFault !== 0 /* EncapFault.None */)
    return fw.drop(host.name, encapFaultReason(pkt.buf, p), where);
  if (p.encap === null && p.proto === 1 /* IP_ICMP */ && p.icmpType === 3) {
    pathMtuReport(fw, host, pkt, p);
    return 0 /* Decision.Consumed */;
  }
  if (p.encap === null) return fw.drop(host.name, 'not VXLAN/NVGRE traffic', where);
  if (sink.on === true)
    sink.emit(
      { type: 'pa-compartment', host: host.name, pa: u32ToIp(p.ipDst), encap: p.encap, vsid: p.vsid },
      where,
    );
  const key = fw.key;
  const table = host.uplinkTable;
  const idx = table.lookup(v, p.inner, p.vsid) | 0;
  if (idx >= 0) {
    table.hitCount++;
    const entry = table.entries[idx];
    if (sink.on === true) {
      fw.notePath(true);
      extractKey(v, p.inner, p.vsid, key);
      sink.emit(
        {
          type: 'uft',
          event: 'hit',
          place: 'uplink',
          host: host.name,
          key: keyToString(key),
          actions: entry.actions.map(describeAction),
        },
        where,
      );
    }
    // The flow key is the inner frame and VSID: the tunnel type is checked per packet.
    const out = entry.outPort;
    if (out !== null && out.encap !== p.encap)
      return fw.drop(`${host.name} / port ${out.label}`, wrongEncapsulation(out, p) ?? '', where);
    // A plain decap (no per-packet rewrites): the inner frame is where the reading of the headers found it.
    if (entry.op === 4 /* FlowOp.Decap */ && entry.rewrites.length === 0)
      return decapTo(fw, entry, pkt, p.inner);
    return executeEntry(fw, host, null, entry, pkt);
  }
  table.missCount++;
  fw.notePath(false);
  extractKey(v, p.inner, p.vsid, key);
  const keyCopy = key.slice();
  if (sink.on === true)
    sink.emit(
      { type: 'uft', event: 'miss', place: 'uplink', host: host.name, key: keyToString(keyCopy) },
      where,
    );
  const entry = newEntry<PortRt>(FlowOp.Drop);
  const port = portByMac(host, p.vsid, pkt.buf, p.inner);
  if (sink.on === true)
    sink.emit(
      {
        type: 'port-by-mac',
        host: host.name,
        vsid: p.vsid,
        mac: formatMac(pkt.buf.subarray(p.inner, p.inner + 6)),
        port: port ? port.label : null,
      },
      where,
    );
  const wrongTunnel = port ? wrongEncapsulation(port, p) : null;
  // Not cached: the same inner frame in the right tunnel type is delivered.
  if (port && wrongTunnel) return fw.drop(`${host.name} / port ${port.label}`, wrongTunnel, where);
  const w = { fw, entry };
  if (!port) dropEntry(w, host.name, noPortReason(fw, host, pkt.buf, p.inner, p.vsid), where);
  else {
    entry.deps.push({ kind: 'port', portId: port.id });
    const frame = copyOf(pkt);
    const entered = ingressSlow(fw, port, frame, p.inner - pkt.off, p.vsid, parse(frame), entry);
    if (entered.reason) {
      entry.op = FlowOp.Drop;
      entry.dropAt = `${host.name} / port ${port.label}`;
      entry.dropReason = entered.reason;
      entry.actions.push({ type: 'drop', reason: entered.reason });
    } else {
      const to = entered.outPort ?? port;
      entry.op = FlowOp.Decap;
      entry.outPort = to;
      entry.rewrites.push(...entered.rewrites);
      entry.actions.push({ type: 'decap', encapsulation: p.encap, vsid: p.vsid }, ...entered.actions, {
        type: 'output',
        port: to.id,
        label: to.label,
      });
    }
  }
  table.insert(keyCopy, entry);
  fw.activeTables.add(table);
  return executeEntry(fw, host, null, entry, pkt);
}

/** An ICMP error for one of the host's PAs (a tunnel packet that did not fit): its network stack takes it. */
function pathMtuReport(fw: Forwarder, host: HostRt, pkt: Pkt, p: Parsed): void {
  if (fw.sink.on !== true) return;
  const b = pkt.buf;
  const quotedDst = u32ToIp(
    ((b[p.l4 + 24] << 24) | (b[p.l4 + 25] << 16) | (b[p.l4 + 26] << 8) | b[p.l4 + 27]) >>> 0,
  );
  fw.sink.emit(
    {
      type: 'path-mtu',
      host: host.name,
      code: b[p.l4 + 1],
      mtu: (b[p.l4 + 6] << 8) | b[p.l4 + 7],
      from: u32ToIp(p.ipSrc),
      to: u32ToIp(p.ipDst),
      pa: quotedDst,
    },
    hostWhere(host),
  );
}

/** Why a decapsulated frame has no port here; names the VM's new place when it has moved. */
function noPortReason(fw: Forwarder, host: HostRt, b: Uint8Array, inner: number, vsid: number): string {
  const mac = formatMac(b.subarray(inner, inner + 6));
  const base = `no vNIC with MAC ${mac} in VSID ${vsid}`;
  if (((b[inner + 12] << 8) | b[inner + 13]) !== ETH_IPV4) return base;
  const ca = u32ToIp(
    ((b[inner + 30] << 24) | (b[inner + 31] << 16) | (b[inner + 32] << 8) | b[inner + 33]) >>> 0,
  );
  const now = fw.ctx.controller.locate(vsid, ca);
  if (!now || now.hostId === host.id) return base;
  const there = fw.ctx.hosts.get(now.hostId)?.name ?? now.hostId;
  return `${host.name} has no vSwitch port for CA ${ca} (MAC ${mac}) in VSID ${vsid}: ${now.vmLabel} has moved to ${there} (PA ${now.pa}). The sender encapsulated with a stale lookup record, and a host delivers only to its own ports, so it drops the packet`;
}

/** The drop reason for an outer IPv4 header whose checksum is wrong. */
function badOuterChecksum(b: Uint8Array, l3: number): string {
  const got = (b[l3 + 10] << 8) | b[l3 + 11];
  const header = b.slice(l3, l3 + (b[l3] & 15) * 4);
  ipChecksum(header, 0);
  const want = (header[10] << 8) | header[11];
  const hex = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
  return `outer IPv4 header checksum ${hex(got)} is wrong (the header sums to ${hex(want)}): the host's IP stack discards the packet (RFC 1122 §3.2.1.2)`;
}

/** Why a valid tunnel packet may not enter this port's virtual subnet: it came in the other tunnel type. */
function wrongEncapsulation(port: PortRt, p: Parsed): string | null {
  const subnet = port.resolved.subnet;
  if (p.encap === null || subnet.encapsulation === p.encap) return null;
  return `${p.encap.toUpperCase()} packet for VSID ${p.vsid}, but virtual subnet '${subnet.name}' is configured for ${subnet.encapsulation.toUpperCase()}: the host does not decapsulate it into that subnet`;
}

/** The drop reason for a packet that looks like a tunnel but breaks its rules (Parsed.encapFault). */
function encapFaultReason(b: Uint8Array, p: Parsed): string {
  if (p.encapFault === EncapFault.VxlanIClear)
    return `VXLAN header with the I flag clear (flags 0x${b[p.l4 + 8].toString(16).padStart(2, '0')}): the VNI is not valid, so the packet cannot be mapped to a virtual subnet (RFC 7348 §5: I must be 1)`;
  const word = (b[p.l4] << 8) | b[p.l4 + 1];
  const bits = [
    [0x8000, 'C (checksum present)'],
    [0x4000, 'R (routing present)'],
    [0x1000, 'S (sequence number present)'],
    [0x0800, 'strict source route'],
    [0x0400, 'recursion control bit 5'],
  ] as const;
  const broken = bits.filter(([bit]) => word & bit).map(([, name]) => `${name} set`);
  if (!(word & 0x2000)) broken.push('K (key present) clear');
  if (word & 7) broken.push(`version ${word & 7}`);
  return `GRE header 0x${word.toString(16).padStart(4, '0')} is not NVGRE (${broken.join(', ')}): NVGRE is GRE with K set, C, R, S and bits 4-5 clear and version 0 (RFC 7637 §3.2, RFC 2784 §2.3; bits 6-12 are ignored), so the host discards it`;
}
