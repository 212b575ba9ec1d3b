import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index';
import { scenarios } from '../../scenarios/index';
import { flattenTrace, selectInspectedFrame, type TraceState, useTraceStore } from './trace';

const multiTenant = scenarios.find((s) => s.id === 'multi-tenant')?.document;

describe('flattenTrace', () => {
  it('turns the trace tree into a timeline that carries the frame forward', () => {
    if (!multiTenant) throw new Error('multi-tenant scenario missing');
    const engine = createEngine();
    expect(engine.load(multiTenant).ok).toBe(true);
    const trace = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    const steps = flattenTrace(trace);
    expect(steps.length).toBeGreaterThan(10);
    expect(steps.map((s) => s.index)).toEqual(steps.map((_, i) => i));
    expect(steps.filter((s) => s.kind === 'packet')).toHaveLength(trace.packets.length);
    // Once a frame has been seen, every later step of the same packet has one.
    for (let i = 1; i < steps.length; i++) {
      if (steps[i].packetIndex === steps[i - 1].packetIndex && steps[i - 1].frame) {
        expect(steps[i].frame).toBeDefined();
      }
    }
    const rule = steps.find((s) => s.kind === 'rule' && s.node.kind === 'rule' && s.node.hit);
    expect(rule?.origin).toBeTruthy();
    expect(rule?.where.layer).toBeTruthy();
    expect(steps.some((s) => s.path === 'slow')).toBe(true);
  });

  it('shows PA ARP frames on their own steps without carrying them into the packet', () => {
    if (!multiTenant) throw new Error('multi-tenant scenario missing');
    const engine = createEngine();
    engine.load(multiTenant);
    const steps = flattenTrace(engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' }));
    const arp = steps.filter((x) => x.aside);
    expect(arp.length).toBe(4); // who-has and is-at on each of the two PA links
    for (const a of arp) expect(a.frame?.[12]).toBe(0x81); // VLAN-tagged, then ARP
    // The step after each exchange shows the packet's frame again, not the ARP answer.
    for (const a of arp) {
      const next = steps[a.index + 1];
      if (next.aside) continue;
      expect(next.frame).not.toBe(a.frame);
    }
    // The router's rewrite is diffed against the tunnel packet it received, not the ARP answer.
    const routed = steps.find((x) => x.kind === 'action' && x.title.includes('routes: outer TTL'));
    if (!routed) throw new Error('no router step');
    const state = {
      ...useTraceStore.getState(),
      steps,
      currentStep: routed,
      frameSource: 'trace',
    } as TraceState;
    const inspected = selectInspectedFrame(state);
    expect(inspected.previous?.length).toBe(inspected.bytes?.length);
  });
});

describe('trace store navigation', () => {
  it('steps, clamps and reports the inspected frame with its predecessor', () => {
    if (!multiTenant) throw new Error('multi-tenant scenario missing');
    const engine = createEngine();
    engine.load(multiTenant);
    const steps = flattenTrace(engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' }));
    useTraceStore.setState({ steps, stepIndex: 0, currentStep: steps[0], frameSource: 'trace' });
    const s = useTraceStore.getState();
    s.stepBy(-5);
    expect(useTraceStore.getState().stepIndex).toBe(0);
    s.selectStep(10_000);
    expect(useTraceStore.getState().stepIndex).toBe(steps.length - 1);
    // Find a step whose frame differs from an earlier one of the same packet (encapsulation).
    const encap = steps.find((x) => x.kind === 'action' && x.frameIsOwn && x.title.startsWith('encapsulate'));
    expect(encap).toBeDefined();
    s.selectStep(encap?.index ?? 0);
    const inspected = selectInspectedFrame(useTraceStore.getState() as TraceState);
    expect(inspected.bytes).toBe(encap?.frame);
    expect(inspected.previous).toBeDefined();
    expect(inspected.previous?.length).toBeLessThan(inspected.bytes?.length ?? 0);
  });
});
