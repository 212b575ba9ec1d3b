// The virtual view draws a VNet peering as one dashed link between the two distributed routers:
// 'peering' when both sides peer (Connected), 'peering (Initiated)' for one side only.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios';
import { virtualGraph } from './geometry';

describe('peering links on the virtual view', () => {
  it('udr-peering: Hub<->Spoke connected, Sales->Spoke initiated, one link per pair', () => {
    const doc = scenarioById('udr-peering')?.document;
    if (!doc) throw new Error('no udr-peering');
    const links = virtualGraph(doc)
      .edges.filter((e) => e.id.startsWith('peering:'))
      .map((e) => `${e.source} -> ${e.target}: ${e.label}`);
    expect(links).toEqual([
      'drouter:hub-net -> drouter:spoke-net: peering',
      'drouter:spoke-net -> drouter:sales-net: peering (Initiated)',
    ]);
  });
});
