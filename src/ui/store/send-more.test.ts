// "Send 10 more": each batch reports what it did, not the flow table's running totals.
import { describe, expect, it, vi } from 'vitest';
import { scenarios } from '../../scenarios/index';
import { api } from '../../worker/api';

vi.mock('../../worker/client', () => ({
  engine: api,
  syncDocument: (doc: unknown) => api.load(doc),
}));

const { useTraceStore } = await import('./trace');

describe('send more', () => {
  it('reports identical figures for identical batches, numbered, also after another trace', async () => {
    const doc = structuredClone(scenarios.find((s) => s.id === 'multi-tenant')!.document);
    const ping = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' as const };
    const store = useTraceStore.getState();
    await store.runTrace(ping, doc);
    expect(useTraceStore.getState().status).toBe('done');
    const batches = [];
    for (let i = 0; i < 3; i++) {
      await useTraceStore.getState().sendMore(10);
      batches.push(useTraceStore.getState().counters);
    }
    for (const [i, b] of batches.entries()) {
      expect(b?.batch).toBe(i + 1);
      expect(b?.result).toMatchObject({
        packets: 10,
        slowPath: 0,
        fastPath: 10,
        hits: 10,
        misses: 0,
        delivered: 10,
        dropped: 0,
      });
    }
    // A new trace (it hits the flow table too) starts the count again; the batch still reports 10.
    await useTraceStore.getState().runTrace(ping, doc);
    await useTraceStore.getState().sendMore(10);
    expect(useTraceStore.getState().counters).toMatchObject({ batch: 1, result: { hits: 10, fastPath: 10 } });
  });

  it('never runs two batches at once', async () => {
    await useTraceStore.getState().sendMore(10);
    const before = useTraceStore.getState().counters?.batch ?? 0;
    await Promise.all([useTraceStore.getState().sendMore(10), useTraceStore.getState().sendMore(10)]);
    expect(useTraceStore.getState().counters?.batch).toBe(before + 1);
  });
});
