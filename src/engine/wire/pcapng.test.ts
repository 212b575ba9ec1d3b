// pcapng: blocks of every kind a capture holds, either byte order, any chunk sizes; and the
// file dumpcap/editcap would write from our own pcap.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from './capture.ts';
import { goldenFrames } from './golden.ts';
import type { PcapRecord } from './pcap.ts';
import { readPcap, writePcap } from './pcap.ts';
import type { PcapngReader } from './pcapng.ts';

/** One block: type | total length | body (padded to 4) | total length. */
function block(type: number, body: Uint8Array, little: boolean): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const out = new Uint8Array(12 + padded);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, little);
  v.setUint32(4, out.length, little);
  out.set(body, 8);
  v.setUint32(8 + padded, out.length, little);
  return out;
}

function fields(little: boolean, ...parts: [bits: 16 | 32, value: number][]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, [b]) => n + b / 8, 0));
  const v = new DataView(out.buffer);
  let p = 0;
  for (const [bits, value] of parts) {
    if (bits === 16) v.setUint16(p, value, little);
    else v.setUint32(p, value, little);
    p += bits / 8;
  }
  return out;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
};

/** A section with one Ethernet interface in nanoseconds, the frames as EPBs (the last one an SPB), a name-resolution block between. */
function pcapng(frames: Uint8Array[], little = true): Uint8Array {
  const shb = block(
    0x0a0d0d0a,
    fields(little, [32, 0x1a2b3c4d], [16, 1], [16, 0], [32, 0xffffffff], [32, 0xffffffff]),
    little,
  );
  // if_tsresol = 9 (nanoseconds), then opt_endofopt.
  const idb = block(
    1,
    concat(
      fields(little, [16, 1], [16, 0], [32, 262144], [16, 9], [16, 1]),
      Uint8Array.of(9, 0, 0, 0),
      fields(little, [16, 0], [16, 0]),
    ),
    little,
  );
  const nrb = block(4, fields(little, [16, 0], [16, 0]), little);
  const packets = frames.map((data, i) => {
    if (i === frames.length - 1 && i > 0)
      return block(3, concat(fields(little, [32, data.length]), data), little);
    const ns = BigInt(1_700_000_000) * 1_000_000_000n + BigInt(i) * 1500n;
    const body = concat(
      fields(
        little,
        [32, 0],
        [32, Number(ns >> 32n)],
        [32, Number(ns & 0xffffffffn)],
        [32, data.length],
        [32, data.length + (i % 2)],
      ),
      data,
    );
    return block(6, body, little);
  });
  return concat(shb, idb, nrb, ...packets);
}

function readInChunks(
  bytes: Uint8Array,
  sizes: number[],
  reader: PcapngReader | CaptureReader = new CaptureReader(),
) {
  const records: PcapRecord[] = [];
  let pos = 0;
  for (let turn = 0; pos < bytes.length; turn++) {
    const n = Math.min(sizes[turn % sizes.length], bytes.length - pos);
    reader.push(bytes.subarray(pos, pos + n), (r) => records.push({ ...r, data: r.data.slice() }));
    pos += n;
  }
  reader.end();
  return { records, issues: reader.issues };
}

const frames = goldenFrames().map((g) => g.bytes);

describe('pcapng', () => {
  it('reads enhanced and simple packet blocks in either byte order, in chunks of any size', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
        (little, sizes) => {
          const { records, issues } = readInChunks(pcapng(frames, little), sizes);
          expect(issues).toEqual([]);
          expect(records.map((r) => Array.from(r.data))).toEqual(frames.map((f) => Array.from(f)));
          expect(records[1].timestampMicros).toBe(1_700_000_000_000_000 + 1); // 1500 ns, in µs
          expect(records[1].originalLength).toBe(frames[1].length + 1);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reads what editcap writes from our pcap', () => {
    const editcap = spawnSync('editcap', ['-h'], { stdio: 'ignore' });
    if (editcap.error) return; // Wireshark's tools are not installed
    const dir = mkdtempSync(join(tmpdir(), 'hnv-pcapng-'));
    try {
      writeFileSync(
        join(dir, 'a.pcap'),
        writePcap(frames.map((data, i) => ({ data, timestampMicros: i * 1000 }))),
      );
      expect(spawnSync('editcap', ['-F', 'pcapng', join(dir, 'a.pcap'), join(dir, 'a.pcapng')]).status).toBe(
        0,
      );
      const ng = readInChunks(new Uint8Array(readFileSync(join(dir, 'a.pcapng'))), [4096]);
      const classic = readPcap(new Uint8Array(readFileSync(join(dir, 'a.pcap'))));
      expect(ng.issues).toEqual([]);
      expect(ng.records).toEqual(classic.records);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file cut inside its last packet block: the packets before it, and an error naming the block, the packet and its length', () => {
    const file = pcapng(frames.slice(0, 3));
    const { records, issues } = readInChunks(file.subarray(0, file.length - 5), [64]);
    expect(records).toHaveLength(2);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'truncated', severity: 'error' });
    expect(issues[0].message).toMatch(
      /^Block 6 \(packet 3\) at offset \d+: block total length \d+ but only \d+ bytes left in the file$/,
    );
  });

  it('a block whose two lengths disagree stops the file with an error naming the block', () => {
    const file = pcapng(frames.slice(0, 2));
    const last = file.length - 4;
    new DataView(file.buffer).setUint32(last, 12, true);
    const { records, issues } = readInChunks(file, [file.length]);
    expect(records).toHaveLength(1);
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringMatching(
        /^Block 5 \(packet 2\) at offset \d+: block total length \d+ at its start but 12 at its end$/,
      ),
    ]);
  });

  it('a packet of an interface never described is skipped with an error; the rest is read', () => {
    const file = pcapng(frames.slice(0, 3));
    // The second EPB (block 5) names interface 7.
    let pos = 0;
    for (let b = 0; b < 4; b++) pos += new DataView(file.buffer).getUint32(pos + 4, true);
    new DataView(file.buffer).setUint32(pos + 8, 7, true);
    const { records, issues } = readInChunks(file, [100]);
    expect(records).toHaveLength(2);
    expect(issues.map((i) => i.message)).toEqual([
      `Block 5 (packet 2) at offset ${pos}: interface 7 has no interface description block before it; the packet is skipped`,
    ]);
  });

  it('CaptureReader tells the formats apart even one byte at a time; anything else is not a capture', () => {
    const classic = writePcap(frames.map((data) => ({ data })));
    for (const file of [classic, pcapng(frames)]) {
      const { records, issues } = readInChunks(file, [1]);
      expect(issues).toEqual([]);
      expect(records).toHaveLength(frames.length);
    }
    const text = readInChunks(new TextEncoder().encode('hi'), [1]);
    expect(text.issues.map((i) => i.code)).toEqual(['not-pcap']);
  });
});
