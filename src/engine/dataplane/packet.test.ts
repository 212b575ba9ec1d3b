// Header arithmetic the fast path does in place: the routed hop's TTL decrement keeps the IPv4
// header checksum right (RFC 1624 incremental update), whatever the header and the TTL.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decrementTtl, ipChecksum, ipChecksumOk } from './packet.ts';

describe('decrementTtl', () => {
  it('lowers the TTL by one (0 wraps to 255), changes nothing else, and the checksum still sums right', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 8 }),
        (bytes, at) => {
          const b = new Uint8Array(at + 20);
          b.set(bytes, at);
          b[at] = 0x45;
          ipChecksum(b, at);
          const before = b.slice();
          decrementTtl(b, at);
          expect(b[at + 8]).toBe((before[at + 8] + 255) & 255);
          expect(ipChecksumOk(b, at)).toBe(true);
          for (let i = 0; i < b.length; i++)
            if (i !== at + 8 && i !== at + 10 && i !== at + 11) expect(b[i]).toBe(before[i]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
