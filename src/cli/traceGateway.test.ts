// `hnv trace` through the RAS gateway (issue 12): the hybrid scenario's two traces as the
// issue quotes them, their pcaps read back and dissected by tshark with no expert complaint.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { decodeFrame, fieldsByKey, readPcap } from '../engine/wire/index.ts';
import { run } from './trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'hnv-trace-gw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return out;
}

async function trace(to: string, from = 'Contoso/Web') {
  const out = capture();
  const pcap = join(dir, `${to}.pcap`);
  const code = await run([
    '--scenario',
    'hybrid-gateway',
    '--from',
    from,
    '--to',
    to,
    '--proto',
    'icmp',
    '--format',
    'json',
    '--pcap',
    pcap,
  ]);
  const json = JSON.parse(out.join('\n'));
  const frames = readPcap(readFileSync(pcap)).records.map((r) => {
    const d = decodeFrame(r.data);
    return { stack: d.layers.map((l) => l.protocol).join(':'), fields: fieldsByKey(d) };
  });
  // tshark reads the same file; ESP/GRE sequence analysis off (a packet appears once per link).
  const experts = execFileSync(
    'tshark',
    [
      '-r',
      pcap,
      '-o',
      'ip.check_checksum:TRUE',
      '-o',
      'udp.check_checksum:TRUE',
      '-T',
      'fields',
      '-e',
      '_ws.expert.message',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  )
    .split('\n')
    .filter(Boolean);
  return { code, json, frames, experts, pcap };
}

describe('hnv trace --scenario hybrid-gateway', () => {
  it('--to 172.16.0.10: delivered at the on-premises host, with a GRE frame on the wire', async () => {
    const { code, json, frames, experts } = await trace('172.16.0.10');
    expect(code).toBe(0);
    expect(json.verdict).toEqual({
      outcome: 'delivered',
      at: 'on-premises host 172.16.0.10 at Contoso HQ',
      deliveredTo: ['on-premises host 172.16.0.10 at Contoso HQ'],
    });
    const gre = frames.filter((f) => f.stack === 'eth:ip:gre:ip:icmp:data');
    expect(gre.length).toBeGreaterThan(0);
    expect(gre[0].fields['gre.key']).toEqual(['0x00001389']);
    expect(gre[0].fields['ip.dst']).toEqual(['198.51.100.2', '172.16.0.10']);
    expect(experts).toEqual([]);
  });

  it("--to 8.8.8.8: the source is translated to the gateway's public IP", async () => {
    const { code, json, frames, experts } = await trace('8.8.8.8');
    expect(code).toBe(0);
    expect(json.verdict.at).toBe('internet host 8.8.8.8');
    const toInternet = frames.filter(
      (f) => f.stack === 'eth:ip:icmp:data' && f.fields['ip.dst']?.[0] === '8.8.8.8',
    );
    expect(toInternet.map((f) => f.fields['ip.src'][0])).toEqual([
      '10.1.1.12',
      '131.107.0.10',
      '131.107.0.10',
    ]);
    expect(experts).toEqual([]);
  });

  it('--from Fabrikam/Web --to 192.168.50.10: delivered over the L3 connection, tagged VLAN 50 on the partner link, no tunnel', async () => {
    const { code, json, frames, experts, pcap } = await trace('192.168.50.10', 'Fabrikam/Web');
    expect(code).toBe(0);
    expect(json.verdict).toEqual({
      outcome: 'delivered',
      at: 'host 192.168.50.10 at Partner DMZ',
      deliveredTo: ['host 192.168.50.10 at Partner DMZ'],
    });
    const tagged = frames.filter((f) => f.stack === 'eth:vlan:ip:icmp:data');
    expect(tagged.map((f) => [f.fields['vlan.id'], f.fields['ip.src'], f.fields['ip.dst']])).toEqual([
      [[50], ['10.1.1.12'], ['192.168.50.10']],
      [[50], ['192.168.50.10'], ['10.1.1.12']],
    ]);
    expect(frames.some((f) => f.stack.includes('gre') || f.stack.includes('esp'))).toBe(false);
    // tshark: the same two frames on VLAN 50, the inner IP in the clear.
    const rows = execFileSync(
      'tshark',
      [
        '-r',
        pcap,
        '-Y',
        'vlan.id == 50 && icmp',
        '-T',
        'fields',
        '-e',
        'vlan.id',
        '-e',
        'ip.src',
        '-e',
        'ip.dst',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .trim()
      .split('\n');
    expect(rows).toEqual(['50\t10.1.1.12\t192.168.50.10', '50\t192.168.50.10\t10.1.1.12']);
    expect(experts).toEqual([]);
  });
});
