// The convergence calls across the worker boundary: plain, structured-cloneable data.
import { describe, expect, it } from 'vitest';
import type { TopologyDocument } from '../engine/model/schema.ts';
import { scenarioById } from '../scenarios/index.ts';
import { api } from './api.ts';

function documents() {
  const before = structuredClone(scenarioById('live-migration')?.document) as TopologyDocument;
  const after: TopologyDocument = {
    ...before,
    vms: before.vms.map((vm) => (vm.id === 'contoso-sql' ? { ...vm, hostId: 'host-3' } : vm)),
  };
  return { before, after };
}

describe('api: staged convergence', () => {
  it('update with staged convergence, then deliverPendingUpdates; results survive structuredClone', async () => {
    const { before, after } = documents();
    await api.load(before);
    const staged = await api.update(after, { convergence: 'staged' });
    expect(staged.pending.map((u) => u.hostId)).toEqual(['host-2']);
    expect(structuredClone(staged)).toEqual(staged);
    const delivered = await api.deliverPendingUpdates();
    expect(delivered.updates).toEqual(staged.pending);
    expect((await api.update(after)).pending).toEqual([]);
  });

  it('traceConvergence returns a cloneable trace; an invalid document is explained, not thrown', async () => {
    const { before, after } = documents();
    const result = await api.traceConvergence({ before, after, warmFlowCache: false });
    expect(result.trace?.verdict.outcome).toBe('delivered');
    expect(result.stale?.outcome).toBe('dropped');
    const clone = structuredClone(result);
    expect(clone.trace?.frames.length).toBe(result.trace?.frames.length);
    const bad = await api.traceConvergence({ before: { nope: 1 }, after, warmFlowCache: true });
    expect(bad.trace).toBeNull();
    expect(bad.problem).toMatch(/not valid/);
  });
});
