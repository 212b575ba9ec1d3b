// One colour per routing domain and per VSID within a document, and the same colour for a
// VSID in the physical and the virtual view.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopologyDocument } from '../engine/model/schema';
import { scenarios } from '../scenarios';
import { physicalGraph, virtualGraph } from './canvas/geometry';
import { colorForRoutingDomain, colorForVsid, documentColors, PALETTE } from './colors';
import { blankDocument } from './store/document';

/** Every colour key of a document: its routing domains and its VSIDs. */
function keysOf(doc: TopologyDocument): { label: string; color: string }[] {
  const rds = [...new Set(doc.vmNetworks.map((n) => n.routingDomainId))];
  const vsids = [...new Set(doc.virtualSubnets.map((s) => s.vsid))];
  return [
    ...rds.map((rd) => ({ label: `RDID ${rd}`, color: colorForRoutingDomain(rd, doc) })),
    ...vsids.map((v) => ({ label: `VSID ${v}`, color: colorForVsid(v, doc) })),
  ];
}

function expectDistinct(doc: TopologyDocument) {
  const keys = keysOf(doc);
  const byColor = new Map<string, string>();
  for (const { label, color } of keys) {
    const other = byColor.get(color);
    if (keys.length <= PALETTE.length) expect(other, `${label} and ${other} share ${color}`).toBeUndefined();
    byColor.set(color, label);
  }
}

const guid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

/** A document with the given routing domains and VSIDs (colours only read these). */
function docWith(rdids: string[], vsids: number[]): TopologyDocument {
  const doc = blankDocument();
  doc.vmNetworks = rdids.map((routingDomainId, i) => ({
    id: `net-${i}`,
    tenantId: 't',
    name: `Net ${i}`,
    routingDomainId,
  })) as TopologyDocument['vmNetworks'];
  doc.virtualSubnets = vsids.map((vsid, i) => ({
    id: `vs-${i}`,
    vmNetworkId: 'net-0',
    name: `Subnet ${i}`,
    vsid,
    prefix: '10.0.0.0/24',
    encapsulation: 'vxlan',
  })) as TopologyDocument['virtualSubnets'];
  return doc;
}

describe('colours of routing domains and VSIDs', () => {
  it.each(scenarios.map((s) => [s.id, s.document] as const))(
    '%s: no two routing domains or VSIDs share a colour',
    (_id, doc) => expectDistinct(doc),
  );

  it('any document: distinct up to the palette size, and deterministic', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 6 }),
        fc.uniqueArray(fc.integer({ min: 4096, max: 16_777_215 }), { maxLength: 10 }),
        (rds, vsids) => {
          const doc = docWith(rds.map(guid), vsids);
          expectDistinct(doc);
          const again = docWith(rds.map(guid), vsids);
          for (const v of vsids) expect(colorForVsid(v, again)).toBe(colorForVsid(v, doc));
        },
      ),
    );
  });

  it('adding a subnet never recolours the ones before it', () => {
    const before = docWith([guid(1), guid(2)], [5001, 6001, 7001]);
    const after = docWith([guid(1), guid(2)], [5001, 6001, 7001, 5002]);
    for (const v of [5001, 6001, 7001]) expect(colorForVsid(v, after)).toBe(colorForVsid(v, before));
  });

  it('multi-tenant: Contoso Net and Fabrikam VSID 6001 differ (they were both amber)', () => {
    const doc = scenarios.find((s) => s.id === 'multi-tenant')?.document as TopologyDocument;
    const contoso = doc.vmNetworks.find((n) => /contoso/i.test(n.name));
    expect(contoso).toBeDefined();
    expect(colorForRoutingDomain(contoso?.routingDomainId ?? '', doc)).not.toBe(colorForVsid(6001, doc));
  });

  it.each(scenarios.map((s) => [s.id, s.document] as const))(
    '%s: a VSID has the same colour in the physical and the virtual view',
    (_id, doc) => {
      const virtualColor = new Map<number, string>();
      for (const n of virtualGraph(doc).nodes) {
        if (n.type === 'vsubnet') virtualColor.set(n.data.vsid as number, n.data.color as string);
      }
      const colors = documentColors(doc);
      let checked = 0;
      for (const graph of [physicalGraph(doc), virtualGraph(doc)]) {
        for (const n of graph.nodes) {
          if (n.type !== 'vm') continue;
          for (const nic of (n.data as { nics: { vsid: number | null; color: string }[] }).nics) {
            if (nic.vsid === null) continue;
            expect(nic.color, `${n.id} VSID ${nic.vsid}`).toBe(virtualColor.get(nic.vsid));
            expect(nic.color).toBe(colors.vsid(nic.vsid));
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
    },
  );
});
