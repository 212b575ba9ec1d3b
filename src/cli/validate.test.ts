import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toNetworkControllerRest } from '../engine/model/rest.ts';
import { multiTenantFixture } from '../engine/model/testDocument.ts';
import { run } from './validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'hnv-validate-'));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function runCapturing(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    out.push(String(line));
  });
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
    err.push(String(line));
  });
  const code = await run(args);
  return { code, out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('hnv validate', () => {
  it('prints a one-line summary and exits 0 for a valid document', async () => {
    const path = file('valid.json', JSON.stringify(multiTenantFixture()));
    expect(await runCapturing([path])).toEqual({
      code: 0,
      out: ['valid: 2 tenants, 4 VMs, 2 hosts'],
      err: [],
    });
  });

  it('prints each error on its own line and exits 1', async () => {
    const doc = multiTenantFixture();
    doc.virtualSubnets[0].vsid = 4095;
    doc.vms[1].nics[0].caIp = '10.1.1.1';
    const path = file('broken.json', JSON.stringify(doc));
    expect(await runCapturing([path])).toEqual({
      code: 1,
      out: [
        "error: virtual subnet 'Contoso Subnet' VSID 4095 is outside 4096..16777214  [virtual subnet Contoso Subnet.vsid: vsid-range]",
        "error: vNIC Contoso/Web CA 10.1.1.1 is the distributed router's gateway for 10.1.1.0/24  [vNIC Contoso/Web.nics[0].caIp: ca-not-gateway]",
      ],
      err: [],
    });
  });

  it('HNVv1 with a VXLAN subnet, and a gateway MAC a vNIC of its VSID holds: each named', async () => {
    const doc = multiTenantFixture();
    doc.hnvMode = 'v1';
    doc.virtualSubnets[1].encapsulation = 'nvgre';
    doc.hosts[0].providerAddresses = ['192.168.1.10', '192.168.1.11'];
    doc.virtualSubnets[1].gatewayMac = '00:15:5d:00:02:11';
    const path = file('v1.json', JSON.stringify(doc));
    const { code, out } = await runCapturing([path]);
    expect(code).toBe(1);
    expect(out.filter((l) => l.includes('virtual subnet'))).toEqual([
      "error: virtual subnet 'Contoso Subnet' uses VXLAN, but HNVv1 (Windows Server 2012 R2) encapsulates in NVGRE only: set it to NVGRE or the datacenter to HNVv2  [virtual subnet Contoso Subnet.encapsulation: v1-nvgre-only]",
      "error: virtual subnet 'Fabrikam Subnet' gateway MAC 00:15:5d:00:02:11 is the MAC of vNIC Fabrikam/SQL in the same VSID 6001  [virtual subnet Fabrikam Subnet.gatewayMac: gateway-mac-not-vnic]",
    ]);
  });

  it('upgrades an older document before validating it', async () => {
    const doc = multiTenantFixture() as unknown as Record<string, unknown>;
    const v0 = {
      ...doc,
      version: 0,
      vms: multiTenantFixture().vms.map(({ nics, ...vm }) => ({ ...vm, nic: nics[0] })),
    };
    expect(await runCapturing([file('v0.json', JSON.stringify(v0))])).toMatchObject({ code: 0 });
  });

  it('refuses a newer document with one clear line', async () => {
    const path = file('v9.json', JSON.stringify({ ...multiTenantFixture(), version: 9 }));
    const result = await runCapturing([path]);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      "error: document 'Multi-tenant' version 9 is newer than this lab, which reads versions up to 1: update the lab to open it  [document Multi-tenant.version: version]",
    ]);
  });

  it('says so in one line when the file is missing or not JSON', async () => {
    const missing = await runCapturing([join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toEqual([`hnv validate: cannot read ${join(dir, 'nope.json')}: no such file`]);
    const notJson = await runCapturing([file('bad.json', '{"version": 1,')]);
    expect(notJson.code).toBe(1);
    expect(notJson.err).toHaveLength(1);
    expect(notJson.err[0]).toMatch(/^hnv validate: .*bad\.json is not JSON: /);
  });

  it('prints usage without a file', async () => {
    expect(await runCapturing([])).toEqual({ code: 1, out: [], err: ['usage: hnv validate DOC.json'] });
  });

  it("accepts the lab's own Network Controller REST export, with the same checks as the UI import", async () => {
    const path = file('nc.json', JSON.stringify(toNetworkControllerRest(multiTenantFixture())));
    expect(await runCapturing([path])).toEqual({
      code: 0,
      out: ['valid (Network Controller REST): 2 tenants, 4 VMs, 2 hosts'],
      err: [],
    });
    const rest = toNetworkControllerRest(multiTenantFixture()) as unknown as {
      virtualNetworks: { properties: { subnets: { properties: Record<string, unknown> }[] } }[];
    };
    rest.virtualNetworks[0].properties.subnets[0].properties.vsid = '9999';
    expect(await runCapturing([file('nc-bad.json', JSON.stringify(rest))])).toEqual({
      code: 1,
      out: [
        "error: virtual subnet 'contoso-web' properties.vsid '9999' is not a number  [virtual subnet contoso-web.properties.vsid: type]",
      ],
      err: [],
    });
  });

  it('prints a short line for a 50 MB MAC', async () => {
    const doc = multiTenantFixture();
    doc.vms[0].nics[0].mac = 'f'.repeat(50_000_000);
    const result = await runCapturing([file('huge.json', JSON.stringify(doc))]);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      `error: vNIC SQL/nic0 MAC '${'f'.repeat(60)}… (50000000 characters)' is not a MAC like 00:15:5d:01:02:03 (lower case, colons)  [vNIC SQL/nic0.nics[0].mac: format]`,
    ]);
  });
});
