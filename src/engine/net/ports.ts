// Well-known protocol numbers the lab names: transport ports, IP protocols, ethertypes.

/** UDP port of VXLAN (RFC 7348, IANA). */
export const VXLAN_UDP_PORT = 4789;

/** TCP/UDP ports the lab's scenarios and trace form use. */
export const WELL_KNOWN_PORTS = {
  http: 80,
  https: 443,
  mssql: 1433,
  rdp: 3389,
  vxlan: VXLAN_UDP_PORT,
} as const;

/** The name of a well-known port, e.g. 1433 -> 'mssql'. */
export function portName(port: number): string | undefined {
  for (const [name, value] of Object.entries(WELL_KNOWN_PORTS)) if (value === port) return name;
  return undefined;
}

export const IP_PROTOCOL = { icmp: 1, tcp: 6, udp: 17, gre: 47 } as const;

export const ETHERTYPE = { ipv4: 0x0800, arp: 0x0806, vlan: 0x8100, transparentEthernet: 0x6558 } as const;
