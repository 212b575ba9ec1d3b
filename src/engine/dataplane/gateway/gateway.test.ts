// PTF-style tests of the RAS gateway in the hybrid scenario: a ping in at a VM's port, exactly
// these frames on the gateway's front end and the WAN (decoded by our codec, and by tshark with
// no expert complaint), NAT mappings out and back, GRE/ESP tunnels by key and SPI, and the drops
// with their reasons (unknown key, tampered ESP, replay, unsolicited inbound, no route).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioById } from '../../../scenarios/index.ts';
import type { TopologyDocument } from '../../model/schema.ts';
import { decodeFrame, fieldsByKey, writePcap } from '../../wire/index.ts';
import { Datacenter } from '../datacenter.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { Trace, TraceNode } from '../trace-types.ts';
import { GatewayFlowTable } from './flowCache.ts';
import { NatTable, natIdleTimeout } from './nat.ts';

const hybrid = (): TopologyDocument =>
  structuredClone(scenarioById('hybrid-gateway')?.document) as TopologyDocument;

const ping = (dc: Datacenter, from: string, to: string, sequence = 1): Trace =>
  dc.trace({ from, to, protocol: 'icmp', sequence });

function nodesOf(n: TraceNode, out: TraceNode[] = []): TraceNode[] {
  out.push(n);
  for (const c of n.children) nodesOf(c, out);
  return out;
}

/** The frames a trace recorded on one link, decoded. */
function onLink(t: Trace, link: string) {
  return t.frames
    .filter((f) => f.where === `link '${link}'`)
    .map((f) => ({ bytes: f.frame, ...decode(f.frame) }));
}
function decode(bytes: Uint8Array) {
  const d = decodeFrame(bytes);
  return { stack: d.layers.map((l) => l.protocol).join(':'), fields: fieldsByKey(d), issues: d.issues };
}

const dir = mkdtempSync(join(tmpdir(), 'hnv-gateway-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tshark on the trace's pcap: each frame's protocol stack and fields, and every expert info. */
function tshark(t: Trace, keys: string[]): { rows: string[][]; experts: string[] } {
  const probe = spawnSync('tshark', ['--version']);
  if (probe.error || probe.status !== 0)
    throw new Error('tshark is not installed: sudo apt-get install -y tshark');
  const file = join(dir, `t-${Math.random().toString(36).slice(2)}.pcap`);
  writeFileSync(file, writePcap(t.frames.map((f) => ({ data: f.frame }))));
  // The pcap holds a tunnel packet once per link it crosses: ESP sequence analysis would call
  // the second copy a repeat, so it is off; every other check (checksums included) is on.
  const prefs = [
    '-o',
    'ip.check_checksum:TRUE',
    '-o',
    'udp.check_checksum:TRUE',
    '-o',
    'esp.do_esp_sequence_analysis:FALSE',
  ];
  const run = (fields: string[]) =>
    execFileSync(
      'tshark',
      ['-r', file, ...prefs, '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    )
      .trimEnd()
      .split('\n')
      .map((line) => line.split('|'));
  const all = run(['frame.protocols', ...keys, '_ws.expert.message']);
  const rows = all.map((r) => r.slice(0, keys.length + 1));
  const experts = all.map((r) => r[keys.length + 1]).filter(Boolean);
  return { rows, experts };
}

describe('RAS gateway: Contoso over GRE to its on-premises site', () => {
  const dc = new Datacenter(hybrid());
  const t = ping(dc, 'Contoso/Web', '172.16.0.10');

  it('is delivered at the on-premises host, and the echo reply at Contoso/Web', () => {
    expect(t.packets.map((p) => p.verdict.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(t.verdict.at).toBe('on-premises host 172.16.0.10 at Contoso HQ');
    expect(t.packets[2].verdict.at).toBe('Contoso/Web');
  });

  it('puts exactly one GRE frame each way on the front end: key 5001, protocol IPv4, the ping inside', () => {
    const frames = onLink(t, 'Gateway front end').filter((f) => f.stack !== 'eth:arp');
    expect(frames.map((f) => f.stack)).toEqual(['eth:ip:gre:ip:icmp:data', 'eth:ip:gre:ip:icmp:data']);
    const [out, back] = frames;
    expect(out.issues).toEqual([]);
    expect(out.fields['ip.src']).toEqual(['131.107.0.10', '10.1.1.12']);
    expect(out.fields['ip.dst']).toEqual(['198.51.100.2', '172.16.0.10']);
    expect(out.fields['gre.key']).toEqual(['0x00001389']);
    expect(out.fields['gre.proto']).toEqual(['0x0800']);
    expect(out.fields['gre.flags_and_version']).toEqual(['0x2000']);
    // TTL 128 from the VM, -1 at the distributed router, -1 at the gateway.
    expect(out.fields['ip.ttl']).toEqual([64, 126]);
    expect(out.fields['icmp.type']).toEqual([8]);
    expect(back.fields['ip.src']).toEqual(['198.51.100.2', '172.16.0.10']);
    expect(back.fields['gre.key']).toEqual(['0x00001389']);
    expect(back.fields['icmp.type']).toEqual([0]);
  });

  it('names the edge devices where they act: the gateway VM in its compartment, the site at its edge (document ids)', () => {
    const doc = hybrid();
    const at = (id: string | undefined) =>
      t.packets.flatMap((p) => nodesOf(p.root)).filter((n) => id !== undefined && n.where.edgeId === id);
    const gateway = doc.gateways?.[0];
    const site = doc.sites?.find((x) => x.name === 'Contoso HQ');
    expect(at(gateway?.id).map((n) => n.where.edgeName)).toContain(gateway?.name);
    expect(at(gateway?.id).some((n) => n.what?.type === 'gateway-route')).toBe(true);
    expect(at(site?.id).some((n) => n.what?.type === 'edge-receive')).toBe(true);
  });

  it('traces the route the gateway took with its origin: BGP peer 172.16.0.1 (AS 65001)', () => {
    const route = JSON.stringify(t.packets[1].root);
    expect(route).toContain('"origin":"BGP peer 172.16.0.1 (AS 65001) over \'HQ GRE\'"');
  });

  it('tshark dissects every frame of the exported pcap as we do, with no expert complaint', () => {
    const { rows, experts } = tshark(t, ['gre.key', 'ip.src', 'ip.dst']);
    expect(experts).toEqual([]);
    expect(rows.length).toBe(t.frames.length);
    t.frames.forEach((f, i) => {
      const ours = decode(f.frame);
      expect(rows[i][0].replaceAll(':ethertype', ''), `frame ${i + 1}`).toBe(ours.stack);
      expect(rows[i][1], `frame ${i + 1} gre.key`).toBe((ours.fields['gre.key'] ?? []).join(','));
      expect(rows[i][2], `frame ${i + 1} ip.src`).toBe((ours.fields['ip.src'] ?? []).join(','));
    });
  });
});

describe('RAS gateway: NAT to the internet', () => {
  it('translates the source to the public IP and an ICMP id from the range, and maps the reply back', () => {
    const dc = new Datacenter(hybrid());
    const t = ping(dc, 'Contoso/Web', '8.8.8.8');
    expect(t.packets.map((p) => p.verdict.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(t.verdict.at).toBe('internet host 8.8.8.8');
    const wan = onLink(t, 'WAN').filter((f) => f.stack !== 'eth:arp');
    expect(wan.map((f) => [f.fields['ip.src'], f.fields['ip.dst'], f.fields['icmp.ident']])).toEqual([
      [['131.107.0.10'], ['8.8.8.8'], [10000]],
      [['8.8.8.8'], ['131.107.0.10'], [10000]],
    ]);
    for (const f of wan) expect(f.issues).toEqual([]);
    // Back at the VM: its own address and identifier again.
    const last = decode(t.frames[t.frames.length - 1].frame);
    expect([last.fields['ip.src'], last.fields['ip.dst'], last.fields['icmp.ident']]).toEqual([
      ['8.8.8.8'],
      ['10.1.1.12'],
      [1],
    ]);
    const { experts } = tshark(t, []);
    expect(experts).toEqual([]);
  });

  it('keeps a mapping per flow: the same flow reuses it, another VM gets the next port', () => {
    const dc = new Datacenter(hybrid());
    ping(dc, 'Contoso/Web', '8.8.8.8');
    const again = ping(dc, 'Contoso/Web', '8.8.8.8', 2);
    expect(JSON.stringify(again.packets.at(-2)?.root)).toContain('SNAT (existing mapping)');
    const sql = ping(dc, 'Contoso/SQL', '8.8.8.8');
    const wan = onLink(sql, 'WAN').filter((f) => f.stack !== 'eth:arp');
    expect(wan[0].fields['ip.src']).toEqual(['131.107.0.10']);
    expect(wan[0].fields['icmp.ident']).toEqual([10001]);
    const gw = dc.fabric.edges?.gateways[0];
    expect(gw?.nat.size).toBe(2);
  });

  it("the gateway host's tables list the NAT mapping with its counter and the routes with their origins", () => {
    const dc = new Datacenter(hybrid());
    ping(dc, 'Contoso/Web', '8.8.8.8');
    const [gw] = dc.hostTables('host-3')?.gateways ?? [];
    expect(gw.nat).toEqual([
      {
        tenant: 'Contoso',
        protocol: 'ICMP',
        inside: '10.1.1.12:1',
        public: '131.107.0.10:10000',
        packets: 2,
        idle: 0,
        timeout: 60,
      },
    ]);
    expect(gw.compartments[0].routes).toEqual([
      {
        prefix: '172.16.0.0/16',
        connection: 'HQ GRE',
        type: 'gre',
        origin: "BGP peer 172.16.0.1 (AS 65001) over 'HQ GRE'",
      },
      {
        prefix: '0.0.0.0/0',
        connection: 'Internet NAT',
        type: 'nat',
        origin: "NAT connection 'Internet NAT'",
      },
    ]);
    expect(gw.compartments[1].routes.map((r) => [r.prefix, r.type, r.origin])).toEqual([
      ['192.168.50.0/24', 'l3', "static route of connection 'Partner L3'"],
      ['172.16.0.0/16', 'ipsec', "static route of connection 'Branch IPsec'"],
    ]);
    expect(dc.hostTables('host-1')?.gateways).toEqual([]);
  });

  it('after Contoso/Web moves to Host 1, the answer goes to its new PA; its NAT mapping survives the edit', () => {
    const doc = hybrid();
    const dc = new Datacenter(doc);
    ping(dc, 'Contoso/Web', '8.8.8.8');
    const moved = structuredClone(doc);
    const web = moved.vms.find((v) => v.id === 'contoso-web');
    if (!web) throw new Error('no Contoso/Web');
    web.hostId = 'host-1';
    dc.update(moved);
    const t = ping(dc, 'Contoso/Web', '8.8.8.8', 2);
    expect(t.packets.at(-1)?.verdict.outcome).toBe('delivered');
    expect(JSON.stringify(t.packets.at(-2)?.root)).toContain('SNAT (existing mapping)');
    const back = onLink(t, 'PA Subnet 1').filter((f) => f.stack.startsWith('eth:vlan:ip:udp:vxlan'));
    // One of Host 1's PAs now (it was Host 2's 192.168.2.20).
    expect(back.at(-1)?.fields['ip.dst']?.[1]).toBe('10.1.1.12');
    expect(['192.168.1.10', '192.168.1.11']).toContain(back.at(-1)?.fields['ip.dst']?.[0]);
  });

  it('drops an unsolicited inbound packet to the public IP: no mapping', () => {
    const dc = new Datacenter(hybrid());
    const internet = dc.trace({ from: 'Contoso/Web', to: '8.8.8.8', protocol: 'icmp' });
    // The reply frame as it left the internet's edge, with another identifier: nobody asked for it.
    const reply = onLink(internet, 'WAN')
      .filter((f) => f.stack !== 'eth:arp')[1]
      .bytes.slice();
    reply[38] = 0x30; // ICMP identifier 10000 -> 12304 (checksum left: the NAT drops it first)
    reply[39] = 0x10;
    const t = dc.traceWireFrame('wan', reply, 'Internet edge');
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toBe(
      'no NAT mapping for 131.107.0.10 ICMP id 12304: an unsolicited inbound packet is dropped',
    );
  });

  it('an ICMP mapping idle for 60 s expires: the late reply is dropped, the port is free, the next ping maps anew', () => {
    const dc = new Datacenter(hybrid());
    const first = dc.trace({ from: 'Contoso/Web', to: '8.8.8.8', protocol: 'icmp' });
    const reply = onLink(first, 'WAN')
      .filter((f) => f.stack !== 'eth:arp')[1]
      .bytes.slice();
    const gw = dc.fabric.edges!.gateways[0];
    expect(gw.flows.size).toBe(1);
    expect(dc.advanceClock(59).natExpired).toBe(0);
    expect(gw.nat.size).toBe(1);
    // The reply comes back after 59 s: it still maps, and the mapping's timer restarts.
    expect(dc.traceWireFrame('wan', reply.slice(), 'Internet edge').verdict.outcome).toBe('delivered');
    expect(dc.advanceClock(59).natExpired).toBe(0);
    expect(dc.advanceClock(1)).toMatchObject({ now: 119, natExpired: 1 });
    expect(gw.nat.size).toBe(0);
    expect(gw.flows.size).toBe(0); // its entries named mapping rows
    const late = dc.traceWireFrame('wan', reply.slice(), 'Internet edge');
    expect(late.verdict.reason).toBe(
      'no NAT mapping for 131.107.0.10 ICMP id 10000: an unsolicited inbound packet is dropped',
    );
    // The next ping walks the routes again and takes the freed identifier's successor in the range.
    const next = ping(dc, 'Contoso/Web', '8.8.8.8', 2);
    expect(next.verdict.outcome).toBe('delivered');
    expect(JSON.stringify(next.packets)).toContain('SNAT (new mapping)');
    const [tables] = dc.hostTables('host-3')?.gateways ?? [];
    expect(tables.nat).toEqual([
      expect.objectContaining({ public: '131.107.0.10:10001', idle: 0, timeout: 60 }),
    ]);
  });

  it('Fabrikam has no NAT connection: 8.8.8.8 is dropped in its compartment, with its routes named', () => {
    const t = ping(new Datacenter(hybrid()), 'Fabrikam/Web', '8.8.8.8');
    expect(t.verdict).toMatchObject({
      outcome: 'dropped',
      at: 'GW1',
      reason: "no route to 8.8.8.8 in Fabrikam's compartment on GW1 (192.168.50.0/24, 172.16.0.0/16)",
    });
  });
});

describe('RAS gateway: Fabrikam over IPsec (ESP)', () => {
  it('sends ESP with the SA SPI and sequence; the ping is not readable on the wire; tshark agrees', () => {
    const dc = new Datacenter(hybrid());
    const t = ping(dc, 'Fabrikam/Web', '172.16.0.10');
    expect(t.packets.map((p) => p.verdict.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(t.verdict.at).toBe('on-premises host 172.16.0.10 at Fabrikam Branch');
    const esp = onLink(t, 'Gateway front end').filter((f) => f.stack === 'eth:ip:esp');
    expect(esp.map((f) => [f.fields['esp.spi'], f.fields['esp.sequence'], f.fields['ip.dst']])).toEqual([
      [['0x6001a001'], [1], ['198.51.100.3']],
      [['0x6001b001'], [1], ['131.107.0.10']],
    ]);
    // The echo's payload ('abcdefgh...') and the inner addresses are nowhere in the clear.
    const text = Buffer.from(esp[0].bytes).toString('latin1');
    expect(text).not.toContain('abcdefgh');
    expect(Buffer.from(esp[0].bytes).includes(Buffer.from([10, 1, 1, 12]))).toBe(false);
    const { rows, experts } = tshark(t, ['esp.spi', 'esp.sequence']);
    expect(experts).toEqual([]);
    const tsharkEsp = rows.filter((r) => r[0].endsWith(':esp')).map((r) => [r[1], r[2]]);
    expect(tsharkEsp.slice(0, 1)).toEqual([['0x6001a001', '1']]);
    // The next ping: the SA's sequence number counts up.
    const second = ping(dc, 'Fabrikam/Web', '172.16.0.10', 2);
    const next = onLink(second, 'Gateway front end').filter((f) => f.stack === 'eth:ip:esp');
    expect(next[0].fields['esp.sequence']).toEqual([2]);
  });

  it('drops a tampered ESP packet (ICV) and a replayed one (sequence), at the gateway, with the reason', () => {
    const dc = new Datacenter(hybrid());
    const t = ping(dc, 'Fabrikam/Web', '172.16.0.10');
    const reply = onLink(t, 'WAN').filter((f) => f.stack === 'eth:ip:esp')[1].bytes;
    // Replayed as it was: the gateway saw sequence 1 on this SA already.
    const replay = dc.traceWireFrame('wan', reply.slice(), 'an attacker on the WAN');
    expect(replay.verdict.reason).toBe(
      'ESP sequence 1 on SPI 0x6001b001 was already seen: a replay (RFC 4303 §3.4.3)',
    );
    // A flipped ciphertext bit with a new sequence number: the ICV no longer matches.
    const tampered = reply.slice();
    tampered[41] = 2; // sequence 2
    tampered[60] ^= 1;
    const bad = dc.traceWireFrame('wan', tampered, 'an attacker on the WAN');
    expect(bad.verdict).toMatchObject({
      outcome: 'dropped',
      at: 'GW1',
      reason: 'ESP integrity check failed (ICV mismatch): the packet was altered or the SA is wrong',
    });
  });
});

describe('RAS gateway: every step of the traces carries a frame the inspector can read', () => {
  it.each([
    ['Contoso/Web', '172.16.0.10'],
    ['Contoso/Web', '8.8.8.8'],
    ['Fabrikam/Web', '172.16.0.10'],
  ])('%s -> %s: each step frame decodes from Ethernet without issues', (from, to) => {
    const t = ping(new Datacenter(hybrid()), from, to);
    let frames = 0;
    const walk = (n: Trace['packets'][number]['root']) => {
      if (n.frame) {
        frames++;
        expect(decodeFrame(n.frame).issues, n.title).toEqual([]);
      }
      for (const c of n.children) walk(c);
    };
    for (const p of t.packets) walk(p.root);
    expect(frames).toBeGreaterThan(20);
  });
});

describe('RAS gateway: tenants apart', () => {
  it('a GRE packet with a key no tenant uses is dropped at the gateway', () => {
    const dc = new Datacenter(hybrid());
    const t = ping(dc, 'Contoso/Web', '172.16.0.10');
    const back = onLink(t, 'WAN')
      .filter((f) => f.stack === 'eth:ip:gre:ip:icmp:data')[1]
      .bytes.slice();
    back[41] = 0x8a; // key 5001 -> 5002
    const r = dc.traceWireFrame('wan', back, 'Contoso HQ edge');
    expect(r.verdict.reason).toBe("GRE key 5002 matches no tenant's tunnel on GW1");
  });

  it.each([
    ['2008', 'delivered', undefined], // bits 6-12 reserved: ignored on receipt (RFC 2784 §2.3)
    ['23f8', 'delivered', undefined],
    ['6000', 'dropped', 'GRE header 0x6000'], // R (routing present): not ours to ignore
    ['3000', 'dropped', 'GRE header 0x3000'], // S (sequence) set: the header is 4 bytes longer
  ])('GRE first word 0x%s from the site: %s', (word, outcome, reason) => {
    const dc = new Datacenter(hybrid());
    const t = ping(dc, 'Contoso/Web', '172.16.0.10');
    const back = onLink(t, 'WAN')
      .filter((f) => f.stack === 'eth:ip:gre:ip:icmp:data')[1]
      .bytes.slice();
    back[34] = Number.parseInt(word.slice(0, 2), 16);
    back[35] = Number.parseInt(word.slice(2), 16);
    const r = dc.traceWireFrame('wan', back, 'Contoso HQ edge');
    expect(r.verdict.outcome).toBe(outcome);
    if (reason) expect(r.verdict.reason).toContain(reason);
    else expect(r.verdict.at).toBe('Contoso/Web');
  });

  it.each([
    ['2008', '0800', 'delivered', undefined],
    ['2000', '86dd', 'dropped', 'GRE header 0x2000 / protocol 0x86dd'],
    ['0000', '0800', 'dropped', 'GRE header 0x0000'], // no key: no tunnel to pick
  ])('GRE word 0x%s, protocol 0x%s at the site edge: %s', (word, type, outcome, reason) => {
    const dc = new Datacenter(hybrid());
    const t = ping(dc, 'Contoso/Web', '172.16.0.10');
    const out = onLink(t, 'WAN')
      .filter((f) => f.stack === 'eth:ip:gre:ip:icmp:data')[0]
      .bytes.slice();
    out.set(
      [word, type].flatMap((h) => [Number.parseInt(h.slice(0, 2), 16), Number.parseInt(h.slice(2), 16)]),
      34,
    );
    const r = dc.traceWireFrame('wan', out, 'GW1');
    expect(r.verdict.outcome).toBe(outcome);
    if (reason) expect(r.verdict.reason).toContain(reason);
    else expect(r.verdict.at).toBe('on-premises host 172.16.0.10 at Contoso HQ');
  });

  it('with no virtual gateway, the distributed router still says a gateway is needed', () => {
    const doc = hybrid();
    doc.virtualGateways = [];
    const t = ping(new Datacenter(doc), 'Contoso/Web', '172.16.0.10');
    expect(t.verdict.reason).toContain('another routing domain is reachable only through a gateway');
  });

  it('the controller compiles 0.0.0.0/0 next hop the gateway into the customer routes', () => {
    const dc = new Datacenter(hybrid());
    const routes = dc.hostTables('host-2')?.customerRoutes ?? [];
    expect(routes.filter((r) => r.prefix === '0.0.0.0/0').map((r) => [r.vsid, r.nextHop])).toEqual([
      [5001, '192.168.1.50'],
      [6001, '192.168.1.50'],
    ]);
  });

  it('the fast path: the second ping hits the source port flow entry built toward the gateway', () => {
    const dc = new Datacenter(hybrid());
    ping(dc, 'Contoso/Web', '172.16.0.10');
    const c = dc.send({ from: 'Contoso/Web', to: '172.16.0.10', protocol: 'icmp' }, 5);
    expect(c.delivered).toBe(5);
    expect(c.fastPath).toBe(5);
  });
});

describe('NAT table', () => {
  it('maps distinct flows to distinct public ports in the range, and finds both directions', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.constantFrom(1, 6, 17), fc.nat(0xffff)), {
          maxLength: 300,
          selector: ([c, p, port]) => `${c}/${p}/${port}`,
        }),
        (flows) => {
          const t = new NatTable();
          const rows = flows.map(([c, p, port]) => t.add(c, p, 0x0a01010c, port, 0x836b000a, 1024, 2047, 0));
          for (let i = 0; i < flows.length; i++) {
            const [c, p, port] = flows[i];
            expect(t.findOut(c, p, 0x0a01010c, port)).toBe(rows[i]);
            expect(t.findIn(p, t.publicPort[rows[i]])).toBe(rows[i]);
            expect(t.publicPort[rows[i]]).toBeGreaterThanOrEqual(1024);
            expect(t.publicPort[rows[i]]).toBeLessThanOrEqual(2047);
          }
          const perProto = new Map<number, Set<number>>();
          rows.forEach((r, i) => {
            const s = perProto.get(flows[i][1]) ?? new Set();
            s.add(t.publicPort[r]);
            perProto.set(flows[i][1], s);
          });
          for (const [p, ports] of perProto) expect(ports.size).toBe(flows.filter((f) => f[1] === p).length);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses a flow when the range is exhausted', () => {
    const t = new NatTable();
    expect(t.add(0, 17, 1, 1, 9, 5000, 5001, 0)).toBe(0);
    expect(t.add(0, 17, 1, 2, 9, 5000, 5001, 0)).toBe(1);
    expect(t.add(0, 17, 1, 3, 9, 5000, 5001, 0)).toBe(-1);
    // Until a mapping idles out (UDP: 300 s) and frees its port.
    t.lastSeen[1] = 100;
    expect(t.expire(300)).toBe(1);
    expect(t.add(0, 17, 1, 3, 9, 5000, 5001, 300)).toBe(1);
    expect(t.publicPort[1]).toBe(5000);
  });

  it('expires exactly the mappings idle for their timeout; the others map both ways as before', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            proto: fc.constantFrom(1, 6, 17),
            port: fc.nat(0xffff),
            seen: fc.integer({ min: 0, max: 8000 }),
          }),
          { maxLength: 200, selector: (f) => `${f.proto}/${f.port}` },
        ),
        fc.integer({ min: 0, max: 16000 }),
        (flows, now) => {
          const t = new NatTable();
          for (const f of flows) {
            const r = t.add(0, f.proto, 0x0a01010c, f.port, 0x836b000a, 1024, 65535, 0);
            t.lastSeen[r] = f.seen;
          }
          const before = flows.map((f) => {
            const r = t.findOut(0, f.proto, 0x0a01010c, f.port);
            return { ...f, publicPort: t.publicPort[r] };
          });
          const stays = (f: (typeof before)[number]) => now - f.seen < natIdleTimeout(f.proto);
          expect(t.expire(now)).toBe(before.filter((f) => !stays(f)).length);
          expect(t.size).toBe(before.filter(stays).length);
          for (const f of before) {
            const out = t.findOut(0, f.proto, 0x0a01010c, f.port);
            const back = t.findIn(f.proto, f.publicPort);
            if (!stays(f)) {
              expect(out).toBe(-1);
              expect(back).toBe(-1);
              continue;
            }
            expect(back).toBe(out);
            expect(t.publicPort[out]).toBe(f.publicPort);
            expect(t.insidePort[out]).toBe(f.port);
            expect(t.lastSeen[out]).toBe(f.seen);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('RAS gateway: Fabrikam over an L3 connection on VLAN 50 (L3 forwarding, no tunnel)', () => {
  const vmMac = '00:15:5d:00:00:04';
  const routerMac = '02:dd:01:00:17:71';
  /** An ICMP echo request as Fabrikam/Web's guest sends it to its default gateway's MAC. */
  function vmFrame(ttl: number): Uint8Array {
    const hex = (s: string) => s.split(':').map((x) => Number.parseInt(x, 16));
    const payload = [...'abcdefghijklmnopqrstuvwabcdefghi'].map((c) => c.charCodeAt(0));
    const icmp = [8, 0, 0, 0, 0x12, 0x34, 0, 7, ...payload];
    const ck = checksum(icmp);
    icmp[2] = ck >> 8;
    icmp[3] = ck & 255;
    const ip = [0x45, 0, 0, 20 + icmp.length, 0xab, 0xcd, 0, 0, ttl, 1, 0, 0, 10, 1, 1, 12, 192, 168, 50, 10];
    const ick = checksum(ip);
    ip[10] = ick >> 8;
    ip[11] = ick & 255;
    return Uint8Array.from([...hex(routerMac), ...hex(vmMac), 0x08, 0x00, ...ip, ...icmp]);
  }
  /** RFC 1071, written here apart from the data plane's. */
  function checksum(bytes: number[]): number {
    let sum = 0;
    for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    return ~sum & 0xffff;
  }

  it('this VM frame in -> exactly this 802.1Q frame out on VLAN 50: peer MAC, L3 interface MAC, TTL-2, nothing else changed', () => {
    const dc = new Datacenter(hybrid());
    const sent = vmFrame(128);
    const t = dc.trace({ from: 'Fabrikam/Web', to: '', protocol: 'icmp', frame: sent });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'host 192.168.50.10 at Partner DMZ' });
    const out = onLink(t, 'Partner VLAN 50').filter((f) => f.stack !== 'eth:vlan:arp');
    expect(out.length).toBe(1);
    // Expected: dst = the partner router (the connection's peer 10.50.0.1), src = GW1's external
    // NIC, tag 0x8100 / VLAN 50 (PCP 0), then the VM's IP packet with TTL 126 (distributed router
    // and gateway each -1) and its header checksum redone; the ICMP bytes untouched.
    const ip = Array.from(sent.subarray(14));
    ip[8] = 126;
    ip[10] = 0;
    ip[11] = 0;
    const ick = checksum(ip.slice(0, 20));
    ip[10] = ick >> 8;
    ip[11] = ick & 255;
    const expected = Uint8Array.from([
      0x00,
      0x15,
      0x5d,
      0x0b,
      0x00,
      0x50,
      0x00,
      0x15,
      0x5d,
      0x0a,
      0x00,
      0x02,
      0x81,
      0x00,
      0x00,
      50,
      0x08,
      0x00,
      ...ip,
    ]);
    expect(Buffer.from(out[0].bytes).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
    // The raw frame is a microflow: no reply is sent for it.
    expect(t.packets.length).toBe(1);
  });

  it('a ping is delivered at 192.168.50.10 and the echo reply at Fabrikam/Web; tshark reads VLAN 50 and the plain inner IP', () => {
    const dc = new Datacenter(hybrid());
    const t = ping(dc, 'Fabrikam/Web', '192.168.50.10');
    expect(t.packets.map((p) => p.verdict.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(t.verdict.at).toBe('host 192.168.50.10 at Partner DMZ');
    expect(t.packets[2].verdict.at).toBe('Fabrikam/Web');
    const vlan = onLink(t, 'Partner VLAN 50');
    expect(vlan.map((f) => f.stack)).toEqual([
      'eth:vlan:arp',
      'eth:vlan:arp',
      'eth:vlan:ip:icmp:data',
      'eth:vlan:ip:icmp:data',
    ]);
    const [, , out, back] = vlan;
    expect(out.fields['vlan.id']).toEqual([50]);
    expect(out.fields['eth.src']).toEqual(['00:15:5d:0a:00:02']);
    expect(out.fields['eth.dst']).toEqual(['00:15:5d:0b:00:50']);
    expect([out.fields['ip.src'], out.fields['ip.dst'], out.fields['icmp.type']]).toEqual([
      ['10.1.1.12'],
      ['192.168.50.10'],
      [8],
    ]);
    expect(back.fields['vlan.id']).toEqual([50]);
    expect(back.fields['eth.dst']).toEqual(['00:15:5d:0a:00:02']);
    expect([back.fields['ip.src'], back.fields['ip.dst'], back.fields['icmp.type']]).toEqual([
      ['192.168.50.10'],
      ['10.1.1.12'],
      [0],
    ]);
    // Nothing of the tenant's traffic to the partner crosses the front end or the WAN.
    expect(onLink(t, 'Gateway front end')).toEqual([]);
    expect(onLink(t, 'WAN')).toEqual([]);
    // The way back: from GW1's PA in VXLAN VNI 6001 to Fabrikam/Web's host.
    const vxlan = onLink(t, 'PA Subnet 1').filter(
      (f) => f.stack.startsWith('eth:vlan:ip:udp:vxlan') && f.fields['ip.src']?.[0] === '192.168.1.50',
    );
    expect(vxlan.map((f) => [f.fields['vxlan.vni'], f.fields['ip.dst']])).toEqual([
      [[6001], ['192.168.2.20', '10.1.1.12']],
    ]);
    const { rows, experts } = tshark(t, ['vlan.id', 'ip.src', 'ip.dst']);
    expect(experts).toEqual([]);
    const tagged = rows.filter((r) => r[0] === 'eth:ethertype:vlan:ethertype:ip:icmp:data');
    expect(tagged.map((r) => r.slice(1))).toEqual([
      ['50', '10.1.1.12', '192.168.50.10'],
      ['50', '192.168.50.10', '10.1.1.12'],
    ]);
  });

  it('traces typed gateway-l3 events out and in, and the route with its origin', () => {
    const t = ping(new Datacenter(hybrid()), 'Fabrikam/Web', '192.168.50.10');
    const events: TraceEvent[] = [];
    const walk = (n: TraceNode) => {
      if (n.what) events.push(n.what);
      for (const c of n.children) walk(c);
    };
    for (const p of t.packets) walk(p.root);
    const l3 = events.filter((e) => e.type === 'gateway-l3');
    expect(l3).toEqual([
      {
        type: 'gateway-l3',
        direction: 'out',
        gateway: 'GW1',
        compartment: 'Fabrikam',
        connection: 'Partner L3',
        vlanId: 50,
        link: 'Partner VLAN 50',
        localIp: '10.50.0.2',
        peerIp: '10.50.0.1',
        peerMac: '00:15:5d:0b:00:50',
      },
      {
        type: 'gateway-l3',
        direction: 'in',
        gateway: 'GW1',
        compartment: 'Fabrikam',
        connection: 'Partner L3',
        vlanId: 50,
        link: 'Partner VLAN 50',
        localIp: '10.50.0.2',
        peerIp: '10.50.0.1',
        peerMac: null,
      },
    ]);
    expect(events.find((e) => e.type === 'gateway-route')).toMatchObject({
      prefix: '192.168.50.0/24',
      connection: 'Partner L3',
      origin: "static route of connection 'Partner L3'",
    });
  });

  it('untraced packets take the same path: 5 pings delivered to the partner host', () => {
    const dc = new Datacenter(hybrid());
    const c = dc.send({ from: 'Fabrikam/Web', to: '192.168.50.10', protocol: 'icmp' }, 5);
    expect(c.delivered).toBe(5);
    expect(c.dropped).toBe(0);
  });

  it("Contoso has no L3 connection: its packet for 192.168.50.10 takes its NAT default route to the internet, never Fabrikam's VLAN", () => {
    const t = ping(new Datacenter(hybrid()), 'Contoso/Web', '192.168.50.10');
    expect(t.verdict).toMatchObject({ outcome: 'dropped', at: 'Internet' });
    expect(onLink(t, 'Partner VLAN 50')).toEqual([]);
  });

  it('drops, with the reason: a partner host that is not there, a VLAN 50 answer for no VM, one for the L3 interface itself', () => {
    const dc = new Datacenter(hybrid());
    expect(ping(dc, 'Fabrikam/Web', '192.168.50.99').verdict).toMatchObject({
      outcome: 'dropped',
      at: 'Partner DMZ',
      reason: 'no host at 192.168.50.99 in Partner DMZ (its hosts: 192.168.50.10)',
    });
    const t = ping(dc, 'Fabrikam/Web', '192.168.50.10');
    const back = onLink(t, 'Partner VLAN 50').filter((f) => f.stack === 'eth:vlan:ip:icmp:data')[1].bytes;
    const toCa = (last: number) => {
      const f = back.slice();
      f[18 + 19] = last; // the inner destination's last byte; the IP checksum is redone
      f[18 + 10] = 0;
      f[18 + 11] = 0;
      const ck = checksum(Array.from(f.subarray(18, 38)));
      f[18 + 10] = ck >> 8;
      f[18 + 11] = ck & 255;
      return f;
    };
    // 10.1.1.99: inside Fabrikam's subnet, but no VM there.
    const noVm = dc.traceWireFrame('partner-vlan-50', toCa(99), 'Partner DMZ edge');
    expect(noVm.verdict).toMatchObject({
      outcome: 'dropped',
      at: 'GW1',
      reason: 'no lookup record for 10.1.1.99 in VSID 6001',
    });
    const self = back.slice();
    self.set([10, 50, 0, 2], 18 + 16);
    self[18 + 10] = 0;
    self[18 + 11] = 0;
    const ck = checksum(Array.from(self.subarray(18, 38)));
    self[18 + 10] = ck >> 8;
    self[18 + 11] = ck & 255;
    const toSelf = dc.traceWireFrame('partner-vlan-50', self, 'Partner DMZ edge');
    expect(toSelf.verdict.reason).toBe(
      "10.50.0.2 is the L3 interface of 'Partner L3' itself: the gateway forwards for the compartment, it runs no service there",
    );
  });

  it("the gateway host's tables show the L3 connection and its route", () => {
    const [gw] = new Datacenter(hybrid()).hostTables('host-3')?.gateways ?? [];
    const fabrikam = gw.compartments.find((c) => c.tenant === 'Fabrikam');
    expect(fabrikam?.connections).toContainEqual({
      name: 'Partner L3',
      type: 'l3',
      detail: "VLAN 50 on 'Partner VLAN 50', L3 interface 10.50.0.2/24, next hop 10.50.0.1, no tunnel",
    });
    expect(fabrikam?.routes[0]).toEqual({
      prefix: '192.168.50.0/24',
      connection: 'Partner L3',
      type: 'l3',
      origin: "static route of connection 'Partner L3'",
    });
  });
});

describe('RAS gateway: the flow cache (first packet walks the routes, later ones hit)', () => {
  /** The gateway's flow-cache and route events of a trace (only packets out of a compartment have them). */
  const gatewayEvents = (t: Trace) => {
    const out: string[] = [];
    const walk = (n: TraceNode) => {
      const e = n.what;
      if (e?.type === 'gateway-flow') out.push(`${e.event} ${e.flow} ${e.connection} ${e.hits}`);
      if (e?.type === 'gateway-route') out.push(`route ${e.prefix}`);
      for (const c of n.children) walk(c);
    };
    for (const p of t.packets) walk(p.root);
    return out;
  };

  it('GRE: the first ping misses, walks the routes and caches; the second hits the entry, no route lookup', () => {
    const dc = new Datacenter(hybrid());
    const first = ping(dc, 'Contoso/Web', '172.16.0.10');
    expect(gatewayEvents(first)).toEqual([
      'miss ICMP 10.1.1.12 -> 172.16.0.10 id 1 null 0',
      'route 172.16.0.0/16',
      'insert ICMP 10.1.1.12 -> 172.16.0.10 id 1 HQ GRE 0',
    ]);
    const second = ping(dc, 'Contoso/Web', '172.16.0.10', 2);
    expect(gatewayEvents(second)).toEqual(['hit ICMP 10.1.1.12 -> 172.16.0.10 id 1 HQ GRE 1']);
    // The request and its echo reply (the VM's ARP cache is warm now).
    expect(second.packets.map((p) => p.verdict.outcome)).toEqual(['delivered', 'delivered']);
    // Same bytes on the front end as the slow path wrote (the sequence apart).
    const gre = onLink(second, 'Gateway front end').filter((f) => f.stack === 'eth:ip:gre:ip:icmp:data');
    expect(gre[0].fields['gre.key']).toEqual(['0x00001389']);
    expect(gre[0].fields['ip.ttl']).toEqual([64, 126]);
  });

  it('NAT: the cached entry keeps the mapping; the public id is the same, the mapping counts the packets', () => {
    const dc = new Datacenter(hybrid());
    ping(dc, 'Contoso/Web', '8.8.8.8');
    const second = ping(dc, 'Contoso/Web', '8.8.8.8', 2);
    expect(gatewayEvents(second)).toEqual(['hit ICMP 10.1.1.12 -> 8.8.8.8 id 1 Internet NAT 1']);
    const wan = onLink(second, 'WAN').filter((f) => f.stack !== 'eth:arp');
    expect(wan[0].fields['icmp.ident']).toEqual([10000]);
    const [gw] = dc.hostTables('host-3')?.gateways ?? [];
    expect(gw.nat[0].packets).toBe(4);
    expect(gw.flows).toEqual([
      {
        tenant: 'Contoso',
        protocol: 'ICMP',
        flow: '10.1.1.12 -> 8.8.8.8 id 1',
        connection: 'Internet NAT',
        hits: 1,
      },
    ]);
  });

  it('L3: the second ping to the partner hits the entry for the L3 connection', () => {
    const dc = new Datacenter(hybrid());
    ping(dc, 'Fabrikam/Web', '192.168.50.10');
    const second = ping(dc, 'Fabrikam/Web', '192.168.50.10', 2);
    expect(gatewayEvents(second)).toEqual(['hit ICMP 10.1.1.12 -> 192.168.50.10 id 1 Partner L3 1']);
    expect(second.verdict.outcome).toBe('delivered');
  });

  it('untraced packets hit the entry too; an edit of the document empties the cache (routes may change)', () => {
    const doc = hybrid();
    const dc = new Datacenter(doc);
    ping(dc, 'Contoso/Web', '172.16.0.10');
    const flows = () => dc.fabric.edges?.gateways[0].flows;
    const before = flows()?.hits[0] ?? -1;
    const sent = dc.send({ from: 'Contoso/Web', to: '172.16.0.10', protocol: 'icmp' }, 5);
    expect(sent.delivered).toBe(5);
    expect(flows()?.size).toBe(1);
    expect(flows()?.hits[0]).toBe(before + 5);
    const edited = structuredClone(doc);
    const contoso = edited.virtualGateways?.find((v) => v.id === 'contoso-gw');
    if (!contoso?.bgpRoutes) throw new Error('no BGP routes');
    contoso.bgpRoutes[0].peerAsn = 65002;
    dc.update(edited);
    expect(flows()?.size).toBe(0);
    const after = ping(dc, 'Contoso/Web', '172.16.0.10', 3);
    expect(gatewayEvents(after)[0]).toBe('miss ICMP 10.1.1.12 -> 172.16.0.10 id 1 null 0');
    expect(gatewayEvents(after)).toContain('route 172.16.0.0/16');
  });

  it('a full cache keeps its entries; a flow beyond it takes the slow path every time, NAT included', () => {
    const dc = new Datacenter(hybrid());
    const gw = dc.fabric.edges?.gateways[0];
    if (!gw) throw new Error('no gateway');
    gw.flows = new GatewayFlowTable(1);
    ping(dc, 'Contoso/Web', '172.16.0.10');
    for (const sequence of [1, 2]) {
      const t = ping(dc, 'Contoso/SQL', '8.8.8.8', sequence);
      expect(gatewayEvents(t)).toEqual(['miss ICMP 10.1.1.11 -> 8.8.8.8 id 1 null 0', 'route 0.0.0.0/0']);
      expect(t.packets.at(-1)?.verdict.outcome).toBe('delivered');
    }
    expect(gw.flows.size).toBe(1);
    expect(gatewayEvents(ping(dc, 'Contoso/Web', '172.16.0.10', 2))).toEqual([
      'hit ICMP 10.1.1.12 -> 172.16.0.10 id 1 HQ GRE 1',
    ]);
  });

  it('the cache tells flows apart: another VM, another destination, another tenant with the same addresses', () => {
    const dc = new Datacenter(hybrid());
    ping(dc, 'Contoso/Web', '172.16.0.10');
    expect(gatewayEvents(ping(dc, 'Contoso/SQL', '172.16.0.10'))[0]).toMatch(/^miss /);
    expect(gatewayEvents(ping(dc, 'Contoso/Web', '172.16.0.11'))[0]).toMatch(/^miss /);
    // Fabrikam/Web is 10.1.1.12 too, to the same 172.16.0.10: its own compartment, its own entry (IPsec).
    const fabrikam = ping(dc, 'Fabrikam/Web', '172.16.0.10');
    expect(gatewayEvents(fabrikam)).toEqual([
      'miss ICMP 10.1.1.12 -> 172.16.0.10 id 1 null 0',
      'route 172.16.0.0/16',
      'insert ICMP 10.1.1.12 -> 172.16.0.10 id 1 Branch IPsec 0',
    ]);
    expect(fabrikam.verdict.at).toBe('on-premises host 172.16.0.10 at Fabrikam Branch');
  });
});
