// Property-based checks (fast-check): header round trips for every protocol, whole-frame
// round trips, and robustness against random, mutated and truncated bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameArb, ipArb, macArb, u8, u16, u24, u32 } from './arbitraries.ts';
import { ByteWriter } from './bytes.ts';
import type { DecodeContext } from './fields.ts';
import { createContext } from './fields.ts';
import { decodeFrame, encodeFrame } from './frame.ts';
import { goldenFrames } from './golden.ts';
import type { EncodableProtocol } from './registry.ts';
import { codecs } from './registry.ts';
import type {
  AnyHeader,
  ArpHeader,
  DecodedFrame,
  EspHeader,
  EthernetHeader,
  FieldNode,
  GreHeader,
  IcmpHeader,
  Ipv4Header,
  LayerSpec,
  TcpOption,
  UdpHeader,
  VlanHeader,
  VxlanHeader,
} from './types.ts';

/** Encode one header alone and decode it back with the same protocol's decoder. */
function roundTrip(spec: LayerSpec): AnyHeader {
  const w = new ByteWriter(8);
  (codecs[spec.protocol].encode as (h: AnyHeader, w: ByteWriter) => void)(spec.header, w);
  const bytes = w.finish();
  const ctx: DecodeContext = createContext(bytes);
  return codecs[spec.protocol as EncodableProtocol].decode(bytes, 0, bytes.length, ctx).layer.header;
}

const headerArbs: Record<EncodableProtocol, fc.Arbitrary<LayerSpec>> = {
  eth: fc
    .record<EthernetHeader>({ dst: macArb, src: macArb, type: u16 })
    .map((header) => ({ protocol: 'eth', header })),
  vlan: fc
    .record<VlanHeader>({
      pcp: fc.integer({ min: 0, max: 7 }),
      dei: fc.integer({ min: 0, max: 1 }),
      id: fc.integer({ min: 0, max: 4095 }),
      type: u16,
    })
    .map((header) => ({ protocol: 'vlan', header })),
  arp: fc
    .record<ArpHeader>({
      hardwareType: u16,
      protocolType: u16,
      hardwareSize: fc.constant(6),
      protocolSize: fc.constant(4),
      opcode: u16,
      senderMac: macArb,
      senderIp: ipArb,
      targetMac: macArb,
      targetIp: ipArb,
    })
    .map((header) => ({ protocol: 'arp', header })),
  ip: fc
    .record({
      dscp: fc.integer({ min: 0, max: 63 }),
      ecn: fc.integer({ min: 0, max: 3 }),
      totalLength: u16,
      identification: u16,
      flags: fc.integer({ min: 0, max: 7 }),
      fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
      ttl: u8,
      protocol: u8,
      checksum: u16,
      src: ipArb,
      dst: ipArb,
      words: fc.integer({ min: 0, max: 10 }),
    })
    .map(({ words, ...h }): LayerSpec => {
      // Options: Router Alerts (4 bytes each) so the decoder's option walk sees valid ones.
      const options = new Uint8Array(words * 4);
      for (let i = 0; i < words; i++) options.set([0x94, 4, 0, 0], i * 4);
      const header: Ipv4Header = { ...h, version: 4, ihl: 5 + words, options };
      return { protocol: 'ip', header };
    }),
  icmp: fc
    .oneof(
      fc.record<IcmpHeader>({
        type: fc.constantFrom(0, 8),
        code: u8,
        checksum: u16,
        identifier: u16,
        sequence: u16,
      }),
      fc.record<IcmpHeader>({ type: fc.constant(3), code: fc.constant(4), checksum: u16, nextHopMtu: u16 }),
      fc.record<IcmpHeader>({
        type: fc.constantFrom(3, 5, 11, 13, 42),
        code: fc.integer({ min: 0, max: 3 }),
        checksum: u16,
        rest: u32,
      }),
    )
    .map((header) => ({ protocol: 'icmp', header })),
  udp: fc
    .record<UdpHeader>({ srcPort: u16, dstPort: u16, length: u16, checksum: u16 })
    .map((header) => ({ protocol: 'udp', header })),
  tcp: fc
    .record({
      srcPort: u16,
      dstPort: u16,
      seq: u32,
      ack: u32,
      flags: fc.integer({ min: 0, max: 0xfff }),
      window: u16,
      checksum: u16,
      urgentPointer: u16,
      options: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('mss' as const), value: u16 }),
          fc.record({ kind: fc.constant('wscale' as const), shift: u8 }),
          fc.constant({ kind: 'sack-perm' as const }),
          fc.record({ kind: fc.constant('timestamp' as const), value: u32, echo: u32 }),
          fc.constant({ kind: 'nop' as const }),
          fc.record({
            kind: fc.constant('unknown' as const),
            type: fc.integer({ min: 30, max: 253 }),
            data: fc.uint8Array({ maxLength: 6 }),
          }),
        ),
        { maxLength: 4 },
      ),
    })
    .map(({ options, ...h }): LayerSpec => {
      // Pad with NOPs to a 32-bit boundary (the encoder would pad with EOL, which decodes as an extra option).
      const size = (o: TcpOption) =>
        o.kind === 'unknown'
          ? 2 + o.data.length
          : { mss: 4, wscale: 3, 'sack-perm': 2, timestamp: 10, nop: 1, eol: 1 }[o.kind];
      const kept: TcpOption[] = [];
      let len = 0;
      for (const o of options) {
        if (len + size(o) > 36) break;
        kept.push(o);
        len += size(o);
      }
      while (len % 4 !== 0) {
        kept.push({ kind: 'nop' });
        len++;
      }
      return { protocol: 'tcp', header: { ...h, dataOffset: 5 + len / 4, options: kept } };
    }),
  vxlan: fc
    .record<VxlanHeader>({ flags: u8, reserved1: u24, vni: u24, reserved2: u8 })
    .map((header) => ({ protocol: 'vxlan', header })),
  gre: fc
    .record({
      c: fc.boolean(),
      k: fc.boolean(),
      s: fc.boolean(),
      reserved0: fc.integer({ min: 0, max: 0x1ff }),
      version: fc.integer({ min: 0, max: 7 }),
      protocolType: u16,
      checksum: u16,
      offset: u16,
      key: u32,
      sequence: u32,
    })
    .map(({ c, k, s, checksum, offset, key, sequence, ...rest }): LayerSpec => {
      const header: GreHeader = { checksumPresent: c, keyPresent: k, sequencePresent: s, ...rest };
      if (c) Object.assign(header, { checksum, offset });
      if (k) header.key = key;
      if (s) header.sequence = sequence;
      return { protocol: 'gre', header };
    }),
  esp: fc
    .record<EspHeader>({ spi: u32, sequence: u32, payload: fc.uint8Array({ maxLength: 64 }) })
    .map((header) => ({ protocol: 'esp', header })),
  data: fc
    .uint8Array({ minLength: 1, maxLength: 100 })
    .map((bytes) => ({ protocol: 'data', header: { bytes } })),
};

function allNodes(frame: DecodedFrame): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (nodes: FieldNode[]) => {
    for (const n of nodes) {
      out.push(n);
      if (n.children) visit(n.children);
    }
  };
  for (const l of frame.layers) visit(l.fields);
  return out;
}

/** Every field and issue lies inside the buffer. */
function expectSpansInside(frame: DecodedFrame, length: number): void {
  for (const n of allNodes(frame)) {
    expect(n.start).toBeGreaterThanOrEqual(0);
    expect(n.start + n.length).toBeLessThanOrEqual(length);
  }
  for (const i of frame.issues) {
    expect(i.start).toBeGreaterThanOrEqual(0);
    expect(i.start + i.length).toBeLessThanOrEqual(length);
  }
  for (const l of frame.layers) expect(l.start + l.headerLength).toBeLessThanOrEqual(length);
}

describe('decode(encode(h)) equals h', () => {
  for (const [protocol, arb] of Object.entries(headerArbs)) {
    it(`${protocol}`, () => {
      fc.assert(
        fc.property(arb, (spec) => {
          expect(roundTrip(spec)).toEqual(spec.header);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('whole frames', () => {
  it('valid frames decode without issues, to the same stack, and re-encode to the same bytes', () => {
    fc.assert(
      fc.property(frameArb, (layers) => {
        const bytes = encodeFrame(layers);
        const frame = decodeFrame(bytes);
        expect(frame.issues).toEqual([]);
        expect(frame.layers.map((l) => l.protocol)).toEqual(layers.map((l) => l.protocol));
        const again = encodeFrame(
          frame.layers.map((l) => ({ protocol: l.protocol, header: l.header }) as LayerSpec),
          { fixLengths: false, computeChecksums: false },
        );
        expect(again).toEqual(bytes);
        expectSpansInside(frame, bytes.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('malformed input never throws', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectSpansInside(decodeFrame(bytes), bytes.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind real headers (so the deeper decoders get exercised)', () => {
    const prefixes = goldenFrames().map((g) => g.bytes);
    fc.assert(
      fc.property(
        fc.constantFrom(...prefixes),
        fc.nat(),
        fc.uint8Array({ maxLength: 80 }),
        (golden, cut, tail) => {
          const head = golden.slice(0, cut % (golden.length + 1));
          const bytes = new Uint8Array(head.length + tail.length);
          bytes.set(head);
          bytes.set(tail, head.length);
          expectSpansInside(decodeFrame(bytes), bytes.length);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('mutated golden and random valid frames', () => {
    const source = fc.oneof(
      fc.constantFrom(...goldenFrames().map((g) => g.bytes)),
      frameArb.map((l) => encodeFrame(l)),
    );
    fc.assert(
      fc.property(
        source,
        fc.array(fc.tuple(fc.nat(), u8), { minLength: 1, maxLength: 8 }),
        (original, edits) => {
          const bytes = original.slice();
          for (const [pos, v] of edits) bytes[pos % bytes.length] = v;
          expectSpansInside(decodeFrame(bytes), bytes.length);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('truncating a golden frame at every offset yields an issue, never an exception', () => {
    for (const g of goldenFrames()) {
      for (let n = 0; n < g.bytes.length; n++) {
        const cut = g.bytes.slice(0, n);
        const frame = decodeFrame(cut);
        expect(frame.issues.length, `${g.id} cut at ${n}`).toBeGreaterThan(0);
        expect(
          frame.issues.some((i) => i.code === 'truncated'),
          `${g.id} cut at ${n}`,
        ).toBe(true);
        expectSpansInside(frame, n);
      }
    }
  });
});

describe('buffers', () => {
  it('decoding a subarray (non-zero byteOffset) equals decoding a copy, with positions relative to the view', () => {
    fc.assert(
      fc.property(frameArb, fc.uint8Array({ minLength: 1, maxLength: 16 }), (layers, prefix) => {
        const frame = encodeFrame(layers);
        const big = new Uint8Array(prefix.length + frame.length);
        big.set(prefix);
        big.set(frame, prefix.length);
        expect(decodeFrame(big.subarray(prefix.length))).toEqual(decodeFrame(frame));
      }),
      { numRuns: 100 },
    );
  });

  it('encodeFrame returns an exactly-sized buffer (safe to transfer to a worker)', () => {
    const frame = encodeFrame(goldenFrames()[1].layers);
    expect(frame.byteOffset).toBe(0);
    expect(frame.buffer.byteLength).toBe(frame.length);
  });
});
