import { describe, expect, it } from 'vitest';
import { multiTenantFixture } from '../engine/model/testDocument';
import { documentIoApi } from './documentIo';

describe('document import, export and share links (worker side)', () => {
  it('imports a valid lab document', async () => {
    const result = await documentIoApi.importDocument(JSON.stringify(multiTenantFixture()));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.document.name).toBe('Multi-tenant');
  });

  it('reports text that is not JSON', async () => {
    const result = await documentIoApi.importDocument('{ nope');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ objectKind: 'file', rule: 'json' });
  });

  it('reports a broken rule naming the object and field', async () => {
    const doc = multiTenantFixture();
    doc.virtualSubnets[0].vsid = 4095;
    const result = await documentIoApi.importDocument(JSON.stringify(doc));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const e = result.errors.find((x) => x.field === 'vsid');
      expect(e?.objectKind).toBe('virtual subnet');
      expect(e?.message).toContain('4095');
    }
  });

  it('exports Network Controller REST JSON and imports it back', async () => {
    const doc = multiTenantFixture();
    const rest = await documentIoApi.exportNcRest(doc);
    expect(rest).toHaveProperty('virtualNetworks');
    const back = await documentIoApi.importDocument(JSON.stringify(rest));
    expect(back.ok).toBe(true);
    if (back.ok) {
      expect(back.format).toBe('nc-rest');
      expect(back.document.vms.map((v) => v.name)).toEqual(doc.vms.map((v) => v.name));
    }
  });

  it('round-trips a document through a share fragment, and refuses a damaged one', async () => {
    const doc = multiTenantFixture();
    const fragment = await documentIoApi.encodeShareLink(doc);
    expect(fragment).toMatch(/^doc=d1\.[A-Za-z0-9_-]+$/);
    const back = await documentIoApi.decodeShareLink(`#${fragment}`);
    expect(back.ok && back.document).toEqual(doc);
    const damaged = await documentIoApi.decodeShareLink(fragment.slice(0, 40));
    expect(damaged.ok).toBe(false);
    expect((await documentIoApi.decodeShareLink('#x=1')).ok).toBe(false);
  });
});
