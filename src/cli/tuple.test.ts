import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './tuple.ts';

afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out, err };
}

describe('hnv tuple', () => {
  it('prints the port, the tuple, each layer and the result; exit 0 when allowed', async () => {
    const io = capture();
    const code = await run([
      '--scenario',
      'multi-tenant',
      '--port',
      'Contoso/Web',
      '--direction',
      'out',
      '--proto',
      'tcp',
      '--dst',
      '10.1.1.11',
      '--dport',
      '1433',
    ]);
    expect(code).toBe(0);
    const text = io.out.join('\n');
    expect(text).toMatch(/Tuple {5}: 10\.1\.1\.12:50000 -> 10\.1\.1\.11:1433 TCP/);
    expect(text).toMatch(/vnet +vnet_out +ca-pa-5001 +400 encapsulate in VXLAN VNI 5001/);
    expect(text).toMatch(/Result {4}: Allowed/);
  });

  it('--json gives the groups; a bad direction is named', async () => {
    const io = capture();
    expect(
      await run([
        '--scenario',
        'multi-tenant',
        '--port',
        'Contoso/SQL',
        '--direction',
        'in',
        '--proto',
        'icmp',
        '--src',
        '10.1.1.12',
        '--json',
      ]),
    ).toBe(0);
    expect(JSON.parse(io.out.join('\n')).groups.length).toBeGreaterThan(0);
    expect(
      await run(['--scenario', 'multi-tenant', '--port', 'Contoso/SQL', '--direction', 'sideways']),
    ).toBe(1);
    expect(io.err.join('\n')).toMatch(/--direction must be in or out/);
  });
});
