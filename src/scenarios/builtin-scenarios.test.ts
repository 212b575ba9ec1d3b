import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../engine/model/validate';
import { scenarioBuilders } from './builders';
import { scenarios } from './index';

const here = dirname(fileURLToPath(import.meta.url));

describe('built-in scenarios', () => {
  it.each(scenarios.map((s) => [s.id, s] as const))('%s validates', (_id, scenario) => {
    const result = validateDocument(scenario.document);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(scenario.title).not.toBe('');
    expect(scenario.description.length).toBeGreaterThan(40);
  });

  it('have unique ids and include the lessons’ scenarios', () => {
    const ids = scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'multi-tenant',
      'routing-domains',
      'vlan-vs-overlay',
      'live-migration',
      'hnv-v1-vs-v2',
      'mtu-trouble',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it.each(Object.keys(scenarioBuilders))(
    '%s.json is what builders.ts describes (regenerate with write-scenarios.ts)',
    (id) => {
      const committed = JSON.parse(readFileSync(join(here, `${id}.json`), 'utf8'));
      expect(committed).toEqual(scenarioBuilders[id]());
    },
  );

  it('every object of a built scenario has a position in each view it appears in', () => {
    for (const build of Object.values(scenarioBuilders)) {
      const doc = build();
      const physical = doc.layout?.physical ?? {};
      const virtual = doc.layout?.virtual ?? {};
      for (const o of [...doc.hosts, ...doc.logicalSubnets, ...doc.routers, ...doc.vms])
        expect(physical[o.id]).toBeDefined();
      for (const o of [...doc.tenants, ...doc.vmNetworks, ...doc.virtualSubnets, ...doc.vms])
        expect(virtual[o.id]).toBeDefined();
    }
  });

  it('vlan-vs-overlay: tenants overlap in the overlay, while the tenant VLANs are distinct subnets', () => {
    const doc = scenarioBuilders['vlan-vs-overlay']();
    expect(doc.virtualSubnets.map((s) => [s.isolation ?? 'overlay', s.vlanId ?? s.vsid, s.prefix])).toEqual([
      ['overlay', 5001, '10.1.1.0/24'],
      ['overlay', 6001, '10.1.1.0/24'],
      ['vlan', 101, '10.1.1.0/24'],
      ['vlan', 102, '10.2.1.0/24'],
    ]);
    expect(doc.logicalSubnets.map((s) => [s.name, s.vlanId, s.trunkedVlans ?? []])).toEqual([
      ['Rack 1', 10, [101, 102]],
      ['Rack 2', 20, []],
    ]);
  });

  it('live-migration: three hosts on two logical subnets, Contoso SQL on Host 1', () => {
    const doc = scenarioBuilders['live-migration']();
    expect(doc.hosts.map((h) => [h.name, h.logicalSubnetId])).toEqual([
      ['Host 1', 'pa-subnet-1'],
      ['Host 2', 'pa-subnet-1'],
      ['Host 3', 'pa-subnet-2'],
    ]);
    expect(doc.vms.find((vm) => vm.id === 'contoso-sql')?.hostId).toBe('host-1');
  });

  it('hnv-v1-vs-v2: NVGRE everywhere and one PA per VSID per host', () => {
    const doc = scenarioBuilders['hnv-v1-vs-v2']();
    expect(doc.hnvMode).toBe('v1');
    expect(doc.virtualSubnets.every((s) => s.encapsulation === 'nvgre')).toBe(true);
    expect(doc.hosts.map((h) => h.providerAddresses.length)).toEqual([3, 2]);
  });

  it('mtu-trouble: every PA subnet has MTU 1500 and the two VMs are on different hosts', () => {
    const doc = scenarioBuilders['mtu-trouble']();
    expect(doc.logicalSubnets.map((s) => s.mtu)).toEqual([1500, 1500]);
    expect(new Set(doc.vms.map((vm) => vm.hostId)).size).toBe(2);
  });
});
