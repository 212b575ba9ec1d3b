// PTF-style data plane tests: send a frame into a port, expect exactly these frames out of
// these ports (or none). Frames are checked byte-level through the codec's decoder.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { routerMac } from '../controller/addr.ts';
import { createEngine, type Trace, type TraceNode, traceToJson } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { decodeFrame, fieldsByKey } from '../wire/index.ts';

function scenario(id: string): TopologyDocument {
  const s = scenarioById(id);
  if (!s) throw new Error(`no scenario ${id}`);
  return structuredClone(s.document);
}

function engineFor(doc: TopologyDocument) {
  const engine = createEngine();
  const loaded = engine.load(doc);
  expect(loaded.errors).toEqual([]);
  return engine;
}

type Fields = Record<string, (string | number | boolean)[]>;
const fields = (frame: Uint8Array): Fields => fieldsByKey(decodeFrame(frame)) as Fields;

/** Frames that crossed a place whose name contains `where` (a link, a vSwitch port). */
const framesAt = (t: Trace, where: string) =>
  t.frames.filter((f) => f.where.includes(where)).map((f) => f.frame);
/** ARP on the PA network (the outer next hops), tagged or not. */
const isArp = (frame: Uint8Array) => fields(frame)['arp.opcode'] !== undefined;
/** The IP frames that crossed a physical link: tunnels and ICMP errors (PA ARP aside). */
const linkFrames = (t: Trace) => framesAt(t, 'link ').filter((f) => !isArp(f));
const paArp = (t: Trace) => framesAt(t, 'link ').filter(isArp);

function allNodes(t: Trace): TraceNode[] {
  const out: TraceNode[] = [];
  const walk = (n: TraceNode) => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  for (const p of t.packets) walk(p.root);
  return out;
}

const deliveries = (t: Trace) => allNodes(t).flatMap((n) => (n.kind === 'deliver' ? [n.vm] : []));

/** Multi-tenant with an ACL on Contoso SQL's port that denies inbound TCP to one port. */
function withSqlAcl(port: number): TopologyDocument {
  const doc = scenario('multi-tenant');
  doc.acls.push({
    id: 'sql-acl',
    name: 'SQL ACL',
    defaultAction: 'allow',
    rules: [
      {
        id: `deny-${port}`,
        name: `deny-${port}`,
        priority: 100,
        direction: 'inbound',
        action: 'deny',
        protocol: 'tcp',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: String(port),
      },
    ],
  });
  doc.vms[0].nics[0].aclId = 'sql-acl'; // Contoso SQL's port
  return doc;
}

describe('multi-tenant: Contoso Web -> SQL ping', () => {
  const doc = scenario('multi-tenant');
  const engine = engineFor(doc);
  const t = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });

  it("resolves the first hop with ARP answered by host 2's agent; ARP never leaves the host", () => {
    const arp = t.packets[0];
    expect(arp.label).toMatch(/^ARP who-has 10\.1\.1\.11/);
    const answered = allNodes({ ...t, packets: [arp] }).find((n) => n.kind === 'lookup');
    expect(answered?.title).toContain('Host 2 host agent');
    expect(arp.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web' });
    const reply = framesAt(t, '-> Contoso/Web')[0];
    const f = fields(reply);
    expect(f['arp.opcode']).toEqual([2]);
    expect(f['arp.src.proto_ipv4']).toEqual(['10.1.1.11']);
    expect(f['arp.src.hw_mac']).toEqual(['00:15:5d:50:01:11']);
    // The only ARP on the physical links is for PAs (the outer next hops), never for a CA.
    for (const frame of paArp(t))
      for (const ip of [...fields(frame)['arp.src.proto_ipv4'], ...fields(frame)['arp.dst.proto_ipv4']])
        expect(String(ip)).toMatch(/^192\.168\./);
  });

  it('carries the ICMP in VXLAN VNI 5001 from PA to PA across the router: outer TTL-1, VLAN per subnet', () => {
    const [onSubnet2, onSubnet1] = linkFrames(t);
    const a = fields(onSubnet2);
    expect(a['eth.src'][0]).toBe('00:15:5d:00:02:01'); // Host 2 NIC1 (PA 192.168.2.20)
    expect(a['eth.dst'][0]).toBe('00:1b:54:00:00:02'); // the router's interface on 192.168.2.0/24
    expect(a['vlan.id']).toEqual([20]);
    expect(a['ip.src']).toEqual(['192.168.2.20', '10.1.1.12']);
    expect(a['ip.dst']).toEqual(['192.168.1.10', '10.1.1.11']);
    expect(a['ip.ttl']).toEqual([64, 128]);
    expect(a['udp.dstport']).toEqual([4789]);
    expect(a['vxlan.vni']).toEqual([5001]);
    const sport = Number(a['udp.srcport'][0]);
    expect(sport).toBeGreaterThanOrEqual(49152);
    expect(sport).toBeLessThanOrEqual(65535);
    const b = fields(onSubnet1);
    expect(b['eth.src'][0]).toBe('00:1b:54:00:00:01');
    expect(b['eth.dst'][0]).toBe('00:15:5d:00:01:01'); // Host 1 NIC1 (PA 192.168.1.10)
    expect(b['vlan.id']).toEqual([10]);
    expect(b['ip.ttl']).toEqual([63, 128]);
    expect(b['vxlan.vni']).toEqual([5001]);
  });

  it('delivers to Contoso SQL only, and the reply comes back', () => {
    const request = t.packets[1];
    expect(request.verdict).toMatchObject({
      outcome: 'delivered',
      at: 'Contoso/SQL',
      deliveredTo: ['Contoso/SQL'],
    });
    const reply = t.packets[t.packets.length - 1];
    expect(reply.label).toMatch(/^ICMP echo reply/);
    expect(reply.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web' });
    const back = fields(framesAt(t, '-> Contoso/Web').at(-1) as Uint8Array);
    expect(back['icmp.type']).toEqual([0]);
    expect(back['ip.src']).toEqual(['10.1.1.11']);
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
  });

  it("Fabrikam's identical ping uses VNI 6001 and reaches Fabrikam SQL only; no frame crosses tenants", () => {
    const f = engine.trace({ from: 'Fabrikam/Web', to: 'Fabrikam/SQL', protocol: 'icmp' });
    expect(f.verdict).toMatchObject({ outcome: 'delivered', at: 'Fabrikam/SQL' });
    for (const frame of linkFrames(f)) expect(fields(frame)['vxlan.vni']).toEqual([6001]);
    for (const frame of linkFrames(t)) expect(fields(frame)['vxlan.vni']).toEqual([5001]);
    expect(new Set(deliveries(f))).toEqual(new Set(['Fabrikam/Web', 'Fabrikam/SQL']));
    expect(new Set(deliveries(t))).toEqual(new Set(['Contoso/Web', 'Contoso/SQL']));
  });
});

describe('routing domains', () => {
  const engine = engineFor(scenario('routing-domains'));

  it('routes between R&D subnets across hosts: TTL-1, MAC and VSID rewrite', () => {
    const t = engine.trace({ from: 'Contoso/Dev1', to: 'Contoso/Test', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Test' });
    // The VM ARPs for its gateway, the lowest address of its subnet; the agent answers the router's MAC.
    expect(t.packets[0].label).toContain('who-has 10.1.1.1 ');
    const [wire] = linkFrames(t);
    const f = fields(wire);
    expect(f['vxlan.vni']).toEqual([5003]); // rewritten to the destination's VSID
    expect(f['eth.src'][1]).toBe(routerMac(5003));
    expect(f['eth.dst'][1]).toBe('00:15:5d:a0:03:11');
    expect(f['ip.ttl'][1]).toBe(127);
    expect(f['vlan.id']).toEqual([100]);
    // Same logical subnet: the outer next hop is the remote host itself, not the ToR.
    expect(f['eth.dst'][0]).toBe('00:15:5d:00:0b:01');
    const delivered = fields(framesAt(t, '-> Contoso/Test')[0]);
    expect(delivered['ip.ttl']).toEqual([127]);
  });

  it('routes between subnets on one host without the packet leaving the host', () => {
    const t = engine.trace({ from: 'Contoso/Dev1', to: 'Contoso/Build', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Build' });
    expect(linkFrames(t)).toEqual([]);
    const f = fields(framesAt(t, '-> Contoso/Build')[0]);
    expect(f['eth.src']).toEqual([routerMac(5002)]);
    expect(f['eth.dst']).toEqual(['00:15:5d:a0:02:11']);
    expect(f['ip.ttl']).toEqual([127]);
  });

  it('drops R&D -> Sales with the reason: another routing domain needs a gateway', () => {
    const t = engine.trace({ from: 'Contoso/Dev1', to: 'Contoso/CRM', protocol: 'icmp' });
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.at).toContain('distributed router');
    expect(t.verdict.reason).toContain("no route to 10.2.1.11 in routing domain 'R&D Net'");
    expect(t.verdict.reason).toContain('gateway');
    expect(linkFrames(t)).toEqual([]);
    expect(deliveries(t)).not.toContain('Contoso/CRM');
  });
});

describe('drops and special cases', () => {
  it('ARP for an unknown CA: no reply, unreachable', () => {
    const engine = engineFor(scenario('multi-tenant'));
    const t = engine.trace({ from: 'Contoso/Web', to: '10.1.1.99', protocol: 'icmp' });
    expect(t.packets).toHaveLength(1);
    expect(t.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 2 host agent' });
    expect(t.verdict.reason).toContain('unreachable');
    expect(framesAt(t, '-> Contoso/Web')).toEqual([]); // no reply injected
    expect(t.frames).toHaveLength(1); // the request only, never on a wire
  });

  it("a ping to the subnet's gateway is answered by the distributed router; nothing leaves the host", () => {
    const engine = engineFor(scenario('multi-tenant'));
    const t = engine.trace({ from: 'Contoso/Web', to: '10.1.1.1', protocol: 'icmp' });
    expect(t.packets[0].verdict.outcome).toBe('delivered'); // the ARP reply from the host agent
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'distributed router (gateway 10.1.1.1)' });
    const [reply] = framesAt(t, 'Host 2 vSwitch -> Contoso/Web')
      .map(fields)
      .filter((f) => f['icmp.type']);
    expect(reply['icmp.type']).toEqual([0]);
    expect(reply['ip.src']).toEqual(['10.1.1.1']);
    expect(reply['ip.dst']).toEqual(['10.1.1.12']);
    expect(reply['eth.src']).toEqual([routerMac(5001)]);
    expect(linkFrames(t)).toEqual([]);
    // Anything else sent to the gateway address is refused, with why.
    const tcp = engine.trace({ from: 'Contoso/Web', to: '10.1.1.1', protocol: 'tcp' });
    expect(tcp.verdict.reason).toContain(
      "10.1.1.1 is the distributed router's gateway address of 10.1.1.0/24",
    );
  });

  it('an ACL deny names its rule', () => {
    const doc = withSqlAcl(1433);
    const engine = engineFor(doc);
    const denied = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'tcp', dstPort: 1433 });
    expect(denied.verdict.outcome).toBe('dropped');
    expect(denied.verdict.reason).toContain("ACL rule 'deny-1433'");
    expect(denied.verdict.at).toContain('Contoso/SQL');
    const hit = allNodes(denied).find((n) => n.kind === 'rule' && n.hit && n.ruleId === 'deny-1433');
    expect(hit?.kind === 'rule' && hit.origin).toContain("ACL 'SQL ACL' on Contoso/SQL");
    expect(deliveries(denied)).not.toContain('Contoso/SQL');
    const allowed = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'tcp', dstPort: 80 });
    expect(allowed.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
  });

  it('editing an ACL rule re-pushes only the ports that use it, and the cached flow obeys the new rule', () => {
    const doc = withSqlAcl(1434);
    const engine = engineFor(doc);
    const flow = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'tcp' as const, dstPort: 1433 };
    expect(engine.trace(flow).verdict.outcome).toBe('delivered');
    const acl = doc.acls[0];
    const edited = {
      ...doc,
      acls: [{ ...acl, rules: [{ ...acl.rules[0], destinationPortRange: '1433' }] }],
    };
    const result = engine.update(edited);
    expect(result.ok).toBe(true);
    expect(result.updates.map((u) => `${u.hostId} ${u.kind} ${u.op} ${u.key}`)).toEqual([
      `host-1 port update ${doc.vms[0].nics[0].id}`,
    ]);
    expect(result.invalidatedFlows).toBeGreaterThan(0);
    const denied = engine.trace(flow);
    expect(denied.verdict.outcome).toBe('dropped');
    expect(denied.verdict.reason).toContain("ACL rule 'deny-1434'"); // the rule kept its name
  });

  it('a too-small PA MTU drops with the reason, and ICMP frag-needed goes back when DF is set', () => {
    const engine = engineFor(scenario('multi-tenant'));
    // ping -f -l 1472: DF set (a Windows ping leaves it clear unless asked).
    const t = engine.trace({
      from: 'Contoso/Web',
      to: 'Contoso/SQL',
      protocol: 'icmp',
      size: 1500,
      df: true,
    });
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toBe(
      "outer packet 1550 bytes exceeds MTU 1500 of logical subnet 'PA Subnet 2' (VXLAN adds 50 bytes to the VM's 1500-byte packet)",
    );
    expect(linkFrames(t)).toEqual([]);
    const icmp = fields(framesAt(t, '-> Contoso/Web').at(-1) as Uint8Array);
    expect(icmp['icmp.type'][0]).toBe(3);
    expect(icmp['icmp.code'][0]).toBe(4);
    expect(icmp['icmp.mtu']).toEqual([1450]);
    expect(icmp['ip.dst'][0]).toBe('10.1.1.12');

    const noDf = engineFor(scenario('multi-tenant'));
    const t2 = noDf.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp', size: 1500 });
    expect(t2.verdict.outcome).toBe('dropped');
    expect(framesAt(t2, '-> Contoso/Web')).toHaveLength(1); // the ARP reply only, no ICMP error
    // A packet that fits goes through.
    expect(
      noDf.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp', size: 1450 }).verdict.outcome,
    ).toBe('delivered');
  });

  it('the VM sets DF as Windows does: clear on ping and UDP, set on TCP', () => {
    const engine = engineFor(scenario('multi-tenant'));
    const dfOf = (protocol: 'icmp' | 'udp' | 'tcp', df?: boolean) => {
      const t = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol, df });
      const sent = framesAt(t, 'Contoso/Web -> ')
        .map(fields)
        .find((f) => f['ip.proto']);
      return sent?.['ip.flags.df'];
    };
    expect([dfOf('icmp'), dfOf('udp'), dfOf('tcp'), dfOf('icmp', true)]).toEqual([
      [false],
      [false],
      [true],
      [true],
    ]);
  });

  it('a router whose next link is too small drops the tunnel packet and sends ICMP frag-needed to the sender PA', () => {
    const doc = scenario('multi-tenant');
    // SQL's rack (Host 1) has the smaller MTU; Web's rack (Host 2) sends at 1500.
    const sqlRack = doc.logicalSubnets.find((l) => l.name === 'PA Subnet 1');
    if (!sqlRack) throw new Error('no PA Subnet 1');
    sqlRack.mtu = 1400;
    const engine = engineFor(doc);
    const t = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp', size: 1400 });
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.at).toBe('L3 Router');
    expect(t.verdict.reason).toBe(
      "1450-byte packet does not fit MTU 1400 of logical subnet 'PA Subnet 1' (the next link)",
    );
    // The tunnel packet crossed Web's link only; the ICMP error came back on the same link.
    const onLinks = linkFrames(t).map(fields);
    expect(onLinks.map((f) => f['ip.proto'][0])).toEqual([17, 1]);
    const [tunnel, icmp] = onLinks;
    expect(icmp['icmp.type']).toEqual([3]);
    expect(icmp['icmp.code']).toEqual([4]);
    expect(icmp['icmp.mtu']).toEqual([1400]);
    expect(icmp['ip.dst'][0]).toBe('192.168.2.20');
    expect(icmp['eth.dst'][0]).toBe(tunnel['eth.src'][0]);
    expect(icmp['vlan.id']).toEqual(tunnel['vlan.id']);
    // It quotes the tunnel packet's IP header: PA -> PA, UDP.
    expect(icmp['ip.src'].slice(1)).toEqual(['192.168.2.20']);
    expect(icmp['ip.dst'].slice(1)).toEqual(['192.168.1.10']);
    const report = allNodes(t).find((n) => n.kind === 'lookup' && n.table === 'Host 2 PA network stack');
    expect(report?.kind === 'lookup' && report.result).toBe('next-hop MTU 1400');
    // Nothing of it reaches SQL.
    expect(deliveries(t)).not.toContain('Contoso/SQL');
  });

  it('resolves PA next hops with real ARP on the links, once: the answerer learns the asker (RFC 826)', () => {
    const engine = engineFor(scenario('multi-tenant'));
    const first = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(first.verdict.outcome).toBe('delivered');
    const arp = paArp(first).map(fields);
    const rows = arp.map((f) => [
      f['arp.opcode'][0],
      f['vlan.id'][0],
      f['arp.src.proto_ipv4'][0],
      f['arp.dst.proto_ipv4'][0],
      f['eth.dst'][0],
    ]);
    // Host 2 asks for its gateway on PA Subnet 2; the router asks for Host 1's PA on PA Subnet 1.
    // The echo reply needs no ARP: Host 1 and the router learnt each other from the requests.
    expect(rows).toEqual([
      [1, 20, '192.168.2.20', '192.168.2.1', 'ff:ff:ff:ff:ff:ff'],
      [2, 20, '192.168.2.1', '192.168.2.20', arp[0]['eth.src'][0]],
      [1, 10, '192.168.1.1', '192.168.1.10', 'ff:ff:ff:ff:ff:ff'],
      [2, 10, '192.168.1.10', '192.168.1.1', arp[2]['eth.src'][0]],
    ]);
    // The tunnel packet goes to the MAC the ARP answer gave.
    expect(fields(linkFrames(first)[0])['eth.dst'][0]).toBe(arp[1]['arp.src.hw_mac'][0]);
    const step = allNodes(first).find(
      (n) => n.kind === 'lookup' && n.table === 'Host 2 PA compartment ARP cache',
    );
    expect(step?.title).toContain('resolved by ARP');
    // Fabrikam's ping takes the same PA paths: every cache already holds them.
    const second = engine.trace({ from: 'Fabrikam/Web', to: 'Fabrikam/SQL', protocol: 'icmp' });
    expect(second.verdict.outcome).toBe('delivered');
    expect(paArp(second)).toEqual([]);
    const cached = allNodes(second).find(
      (n) => n.kind === 'lookup' && n.table === 'Host 2 PA compartment ARP cache',
    );
    expect(cached?.title).toContain('from the ARP cache');
    // A reset forgets them.
    engine.resetState();
    expect(paArp(engine.trace({ from: 'Fabrikam/Web', to: 'Fabrikam/SQL', protocol: 'icmp' }))).toHaveLength(
      4,
    );
  });

  it('a broadcast becomes one unicast copy per other VM of the VSID', () => {
    const doc = scenario('multi-tenant');
    doc.vms.push({
      id: 'contoso-app',
      name: 'App',
      hostId: 'host-2',
      nics: [
        {
          id: 'contoso-app-nic',
          name: 'Ethernet',
          mac: '00:15:5d:50:01:13',
          caIp: '10.1.1.13',
          virtualSubnetId: 'contoso-subnet',
        },
      ],
    });
    const engine = engineFor(doc);
    const t = engine.trace({ from: 'Contoso/Web', to: '10.1.1.255', protocol: 'udp', dstPort: 5355 });
    expect(t.verdict.outcome).toBe('delivered');
    expect([...(t.verdict.deliveredTo ?? [])].sort()).toEqual(['Contoso/App', 'Contoso/SQL']);
    const toSql = fields(framesAt(t, '-> Contoso/SQL')[0]);
    expect(toSql['eth.dst']).toEqual(['00:15:5d:50:01:11']);
    expect(toSql['ip.dst']).toEqual(['10.1.1.11']);
    const toApp = fields(framesAt(t, '-> Contoso/App')[0]);
    expect(toApp['eth.dst']).toEqual(['00:15:5d:50:01:13']);
    expect(toApp['ip.dst']).toEqual(['10.1.1.13']);
    // SQL is remote (one VXLAN unicast copy), App is local (no wire); Fabrikam gets nothing.
    expect(linkFrames(t).map((f) => fields(f)['ip.dst'][1])).toEqual(['10.1.1.11', '10.1.1.11']);
    expect(deliveries(t).filter((d) => d.startsWith('Fabrikam'))).toEqual([]);
  });
});

describe('NVGRE and HNVv1', () => {
  it('NVGRE: GRE key = VSID << 8 | FlowID, protocol 0x6558', () => {
    const doc = scenario('multi-tenant');
    for (const s of doc.virtualSubnets) s.encapsulation = 'nvgre';
    const t = engineFor(doc).trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    const [wire] = linkFrames(t);
    const f = fields(wire);
    expect(f['ip.proto'][0]).toBe(47);
    expect(f['gre.proto']).toEqual(['0x6558']);
    const key = Number(f['gre.key'][0]);
    expect(key >>> 8).toBe(5001);
    expect(f['ip.dst']).toEqual(['192.168.1.10', '10.1.1.11']);
    expect(wire.length).toBe(14 + 4 + 42 - 14 + 98); // eth + VLAN + IP + GRE(8) + inner frame
  });

  it('HNVv1: NVGRE by default, one PA per VSID per host', () => {
    const doc = scenario('multi-tenant');
    doc.hnvMode = 'v1';
    for (const s of doc.virtualSubnets) s.encapsulation = 'nvgre';
    const engine = engineFor(doc);
    const h1 = engine.hostTables('host-1');
    expect(h1?.providerAddresses.map((p) => [p.pa, p.vsid])).toEqual([
      ['192.168.1.10', 5001],
      ['192.168.1.11', 6001],
    ]);
    const t = engine.trace({ from: 'Fabrikam/Web', to: 'Fabrikam/SQL', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Fabrikam/SQL' });
    const f = fields(linkFrames(t)[0]);
    expect(f['ip.src'][0]).toBe('192.168.2.21');
    expect(f['ip.dst'][0]).toBe('192.168.1.11');
    expect(Number(f['gre.key'][0]) >>> 8).toBe(6001);
  });
});

/** Multi-tenant plus Host 3 on its own PA subnet 192.168.3.0/24 (VLAN 30), joined by the router. */
function withHost3(): TopologyDocument {
  const doc = scenario('multi-tenant');
  doc.logicalSubnets.push({
    id: 'pa-subnet-3',
    name: 'PA Subnet 3',
    logicalNetworkId: 'hnv-pa',
    prefix: '192.168.3.0/24',
    vlanId: 30,
    defaultGateway: '192.168.3.1',
    mtu: 1500,
  });
  doc.hosts.push({
    id: 'host-3',
    name: 'Host 3',
    logicalSubnetId: 'pa-subnet-3',
    teamMembers: [
      { name: 'NIC1', mac: '00:15:5d:00:03:01' },
      { name: 'NIC2', mac: '00:15:5d:00:03:02' },
    ],
    providerAddresses: ['192.168.3.30', '192.168.3.31'],
  });
  doc.routers[0].interfaces.push({
    logicalSubnetId: 'pa-subnet-3',
    ip: '192.168.3.1',
    mac: '00:1b:54:00:00:03',
  });
  return doc;
}

describe('live migration', () => {
  it('moves SQL to a host on another PA subnet: updates reach every host, flows are invalidated, the next trace uses the new PA', () => {
    const before = withHost3();
    const engine = engineFor(before);
    const first = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(first.verdict.outcome).toBe('delivered');
    expect(
      engine.hostTables('host-2')?.ports.find((p) => p.vmLabel === 'Contoso/Web')?.flowTable,
    ).toHaveLength(1);
    const warm = engine.trace({ from: 'Fabrikam/Web', to: 'Fabrikam/SQL', protocol: 'icmp' });
    expect(warm.verdict.outcome).toBe('delivered');

    const after: TopologyDocument = {
      ...before,
      vms: before.vms.map((vm) => (vm.id === 'contoso-sql' ? { ...vm, hostId: 'host-3' } : vm)),
    };
    const result = engine.update(after);
    expect(result.ok).toBe(true);
    const sqlRecord = (hostId: string) =>
      result.updates.find(
        (u) => u.hostId === hostId && u.kind === 'lookup-record' && u.key === '5001/10.1.1.11',
      );
    // Host 2 (Web) learns the new PA; Host 3 joins Contoso's routing domain; Host 1, with no Contoso VM left, drops it.
    expect(sqlRecord('host-2')).toMatchObject({
      op: 'update',
      record: { pa: '192.168.3.30', hostId: 'host-3' },
    });
    expect(sqlRecord('host-3')).toMatchObject({ op: 'add', record: { pa: '192.168.3.30' } });
    expect(sqlRecord('host-1')).toMatchObject({ op: 'remove' });
    // Fabrikam's records are untouched everywhere.
    expect(result.updates.filter((u) => u.kind === 'lookup-record' && u.key.startsWith('6001/'))).toEqual([]);
    expect(result.invalidatedFlows).toBeGreaterThan(0);
    expect(engine.hostTables('host-2')?.ports.find((p) => p.vmLabel === 'Contoso/Web')?.flowTable).toEqual(
      [],
    );
    // Nothing else was touched: Fabrikam's cached flows survive and its next ping takes the fast path.
    const fabrikamWeb = engine.hostTables('host-2')?.ports.find((p) => p.vmLabel === 'Fabrikam/Web');
    expect(fabrikamWeb?.flowTable).toHaveLength(1);

    const next = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp', sequence: 2 });
    expect(next.controlPlane.length).toBe(result.updates.length);
    const shown = next.packets[0].root.children.filter((n) => n.kind === 'control-plane');
    expect(shown.map((n) => n.title)).toContain('controller -> Host 2: update lookup-record 5001/10.1.1.11');
    expect(next.packets[0].path).toBe('slow'); // ARP cached, the flow entry was invalidated
    expect(next.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    const [out, ,] = linkFrames(next);
    expect(fields(out)['ip.dst']).toEqual(['192.168.3.30', '10.1.1.11']);
    const last = fields(linkFrames(next)[1]);
    expect(last['vlan.id']).toEqual([30]);
    expect(last['eth.dst'][0]).toBe('00:15:5d:00:03:01');
    const fabrikam = engine.trace({
      from: 'Fabrikam/Web',
      to: 'Fabrikam/SQL',
      protocol: 'icmp',
      sequence: 2,
    });
    expect(fabrikam.packets.map((p) => p.path)).toEqual(['fast', 'fast']);
  });
});

describe('flow table', () => {
  it('later packets take the fast path, with counters', () => {
    const engine = engineFor(scenario('multi-tenant'));
    const flow = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'udp' as const, dstPort: 1433 };
    const c = engine.send(flow, 100);
    expect(c).toMatchObject({
      packets: 100,
      slowPath: 1,
      fastPath: 99,
      delivered: 100,
      dropped: 0,
      flowEntries: 1,
    });
    const again = engine.send(flow, 50);
    expect(again).toMatchObject({ slowPath: 0, fastPath: 50, delivered: 50 });
    const t = engine.trace(flow);
    expect(t.packets.at(-1)?.path).toBe('fast');
    const entry = engine.hostTables('host-2')?.ports.find((p) => p.vmLabel === 'Contoso/Web')?.flowTable[0];
    expect(entry?.hits).toBe(151); // the 150 sent packets, then the traced one
    expect(entry?.actions.join(' | ')).toContain('encap VXLAN VNI 5001 192.168.2.20 -> 192.168.1.10');
  });

  it("a packet's path is fast only when every vSwitch on its way hits its flow table", () => {
    const engine = engineFor(scenario('multi-tenant'));
    const ping = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' as const };
    const ip = (t: Trace) => t.packets.filter((p) => !p.label.startsWith('ARP')).map((p) => p.path);
    expect(ip(engine.trace(ping))).toEqual(['slow', 'slow']);
    expect(ip(engine.trace(ping))).toEqual(['fast', 'fast']);
    // (A cached action that leads to a miss further on is 'mixed': see the convergence tests.)
  });
});

describe('determinism', () => {
  it('the same document and request give identical bytes', () => {
    const req = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' as const };
    const a = JSON.stringify(traceToJson(engineFor(scenario('multi-tenant')).trace(req)));
    const b = JSON.stringify(traceToJson(engineFor(scenario('multi-tenant')).trace(req)));
    expect(a).toBe(b);
  });
});

describe('the engine surface', () => {
  it('returns plain, structured-cloneable data only', () => {
    const engine = engineFor(scenario('routing-domains'));
    const t = engine.trace({ from: 'Contoso/Dev1', to: 'Contoso/Test', protocol: 'icmp' });
    expect(structuredClone(t)).toEqual(t);
    const tables = engine.hostTables('host-1');
    expect(structuredClone(tables)).toEqual(tables);
    expect(tables?.ports[0].flowTable.length).toBeGreaterThan(0);
    expect(tables?.arpCaches.find((c) => c.vm === 'Contoso/Dev1')?.entries).toEqual([
      { ip: '10.1.1.1', mac: routerMac(5001) },
    ]);
    const counters = engine.send(
      { from: 'Contoso/Dev1', to: 'Contoso/Test', protocol: 'icmp', sequence: 9 },
      3,
    );
    expect(structuredClone(counters)).toEqual(counters);
  });

  it('refuses an invalid document and keeps the loaded one', () => {
    const engine = engineFor(scenario('multi-tenant'));
    const bad = scenario('multi-tenant');
    bad.virtualSubnets[0].vsid = 4095;
    const r = engine.update(bad);
    expect(r.ok).toBe(false);
    expect(r.errors.some((e) => e.message.includes('4095'))).toBe(true);
    expect(engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' }).verdict.outcome).toBe(
      'delivered',
    );
  });
});
