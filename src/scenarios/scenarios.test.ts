import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index.ts';
import { validateDocument } from '../engine/model/validate.ts';
import { scenarios } from './index.ts';

describe('built-in scenarios', () => {
  it.each(scenarios.map((s) => [s.id, s] as const))(
    '%s is valid, laid out, and loads into the engine',
    (_id, s) => {
      expect(validateDocument(s.document)).toMatchObject({ ok: true });
      expect(Object.keys(s.document.layout?.physical ?? {}).length).toBeGreaterThan(0);
      expect(Object.keys(s.document.layout?.virtual ?? {}).length).toBeGreaterThan(0);
      expect(createEngine().load(s.document).ok).toBe(true);
    },
  );

  it('multi-tenant uses the docs values: the SQL and Web vNICs use PAs 192.168.1.10 and 192.168.2.20', () => {
    const engine = createEngine();
    engine.load(scenarios[0].document);
    const records = engine.hostTables('host-1')?.lookupRecords ?? [];
    for (const r of records) expect(r.pa).toBe(r.vmLabel.endsWith('/SQL') ? '192.168.1.10' : '192.168.2.20');
    expect([...new Set(records.map((r) => r.vsid))].sort()).toEqual([5001, 6001]);
  });
});
