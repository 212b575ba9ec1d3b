// The inspector's bit patterns against tshark's tree (-V, here as PDML: the same tree with the
// field names): for every bit field tshark draws as "0100 .... = Version: 4", ours has the same
// bits, frame by frame, including the VXLAN flags and TCP's 12 flag bits.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../engine/wire/frame';
import { goldenFrames } from '../../engine/wire/golden';
import { writePcap } from '../../engine/wire/pcap';
import type { FieldNode } from '../../engine/wire/types';
import { bitString, wiresharkBitLine } from './bits';

const hasTshark = (() => {
  const probe = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
})();

const unescapeXml = (s: string) =>
  s
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** tshark's bit lines of one frame, per field name in tree order: "0100 .... = Version: 4". */
function tsharkBitLines(bytes: Uint8Array): Map<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hnv-bits-'));
  try {
    const file = join(dir, 'frame.pcap');
    writeFileSync(file, writePcap([{ data: bytes }]));
    const pdml = execFileSync('tshark', ['-r', file, '-T', 'pdml'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines = new Map<string, string[]>();
    for (const m of pdml.matchAll(/<field name="([^"]+)" showname="([^"]*)"/g)) {
      const showname = unescapeXml(m[2]);
      if (!/^[01. ]+ = /.test(showname)) continue;
      lines.set(m[1], [...(lines.get(m[1]) ?? []), showname]);
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Our bit patterns per field key, in tree order. */
function ourBitStrings(
  bytes: Uint8Array,
): Map<string, { bits: string; node: FieldNode; parent?: FieldNode }[]> {
  const out = new Map<string, { bits: string; node: FieldNode; parent?: FieldNode }[]>();
  const walk = (node: FieldNode, parent?: FieldNode) => {
    const bits = bitString(bytes, node, parent);
    if (bits !== null) out.set(node.key, [...(out.get(node.key) ?? []), { bits, node, parent }]);
    for (const child of node.children ?? []) walk(child, node);
  };
  for (const layer of decodeFrame(bytes).layers) for (const node of layer.fields) walk(node);
  return out;
}

const frames = goldenFrames().filter((f) => ['vxlan', 'nvgre', 'tcp-syn'].includes(f.id));

describe.skipIf(!hasTshark)('bit patterns match tshark -V', () => {
  it.each(frames.map((f) => [f.id, f.bytes] as const))('%s', (_id, bytes) => {
    const theirs = tsharkBitLines(bytes);
    const ours = ourBitStrings(bytes);
    const checked: string[] = [];
    for (const [key, lines] of theirs) {
      const mine = ours.get(key);
      if (!mine) continue; // a field we do not decode as bits (eth.lg, ...)
      expect(
        mine.map((m) => m.bits),
        key,
      ).toEqual(lines.map((l) => l.slice(0, l.indexOf(' = '))));
      checked.push(key);
    }
    for (const key of ['ip.version', 'ip.hdr_len', 'ip.flags', 'ip.flags.df', 'ip.frag_offset']) {
      expect(checked).toContain(key);
    }
    if (bytes.length > 60 && ours.has('vxlan.flag_i')) expect(checked).toContain('vxlan.flag_i');
    if (ours.has('tcp.flags.syn')) {
      for (const key of ['tcp.flags.res', 'tcp.flags.syn', 'tcp.flags.ack', 'tcp.flags.fin', 'tcp.hdr_len']) {
        expect(checked).toContain(key);
      }
    }
  });

  it('the whole line reads as Wireshark writes it for the IPv4 version and header length', () => {
    const vxlan = frames.find((f) => f.id === 'vxlan')?.bytes as Uint8Array;
    const ours = ourBitStrings(vxlan);
    const line = (key: string) => {
      const first = ours.get(key)?.[0];
      return first ? wiresharkBitLine(vxlan, first.node, first.parent) : null;
    };
    expect(line('ip.version')).toBe('0100 .... = Version: 4');
    // tshark: ".... 0101 = Header Length: 20 bytes (5)"; our label and unit differ, the bits and both values agree.
    expect(line('ip.hdr_len')).toBe('.... 0101 = Header length: 20 (5)');
    expect(line('vxlan.flag_i')).toMatch(/^\.\.\.\. 1\.\.\. \.\.\.\. \.\.\.\. = /);
  });
});
