// `hnv decode` end to end: the real bin script on a pcap written by the codec.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameArb } from '../engine/wire/arbitraries.ts';
import { goldenFrames } from '../engine/wire/golden.ts';
import { decodeFrame, encodeFrame, writePcap } from '../engine/wire/index.ts';
import type { DecodedFrameJson } from './decode.ts';
import {
  BufferedOutput,
  decodeCapture,
  frameJsonBytes,
  frameTextBytes,
  frameToJson,
  frameToJsonText,
  frameToText,
  JsonTemplates,
  TextTemplates,
  Utf8Bytes,
} from './decode.ts';
import { TemplateSet } from './template.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hnv.mjs');
let dir = '';
let pcap = '';

const hnv = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

describe('hnv decode', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hnv-cli-'));
    pcap = join(dir, 'golden.pcap');
    const frames = goldenFrames();
    const broken = frames[1].bytes.slice();
    broken[42] = 0; // VXLAN I flag clear
    writeFileSync(pcap, writePcap([...frames.map((f) => ({ data: f.bytes })), { data: broken }]));
    writeFileSync(join(dir, 'not.pcap'), 'hello, this is text');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json prints one object per frame with layers, Wireshark-keyed fields and issues', () => {
    const r = hnv('decode', pcap, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const frames = JSON.parse(r.stdout) as DecodedFrameJson[];
    expect(frames.length).toBe(goldenFrames().length + 1);
    const vxlan = frames[1];
    expect(vxlan.frame).toBe(2);
    expect(vxlan.length).toBe(124);
    expect(vxlan.layers).toEqual(['eth', 'ip', 'udp', 'vxlan', 'eth', 'ip', 'icmp', 'data']);
    expect(vxlan.fields['ip.src']).toEqual(['192.168.2.20', '10.1.1.12']);
    expect(vxlan.fields['udp.dstport']).toEqual([4789]);
    expect(vxlan.fields['vxlan.vni']).toEqual([5001]);
    expect(vxlan.fields['eth.type']).toEqual(['0x0800', '0x0800']);
    expect(vxlan.issues).toEqual([]);
    const nvgre = frames[3];
    expect(nvgre.fields['gre.key']).toEqual(['0x0013892a']);
    expect(nvgre.fields['nvgre.vsid']).toEqual([5001]);
    const last = frames[frames.length - 1];
    expect(last.issues).toEqual([
      {
        code: 'vxlan-i-flag-clear',
        severity: 'error',
        start: 42,
        length: 1,
        message: 'VXLAN I flag is clear (flags 0x00): the VNI is not valid',
      },
    ]);
  });

  it('prints a readable tree without --json', () => {
    const r = hnv('decode', pcap);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Frame 2: 124 bytes, eth / ip / udp / vxlan / eth / ip / icmp / data');
    expect(r.stdout).toContain('    VXLAN network identifier (VNI): 5001  [vxlan.vni @46+3]');
    expect(r.stdout).toContain('      Virtual Subnet ID (VSID): 5001  [nvgre.vsid @38+3]');
    expect(r.stdout).toContain('! error vxlan-i-flag-clear @42+1');
  });

  it('a missing file: one line on stderr, exit 1', () => {
    const r = hnv('decode', join(dir, 'missing.pcap'));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `hnv decode: cannot read ${join(dir, 'missing.pcap')}: no such file`,
    ]);
  });

  it('not a pcap: one line on stderr, exit 1', () => {
    const r = hnv('decode', join(dir, 'not.pcap'), '--json');
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Not a pcap file');
  });

  it('unknown verbs and missing arguments exit 1 with usage', () => {
    expect(hnv('frobnicate').status).toBe(1);
    const r = hnv('decode');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('hnv decode FILE.pcap [--json]');
  });
});

describe('hnv decode streams', () => {
  // Bigger than the CLI's 64 KiB read chunk, with frames of every size, so records straddle chunks.
  const frames = [
    ...goldenFrames().map((g) => g.bytes),
    ...fc.sample(frameArb, { numRuns: 2500, seed: 10 }).map((l) => encodeFrame(l)),
  ];
  const file = writePcap(frames.map((data) => ({ data })));
  let own = '';
  let path = '';
  beforeAll(() => {
    own = mkdtempSync(join(tmpdir(), 'hnv-cli-stream-'));
    path = join(own, 'many.pcap');
    writeFileSync(path, file);
  });
  afterAll(() => rmSync(own, { recursive: true, force: true }));

  it('prints, record by record, what decoding the whole file at once prints', () => {
    expect(file.length).toBeGreaterThan(3 * 64 * 1024);
    const json = hnv('decode', path, '--json');
    expect(json.stderr).toBe('');
    expect(json.stdout).toBe(
      `${JSON.stringify(
        frames.map((f, i) => frameToJson(i, decodeFrame(f))),
        null,
        2,
      )}\n`,
    );
    const text = hnv('decode', path);
    expect(text.stdout).toBe(`${frames.map((f, i) => frameToText(i, decodeFrame(f))).join('\n\n')}\n`);
  });

  it('a file cut inside a record: the frames before it, then one line on stderr naming the record', () => {
    const cut = join(own, 'cut.pcap');
    writeFileSync(cut, file.subarray(0, file.length - 10));
    const r = hnv('decode', cut, '--json');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as DecodedFrameJson[]).length).toBe(frames.length - 1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^hnv decode: .*cut\\.pcap: error: Record ${frames.length} at offset \\d+: incl_len \\d+ but only \\d+ bytes left in the file$`,
        ),
      ),
    ]);
  });

  it('an empty capture prints what JSON.stringify([]) and an empty tree print', () => {
    const empty = join(own, 'empty.pcap');
    writeFileSync(empty, writePcap([]));
    expect(hnv('decode', empty, '--json').stdout).toBe('[]\n');
    expect(hnv('decode', empty).stdout).toBe('\n');
  });

  it('frameToJsonText is JSON.stringify(frameToJson(...), null, 2), at any indent', () => {
    fc.assert(
      fc.property(frameArb, fc.nat(1000), fc.constantFrom('', '  '), (layers, index, indent) => {
        const bytes = encodeFrame(layers);
        bytes[bytes.length - 1] ^= 1; // often a checksum issue too
        const frame = decodeFrame(bytes);
        const expected = JSON.stringify(frameToJson(index, frame), null, 2).replaceAll('\n', `\n${indent}`);
        expect(frameToJsonText(index, frame, indent)).toBe(expected);
      }),
      { numRuns: 200 },
    );
    const none = decodeFrame(new Uint8Array(0));
    expect(frameToJsonText(0, none)).toBe(JSON.stringify(frameToJson(0, none), null, 2));
  });

  it('frameTextBytes writes the UTF-8 of frameToText', () => {
    const out = new Utf8Bytes();
    fc.assert(
      fc.property(
        frameArb,
        fc.nat(1000),
        fc.uint8Array({ minLength: 40, maxLength: 80 }),
        (layers, index, tail) => {
          const bytes = encodeFrame([...layers, { protocol: 'data', header: { bytes: tail } }]); // a long value: '…'
          bytes[bytes.length - 1] ^= 1;
          const frame = decodeFrame(bytes);
          out.reset();
          out.str('>');
          frameTextBytes(index, frame, out);
          expect(out.buffer.subarray(0, out.length).toString('utf8')).toBe(`>${frameToText(index, frame)}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("frameJsonBytes writes the UTF-8 of frameToJsonText at the CLI's indent", () => {
    const out = new Utf8Bytes();
    fc.assert(
      fc.property(frameArb, fc.nat(1000), fc.nat(200), (layers, index, flip) => {
        const bytes = encodeFrame(layers);
        bytes[flip % bytes.length] ^= 0x41; // issues of every kind, now and then
        const frame = decodeFrame(bytes);
        out.reset();
        frameJsonBytes(index, frame, out);
        expect(out.buffer.subarray(0, out.length).toString('utf8')).toBe(frameToJsonText(index, frame, '  '));
      }),
      { numRuns: 300 },
    );
  });

  it('the output buffer waits for a slow reader: one write in flight, bytes in order, non-ASCII kept', async () => {
    const received: Buffer[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        received.push(Buffer.from(chunk)); // a copy: the writer reuses its buffer
        setImmediate(() => {
          inFlight--;
          done();
        });
      },
    });
    const out = new BufferedOutput(slow, 64);
    const pieces: string[] = [];
    const scratch = Buffer.alloc(64); // reused for every bytes() piece, as the CLI reuses its frame buffer
    for (let i = 0; i < 500; i++) {
      const piece = i % 7 === 0 ? `${'x'.repeat(i % 50)}…${i}\n` : `line ${i}\n`;
      pieces.push(piece);
      if (i % 2) out.write(piece);
      else out.bytes(scratch.subarray(0, scratch.write(piece)));
      if (i % 5 === 0 && out.full) await out.flush();
    }
    out.write('z'.repeat(200)); // longer than the whole buffer
    pieces.push('z'.repeat(200));
    await out.flush();
    expect(Buffer.concat(received).toString('utf8')).toBe(pieces.join(''));
    expect(maxInFlight).toBe(1);
    // Handed over as it filled: never more than the limit plus the pieces since the last check.
    expect(received.length).toBeGreaterThan(10);
    expect(Math.max(...received.slice(0, -1).map((b) => b.length))).toBeLessThanOrEqual(64 + 5 * 60);
  });
});

describe('hnv decode templates', () => {
  // Frames of a few layouts, each seen many times with other values (and now and then a
  // damaged byte that changes the layout or adds an issue): what a capture looks like.
  const captureArb = fc
    .array(frameArb, { minLength: 1, maxLength: 4 })
    .chain((bases) =>
      fc.tuple(
        fc.constant(bases.map((l) => encodeFrame(l))),
        fc.array(fc.tuple(fc.nat(bases.length - 1), fc.nat(), fc.nat(255), fc.boolean()), {
          minLength: 1,
          maxLength: 40,
        }),
      ),
    )
    .map(([bases, picks]) =>
      picks.map(([base, at, value, damage]) => {
        const bytes = bases[base].slice();
        // A value change away from the first 14 bytes keeps most layouts; `damage` may break one.
        if (damage || bytes.length > 14)
          bytes[damage ? at % bytes.length : 14 + (at % (bytes.length - 14))] = value;
        return bytes;
      }),
    );

  it('TextTemplates writes, frame after frame, the UTF-8 of frameToText', () => {
    fc.assert(
      fc.property(captureArb, (frames) => {
        const templates = new TextTemplates();
        const out = new Utf8Bytes();
        frames.forEach((bytes, i) => {
          const frame = decodeFrame(bytes);
          out.reset();
          templates.write(i, frame, out);
          expect(out.buffer.subarray(0, out.length).toString('utf8')).toBe(frameToText(i, frame));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('JsonTemplates writes, frame after frame, the UTF-8 of frameToJsonText', () => {
    fc.assert(
      fc.property(captureArb, (frames) => {
        const templates = new JsonTemplates();
        const out = new Utf8Bytes();
        frames.forEach((bytes, i) => {
          const frame = decodeFrame(bytes);
          out.reset();
          templates.write(i, frame, out);
          expect(out.buffer.subarray(0, out.length).toString('utf8')).toBe(frameToJsonText(i, frame, '  '));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('more layouts than templates are kept: still the same bytes', () => {
    const frames = fc.sample(frameArb, { numRuns: 300, seed: 7 }).map((l) => encodeFrame(l));
    const text = new TextTemplates();
    const json = new JsonTemplates();
    const out = new Utf8Bytes();
    for (let round = 0; round < 2; round++) {
      frames.forEach((bytes, i) => {
        const frame = decodeFrame(bytes);
        out.reset();
        text.write(i, frame, out);
        expect(out.buffer.subarray(0, out.length).toString('utf8')).toBe(frameToText(i, frame));
        out.reset();
        json.write(i, frame, out);
        expect(out.buffer.subarray(0, out.length).toString('utf8')).toBe(frameToJsonText(i, frame, '  '));
      });
    }
  });
});

describe('TemplateSet', () => {
  const template = (id: number) => ({ id, match: (frame: number) => frame === id });

  it('finds by signature, keeps the last few per signature and a bounded number in all', () => {
    const set = new TemplateSet<ReturnType<typeof template>, number>();
    for (let i = 0; i < 6; i++) set.add(1, template(i));
    expect(set.find(1, 5)?.id).toBe(5);
    expect(set.find(1, 1)).toBeUndefined(); // only the last 4 of signature 1 are kept
    expect(set.find(2, 5)).toBeUndefined();
    for (let i = 0; i < 1000; i++) set.add(100 + i, template(i));
    expect(set.find(1099, 999)?.id).toBe(999);
    expect(set.find(100, 0)).toBeUndefined(); // the oldest went
  });

  it('stops learning when most frames need a template of their own', () => {
    const set = new TemplateSet<ReturnType<typeof template>, number>();
    for (let i = 0; i < 32; i++) {
      expect(set.find(i, i)).toBeUndefined();
      expect(set.learning).toBe(true);
      set.add(i, template(i));
    }
    set.find(32, 32);
    expect(set.learning).toBe(false);
    for (let i = 0; i < 600; i++) set.find(0, 0); // then a long run of one layout
    expect(set.learning).toBe(true);
  });
});

describe('decodeCapture reads in chunks', () => {
  const frames = [
    ...goldenFrames().map((g) => g.bytes),
    ...fc.sample(frameArb, { numRuns: 60, seed: 3 }).map((l) => encodeFrame(l)),
  ];
  const file = writePcap(frames.map((data) => ({ data })));

  /** Run decodeCapture over `bytes`, read `size` bytes at a time (the last read of each chunk may be short). */
  async function decodeInChunks(bytes: Uint8Array, json: boolean, sizes: number[]) {
    const received: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received.push(Buffer.from(chunk));
        done();
      },
    });
    const issues: string[] = [];
    let pos = 0;
    let turn = 0;
    const result = await decodeCapture({
      json,
      // Each call takes at most the next size in the list, however big the buffer.
      read: (into) => {
        const n = Math.min(into.length, sizes[turn++ % sizes.length], bytes.length - pos);
        into.set(bytes.subarray(pos, pos + n));
        pos += n;
        return n;
      },
      out: new BufferedOutput(sink, 4096),
      onIssue: (severity, message) => issues.push(`${severity}: ${message}`),
      chunkSize: Math.max(...sizes),
    });
    return { ...result, stdout: Buffer.concat(received).toString('utf8'), issues };
  }

  it('any chunk sizes print exactly what one read of the whole file prints', async () => {
    const whole = {
      text: await decodeInChunks(file, false, [file.length]),
      json: await decodeInChunks(file, true, [file.length]),
    };
    expect(whole.text.stdout).toBe(`${frames.map((f, i) => frameToText(i, decodeFrame(f))).join('\n\n')}\n`);
    expect(JSON.parse(whole.json.stdout)).toHaveLength(frames.length);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (sizes, json) => {
          const r = await decodeInChunks(file, json, sizes);
          expect(r.stdout).toBe(json ? whole.json.stdout : whole.text.stdout);
          expect(r.frames).toBe(frames.length);
          expect(r.issues).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a pcapng of the same frames (as editcap writes it) prints the same', async () => {
    if (spawnSync('editcap', ['-h'], { stdio: 'ignore' }).error) return; // Wireshark's tools are not installed
    const own = mkdtempSync(join(tmpdir(), 'hnv-cli-ng-'));
    try {
      writeFileSync(join(own, 'a.pcap'), file);
      expect(spawnSync('editcap', ['-F', 'pcapng', join(own, 'a.pcap'), join(own, 'a.pcapng')]).status).toBe(
        0,
      );
      const ng = new Uint8Array(readFileSync(join(own, 'a.pcapng')));
      for (const json of [false, true]) {
        const r = await decodeInChunks(ng, json, [1000]);
        expect(r.issues).toEqual([]);
        expect(r.stdout).toBe((await decodeInChunks(file, json, [1000])).stdout);
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('a truncated last record: the frames before it, and one issue naming the record and its incl_len', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 5000 }),
        async (cut, size) => {
          const lastLength = frames[frames.length - 1].length;
          const bytes = file.subarray(0, file.length - Math.min(cut, lastLength + 15));
          const r = await decodeInChunks(bytes, true, [size]);
          const printed = JSON.parse(r.stdout) as DecodedFrameJson[];
          expect(printed).toEqual(frames.slice(0, -1).map((f, i) => frameToJson(i, decodeFrame(f))));
          expect(r.issues).toHaveLength(1);
          expect(r.issues[0]).toMatch(
            cut <= lastLength
              ? new RegExp(
                  `^error: Record ${frames.length} at offset \\d+: incl_len ${lastLength} but only ${lastLength - cut} bytes left in the file$`,
                )
              : new RegExp(
                  `^error: Record ${frames.length} at offset \\d+: the record header is cut short \\(\\d+ of 16 bytes\\)$`,
                ),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
