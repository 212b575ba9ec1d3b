// Classic pcap: byte-exact header, round trips, both byte orders, garbage never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from './bytes.ts';
import type { PcapRecord } from './pcap.ts';
import { PcapReader, readPcap, writePcap } from './pcap.ts';
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

  describe('header and record fields that break the format are issues, each naming the record and the field', () => {
    /** A little-endian file with the given snaplen and version whose records have these lengths. */
    const file = (snaplen: number, records: [incl: number, orig: number][], version = [2, 4]) => {
      const out = writePcap(records.map(([incl]) => ({ data: new Uint8Array(incl).fill(0xab) })));
      const v = new DataView(out.buffer);
      v.setUint16(4, version[0], true);
      v.setUint16(6, version[1], true);
      v.setUint32(16, snaplen, true);
      let pos = 24;
      for (const [incl, orig] of records) {
        v.setUint32(pos + 12, orig, true);
        pos += 16 + incl;
      }
      return out;
    };

    it("incl_len above the file's snaplen: a warning, the record is still read", () => {
      const r = readPcap(
        file(40, [
          [40, 40],
          [60, 60],
        ]),
      );
      expect(r.records.map((x) => x.data.length)).toEqual([40, 60]);
      expect(r.issues).toEqual([
        {
          code: 'incl-len-over-snaplen',
          severity: 'warning',
          start: 24 + 56 + 8,
          length: 4,
          message: "Record 2 at offset 80: incl_len 60 is more than the file's snaplen 40",
        },
      ]);
    });

    it('incl_len above orig_len: a warning, the record is still read', () => {
      const r = readPcap(file(65535, [[60, 50]]));
      expect(r.records.map((x) => [x.data.length, x.originalLength])).toEqual([[60, 50]]);
      expect(r.issues).toEqual([
        {
          code: 'incl-len-over-orig-len',
          severity: 'warning',
          start: 32,
          length: 8,
          message:
            'Record 1 at offset 24: incl_len 60 is more than orig_len 50: a capture cannot hold more than was on the wire',
        },
      ]);
      // A cut capture (incl_len < orig_len) is normal.
      expect(readPcap(file(65535, [[60, 1514]])).issues).toEqual([]);
    });

    it('a version other than 2.4: a warning on the header', () => {
      const r = readPcap(file(65535, [[60, 60]], [3, 0]));
      expect(r.records.length).toBe(1);
      expect(r.issues).toEqual([
        {
          code: 'unknown-version',
          severity: 'warning',
          start: 4,
          length: 4,
          message:
            'pcap header: version 3.0 is not 2.4, the only one libpcap writes; records are read as 2.4',
        },
      ]);
    });

    it('a truncated record: its header or its data cut short, with what was there', () => {
      const good = file(65535, [
        [10, 10],
        [20, 20],
      ]);
      const headerCut = readPcap(good.slice(0, 24 + 26 + 7));
      expect(headerCut.records.length).toBe(1);
      expect(headerCut.issues).toEqual([
        {
          code: 'truncated',
          severity: 'error',
          start: 50,
          length: 7,
          message: 'Record 2 at offset 50: the record header is cut short (7 of 16 bytes)',
        },
      ]);
      const dataCut = readPcap(good.slice(0, good.length - 5));
      expect(dataCut.records.length).toBe(1);
      expect(dataCut.issues).toEqual([
        {
          code: 'truncated',
          severity: 'error',
          start: 66,
          length: 15,
          message: 'Record 2 at offset 50: incl_len 20 but only 15 bytes left in the file',
        },
      ]);
    });

    it('an impossible incl_len stops reading', () => {
      const bad = file(65535, [
        [10, 10],
        [4, 4],
      ]);
      new DataView(bad.buffer).setUint32(50 + 8, 0x7fffffff, true);
      const r = readPcap(bad);
      expect(r.records.length).toBe(1);
      expect(r.issues.map((i) => [i.code, i.message])).toEqual([
        ['bad-record', 'Record 2 at offset 50: incl_len 2147483647 is impossibly large'],
      ]);
    });
  });

  it('read in chunks of any size, the records and issues are those of the whole file', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (frames, sizes, cut) => {
          const whole = writePcap(frames.map((data) => ({ data })));
          const bytes = whole.slice(0, whole.length - (cut % 20)); // sometimes a truncated end
          const expected = readPcap(bytes);
          const reader = new PcapReader();
          const got: PcapRecord[] = [];
          let pos = 0;
          for (let i = 0; pos < bytes.length; i++) {
            const n = sizes[i % sizes.length];
            reader.push(bytes.subarray(pos, pos + n), (r) => got.push({ ...r, data: r.data.slice() }));
            pos += n;
          }
          reader.end();
          expect(got).toEqual(expected.records);
          expect(reader.issues).toEqual(expected.issues);
          expect(reader.count).toBe(expected.records.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
