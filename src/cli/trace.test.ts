import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readPcap, writePcap } from '../engine/wire/index.ts';
import { run } from './trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'hnv-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out, err };
}

describe('hnv trace', () => {
  it('prints JSON with the verdict and steps, and writes every frame to a pcap', async () => {
    const io = capture();
    const pcap = join(dir, 'ping.pcap');
    const code = await run([
      '--scenario',
      'multi-tenant',
      '--from',
      'Contoso/Web',
      '--to',
      'Contoso/SQL',
      '--proto',
      'icmp',
      '--format',
      'json',
      '--pcap',
      pcap,
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(io.out.join('\n'));
    expect(json.verdict).toEqual({ outcome: 'delivered', at: 'Contoso/SQL', deliveredTo: ['Contoso/SQL'] });
    expect(json.packets.length).toBe(4);
    expect(typeof json.packets[1].steps[0].frame).toBe('string');
    const frames = readPcap(readFileSync(pcap)).records;
    expect(frames.length).toBe(json.frames.length);
  });

  it('traces to an IP and renders minimal text', async () => {
    const io = capture();
    const code = await run([
      '--scenario',
      'routing-domains',
      '--from',
      'Contoso/Dev1',
      '--to',
      '10.2.1.11',
      '--proto',
      'tcp',
      '--dport',
      '443',
      '--format',
      'minimal',
    ]);
    expect(code).toBe(0);
    expect(io.out.join('\n')).toContain(
      "verdict: dropped at Host 1 / distributed router (no route to 10.2.1.11 in routing domain 'R&D Net'",
    );
  });

  it('--proto tcp prints the three-way handshake: SYN, SYN-ACK, ACK (the ACK on the fast path)', async () => {
    const io = capture();
    const args = ['--scenario', 'multi-tenant', '--from', 'Contoso/Web', '--to', 'Contoso/SQL'];
    const code = await run([...args, '--proto', 'tcp', '--dport', '1433', '--format', 'minimal']);
    expect(code).toBe(0);
    const heads = io.out
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('TCP '));
    expect(heads).toEqual([
      'TCP SYN Contoso/Web 10.1.1.12:50000 -> Contoso/SQL 10.1.1.11:1433: delivered at Contoso/SQL (slow path)',
      'TCP SYN, ACK Contoso/SQL 10.1.1.11:1433 -> Contoso/Web 10.1.1.12:50000: delivered at Contoso/Web (slow path)',
      'TCP ACK Contoso/Web 10.1.1.12:50000 -> Contoso/SQL 10.1.1.11:1433: delivered at Contoso/SQL (fast path)',
    ]);
  });

  it('rejects an invalid document with its errors and exit 1', async () => {
    const io = capture();
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ version: 1, name: 'bad', hnvMode: 'v2', tenants: [] }));
    const code = await run([file, '--from', 'A/B', '--to', 'A/C', '--proto', 'icmp']);
    expect(code).toBe(1);
    expect(io.err.length).toBeGreaterThan(0);
  });

  it('--frame traces a raw frame as the VM sends it; --frame-file reads hex or a pcap', async () => {
    /** `hnv trace --scenario multi-tenant --from Contoso/Web ...args`, its exit code and output. */
    const fromWeb = async (...args: string[]) => {
      const io = capture();
      const code = await run(['--scenario', 'multi-tenant', '--from', 'Contoso/Web', ...args]);
      vi.restoreAllMocks();
      return { code, out: io.out.join('\n'), err: io.err };
    };
    const ping = JSON.parse((await fromWeb('--to', 'Contoso/SQL', '--format', 'json')).out) as {
      frames: { where: string; frame: string }[];
    };
    const echo = ping.frames.find((f) => f.where === 'Contoso/Web -> Host 2 vSwitch' && f.frame.length > 100);
    expect(echo).toBeDefined();
    const hexFrame = echo?.frame ?? '';

    const traced = await fromWeb('--frame', hexFrame, '--format', 'json');
    expect(traced.code).toBe(0);
    const one = JSON.parse(traced.out);
    expect(one.request).toMatchObject({
      from: 'Contoso/Web',
      to: '10.1.1.11',
      protocol: 'icmp',
      frame: hexFrame,
    });
    expect(one.packets).toHaveLength(1);
    expect(one.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });

    const spaced = join(dir, 'frame.hex');
    writeFileSync(spaced, `${hexFrame.replace(/(..)/g, '$1 ').replace(/((?:.. ){16})/g, '$1\n')}\n`);
    const pcapIn = join(dir, 'frame.pcap');
    writeFileSync(pcapIn, writePcap([{ data: Uint8Array.from(Buffer.from(hexFrame, 'hex')) }]));
    for (const file of [spaced, pcapIn]) {
      const fromFile = await fromWeb('--frame-file', file, '--format', 'minimal');
      expect(fromFile.code).toBe(0);
      expect(fromFile.out).toMatch(/verdict: delivered at Contoso\/SQL/);
    }

    const bad = await fromWeb('--frame', 'zz');
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toMatch(/^hnv trace: --frame: 'z' at position 1 is not a hex digit\nusage: /);
  });

  it("load-balancer: a client to the VIP is delivered at a web VM; the SYN-ACK leaves that VM's host, not a MUX", async () => {
    const io = capture();
    const pcap = join(dir, 'slb.pcap');
    const code = await run([
      '--scenario',
      'load-balancer',
      '--from',
      'Internet/Client',
      '--to',
      '203.0.113.10',
      '--proto',
      'tcp',
      '--dport',
      '80',
      '--format',
      'json',
      '--pcap',
      pcap,
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(io.out.join('\n'));
    expect(json.verdict.outcome).toBe('delivered');
    const dip: string = json.verdict.at;
    expect(['Contoso/Web1', 'Contoso/Web2', 'Contoso/Web3']).toContain(dip);
    // The DIP's host: the one whose vSwitch delivered the SYN to the VM.
    const where = (json.frames as { where: string }[]).map((f) => f.where);
    const host = where.find((w) => w.endsWith(`vSwitch -> ${dip}`))?.split(' vSwitch')[0];
    const doc = (await import('../scenarios/index.ts')).scenarioById('load-balancer')?.document;
    const hostDoc = doc?.hosts.find((h) => h.name === host);
    expect(hostDoc).toBeDefined();
    const frames = readPcap(readFileSync(pcap)).records.map((r) => r.data);
    // The SYN-ACK on the DIP host's PA link: Ethernet source is that host's NIC, IPv4 source the VIP.
    const synAcks = frames.filter((f) => {
      const l3 = f[12] === 0x81 ? 18 : 14;
      return f[l3 + 9] === 6 && (f[l3 + 33] & 0x12) === 0x12;
    });
    const onPa = synAcks.find((f) => f[12] === 0x81);
    if (!onPa) throw new Error('no SYN-ACK on a PA link');
    const mac = [...onPa.subarray(6, 12)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    expect(hostDoc?.teamMembers.map((m) => m.mac)).toContain(mac);
    expect(doc?.slbMuxes?.map((m) => m.mac)).not.toContain(mac);
    expect([...onPa.subarray(18 + 12, 18 + 16)].join('.')).toBe('203.0.113.10');
  });

  it('load-balancer: a web VM to the Internet is SNATed on its host to the VIP and a port of its slice; the answer comes back through a MUX', async () => {
    const io = capture();
    const code = await run([
      '--scenario',
      'load-balancer',
      '--from',
      'Contoso/Web2',
      '--to',
      '198.51.100.10',
      '--proto',
      'tcp',
      '--dport',
      '443',
      '--format',
      'summary',
    ]);
    expect(code).toBe(0);
    const text = io.out.join('\n');
    expect(text).toContain(
      "Host 2 SLB host agent: Contoso/Web2's connection 10.1.1.12:50000 -> 198.51.100.10:443 gets 203.0.113.10:2048 (slice 2048-3071)",
    );
    expect(text).toContain('source 10.1.1.12:50000 -> VIP 203.0.113.10:2048');
    expect(text).toMatch(
      /TCP SYN, ACK Internet\/Client 198\.51\.100\.10:443 -> 203\.0\.113\.10:2048: delivered at Contoso\/Web2/,
    );
    expect(text).toMatch(
      /SLB MUX \d: 198\.51\.100\.10:443 -> 203\.0\.113\.10:2048 TCP .* slice 2048-3071: to DIP 10\.1\.1\.12/,
    );
    expect(text).toContain('destination 203.0.113.10:2048 -> DIP 10.1.1.12:50000');
    expect(text).toMatch(/verdict: delivered at Internet\/Client/);
  });
});
