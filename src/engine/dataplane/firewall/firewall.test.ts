// PTF-style tests of the stateful datacenter firewall: Contoso Web's port is under an ACL that
// allows everything out and denies everything in. A flow Web opens is tracked at its port, and
// its reply passes the inbound deny ("allowed by the state of flow ..."); an unsolicited packet
// that meets the same deny is dropped at the port with the reason; after the idle timeout the
// reply is dropped too. The audit log has a row per ACL rule hit on a new flow, counted exactly.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../../scenarios/index.ts';
import type { Acl, TopologyDocument } from '../../model/schema.ts';
import { Datacenter } from '../datacenter.ts';
import { buildIpFrame, IP_ICMP, IP_TCP, IP_UDP } from '../packet.ts';
import type { PortRt } from '../runtime.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { Trace, TraceNode } from '../trace-types.ts';
import { testTuple } from '../tuple.ts';
import { IDLE_TIMEOUT } from './connections.ts';

const WEB_ACL: Acl = {
  id: 'web-fw',
  name: 'Web firewall',
  defaultAction: 'deny',
  rules: [
    {
      id: 'allow-out',
      name: 'allow-out',
      priority: 100,
      direction: 'outbound',
      action: 'allow',
      protocol: 'all',
      sourceAddressPrefix: '*',
      sourcePortRange: '*',
      destinationAddressPrefix: '*',
      destinationPortRange: '*',
    },
  ],
};

function withWebFirewall(edit?: (acl: Acl) => void): TopologyDocument {
  const doc = structuredClone(scenarioById('multi-tenant')?.document) as TopologyDocument;
  const acl = structuredClone(WEB_ACL);
  edit?.(acl);
  doc.acls.push(acl);
  const web = doc.vms.find((v) => v.id === 'contoso-web');
  if (!web) throw new Error('no Contoso Web');
  web.nics[0].aclId = acl.id;
  return doc;
}

function port(dc: Datacenter, ref: string): PortRt {
  const p = dc.portFor(ref);
  if (!p) throw new Error(`no port ${ref}`);
  return p;
}

/** A frame `from`'s guest sends to `to` (same subnet: to its MAC). */
function frame(
  from: PortRt,
  to: PortRt,
  l4:
    | { proto: 'icmp'; type: 0 | 8; id: number }
    | { proto: 'tcp'; sport: number; dport: number; flags: number }
    | { proto: 'udp'; sport: number; dport: number },
): Uint8Array {
  return buildIpFrame({
    srcMac: from.mac,
    dstMac: to.mac,
    srcIp: from.caIp,
    dstIp: to.caIp,
    proto: l4.proto === 'icmp' ? IP_ICMP : l4.proto === 'tcp' ? IP_TCP : IP_UDP,
    ttl: 128,
    id: 0x1234,
    df: l4.proto === 'tcp',
    totalLength: l4.proto === 'icmp' ? 84 : 44,
    srcPort: l4.proto === 'icmp' ? 0 : l4.sport,
    dstPort: l4.proto === 'icmp' ? 0 : l4.dport,
    icmpType: l4.proto === 'icmp' ? l4.type : 0,
    icmpCode: 0,
    icmpId: l4.proto === 'icmp' ? l4.id : 0,
    icmpSeq: 1,
    tcpFlags: l4.proto === 'tcp' ? l4.flags : 0,
    tcpSeq: 1000,
    tcpAck: l4.proto === 'tcp' && l4.flags & 0x10 ? 2001 : 0,
  });
}

const SYN = 0x02;
const SYN_ACK = 0x12;

const send = (dc: Datacenter, from: string, f: Uint8Array) =>
  dc.trace({ from, to: '', protocol: 'icmp', frame: f });

function nodes(t: Trace): TraceNode[] {
  const out: TraceNode[] = [];
  const walk = (n: TraceNode) => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  for (const p of t.packets) walk(p.root);
  return out;
}
const connEvents = (t: Trace) =>
  nodes(t).flatMap((n) =>
    n.what?.type === 'conn-state' ? [n.what as Extract<TraceEvent, { type: 'conn-state' }>] : [],
  );
/** Frames handed to VMs by their vSwitch, as [where, bytes]. */
const toVms = (t: Trace) =>
  t.frames.filter((f) => / vSwitch -> /.test(f.where)).map((f) => [f.where, [...f.frame]]);

const DENY = "denied by the default rule (deny) of ACL 'Web firewall' on Contoso/Web";

describe('stateful ACL: the reply of an allowed flow passes the inbound deny', () => {
  it('ICMP: the echo reply is allowed by the state of the echo request; the audit log has one row', () => {
    const dc = new Datacenter(withWebFirewall());
    const t = dc.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'delivered' });
    const reply = t.packets[t.packets.length - 1];
    expect(reply.label).toMatch(/^ICMP echo reply Contoso\/SQL/);
    expect(reply.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web' });
    // Exactly the reply SQL's guest sent is what Web receives.
    const isEchoReply = (f: Uint8Array) => f[12] === 0x08 && f[13] === 0 && f[34] === 0;
    const sent = t.frames.filter((f) => f.where === 'Contoso/SQL -> Host 1 vSwitch' && isEchoReply(f.frame));
    const got = t.frames.filter((f) => f.where === 'Host 2 vSwitch -> Contoso/Web' && isEchoReply(f.frame));
    expect(sent).toHaveLength(1);
    expect(got.map((f) => [...f.frame])).toEqual([[...sent[0].frame]]);
    const ev = connEvents(t);
    expect(ev.map((e) => `${e.vm} ${e.direction} ${e.event}`)).toEqual([
      'Contoso/Web out miss',
      'Contoso/Web out commit',
      'Contoso/Web in reply',
    ]);
    expect(ev[2]).toMatchObject({
      flow: 'icmp 10.1.1.12 -> 10.1.1.11 echo request id 1',
      packet: 'icmp 10.1.1.11 -> 10.1.1.12 echo reply id 1',
      state: 'REPLIED',
      idleTimeout: IDLE_TIMEOUT.icmp,
    });
    const allowed = nodes(t).find((n) => n.what?.type === 'conn-state' && n.what.event === 'reply');
    expect(allowed?.title).toMatch(
      /^allowed by the state of flow icmp 10\.1\.1\.12 -> 10\.1\.1\.11 echo request id 1/,
    );
    // At Web's port the reply hit no ACL rule of the inbound groups: the layer's state decided.
    const replyRules = nodes({ ...t, packets: [reply] }).flatMap((n) =>
      n.what?.type === 'rule' && n.what.hit && n.what.layer === 'acl' && n.where.vm === 'Contoso/Web'
        ? [`${n.what.group}: ${n.what.ruleId}`]
        : [],
    );
    expect(replyRules).toEqual(['acl_state_in: conntrack-in']);
    // One audit row: the outbound allow of the new flow (the reply is not a rule hit).
    const tables = dc.hostTables('host-2');
    const webTables = tables?.ports.find((p) => p.vmLabel === 'Contoso/Web');
    expect(webTables?.audit).toEqual([
      {
        time: 0,
        ruleId: 'allow-out',
        rule: 'allow-out',
        origin: "ACL rule 'allow-out' (allow outbound, priority 100) of ACL 'Web firewall' on Contoso/Web",
        layer: 'acl',
        group: 'acl_port_out',
        direction: 'out',
        action: 'allow',
        flow: 'icmp 10.1.1.12 -> 10.1.1.11 echo request id 1',
      },
    ]);
    expect(webTables?.connections).toEqual([
      {
        flow: 'icmp 10.1.1.12 -> 10.1.1.11 echo request id 1',
        reply: 'icmp 10.1.1.11 -> 10.1.1.12 echo reply id 1',
        protocol: 'icmp',
        direction: 'out',
        state: 'REPLIED',
        created: 0,
        lastSeen: 0,
        idleTimeout: 30,
        expiresIn: 30,
        packetsOriginal: 1,
        packetsReply: 1,
      },
    ]);
    // SQL has no ACL: no state, no audit.
    const sql = dc.hostTables('host-1')?.ports.find((p) => p.vmLabel === 'Contoso/SQL');
    expect(sql?.connections).toEqual([]);
    expect(sql?.audit).toEqual([]);
  });

  it('an unsolicited inbound packet meeting the same deny is dropped at the port, with the reason and an audit row', () => {
    const dc = new Datacenter(withWebFirewall());
    const web = port(dc, 'Contoso/Web');
    const sql = port(dc, 'Contoso/SQL');
    // An echo reply nobody asked for, and SQL's own ping: both meet the inbound default deny.
    const stray = send(dc, 'Contoso/SQL', frame(sql, web, { proto: 'icmp', type: 0, id: 7 }));
    expect(stray.verdict).toEqual({ outcome: 'dropped', at: 'Host 2 / port Contoso/Web', reason: DENY });
    expect(toVms(stray)).toEqual([]);
    expect(connEvents(stray).map((e) => `${e.vm} ${e.event} ${e.packet}`)).toEqual([
      'Contoso/Web miss icmp 10.1.1.11 -> 10.1.1.12 echo reply id 7',
    ]);
    const ping = dc.trace({ from: 'Contoso/SQL', to: 'Contoso/Web', protocol: 'icmp' });
    expect(ping.verdict).toEqual({ outcome: 'dropped', at: 'Host 2 / port Contoso/Web', reason: DENY });
    const audit = dc.hostTables('host-2')?.ports.find((p) => p.vmLabel === 'Contoso/Web')?.audit ?? [];
    expect(audit.map((r) => `${r.direction} ${r.action} ${r.ruleId} ${r.flow}`)).toEqual([
      'in deny acl_port_in-default icmp 10.1.1.11 -> 10.1.1.12 echo reply id 7',
      'in deny acl_port_in-default icmp 10.1.1.11 -> 10.1.1.12 echo request id 1',
    ]);
    expect(port(dc, 'Contoso/Web').conns.size).toBe(0);
  });

  it('TCP: the SYN-ACK of an allowed SYN passes and the flow is ESTABLISHED; a SYN from SQL is dropped', () => {
    const dc = new Datacenter(withWebFirewall());
    const web = port(dc, 'Contoso/Web');
    const sql = port(dc, 'Contoso/SQL');
    const syn = send(
      dc,
      'Contoso/Web',
      frame(web, sql, { proto: 'tcp', sport: 50000, dport: 1433, flags: SYN }),
    );
    expect(syn.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    expect(
      dc.hostTables('host-2')?.ports.find((p) => p.vmLabel === 'Contoso/Web')?.connections[0],
    ).toMatchObject({
      flow: 'tcp 10.1.1.12:50000 -> 10.1.1.11:1433',
      state: 'SYN_SENT',
      idleTimeout: IDLE_TIMEOUT.tcp,
    });
    const synAck = frame(sql, web, { proto: 'tcp', sport: 1433, dport: 50000, flags: SYN_ACK });
    const back = send(dc, 'Contoso/SQL', synAck);
    expect(back.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web' });
    expect(toVms(back)).toEqual([['Host 2 vSwitch -> Contoso/Web', [...synAck]]]);
    expect(connEvents(back)).toEqual([
      expect.objectContaining({
        event: 'reply',
        vm: 'Contoso/Web',
        direction: 'in',
        flow: 'tcp 10.1.1.12:50000 -> 10.1.1.11:1433',
        packet: 'tcp 10.1.1.11:1433 -> 10.1.1.12:50000',
        state: 'ESTABLISHED',
      }),
    ]);
    // Another connection from SQL (not a reply): the deny.
    const other = send(
      dc,
      'Contoso/SQL',
      frame(sql, web, { proto: 'tcp', sport: 1433, dport: 50001, flags: SYN }),
    );
    expect(other.verdict).toEqual({ outcome: 'dropped', at: 'Host 2 / port Contoso/Web', reason: DENY });
  });

  it('UDP: the reply passes although an inbound deny rule matches it; that rule drops an unsolicited datagram', () => {
    // Default allow this time, with an explicit inbound deny of UDP.
    const doc = withWebFirewall((acl) => {
      acl.defaultAction = 'allow';
      acl.rules.push({
        ...acl.rules[0],
        id: 'deny-udp-in',
        name: 'deny-udp-in',
        priority: 110,
        direction: 'inbound',
        action: 'deny',
        protocol: 'udp',
      });
    });
    const dc = new Datacenter(doc);
    const web = port(dc, 'Contoso/Web');
    const sql = port(dc, 'Contoso/SQL');
    const query = send(dc, 'Contoso/Web', frame(web, sql, { proto: 'udp', sport: 50000, dport: 53 }));
    expect(query.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    const answer = frame(sql, web, { proto: 'udp', sport: 53, dport: 50000 });
    // The rules alone (the tuple tester walks a scratch data plane, no state) block the answer ...
    const rulesAlone = testTuple(doc, {
      port: 'Contoso/Web',
      direction: 'in',
      protocol: 'udp',
      srcIp: '10.1.1.11',
      srcPort: 53,
      dstPort: 50000,
    });
    expect(rulesAlone.verdict).toBe('block');
    expect(rulesAlone.reason).toContain("ACL rule 'deny-udp-in'");
    // ... the data plane lets it in by the state of the query.
    const back = send(dc, 'Contoso/SQL', answer);
    expect(back.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web' });
    expect(toVms(back)).toEqual([['Host 2 vSwitch -> Contoso/Web', [...answer]]]);
    expect(connEvents(back)).toEqual([
      expect.objectContaining({
        event: 'reply',
        flow: 'udp 10.1.1.12:50000 -> 10.1.1.11:53',
        state: 'REPLIED',
      }),
    ]);
    const stray = send(dc, 'Contoso/SQL', frame(sql, web, { proto: 'udp', sport: 53, dport: 50001 }));
    expect(stray.verdict).toEqual({
      outcome: 'dropped',
      at: 'Host 2 / port Contoso/Web',
      reason: "denied by ACL rule 'deny-udp-in' of ACL 'Web firewall' on Contoso/Web",
    });
    expect(web.audit.view().map((r) => `${r.direction} ${r.action} ${r.rule} ${r.flow}`)).toEqual([
      'out allow allow-out udp 10.1.1.12:50000 -> 10.1.1.11:53',
      'in deny deny-udp-in udp 10.1.1.11:53 -> 10.1.1.12:50001',
    ]);
    // 60 s idle: the answer is refused like any other datagram.
    expect(dc.advanceClock(IDLE_TIMEOUT.udp).expired).toBe(1);
    expect(send(dc, 'Contoso/SQL', answer).verdict.reason).toBe(
      "denied by ACL rule 'deny-udp-in' of ACL 'Web firewall' on Contoso/Web",
    );
  });

  it('a same-host reply passes too (the port-to-port flow entry carries the state)', () => {
    const doc = withWebFirewall();
    doc.vms = doc.vms.map((vm) => (vm.id === 'contoso-web' ? { ...vm, hostId: 'host-1' } : vm));
    const dc = new Datacenter(doc);
    const t = dc.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(t.packets.map((p) => p.verdict.outcome)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
    expect(connEvents(t).map((e) => e.event)).toEqual(['miss', 'commit', 'reply']);
    expect(t.frames.some((f) => f.where.startsWith('link '))).toBe(false);
  });
});

describe('stateful ACL: idle timeout and the flow cache', () => {
  it('the fast path keeps the state alive; idle past the timeout, the reply is dropped (and its cached entry goes)', () => {
    const dc = new Datacenter(withWebFirewall());
    const web = port(dc, 'Contoso/Web');
    const sql = port(dc, 'Contoso/SQL');
    const ping = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' as const };
    expect(dc.trace(ping).verdict.outcome).toBe('delivered');
    dc.advanceClock(20);
    // The same flow again: both directions on the fast path, the state touched by it.
    const again = dc.trace({ ...ping, sequence: 2 });
    expect(again.packets.map((p) => p.path)).toEqual(['fast', 'fast']);
    expect(web.conns.view(dc.now)[0]).toMatchObject({ lastSeen: 20, packetsOriginal: 2, packetsReply: 2 });
    expect(dc.advanceClock(IDLE_TIMEOUT.icmp - 1)).toEqual({
      now: 49,
      expired: 0,
      invalidatedFlows: 0,
      natExpired: 0,
    });
    const reply = frame(sql, web, { proto: 'icmp', type: 0, id: 1 });
    // Still tracked: a late reply passes (the uplink's cached entry, fast).
    const late = send(dc, 'Contoso/SQL', reply);
    expect(late.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web' });
    expect(late.packets[0].path).toBe('fast');
    // Idle for the whole timeout: the state expires, the entries built on it go.
    const swept = dc.advanceClock(IDLE_TIMEOUT.icmp);
    expect(swept.expired).toBe(1);
    expect(swept.invalidatedFlows).toBeGreaterThanOrEqual(2); // Web's outbound entry and Host 2's uplink entry
    expect(web.conns.size).toBe(0);
    const dropped = send(dc, 'Contoso/SQL', reply);
    expect(dropped.verdict).toEqual({ outcome: 'dropped', at: 'Host 2 / port Contoso/Web', reason: DENY });
    expect(toVms(dropped)).toEqual([]);
    // The trace opens with what expired.
    const expired = dropped.packets[0].root.children.find(
      (n) => n.what?.type === 'conn-state' && n.what.event === 'expired',
    );
    expect(expired?.title).toMatch(
      /^connection state of flow icmp 10\.1\.1\.12 -> 10\.1\.1\.11 echo request id 1 at Contoso\/Web expired/,
    );
    // Audit: the first ping's outbound allow, then the dropped reply's inbound deny. The fast-path
    // packets and the replies allowed by the state hit no rule.
    expect(web.audit.view().map((r) => `${r.time} ${r.direction} ${r.action} ${r.ruleId}`)).toEqual([
      '0 out allow allow-out',
      '79 in deny acl_port_in-default',
    ]);
  });

  it('a reply dropped before its flow existed is not cached against it: the commit invalidates that drop', () => {
    const dc = new Datacenter(withWebFirewall());
    const web = port(dc, 'Contoso/Web');
    const sql = port(dc, 'Contoso/SQL');
    const synAck = frame(sql, web, { proto: 'tcp', sport: 1433, dport: 50000, flags: SYN_ACK });
    expect(send(dc, 'Contoso/SQL', synAck).verdict.outcome).toBe('dropped'); // cached as a drop at Host 2's uplink
    const syn = send(
      dc,
      'Contoso/Web',
      frame(web, sql, { proto: 'tcp', sport: 50000, dport: 1433, flags: SYN }),
    );
    const commit = connEvents(syn).find((e) => e.event === 'commit');
    expect(commit?.invalidated).toBe(1);
    expect(send(dc, 'Contoso/SQL', synAck).verdict).toMatchObject({
      outcome: 'delivered',
      at: 'Contoso/Web',
    });
  });

  it('an ACL change applies at once to the flow’s own direction; only replies ride on the state', () => {
    const doc = withWebFirewall();
    const dc = new Datacenter(doc);
    const web = port(dc, 'Contoso/Web');
    const sql = port(dc, 'Contoso/SQL');
    const ping = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' as const };
    expect(dc.trace(ping).verdict.outcome).toBe('delivered');
    const denyIcmp = withWebFirewall((acl) => {
      acl.rules.unshift({
        ...acl.rules[0],
        id: 'deny-icmp-out',
        name: 'deny-icmp-out',
        priority: 90,
        action: 'deny',
        protocol: 'icmp',
      });
    });
    const result = dc.update(denyIcmp);
    expect(result.invalidatedFlows).toBeGreaterThan(0);
    const blocked = dc.trace({ ...ping, sequence: 2 });
    expect(blocked.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 2 / port Contoso/Web / VFP acl' });
    expect(blocked.verdict.reason).toContain("ACL rule 'deny-icmp-out'");
    // The tracked flow's reply still passes (its state lives until the idle timeout).
    const reply = send(dc, 'Contoso/SQL', frame(sql, web, { proto: 'icmp', type: 0, id: 1 }));
    expect(reply.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web' });
    expect(connEvents(reply).map((e) => e.event)).toEqual(['reply']);
  });

  it('refuses a clock that goes back, and changes nothing', () => {
    const dc = new Datacenter(withWebFirewall());
    expect(() => dc.advanceClock(-1)).toThrow(
      'advanceClock: seconds: -1: must be a finite number >= 0 (the clock only moves forward)',
    );
    expect(dc.now).toBe(0);
  });
});

describe('ports without an ACL', () => {
  it('track nothing and have no state groups (the default path is unchanged)', () => {
    const doc = structuredClone(scenarioById('multi-tenant')?.document) as TopologyDocument;
    const dc = new Datacenter(doc);
    dc.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    const web = port(dc, 'Contoso/Web');
    expect(web.out.map((g) => g.group.id)).not.toContain('acl_state_out');
    expect(web.conns.size).toBe(0);
    expect(web.audit.total).toBe(0);
  });
});
