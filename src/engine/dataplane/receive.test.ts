// PTF-style tests of the receive path (a host's uplink): a frame put on the destination host's
// link, exactly these frames out. A valid tunnel packet is decapsulated and delivered; a
// malformed one (VXLAN I flag clear, bad outer IPv4 checksum, GRE that is not NVGRE, the
// wrong tunnel type for the virtual subnet) is dropped at the host with the reason, and
// nothing reaches a VM.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import type { Encapsulation, TopologyDocument } from '../model/schema.ts';
import { decodeFrame } from '../wire/frame.ts';
import { isNvgreHeader } from '../wire/gre.ts';
import { Datacenter } from './datacenter.ts';
import { ipChecksum, parse } from './packet.ts';

function multiTenant(encapsulation: Encapsulation): TopologyDocument {
  const doc = structuredClone(scenarioById('multi-tenant')?.document) as TopologyDocument;
  for (const s of doc.virtualSubnets) s.encapsulation = encapsulation;
  return doc;
}

/** The tunnel frame that reaches Contoso SQL's host, as the engine put it on that host's link. */
function tunnelFrame(encapsulation: Encapsulation): { link: string; frame: Uint8Array } {
  const t = new Datacenter(multiTenant(encapsulation)).trace({
    from: 'Contoso/Web',
    to: 'Contoso/SQL',
    protocol: 'icmp',
  });
  const onLinks = t.frames.filter(
    (f) => f.where.startsWith('link ') && parse(f.frame).encap === encapsulation,
  );
  const last = onLinks.find(
    (f) => parse(f.frame).ipDst === parse(onLinks[0].frame).ipDst && f !== onLinks[0],
  );
  if (!last) throw new Error('no tunnel frame on the far link');
  return { link: /^link '(.*)'$/.exec(last.where)?.[1] ?? '', frame: last.frame.slice() };
}

/** Frames the vSwitch handed to a VM. */
const toVms = (frames: { where: string; frame: Uint8Array }[]) =>
  frames.filter((f) => / vSwitch -> /.test(f.where));

describe('receive path: a valid tunnel packet is delivered', () => {
  for (const kind of ['vxlan', 'nvgre'] as const) {
    it(`${kind}: decapsulated to Contoso SQL, exactly the inner frame out`, () => {
      const { link, frame } = tunnelFrame(kind);
      const p = parse(frame);
      const out = new Datacenter(multiTenant(kind)).traceWireFrame(link, frame);
      expect(out.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/SQL' });
      const delivered = toVms(out.frames);
      expect(delivered.map((f) => f.where)).toEqual(['Host 1 vSwitch -> Contoso/SQL']);
      expect([...delivered[0].frame]).toEqual([...frame.subarray(p.inner)]);
    });
  }
});

describe('receive path: malformed tunnel packets are dropped at the host, with the reason', () => {
  it('VXLAN with the I flag clear (RFC 7348 §5)', () => {
    const { link, frame } = tunnelFrame('vxlan');
    frame[parse(frame).l4 + 8] = 0x00;
    const out = new Datacenter(multiTenant('vxlan')).traceWireFrame(link, frame);
    expect(out.verdict.outcome).toBe('dropped');
    expect(out.verdict.at).toBe('Host 1');
    expect(out.verdict.reason).toMatch(/VXLAN header with the I flag clear \(flags 0x00\).*RFC 7348/);
    expect(toVms(out.frames)).toEqual([]);
  });

  it('a bad outer IPv4 header checksum, VXLAN and NVGRE', () => {
    for (const kind of ['vxlan', 'nvgre'] as const) {
      const { link, frame } = tunnelFrame(kind);
      frame[parse(frame).l3 + 11] ^= 0x01;
      const out = new Datacenter(multiTenant(kind)).traceWireFrame(link, frame);
      expect(out.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 1' });
      expect(out.verdict.reason).toMatch(/^outer IPv4 header checksum 0x[0-9a-f]{4} is wrong/);
      expect(toVms(out.frames)).toEqual([]);
    }
  });

  it('GRE with R=1, C=0 (or any flag but K, or a version) is not NVGRE (RFC 7637 §3.2, RFC 2784)', () => {
    const cases: [number, RegExp][] = [
      [0x6000, /GRE header 0x6000 is not NVGRE \(R \(routing present\) set\)/],
      [0xa000, /C \(checksum present\) set/],
      [0x3000, /S \(sequence number present\) set/],
      [0x0000, /K \(key present\) clear/],
      [0x2001, /version 1/],
      [0x2800, /strict source route set/],
    ];
    for (const [word, reason] of cases) {
      const { link, frame } = tunnelFrame('nvgre');
      const at = parse(frame).l4;
      frame[at] = word >> 8;
      frame[at + 1] = word & 0xff;
      const out = new Datacenter(multiTenant('nvgre')).traceWireFrame(link, frame);
      expect(out.verdict, `GRE word 0x${word.toString(16)}`).toMatchObject({
        outcome: 'dropped',
        at: 'Host 1',
      });
      expect(out.verdict.reason).toMatch(reason);
      expect(toVms(out.frames)).toEqual([]);
    }
  });

  it('GRE bits 6-12 are ignored on receipt (RFC 2784 §2.3): the codec and the data plane agree', () => {
    for (const word of [0x2008, 0x2200, 0x23f8]) {
      const { link, frame } = tunnelFrame('nvgre');
      const at = parse(frame).l4;
      frame[at] = word >> 8;
      frame[at + 1] = word & 0xff;
      expect(isNvgreHeader(word, 0x6558), `0x${word.toString(16)}`).toBe(true);
      const gre = decodeFrame(frame).layers.find((l) => l.protocol === 'gre');
      expect(gre?.title).toBe('Generic Routing Encapsulation (NVGRE)');
      const out = new Datacenter(multiTenant('nvgre')).traceWireFrame(link, frame);
      expect(out.verdict.outcome, `GRE word 0x${word.toString(16)}`).toBe('delivered');
    }
    for (const word of [0x2800, 0x2400, 0x6000]) {
      expect(isNvgreHeader(word, 0x6558)).toBe(false);
      const { frame } = tunnelFrame('nvgre');
      const at = parse(frame).l4;
      frame[at] = word >> 8;
      frame[at + 1] = word & 0xff;
      expect(decodeFrame(frame).layers.find((l) => l.protocol === 'gre')?.title).toBe(
        'Generic Routing Encapsulation (not valid NVGRE)',
      );
    }
  });

  it('NVGRE into a VXLAN virtual subnet, and VXLAN into an NVGRE one, also on the fast path', () => {
    for (const [sent, configured] of [
      ['nvgre', 'vxlan'],
      ['vxlan', 'nvgre'],
    ] as const) {
      const dc = new Datacenter(multiTenant(configured));
      // The right tunnel type first: delivered, and its flow is now in Host 1's uplink table.
      const right = tunnelFrame(configured);
      expect(dc.traceWireFrame(right.link, right.frame).verdict.outcome).toBe('delivered');
      const wrong = tunnelFrame(sent);
      const out = dc.traceWireFrame(wrong.link, wrong.frame);
      expect(out.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 1 / port Contoso/SQL' });
      const subnet = dc.controller.doc.virtualSubnets.find((s) => s.vsid === 5001)?.name;
      expect(out.verdict.reason).toBe(
        `${sent.toUpperCase()} packet for VSID 5001, but virtual subnet '${subnet}' is configured for ${configured.toUpperCase()}: the host does not decapsulate it into that subnet`,
      );
      expect(toVms(out.frames)).toEqual([]);
      // The refusal was not cached: the right tunnel type is still delivered.
      expect(dc.traceWireFrame(right.link, right.frame).verdict.outcome).toBe('delivered');
    }
  });

  it('a header checksum made right again is delivered (the check reads the header, not a flag)', () => {
    const { link, frame } = tunnelFrame('vxlan');
    const p = parse(frame);
    frame[p.l3 + 8] -= 1; // one hop more on the way: TTL changed, checksum recomputed
    ipChecksum(frame, p.l3);
    expect(new Datacenter(multiTenant('vxlan')).traceWireFrame(link, frame).verdict.outcome).toBe(
      'delivered',
    );
  });
});
