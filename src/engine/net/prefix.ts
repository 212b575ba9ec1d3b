// IPv4 prefixes ("10.1.1.0/24") as numbers: contains, overlap, and the gateway rule.
import { formatIpv4, parseIpv4 } from './ipv4';

export interface Ipv4Prefix {
  /** The prefix as written, e.g. "10.1.1.0/24". */
  text: string;
  /** The first address (network address), host bits cleared. */
  network: number;
  /** The netmask as a number (0xffffff00 for /24). */
  mask: number;
  /** The last address (broadcast address). */
  broadcast: number;
  length: number;
  /** True when the written address had host bits set (e.g. 10.1.1.5/24). */
  hostBitsSet: boolean;
}

/** The netmask of a prefix length 0..32. */
export function prefixMask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

/** "a.b.c.d/n" to a prefix; undefined when malformed (n is 0..32, no leading zeros). */
export function parsePrefix(text: string): Ipv4Prefix | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (address === undefined || !/^(0|[1-9]\d?)$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  if (length > 32) return undefined;
  const mask = prefixMask(length);
  const network = (address & mask) >>> 0;
  const broadcast = (network | (~mask >>> 0)) >>> 0;
  return { text, network, mask, broadcast, length, hostBitsSet: network !== address };
}

/** A prefix of a checked document: throws, naming the text, when it is not one. */
export function prefixOf(text: string): Ipv4Prefix {
  const prefix = parsePrefix(text);
  if (prefix === undefined) throw new Error(`'${text}' is not an IPv4 prefix (a.b.c.d/n, n 0..32)`);
  return prefix;
}

export function formatPrefix(network: number, length: number): string {
  return `${formatIpv4(network)}/${length}`;
}

export function prefixContains(prefix: Ipv4Prefix, address: number): boolean {
  return (address & prefix.mask) >>> 0 === prefix.network;
}

export function prefixesOverlap(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  return a.network <= b.broadcast && b.network <= a.broadcast;
}

/**
 * The lowest host address of a prefix: the network address + 1 (10.1.2.1 for 10.1.2.0/24), the
 * distributed router's gateway in a virtual subnet (DOMAIN.md §6). A /31 or /32 has no network
 * address to skip (RFC 3021), so its lowest host is its first address.
 */
export function lowestHostAddress(prefix: Ipv4Prefix): number {
  return prefix.length >= 31 ? prefix.network : prefix.network + 1;
}

/** The gateway address of a prefix written as text, or undefined when the text is not a prefix. */
export function gatewayOf(prefixText: string): string | undefined {
  const prefix = parsePrefix(prefixText);
  return prefix === undefined ? undefined : formatIpv4(lowestHostAddress(prefix));
}
