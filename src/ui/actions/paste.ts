// Copy and paste. Copying takes the selected objects as they are; pasting gives each
// copy a new id and name and the fresh values the store allocated through the
// engine (MAC, CA, PAs, VSID, RDID). References between copied objects follow the
// copies (a copied VM network's copied subnets point at the new network); other
// references keep pointing at the originals.
import type {
  Host,
  LogicalSubnet,
  Router,
  Tenant,
  TopologyDocument,
  VirtualSubnet,
  Vm,
  VmNetwork,
} from '../../engine/model/schema';
import { defineAction, type Point } from './types';
import { copyName } from './util';

export interface Clipboard {
  tenants: Tenant[];
  vmNetworks: VmNetwork[];
  virtualSubnets: VirtualSubnet[];
  vms: Vm[];
  hosts: Host[];
  logicalSubnets: LogicalSubnet[];
  routers: Router[];
  positions: Record<string, { physical?: Point; virtual?: Point }>;
}

/** Fresh values for one copied object, allocated before the paste. */
export interface FreshValues {
  id: string;
  /** VM: one per adapter, in order. */
  nics?: { id: string; mac: string; caIp: string }[];
  /** Host: new PAs and team MACs. */
  providerAddresses?: string[];
  teamMacs?: string[];
  vsid?: number;
  routingDomainId?: string;
}

export function copySelection(doc: TopologyDocument, ids: string[]): Clipboard {
  const want = new Set(ids);
  const pick = <T extends { id: string }>(items: T[]) => structuredClone(items.filter((o) => want.has(o.id)));
  const positions: Clipboard['positions'] = {};
  for (const id of want) {
    positions[id] = { physical: doc.layout?.physical[id], virtual: doc.layout?.virtual[id] };
  }
  return {
    tenants: pick(doc.tenants),
    vmNetworks: pick(doc.vmNetworks),
    virtualSubnets: pick(doc.virtualSubnets),
    vms: pick(doc.vms),
    hosts: pick(doc.hosts),
    logicalSubnets: pick(doc.logicalSubnets),
    routers: pick(doc.routers),
    positions,
  };
}

export function clipboardIsEmpty(c: Clipboard): boolean {
  return (
    c.tenants.length +
      c.vmNetworks.length +
      c.virtualSubnets.length +
      c.vms.length +
      c.hosts.length +
      c.logicalSubnets.length +
      c.routers.length ===
    0
  );
}

/** Every object in the clipboard, with its id: what the store allocates fresh values for. */
export function clipboardObjects(c: Clipboard): { id: string; kind: keyof Omit<Clipboard, 'positions'> }[] {
  const kinds = [
    'tenants',
    'vmNetworks',
    'virtualSubnets',
    'logicalSubnets',
    'hosts',
    'routers',
    'vms',
  ] as const;
  return kinds.flatMap((kind) => (c[kind] as { id: string }[]).map((o) => ({ id: o.id, kind })));
}

const OFFSET = 40;

export const paste = defineAction<{ clipboard: Clipboard; fresh: Record<string, FreshValues> }>(
  'paste',
  'Paste',
  (doc, { clipboard, fresh }) => {
    const newId = (id: string) => fresh[id]?.id ?? id;
    const names = (items: { name: string }[]) => items.map((o) => o.name);
    let next: TopologyDocument = { ...doc };

    for (const t of clipboard.tenants) {
      next.tenants = [...next.tenants, { id: newId(t.id), name: copyName(names(next.tenants), t.name) }];
    }
    for (const n of clipboard.vmNetworks) {
      next.vmNetworks = [
        ...next.vmNetworks,
        {
          ...n,
          id: newId(n.id),
          name: copyName(names(next.vmNetworks), n.name),
          tenantId: newId(n.tenantId),
          routingDomainId: fresh[n.id]?.routingDomainId ?? n.routingDomainId,
        },
      ];
    }
    for (const s of clipboard.virtualSubnets) {
      next.virtualSubnets = [
        ...next.virtualSubnets,
        {
          ...s,
          id: newId(s.id),
          name: copyName(names(next.virtualSubnets), s.name),
          vmNetworkId: newId(s.vmNetworkId),
          vsid: fresh[s.id]?.vsid ?? s.vsid,
        },
      ];
    }
    for (const s of clipboard.logicalSubnets) {
      next.logicalSubnets = [
        ...next.logicalSubnets,
        { ...s, id: newId(s.id), name: copyName(names(next.logicalSubnets), s.name) },
      ];
    }
    for (const h of clipboard.hosts) {
      const f = fresh[h.id];
      next.hosts = [
        ...next.hosts,
        {
          ...h,
          id: newId(h.id),
          name: copyName(names(next.hosts), h.name),
          logicalSubnetId: newId(h.logicalSubnetId),
          teamMembers: h.teamMembers.map((m, i) => ({ ...m, mac: f?.teamMacs?.[i] ?? m.mac })),
          providerAddresses: f?.providerAddresses ?? h.providerAddresses,
        },
      ];
    }
    for (const r of clipboard.routers) {
      // A copied router starts unconnected: its interface addresses belong to the original.
      next.routers = [
        ...next.routers,
        { id: newId(r.id), name: copyName(names(next.routers), r.name), interfaces: [] },
      ];
    }
    for (const vm of clipboard.vms) {
      const f = fresh[vm.id];
      next.vms = [
        ...next.vms,
        {
          ...vm,
          id: newId(vm.id),
          name: copyName(names(next.vms), vm.name),
          hostId: newId(vm.hostId),
          nics: vm.nics.map((n, i) => ({
            ...n,
            id: f?.nics?.[i]?.id ?? `${n.id}-copy`,
            mac: f?.nics?.[i]?.mac ?? n.mac,
            caIp: f?.nics?.[i]?.caIp ?? n.caIp,
            virtualSubnetId: newId(n.virtualSubnetId),
          })),
        },
      ];
    }

    const layout = next.layout ?? { physical: {}, virtual: {} };
    const physical = { ...layout.physical };
    const virtual = { ...layout.virtual };
    for (const [id, p] of Object.entries(clipboard.positions)) {
      if (p.physical) physical[newId(id)] = { x: p.physical.x + OFFSET, y: p.physical.y + OFFSET };
      if (p.virtual) virtual[newId(id)] = { x: p.virtual.x + OFFSET, y: p.virtual.y + OFFSET };
    }
    next = { ...next, layout: { physical, virtual } };
    return next;
  },
);
