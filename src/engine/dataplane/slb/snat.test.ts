// PTF-style tests of the SLB's outbound NAT: a DIP's own connection to the Internet leaves its
// host SNATed to the VIP and a port of the DIP's slice (the bytes built here independently and
// compared whole, tshark checking the checksums); the answer goes router -> MUX -> the DIP that
// owns the port's slice -> un-NAT; other DIPs get other slices; a port no slice holds is dropped
// at the MUX with its reason.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBalancer } from '../../../scenarios/builders.ts';
import type { TopologyDocument } from '../../model/schema.ts';
import { writePcap } from '../../wire/index.ts';
import { Datacenter } from '../datacenter.ts';
import { buildIpFrame, IP_TCP } from '../packet.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { Trace, TraceNode } from '../trace-types.ts';

const dir = mkdtempSync(join(tmpdir(), 'hnv-snat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLIENT = '198.51.100.10';
const CLIENT_MAC = '00:50:56:00:00:10';
const ROUTER_INTERNET_MAC = '00:1b:54:00:00:03';
const VIP = '203.0.113.10';

function nodesOf(n: TraceNode, out: TraceNode[] = []): TraceNode[] {
  out.push(n);
  for (const c of n.children) nodesOf(c, out);
  return out;
}

function events<T extends TraceEvent['type']>(root: TraceNode, type: T): Extract<TraceEvent, { type: T }>[] {
  return nodesOf(root)
    .map((n) => n.what)
    .filter((e): e is Extract<TraceEvent, { type: T }> => e?.type === type);
}

const ip = (s: string) => s.split('.').map(Number);
const mac = (s: string) => s.split(':').map((x) => Number.parseInt(x, 16));

/** The Internet checksum, written here (not the engine's) so the test checks the engine's bytes. */
function sum16(b: number[], start: number, end: number, initial = 0): number {
  let s = initial;
  for (let i = start; i < end; i += 2) s += (b[i] << 8) | (i + 1 < end ? b[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/**
 * The frame a VM's TCP segment must be on the Internet link after SNAT to `src`:`sport`: same IP
 * packet with the new source, TTL 2 lower (host, router), both checksums recomputed from
 * scratch, behind the router's MAC toward the client's, no VLAN tag, no tunnel.
 */
function expectedOnInternet(vmFrame: Uint8Array, src: string, sport: number): Uint8Array {
  const p = [...vmFrame.subarray(14)];
  p.splice(12, 4, ...ip(src));
  p[8] -= 2;
  p[10] = 0;
  p[11] = 0;
  const ipSum = ~sum16(p, 0, 20) & 0xffff;
  p[10] = ipSum >>> 8;
  p[11] = ipSum & 255;
  p[20] = sport >>> 8;
  p[21] = sport & 255;
  p[36] = 0;
  p[37] = 0;
  const segLen = p.length - 20;
  const pseudo = sum16([...p.slice(12, 20), 0, IP_TCP, segLen >>> 8, segLen & 255], 0, 12);
  const tcpSum = ~sum16(p, 20, p.length, pseudo) & 0xffff;
  p[36] = tcpSum >>> 8;
  p[37] = tcpSum & 255;
  return Uint8Array.from([...mac(CLIENT_MAC), ...mac(ROUTER_INTERNET_MAC), 0x08, 0x00, ...p]);
}

function tshark(frames: Uint8Array[], name: string, fields: string[]): Record<string, string[]>[] {
  const file = join(dir, `${name}.pcap`);
  writeFileSync(file, writePcap(frames.map((data, i) => ({ data, timestampMicros: 1000 * (i + 1) }))));
  const run = spawnSync(
    'tshark',
    [
      '-r',
      file,
      '-o',
      'ip.check_checksum:TRUE',
      '-o',
      'tcp.check_checksum:TRUE',
      '-o',
      'udp.check_checksum:TRUE',
      '-T',
      'json',
      ...fields.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8' },
  );
  if (run.error || run.status !== 0) throw new Error(`tshark is missing or failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { _source: { layers: Record<string, string[]> } }[]).map(
    (p) => p._source.layers,
  );
}

function outbound(dc: Datacenter, vm: string, srcPort = 50000, dstPort = 443): Trace {
  return dc.trace({ from: vm, to: CLIENT, protocol: 'tcp', srcPort, dstPort });
}

const syn = (t: Trace) => t.packets.find((p) => p.label.startsWith('TCP SYN '));
const synAck = (t: Trace) => t.packets.find((p) => p.label.startsWith('TCP SYN, ACK'));

/** The client's TCP segment to VIP:port, as it puts it on the Internet link (a PTF "frame in"). */
function fromClient(vipPort: number, srcPort = 443): Uint8Array {
  return buildIpFrame({
    srcMac: Uint8Array.from(mac(CLIENT_MAC)),
    dstMac: Uint8Array.from(mac(ROUTER_INTERNET_MAC)),
    srcIp: 0xc633640a,
    dstIp: 0xcb00710a,
    proto: IP_TCP,
    ttl: 64,
    id: 1,
    df: true,
    totalLength: 40,
    srcPort,
    dstPort: vipPort,
    icmpType: 0,
    icmpCode: 0,
    icmpId: 0,
    icmpSeq: 0,
    tcpFlags: 0x12,
    tcpSeq: 7,
    tcpAck: 8,
  });
}

describe('SLB outbound NAT: a DIP connects out as the VIP', () => {
  it('the SYN leaves Host 1 SNATed to VIP:1024 (Web1 slice 1024-2047), not encapsulated; on the Internet link exactly the expected bytes, checksums right by tshark', () => {
    const dc = new Datacenter(loadBalancer());
    const t = outbound(dc, 'Contoso/Web1');
    const s = syn(t);
    expect(s?.verdict).toMatchObject({ outcome: 'delivered', at: 'Internet/Client' });
    const sent = t.frames.find((f) => f.where === 'Contoso/Web1 -> Host 1 vSwitch' && f.frame.length > 42);
    const onInternet = t.frames.filter((f) => f.where === "link 'Internet'" && f.frame[23] === IP_TCP);
    if (!sent) throw new Error('no frame from the VM');
    // The SYN (the first TCP frame on the Internet link) is exactly the VM's, SNATed.
    expect([...onInternet[0].frame]).toEqual([...expectedOnInternet(sent.frame, VIP, 1024)]);
    // On the PA link: plain IPv4 in a VLAN 10 frame from Host 1's NIC to the router, no VXLAN.
    const onPa = t.frames.filter((f) => f.where === "link 'PA Subnet 1'" && f.frame.length === 70);
    const layers = tshark([onPa[0].frame, onInternet[0].frame], 'snat-syn', [
      'eth.src',
      'vlan.id',
      'ip.src',
      'ip.dst',
      'tcp.srcport',
      'tcp.dstport',
      'vxlan.vni',
      'ip.checksum.status',
      'tcp.checksum.status',
    ]);
    expect(layers[0]['eth.src']).toEqual(['00:1d:d8:00:00:03']);
    expect(layers[0]['vlan.id']).toEqual(['10']);
    for (const l of layers) {
      expect(l['ip.src']).toEqual([VIP]);
      expect(l['ip.dst']).toEqual([CLIENT]);
      expect(l['tcp.srcport']).toEqual(['1024']);
      expect(l['tcp.dstport']).toEqual(['443']);
      expect(l['vxlan.vni']).toBeUndefined();
      expect(l['ip.checksum.status']).toEqual(['1']);
      expect(l['tcp.checksum.status']).toEqual(['1']);
    }
    const snat = events(s?.root as TraceNode, 'slb-snat')[0];
    expect(snat).toMatchObject({
      direction: 'out',
      mapping: 'new',
      inside: '10.1.1.11:50000',
      remote: `${CLIENT}:443`,
      public: `${VIP}:1024`,
      slice: '1024-2047',
    });
    // The SYN never goes through a MUX.
    expect(events(s?.root as TraceNode, 'slb-mux')).toEqual([]);
    expect(events(s?.root as TraceNode, 'slb-mux-snat')).toEqual([]);
  });

  it("the client's SYN-ACK to VIP:1024 goes router -> MUX (slice 1024-2047 is Web1's) -> VXLAN to Host 1 -> un-NAT to 10.1.1.11:50000; the ACK takes the fast path", () => {
    const dc = new Datacenter(loadBalancer());
    const t = outbound(dc, 'Contoso/Web1');
    const back = synAck(t);
    expect(back?.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web1' });
    const mux = events(back?.root as TraceNode, 'slb-mux-snat')[0];
    expect(mux).toMatchObject({
      port: 1024,
      slice: '1024-2047',
      chosen: { vm: 'Contoso/Web1', pa: '192.168.1.10' },
    });
    const tunnel = t.frames.find((f) => f.where === "link 'PA Subnet 1'" && f.frame.length === 108);
    const delivered = [...t.frames].reverse().find((f) => f.where === 'Host 1 vSwitch -> Contoso/Web1');
    if (!tunnel || !delivered) throw new Error('no tunnel or delivered frame');
    const [outer, inner] = tshark([tunnel.frame, delivered.frame], 'snat-back', [
      'vxlan.vni',
      'ip.src',
      'ip.dst',
      'tcp.srcport',
      'tcp.dstport',
      'tcp.flags.str',
      'ip.checksum.status',
      'tcp.checksum.status',
    ]);
    expect(outer['vxlan.vni']).toEqual(['5001']);
    expect(outer['ip.dst']).toEqual(['192.168.1.10', VIP]);
    expect(outer['tcp.dstport']).toEqual(['1024']);
    expect(inner['ip.src']).toEqual([CLIENT]);
    expect(inner['ip.dst']).toEqual(['10.1.1.11']);
    expect(inner['tcp.srcport']).toEqual(['443']);
    expect(inner['tcp.dstport']).toEqual(['50000']);
    expect(inner['ip.checksum.status']).toEqual(['1']);
    expect(inner['tcp.checksum.status']).toEqual(['1']);
    const ack = t.packets[t.packets.length - 1];
    expect(ack.label).toContain('TCP ACK');
    expect(ack.path).toBe('fast');
    expect(ack.verdict.outcome).toBe('delivered');
    const ackOut = [...t.frames].reverse().find((f) => f.where === "link 'Internet'");
    expect(tshark([ackOut?.frame as Uint8Array], 'snat-ack', ['ip.src', 'tcp.srcport'])[0]).toEqual({
      'ip.src': [VIP],
      'tcp.srcport': ['1024'],
    });
  });

  it('each DIP gets its own slice: Web2 -> 2048, Web3 -> 3072; a second Web1 connection -> 1025; answers go back to the owner', () => {
    const dc = new Datacenter(loadBalancer());
    const cases: [string, number, number, string][] = [
      ['Contoso/Web2', 50000, 2048, '2048-3071'],
      ['Contoso/Web3', 50000, 3072, '3072-4095'],
      ['Contoso/Web1', 50000, 1024, '1024-2047'],
      ['Contoso/Web1', 50001, 1025, '1024-2047'],
    ];
    for (const [vm, sport, port, slice] of cases) {
      const t = outbound(dc, vm, sport);
      expect(events(syn(t)?.root as TraceNode, 'slb-snat')[0]).toMatchObject({
        public: `${VIP}:${port}`,
        slice,
      });
      const back = synAck(t);
      expect(back?.verdict.at).toBe(vm);
      expect(events(back?.root as TraceNode, 'slb-mux-snat')[0].chosen.vm).toBe(vm);
    }
    // The host tables show each DIP's slices and mappings on its own host.
    const host1 = dc.hostTables('host-1')?.slbSnat ?? [];
    expect(host1.map((x) => x.vm)).toEqual(['Contoso/Web1']);
    expect(host1[0].slices).toContain("TCP 1024-2047 (outbound NAT rule 'Outbound')");
    expect(host1[0].mappings).toEqual([
      { protocol: 'TCP', inside: '10.1.1.11:50000', remote: `${CLIENT}:443`, public: `${VIP}:1024` },
      { protocol: 'TCP', inside: '10.1.1.11:50001', remote: `${CLIENT}:443`, public: `${VIP}:1025` },
    ]);
    expect(dc.hostTables('host-3')?.slbSnat?.[0].mappings.map((m) => m.public)).toEqual([`${VIP}:3072`]);
  });

  it('a port outside every slice is dropped at the MUX, with the reason named', () => {
    const dc = new Datacenter(loadBalancer());
    const out = dc.traceWireFrame('Internet', fromClient(5000), 'Internet/Client');
    expect(out.verdict.outcome).toBe('dropped');
    expect(out.verdict.at).toContain('SLB MUX');
    expect(out.verdict.reason).toContain('no DIP');
    expect(out.verdict.reason).toContain('outbound NAT slice');
    // A range that does not split evenly: 1024-4096 is 3 x 1024 ports plus 4096, which no DIP owns.
    const doc: TopologyDocument = loadBalancer();
    const rule = doc.loadBalancers?.[0].outboundNatRules[0];
    if (!rule) throw new Error('no outbound NAT rule');
    rule.portRangeEnd = 4096;
    const dc2 = new Datacenter(doc);
    const left = dc2.traceWireFrame('Internet', fromClient(4096), 'Internet/Client');
    expect(left.verdict).toMatchObject({ outcome: 'dropped' });
    expect(left.verdict.reason).toContain("is in outbound NAT rule 'Outbound' (1024-4096)");
    expect(left.verdict.reason).toContain("in no DIP's SNAT slice (3 DIPs x 1024 ports");
    // 4095 is still Web3's.
    const web3 = dc2.traceWireFrame('Internet', fromClient(4095), 'Internet/Client');
    expect(events(web3.packets[0].root, 'slb-mux-snat')[0].chosen.vm).toBe('Contoso/Web3');
  });

  it("a port in Web2's slice with no connection behind it reaches Web2's host and is dropped there (no mapping)", () => {
    const dc = new Datacenter(loadBalancer());
    const t = dc.traceWireFrame('Internet', fromClient(2100), 'Internet/Client');
    expect(events(t.packets[0].root, 'slb-mux-snat')[0].chosen.vm).toBe('Contoso/Web2');
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toContain('no outbound NAT mapping of Contoso/Web2');
    // And an answer from another remote port to a mapped VIP port is no answer either.
    outbound(dc, 'Contoso/Web2');
    const wrong = dc.traceWireFrame('Internet', fromClient(2048, 444), 'Internet/Client');
    expect(wrong.verdict.reason).toContain('no outbound NAT mapping');
    const right = dc.traceWireFrame('Internet', fromClient(2048, 443), 'Internet/Client');
    expect(right.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web2' });
  });

  it('a DIP whose probe fails keeps its slice: its own connections still go out and come back', () => {
    const doc = loadBalancer();
    const lb = doc.loadBalancers?.[0];
    if (!lb) throw new Error('no lb');
    lb.probeFailures = [lb.backendVnicIds[0]];
    const dc = new Datacenter(doc);
    const t = outbound(dc, 'Contoso/Web1');
    expect(events(syn(t)?.root as TraceNode, 'slb-snat')[0].public).toBe(`${VIP}:1024`);
    expect(synAck(t)?.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web1' });
  });

  it('UDP has its own port space: UDP and TCP from Web3 both get 3072; ICMP is not translated', () => {
    const dc = new Datacenter(loadBalancer());
    const udp = dc.trace({ from: 'Contoso/Web3', to: CLIENT, protocol: 'udp', srcPort: 5353, dstPort: 53 });
    const sent = udp.packets.find((p) => p.label.startsWith('UDP'));
    expect(sent?.verdict).toMatchObject({ outcome: 'delivered', at: 'Internet/Client' });
    expect(events(sent?.root as TraceNode, 'slb-snat')[0]).toMatchObject({
      public: `${VIP}:3072`,
      slice: '3072-4095',
    });
    const onInternet = udp.frames.filter((f) => f.where === "link 'Internet'" && f.frame[23] === 17);
    const [l] = tshark([onInternet[0].frame], 'snat-udp', ['ip.src', 'udp.srcport', 'udp.checksum.status']);
    expect(l['ip.src']).toEqual([VIP]);
    expect(l['udp.srcport']).toEqual(['3072']);
    expect(l['udp.checksum.status']).toEqual(['1']);
    const tcp = outbound(dc, 'Contoso/Web3');
    expect(events(syn(tcp)?.root as TraceNode, 'slb-snat')[0].public).toBe(`${VIP}:3072`);
    const ping = dc.trace({ from: 'Contoso/Web3', to: CLIENT, protocol: 'icmp' });
    expect(ping.verdict.outcome).toBe('dropped');
    expect(ping.verdict.reason).toContain('no route to 198.51.100.10');
  });

  it("a reply from a load-balanced port keeps the VIP's port (DSR), not an SNAT port", () => {
    const dc = new Datacenter(loadBalancer());
    const t = dc.trace({ from: 'Internet/Client', to: VIP, protocol: 'tcp', srcPort: 50000, dstPort: 80 });
    const reply = t.packets[t.packets.length - 1];
    expect(events(reply.root, 'slb-snat')).toEqual([]);
    expect(events(reply.root, 'action').some((e) => e.action.type === 'slb-nat')).toBe(true);
  });
});
