// Field edits from the properties panel. Values are stored as typed, even when the
// engine's validation will flag them: an invalid document stays editable.
import type {
  AclRule,
  CollectionName,
  RouterInterface,
  TeamMember,
  TopologyDocument,
  Vnic,
} from '../../engine/model/schema';
import { dropFlowsOfGoneVnics } from './flows';
import { ActionError, defineAction } from './types';
import { newObjectId, uniqueName } from './util';

type Item<C extends CollectionName> = TopologyDocument[C][number];
export type Patch<C extends CollectionName> = Partial<Omit<Item<C>, 'id'>>;

export type UpdateArgs = {
  [C in CollectionName]: { collection: C; id: string; patch: Patch<C> };
}[CollectionName];

function updateIn<C extends CollectionName>(
  doc: TopologyDocument,
  collection: C,
  id: string,
  change: (item: Item<C>) => Item<C>,
): TopologyDocument {
  const items = doc[collection] as Item<C>[];
  if (!items.some((o) => o.id === id)) throw new ActionError('That object no longer exists.');
  return { ...doc, [collection]: items.map((o) => (o.id === id ? change(o) : o)) };
}

export const updateObject = defineAction<UpdateArgs>('updateObject', 'Edit', (doc, args) =>
  updateIn(doc, args.collection, args.id, (o) => ({ ...o, ...args.patch }) as typeof o),
);

/**
 * Edit the document's own fields. Switching to HNVv1 also moves overlay subnets to NVGRE: v1
 * (Windows Server 2012 R2) has no VXLAN, and validation would refuse them. Back to v2 they stay
 * NVGRE, which v2 still carries.
 */
export const updateDocument = defineAction<{ patch: Partial<Pick<TopologyDocument, 'name' | 'hnvMode'>> }>(
  'updateDocument',
  'Edit datacenter',
  (doc, args) => {
    const next = { ...doc, ...args.patch };
    if (args.patch.hnvMode !== 'v1' || doc.hnvMode === 'v1') return next;
    const vxlan = (s: TopologyDocument['virtualSubnets'][number]) =>
      s.isolation !== 'vlan' && s.encapsulation === 'vxlan';
    if (!doc.virtualSubnets.some(vxlan)) return next;
    return {
      ...next,
      virtualSubnets: doc.virtualSubnets.map((s) =>
        vxlan(s) ? { ...s, encapsulation: 'nvgre' as const } : s,
      ),
    };
  },
);

/**
 * HNVv1: who writes the lookup records. To PowerShell, with the records the controller pushes
 * now (`records`); back to the controller, the hand-set records are dropped.
 */
export const setPolicySource = defineAction<{
  source: 'controller' | 'powershell';
  records?: TopologyDocument['lookupRecords'];
}>('setPolicySource', 'Change who sets the policy', (doc, { source, records }) => {
  const { policySource: _s, lookupRecords: _r, ...rest } = doc;
  return source === 'powershell'
    ? { ...rest, policySource: 'powershell', lookupRecords: records ?? [] }
    : rest;
});

export const updateNic = defineAction<{ vmId: string; nicId: string; patch: Partial<Omit<Vnic, 'id'>> }>(
  'updateNic',
  'Edit network adapter',
  (doc, args) =>
    updateIn(doc, 'vms', args.vmId, (vm) => ({
      ...vm,
      nics: vm.nics.map((n) => (n.id === args.nicId ? { ...n, ...args.patch } : n)),
    })),
);

export const addNic = defineAction<{
  vmId: string;
  nicId: string;
  virtualSubnetId: string;
  caIp: string;
  mac: string;
}>('addNic', 'Add network adapter', (doc, args) =>
  updateIn(doc, 'vms', args.vmId, (vm) => ({
    ...vm,
    nics: [
      ...vm.nics,
      {
        id: args.nicId,
        name: uniqueName(
          vm.nics.map((n) => n.name),
          'Ethernet',
        ),
        mac: args.mac,
        caIp: args.caIp,
        virtualSubnetId: args.virtualSubnetId,
      },
    ],
  })),
);

export const removeNic = defineAction<{ vmId: string; nicId: string }>(
  'removeNic',
  'Remove network adapter',
  (doc, args) =>
    dropFlowsOfGoneVnics(
      doc,
      updateIn(doc, 'vms', args.vmId, (vm) => {
        if (vm.nics.length <= 1)
          throw new ActionError('A VM keeps at least one network adapter; delete the VM instead.');
        return { ...vm, nics: vm.nics.filter((n) => n.id !== args.nicId) };
      }),
    ),
);

export const updateTeamMember = defineAction<{ hostId: string; index: number; patch: Partial<TeamMember> }>(
  'updateTeamMember',
  'Edit team member',
  (doc, args) =>
    updateIn(doc, 'hosts', args.hostId, (h) => ({
      ...h,
      teamMembers: h.teamMembers.map((m, i) => (i === args.index ? { ...m, ...args.patch } : m)),
    })),
);

export const setTeam = defineAction<{
  hostId: string;
  teamMembers: TeamMember[];
  providerAddresses: string[];
}>('setTeam', 'Edit NIC team', (doc, args) => {
  if (args.teamMembers.length === 0)
    throw new ActionError('A host needs at least one physical NIC in its team.');
  return updateIn(doc, 'hosts', args.hostId, (h) => ({
    ...h,
    teamMembers: args.teamMembers,
    providerAddresses: args.providerAddresses,
  }));
});

export const updateRouterInterface = defineAction<{
  routerId: string;
  index: number;
  patch: Partial<RouterInterface>;
}>('updateRouterInterface', 'Edit router interface', (doc, args) =>
  updateIn(doc, 'routers', args.routerId, (r) => ({
    ...r,
    interfaces: r.interfaces.map((itf, i) => (i === args.index ? { ...itf, ...args.patch } : itf)),
  })),
);

export const addAclRule = defineAction<{ aclId: string; ruleId?: string; rule?: Partial<AclRule> }>(
  'addAclRule',
  'Add ACL rule',
  (doc, args) =>
    updateIn(doc, 'acls', args.aclId, (acl) => {
      const priority = acl.rules.reduce((max, r) => Math.max(max, r.priority), 0) + 100;
      const rule: AclRule = {
        id: args.ruleId ?? newObjectId('rule'),
        name: uniqueName(
          acl.rules.map((r) => r.name),
          'rule',
        ),
        priority: Math.min(priority, 65500),
        direction: 'inbound',
        action: 'deny',
        protocol: 'tcp',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '*',
        ...args.rule,
      };
      return { ...acl, rules: [...acl.rules, rule] };
    }),
);

export const updateAclRule = defineAction<{
  aclId: string;
  ruleId: string;
  patch: Partial<Omit<AclRule, 'id'>>;
}>('updateAclRule', 'Edit ACL rule', (doc, args) =>
  updateIn(doc, 'acls', args.aclId, (acl) => ({
    ...acl,
    rules: acl.rules.map((r) => (r.id === args.ruleId ? { ...r, ...args.patch } : r)),
  })),
);

export const removeAclRule = defineAction<{ aclId: string; ruleId: string }>(
  'removeAclRule',
  'Remove ACL rule',
  (doc, args) =>
    updateIn(doc, 'acls', args.aclId, (acl) => ({
      ...acl,
      rules: acl.rules.filter((r) => r.id !== args.ruleId),
    })),
);
