// One colour per protocol, used by the tree, the hex dump and the envelope so a header
// reads the same everywhere. Encapsulation headers (VXLAN, GRE) get the warm accent.
const BY_PROTOCOL: Record<string, string> = {
  eth: '#0284c7', // sky
  vlan: '#ca8a04', // yellow
  arp: '#9333ea', // purple
  ip: '#059669', // emerald
  icmp: '#db2777', // pink
  udp: '#7c3aed', // violet
  tcp: '#4f46e5', // indigo
  vxlan: '#ea580c', // orange
  gre: '#ea580c',
  nvgre: '#ea580c',
  data: '#64748b', // slate
};

export function layerColor(protocol: string): string {
  return BY_PROTOCOL[protocol] ?? '#64748b';
}

/** Short names for the envelope boxes. */
export function shortName(protocol: string): string {
  const names: Record<string, string> = {
    eth: 'Eth',
    vlan: 'VLAN',
    arp: 'ARP',
    ip: 'IPv4',
    icmp: 'ICMP',
    udp: 'UDP',
    tcp: 'TCP',
    vxlan: 'VXLAN',
    gre: 'GRE',
    nvgre: 'NVGRE',
    data: 'payload',
  };
  return names[protocol] ?? protocol;
}
