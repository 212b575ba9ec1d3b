// The Toeplitz hash of Receive Side Scaling, with Microsoft's default 40-byte secret key: the
// hash Windows NICs and the Hyper-V stack compute over a packet's tuple. The SLB MUX uses it to
// spread flows over DIPs (and routers, over ECMP next hops). Checked against the verification
// vectors Microsoft publishes ("Verifying the RSS Hash Calculation"). Input, as RSS orders it:
// source IPv4, destination IPv4, then source port and destination port.

/** Microsoft's default RSS key. */
export const RSS_KEY = new Uint8Array([
  0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca,
  0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b,
  0xbe, 0xac, 0x01, 0xfa,
]);

/** WINDOW[i]: the 32 key bits starting at bit i (what input bit i XORs in when set). */
const WINDOW = new Int32Array(RSS_KEY.length * 8 - 32);
for (let i = 0; i < WINDOW.length; i++) {
  let w = 0;
  for (let j = 0; j < 32; j++) {
    const bit = i + j;
    w = (w << 1) | ((RSS_KEY[bit >>> 3] >>> (7 - (bit & 7))) & 1);
  }
  WINDOW[i] = w;
}

function mix(hash: number, word: number, base: number, bits: number): number {
  let h = hash;
  for (let j = 0; j < bits; j++) if ((word >>> (31 - j)) & 1) h ^= WINDOW[base + j];
  return h;
}

/**
 * The Toeplitz hash of `src`, `dst` (32 bits each) and the first `bits` bits of `extra`
 * (0: the 2-tuple; 8: a protocol byte in the top byte; 32: source port << 16 | destination port).
 */
export function toeplitz(src: number, dst: number, extra: number, bits: number): number {
  let h = mix(0, src, 0, 32);
  h = mix(h, dst, 32, 32);
  if (bits > 0) h = mix(h, extra, 64, bits);
  return h >>> 0;
}
