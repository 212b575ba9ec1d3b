import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './shell.ts';

const dir = mkdtempSync(join(tmpdir(), 'hnv-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out: () => out.join(''), err };
}

describe('hnv shell', () => {
  it("prints VSID 5001's lookup records (the issue's example)", async () => {
    const io = capture();
    const code = await run([
      '--scenario',
      'multi-tenant',
      '-c',
      'Get-NetVirtualizationLookupRecord -VirtualSubnetID 5001',
    ]);
    expect(code).toBe(0);
    expect(io.out()).toMatch(
      /CustomerAddress : 10\.1\.1\.11\nVirtualSubnetID : 5001\nMACAddress {6}: 00155D500111\nProviderAddress : 192\.168\.1\.10/,
    );
    expect(io.out()).toMatch(/Rule {12}: TranslationMethodEncap/);
  });

  it('applies each change before the next command, saves the document, and exits 1 on an error', async () => {
    const io = capture();
    const out = join(dir, 'saved.json');
    const code = await run([
      '--scenario',
      'multi-tenant',
      '--save',
      out,
      '-c',
      'New-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.13 -VirtualSubnetID 5001 -MACAddress 00155D500113 -ProviderAddress 192.168.2.20 -Rule TranslationMethodEncap -VMName App',
      '-c',
      'Get-PACAMapping',
      '-c',
      'Get-NetVirtualizationLookupRecord -Bogus 1',
    ]);
    expect(code).toBe(1);
    expect(io.out()).toMatch(/10\.1\.1\.13 +00-15-5D-50-01-13 +5001 192\.168\.2\.2[01]/);
    expect(io.err.join('\n')).toMatch(/-Bogus|'Bogus'/);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.vms.map((v: { name: string }) => v.name)).toContain('App');
  });

  it('names an unknown scenario', async () => {
    const io = capture();
    expect(await run(['--scenario', 'nope', '-c', 'Get-PACAMapping'])).toBe(1);
    expect(io.err.join('\n')).toMatch(/unknown scenario 'nope'/);
  });
});
