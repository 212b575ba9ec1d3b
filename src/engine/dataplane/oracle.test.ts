// The oracle: tshark (Wireshark's dissectors, an independent implementation) reads the pcap
// of each scenario's traces; its outer and inner fields must match the codec's reading of the
// same bytes and what the trace says it did (the lookup record's PAs, the VSID it encapsulated).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { createEngine, type Trace, type TraceNode, type TraceRequest } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { decodeFrame, fieldsByKey, writePcap } from '../wire/index.ts';

const TSHARK = 'tshark';
const KEYS = [
  'eth.src',
  'eth.dst',
  'vlan.id',
  'ip.src',
  'ip.dst',
  'ip.ttl',
  'vxlan.vni',
  'gre.key',
  'udp.srcport',
  'arp.opcode',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
];
const dir = mkdtempSync(join(tmpdir(), 'hnv-oracle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function requireTshark(): void {
  const probe = spawnSync(TSHARK, ['-v'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      'tshark is missing: the oracle needs it. Install it with: sudo apt-get install -y tshark',
    );
}

type Row = Record<string, string[]>;

function dissect(trace: Trace, name: string): Row[] {
  const file = join(dir, `${name}.pcap`);
  writeFileSync(
    file,
    writePcap(trace.frames.map((f, i) => ({ data: f.frame, timestampMicros: 1_000_000 * (i + 1) }))),
  );
  const args = ['-r', file, '-T', 'json', ...KEYS.flatMap((k) => ['-e', k])];
  const run = spawnSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
  const packets = JSON.parse(run.stdout) as { _source: { layers: Row } }[];
  return packets.map((p) => p._source.layers);
}

/** Comparable values: numbers (decimal or hex) as numbers, strings lower-case. */
const norm = (v: string | number | boolean) =>
  typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v)
    ? Number(v)
    : typeof v === 'string'
      ? v.toLowerCase()
      : v;

function nodesOf(n: TraceNode, out: TraceNode[] = []): TraceNode[] {
  out.push(n);
  for (const c of n.children) nodesOf(c, out);
  return out;
}

function scenario(id: string): TopologyDocument {
  const s = scenarioById(id);
  if (!s) throw new Error(`no scenario ${id}`);
  return structuredClone(s.document);
}

function check(doc: TopologyDocument, req: TraceRequest, name: string): void {
  requireTshark();
  const engine = createEngine();
  expect(engine.load(doc).ok).toBe(true);
  const trace = engine.trace(req);
  expect(trace.verdict.outcome).toBe('delivered');
  const rows = dissect(trace, name);
  expect(rows).toHaveLength(trace.frames.length);
  // 1. tshark and the codec read the same fields from every frame, outer and inner.
  trace.frames.forEach((f, i) => {
    const ours = fieldsByKey(decodeFrame(f.frame));
    for (const key of KEYS) {
      const theirs = (rows[i][key] ?? []).map(norm);
      const mine = (ours[key] ?? []).map(norm);
      expect({ frame: i + 1, where: f.where, key, values: theirs }).toEqual({
        frame: i + 1,
        where: f.where,
        key,
        values: mine,
      });
    }
  });
  // 2. Every frame on a wire carries what the trace says the VNet layer did.
  let encapsulated = 0;
  // A packet on the fast path (a TCP ACK after its SYN) runs the cached encapsulation the
  // flow's first packet decided: its wire frames carry what that packet's VNet layer did.
  const decided = new Map<string, Extract<TraceNode, { kind: 'action' }>['action']>();
  for (const packet of trace.packets) {
    const nodes = nodesOf(packet.root);
    const wires = nodes.filter((n) => n.kind === 'hop' && n.title.startsWith('on the wire') && n.frame);
    const own = nodes.find((n) => n.kind === 'action' && n.action.type === 'encap');
    const firstWire = wires[0] && rows[trace.frames.findIndex((f) => f.frame === wires[0].frame)];
    const action =
      own?.kind === 'action'
        ? own.action
        : packet.path === 'fast' && firstWire
          ? decided.get(firstWire['ip.src'][0])
          : undefined;
    if (action?.type !== 'encap') {
      expect(wires).toEqual([]);
      continue;
    }
    decided.set(action.srcPa, action);
    const { srcPa, dstPa, vsid, encapsulation } = action;
    for (const wire of wires) {
      const row = rows[trace.frames.findIndex((f) => f.frame === wire.frame)];
      expect(row['ip.src'][0]).toBe(srcPa);
      expect(row['ip.dst'][0]).toBe(dstPa);
      if (encapsulation === 'vxlan') expect(Number(row['vxlan.vni'][0])).toBe(vsid);
      else expect(Number(row['gre.key'][0]) >>> 8).toBe(vsid);
      encapsulated++;
    }
    // The outer TTL drops by one per physical router hop.
    const ttls = wires.map((w) =>
      Number(rows[trace.frames.findIndex((f) => f.frame === w.frame)]['ip.ttl'][0]),
    );
    ttls.forEach((ttl, i) => {
      expect(ttl).toBe(64 - i);
    });
  }
  if (req.to.includes('SQL') || req.to.includes('Test')) expect(encapsulated).toBeGreaterThan(0);
}

describe('tshark oracle', () => {
  it('multi-tenant: Contoso and Fabrikam pings (VXLAN)', () => {
    check(scenario('multi-tenant'), { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' }, 'contoso');
    check(
      scenario('multi-tenant'),
      { from: 'Fabrikam/Web', to: 'Fabrikam/SQL', protocol: 'icmp' },
      'fabrikam',
    );
  });

  it('multi-tenant over NVGRE, and TCP', () => {
    const doc = scenario('multi-tenant');
    for (const s of doc.virtualSubnets) s.encapsulation = 'nvgre';
    check(doc, { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' }, 'nvgre');
    check(
      scenario('multi-tenant'),
      { from: 'Fabrikam/Web', to: 'Fabrikam/SQL', protocol: 'tcp', dstPort: 1433 },
      'tcp',
    );
  });

  it('routing domains: routed across hosts and on one host', () => {
    check(
      scenario('routing-domains'),
      { from: 'Contoso/Dev1', to: 'Contoso/Test', protocol: 'icmp' },
      'rd-cross',
    );
    check(
      scenario('routing-domains'),
      { from: 'Contoso/Dev1', to: 'Contoso/Build', protocol: 'icmp' },
      'rd-local',
    );
  });
});

describe('tshark oracle: ICMP errors on the PA network', () => {
  it("reads the router's fragmentation-needed as we built it, checksums valid, quoting the tunnel packet", () => {
    requireTshark();
    const doc = scenario('multi-tenant');
    const sqlRack = doc.logicalSubnets.find((l) => l.name === 'PA Subnet 1');
    if (!sqlRack) throw new Error('no PA Subnet 1');
    sqlRack.mtu = 1400;
    const engine = createEngine();
    expect(engine.load(doc).ok).toBe(true);
    const trace = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp', size: 1400 });
    const icmp = trace.frames.filter((f) => f.where.startsWith('link ')).at(-1);
    if (!icmp) throw new Error('no frame on a link');
    const file = join(dir, 'frag-needed.pcap');
    writeFileSync(file, writePcap([{ data: icmp.frame, timestampMicros: 1_000_000 }]));
    const keys = [
      'ip.src',
      'ip.dst',
      'icmp.type',
      'icmp.code',
      'icmp.mtu',
      'ip.checksum.status',
      'icmp.checksum.status',
    ];
    const run = spawnSync(
      TSHARK,
      ['-r', file, '-o', 'ip.check_checksum:TRUE', '-T', 'json', ...keys.flatMap((k) => ['-e', k])],
      { encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
    const row = (JSON.parse(run.stdout) as { _source: { layers: Row } }[])[0]._source.layers;
    // Outer: router -> Web's host PA; then the quoted tunnel header: Web's PA -> SQL's PA.
    expect(row['ip.dst']).toEqual(['192.168.2.20', '192.168.1.10']);
    expect(row['ip.src'][1]).toBe('192.168.2.20');
    expect(row['icmp.type']).toEqual(['3']);
    expect(row['icmp.code']).toEqual(['4']);
    expect(row['icmp.mtu']).toEqual(['1400']);
    expect(row['ip.checksum.status'][0]).toBe('1'); // 1 = good (0 bad, 2 unverified)
    expect(row['icmp.checksum.status']).toEqual(['1']);
  });
});

describe('tshark oracle: user-defined routes and peering', () => {
  it('udr-peering: Web -> App through the firewall (tunnel to the appliance), App -> Jump across the peering', () => {
    check(scenario('udr-peering'), { from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' }, 'udr-fw');
    check(scenario('udr-peering'), { from: 'Contoso/App', to: 'Contoso/Jump', protocol: 'icmp' }, 'peering');
  });
});

describe('tshark oracle: a TCP three-way handshake', () => {
  const PI_ERROR = 0x800000;
  const PI_WARN = 0x600000;
  const PI_CHECKSUM = 0x01000000;
  const PI_MALFORMED = 0x07000000;

  function tshark(frames: Uint8Array[], name: string, keys: string[]): Row[] {
    const file = join(dir, `${name}.pcap`);
    writeFileSync(file, writePcap(frames.map((data, i) => ({ data, timestampMicros: 1_000_000 * (i + 1) }))));
    const prefs = ['ip.check_checksum:TRUE', 'tcp.check_checksum:TRUE', 'udp.check_checksum:TRUE'];
    const run = spawnSync(
      TSHARK,
      [
        '-2', // two passes: conversation state (completeness) as of the whole capture
        '-r',
        file,
        ...prefs.flatMap((p) => ['-o', p]),
        '-T',
        'json',
        ...['_ws.expert.severity', '_ws.expert.group', '_ws.expert.message', ...keys].flatMap((k) => [
          '-e',
          k,
        ]),
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
    return (JSON.parse(run.stdout) as { _source: { layers: Row } }[]).map((p) => p._source.layers);
  }

  it('dissects every frame of the exported trace with no error, checksum or malformed expert info', () => {
    requireTshark();
    const engine = createEngine();
    expect(engine.load(scenario('multi-tenant')).ok).toBe(true);
    const trace = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'tcp', dstPort: 1433 });
    expect(trace.verdict.outcome).toBe('delivered');
    const rows = tshark(
      trace.frames.map((f) => f.frame),
      'handshake-all',
      ['tcp.flags', 'tcp.options.mss_val', 'tcp.checksum.status'],
    );
    expect(rows).toHaveLength(trace.frames.length);
    rows.forEach((row, i) => {
      const bad = (row['_ws.expert.severity'] ?? [])
        .map((sev, k) => ({
          sev: Number(sev),
          group: Number(row['_ws.expert.group']?.[k]),
          message: row['_ws.expert.message']?.[k],
        }))
        .filter((e) => e.sev >= PI_ERROR || e.group === PI_CHECKSUM || e.group === PI_MALFORMED);
      expect({ frame: i + 1, where: trace.frames[i].where, bad }).toEqual({
        frame: i + 1,
        where: trace.frames[i].where,
        bad: [],
      });
      // Every TCP segment, inner or tunnelled, has a good checksum (1 = good).
      for (const status of row['tcp.checksum.status'] ?? []) expect(status).toBe('1');
    });
    // tshark reads the handshake's flags in order at the source's port: SYN, SYN-ACK, ACK.
    const atWeb = trace.frames.filter(
      (f) =>
        (f.where === 'Contoso/Web -> Host 2 vSwitch' || f.where === 'Host 2 vSwitch -> Contoso/Web') &&
        f.frame.length > 42,
    );
    const web = tshark(
      atWeb.map((f) => f.frame),
      'handshake-web',
      [
        'tcp.flags',
        'tcp.options.mss_val',
        'tcp.options.wscale.shift',
        'tcp.options.sack_perm',
        'tcp.window_size',
        'tcp.completeness',
      ],
    );
    expect(web.map((r) => r['tcp.flags'][0])).toEqual(['0x0002', '0x0012', '0x0010']);
    expect(web.map((r) => r['tcp.options.mss_val'] ?? [])).toEqual([['1460'], ['1460'], []]);
    expect(web.map((r) => r['tcp.options.wscale.shift'] ?? [])).toEqual([['8'], ['8'], []]);
    // Window scaling agreed: the ACK's 1026 reads as 262,656 bytes.
    expect(web[2]['tcp.window_size']).toEqual(['262656']);
    // Seen from one port the conversation is a clean handshake: no warning at all, and
    // tshark's completeness says SYN + SYN-ACK + ACK (1 + 2 + 4).
    for (const r of web)
      expect((r['_ws.expert.severity'] ?? []).filter((s) => Number(s) >= PI_WARN)).toEqual([]);
    expect(web[2]['tcp.completeness']).toEqual(['7']);
  });
});
