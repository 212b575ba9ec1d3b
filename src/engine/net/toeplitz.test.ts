import { describe, expect, it } from 'vitest';
import { ipv4ToNumber as ipToU32 } from './ipv4';
import { toeplitz } from './toeplitz';

// Microsoft's published verification vectors for IPv4 (docs: "Verifying the RSS Hash Calculation").
const vectors = [
  { dst: '161.142.100.80', dport: 1766, src: '66.9.149.187', sport: 2794, ip: 0x323e8fc2, tcp: 0x51ccc178 },
  { dst: '65.69.140.83', dport: 4739, src: '199.92.111.2', sport: 14230, ip: 0xd718262a, tcp: 0xc626b0ea },
  { dst: '12.22.207.184', dport: 38024, src: '24.19.198.95', sport: 12898, ip: 0xd2d0a5de, tcp: 0x5c2b394a },
  { dst: '209.142.163.6', dport: 2217, src: '38.27.205.30', sport: 48228, ip: 0x82989176, tcp: 0xafc7327f },
  { dst: '202.188.127.2', dport: 1303, src: '153.39.163.191', sport: 44251, ip: 0x5d1809c5, tcp: 0x10e828a2 },
];

describe('Toeplitz hash (RSS, Microsoft default key)', () => {
  for (const v of vectors)
    it(`${v.src}:${v.sport} -> ${v.dst}:${v.dport}`, () => {
      const src = ipToU32(v.src);
      const dst = ipToU32(v.dst);
      expect(toeplitz(src, dst, 0, 0)).toBe(v.ip);
      expect(toeplitz(src, dst, ((v.sport << 16) | v.dport) >>> 0, 32)).toBe(v.tcp);
    });
});

describe('Toeplitz, table-driven vs bit by bit', () => {
  it('agrees with the definition (a bit at a time over the key) on the 3-tuple form', () => {
    const key = [0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43];
    const bit = (i: number) => (key[i >>> 3] >>> (7 - (i & 7))) & 1;
    const slow = (bytes: number[]) => {
      let h = 0;
      bytes.forEach((b, k) => {
        for (let j = 0; j < 8; j++)
          if ((b >>> (7 - j)) & 1) {
            let w = 0;
            for (let x = 0; x < 32; x++) w = (w << 1) | bit(k * 8 + j + x);
            h ^= w;
          }
      });
      return h >>> 0;
    };
    expect(toeplitz(ipToU32('10.0.0.1'), ipToU32('203.0.113.10'), 6 << 24, 8)).toBe(
      slow([10, 0, 0, 1, 203, 0, 113, 10, 6]),
    );
  });
});
