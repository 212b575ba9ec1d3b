// readFields reads a table through cached displays and address texts; readField reads one
// row with no cache. Whatever the bytes and however warm the caches, they must agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arpFields } from './arp.ts';
import { formatMac, numberToIpv4 } from './bytes.ts';
import { ethernetFields } from './ethernet.ts';
import { createContext, ipv4Text, macText, readField, readFields } from './fields.ts';
import { greFields } from './gre.ts';
import { icmpFields } from './icmp.ts';
import { ipv4Fields } from './ipv4.ts';
import { tcpFields } from './tcp.ts';
import type { FieldNode, FieldSpec } from './types.ts';
import { udpFields } from './udp.ts';
import { vlanFields } from './vlan.ts';
import { vxlanFields } from './vxlan.ts';

const tables: [string, FieldSpec[]][] = [
  ['ethernet', ethernetFields],
  ['vlan', vlanFields],
  ['arp', arpFields],
  ['ipv4', ipv4Fields],
  ['icmp', icmpFields],
  ['udp', udpFields],
  ['tcp', tcpFields],
  ['vxlan', vxlanFields],
  ['gre', greFields],
];

const flatten = (nodes: FieldNode[]): FieldNode[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);

describe('readFields with caches', () => {
  it('gives, row for row, what readField gives without them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...tables),
        // Few distinct byte values now and then, so cached displays and texts are hit as well as filled.
        fc.oneof(
          fc.uint8Array({ minLength: 64, maxLength: 64 }),
          fc.constantFrom(new Uint8Array(64), new Uint8Array(64).fill(0x45)),
        ),
        fc.nat(7),
        ([, table], bytes, base) => {
          for (let round = 0; round < 2; round++) {
            const out: FieldNode[] = [];
            expect(readFields(bytes, table, base, bytes.length, createContext(bytes), out, 'x')).toBe(true);
            const rows = flatten(out);
            expect(rows.map((n) => n.key).sort()).toEqual(table.map((s) => s.key).sort());
            for (const node of rows) {
              const spec = table.find((s) => s.key === node.key) as FieldSpec;
              expect({ ...node, children: undefined }).toEqual(readField(bytes, spec, base + spec.offset));
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('address texts are formatMac / numberToIpv4, whatever was cached in the same slot before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 50 }),
        (macs) => {
          for (const m of [...macs, ...macs]) {
            expect(macText(m, 0)).toBe(formatMac(m, 0));
            const n = ((m[0] << 24) | (m[1] << 16) | (m[2] << 8) | m[3]) >>> 0;
            expect(ipv4Text(n)).toBe(numberToIpv4(n));
          }
        },
      ),
      { numRuns: 200 },
    );
    expect(macText(new Uint8Array(6), 0)).toBe('00:00:00:00:00:00');
    expect(ipv4Text(0)).toBe('0.0.0.0');
  });
});
