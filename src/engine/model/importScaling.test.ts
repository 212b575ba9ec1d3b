// The import of an NC REST export, its validation and its compile do work linear in the
// document's size. Measured without a clock: every array search (includes, indexOf, find,
// filter, some, ...) adds the length of the array it searched to a counter. Linear code
// searches whole arrays a bounded number of times; a search inside a loop over the objects
// (the old `networksWithoutRdid.includes`) makes the count grow with the square of the size.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../index';
import { fromNetworkControllerRest } from './rest';
import { plainNcExport } from './testNcRest';

const SEARCHES = [
  'includes',
  'indexOf',
  'lastIndexOf',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
  'every',
  'filter',
] as const;

let scanned = 0;

/** Runs `work` with every array search adding its array's length to `scanned`. */
function countingSearches<R>(work: () => R): R {
  const proto = Array.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = SEARCHES.map((name) => [name, proto[name]] as const);
  for (const [name, original] of originals) {
    proto[name] = function (this: unknown[], ...args: unknown[]) {
      scanned += this.length;
      return original.apply(this, args);
    };
  }
  try {
    return work();
  } finally {
    for (const [name, original] of originals) proto[name] = original;
  }
}

/** Elements searched while importing, validating and compiling an export of `networks` networks. */
function searchedElements(exportOf: (networks: number) => Record<string, unknown>, networks: number): number {
  const input = exportOf(networks);
  scanned = 0;
  const loaded = countingSearches(() => {
    const imported = fromNetworkControllerRest(input);
    if (!imported.ok) throw new Error(imported.errors[0]?.message);
    return createEngine().load(imported.document);
  });
  expect(loaded.errors).toEqual([]);
  return scanned;
}

describe('NC REST import scales linearly', () => {
  it('HNVv2, no routing domain IDs in the export: 4x the networks, at most ~4x the searching', () => {
    const small = searchedElements((n) => plainNcExport(n), 1000);
    const large = searchedElements((n) => plainNcExport(n), 4000);
    expect(small).toBeGreaterThan(0);
    // Linear: 4x. Quadratic: 16x (the old importer searched 4000 x 4000 ids here).
    expect(large / small).toBeLessThan(5);
  });

  it('HNVv1 with PAs to allocate on as many hosts as there are networks / 50', () => {
    const v1 = (n: number) => {
      const input = plainNcExport(n, { servers: n / 50 });
      input.hnvLab = { hnvMode: 'v1' };
      const ln = (
        input.logicalNetworks as { properties: { subnets: { properties: { addressPrefix: string } }[] } }[]
      )[0];
      ln.properties.subnets[0].properties.addressPrefix = '172.16.0.0/16';
      return input;
    };
    const small = searchedElements(v1, 1000);
    const large = searchedElements(v1, 4000);
    expect(large / small).toBeLessThan(5);
  });
});
