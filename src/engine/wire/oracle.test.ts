// tshark as the independent oracle: every field our decoder reports (for keys tshark knows)
// must equal tshark's value, frame by frame, outer -> inner; and tshark must find nothing
// malformed or badly checksummed in the frames we encode as valid.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameArb } from './arbitraries.ts';
import { decodeFrame, encodeFrame, fieldsByKey } from './frame.ts';
import { goldenFrames } from './golden.ts';
import { writePcap } from './pcap.ts';
import type { DecodedFrame, FieldNode, GreHeader, Ipv4Header } from './types.ts';

const TSHARK_PREFS = [
  '-o',
  'ip.check_checksum:TRUE',
  '-o',
  'udp.check_checksum:TRUE',
  '-o',
  'tcp.check_checksum:TRUE',
  '-o',
  'tcp.analyze_sequence_numbers:FALSE', // random frames are not one conversation
];

const PI_ERROR = 0x800000;
const PI_CHECKSUM = 0x1000000;
const PI_MALFORMED = 0x7000000;

/** JSON with objects as ordered entry lists: tshark repeats keys (two eth layers, several options). */
type Json = string | null | Json[] | { entries: [string, Json][] };

/** A small JSON parser that keeps duplicate keys in document order (JSON.parse would drop them). */
function parseJson(text: string): Json {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \n\r\t'.includes(text[i])) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    if (c === '"') return str();
    if (c === '[') {
      i++;
      const out: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '{') {
      i++;
      const entries: [string, Json][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { entries };
      }
      for (;;) {
        ws();
        const k = str();
        ws();
        i++; // ':'
        entries.push([k, value()]);
        ws();
        if (text[i++] === '}') return { entries };
      }
    }
    const m = /^(null|true|false|-?[0-9.eE+-]+)/.exec(text.slice(i, i + 32));
    i += m ? m[0].length : 1;
    return m && m[0] !== 'null' ? m[0] : null;
  };
  return value();
}

const entry = (obj: Json, key: string): Json | undefined =>
  obj && typeof obj === 'object' && !Array.isArray(obj)
    ? obj.entries.find(([k]) => k === key)?.[1]
    : undefined;

interface TsharkFrame {
  fields: Map<string, string[]>;
  protocols: string[];
  /** Malformed, checksum or error-level expert infos. */
  experts: string[];
  /** Every expert info message. */
  allExperts: string[];
}

let dir = '';
let knownFields = new Map<string, string>(); // key -> FT_ type

const INSTALL_HINT =
  'tshark is not installed: the codec oracle test needs it. Run `npm test` (it installs tshark) or `sudo apt-get install -y tshark`.';
let tsharkMissing = false;

/** Each test calls this first, so a missing tshark FAILS every oracle test (never a silent skip). */
function requireTshark(): void {
  if (tsharkMissing) throw new Error(INSTALL_HINT);
}

function collect(node: Json, out: TsharkFrame, key?: string): void {
  if (node === null) return;
  if (typeof node === 'string') {
    if (key && knownFields.has(key)) {
      const list = out.fields.get(key);
      if (list) list.push(node);
      else out.fields.set(key, [node]);
    }
    return;
  }
  if (Array.isArray(node)) {
    for (const item of node) collect(item, out, key);
    return;
  }
  if (key === '_ws.expert') {
    const sev = Number(entry(node, '_ws.expert.severity'));
    const group = Number(entry(node, '_ws.expert.group'));
    out.allExperts.push(String(entry(node, '_ws.expert.message')));
    if (sev >= PI_ERROR || group === PI_CHECKSUM || group === PI_MALFORMED) {
      out.experts.push(String(entry(node, '_ws.expert.message')));
    }
  }
  for (const [k, v] of node.entries) collect(v, out, k);
}

function runTshark(file: string): TsharkFrame[] {
  const text = execFileSync('tshark', ['-r', file, '-T', 'json', ...TSHARK_PREFS], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const packets = parseJson(text) as Json[];
  return packets.map((p) => {
    const frame: TsharkFrame = { fields: new Map(), protocols: [], experts: [], allExperts: [] };
    const layers = entry(entry(p, '_source') ?? null, 'layers') ?? null;
    const protocols = entry(entry(layers, 'frame') ?? null, 'frame.protocols');
    frame.protocols = String(protocols)
      .split(':')
      .filter((x) => x !== 'ethertype');
    if (layers && typeof layers === 'object' && !Array.isArray(layers)) {
      for (const [k, v] of layers.entries) if (k !== 'frame') collect(v, frame, k);
    }
    return frame;
  });
}

function ours(frame: DecodedFrame): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (nodes: FieldNode[]) => {
    for (const n of nodes) {
      if (knownFields.has(n.key)) {
        const v = typeof n.value === 'boolean' ? (n.value ? '1' : '0') : String(n.value);
        const list = out.get(n.key);
        if (list) list.push(v);
        else out.set(n.key, [v]);
      }
      if (n.children) visit(n.children);
    }
  };
  for (const l of frame.layers) visit(l.fields);
  return out;
}

/** tshark prints FT_BYTES with ':' separators in JSON; we print plain hex. */
const normalize = (key: string, v: string) =>
  knownFields.get(key) === 'FT_BYTES' ? v.replaceAll(':', '') : v;

function writeAndRun(frames: { bytes: Uint8Array }[]): TsharkFrame[] {
  const file = join(dir, `oracle-${Math.random().toString(36).slice(2)}.pcap`);
  writeFileSync(file, writePcap(frames.map((f) => ({ data: f.bytes }))));
  return runTshark(file);
}

function compare(frames: { name: string; bytes: Uint8Array }[]): void {
  const theirs = writeAndRun(frames);
  expect(theirs.length).toBe(frames.length);
  frames.forEach((f, i) => {
    const decoded = decodeFrame(f.bytes);
    const t = theirs[i];
    const label = `frame ${i + 1} (${f.name})`;
    expect(decoded.issues, `${label}: our issues`).toEqual([]);
    expect(t.experts.join('; '), `${label}: tshark expert info`).toBe('');
    expect(decoded.layers.map((l) => l.protocol).join(':'), `${label}: layer stack`).toBe(
      t.protocols.join(':'),
    );
    const mine = ours(decoded);
    expect(mine.size, `${label}: compared keys`).toBeGreaterThan(0);
    for (const [key, values] of mine) {
      const expected = (t.fields.get(key) ?? []).map((v) => normalize(key, v));
      expect(values, `${label}: ${key}`).toEqual(expected);
    }
  });
}

describe('tshark oracle', () => {
  beforeAll(() => {
    const probe = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      tsharkMissing = true;
      return;
    }
    dir = mkdtempSync(join(tmpdir(), 'hnv-oracle-'));
    const list = execFileSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    knownFields = new Map();
    for (const line of list.split('\n')) {
      const cols = line.split('\t');
      if (cols[0] === 'F') knownFields.set(cols[2], cols[3]);
    }
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('agrees with tshark on every golden frame', () => {
    requireTshark();
    compare(goldenFrames().map((g) => ({ name: g.id, bytes: g.bytes })));
  });

  it('agrees with tshark on padded and trailing bytes after the last header', () => {
    requireTshark();
    const g = Object.fromEntries(goldenFrames().map((f) => [f.id, f.bytes]));
    const pad = (b: Uint8Array, to: number, fill = 0) => {
      const out = new Uint8Array(to).fill(fill);
      out.set(b);
      return out;
    };
    const frames = [
      { name: 'ARP reply padded to 60', bytes: pad(g['arp-reply'], 60) },
      { name: 'ARP request with a non-zero trailer', bytes: pad(g['arp-request'], 60, 0xee) },
    ];
    compare(frames);
    const fields = fieldsByKey(decodeFrame(frames[0].bytes));
    expect(fields['eth.padding']).toEqual(['00'.repeat(18)]);
  });

  it('agrees with tshark on 200 random valid frames (eth, VLAN, ARP, IPv4, ICMP, UDP, TCP, VXLAN, NVGRE, GRE/IPv4, ESP)', () => {
    requireTshark();
    const stacks = fc.sample(frameArb, { numRuns: 200, seed: 4789 });
    compare(
      stacks.map((layers, i) => ({
        name: `random #${i}: ${layers.map((l) => l.protocol).join('/')}`,
        bytes: encodeFrame(layers),
      })),
    );
  });

  it('flags the same bad checksums tshark flags (IPv4, ICMP, UDP, TCP, GRE)', () => {
    requireTshark();
    const g = Object.fromEntries(goldenFrames().map((f) => [f.id, f]));
    const flip = (bytes: Uint8Array, at: number) => {
      const b = bytes.slice();
      b[at] ^= 0x5a;
      return b;
    };
    const udp = encodeFrame([
      ...g['icmp-echo'].layers.slice(0, 1),
      { protocol: 'ip', header: { ...(g['icmp-echo'].layers[1].header as Ipv4Header), protocol: 17 } },
      { protocol: 'udp', header: { srcPort: 50000, dstPort: 50001, length: 0, checksum: 0 } },
      { protocol: 'data', header: { bytes: Uint8Array.of(1, 2, 3) } },
    ]);
    // Plain GRE carrying IPv4 (NVGRE itself forbids C = 1): the checksum covers the inner packet.
    const gre = encodeFrame(
      g.nvgre.layers
        .filter((l, i) => !(l.protocol === 'eth' && i > 0))
        .map((l) =>
          l.protocol === 'gre'
            ? { ...l, header: { ...l.header, checksumPresent: true, protocolType: 0x0800 } }
            : l,
        ),
    );
    const broken = [
      { name: 'IPv4', bytes: flip(g['icmp-echo'].bytes, 24) },
      { name: 'ICMP', bytes: flip(g['icmp-echo'].bytes, 36) },
      { name: 'UDP', bytes: flip(udp, 40) },
      { name: 'TCP', bytes: flip(g['tcp-syn'].bytes, 50) },
      { name: 'GRE', bytes: flip(gre, 38) },
    ];
    const theirs = writeAndRun(broken);
    broken.forEach((f, i) => {
      const mine = decodeFrame(f.bytes).issues;
      expect(
        mine.map((x) => x.code),
        f.name,
      ).toEqual(['bad-checksum']);
      expect(mine[0].message.startsWith(f.name), mine[0].message).toBe(true);
      expect(theirs[i].allExperts.join('; '), f.name).toMatch(/checksum/i);
    });
    // And tshark is happy with the GRE checksum our encoder computes.
    expect(decodeFrame(gre).issues).toEqual([]);
    expect(writeAndRun([{ bytes: gre }])[0].allExperts.join('; ')).not.toMatch(/checksum/i);
  });

  it('GRE and NVGRE rules: each broken one is an issue, where tshark finds the frame malformed or decodes it as plain GRE', () => {
    requireTshark();
    const g = Object.fromEntries(goldenFrames().map((f) => [f.id, f]));
    const withGre = (change: Partial<GreHeader>) =>
      encodeFrame(
        g.nvgre.layers.map((l) => (l.protocol === 'gre' ? { ...l, header: { ...l.header, ...change } } : l)),
      );
    const vxlanIClear = g.vxlan.bytes.slice();
    vxlanIClear[42] = 0x00;
    const cases: { name: string; bytes: Uint8Array; codes: string[]; malformed: boolean }[] = [
      {
        name: 'R = 1',
        bytes: withGre({ routingPresent: true }),
        codes: ['gre-routing-present'],
        malformed: true,
      },
      {
        name: 'C = 1',
        bytes: withGre({ checksumPresent: true }),
        codes: ['nvgre-c-bit-set'],
        malformed: false,
      },
      {
        name: 'K = 0',
        bytes: withGre({ keyPresent: false }),
        codes: ['nvgre-k-bit-clear'],
        malformed: false,
      },
      {
        name: 'S = 1',
        bytes: withGre({ sequencePresent: true, sequence: 7 }),
        codes: ['nvgre-s-bit-set'],
        malformed: false,
      },
      { name: 'version 1', bytes: withGre({ version: 1 }), codes: ['gre-version'], malformed: false },
      { name: 'VXLAN I = 0', bytes: vxlanIClear, codes: ['vxlan-i-flag-clear'], malformed: false },
    ];
    const theirs = writeAndRun(cases);
    for (const [i, c] of cases.entries()) {
      const decoded = decodeFrame(c.bytes);
      const t = theirs[i];
      expect(
        decoded.issues.map((x) => x.code),
        c.name,
      ).toEqual(c.codes);
      expect(decoded.issues[0].severity, c.name).toBe('error');
      const gre = decoded.layers.find((l) => l.protocol === 'gre');
      if (gre) {
        // Not valid NVGRE: no VSID reading of the key, and the title says so.
        expect(gre.title, c.name).toBe('Generic Routing Encapsulation (not valid NVGRE)');
        expect(fieldsByKey(decoded)['nvgre.vsid'], c.name).toBeUndefined();
      }
      if (c.malformed) {
        expect(t.allExperts.join('; '), c.name).toMatch(/Malformed/);
        // We stop where tshark's reading goes wrong: the rest is data, not an inner frame.
        expect(decoded.layers.map((l) => l.protocol).join(':'), c.name).toBe('eth:ip:gre:data');
        continue;
      }
      // Where the layout is still well defined, tshark decodes the inner frame and so do we.
      expect(t.experts.join('; '), c.name).toBe('');
      expect(decoded.layers.map((l) => l.protocol).join(':'), c.name).toBe(t.protocols.join(':'));
      for (const [key, values] of ours(decoded)) {
        expect(values, `${c.name}: ${key}`).toEqual((t.fields.get(key) ?? []).map((v) => normalize(key, v)));
      }
    }
  });
});
