// The flow key and the flow table: the key read from the bytes equals the key taken from the
// headers the frame was built from, and the table finds exactly the keys it holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { innerFrameArb, u16 } from '../wire/arbitraries.ts';
import { ipv4ToNumber } from '../wire/bytes.ts';
import { encodeFrame } from '../wire/frame.ts';
import type {
  EthernetHeader,
  IcmpHeader,
  Ipv4Header,
  LayerSpec,
  TcpHeader,
  UdpHeader,
} from '../wire/types.ts';
import { extractKey, FlowOp, FlowTable, KEY_WORDS, newEntry, viewOf } from './flowTable.ts';

const macWords = (mac: string) => mac.split(':').map((h) => Number.parseInt(h, 16));

/** The key as its documented layout says, from the header values (not from the bytes). */
function expectedKey(layers: LayerSpec[], vsid: number): number[] {
  const eth = layers[0].header as EthernetHeader;
  const d = macWords(eth.dst);
  const s = macWords(eth.src);
  let proto = 0;
  let src = 0;
  let dst = 0;
  let ports = 0;
  if (eth.type === 0x0800) {
    const ip = layers[1].header as Ipv4Header;
    proto = ip.protocol;
    src = ipv4ToNumber(ip.src) | 0;
    dst = ipv4ToNumber(ip.dst) | 0;
    const l4 = layers[2];
    if (l4.protocol === 'icmp') {
      const icmp = l4.header as IcmpHeader;
      ports = (icmp.type << 24) | (icmp.identifier ?? 0);
    } else {
      const h = l4.header as UdpHeader | TcpHeader;
      ports = (h.srcPort << 16) | h.dstPort;
    }
  }
  return [
    (eth.type << 16) | proto,
    src,
    dst,
    ports,
    (d[0] << 24) | (d[1] << 16) | (s[0] << 8) | s[1],
    (d[2] << 24) | (d[3] << 16) | (d[4] << 8) | d[5],
    (s[2] << 24) | (s[3] << 16) | (s[4] << 8) | s[5],
    vsid,
  ];
}

describe('flow key', () => {
  it('is read from the bytes exactly as the headers say, wherever the frame sits in its buffer', () => {
    fc.assert(
      fc.property(
        innerFrameArb,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 9 }),
        u16,
        (layers, at, lead, vsidLow) => {
          const frame = encodeFrame(layers);
          // The frame inside a subarray of a larger buffer: offsets are relative to the subarray.
          const outer = new Uint8Array(lead + at + frame.length + 8);
          const buf = outer.subarray(lead);
          buf.set(frame, at);
          const key = new Int32Array(KEY_WORDS);
          const vsid = 4096 + vsidLow;
          extractKey(viewOf(buf), at, vsid, key);
          expect(Array.from(key)).toEqual(expectedKey(layers, vsid));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('flow table', () => {
  it('finds every key it holds, through growth, and no key it does not hold', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.array(fc.integer(), { minLength: 8, maxLength: 8 }), {
          minLength: 1,
          maxLength: 300,
          selector: (k) => k.join(','),
        }),
        (keys) => {
          const table = new FlowTable(4);
          const held = keys.slice(0, Math.ceil(keys.length / 2));
          const absent = keys.slice(held.length);
          held.forEach((k) => {
            table.insert(Int32Array.from(k), newEntry(FlowOp.Drop));
          });
          held.forEach((k, i) => {
            expect(table.find(Int32Array.from(k))).toBe(i);
          });
          for (const k of absent) expect(table.find(Int32Array.from(k))).toBe(-1);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('the fast path probe (lookup from the frame)', () => {
  it('hits what find hits for the frame key, and on a miss hands back exactly that key', () => {
    fc.assert(
      fc.property(
        fc.array(innerFrameArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 40 }),
        u16,
        (frames, at, vsid) => {
          const table = new FlowTable(4);
          const bytes = frames.map((layers) => {
            const buf = new Uint8Array(at + 200);
            buf.set(encodeFrame(layers), at);
            return buf;
          });
          // Half the frames are in the table: each is found where find finds its key.
          bytes.forEach((buf, i) => {
            const key = new Int32Array(KEY_WORDS);
            extractKey(viewOf(buf), at, vsid, key);
            if (i % 2 === 0 && table.find(key) < 0) table.insert(key, newEntry(FlowOp.Drop));
          });
          for (const buf of bytes) {
            const want = new Int32Array(KEY_WORDS);
            extractKey(viewOf(buf), at, vsid, want);
            expect(table.lookup(viewOf(buf), at, vsid)).toBe(table.find(want));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
