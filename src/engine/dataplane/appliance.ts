// A virtual appliance: a VM whose vNIC has IP forwarding on (a firewall in the path of a
// user-defined route). The distributed router delivered it a packet addressed to someone else
// (the destination IP untouched, the appliance's MAC); its guest routes the packet on as any
// router: next hop from its own routing table (on-link, else its gateway, the distributed
// router), MACs rewritten, TTL-1, and back out through its vSwitch port, where the packet is
// routed again with the appliance subnet's routes. A guest without IP forwarding drops it.
import { macToBytes, u32ToIp } from '../controller/addr';
import { formatMac } from '../wire/bytes';
import { Decision, type Forwarder } from './forwarder';
import { nextHopOf } from './guest';
import { decrementTtl, writeMac } from './packet';
import type { PortRt } from './runtime';
import { copyOf, NO_WHERE, type Pkt, portWhere } from './steps';

const read32 = (b: Uint8Array, at: number) =>
  ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/**
 * An IPv4 unicast frame delivered to `port` whose destination IP is not the VM's: the guest
 * forwards it (IP forwarding on) or drops it. -1 when the packet is the VM's own.
 */
export function notAddressedToGuest(fw: Forwarder, port: PortRt, pkt: Pkt): Decision | -1 {
  const b = pkt.buf;
  const at = pkt.off;
  if ((b[at] & 1) === 1 || b[at + 12] !== 0x08 || b[at + 13] !== 0) return -1;
  const dst = read32(b, at + 30);
  if (dst === port.caIp) return -1;
  const where = fw.sink.on ? portWhere(port) : NO_WHERE;
  const at_ = `${port.host.name} / ${port.label} (guest)`;
  if (port.resolved.vnic.ipForwarding !== true)
    return fw.drop(
      at_,
      `${u32ToIp(dst)} is not ${port.label}'s address (${u32ToIp(port.caIp)}) and IP forwarding is off on its vNIC: the guest drops packets not addressed to it`,
      where,
    );
  // The appliance's guest takes the frame in (the pcap shows it), then routes it.
  if (fw.sink.on) fw.sink.frame(`${port.host.name} vSwitch -> ${port.label}`, copyOf(pkt));
  const ttl = b[at + 22];
  if (ttl <= 1)
    return fw.drop(
      at_,
      `TTL ${ttl} expired in virtual appliance ${port.label} (it would be 0 after this hop)`,
      where,
    );
  const nh = nextHopOf(port, dst);
  let mac = port.arpCache.get(nh);
  if (!mac) {
    // The guest asks for its next hop: the host agent answers (the gateway's MAC, or the record's).
    const record =
      nh === port.gatewayIp ? null : fw.ctx.agents.lookup(port.host, port.vsid, u32ToIp(nh)).record;
    const found = nh === port.gatewayIp ? port.gatewayMac : record ? macToBytes(record.mac) : null;
    if (fw.sink.on)
      fw.sink.emit(
        {
          type: 'host-agent-arp',
          host: port.host.name,
          target: u32ToIp(nh),
          vsid: port.vsid,
          mac: found ? formatMac(found) : null,
          owner: nh === port.gatewayIp ? 'the distributed router (gateway)' : (record?.vmLabel ?? 'nobody'),
        },
        where,
      );
    if (!found)
      return fw.drop(
        at_,
        `virtual appliance ${port.label}: no ARP answer for its next hop ${u32ToIp(nh)}`,
        where,
      );
    port.arpCache.set(nh, found);
    mac = found;
  }
  writeMac(b, at, mac);
  writeMac(b, at + 6, port.mac);
  decrementTtl(b, at + 14);
  // Back into its port (portIngress records the frame it sends).
  if (fw.sink.on)
    fw.sink.emit(
      {
        type: 'appliance-forward',
        vm: port.label,
        host: port.host.name,
        dst: u32ToIp(dst),
        nextHop: u32ToIp(nh),
        ttl,
      },
      where,
      copyOf(pkt),
    );
  fw.port = port;
  return Decision.FromVm;
}
