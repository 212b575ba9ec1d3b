// `hnv decode` end to end: the real bin script on a pcap written by the codec.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenFrames } from '../engine/wire/golden.ts';
import { writePcap } from '../engine/wire/index.ts';
import type { DecodedFrameJson } from './decode.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'hnv.mjs');
let dir = '';
let pcap = '';

const hnv = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

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
