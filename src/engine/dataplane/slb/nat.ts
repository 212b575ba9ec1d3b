// Address and port translation in place, with the IPv4 and TCP/UDP checksums updated
// incrementally (RFC 1624: HC' = ~(~HC + ~m + m') per changed 16-bit word). No allocation: the
// SLB host agent's NAT runs on every packet of a load-balanced flow.
import { IP_TCP, IP_UDP } from '../packet';

/** Replace 16-bit word `m` by `m2` under the checksum at `at`. */
function patch(b: Uint8Array, at: number, m: number, m2: number): void {
  let sum = (~((b[at] << 8) | b[at + 1]) & 0xffff) + (~m & 0xffff) + m2;
  sum = (sum & 0xffff) + (sum >>> 16);
  sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  b[at] = c >>> 8;
  b[at + 1] = c & 255;
}

/**
 * Rewrite the source (`dst` false) or destination address and port of the IPv4 packet at `l3`.
 * The L4 checksum covers the pseudo header, so it changes with the address too; a UDP checksum
 * of 0 (none) stays 0, and a computed 0 is sent as 0xffff (RFC 768).
 */
export function translate(b: Uint8Array, l3: number, dst: boolean, ip: number, port: number): void {
  const at = l3 + (dst ? 16 : 12);
  const proto = b[l3 + 9];
  const l4 = l3 + (b[l3] & 15) * 4;
  const sumAt = proto === IP_TCP ? l4 + 16 : proto === IP_UDP ? l4 + 6 : -1;
  const udpNone = proto === IP_UDP && b[sumAt] === 0 && b[sumAt + 1] === 0;
  const hi = (b[at] << 8) | b[at + 1];
  const lo = (b[at + 2] << 8) | b[at + 3];
  const nhi = (ip >>> 16) & 0xffff;
  const nlo = ip & 0xffff;
  patch(b, l3 + 10, hi, nhi);
  patch(b, l3 + 10, lo, nlo);
  b[at] = nhi >>> 8;
  b[at + 1] = nhi & 255;
  b[at + 2] = nlo >>> 8;
  b[at + 3] = nlo & 255;
  if (sumAt < 0) return;
  const pAt = l4 + (dst ? 2 : 0);
  const oldPort = (b[pAt] << 8) | b[pAt + 1];
  b[pAt] = port >>> 8;
  b[pAt + 1] = port & 255;
  if (udpNone) return;
  patch(b, sumAt, hi, nhi);
  patch(b, sumAt, lo, nlo);
  patch(b, sumAt, oldPort, port);
  if (proto === IP_UDP && b[sumAt] === 0 && b[sumAt + 1] === 0) {
    b[sumAt] = 0xff;
    b[sumAt + 1] = 0xff;
  }
}
