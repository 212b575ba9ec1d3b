// The fabric's MAC table against a plain Map keyed by the MAC's text, over random operations and
// lookups between them
// (MACs that share their last three bytes land in one bucket: the generator makes many).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MacTable } from './macTable.ts';

const macArb = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }))
  .map(([hi, lo]) => Uint8Array.of(0, 0x15, 0x5d + hi, 0, 0, lo));
const opArb = fc.oneof(
  fc.record({ op: fc.constant('set' as const), mac: macArb, value: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('delete' as const), mac: macArb, value: fc.integer({ min: 0, max: 3 }) }),
  // Lookups between changes: the table remembers its last hit, and a change must not leave it stale.
  fc.record({ op: fc.constant('get' as const), mac: macArb, value: fc.constant(0) }),
);

describe('MacTable', () => {
  it('behaves like a map from MAC to device, read from any offset of a frame', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 20, maxLength: 80 }),
        fc.integer({ min: 0, max: 20 }),
        (ops, at) => {
          const table = new MacTable<number>();
          const reference = new Map<string, number>();
          const text = (m: Uint8Array) => Array.from(m).join(':');
          for (const { op, mac, value } of ops) {
            if (op === 'get') expect(table.get(mac)).toBe(reference.get(text(mac)));
            else if (op === 'set') {
              table.set(mac, value);
              reference.set(text(mac), value);
            } else {
              table.delete(mac, value);
              if (reference.get(text(mac)) === value) reference.delete(text(mac));
            }
          }
          for (let hi = 0; hi < 4; hi++)
            for (let lo = 0; lo < 3; lo++) {
              const mac = Uint8Array.of(0, 0x15, 0x5d + hi, 0, 0, lo);
              const frame = new Uint8Array(at + 14);
              frame.set(mac, at);
              expect(table.get(frame, at)).toBe(reference.get(text(mac)));
            }
        },
      ),
    );
  });
});
