import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index.ts';
import type { TopologyDocument } from '../../engine/model/schema.ts';
import { scenarioById } from '../../scenarios/index.ts';
import { summarizeUpdates } from './summary.ts';

describe('summarizeUpdates', () => {
  it('says per host what a cross-subnet move changed', () => {
    const s = scenarioById('live-migration');
    if (!s) throw new Error('no scenario');
    const before = structuredClone(s.document) as TopologyDocument;
    const after: TopologyDocument = {
      ...before,
      vms: before.vms.map((vm) => (vm.id === 'contoso-sql' ? { ...vm, hostId: 'host-3' } : vm)),
    };
    const engine = createEngine();
    engine.load(before);
    const groups = summarizeUpdates(engine.update(after).updates, after);
    expect(groups.map((g) => [g.hostName, g.role])).toEqual([
      ['Host 2', 'peer'],
      ['Host 3', 'destination'],
      ['Host 1', 'source'],
    ]);
    const text = (i: number) => groups[i].lines.map((l) => `${l.sign} ${l.text}`);
    expect(text(2)).toContain('− port Contoso/SQL (the VM left)');
    expect(text(0)).toEqual([
      '→ lookup record 10.1.1.11 @ VSID 5001 (Contoso/SQL): PA 192.168.1.10 → 192.168.2.30',
    ]);
    expect(text(1)[0]).toBe('+ port Contoso/SQL (sends from PA 192.168.2.30)');
    expect(text(1)).toContain('+ 2 lookup records: 10.1.1.11, 10.1.1.12 (VSID 5001)');
    expect(text(1)).toContain('+ 1 customer route: 10.1.1.0/24');
  });
});
