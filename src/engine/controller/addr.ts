// IPv4 / MAC helpers on numbers: the data plane compares addresses as uint32, never as strings.

export function ipToU32(ip: string): number {
  const p = ip.split('.');
  return ((+p[0] << 24) | (+p[1] << 16) | (+p[2] << 8) | +p[3]) >>> 0;
}

export function u32ToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export interface Prefix {
  network: number;
  mask: number;
  length: number;
}

export function parsePrefix(cidr: string): Prefix {
  const [ip, len] = cidr.split('/');
  const length = Number(len);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return { network: (ipToU32(ip) & mask) >>> 0, mask, length };
}

export function inPrefix(ip: number, p: Prefix): boolean {
  return (ip & p.mask) >>> 0 === p.network;
}

/** The distributed router's gateway: the lowest host address of the subnet (10.1.2.1 for 10.1.2.0/24). */
export function gatewayOf(cidr: string): string {
  return u32ToIp(parsePrefix(cidr).network + 1);
}

export function macToBytes(mac: string): Uint8Array {
  const out = new Uint8Array(6);
  const parts = mac.split(':');
  for (let i = 0; i < 6; i++) out[i] = Number.parseInt(parts[i], 16);
  return out;
}

/**
 * The distributed router's MAC in a virtual subnet. Locally administered and derived from the
 * VSID so it is the same on every host (the router is distributed) and stable across runs.
 */
export function routerMac(vsid: number): string {
  const h = (n: number) => n.toString(16).padStart(2, '0');
  return `02:dd:01:${h((vsid >>> 16) & 255)}:${h((vsid >>> 8) & 255)}:${h(vsid & 255)}`;
}
