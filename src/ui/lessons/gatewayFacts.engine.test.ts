// Lesson 11's tasks against the real engine's traces in the hybrid scenario (tests may use
// engine values): the facts carry the gateway's tunnels and NAT, and each task is done by its trace.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index';
import { scenarioById } from '../../scenarios/index';
import { rasGateway } from '../../scenarios/lessons/11-ras-gateway';
import type { LessonFacts } from '../../scenarios/lessons/types';
import { traceFacts } from './facts';

describe('lesson 11 on real traces', () => {
  const doc = scenarioById('hybrid-gateway')?.document;
  if (!doc) throw new Error('no hybrid-gateway scenario');
  const engine = createEngine();
  expect(engine.load(doc).ok).toBe(true);
  const factsOf = (from: string, to: string): LessonFacts => ({
    document: doc,
    scenarioId: 'hybrid-gateway',
    view: 'physical',
    selection: [],
    trace: traceFacts(engine.trace({ from, to, protocol: 'icmp' }), doc),
  });
  const check = (id: string, f: LessonFacts) => rasGateway.steps.find((s) => s.id === id)?.task?.check(f);

  it('GRE to the on-premises host: the key and the outer addresses, and the task is done', () => {
    const f = factsOf('Contoso/Web', '172.16.0.10');
    expect(f.trace?.tunnels?.[0]).toEqual({
      kind: 'gre',
      key: 5001,
      outerSrcIp: '131.107.0.10',
      outerDstIp: '198.51.100.2',
    });
    expect(check('gre', f)?.done).toBe(true);
    expect(check('nat', f)?.done).toBe(false);
  });

  it('NAT to 8.8.8.8: out and back in the facts, and the task is done', () => {
    const f = factsOf('Contoso/Web', '8.8.8.8');
    expect(f.trace?.nat?.map((n) => n.direction)).toEqual(['out', 'in']);
    expect(f.trace?.nat?.[0].to.startsWith('131.107.0.10:')).toBe(true);
    expect(check('nat', f)?.done).toBe(true);
  });

  it('Fabrikam over ESP: the SPI, and the task is done', () => {
    const f = factsOf('Fabrikam/Web', '172.16.0.10');
    expect(f.trace?.tunnels?.[0]).toMatchObject({ kind: 'esp', spi: 0x6001a001 });
    expect(check('ipsec', f)?.done).toBe(true);
  });
});
