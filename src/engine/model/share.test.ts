import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index';
import { largeDatacenter } from './builder';
import { decodeShareFragment, encodeShareFragment, fromBase64Url, toBase64Url } from './share';
import { validDocument } from './testArbitraries';
import { multiTenantFixture } from './testDocument';

async function messages(fragment: string): Promise<string[]> {
  const result = await decodeShareFragment(fragment);
  return result.ok ? [] : result.errors.map((e) => e.message);
}

describe('base64url', () => {
  it('round-trips any bytes with URL-safe characters only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64Url(text)).toEqual(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });
});

describe('share links', () => {
  it('round-trip the fixture and every scenario, and stay short', async () => {
    const fragment = await encodeShareFragment(multiTenantFixture());
    expect(fragment).toMatch(/^d1\.[A-Za-z0-9_-]+$/);
    expect(fragment.length).toBeLessThan(JSON.stringify(multiTenantFixture()).length / 2);
    expect(await decodeShareFragment(`#${fragment}`)).toEqual({ ok: true, document: multiTenantFixture() });
    for (const scenario of scenarios) {
      expect(await decodeShareFragment(await encodeShareFragment(scenario.document))).toEqual({
        ok: true,
        document: scenario.document,
      });
    }
  });

  it('also read doc=<base64url> links, which carry the same payload', async () => {
    const fragment = await encodeShareFragment(multiTenantFixture());
    expect(await decodeShareFragment(`#doc=${fragment.slice(3)}`)).toEqual({
      ok: true,
      document: multiTenantFixture(),
    });
  });

  it('round-trip builder-made documents (property)', async () => {
    await fc.assert(
      fc.asyncProperty(validDocument, async (doc) => {
        expect(await decodeShareFragment(await encodeShareFragment(doc))).toEqual({
          ok: true,
          document: doc,
        });
      }),
      { numRuns: 30 },
    );
  });

  it('carry a 10,000-VM datacenter', async () => {
    const doc = largeDatacenter({ hosts: 200, vms: 10_000 });
    const fragment = await encodeShareFragment(doc);
    const result = await decodeShareFragment(fragment);
    expect(result.ok).toBe(true);
  });

  it('explain what is wrong with a damaged link', async () => {
    const good = await encodeShareFragment(multiTenantFixture());
    expect(await messages('hello')).toEqual(['the share link has no format tag (it should start with d1.)']);
    expect(await messages('d9.AAAA')).toEqual([
      "the share link format 'd9' is not known to this lab (it reads d1)",
    ]);
    // An unknown tag behind doc= (as the lab's URLs carry it) is an unknown format, not damage.
    expect(await messages('#doc=zz.AAAA')).toEqual([
      "the share link format 'zz' is not known to this lab (it reads d1)",
    ]);
    expect(await messages(`#doc=${good}`)).toEqual([]);
    expect(await messages('d1.@@@@')).toEqual(['the share link is damaged: it is not base64url text']);
    expect(await messages(good.slice(0, good.length / 2))).toEqual([
      'the share link is damaged: its data does not decompress (was it cut short?)',
    ]);
  });

  it('validate the document inside, after migrating it', async () => {
    const broken = multiTenantFixture();
    broken.virtualSubnets[0].vsid = 4095;
    expect(await messages(await encodeShareFragment(broken))).toEqual([
      "virtual subnet 'Contoso Subnet' VSID 4095 is outside 4096..16777214",
    ]);
    const notJson = await encodeShareFragment('x' as never);
    expect(await messages(notJson)).toEqual(["the document is 'x', not a topology document (a JSON object)"]);
    const future = await encodeShareFragment({ ...multiTenantFixture(), version: 7 } as never);
    expect(await messages(future)).toEqual([
      "document 'Multi-tenant' version 7 is newer than this lab, which reads versions up to 1: update the lab to open it",
    ]);
  });
});
