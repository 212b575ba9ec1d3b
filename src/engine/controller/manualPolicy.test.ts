// HNVv1 with the policy set by PowerShell (no SCVMM): a live migration leaves the other hosts'
// lookup records stale until the admin updates them (the point the SDN v2 docs make).
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index';
import { createEngine, type Engine } from '../index';
import type { TopologyDocument } from '../model/schema';
import { validateDocument } from '../model/validate';
import { lookupRecordsToSet } from './manualPolicy';

const v1 = (): TopologyDocument =>
  structuredClone(scenarioById('hnv-v1-vs-v2')?.document as TopologyDocument);

function manual(doc: TopologyDocument): TopologyDocument {
  return { ...doc, policySource: 'powershell', lookupRecords: lookupRecordsToSet(doc) };
}

function migrateFabrikamWeb(doc: TopologyDocument): TopologyDocument {
  return { ...doc, vms: doc.vms.map((v) => (v.id === 'fabrikam-web' ? { ...v, hostId: 'host-1' } : v)) };
}

const ping = (e: Engine) => e.trace({ from: 'Fabrikam/SQL', to: 'Fabrikam/Web', protocol: 'icmp' });

describe('HNVv1 policy set by PowerShell', () => {
  it('handing over keeps every record as SCVMM pushed it', () => {
    const e = createEngine();
    e.load(v1());
    const before = e
      .hostTables('host-1')
      ?.lookupRecords.map((r) => `${r.vsid}/${r.caIp}@${r.pa}`)
      .sort();
    expect(e.update(manual(v1())).ok).toBe(true);
    const after = e
      .hostTables('host-1')
      ?.lookupRecords.map((r) => `${r.vsid}/${r.caIp}@${r.pa}`)
      .sort();
    expect(after).toEqual(before);
    expect(ping(e).verdict.outcome).toBe('delivered');
  });

  it('SCVMM follows a live migration; PowerShell policy does not, until Set-NetVirtualizationLookupRecord', () => {
    const scvmm = createEngine();
    scvmm.load(migrateFabrikamWeb(v1()));
    expect(ping(scvmm).verdict.outcome).toBe('delivered');

    const e = createEngine();
    e.load(migrateFabrikamWeb(manual(v1())));
    const stale = ping(e);
    expect(stale.verdict.outcome).toBe('dropped');
    expect(stale.verdict.at).toMatch(/Host 2/); // tunnelled to the old host, which has no port for it
    const record = e
      .hostTables('host-1')
      ?.lookupRecords.find((r) => r.vsid === 6001 && r.caIp === '10.1.1.12');
    expect(record?.pa).toBe('192.168.2.3');

    const fix = e.shell(
      'Set-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.12 -VirtualSubnetID 6001 -ProviderAddress 192.168.1.4',
      {},
    );
    expect(fix.error).toBeUndefined();
    expect(fix.change?.document.vms.find((v) => v.id === 'fabrikam-web')?.hostId).toBe('host-1'); // only the record moved
    expect(e.update(fix.change?.document).ok).toBe(true);
    expect(ping(e).verdict.outcome).toBe('delivered');
  });

  it('New- adds a record (and a VM if none has the CA); Remove- takes only the record', () => {
    const e = createEngine();
    e.load(manual(v1()));
    const made = e.shell(
      'New-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.20 -VirtualSubnetID 6001 -MACAddress 00155D000020 -ProviderAddress 192.168.2.3 -Rule TranslationMethodEncap -VMName Cache',
      {},
    );
    expect(made.error).toBeUndefined();
    const doc = made.change?.document;
    expect(doc?.lookupRecords?.some((r) => r.caIp === '10.1.1.20' && r.pa === '192.168.2.3')).toBe(true);
    expect(doc?.vms.some((v) => v.name === 'Cache' && v.hostId === 'host-2')).toBe(true);
    e.update(doc);
    const gone = e.shell(
      'Remove-NetVirtualizationLookupRecord -CustomerAddress 10.1.1.20 -VirtualSubnetID 6001',
      {},
    );
    expect(gone.change?.document.lookupRecords?.some((r) => r.caIp === '10.1.1.20')).toBe(false);
    expect(gone.change?.document.vms.some((v) => v.name === 'Cache')).toBe(true);
  });

  it('validation names the rule: PowerShell policy is HNVv1 only; records need a VSID, a CA inside it and an owned PA', () => {
    const bad = validateDocument({
      ...manual(v1()),
      hnvMode: 'v2',
      lookupRecords: [
        { caIp: '10.1.1.99', vsid: 7777, mac: '00:15:5d:00:00:99', pa: '192.168.2.3' },
        { caIp: '10.9.9.9', vsid: 6001, mac: '00:15:5d:00:00:98', pa: '192.168.9.9' },
      ],
    });
    expect(bad.ok).toBe(false);
    const rules = bad.ok ? [] : bad.errors.map((e) => `${e.field} ${e.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'policySource manual-policy-v1',
        'lookupRecords[0].vsid record-vsid',
        'lookupRecords[1].caIp record-ca-in-subnet',
        'lookupRecords[1].pa record-pa-owned',
      ]),
    );
  });
});

describe('PowerShell policy in the NC REST export', () => {
  it('round-trips policySource and the records through hnvLab; a bad record names its field', async () => {
    const { toNetworkControllerRest, fromNetworkControllerRest } = await import('../model/rest');
    const doc = manual(v1());
    const back = fromNetworkControllerRest(JSON.parse(JSON.stringify(toNetworkControllerRest(doc))));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.document.policySource).toBe('powershell');
    expect(back.document.lookupRecords).toEqual(doc.lookupRecords);
    const broken = JSON.parse(JSON.stringify(toNetworkControllerRest(doc)));
    broken.hnvLab.lookupRecords[0].vsid = 'five';
    const bad = fromNetworkControllerRest(broken);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0].field).toBe('hnvLab.lookupRecords[0].vsid');
  });
});
