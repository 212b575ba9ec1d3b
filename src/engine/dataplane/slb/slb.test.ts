// PTF-style tests of the software load balancer: a client's frame onto the Internet link, what
// the router, the MUX and the DIP's host do with it, what comes out on each wire (tshark reads
// the bytes), and the reply's direct server return. The MUX's choice is checked against the
// Toeplitz hash computed here, not against what the engine printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBalancer } from '../../../scenarios/builders.ts';
import { ipToU32 } from '../../controller/addr.ts';
import type { TopologyDocument } from '../../model/schema.ts';
import { validateDocument } from '../../model/validate.ts';
import { toeplitz } from '../../net/toeplitz.ts';
import { writePcap } from '../../wire/index.ts';
import { Datacenter } from '../datacenter.ts';
import { Decision } from '../forwarder.ts';
import { parse } from '../packet.ts';
import { pktOf } from '../steps.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { Trace, TraceNode } from '../trace-types.ts';

const dir = mkdtempSync(join(tmpdir(), 'hnv-slb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLIENT = '198.51.100.10';
const VIP = '203.0.113.10';
const WEB = ['Contoso/Web1', 'Contoso/Web2', 'Contoso/Web3'];

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

function connect(dc: Datacenter, sport: number, dport = 80): Trace {
  return dc.trace({ from: 'Internet/Client', to: VIP, protocol: 'tcp', srcPort: sport, dstPort: dport });
}

/** The DIP the MUX must pick for a new flow: Toeplitz over the 5-tuple, modulo the healthy DIPs. */
function expectedDip(sport: number, healthy: string[]): string {
  const h = toeplitz(ipToU32(CLIENT), ipToU32(VIP), ((sport << 16) | 80) >>> 0, 32);
  return healthy[h % healthy.length];
}

function tshark(trace: Trace, name: string, fields: string[]): Record<string, string[]>[] {
  const file = join(dir, `${name}.pcap`);
  writeFileSync(
    file,
    writePcap(trace.frames.map((f, i) => ({ data: f.frame, timestampMicros: 1000 * (i + 1) }))),
  );
  const run = spawnSync(
    'tshark',
    [
      '-r',
      file,
      '-o',
      'ip.check_checksum:TRUE',
      '-o',
      'tcp.check_checksum:TRUE',
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

function withProbeFailures(vnicIds: string[]): TopologyDocument {
  const doc = loadBalancer();
  const lb = doc.loadBalancers?.[0];
  if (!lb) throw new Error('no load balancer');
  lb.probeFailures = vnicIds;
  return doc;
}

const nicOf = (doc: TopologyDocument, label: string) =>
  doc.vms.find((v) => `Contoso/${v.name}` === label)?.nics[0].id ?? '';

describe('SLB: client -> router -> MUX -> DIP host, reply by direct server return', () => {
  it('delivers the SYN at the DIP the Toeplitz hash picks, translated to the DIP; the SYN-ACK reaches the client from the VIP', () => {
    const dc = new Datacenter(loadBalancer());
    const t = connect(dc, 50000);
    const dip = expectedDip(50000, WEB);
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: dip });
    const [syn, , synAck] = [t.packets[0], t.packets[1], t.packets[t.packets.length - 1]];
    const mux = events(syn.root, 'slb-mux')[0];
    expect(mux.flow).toBe('new');
    expect(mux.hash).toBe(
      `0x${toeplitz(ipToU32(CLIENT), ipToU32(VIP), (50000 << 16) | 80, 32)
        .toString(16)
        .padStart(8, '0')}`,
    );
    expect(mux.chosen.vm).toBe(dip);
    expect(events(syn.root, 'bgp-route')[0].origin).toContain("BGP peer MUX 'SLB MUX 1' (AS 65010)");
    // The VM got its own address and port, not the VIP.
    const delivered = nodesOf(syn.root).find((n) => n.kind === 'deliver' && n.frame);
    const p = parse(delivered?.frame ?? new Uint8Array());
    expect(p.ipDst).toBe(ipToU32(`10.1.1.${11 + WEB.indexOf(dip)}`));
    expect(p.dstPort).toBe(80);
    expect(synAck.label).toContain('SYN-ACK');
    expect(synAck.verdict).toMatchObject({ outcome: 'delivered', at: 'Internet/Client' });
  });

  it('names each edge device where it acts: the client sends and gets the SYN-ACK, the MUX picks (their document ids)', () => {
    const doc = loadBalancer();
    const t = connect(new Datacenter(doc), 50000);
    const [syn, synAck] = [t.packets[0], t.packets[t.packets.length - 1]];
    const client = doc.externalEndpoints?.find((e) => e.name === 'Client');
    // The router spreads flows over both MUXes (ECMP): the step names the one that took this flow.
    const mux = nodesOf(syn.root).find((n) => n.what?.type === 'slb-mux');
    const picked = mux?.what?.type === 'slb-mux' ? mux.what.mux : '';
    expect(picked).toMatch(/^SLB MUX [12]$/);
    expect(mux?.where).toMatchObject({
      edgeId: doc.slbMuxes?.find((m) => m.name === picked)?.id,
      edgeName: picked,
    });
    expect(syn.root.where).toMatchObject({ edgeId: client?.id, edgeName: 'Internet/Client' });
    const received = nodesOf(synAck.root).find((n) => n.what?.type === 'endpoint-receive');
    expect(received?.where).toMatchObject({ edgeId: client?.id, edgeName: 'Internet/Client' });
  });

  it('DSR: the reply leaves the DIP host plain (eth source = that host, IP source = VIP), never through a MUX; tshark agrees byte for byte', () => {
    const doc = loadBalancer();
    const dc = new Datacenter(doc);
    const t = connect(dc, 50001);
    const dip = expectedDip(50001, WEB);
    const vm = doc.vms.find((v) => `Contoso/${v.name}` === dip);
    const host = doc.hosts.find((h) => h.id === vm?.hostId);
    if (!host) throw new Error('no host');
    const synAck = t.packets[t.packets.length - 1];
    expect(events(synAck.root, 'slb-mux')).toEqual([]);
    const layers = tshark(t, 'dsr', [
      'eth.src',
      'ip.src',
      'ip.dst',
      'tcp.flags.str',
      'tcp.srcport',
      'vxlan.vni',
      '_ws.expert.severity',
      'ip.checksum.status',
      'tcp.checksum.status',
    ]);
    const muxMacs = (doc.slbMuxes ?? []).map((m) => m.mac);
    const replies = layers.filter((l) => (l['tcp.flags.str']?.[0] ?? '').includes('A'));
    // Four frames: VM -> vSwitch, the host's uplink on its PA link, the router onto the Internet link.
    expect(replies.length).toBe(3);
    const onPaLink = replies[1];
    expect(host.teamMembers.map((m) => m.mac)).toContain(onPaLink['eth.src'][0]);
    expect(onPaLink['ip.src']).toEqual([VIP]);
    expect(onPaLink['vxlan.vni']).toBeUndefined();
    expect(onPaLink['tcp.srcport']).toEqual(['80']);
    for (const r of replies.slice(1)) {
      expect(muxMacs).not.toContain(r['eth.src'][0]);
      expect(r['ip.dst']).toEqual([CLIENT]);
      expect(r['ip.checksum.status']).toEqual(['1']); // 1: good (checked)
      expect(r['tcp.checksum.status']).toEqual(['1']);
    }
    // The inbound SYN did go through the MUX, tunnelled (VXLAN VNI 5001) from the MUX's address.
    const tunnel = layers.find((l) => l['vxlan.vni']);
    expect(tunnel?.['vxlan.vni']).toEqual(['5001']);
    expect((doc.slbMuxes ?? []).map((m) => m.ip)).toContain(tunnel?.['ip.src'][0]);
    // No frame tshark reads as malformed or wrong (expert errors and warnings).
    for (const l of layers)
      for (const s of l['_ws.expert.severity'] ?? []) expect(Number(s)).toBeLessThan(6291456);
  });

  it('spreads flows over the three DIPs, deterministically, as the hash says', () => {
    const counts = new Map<string, number>();
    const first = new Datacenter(loadBalancer());
    const second = new Datacenter(loadBalancer());
    for (let sport = 50000; sport < 50030; sport++) {
      const a = connect(first, sport).packets[0].verdict.at;
      expect(a).toBe(expectedDip(sport, WEB));
      expect(connect(second, sport).packets[0].verdict.at).toBe(a);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(WEB);
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(5);
  });

  it('a second packet of a flow takes the host fast path with the same NAT: the VM gets the same bytes', () => {
    const dc = new Datacenter(loadBalancer());
    const frameAtVm = (t: Trace) => nodesOf(t.packets[0].root).find((n) => n.kind === 'deliver')?.frame;
    const one = connect(dc, 50002);
    const two = connect(dc, 50002);
    expect(events(two.packets[0].root, 'slb-mux')[0].flow).toBe('existing');
    expect(events(two.packets[0].root, 'uft').some((e) => e.place === 'uplink' && e.event === 'hit')).toBe(
      true,
    );
    expect(frameAtVm(two)).toEqual(frameAtVm(one));
  });
});

describe('SLB and the other layers of the DIP port', () => {
  it('the ACL sees the DIP, not the VIP: a deny on the web subnet drops the SYN after the NAT', () => {
    const doc = loadBalancer();
    doc.acls.push({
      id: 'no-web',
      name: 'no-web',
      defaultAction: 'allow',
      rules: [
        {
          id: 'deny-80',
          name: 'deny-80',
          priority: 100,
          direction: 'inbound',
          action: 'deny',
          protocol: 'tcp',
          sourceAddressPrefix: '*',
          sourcePortRange: '*',
          destinationAddressPrefix: '10.1.1.0/24',
          destinationPortRange: '80',
        },
      ],
    });
    doc.virtualSubnets[0].aclId = 'no-web';
    const t = connect(new Datacenter(doc), 50010);
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toContain("denied by ACL rule 'deny-80'");
    const syn = t.packets[0].root;
    expect(events(syn, 'action').some((e) => e.action.type === 'slb-nat')).toBe(true);
  });

  it('the second SYN-ACK of a flow takes the port fast path: same NAT, same bytes on the PA link', () => {
    const dc = new Datacenter(loadBalancer());
    const replyOnPa = (t: Trace) =>
      t.frames.filter(
        (f) =>
          f.where.startsWith("link 'PA") &&
          f.frame[12] === 0x81 &&
          f.frame[18 + 9] === 6 &&
          (f.frame[18 + 33] & 0x12) === 0x12,
      );
    const one = connect(dc, 50011);
    const two = connect(dc, 50011);
    const last = two.packets[two.packets.length - 1];
    expect(events(last.root, 'uft').some((e) => e.place === 'port' && e.event === 'hit')).toBe(true);
    expect(last.path).toBe('fast');
    expect(replyOnPa(two).map((f) => f.frame)).toEqual(replyOnPa(one).map((f) => f.frame));
    expect(replyOnPa(two).length).toBe(1);
  });
});

describe('SLB untraced: the same pieces without a trace sink', () => {
  it('1000 packets of a flow from the client reach the DIP with the MUX and host tables hit, nothing dropped', () => {
    const dc = new Datacenter(loadBalancer());
    const t = connect(dc, 50009);
    const dip = t.verdict.at;
    // The client's frame as it went onto the Internet link (after its ARP).
    const wire = t.frames.find((f) => f.where === "link 'Internet'" && parse(f.frame).proto === 6);
    if (!wire) throw new Error('no client frame');
    const ls = dc.controller.doc.logicalSubnets.find((l) => l.name === 'Internet');
    const fw = dc.forwarder;
    fw.stats = { packets: 0, slow: 0, fast: 0, delivered: 0, dropped: 0 };
    const host = [...dc.hosts.values()].find((h) => h.ports.some((p) => p.label === dip));
    const hitsBefore = host?.uplinkTable.hitCount ?? 0;
    for (let i = 0; i < 1000; i++) {
      fw.link = ls ?? null;
      fw.from = '';
      fw.hopFresh = false;
      fw.run(Decision.OnLink, pktOf(wire.frame));
    }
    expect(fw.stats.delivered).toBe(1000);
    expect(fw.stats.dropped).toBe(0);
    expect((host?.uplinkTable.hitCount ?? 0) - hitsBefore).toBe(1000);
    expect(dc.slb.muxFlows().flatMap((m) => m.flows)).toEqual([
      { tuple: '198.51.100.10:50009 -> 203.0.113.10:80 TCP', dip: expect.any(String), vm: dip },
    ]);
  });
});

describe('SLB health probes and flow affinity', () => {
  it('a failing probe keeps the existing flow on its DIP and sends the next new flow elsewhere', () => {
    const doc = loadBalancer();
    const dc = new Datacenter(doc);
    const sport = 50003;
    const dip = connect(dc, sport).verdict.at;
    // A new flow that would have gone to the same DIP with every probe up.
    let other = 51000;
    while (expectedDip(other, WEB) !== dip) other++;
    dc.update(withProbeFailures([nicOf(doc, dip)]));
    const again = connect(dc, sport);
    expect(again.verdict.at).toBe(dip);
    expect(events(again.packets[0].root, 'slb-mux')[0].flow).toBe('existing');
    const moved = connect(dc, other);
    const healthy = WEB.filter((w) => w !== dip);
    expect(moved.verdict.at).toBe(expectedDip(other, healthy));
    expect(moved.verdict.at).not.toBe(dip);
    const mux = events(moved.packets[0].root, 'slb-mux')[0];
    expect(mux.dips.find((d) => d.vm === dip)?.healthy).toBe(false);
  });

  it('every probe down: a new flow is dropped at the MUX and says why', () => {
    const doc = loadBalancer();
    const dc = new Datacenter(withProbeFailures(WEB.map((w) => nicOf(doc, w))));
    const t = connect(dc, 50004);
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toContain('fails its health probe');
  });

  it('the inbound NAT rule sends VIP:3389 to Web1 only, whatever the hash', () => {
    const dc = new Datacenter(loadBalancer());
    for (const sport of [50005, 50006, 50007])
      expect(connect(dc, sport, 3389).packets[0].verdict.at).toBe('Contoso/Web1');
  });

  it('a port with no rule is dropped at the MUX', () => {
    const t = connect(new Datacenter(loadBalancer()), 50008, 443);
    expect(t.verdict).toMatchObject({ outcome: 'dropped' });
    expect(t.verdict.reason).toContain('no load-balancing or inbound NAT rule for TCP port 443');
  });
});

describe('SLB validation: named errors', () => {
  const errorsOf = (edit: (d: TopologyDocument) => void) => {
    const d = loadBalancer();
    edit(d);
    const r = validateDocument(d);
    return r.ok ? [] : r.errors;
  };
  const lb = (d: TopologyDocument) => d.loadBalancers?.[0] ?? (null as never);

  it('the scenario is valid', () => expect(errorsOf(() => {})).toEqual([]));

  it('a VIP inside a link', () => {
    expect(
      errorsOf((d) => {
        lb(d).frontendIp = '192.168.1.77';
      }),
    ).toEqual([
      expect.objectContaining({
        objectKind: 'load balancer',
        objectName: 'Web LB',
        field: 'frontendIp',
        rule: 'vip-off-link',
      }),
    ]);
  });

  it('a DIP that is no vNIC, a frontend port used twice, a probe that does not exist', () => {
    const errors = errorsOf((d) => {
      lb(d).backendVnicIds.push('nope');
      lb(d).inboundNatRules[0].frontendPort = 80;
      lb(d).rules[0].probeId = 'gone';
    });
    expect(errors.map((e) => [e.field, e.rule])).toEqual([
      ['backendVnicIds[3]', 'known-reference'],
      ['rules[0].probeId', 'known-reference'],
      ['inboundNatRules[0].frontendPort', 'unique-frontend-port'],
    ]);
  });

  it("a MUX address outside its host's logical subnet, an endpoint on a link no router reaches", () => {
    const errors = errorsOf((d) => {
      (d.slbMuxes ?? [])[0].ip = '192.168.2.99';
      d.routers[0].interfaces.pop();
    });
    expect(errors.map((e) => [e.objectKind, e.field, e.rule])).toEqual([
      ['SLB MUX', 'ip', 'ip-in-logical-subnet'],
      ['external endpoint', 'logicalSubnetId', 'routed-link'],
    ]);
  });
});
