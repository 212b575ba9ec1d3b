// How REST resources name each other (resourceRef paths) and how the NC writes a MAC.

function seg(id: string): string {
  return encodeURIComponent(id);
}

export const refs = {
  logicalNetwork: (ln: string) => `/logicalNetworks/${seg(ln)}`,
  logicalSubnet: (ln: string, ls: string) => `/logicalNetworks/${seg(ln)}/logicalSubnets/${seg(ls)}`,
  server: (h: string) => `/servers/${seg(h)}`,
  serverInterface: (h: string, nic: string) => `/servers/${seg(h)}/networkInterfaces/${seg(nic)}`,
  virtualNetwork: (vn: string) => `/virtualNetworks/${seg(vn)}`,
  subnet: (vn: string, s: string) => `/virtualNetworks/${seg(vn)}/subnets/${seg(s)}`,
  acl: (a: string) => `/accessControlLists/${seg(a)}`,
  aclRule: (a: string, r: string) => `/accessControlLists/${seg(a)}/aclRules/${seg(r)}`,
  networkInterface: (n: string) => `/networkInterfaces/${seg(n)}`,
  ipConfiguration: (n: string, ip: string) => `/networkInterfaces/${seg(n)}/ipConfigurations/${seg(ip)}`,
};

/** The NC writes MACs as 12 upper-case hex digits. */
export function toNcMac(mac: string): string {
  return mac.replace(/:/g, '').toUpperCase();
}

export const PROTOCOL_TO_NC = { all: 'All', tcp: 'TCP', udp: 'UDP', icmp: 'ICMP' } as const;
export const IP_CONFIGURATION_ID = 'ipconfig1';

/** Accepts 001122334455, 00-11-22-33-44-55 or 00:11:22:33:44:55 in any case. */
export function fromNcMac(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const hex = value.replace(/[-:.]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return value;
  return hex.match(/../g)?.join(':');
}
