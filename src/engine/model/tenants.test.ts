import { describe, expect, it } from 'vitest';
import { vlanVsOverlay } from '../../scenarios/builders';
import { nextFreeVlanId, usedVlanIds } from './allocate';
import type { TopologyDocument } from './schema';
import { addTenantNetwork } from './tenants';
import { validateDocument } from './validate';

function messagesOf(doc: TopologyDocument): string[] {
  const result = validateDocument(doc);
  return result.ok ? [] : result.errors.map((e) => e.message);
}

function rulesOf(doc: TopologyDocument): string[] {
  const result = validateDocument(doc);
  return result.ok ? [] : result.errors.map((e) => `${e.field}:${e.rule}`);
}

describe('VLAN-isolated virtual subnets: validation', () => {
  it('accepts the VLAN vs overlay scenario', () => {
    expect(messagesOf(vlanVsOverlay())).toEqual([]);
  });

  it('needs a VLAN ID in 1..4094', () => {
    const doc = vlanVsOverlay();
    const contoso = doc.virtualSubnets.find((s) => s.id === 'contoso-vlan-101');
    if (!contoso) throw new Error('no Contoso VLAN subnet');
    contoso.vlanId = undefined;
    expect(messagesOf(doc)).toEqual([
      "virtual subnet 'Contoso VLAN 101' is isolated by VLAN but has no VLAN ID (it needs one in 1..4094)",
    ]);
    contoso.vlanId = 4095;
    expect(rulesOf(doc)).toEqual(['vlanId:vlan-range']);
  });

  it('keeps tenant VLANs unique, and apart from the provider VLANs', () => {
    const doc = vlanVsOverlay();
    const fabrikam = doc.virtualSubnets.find((s) => s.id === 'fabrikam-vlan-102');
    if (!fabrikam) throw new Error('no Fabrikam VLAN subnet');
    fabrikam.vlanId = 101;
    expect(messagesOf(doc)).toEqual([
      "virtual subnet 'Fabrikam VLAN 102' VLAN 101 is already used by virtual subnet 'Contoso VLAN 101'",
    ]);
    fabrikam.vlanId = 20;
    expect(messagesOf(doc)).toEqual([
      "virtual subnet 'Fabrikam VLAN 102' VLAN 20 is already used by logical subnet 'Rack 2' (the provider network)",
    ]);
  });

  it('needs the VLAN trunked on some logical subnet', () => {
    const doc = vlanVsOverlay();
    for (const ls of doc.logicalSubnets) ls.trunkedVlans = ls.trunkedVlans?.filter((v) => v !== 102);
    expect(rulesOf(doc)).toEqual(['vlanId:vlan-trunked']);
  });
});

describe('add tenant: the 4094 VLAN ceiling against the overlay', () => {
  it('adds one tenant either way', () => {
    const doc = vlanVsOverlay();
    const vlan = addTenantNetwork(doc, { isolation: 'vlan' });
    expect(vlan.ok).toBe(true);
    if (!vlan.ok) return;
    expect(vlan.first).toMatchObject({ name: 'Tenant 3', vlanId: 1, prefix: '172.16.1.0/24' });
    expect(messagesOf(vlan.document)).toEqual([]);
    // The new VLAN is trunked where the tenant VLANs already are.
    expect(vlan.document.logicalSubnets.find((s) => s.id === 'rack-1')?.trunkedVlans).toEqual([101, 102, 1]);
    expect(doc.logicalSubnets.find((s) => s.id === 'rack-1')?.trunkedVlans).toEqual([101, 102]);
    const overlay = addTenantNetwork(doc, { isolation: 'overlay' });
    expect(overlay.ok && overlay.first.vlanId === undefined && overlay.first.prefix).toBe('10.1.1.0/24');
  });

  it('fails past 4094 under VLANs, while the overlay carries on', () => {
    const doc = vlanVsOverlay();
    // Rack 1, Rack 2 and the two tenants use 4 of the 4094 VLAN IDs.
    expect(usedVlanIds(doc).size).toBe(4);
    const fill = addTenantNetwork(doc, { isolation: 'vlan', count: 4090 });
    expect(fill.ok).toBe(true);
    if (!fill.ok) return;
    expect(fill.remaining).toBe(0);
    expect(nextFreeVlanId(fill.document)).toBeUndefined();
    expect(messagesOf(fill.document)).toEqual([]);
    const past = addTenantNetwork(fill.document, { isolation: 'vlan' });
    expect(past).toEqual({
      ok: false,
      added: 0,
      error:
        "cannot add tenant 'Tenant 4093': all 4,094 VLAN IDs (1..4094) are in use on this L2 fabric. The 802.1Q tag has 12 bits; the overlay's 24-bit VSID has room for 16.7 million virtual subnets.",
    });
    const batch = addTenantNetwork(doc, { isolation: 'vlan', count: 5000 });
    expect(batch.ok).toBe(false);
    if (!batch.ok) expect(batch.error).toContain('(after 4,090 tenants were added)');
    const overlay = addTenantNetwork(fill.document, { isolation: 'overlay' });
    expect(overlay.ok).toBe(true);
    const many = addTenantNetwork(doc, { isolation: 'overlay', count: 5000 });
    expect(many.ok && many.added).toBe(5000);
    if (many.ok) expect(messagesOf(many.document)).toEqual([]);
  });
});
