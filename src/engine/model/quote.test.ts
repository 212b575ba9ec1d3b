import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDocument } from './migrations';
import { clip, QUOTE_HEAD, QUOTE_WHOLE_MAX, show } from './quote';
import { fromNetworkControllerRest, toNetworkControllerRest } from './rest';
import { decodeShareFragment } from './share';
import { multiTenantFixture } from './testDocument';
import { formatValidationError, type ValidationError } from './validate';

describe('clip', () => {
  it('keeps short values whole and cuts long ones to 60 characters and their length', () => {
    expect(clip('Web')).toBe('Web');
    expect(clip('x'.repeat(QUOTE_WHOLE_MAX))).toBe('x'.repeat(QUOTE_WHOLE_MAX));
    expect(clip('ab'.repeat(25_000_000))).toBe(`${'ab'.repeat(30)}… (50000000 characters)`);
    expect(show('0'.repeat(100))).toBe(`'${'0'.repeat(QUOTE_HEAD)}… (100 characters)'`);
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `${'a'.repeat(QUOTE_HEAD - 1)}${'😀'.repeat(40)}`;
    expect(clip(text)).toBe(`${'a'.repeat(QUOTE_HEAD - 1)}… (${text.length} characters)`);
  });

  it('writes bidi controls as code points, so a quoted value cannot reorder the sentence', () => {
    expect(clip('evil\u202eexe.txt')).toBe('evil<U+202E>exe.txt');
    expect(clip('\u2066a\u2069\u200e\u200f\u061c')).toBe('<U+2066>a<U+2069><U+200E><U+200F><U+061C>');
  });
});

// ---------------------------------------------------------------------------------------
// Property: whatever value lands wherever in a document or a REST export, every message
// stays short. A message quotes at most a few values (the object, the value, the holder),
// each at most ~85 characters once clipped.

const MESSAGE_MAX = 600;
const LINE_MAX = 1000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside a JSON tree (objects and lists included, the root excluded). */
function pathsOf(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      pathsOf(item, [...prefix, i], out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

function setAt(root: Json, path: (string | number)[], replacement: unknown): void {
  let current = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) current = current[key] as Record<string | number, unknown>;
  current[path[path.length - 1]] = replacement;
}

/** Long strings (up to 200k characters), bidi controls, JSON values of any shape. */
const nastyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 10, max: 25_000 }))
    .map(([s, n]) => s.repeat(n)),
  fc
    .tuple(fc.constantFrom('\u202e', '\u2066', '\u200f', '\u061c'), fc.string({ maxLength: 10 }))
    .map(([c, s]) => `${s}${c}${s}`),
  fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.anything({ maxDepth: 2, maxKeys: 3, key: nastyString, values: [nastyString, fc.integer()] }),
  fc.constantFrom(null, [], {}, [null], [{}], Number.NaN, 1e300, -1, 1.5),
  nastyString.map((key) => ({ [key]: 5 })),
);

function expectShort(errors: readonly ValidationError[]): void {
  for (const error of errors) {
    expect(error.message.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(formatValidationError(error).length).toBeLessThanOrEqual(LINE_MAX);
  }
}

function mutated(base: unknown) {
  const json = JSON.parse(JSON.stringify(base)) as Json;
  const paths = pathsOf(json);
  return fc.tuple(fc.integer({ min: 0, max: paths.length - 1 }), nastyValue).map(([i, value]) => {
    const copy = JSON.parse(JSON.stringify(base)) as Json;
    setAt(copy, paths[i], value);
    return copy;
  });
}

describe('every message for any input value stays short (property)', () => {
  it('lab documents', () => {
    fc.assert(
      fc.property(mutated(multiTenantFixture()), (doc) => {
        const result = loadDocument(doc);
        if (!result.ok) expectShort(result.errors);
      }),
      { numRuns: 400 },
    );
  });

  it('Network Controller REST exports, which never throw either', () => {
    fc.assert(
      fc.property(mutated(toNetworkControllerRest(multiTenantFixture())), (rest) => {
        const result = fromNetworkControllerRest(rest);
        if (!result.ok) expectShort(result.errors);
      }),
      { numRuns: 400 },
    );
  });

  it('share links', async () => {
    await fc.assert(
      fc.asyncProperty(nastyString, async (text) => {
        const result = await decodeShareFragment(text);
        if (!result.ok) expectShort(result.errors);
      }),
      { numRuns: 100 },
    );
  });

  it('a 50 MB MAC and a 5 MB name make messages of a line', () => {
    const doc = JSON.parse(JSON.stringify(multiTenantFixture()));
    doc.vms[0].nics[0].mac = '0'.repeat(50_000_000);
    doc.vms[1].name = 'n'.repeat(5_000_000);
    const result = loadDocument(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message)).toEqual([
      `vNIC SQL/nic0 MAC '${'0'.repeat(60)}… (50000000 characters)' is not a MAC like 00:15:5d:01:02:03 (lower case, colons)`,
      `VM '${'n'.repeat(60)}… (5000000 characters)' name is longer than 64 characters`,
    ]);
  });
});
