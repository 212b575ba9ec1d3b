// Lesson 12's questions and tasks against the real engine in the load-balancer scenario: the
// DIP the question says the MUX picks is the one the engine's MUX picks; the reply's DSR, the
// failing probe and the flow's affinity are read from real traces.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';
import { scenarioById } from '../../scenarios/index';
import {
  CLIENT,
  CLIENT_PORT,
  predictedDip,
  softwareLoadBalancer,
} from '../../scenarios/lessons/12-software-load-balancer';
import type { LessonFacts } from '../../scenarios/lessons/types';
import { traceFacts } from './facts';

const VIP = '203.0.113.10';

describe('lesson 12 on real traces', () => {
  const base = scenarioById('load-balancer')?.document;
  if (!base) throw new Error('no load-balancer scenario');
  const step = (id: string) => softwareLoadBalancer.steps.find((s) => s.id === id);
  const engine = createEngine();
  const factsOf = (doc: TopologyDocument, srcPort = CLIENT_PORT): LessonFacts => ({
    document: doc,
    scenarioId: 'load-balancer',
    view: 'physical',
    selection: [],
    trace: traceFacts(engine.trace({ from: CLIENT, to: VIP, protocol: 'tcp', dstPort: 80, srcPort }), doc),
  });

  it("the question's right DIP is the MUX's pick; the trace shows DSR and checks the task", () => {
    expect(engine.load(base).ok).toBe(true);
    const f = factsOf(base);
    const right = step('which-dip')
      ?.question?.choices(f)
      .find((c) => c.correct);
    expect(f.trace?.slb).toMatchObject({ flow: 'new', dsr: true });
    expect(right?.label.startsWith(`${f.trace?.slb?.dip} `)).toBe(true);
    expect(step('dsr')?.task?.check(f).done).toBe(true);
    // Not done by a trace from a VM.
    const fromVm = {
      ...f,
      trace: traceFacts(engine.trace({ from: 'Contoso/Web1', to: VIP, protocol: 'tcp', dstPort: 80 }), base),
    };
    expect(step('dsr')?.task?.check(fromVm).done).toBe(false);
  });

  it('probe down: the flow stays on its DIP (affinity task done); a new flow goes where the lesson says, never there', () => {
    expect(engine.load(base).ok).toBe(true);
    const first = factsOf(base);
    const dip = first.trace?.slb?.dip;
    const lb = base.loadBalancers?.[0];
    if (!lb || !dip) throw new Error('no pick');
    const vnicId = base.vms.find((v) => `Contoso/${v.name}` === dip)?.nics[0].id ?? '';
    const down: TopologyDocument = { ...base, loadBalancers: [{ ...lb, probeFailures: [vnicId] }] };
    expect(step('affinity')?.task?.check(first).done).toBe(false);
    expect(engine.update(down).pending).toBeDefined();
    const again = factsOf(down);
    expect(again.trace?.slb).toMatchObject({ dip, flow: 'existing' });
    expect(step('probe-down')?.task?.check(again).done).toBe(true);
    expect(step('affinity')?.task?.check(again).done).toBe(true);
    for (const port of [40001, 40002, 40003, 40004]) {
      const other = factsOf(down, port);
      expect(other.trace?.slb?.flow).toBe('new');
      expect(other.trace?.slb?.dip).not.toBe(dip);
      expect(other.trace?.slb?.dip).toBe(predictedDip(other, port)?.label);
    }
  });

  it('each question has exactly one right answer once its state is there', () => {
    const lb = base.loadBalancers?.[0];
    if (!lb) throw new Error('no lb');
    const f: LessonFacts = {
      document: base,
      scenarioId: 'load-balancer',
      view: 'physical',
      selection: [],
      trace: null,
    };
    for (const s of softwareLoadBalancer.steps)
      if (s.question) expect(s.question.choices(f).filter((c) => c.correct)).toHaveLength(1);
    expect(step('probe-down')?.question?.needs?.(f).done).toBe(false);
  });
});
