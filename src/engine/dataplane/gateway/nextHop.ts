// A device beyond the hosts (gateway NIC, site edge) finds its next hop on its link the way a
// host's PA compartment does: the destination itself when on-link, else the link's gateway, by ARP.
import { ipToU32 } from '../../controller/addr';
import type { LogicalSubnet } from '../../model/schema';
import type { Forwarder } from '../forwarder';

/** A device's next hop for `dst` on its link: `dst` itself when on-link, else the link's gateway. */
export function nextHopMac(
  fw: Forwarder,
  link: LogicalSubnet,
  cache: Map<number, Uint8Array>,
  me: { name: string; mac: Uint8Array; ip: number },
  dst: number,
): Uint8Array | null {
  const [net, len] = link.prefix.split('/');
  const mask = Number(len) === 0 ? 0 : (0xffffffff << (32 - Number(len))) >>> 0;
  const onLink = (dst & mask) >>> 0 === (ipToU32(net) & mask) >>> 0;
  const hop = onLink ? dst : ipToU32(link.defaultGateway);
  return fw.ctx.physical.arpOnLink(fw.sink, cache, link, me, hop)?.mac ?? null;
}
