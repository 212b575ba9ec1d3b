// The fast path hands the next link the reading of the headers it just wrote (the cached encap,
// a router's new Ethernet header) instead of parsing the frame again: that reading must be what
// parsing the bytes reads, for VXLAN and NVGRE, on tagged and untagged PA links.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { Datacenter } from './datacenter.ts';
import { Decision } from './forwarder.ts';
import { type Parsed, parse } from './packet.ts';
import { onLink, routerReceive } from './physical.ts';
import type { RouterIfaceRt } from './runtime.ts';
import { HEADROOM } from './steps.ts';
import { portIngress } from './vswitch/port.ts';

/** A reading without the MAC copies (`parseInto` leaves those alone). */
const fields = (p: Parsed) => {
  const { dstMac: _d, srcMac: _s, ...rest } = p;
  return rest;
};

function doc(encapsulation: 'vxlan' | 'nvgre', tagged: boolean): TopologyDocument {
  const d = structuredClone(scenarioById('multi-tenant')?.document) as TopologyDocument;
  for (const s of d.virtualSubnets) s.encapsulation = encapsulation;
  if (!tagged) for (const s of d.logicalSubnets) s.vlanId = 0;
  return d;
}

describe('fast path: the reading handed to the next link', () => {
  for (const encapsulation of ['vxlan', 'nvgre'] as const)
    for (const tagged of [true, false])
      it(`is what parsing the frame reads (${encapsulation}, PA links ${tagged ? 'tagged' : 'untagged'})`, () => {
        const dc = new Datacenter(doc(encapsulation, tagged));
        const flow = dc.prepareFlow({
          from: 'Contoso/Web',
          to: 'Contoso/SQL',
          protocol: 'udp',
          srcPort: 50_000,
          dstPort: 1433,
        });
        if (!flow) throw new Error('no flow');
        const { port, frame } = flow;
        const buf = new Uint8Array(HEADROOM + frame.length + 64);
        buf.set(frame, HEADROOM);
        const before = dc.packetStats();
        dc.inject(port, buf, HEADROOM, frame.length); // the slow path caches the flow
        expect(dc.packetStats().delivered - before.delivered).toBe(1);
        expect(dc.packetStats().slow - before.slow).toBe(1);
        const fw = dc.forwarder;
        for (let packet = 0; packet < 3; packet++) {
          buf.set(frame, HEADROOM);
          const pkt = { buf, off: HEADROOM, len: frame.length };
          fw.pkt = pkt;
          fw.hopFresh = false;
          // The port's cached entry encapsulates: its reading is the frame's.
          expect(portIngress(fw, port, pkt)).toBe(Decision.ToUplink);
          expect(fw.hopFresh).toBe(true);
          expect(fields(fw.hop)).toEqual(fields(parse(buf, pkt.off)));
          expect(fw.hop.encap).toBe(encapsulation);
          // The link takes it to the router, which writes the next link's Ethernet header.
          const link = port.host.logicalSubnet;
          if (!link) throw new Error('no link');
          fw.hopFresh = false;
          expect(onLink(fw, link, pkt, fw.hop, '')).toBe(Decision.ToRouter);
          expect(routerReceive(fw, fw.iface as RouterIfaceRt, pkt, fw.hop)).toBe(Decision.OnLink);
          expect(fw.hopFresh).toBe(true);
          expect(fields(fw.hop)).toEqual(fields(parse(buf, pkt.off)));
          expect(fw.hop.vlanId).toBe(tagged ? (fw.link?.vlanId ?? -1) : -1);
        }
      });
});
