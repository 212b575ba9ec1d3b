import { describe, expect, it } from 'vitest';
import { DocumentVersionError, loadDocument, migrateDocument } from './migrations';
import { multiTenantFixture } from './testDocument';

/** The fixture as the v0 prototype saved it: one `nic` per VM, no `nics`. */
function v0Fixture(withVersion: boolean): Record<string, unknown> {
  const { version: _version, vms, ...rest } = multiTenantFixture();
  const v0: Record<string, unknown> = {
    ...rest,
    vms: vms.map(({ nics, ...vm }) => ({ ...vm, nic: nics[0] })),
  };
  if (withVersion) v0.version = 0;
  return v0;
}

describe('migrateDocument', () => {
  it('leaves a current document as it is', () => {
    const doc = multiTenantFixture();
    expect(migrateDocument(doc)).toBe(doc);
  });

  it('upgrades v0 (vms[].nic) to v1 (vms[].nics), with or without an explicit version', () => {
    for (const withVersion of [true, false]) {
      const v0 = v0Fixture(withVersion);
      const before = JSON.stringify(v0);
      expect(migrateDocument(v0)).toEqual(multiTenantFixture());
      expect(JSON.stringify(v0)).toBe(before); // the input is not mutated
    }
  });

  it('refuses a newer version with a clear error', () => {
    expect(() => migrateDocument({ ...multiTenantFixture(), version: 2 })).toThrow(DocumentVersionError);
    expect(() => migrateDocument({ ...multiTenantFixture(), version: 2 })).toThrow(
      'document version 2 is newer than this lab, which reads versions up to 1: update the lab to open it',
    );
  });

  it('hands anything else to validation untouched', () => {
    expect(migrateDocument('text')).toBe('text');
    const odd = { version: 'one' };
    expect(migrateDocument(odd)).toBe(odd);
  });
});

describe('loadDocument', () => {
  it('migrates and validates', () => {
    const result = loadDocument(v0Fixture(true));
    expect(result.ok).toBe(true);
  });

  it('turns a newer version into a validation error', () => {
    expect(loadDocument({ version: 5, name: 'Future' })).toEqual({
      ok: false,
      errors: [
        {
          objectKind: 'document',
          objectName: 'Future',
          field: 'version',
          rule: 'version',
          message:
            "document 'Future' version 5 is newer than this lab, which reads versions up to 1: update the lab to open it",
        },
      ],
    });
  });
});
