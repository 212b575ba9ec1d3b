// The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of
// 16-bit words. Used by IPv4, ICMP, UDP, TCP and GRE.
import { ipv4ToNumber } from './bytes.ts';

/** Raw ones' complement sum (not yet complemented) of bytes[start, end), added to `initial`. */
export function onesComplementSum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  // Sum 16-bit words; fold lazily since JS numbers hold 53 bits without overflow.
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8; // odd length: pad with a zero byte
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The checksum of bytes[start, end): ~sum & 0xffff. `initial` is a pseudo-header sum.
 * Over data that already contains a correct checksum field, the result is 0.
 */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  return ~onesComplementSum(bytes, start, end, initial) & 0xffff;
}

/** Sum of the IPv4 pseudo-header (RFC 768 / RFC 793) as `initial` for internetChecksum. Addresses as numbers or dotted quads. */
export function pseudoHeaderSum(
  src: number | string,
  dst: number | string,
  proto: number,
  length: number,
): number {
  const srcIp = typeof src === 'string' ? ipv4ToNumber(src) : src;
  const dstIp = typeof dst === 'string' ? ipv4ToNumber(dst) : dst;
  return (
    (srcIp >>> 16) + (srcIp & 0xffff) + (dstIp >>> 16) + (dstIp & 0xffff) + (proto & 0xff) + (length & 0xffff)
  );
}
