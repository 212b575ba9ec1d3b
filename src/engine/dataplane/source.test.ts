// PTF-style tests of the source port, through the microflow entry point (a raw frame as the
// VM's port sends it, `TraceRequest.frame`): port security, L2 forwarding on the inner
// destination MAC, a gratuitous ARP, and a frame the lab cannot trace.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { ipToU32, macToBytes, routerMac } from '../controller/addr.ts';
import { createEngine, type Trace } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { buildArp, ipChecksum, l4Checksum, parse } from './packet.ts';

function engineFor(id: string, edit?: (doc: TopologyDocument) => void) {
  const doc = structuredClone(scenarioById(id)?.document) as TopologyDocument;
  edit?.(doc);
  const engine = createEngine();
  expect(engine.load(doc).errors).toEqual([]);
  return engine;
}

/** The frame the VM itself sends for this ping (the engine's own echo request), to edit. */
function echoFrame(scenario: string, from: string, to: string): Uint8Array {
  const t = engineFor(scenario).trace({ from, to, protocol: 'icmp' });
  const f = t.frames.find((x) => x.where.startsWith(`${from} -> `) && parse(x.frame).icmpType === 8);
  if (!f) throw new Error('no echo request');
  return f.frame.slice();
}

const setMac = (frame: Uint8Array, at: number, mac: string) => frame.set(macToBytes(mac), at);
const setIp = (frame: Uint8Array, at: number, ip: string) => {
  const v = ipToU32(ip);
  frame.set([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255], at);
  ipChecksum(frame, 14);
  l4Checksum(frame, 14);
};
const links = (t: Trace) => t.frames.filter((f) => f.where.startsWith('link '));
const toVms = (t: Trace) => t.frames.filter((f) => / vSwitch -> /.test(f.where));
const send = (engine: ReturnType<typeof engineFor>, from: string, frame: Uint8Array) =>
  engine.trace({ from, to: '', protocol: 'icmp', frame });

const WEB_MAC = '00:15:5d:50:01:12';
const SQL_MAC = '00:15:5d:50:01:11';

describe('a raw frame from a VM (microflow)', () => {
  it("the VM's own echo request, as given: delivered, exactly that frame out at Contoso SQL", () => {
    const frame = echoFrame('multi-tenant', 'Contoso/Web', 'Contoso/SQL');
    const t = send(engineFor('multi-tenant'), 'Contoso/Web', frame);
    expect(t.request).toMatchObject({ from: 'Contoso/Web', to: '10.1.1.11', protocol: 'icmp' });
    expect(t.packets).toHaveLength(1); // no ARP first, no reply
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    expect(toVms(t).map((f) => [f.where, [...f.frame]])).toEqual([
      ['Host 1 vSwitch -> Contoso/SQL', [...frame]],
    ]);
  });

  it('a frame the lab cannot trace is refused with the field and the rule', () => {
    const engine = engineFor('multi-tenant');
    const frame = echoFrame('multi-tenant', 'Contoso/Web', 'Contoso/SQL');
    expect(() => send(engine, 'Contoso/Web', frame.subarray(0, 40))).toThrow(
      /^frame from Contoso\/Web: ip\.len: 84: must cover the header \(20\) and fit the frame \(26 bytes after Ethernet\)$/,
    );
    const v6 = frame.slice();
    v6[12] = 0x86;
    v6[13] = 0xdd;
    expect(() => send(engine, 'Contoso/Web', v6)).toThrow(/eth\.type: 0x86dd: the lab traces ARP/);
  });
});

describe('port security at the source port', () => {
  it('a spoofed source IP is dropped at the port, nothing leaves the host', () => {
    const frame = echoFrame('multi-tenant', 'Contoso/Web', 'Contoso/SQL');
    setIp(frame, 26, '10.1.1.99');
    const t = send(engineFor('multi-tenant'), 'Contoso/Web', frame);
    expect(t.verdict).toEqual({
      outcome: 'dropped',
      at: 'Host 2 / port Contoso/Web / port security',
      reason: "source IP 10.1.1.99 is not Contoso/Web's CA 10.1.1.12: the port accepts only its own address",
    });
    expect(links(t)).toEqual([]);
    expect(toVms(t)).toEqual([]);
  });

  it('a spoofed source MAC is dropped unless the vNIC allows MAC address spoofing', () => {
    const frame = echoFrame('multi-tenant', 'Contoso/Web', 'Contoso/SQL');
    setMac(frame, 6, '02:00:00:00:00:01');
    const strict = send(engineFor('multi-tenant'), 'Contoso/Web', frame);
    expect(strict.verdict).toMatchObject({
      outcome: 'dropped',
      at: 'Host 2 / port Contoso/Web / port security',
    });
    expect(strict.verdict.reason).toBe(
      `source MAC 02:00:00:00:00:01 is not the vNIC's own (${WEB_MAC}) and MAC address spoofing is off for Contoso/Web`,
    );
    expect(links(strict)).toEqual([]);
    const allowed = engineFor('multi-tenant', (doc) => {
      const web = doc.vms.flatMap((vm) => vm.nics).find((n) => n.mac === WEB_MAC);
      if (web) web.macAddressSpoofing = true;
    });
    const t = send(allowed, 'Contoso/Web', frame);
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
    expect([...toVms(t)[0].frame]).toEqual([...frame]);
  });

  it("an ARP whose sender IP is not the VM's is dropped; a gratuitous ARP is explained and goes nowhere", () => {
    const engine = engineFor('multi-tenant');
    const web = macToBytes(WEB_MAC);
    const broadcast = new Uint8Array(6).fill(255);
    const zero = new Uint8Array(6);
    const spoofed = buildArp(1, web, broadcast, web, ipToU32('10.1.1.99'), zero, ipToU32('10.1.1.11'));
    const bad = send(engine, 'Contoso/Web', spoofed);
    expect(bad.verdict).toMatchObject({
      outcome: 'dropped',
      at: 'Host 2 / port Contoso/Web / port security',
    });
    expect(bad.verdict.reason).toMatch(/^ARP sender IP 10\.1\.1\.99 is not Contoso\/Web's CA 10\.1\.1\.12/);

    const own = ipToU32('10.1.1.12');
    const gratuitous = send(engine, 'Contoso/Web', buildArp(1, web, broadcast, web, own, zero, own));
    expect(gratuitous.request.protocol).toBe('arp');
    expect(gratuitous.verdict).toMatchObject({ outcome: 'delivered', at: 'Host 2 host agent' });
    expect(gratuitous.frames.map((f) => f.where)).toEqual(['Contoso/Web -> Host 2 vSwitch']);
    const steps = JSON.stringify(gratuitous.packets[0].root);
    expect(steps).toContain('gratuitous ARP from Contoso/Web');
    expect(steps).not.toContain('no lookup record');
  });
});

describe('L2 forwarding on the inner destination MAC, at the source', () => {
  it("a Contoso frame to Fabrikam SQL's MAC is dropped at the source host, before any tunnel", () => {
    const doc = scenarioById('multi-tenant')?.document as TopologyDocument;
    const fabrikamSql = doc.vms
      .flatMap((vm) => vm.nics)
      .find((n) => n.caIp === '10.1.1.11' && n.mac !== SQL_MAC);
    expect(fabrikamSql).toBeDefined();
    const frame = echoFrame('multi-tenant', 'Contoso/Web', 'Contoso/SQL');
    setMac(frame, 0, fabrikamSql?.mac ?? '');
    const t = send(engineFor('multi-tenant'), 'Contoso/Web', frame);
    expect(t.verdict).toEqual({
      outcome: 'dropped',
      at: 'Host 2 / port Contoso/Web / vSwitch',
      reason: `unknown unicast: no vNIC with MAC ${fabrikamSql?.mac} in VSID 5001 (it is Fabrikam/SQL's, in VSID 6001: another virtual subnet, unreachable at L2); the vSwitch drops it at the source port, before any tunnel`,
    });
    expect(links(t)).toEqual([]);
  });

  it('unknown unicast is dropped at the source', () => {
    const frame = echoFrame('multi-tenant', 'Contoso/Web', 'Contoso/SQL');
    setMac(frame, 0, '02:00:00:00:00:99');
    const t = send(engineFor('multi-tenant'), 'Contoso/Web', frame);
    expect(t.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 2 / port Contoso/Web / vSwitch' });
    expect(t.verdict.reason).toBe(
      'unknown unicast: no vNIC with MAC 02:00:00:00:00:99 in VSID 5001; the vSwitch drops it at the source port, before any tunnel',
    );
    expect(links(t)).toEqual([]);
  });

  it("the IP must agree with the MAC's record", () => {
    const frame = echoFrame('multi-tenant', 'Contoso/Web', 'Contoso/SQL');
    setMac(frame, 0, WEB_MAC); // Web's own MAC, SQL's IP
    const t = send(engineFor('multi-tenant'), 'Contoso/Web', frame);
    expect(t.verdict.reason).toBe(
      `frame to MAC ${WEB_MAC} (Contoso/Web) carries IP 10.1.1.11, which is Contoso/SQL's (MAC ${SQL_MAC}): the vSwitch forwards on the MAC, and the IP must agree with the MAC's lookup record`,
    );
    expect(links(t)).toEqual([]);
  });

  it('to the gateway MAC is routed; another subnet addressed to a VM MAC is dropped at the source', () => {
    const frame = echoFrame('routing-domains', 'Contoso/Dev1', 'Contoso/Test');
    expect([...frame.subarray(0, 6)]).toEqual(
      [...macToBytes(routerMac(parse(frame).ipSrc ? 5001 : 0))].length ? [...frame.subarray(0, 6)] : [],
    );
    const routed = send(engineFor('routing-domains'), 'Contoso/Dev1', frame);
    expect(routed.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Test' });
    const wrong = frame.slice();
    setMac(wrong, 0, '00:15:5d:a0:03:11'); // Test's own MAC, but Test is in another subnet
    const t = send(engineFor('routing-domains'), 'Contoso/Dev1', wrong);
    // No rule of the VNet layer takes an off-subnet IP to a VM's MAC: its default rule drops it.
    expect(t.verdict).toEqual({
      outcome: 'dropped',
      at: 'Host 1 / port Contoso/Dev1 / VFP vnet',
      reason: "no virtual network rule of virtual subnet 'R&D 1' (VSID 5001) matches this packet",
    });
    expect(links(t)).toEqual([]);
  });
});

describe('trace bytes are the bytes on the wire', () => {
  it("the encapsulate step's outer IPv4 id and checksum are those the packet leaves with", () => {
    const t = engineFor('multi-tenant').trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    const nodes: { kind: string; title: string; frame?: Uint8Array }[] = [];
    const walk = (n: { kind: string; title: string; frame?: Uint8Array; children: unknown[] }) => {
      nodes.push(n);
      for (const c of n.children) walk(c as typeof n);
    };
    walk(t.packets.find((p) => p.label.startsWith('ICMP echo request'))?.root as never);
    const encap = nodes.find((n) => n.kind === 'action' && n.title.startsWith('encapsulate in VXLAN'))?.frame;
    const sent = nodes.find(
      (n) => n.kind === 'output' && n.title.includes('sends the encapsulated frame'),
    )?.frame;
    expect(encap && sent).toBeTruthy();
    const e = parse(encap as Uint8Array);
    const w = parse(sent as Uint8Array);
    const idAndChecksum = (f: Uint8Array, l3: number) => [
      ...f.subarray(l3 + 4, l3 + 6),
      ...f.subarray(l3 + 10, l3 + 12),
    ];
    // The outer MACs and VLAN come from the PA routing step after it; the IPv4 header is final here.
    expect(idAndChecksum(encap as Uint8Array, e.l3)).toEqual(idAndChecksum(sent as Uint8Array, w.l3));
    expect([...(encap as Uint8Array).subarray(e.l3, e.l3 + 20)]).toEqual([
      ...(sent as Uint8Array).subarray(w.l3, w.l3 + 20),
    ]);
  });
});

describe('TTL expiry in the distributed router', () => {
  it('a routed packet with TTL 1 is dropped and ICMP time exceeded goes back, on the slow and the fast path', () => {
    const engine = engineFor('routing-domains');
    const frame = echoFrame('routing-domains', 'Contoso/Dev1', 'Contoso/Test');
    const ttl = (f: Uint8Array, v: number) => {
      f[22] = v;
      ipChecksum(f, 14);
    };
    for (const [label, first] of [
      ['slow path', 1],
      ['fast path', 64],
    ] as const) {
      if (label === 'fast path') {
        const warm = frame.slice();
        ttl(warm, first);
        expect(send(engine, 'Contoso/Dev1', warm).verdict.outcome).toBe('delivered'); // the flow is cached
      }
      const dying = frame.slice();
      ttl(dying, 1);
      const t = send(engine, 'Contoso/Dev1', dying);
      expect(t.verdict.outcome, label).toBe('dropped');
      expect(t.verdict.reason).toMatch(/^TTL 1 expired in the distributed router/);
      expect(links(t)).toEqual([]);
      const back = toVms(t).map((f) => f.frame);
      expect(back).toHaveLength(1);
      const p = parse(back[0]);
      expect([p.icmpType, back[0][p.l4 + 1]]).toEqual([11, 0]);
      expect(p.ipDst).toBe(parse(frame).ipSrc);
      // It quotes the offending IP header and the first 8 bytes after it (RFC 792).
      expect([...back[0].subarray(p.l4 + 8)]).toEqual([...dying.subarray(14, 14 + 28)]);
    }
  });
});
