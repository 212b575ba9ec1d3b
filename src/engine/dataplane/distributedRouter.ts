// The distributed router's own packets: the ICMP errors it sends back to a VM (time exceeded,
// fragmentation needed), and its answer to a ping of the gateway address.
import { u32ToIp } from '../controller/addr';
import type { Forwarder } from './forwarder';
import { buildIpFrame, fnv, IP_ICMP, ipChecksum, l4Checksum, type Parsed, put32, writeMac } from './packet';
import type { PortRt } from './runtime';
import { portWhere, whereWith } from './steps';

/**
 * An ICMP error from the distributed router (the VM's gateway) back to the VM, quoting the
 * offending packet's IP header and first 8 bytes (RFC 792). Traced packets only: the VM's
 * stack would learn from it, the data plane does not.
 */
export function routerIcmp(
  fw: Forwarder,
  src: PortRt,
  frame: Uint8Array,
  icmp: { type: number; code: number; nextHopMtu?: number },
  text: string,
): void {
  if (!fw.sink.on) return;
  const l3 = 14;
  const quoted = frame.slice(l3, l3 + (frame[l3] & 15) * 4 + 8);
  const error = buildIpFrame({
    srcMac: src.gatewayMac,
    dstMac: src.mac,
    srcIp: src.gatewayIp,
    dstIp: src.caIp,
    proto: IP_ICMP,
    ttl: 128,
    id: fnv(quoted, 0, quoted.length) & 0xffff,
    df: false,
    totalLength: 20 + 8 + quoted.length,
    srcPort: 0,
    dstPort: 0,
    icmpType: icmp.type,
    icmpCode: icmp.code,
    icmpId: 0,
    icmpSeq: 0,
    tcpFlags: 0,
    tcpSeq: 0,
    tcpAck: 0,
    payload: quoted,
    nextHopMtu: icmp.nextHopMtu,
  });
  fw.sink.emit({ type: 'deliver', vm: src.label, host: src.host.name, text }, portWhere(src), error);
  fw.sink.frame(`${src.host.name} vSwitch -> ${src.label}`, error);
}

/** A routed packet with TTL 1: the distributed router drops it and tells the sender (ICMP 11/0). */
export function ttlExceeded(fw: Forwarder, src: PortRt, frame: Uint8Array): void {
  const where = fw.sink.on ? whereWith(portWhere(src), { routerName: 'distributed router' }) : {};
  fw.dropped(
    `${src.host.name} / distributed router`,
    `TTL ${frame[22]} expired in the distributed router (it would be 0 after this hop): ICMP time exceeded goes back to ${src.label}`,
    where,
  );
  routerIcmp(
    fw,
    src,
    frame,
    { type: 11, code: 0 },
    `ICMP time exceeded (type 11 code 0, TTL expired in transit) from gateway ${u32ToIp(src.gatewayIp)} to ${src.label}`,
  );
}

/** A ping to the gateway address: the distributed router on this host answers it. */
export function gatewayEcho(fw: Forwarder, src: PortRt, frame: Uint8Array, inner: Parsed): void {
  const reply = frame.slice();
  writeMac(reply, 0, src.mac);
  writeMac(reply, 6, src.gatewayMac);
  put32(reply, 26, src.gatewayIp);
  put32(reply, 30, src.caIp);
  reply[22] = 128;
  reply[inner.l4] = 0; // echo reply, same id, sequence and data
  ipChecksum(reply, 14);
  l4Checksum(reply, 14);
  const gateway = `distributed router (gateway ${u32ToIp(src.gatewayIp)})`;
  fw.outcome.delivered.push(gateway);
  fw.stats.delivered++;
  if (!fw.sink.on) return;
  const where = whereWith(portWhere(src), { routerName: 'distributed router' });
  fw.sink.emit(
    {
      type: 'action',
      action: { type: 'route', routingDomainId: src.rd },
      text: `the ${gateway} on ${src.host.name} answers the ping: ICMP echo reply ${u32ToIp(src.gatewayIp)} -> ${u32ToIp(src.caIp)}`,
    },
    where,
    reply,
  );
  fw.sink.emit(
    {
      type: 'deliver',
      vm: src.label,
      host: src.host.name,
      text: `echo reply delivered to ${src.label} on ${src.host.name}`,
    },
    portWhere(src),
    reply,
  );
  fw.sink.frame(`${src.host.name} vSwitch -> ${src.label}`, reply);
}
