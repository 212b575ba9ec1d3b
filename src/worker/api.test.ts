import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api } from './api.ts';

const hasTshark = spawnSync('sh', ['-c', 'command -v tshark'], { stdio: 'ignore' }).status === 0;

describe('api (plain functions, no worker)', () => {
  it('answers ping', async () => {
    expect(await api.ping()).toBe('pong');
  });

  it('lists the five built-in samples and decodes each', async () => {
    const samples = await api.samples();
    expect(samples.map((s) => s.id)).toEqual(['icmp-echo', 'vxlan', 'vxlan-vlan', 'nvgre', 'arp-request']);
    for (const s of samples) {
      const frame = await api.decode(s.bytes);
      expect(frame.length).toBe(s.bytes.length);
      expect(frame.issues).toEqual([]);
    }
    const vxlan = await api.decode(samples[1].bytes);
    const layer = vxlan.layers.find((l) => l.protocol === 'vxlan');
    const vni = layer?.fields.find((f) => f.key === 'vxlan.vni');
    expect(vni).toMatchObject({ start: 46, length: 3, value: 5001 });
  });

  it('round-trips frames through exportPcap and importPcap', async () => {
    const samples = await api.samples();
    const file = await api.exportPcap(samples.map((s) => ({ bytes: s.bytes })));
    const back = await api.importPcap(file);
    expect(back.error).toBeUndefined();
    expect(back.frames.map((f) => f.index)).toEqual([1, 2, 3, 4, 5]);
    expect(back.frames.map((f) => Array.from(f.bytes))).toEqual(samples.map((s) => Array.from(s.bytes)));
    expect(back.frames[1].frame.layers.map((l) => l.protocol)).toContain('vxlan');
  });

  it('says what is wrong with a file that is not a pcap, without throwing', async () => {
    const result = await api.importPcap(new TextEncoder().encode('definitely not a capture file'));
    expect(result.frames).toEqual([]);
    expect(result.error).toMatch(/pcap/i);
  });

  it('writes a pcap that tshark reads, with VNI 5001 and the two PAs', async () => {
    // The oracle is never skipped: `npm test` installs tshark (apt-get install -y tshark).
    expect(hasTshark, 'tshark is missing: apt-get install -y tshark').toBe(true);
    const samples = await api.samples();
    const file = await api.exportPcap(samples.map((s) => ({ bytes: s.bytes })));
    const dir = mkdtempSync(join(tmpdir(), 'hnv-api-'));
    const path = join(dir, 'samples.pcap');
    writeFileSync(path, file);
    const r = spawnSync(
      'tshark',
      ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'vxlan.vni', '-e', 'ip.src', '-e', 'ip.dst'],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1].split('\t')).toEqual(['2', '5001', '192.168.2.20,10.1.1.12', '192.168.1.10,10.1.1.11']);
  });
});
