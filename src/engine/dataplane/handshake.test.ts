// TCP's three-way handshake as guests do it, PTF-style: the SYN the VM sends (Windows' options,
// no data) in at its port; exactly these segments out at the far port and back: the SYN-ACK
// from the listening peer, then the source's ACK, each through the data plane (the ACK rides
// the flow entry the SYN built: the fast path).
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { createEngine, type Trace } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { hex } from '../wire/bytes.ts';
import { decodeFrame, fieldsByKey } from '../wire/index.ts';

function scenario(id: string): TopologyDocument {
  const s = scenarioById(id);
  if (!s) throw new Error(`no scenario ${id}`);
  return structuredClone(s.document);
}

function engineFor(doc: TopologyDocument) {
  const engine = createEngine();
  expect(engine.load(doc).errors).toEqual([]);
  return engine;
}

type Fields = Record<string, (string | number | boolean)[]>;
const fields = (frame: Uint8Array): Fields => fieldsByKey(decodeFrame(frame)) as Fields;
const tcpFrames = (t: Trace, where: string) =>
  t.frames.filter((f) => f.where === where && fields(f.frame)['tcp.flags'] !== undefined).map((f) => f.frame);
const flags = (f: Uint8Array) => Number(fields(f)['tcp.flags'][0]);
const u32 = (f: Uint8Array, at: number) =>
  ((f[at] << 24) | (f[at + 1] << 16) | (f[at + 2] << 8) | f[at + 3]) >>> 0;
/** Sequence and acknowledgment numbers of an untagged IPv4/TCP frame (20-byte IP header). */
const seqAck = (f: Uint8Array) => [u32(f, 38), u32(f, 42)];

/** Windows 10+'s SYN options: MSS 1460, NOP, window scale 8, NOP, NOP, SACK permitted. */
const WINDOWS_SYN_OPTIONS = '020405b4' + '01' + '030308' + '0101' + '0402';

describe('TCP three-way handshake', () => {
  it('the SYN carries MSS, window scale and SACK-permitted as Windows lays them out, DF set, no data', () => {
    const t = engineFor(scenario('multi-tenant')).trace({
      from: 'Contoso/Web',
      to: 'Contoso/SQL',
      protocol: 'tcp',
      dstPort: 1433,
    });
    const [syn] = tcpFrames(t, 'Contoso/Web -> Host 2 vSwitch');
    expect(syn.length).toBe(14 + 20 + 32);
    const f = fields(syn);
    expect(f['ip.len']).toEqual([52]);
    expect(f['ip.flags.df']).toEqual([true]);
    expect(f['ip.ttl']).toEqual([128]);
    expect(f['tcp.hdr_len']).toEqual([32]);
    expect(flags(syn)).toBe(0x002);
    expect(f['tcp.window_size_value']).toEqual([64240]);
    expect(f['tcp.dstport']).toEqual([1433]);
    expect(hex(syn, 54, 66)).toBe(WINDOWS_SYN_OPTIONS);
    expect(f['tcp.options.mss_val']).toEqual([1460]);
    expect(f['tcp.options.wscale.shift']).toEqual([8]);
    expect(decodeFrame(syn).issues).toEqual([]); // checksums right, nothing truncated
  });

  it('exactly SYN in at SQL, SYN-ACK back at Web, ACK in at SQL; the numbers follow; the ACK takes the fast path', () => {
    const t = engineFor(scenario('multi-tenant')).trace({
      from: 'Contoso/Web',
      to: 'Contoso/SQL',
      protocol: 'tcp',
      dstPort: 1433,
    });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    const sentByWeb = tcpFrames(t, 'Contoso/Web -> Host 2 vSwitch');
    const toSql = tcpFrames(t, 'Host 1 vSwitch -> Contoso/SQL');
    const sentBySql = tcpFrames(t, 'Contoso/SQL -> Host 1 vSwitch');
    const toWeb = tcpFrames(t, 'Host 2 vSwitch -> Contoso/Web');
    expect(sentByWeb.map(flags)).toEqual([0x002, 0x010]);
    expect(sentBySql.map(flags)).toEqual([0x012]);
    // Same virtual subnet: the guests receive exactly the bytes the other sent.
    expect(toSql.map((x) => hex(x))).toEqual(sentByWeb.map((x) => hex(x)));
    expect(toWeb.map((x) => hex(x))).toEqual(sentBySql.map((x) => hex(x)));
    const [syn, ack] = sentByWeb;
    const [synAck] = sentBySql;
    const [isn] = seqAck(syn);
    const [peerIsn, acked] = seqAck(synAck);
    expect(acked).toBe((isn + 1) >>> 0);
    expect(seqAck(ack)).toEqual([(isn + 1) >>> 0, (peerIsn + 1) >>> 0]);
    // The SYN-ACK: the listener's options, its own MSS, window 65535, DF, no data.
    const sa = fields(synAck);
    expect(hex(synAck, 54, 66)).toBe(WINDOWS_SYN_OPTIONS);
    expect(sa['tcp.srcport']).toEqual([1433]);
    expect(sa['tcp.dstport']).toEqual([50000]);
    expect(sa['tcp.window_size_value']).toEqual([65535]);
    expect(sa['ip.len']).toEqual([52]);
    // The ACK: no options, the scaled window (1026 x 256), no data.
    expect(ack.length).toBe(54);
    expect(fields(ack)['tcp.window_size_value']).toEqual([1026]);
    expect(t.packets.map((p) => [p.label, p.path])).toEqual([
      ['ARP who-has 10.1.1.11 tell 10.1.1.12 (Contoso/Web)', 'slow'],
      ['TCP SYN Contoso/Web 10.1.1.12:50000 -> Contoso/SQL 10.1.1.11:1433', 'slow'],
      ['ARP who-has 10.1.1.12 tell 10.1.1.11 (Contoso/SQL)', 'slow'],
      ['TCP SYN, ACK Contoso/SQL 10.1.1.11:1433 -> Contoso/Web 10.1.1.12:50000', 'slow'],
      ['TCP ACK Contoso/Web 10.1.1.12:50000 -> Contoso/SQL 10.1.1.11:1433', 'fast'],
    ]);
    // Every segment crossed the fabric in a tunnel: SYN and ACK one way, SYN-ACK the other.
    const tunnels = t.frames.filter((x) => x.where === "link 'PA Subnet 2'" && x.frame.length > 100);
    expect(tunnels.map((x) => x.frame.length)).toEqual([120, 120, 108]);
  });

  it('the SYN as a raw frame (hnv trace --frame): exactly that frame out at SQL, and no answer (a microflow)', () => {
    const engine = engineFor(scenario('multi-tenant'));
    const t0 = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'tcp', dstPort: 1433 });
    const [syn] = tcpFrames(t0, 'Contoso/Web -> Host 2 vSwitch');
    const t = engineFor(scenario('multi-tenant')).trace({
      from: 'Contoso/Web',
      to: '',
      protocol: 'tcp',
      frame: syn,
    });
    expect(t.packets).toHaveLength(1);
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    const out = t.frames.filter((f) => / vSwitch -> /.test(f.where));
    expect(out.map((f) => [f.where, hex(f.frame)])).toEqual([['Host 1 vSwitch -> Contoso/SQL', hex(syn)]]);
  });

  it('routed: the SYN-ACK goes back through the distributed router too (MACs rewritten, TTL 127)', () => {
    const t = engineFor(scenario('routing-domains')).trace({
      from: 'Contoso/Dev1',
      to: 'Contoso/Test',
      protocol: 'tcp',
      dstPort: 443,
    });
    expect(t.verdict.outcome).toBe('delivered');
    const synAck = t.frames.filter((x) => x.where.endsWith('-> Contoso/Dev1') && x.frame.length === 66);
    expect(synAck).toHaveLength(1);
    const f = fields(synAck[0].frame);
    expect(flags(synAck[0].frame)).toBe(0x012);
    expect(f['ip.ttl']).toEqual([127]);
    expect(t.packets.at(-1)?.label).toMatch(/^TCP ACK Contoso\/Dev1 .* -> Contoso\/Test /);
  });

  it('an inbound deny on the source port does not stop the SYN-ACK of its own SYN: the stateful firewall lets the reply in', () => {
    const doc = scenario('multi-tenant');
    doc.acls.push({
      id: 'web-acl',
      name: 'Web ACL',
      defaultAction: 'allow',
      rules: [
        {
          id: 'deny-from-sql',
          name: 'deny-from-sql',
          priority: 100,
          direction: 'inbound',
          action: 'deny',
          protocol: 'tcp',
          sourceAddressPrefix: '10.1.1.11/32',
          sourcePortRange: '1433',
          destinationAddressPrefix: '*',
          destinationPortRange: '*',
        },
      ],
    });
    const contosoWeb = doc.vms.find(
      (v) => v.nics[0].virtualSubnetId.startsWith('contoso') && v.name === 'Web',
    );
    if (!contosoWeb) throw new Error('no Contoso Web');
    contosoWeb.nics[0].aclId = 'web-acl';
    const t = engineFor(doc).trace({
      from: 'Contoso/Web',
      to: 'Contoso/SQL',
      protocol: 'tcp',
      dstPort: 1433,
    });
    // The datacenter firewall is stateful: the SYN-ACK answers Web's own SYN, so the state of
    // that flow lets it in although 'deny-from-sql' matches it; the rule is not consulted.
    expect(t.verdict.outcome).toBe('delivered');
    type Node = Trace['packets'][number]['root'];
    const all = (n: Node): Node[] => [n, ...n.children.flatMap(all)];
    const nodes = t.packets.flatMap((p) => all(p.root));
    expect(nodes.some((n) => n.what?.type === 'conn-state' && n.what.event === 'reply')).toBe(true);
    expect(tcpFrames(t, 'Host 2 vSwitch -> Contoso/Web').map(flags)).toEqual([0x012]);
  });

  it('a SYN the destination port refuses is dropped there, with the ACL rule that did it', () => {
    const doc = scenario('multi-tenant');
    doc.acls.push({
      id: 'sql-acl',
      name: 'SQL ACL',
      defaultAction: 'allow',
      rules: [
        {
          id: 'deny-from-web',
          name: 'deny-from-web',
          priority: 100,
          direction: 'inbound',
          action: 'deny',
          protocol: 'tcp',
          sourceAddressPrefix: '10.1.1.12/32',
          sourcePortRange: '*',
          destinationAddressPrefix: '*',
          destinationPortRange: '1433',
        },
      ],
    });
    const contosoSql = doc.vms.find(
      (v) => v.nics[0].virtualSubnetId.startsWith('contoso') && v.name === 'SQL',
    );
    if (!contosoSql) throw new Error('no Contoso SQL');
    contosoSql.nics[0].aclId = 'sql-acl';
    const t = engineFor(doc).trace({
      from: 'Contoso/Web',
      to: 'Contoso/SQL',
      protocol: 'tcp',
      dstPort: 1433,
    });
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toContain("ACL rule 'deny-from-web'");
    expect(t.packets.at(-1)?.label).toMatch(/^TCP SYN /);
    expect(tcpFrames(t, 'Host 1 vSwitch -> Contoso/SQL')).toEqual([]);
  });

  it('with a size, one data segment follows the handshake and the peer ACKs it', () => {
    const t = engineFor(scenario('multi-tenant')).trace({
      from: 'Contoso/Web',
      to: 'Contoso/SQL',
      protocol: 'tcp',
      dstPort: 1433,
      size: 1000,
    });
    const [syn, ack, data] = tcpFrames(t, 'Contoso/Web -> Host 2 vSwitch');
    expect([syn, ack, data].map(flags)).toEqual([0x002, 0x010, 0x018]);
    expect(fields(data)['ip.len']).toEqual([1000]);
    expect(seqAck(data)).toEqual(seqAck(ack));
    const answers = tcpFrames(t, 'Contoso/SQL -> Host 1 vSwitch');
    expect(answers.map(flags)).toEqual([0x012, 0x010]);
    expect(seqAck(answers[1])[1]).toBe((seqAck(data)[0] + 960) >>> 0);
    expect(t.packets.map((p) => p.label.split(' Contoso')[0])).toEqual([
      'ARP who-has 10.1.1.11 tell 10.1.1.12 (Contoso/Web)',
      'TCP SYN',
      'ARP who-has 10.1.1.12 tell 10.1.1.11 (Contoso/SQL)',
      'TCP SYN, ACK',
      'TCP ACK',
      'TCP data (PSH, ACK, 960 bytes)',
      'TCP ACK',
    ]);
  });

  it('ICMP echo leaves DF clear as Windows does, --df sets it', () => {
    const engine = engineFor(scenario('multi-tenant'));
    const dfOf = (df?: boolean) => {
      const t = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp', df });
      const sent = t.frames
        .filter((f) => f.where === 'Contoso/Web -> Host 2 vSwitch')
        .map((f) => fields(f.frame));
      return sent.find((x) => x['icmp.type'])?.['ip.flags.df'];
    };
    expect([dfOf(), dfOf(true)]).toEqual([[false], [true]]);
  });
});
