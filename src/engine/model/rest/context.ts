// What every resource's toNc / fromNc shares: indexes of the document on export, and on
// import the document being built plus the gaps a plain NC export leaves for allocation.
import type {
  HnvMode,
  Host,
  LogicalNetwork,
  LogicalSubnet,
  TopologyDocument,
  VirtualSubnet,
  Vm,
} from '../schema';
import type { RestReader } from './reader';
import { IP_CONFIGURATION_ID, refs } from './refs';
import type { ResourceRef } from './types';

export interface ExportContext {
  doc: TopologyDocument;
  subnetsByNetwork: Map<string, VirtualSubnet[]>;
  logicalSubnetsByNetwork: Map<string, LogicalSubnet[]>;
  logicalSubnetById: Map<string, LogicalSubnet>;
  subnetById: Map<string, VirtualSubnet>;
  tenantOfNetwork: Map<string, string>;
  ipConfigurationsOfSubnet: Map<string, ResourceRef[]>;
  /** Logical networks with a host on them: the PA networks (networkVirtualizationEnabled). */
  paNetworks: Set<string>;
  paNetwork: LogicalNetwork | undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item));
    if (list === undefined) groups.set(key(item), [item]);
    else list.push(item);
  }
  return groups;
}

export function exportContext(doc: TopologyDocument): ExportContext {
  const logicalSubnetById = new Map(doc.logicalSubnets.map((s) => [s.id, s]));
  const ipConfigurationsOfSubnet = new Map<string, ResourceRef[]>();
  for (const vm of doc.vms) {
    for (const nic of vm.nics) {
      const list = ipConfigurationsOfSubnet.get(nic.virtualSubnetId) ?? [];
      list.push({ resourceRef: refs.ipConfiguration(nic.id, IP_CONFIGURATION_ID) });
      ipConfigurationsOfSubnet.set(nic.virtualSubnetId, list);
    }
  }
  const paNetworks = new Set<string>();
  for (const host of doc.hosts) {
    const ls = logicalSubnetById.get(host.logicalSubnetId);
    if (ls !== undefined) paNetworks.add(ls.logicalNetworkId);
  }
  return {
    doc,
    subnetsByNetwork: groupBy(doc.virtualSubnets, (s) => s.vmNetworkId),
    logicalSubnetsByNetwork: groupBy(doc.logicalSubnets, (s) => s.logicalNetworkId),
    logicalSubnetById,
    subnetById: new Map(doc.virtualSubnets.map((s) => [s.id, s])),
    tenantOfNetwork: new Map(doc.vmNetworks.map((n) => [n.id, n.tenantId])),
    ipConfigurationsOfSubnet,
    paNetworks,
    paNetwork: doc.logicalNetworks.find((n) => paNetworks.has(n.id)),
  };
}

export interface ImportState {
  doc: TopologyDocument;
  reader: RestReader;
  hnvMode: HnvMode;
  /** A tenantId met in resource metadata becomes a tenant if the lab's list lacks it. */
  ensureTenant(tenantId: string): void;
  subnetsWithoutVsid: VirtualSubnet[];
  networksWithoutRdid: Set<string>;
  hostsWithoutPas: Host[];
  membersWithoutMac: { host: Host; index: number }[];
  vmById: Map<string, Vm>;
}
