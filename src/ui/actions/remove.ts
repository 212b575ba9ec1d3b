// Deleting a selection. Containers take their contents along (a tenant its VM
// networks and subnets, a subnet its adapters — and a VM left without any adapter);
// infrastructure that still carries something is refused with the reason, so a
// single key press never silently strands VMs or hosts. Undo brings everything back.
import type { TopologyDocument } from '../../engine/model/schema';
import { dropFlowsOfGoneVnics } from './flows';
import { ActionError, defineAction } from './types';

function quoteList(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => `'${n}'`);
  return names.length > 3 ? `${shown.join(', ')} and ${names.length - 3} more` : shown.join(', ');
}

export const deleteObjects = defineAction<{ ids: string[] }>('deleteObjects', 'Delete', (doc, args) => {
  const ids = new Set(args.ids);
  const tenants = new Set(doc.tenants.filter((t) => ids.has(t.id)).map((t) => t.id));
  const vmNetworks = new Set(
    doc.vmNetworks.filter((n) => ids.has(n.id) || tenants.has(n.tenantId)).map((n) => n.id),
  );
  const virtualSubnets = new Set(
    doc.virtualSubnets.filter((s) => ids.has(s.id) || vmNetworks.has(s.vmNetworkId)).map((s) => s.id),
  );
  const acls = new Set(doc.acls.filter((a) => ids.has(a.id)).map((a) => a.id));
  const routers = new Set(doc.routers.filter((r) => ids.has(r.id)).map((r) => r.id));
  const hosts = new Set(doc.hosts.filter((h) => ids.has(h.id)).map((h) => h.id));
  const logicalSubnets = new Set(doc.logicalSubnets.filter((s) => ids.has(s.id)).map((s) => s.id));
  const logicalNetworks = new Set(doc.logicalNetworks.filter((n) => ids.has(n.id)).map((n) => n.id));

  // VMs: deleted when selected, or when every adapter goes with its subnet.
  const vms = doc.vms
    .filter((vm) => !ids.has(vm.id))
    .map((vm) => ({ ...vm, nics: vm.nics.filter((n) => !virtualSubnets.has(n.virtualSubnetId)) }))
    .filter((vm) => vm.nics.length > 0);
  const keptVmIds = new Set(vms.map((v) => v.id));

  const stranded = doc.vms.filter((vm) => keptVmIds.has(vm.id) && hosts.has(vm.hostId));
  if (stranded.length > 0) {
    const host = doc.hosts.find((h) => h.id === stranded[0].hostId)!;
    throw new ActionError(
      `${host.name} still runs ${quoteList(stranded.map((v) => v.name))}: migrate or delete ${stranded.length === 1 ? 'it' : 'them'} first.`,
    );
  }
  const orphanHosts = doc.hosts.filter((h) => !hosts.has(h.id) && logicalSubnets.has(h.logicalSubnetId));
  if (orphanHosts.length > 0) {
    const subnet = doc.logicalSubnets.find((s) => s.id === orphanHosts[0].logicalSubnetId)!;
    throw new ActionError(
      `${quoteList(orphanHosts.map((h) => h.name))} ${orphanHosts.length === 1 ? 'takes its' : 'take their'} PAs from '${subnet.name}': move ${orphanHosts.length === 1 ? 'it' : 'them'} to another logical subnet first.`,
    );
  }
  const orphanSubnets = doc.logicalSubnets.filter(
    (s) => !logicalSubnets.has(s.id) && logicalNetworks.has(s.logicalNetworkId),
  );
  if (orphanSubnets.length > 0) {
    throw new ActionError(`The logical network still holds ${quoteList(orphanSubnets.map((s) => s.name))}.`);
  }

  const removedIds = new Set([
    ...tenants,
    ...vmNetworks,
    ...virtualSubnets,
    ...acls,
    ...routers,
    ...hosts,
    ...logicalSubnets,
    ...logicalNetworks,
    ...doc.vms.filter((v) => !keptVmIds.has(v.id)).map((v) => v.id),
  ]);
  if (removedIds.size === 0) return doc;

  const pruneLayout = (positions: Record<string, { x: number; y: number }>) =>
    Object.fromEntries(Object.entries(positions).filter(([id]) => !removedIds.has(id)));

  const next: TopologyDocument = {
    ...doc,
    tenants: doc.tenants.filter((t) => !tenants.has(t.id)),
    vmNetworks: doc.vmNetworks.filter((n) => !vmNetworks.has(n.id)),
    virtualSubnets: doc.virtualSubnets
      .filter((s) => !virtualSubnets.has(s.id))
      .map((s) => (s.aclId && acls.has(s.aclId) ? { ...s, aclId: undefined } : s)),
    acls: doc.acls.filter((a) => !acls.has(a.id)),
    vms: vms.map((vm) =>
      vm.nics.some((n) => n.aclId && acls.has(n.aclId))
        ? { ...vm, nics: vm.nics.map((n) => (n.aclId && acls.has(n.aclId) ? { ...n, aclId: undefined } : n)) }
        : vm,
    ),
    hosts: doc.hosts.filter((h) => !hosts.has(h.id)),
    logicalNetworks: doc.logicalNetworks.filter((n) => !logicalNetworks.has(n.id)),
    logicalSubnets: doc.logicalSubnets.filter((s) => !logicalSubnets.has(s.id)),
    routers: doc.routers
      .filter((r) => !routers.has(r.id))
      .map((r) =>
        r.interfaces.some((i) => logicalSubnets.has(i.logicalSubnetId))
          ? { ...r, interfaces: r.interfaces.filter((i) => !logicalSubnets.has(i.logicalSubnetId)) }
          : r,
      ),
  };
  // Strip undefined optional fields so the JSON stays clean.
  next.virtualSubnets = next.virtualSubnets.map(({ aclId, ...rest }) => (aclId ? { ...rest, aclId } : rest));
  next.vms = next.vms.map((vm) => ({
    ...vm,
    nics: vm.nics.map(({ aclId, ...rest }) => (aclId ? { ...rest, aclId } : rest)),
  }));
  if (doc.layout)
    next.layout = { physical: pruneLayout(doc.layout.physical), virtual: pruneLayout(doc.layout.virtual) };
  return dropFlowsOfGoneVnics(doc, next);
});
