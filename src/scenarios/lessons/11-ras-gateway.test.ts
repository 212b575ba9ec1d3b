// Lesson 11 on the hybrid scenario's document: the tasks are done by the traces they ask for
// (facts as the UI derives them from real traces: tunnels, NAT) and not by others; each
// question has exactly one right answer, read from the document.
import { describe, expect, it } from 'vitest';
import { hybridGateway } from '../hybridGateway';
import { rasGateway } from './11-ras-gateway';
import type { LessonFacts, TraceFacts } from './types';

const doc = hybridGateway();
const facts = (trace: TraceFacts | null): LessonFacts => ({
  document: doc,
  scenarioId: 'hybrid-gateway',
  view: 'physical',
  selection: [],
  trace,
});
const ping = (over: Partial<TraceFacts>): TraceFacts => ({
  protocol: 'icmp',
  fromVmId: 'contoso-web',
  toVmId: null,
  toIp: '172.16.0.10',
  outcome: 'delivered',
  encaps: [{ type: 'vxlan', vsid: 5001, outerSrcIp: '192.168.2.20', outerDstIp: '192.168.1.50' }],
  arp: 'host-agent',
  leftHost: true,
  routed: true,
  vsids: [5001],
  path: 'slow',
  hosts: ['host-2', 'host-3'],
  ...over,
});
const check = (id: string, f: LessonFacts) => rasGateway.steps.find((s) => s.id === id)?.task?.check(f);

describe('lesson: the RAS gateway', () => {
  it('GRE: done by a delivered ping to 172.16.0.10 in a GRE tunnel, not by one without', () => {
    const gre = { kind: 'gre' as const, key: 5001, outerSrcIp: '131.107.0.10', outerDstIp: '198.51.100.2' };
    expect(check('gre', facts(ping({ tunnels: [gre] })))?.done).toBe(true);
    expect(check('gre', facts(ping({})))).toEqual({ done: false, note: 'The trace has no GRE tunnel.' });
    expect(check('gre', facts(ping({ toIp: '10.1.1.11', tunnels: [gre] })))?.done).toBe(false);
    expect(check('gre', facts(null))?.done).toBe(false);
  });

  it('NAT: done by a ping to 8.8.8.8 with an outbound NAT step', () => {
    const nat = [{ direction: 'out' as const, from: '10.1.1.12:1', to: '131.107.0.10:10000' }];
    expect(check('nat', facts(ping({ toIp: '8.8.8.8', nat })))?.done).toBe(true);
    expect(
      check('nat', facts(ping({ toIp: '8.8.8.8', outcome: 'dropped', dropReason: 'x', nat })))?.done,
    ).toBe(false);
  });

  it('IPsec: done by Fabrikam/Web -> 172.16.0.10 in ESP', () => {
    const esp = {
      kind: 'esp' as const,
      spi: 0x6001a001,
      outerSrcIp: '131.107.0.10',
      outerDstIp: '198.51.100.3',
    };
    expect(check('ipsec', facts(ping({ fromVmId: 'fabrikam-web', tunnels: [esp] })))?.done).toBe(true);
    expect(check('ipsec', facts(ping({ tunnels: [esp] })))?.done).toBe(false);
  });

  it('each question has one right answer, read from the document', () => {
    for (const s of rasGateway.steps) {
      if (!s.question) continue;
      const choices = s.question.choices(facts(null));
      expect(
        choices.filter((c) => c.correct),
        s.question.id,
      ).toHaveLength(1);
    }
    const key = rasGateway.steps.find((s) => s.id === 'gre')?.question?.choices(facts(null));
    expect(key?.find((c) => c.correct)?.label).toBe('The GRE key 5001');
    const nat = rasGateway.steps.find((s) => s.id === 'nat')?.question?.choices(facts(null));
    expect(nat?.find((c) => c.correct)?.label).toBe("131.107.0.10, the gateway's public IP");
  });
});
