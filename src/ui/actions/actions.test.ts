import { describe, expect, it } from 'vitest';
import type { TopologyDocument } from '../../engine/model/schema';
import multiTenant from '../../scenarios/multi-tenant.json';
import { blankDocument } from '../store/document';
import {
  ActionError,
  addAclRule,
  addHost,
  addLogicalSubnet,
  addRouter,
  addTenant,
  addVirtualSubnet,
  addVm,
  addVmNetwork,
  connectHost,
  connectRouter,
  copySelection,
  deleteObjects,
  moveNodes,
  paste,
  placeVm,
  removeNic,
  updateDocument,
  updateNic,
  updateObject,
} from './index';

const freeze = (doc: TopologyDocument) => JSON.parse(JSON.stringify(doc)) as TopologyDocument;

/** The multi-tenant datacenter, built the way the palette builds it. */
function buildMultiTenant(): TopologyDocument {
  let doc = blankDocument();
  doc = addLogicalSubnet.perform(doc, {
    id: 'pa1',
    prefix: '192.168.1.0/24',
    vlanId: 11,
    defaultGateway: '192.168.1.1',
  });
  doc = addLogicalSubnet.perform(doc, {
    id: 'pa2',
    prefix: '192.168.2.0/24',
    vlanId: 12,
    defaultGateway: '192.168.2.1',
  });
  doc = addRouter.perform(doc, { id: 'tor' });
  doc = connectRouter.perform(doc, {
    routerId: 'tor',
    logicalSubnetId: 'pa1',
    ip: '192.168.1.1',
    mac: '00:1d:d8:ff:00:01',
  });
  doc = connectRouter.perform(doc, {
    routerId: 'tor',
    logicalSubnetId: 'pa2',
    ip: '192.168.2.1',
    mac: '00:1d:d8:ff:00:02',
  });
  doc = addHost.perform(doc, {
    id: 'h1',
    logicalSubnetId: 'pa1',
    teamMacs: ['00:1d:d8:00:01:01', '00:1d:d8:00:01:02'],
    providerAddresses: ['192.168.1.10', '192.168.1.11'],
  });
  doc = addHost.perform(doc, {
    id: 'h2',
    logicalSubnetId: 'pa2',
    teamMacs: ['00:1d:d8:00:02:01', '00:1d:d8:00:02:02'],
    providerAddresses: ['192.168.2.20', '192.168.2.21'],
  });
  for (const [t, vsid, macBase] of [
    ['contoso', 5001, '01'],
    ['fabrikam', 6001, '02'],
  ] as const) {
    doc = addTenant.perform(doc, { id: t, name: t === 'contoso' ? 'Contoso' : 'Fabrikam' });
    doc = addVmNetwork.perform(doc, {
      id: `${t}-net`,
      tenantId: t,
      routingDomainId: `${vsid}0000-1111-4111-8111-111111111111`.slice(-36),
    });
    doc = addVirtualSubnet.perform(doc, {
      id: `${t}-sub`,
      vmNetworkId: `${t}-net`,
      vsid,
      prefix: '10.1.1.0/24',
    });
    doc = addVm.perform(doc, {
      id: `${t}-sql`,
      name: 'SQL',
      hostId: 'h1',
      virtualSubnetId: `${t}-sub`,
      caIp: '10.1.1.11',
      mac: `00:15:5d:00:${macBase}:11`,
    });
    doc = addVm.perform(doc, {
      id: `${t}-web`,
      name: 'Web',
      hostId: 'h2',
      virtualSubnetId: `${t}-sub`,
      caIp: '10.1.1.12',
      mac: `00:15:5d:00:${macBase}:12`,
    });
  }
  return doc;
}

describe('create actions', () => {
  it('build the multi-tenant datacenter from an empty document', () => {
    const doc = buildMultiTenant();
    expect(doc.hosts.map((h) => h.name)).toEqual(['Host 1', 'Host 2']);
    expect(doc.logicalSubnets.map((s) => s.name)).toEqual(['PA subnet 1', 'PA subnet 2']);
    expect(doc.logicalNetworks).toHaveLength(1);
    expect(doc.routers[0].interfaces.map((i) => i.ip)).toEqual(['192.168.1.1', '192.168.2.1']);
    expect(doc.vms.filter((v) => v.nics[0].caIp === '10.1.1.11')).toHaveLength(2);
    expect(doc.virtualSubnets.map((s) => [s.vsid, s.encapsulation])).toEqual([
      [5001, 'vxlan'],
      [6001, 'vxlan'],
    ]);
    expect(doc.hosts[0].teamMembers.map((m) => m.name)).toEqual(['NIC1', 'NIC2']);
  });

  it('never mutate their input', () => {
    const doc = buildMultiTenant();
    const before = freeze(doc);
    addVm.perform(doc, {
      id: 'x',
      hostId: 'h1',
      virtualSubnetId: 'contoso-sub',
      caIp: '10.1.1.13',
      mac: '00:15:5d:00:01:13',
    });
    deleteObjects.perform(doc, { ids: ['contoso'] });
    updateObject.perform(doc, { collection: 'hosts', id: 'h1', patch: { name: 'Renamed' } });
    expect(doc).toEqual(before);
  });

  it('refuse objects whose parent is missing, with a message', () => {
    const doc = blankDocument();
    expect(() => addVmNetwork.perform(doc, { id: 'n', tenantId: 'nope', routingDomainId: 'x' })).toThrow(
      ActionError,
    );
    expect(() =>
      addVm.perform(doc, {
        id: 'v',
        hostId: 'nope',
        virtualSubnetId: 'nope',
        caIp: '10.0.0.2',
        mac: '00:15:5d:00:00:02',
      }),
    ).toThrow(/host/);
  });

  it('store drop positions in the layout of the view', () => {
    const doc = addRouter.perform(blankDocument(), {
      id: 'r',
      view: 'physical',
      position: { x: 10.4, y: 20.6 },
    });
    expect(doc.layout?.physical.r).toEqual({ x: 10, y: 21 });
  });

  it('default encapsulation follows the HNV mode', () => {
    let doc: TopologyDocument = { ...blankDocument(), hnvMode: 'v1' };
    doc = addTenant.perform(doc, { id: 't' });
    doc = addVmNetwork.perform(doc, { id: 'n', tenantId: 't', routingDomainId: 'x' });
    doc = addVirtualSubnet.perform(doc, { id: 's', vmNetworkId: 'n', vsid: 5001, prefix: '10.0.0.0/24' });
    expect(doc.virtualSubnets[0].encapsulation).toBe('nvgre');
  });
});

describe('wiring', () => {
  it('placeVm moves a VM to another host (live migration) and keeps its CA', () => {
    const doc = placeVm.perform(buildMultiTenant(), { vmId: 'contoso-web', hostId: 'h1' });
    const vm = doc.vms.find((v) => v.id === 'contoso-web')!;
    expect(vm.hostId).toBe('h1');
    expect(vm.nics[0].caIp).toBe('10.1.1.12');
  });

  it('connectHost changes the logical subnet and the PAs together', () => {
    const doc = connectHost.perform(buildMultiTenant(), {
      hostId: 'h1',
      logicalSubnetId: 'pa2',
      providerAddresses: ['192.168.2.30', '192.168.2.31'],
    });
    expect(doc.hosts[0]).toMatchObject({
      logicalSubnetId: 'pa2',
      providerAddresses: ['192.168.2.30', '192.168.2.31'],
    });
  });

  it('connectRouter refuses a second interface in the same subnet', () => {
    expect(() =>
      connectRouter.perform(buildMultiTenant(), {
        routerId: 'tor',
        logicalSubnetId: 'pa1',
        ip: '192.168.1.2',
        mac: '00:1d:d8:ff:00:09',
      }),
    ).toThrow(/already has an interface/);
  });
});

describe('updates', () => {
  it('edit a vNIC field and keep other adapters untouched', () => {
    const built = buildMultiTenant();
    const doc = updateNic.perform(built, {
      vmId: 'contoso-sql',
      nicId: built.vms[0].nics[0].id,
      patch: { caIp: '10.1.1.50' },
    });
    expect(doc.vms[0].nics[0].caIp).toBe('10.1.1.50');
    expect(doc.vms[1]).toBe(built.vms[1]);
  });

  it('keep invalid values as typed (validation is the engine’s job)', () => {
    const doc = updateObject.perform(buildMultiTenant(), {
      collection: 'virtualSubnets',
      id: 'contoso-sub',
      patch: { prefix: '10.1.' },
    });
    expect(doc.virtualSubnets[0].prefix).toBe('10.1.');
  });

  it('switching to HNVv1 moves VXLAN subnets to NVGRE (v1 has no VXLAN); back to v2 they stay', () => {
    const doc = freeze(multiTenant as TopologyDocument);
    const v1 = updateDocument.perform(doc, { patch: { hnvMode: 'v1' } });
    expect(v1.hnvMode).toBe('v1');
    expect(v1.virtualSubnets.map((s) => s.encapsulation)).toEqual(doc.virtualSubnets.map(() => 'nvgre'));
    expect(doc.virtualSubnets.map((s) => s.encapsulation)).toEqual(doc.virtualSubnets.map(() => 'vxlan'));
    const v2 = updateDocument.perform(v1, { patch: { hnvMode: 'v2' } });
    expect(v2.virtualSubnets).toBe(v1.virtualSubnets);
  });

  it('a VM keeps at least one adapter', () => {
    const doc = buildMultiTenant();
    expect(() => removeNic.perform(doc, { vmId: 'contoso-sql', nicId: doc.vms[0].nics[0].id })).toThrow(
      /at least one/,
    );
  });

  it('ACL rules get increasing priorities', () => {
    let doc: TopologyDocument = {
      ...buildMultiTenant(),
      acls: [{ id: 'a', name: 'A', defaultAction: 'allow', rules: [] }],
    };
    doc = addAclRule.perform(doc, { aclId: 'a', ruleId: 'r1' });
    doc = addAclRule.perform(doc, { aclId: 'a', ruleId: 'r2' });
    expect(doc.acls[0].rules.map((r) => r.priority)).toEqual([100, 200]);
  });

  it('moveNodes records rounded positions per view', () => {
    const doc = moveNodes.perform(buildMultiTenant(), {
      view: 'virtual',
      positions: { contoso: { x: 1.2, y: 2.7 } },
    });
    expect(doc.layout?.virtual.contoso).toEqual({ x: 1, y: 3 });
    expect(doc.layout?.physical).toEqual({});
  });
});

describe('delete', () => {
  it('a tenant takes its VM networks, subnets and the VMs that lived only there', () => {
    const doc = deleteObjects.perform(buildMultiTenant(), { ids: ['contoso'] });
    expect(doc.tenants.map((t) => t.id)).toEqual(['fabrikam']);
    expect(doc.vmNetworks.map((n) => n.id)).toEqual(['fabrikam-net']);
    expect(doc.virtualSubnets.map((s) => s.id)).toEqual(['fabrikam-sub']);
    expect(doc.vms.map((v) => v.id)).toEqual(['fabrikam-sql', 'fabrikam-web']);
  });

  it('refuses a host that still runs VMs, naming them', () => {
    expect(() => deleteObjects.perform(buildMultiTenant(), { ids: ['h1'] })).toThrow(
      /Host 1 still runs 'SQL', 'SQL'/,
    );
  });

  it('deletes a host together with its VMs when both are selected', () => {
    const doc = deleteObjects.perform(buildMultiTenant(), { ids: ['h1', 'contoso-sql', 'fabrikam-sql'] });
    expect(doc.hosts.map((h) => h.id)).toEqual(['h2']);
    expect(doc.vms).toHaveLength(2);
  });

  it('refuses a logical subnet hosts take PAs from, and unhooks routers from a deleted one', () => {
    expect(() => deleteObjects.perform(buildMultiTenant(), { ids: ['pa1'] })).toThrow(/takes its PAs/);
    let doc = buildMultiTenant();
    doc = deleteObjects.perform(doc, { ids: ['h1', 'contoso-sql', 'fabrikam-sql', 'pa1'] });
    expect(doc.routers[0].interfaces.map((i) => i.logicalSubnetId)).toEqual(['pa2']);
  });

  it('clears references to a deleted ACL', () => {
    let doc: TopologyDocument = {
      ...buildMultiTenant(),
      acls: [{ id: 'a', name: 'A', defaultAction: 'deny', rules: [] }],
    };
    doc = updateObject.perform(doc, {
      collection: 'virtualSubnets',
      id: 'contoso-sub',
      patch: { aclId: 'a' },
    });
    doc = deleteObjects.perform(doc, { ids: ['a'] });
    expect('aclId' in doc.virtualSubnets[0]).toBe(false);
  });

  it('prunes layout positions of deleted objects', () => {
    let doc = moveNodes.perform(buildMultiTenant(), { view: 'physical', positions: { tor: { x: 1, y: 1 } } });
    doc = deleteObjects.perform(doc, { ids: ['tor'] });
    expect(doc.layout?.physical).toEqual({});
  });
});

describe('copy and paste', () => {
  it('copies get new ids, names, MACs and CAs; references between copies follow them', () => {
    const doc = buildMultiTenant();
    const clipboard = copySelection(doc, ['contoso-sql']);
    const next = paste.perform(doc, {
      clipboard,
      fresh: {
        'contoso-sql': { id: 'sql-2', nics: [{ id: 'nic-2', mac: '00:15:5d:00:01:99', caIp: '10.1.1.13' }] },
      },
    });
    const copy = next.vms.find((v) => v.id === 'sql-2')!;
    expect(copy.name).toBe('SQL copy');
    expect(copy.hostId).toBe('h1');
    expect(copy.nics[0]).toMatchObject({
      id: 'nic-2',
      mac: '00:15:5d:00:01:99',
      caIp: '10.1.1.13',
      virtualSubnetId: 'contoso-sub',
    });
  });

  it('a copied subnet with its VM points the VM at the new subnet and takes the new VSID', () => {
    const doc = buildMultiTenant();
    const clipboard = copySelection(doc, ['contoso-sub', 'contoso-web']);
    const next = paste.perform(doc, {
      clipboard,
      fresh: {
        'contoso-sub': { id: 'sub-2', vsid: 5002 },
        'contoso-web': { id: 'web-2', nics: [{ id: 'n2', mac: '00:15:5d:00:01:98', caIp: '10.1.1.12' }] },
      },
    });
    expect(next.virtualSubnets.find((s) => s.id === 'sub-2')?.vsid).toBe(5002);
    expect(next.vms.find((v) => v.id === 'web-2')?.nics[0].virtualSubnetId).toBe('sub-2');
  });

  it('pasting twice numbers the copies', () => {
    const doc = buildMultiTenant();
    const clipboard = copySelection(doc, ['tor']);
    const once = paste.perform(doc, { clipboard, fresh: { tor: { id: 'r2' } } });
    const twice = paste.perform(once, { clipboard, fresh: { tor: { id: 'r3' } } });
    expect(twice.routers.map((r) => r.name)).toEqual(['Router 1', 'Router 1 copy', 'Router 1 copy 2']);
    expect(twice.routers[1].interfaces).toEqual([]);
  });
});

describe('built-in scenario', () => {
  it('the palette-built datacenter has the same VMs and CAs as the multi-tenant scenario', () => {
    const key = (vms: { name: string; nics: { caIp: string }[] }[]) =>
      vms.map((v) => `${v.name} ${v.nics[0].caIp}`).sort();
    expect(key(buildMultiTenant().vms)).toEqual(key(multiTenant.vms));
  });
});
