// Classic pcap: byte-exact header, round trips, both byte orders, garbage never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from './bytes.ts';
import { readPcap, writePcap } from './pcap.ts';
import { sampleFrames } from './samples.ts';

describe('pcap', () => {
  it('writes the libpcap global and record headers', () => {
    const data = Uint8Array.of(1, 2, 3);
    const file = writePcap([{ data, timestampMicros: 1_700_000_000_123_456 }]);
    // magic, version 2.4, thiszone 0, sigfigs 0, snaplen 262144, LINKTYPE_ETHERNET
    expect(hex(file, 0, 24)).toBe(
      'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '01000000',
    );
    // record: ts_sec 1700000000 (0x6553f100), ts_usec 123456 (0x0001e240), incl 3, orig 3
    expect(hex(file, 24)).toBe('00f15365' + '40e20100' + '03000000' + '03000000' + '010203');
  });

  it('round trips records and timestamps', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            data: fc.uint8Array({ maxLength: 200 }),
            timestampMicros: fc.integer({ min: 0, max: 4_000_000_000 * 1e6 }),
          }),
          { maxLength: 20 },
        ),
        (records) => {
          const { records: back, issues, linkType } = readPcap(writePcap(records));
          expect(issues).toEqual([]);
          expect(linkType).toBe(1);
          expect(back.map((r) => ({ data: r.data, timestampMicros: r.timestampMicros }))).toEqual(records);
          expect(back.map((r) => r.originalLength)).toEqual(records.map((r) => r.data.length));
        },
      ),
    );
  });

  it('reads big-endian files and nanosecond timestamps', () => {
    const frame = sampleFrames()[0].bytes;
    const file = new Uint8Array(24 + 16 + frame.length);
    const v = new DataView(file.buffer);
    v.setUint32(0, 0xa1b23c4d); // nanosecond magic, big-endian
    v.setUint16(4, 2);
    v.setUint16(6, 4);
    v.setUint32(16, 65535);
    v.setUint32(20, 1);
    v.setUint32(24, 10);
    v.setUint32(28, 5_000_999);
    v.setUint32(32, frame.length);
    v.setUint32(36, frame.length + 10);
    file.set(frame, 40);
    const { records, issues } = readPcap(file);
    expect(issues).toEqual([]);
    expect(records).toEqual([
      { data: frame, timestampMicros: 10_005_000, originalLength: frame.length + 10 },
    ]);
  });

  it('reports what is wrong instead of throwing', () => {
    expect(readPcap(new Uint8Array(5)).issues.map((i) => i.code)).toEqual(['not-pcap']);
    const pcapng = Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, ...new Uint8Array(28));
    expect(readPcap(pcapng).issues[0].message).toContain('pcapng');
    const good = writePcap([{ data: Uint8Array.of(1, 2, 3, 4) }, { data: Uint8Array.of(5, 6) }]);
    const cut = readPcap(good.slice(0, good.length - 1));
    expect(cut.records.length).toBe(1);
    expect(cut.issues.map((i) => i.code)).toEqual(['truncated']);
    const other = good.slice();
    other[20] = 105; // 802.11
    expect(readPcap(other).issues.map((i) => i.code)).toEqual(['unsupported-linktype']);
  });

  it('garbage never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, withMagic) => {
        const bytes = withMagic ? Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, ...tail) : tail;
        const r = readPcap(bytes);
        for (const rec of r.records) expect(rec.data.length).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 1000 },
    );
  });
});
