// The lab runs under a CSP without 'unsafe-eval' (scripts/vite/csp.ts): validating a
// document must never compile code at run time. zod compiles a fast path for object
// schemas with `new Function` unless it runs jitless; this test traps the constructor.
import { afterEach, expect, test, vi } from 'vitest';
import multiTenant from '../../scenarios/multi-tenant.json';

const realFunction = globalThis.Function;

afterEach(() => {
  globalThis.Function = realFunction;
  vi.resetModules();
});

test('validating a document builds no function from a string', async () => {
  const compiled: string[] = [];
  globalThis.Function = new Proxy(realFunction, {
    construct(target, args) {
      compiled.push(String(args.at(-1)).slice(0, 60));
      return Reflect.construct(target, args);
    },
    apply(target, self, args) {
      compiled.push(String(args.at(-1)).slice(0, 60));
      return Reflect.apply(target, self, args);
    },
  });
  vi.resetModules();
  const { validateDocument } = await import('./validate.ts');
  const result = validateDocument(multiTenant);
  expect(result.ok).toBe(true);
  // Twice: the second parse is the one a JIT would have compiled for.
  expect(validateDocument(multiTenant).ok).toBe(true);
  expect(compiled).toEqual([]);
});
