// IPv4 addresses and prefixes as unsigned 32-bit numbers: the arithmetic behind
// validation and allocation. Inputs are assumed well-formed (the schema checked them).

export interface Ipv4Prefix {
  /** The prefix as written, e.g. "10.1.1.0/24". */
  text: string;
  /** The first address (network address), host bits cleared. */
  network: number;
  /** The last address (broadcast address). */
  broadcast: number;
  length: number;
  /** True when the written address had host bits set (e.g. 10.1.1.5/24). */
  hostBitsSet: boolean;
}

export function parseIpv4(text: string): number {
  // Hot in validation of big documents: one pass over the characters, no allocation.
  let value = 0;
  let octet = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      value = value * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 48);
    }
  }
  return value * 256 + octet;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export function parsePrefix(text: string): Ipv4Prefix {
  const slash = text.indexOf('/');
  const address = parseIpv4(text.slice(0, slash));
  const length = Number(text.slice(slash + 1));
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const network = (address & mask) >>> 0;
  const broadcast = (network | (~mask >>> 0)) >>> 0;
  return { text, network, broadcast, length, hostBitsSet: network !== address };
}

export function formatPrefix(network: number, length: number): string {
  return `${formatIpv4(network)}/${length}`;
}

export function prefixContains(prefix: Ipv4Prefix, address: number): boolean {
  return address >= prefix.network && address <= prefix.broadcast;
}

/** The lowest host address: the distributed router's gateway in a virtual subnet. */
export function lowestHostAddress(prefix: Ipv4Prefix): number {
  return prefix.network + 1;
}

export function prefixesOverlap(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  return a.network <= b.broadcast && b.network <= a.broadcast;
}
