// A device beyond the hosts (gateway NIC, site edge) finds its next hop on its link the way a
// host's PA compartment does: the destination itself when on-link, else the link's gateway, by ARP.
import { ipToU32, parsePrefix } from '../../controller/addr';
import type { LogicalSubnet } from '../../model/schema';
import type { Forwarder } from '../forwarder';

/** A NIC of an edge device on a link, with what finding a next hop there needs (built once). */
export interface Nic {
  link: LogicalSubnet;
  net: number;
  mask: number;
  /** The link's default gateway. */
  gateway: number;
  /** Who asks in ARP (name for the trace, MAC, IP). */
  self: { name: string; mac: Uint8Array; ip: number };
  /** Its ARP cache. */
  arp: Map<number, Uint8Array>;
}

export function nicOn(
  link: LogicalSubnet,
  name: string,
  mac: Uint8Array,
  ip: number,
  arp: Map<number, Uint8Array>,
): Nic {
  const p = parsePrefix(link.prefix);
  return {
    link,
    net: p.network,
    mask: p.mask,
    gateway: ipToU32(link.defaultGateway),
    self: { name, mac, ip },
    arp,
  };
}

/** A device's next hop for `dst` on its link: `dst` itself when on-link, else the link's gateway. */
export function nextHopMac(fw: Forwarder, nic: Nic, dst: number): Uint8Array | null {
  const hop = (dst & nic.mask) >>> 0 === nic.net ? dst : nic.gateway;
  return fw.ctx.physical.arpOnLink(fw.sink, nic.arp, nic.link, nic.self, hop)?.mac ?? null;
}
