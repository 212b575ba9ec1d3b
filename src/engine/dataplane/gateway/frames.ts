// Headers the gateway and the sites write in place, in front of an IPv4 packet already in the
// buffer (the room a VXLAN packet's outer headers left), and ESP's seal and open. No codec
// round trip and no allocation per packet: the codec and tshark read the result in the tests.
import { isKeyOnlyGreWord } from '../../wire/gre';
import { ETH_IPV4, fnv, ipChecksum, put16, put32, writeMac } from '../packet';
import type { Pkt } from '../steps';

export interface Ipv4Spec {
  src: number;
  dst: number;
  proto: number;
  ttl: number;
  id: number;
  df: boolean;
  payloadLength: number;
}

/** An IPv4 header (20 bytes, checksum set) ending at `ipEnd`, where its payload starts; returns its start. */
export function writeIpv4(b: Uint8Array, ipEnd: number, h: Ipv4Spec): number {
  const ip = ipEnd - 20;
  b[ip] = 0x45;
  b[ip + 1] = 0;
  put16(b, ip + 2, 20 + h.payloadLength);
  put16(b, ip + 4, h.id & 0xffff);
  put16(b, ip + 6, h.df ? 0x4000 : 0);
  b[ip + 8] = h.ttl;
  b[ip + 9] = h.proto;
  put32(b, ip + 12, h.src);
  put32(b, ip + 16, h.dst);
  ipChecksum(b, ip);
  return ip;
}

/** Ethernet [+ 802.1Q] + IPv4 header ending at `ipEnd` (where the payload starts); returns the frame start. */
export function writeEthIpv4(
  b: Uint8Array,
  ipEnd: number,
  h: Ipv4Spec & { dstMac: Uint8Array; srcMac: Uint8Array; vlanId: number },
): number {
  return writeEth(b, writeIpv4(b, ipEnd, h), h.dstMac, h.srcMac, h.vlanId, 0x0800);
}

/** An Ethernet [+ 802.1Q] header ending at `at`; returns where it starts. */
export function writeEth(
  b: Uint8Array,
  at: number,
  dst: Uint8Array,
  src: Uint8Array,
  vlanId: number,
  type: number,
): number {
  const start = at - (vlanId > 0 ? 18 : 14);
  writeMac(b, start, dst);
  writeMac(b, start + 6, src);
  if (vlanId > 0) {
    put16(b, start + 12, 0x8100);
    put16(b, start + 14, vlanId & 0x0fff);
    put16(b, start + 16, type);
  } else put16(b, start + 12, type);
  return start;
}

/** GRE with K set carrying IPv4 (RFC 2784 + RFC 2890's key), ending at `at`; returns its start. */
export function writeGreIpv4(b: Uint8Array, at: number, key: number): number {
  const start = at - 8;
  put16(b, start, 0x2000);
  put16(b, start + 2, 0x0800);
  put32(b, start + 4, key >>> 0);
  return start;
}

/**
 * Why the GRE header at `at` is not the site-to-site kind `writeGreIpv4` writes (K set, C/R/S/
 * strict route/recursion/version clear, IPv4 inside), or null when it is. Bits 6-12 are reserved
 * and ignored on receipt (RFC 2784 §2.3), so a sender that sets them still gets through.
 */
export function greIpv4Fault(b: Uint8Array, at: number): string | null {
  const word = (b[at] << 8) | b[at + 1];
  const type = (b[at + 2] << 8) | b[at + 3];
  if (isKeyOnlyGreWord(word) && type === ETH_IPV4) return null;
  const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
  return `GRE header ${hex(word)} / protocol ${hex(type)}: the site-to-site tunnel is GRE with a key carrying IPv4`;
}

/** Room for `extra` more bytes after the packet: its buffer, or (rarely) a bigger copy. */
export function ensureTail(pkt: Pkt, extra: number): void {
  if (pkt.off + pkt.len + extra <= pkt.buf.length) return;
  const buf = new Uint8Array(pkt.buf.length + extra + 64);
  buf.set(pkt.buf);
  pkt.buf = buf;
}

// ---- ESP (RFC 4303), tunnel mode. The lab's stand-in for the SA's cipher and integrity
// algorithm: a keystream and an ICV derived (FNV-1a, xorshift) from the SA's SPI, the sequence
// number and the IV. The bytes look like ciphertext to anyone without the SA (tshark shows SPI
// and sequence only), and the receiver checks the ICV and decrypts: it is not AES-GCM.

export const ESP_IV = 8;
export const ESP_ICV = 12;
/** Next header of an IPv4 packet inside ESP (tunnel mode). */
const NEXT_IPV4 = 4;

function keystream(b: Uint8Array, from: number, to: number, spi: number, seq: number, ivAt: number): void {
  let s = fnv(b, ivAt, ivAt + ESP_IV, (spi ^ Math.imul(seq, 0x9e3779b9)) >>> 0) || 1;
  for (let i = from; i < to; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    b[i] ^= s & 255;
  }
}

function icv(b: Uint8Array, start: number, end: number, spi: number, out: Uint8Array, at: number): void {
  put32(out, at, fnv(b, start, end, spi >>> 0));
  put32(out, at + 4, fnv(b, start, end, (spi ^ 0x5bd1e995) >>> 0));
  put32(out, at + 8, fnv(b, start, end, (spi ^ 0x27d4eb2f) >>> 0));
}

/** The receiver's ICV, computed here to compare (no allocation per packet). */
const expectedIcv = new Uint8Array(ESP_ICV);

/**
 * Seal the IPv4 packet at [ip, ip + len) in ESP: SPI, sequence and IV written in front of it,
 * padding (1, 2, 3 ...), pad length and next header after it, encrypted in place, the ICV after.
 * The caller made room for `espTrailer(len)` bytes after the packet. Returns the ESP length.
 */
export function espSeal(b: Uint8Array, ip: number, len: number, spi: number, seq: number): number {
  const start = ip - 8 - ESP_IV;
  put32(b, start, spi >>> 0);
  put32(b, start + 4, seq >>> 0);
  // The IV: fresh per packet (here derived from the SA and the sequence number).
  put32(b, start + 8, fnv(b, start, start + 8, 0x811c9dc5));
  put32(b, start + 12, Math.imul(seq, 0x01000193) >>> 0);
  const padLength = (4 - ((len + 2) % 4)) % 4;
  let at = ip + len;
  for (let i = 1; i <= padLength; i++) b[at++] = i;
  b[at++] = padLength;
  b[at++] = NEXT_IPV4;
  keystream(b, ip, at, spi, seq, start + 8);
  icv(b, start, at, spi, b, at);
  return at + ESP_ICV - start;
}

/** Bytes ESP adds after a `len`-byte packet: padding, pad length, next header, ICV. */
export function espTrailer(len: number): number {
  return ((4 - ((len + 2) % 4)) % 4) + 2 + ESP_ICV;
}

/** Why an ESP packet cannot be opened, or the inner packet's length after opening it in place. */
export function espOpen(
  b: Uint8Array,
  start: number,
  end: number,
  spi: number,
): { ok: true; ip: number; len: number } | { ok: false; reason: string } {
  const ip = start + 8 + ESP_IV;
  const icvAt = end - ESP_ICV;
  if (icvAt - ip < 22) return { ok: false, reason: 'ESP packet too short to hold an IPv4 packet' };
  const seq = (b[start + 4] << 24) | (b[start + 5] << 16) | (b[start + 6] << 8) | b[start + 7];
  icv(b, start, icvAt, spi, expectedIcv, 0);
  for (let i = 0; i < ESP_ICV; i++)
    if (expectedIcv[i] !== b[icvAt + i])
      return {
        ok: false,
        reason: 'ESP integrity check failed (ICV mismatch): the packet was altered or the SA is wrong',
      };
  keystream(b, ip, icvAt, spi, seq >>> 0, start + 8);
  const next = b[icvAt - 1];
  const padLength = b[icvAt - 2];
  if (next !== NEXT_IPV4) return { ok: false, reason: `ESP next header ${next} is not IPv4 (4)` };
  return { ok: true, ip, len: icvAt - 2 - padLength - ip };
}

/**
 * A trace's view of an IPv4 packet inside a device (a gateway compartment, a site): the packet
 * behind an Ethernet header from the device's MAC, not yet addressed (destination 00:00:00:00:00:00),
 * so the inspector and Wireshark read it like any frame. Traced packets only.
 */
export function ipAsFrame(b: Uint8Array, ip: number, len: number, deviceMac: Uint8Array): Uint8Array {
  const out = new Uint8Array(14 + len);
  out.set(deviceMac, 6);
  out[12] = 0x08;
  out.set(b.subarray(ip, ip + len), 14);
  return out;
}
