import { describe, expect, it } from 'vitest';
import { loadBalancer } from '../../scenarios/builders';
import { setProbeFailing } from './slb';

describe('setProbeFailing', () => {
  it('adds and removes a DIP from the failing probes, leaving the input alone', () => {
    const doc = loadBalancer();
    const nic = doc.loadBalancers?.[0].backendVnicIds[1] ?? '';
    const down = setProbeFailing.perform(doc, { loadBalancerId: 'web-lb', vnicId: nic, failing: true });
    expect(down.loadBalancers?.[0].probeFailures).toEqual([nic]);
    expect(doc.loadBalancers?.[0].probeFailures).toEqual([]);
    const up = setProbeFailing.perform(down, { loadBalancerId: 'web-lb', vnicId: nic, failing: false });
    expect(up.loadBalancers?.[0].probeFailures).toEqual([]);
  });
});
