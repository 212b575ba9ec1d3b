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

/**
 * BYTE_TABLE[k * 256 + v]: what input byte k (0..11) with value v XORs in, so a hash is 12 table
 * lookups instead of 96 bit tests (the MUX and the routers hash every packet).
 */
const INPUT_BYTES = 12;
const BYTE_TABLE = new Int32Array(INPUT_BYTES * 256);
for (let k = 0; k < INPUT_BYTES; k++)
  for (let v = 0; v < 256; v++) {
    let h = 0;
    for (let j = 0; j < 8; j++) if ((v >>> (7 - j)) & 1) h ^= WINDOW[k * 8 + j];
    BYTE_TABLE[k * 256 + v] = h;
  }

function word(h: number, w: number, k: number): number {
  const t = BYTE_TABLE;
  return (
    h ^
    t[k * 256 + (w >>> 24)] ^
    t[(k + 1) * 256 + ((w >>> 16) & 255)] ^
    t[(k + 2) * 256 + ((w >>> 8) & 255)] ^
    t[(k + 3) * 256 + (w & 255)]
  );
}

/**
 * The Toeplitz hash of `src`, `dst` (32 bits each) and the first `bits` bits of `extra`
 * (0: the 2-tuple; 8: a protocol byte in the top byte; 32: source port << 16 | destination port).
 */
export function toeplitz(src: number, dst: number, extra: number, bits: 0 | 8 | 32 | number): number {
  let h = word(word(0, src, 0), dst, 4);
  if (bits === 32) h = word(h, extra, 8);
  else if (bits === 8) h ^= BYTE_TABLE[8 * 256 + (extra >>> 24)];
  return h >>> 0;
}
