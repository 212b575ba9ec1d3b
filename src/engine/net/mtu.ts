// Frame size vs IP MTU. Hyper-V's "Jumbo Packet" setting (9014) and most NIC settings count
// the whole Ethernet frame without FCS; the MTU the IP layer sees is that minus the 14-byte
// Ethernet header. The lab's logical subnet `mtu` is the IP MTU (what a packet's total length
// is compared with), so jumbo frames are IP MTU 9000.

/** Destination MAC, source MAC, EtherType (no 802.1Q tag, no FCS). */
export const ETHERNET_HEADER_BYTES = 14;

/** The jumbo frame size Hyper-V offers ("Jumbo Packet" 9014 bytes). */
export const JUMBO_FRAME_BYTES = 9014;

/** The IP MTU of a frame size: 9014 -> 9000, 1514 -> 1500. */
export function ipMtuOfFrameSize(frameBytes: number): number {
  return frameBytes - ETHERNET_HEADER_BYTES;
}

/** The frame size that carries an IP MTU: 9000 -> 9014. */
export function frameSizeOfIpMtu(ipMtu: number): number {
  return ipMtu + ETHERNET_HEADER_BYTES;
}

/** The IP MTU of jumbo frames: 9000. */
export const JUMBO_IP_MTU = ipMtuOfFrameSize(JUMBO_FRAME_BYTES);
