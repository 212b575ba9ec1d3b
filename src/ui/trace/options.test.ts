import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultEndpoints, type EndpointOption } from './options';

const vm = (name: string, vsid: number): EndpointOption =>
  ({ value: name, label: `T/${name}`, vsid }) as EndpointOption;

describe('defaultEndpoints', () => {
  it('a lone VM gets no destination (not itself); the user picks one', () => {
    expect(defaultEndpoints([vm('VM 1', 5001)])).toEqual({ from: 'VM 1', to: '' });
  });

  it('prefers another VM of the same virtual subnet', () => {
    expect(defaultEndpoints([vm('A', 5001), vm('B', 6001), vm('C', 5001)])).toEqual({ from: 'A', to: 'C' });
    expect(defaultEndpoints([vm('A', 5001), vm('B', 6001)])).toEqual({ from: 'A', to: 'B' });
  });

  it('never pairs a VM with itself (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }), fc.integer({ min: 4096, max: 4100 })), {
          selector: ([name]) => name,
        }),
        (vms) => {
          const { from, to } = defaultEndpoints(vms.map(([name, vsid]) => vm(name, vsid)));
          if (to !== '') expect(to).not.toBe(from);
          if (vms.length > 1) expect(to).not.toBe('');
        },
      ),
    );
  });
});
