// The trace form's choices, derived from the document: one entry per vNIC.
import type { TopologyDocument } from '../../engine/model/schema';
import { isIpv4 as isDottedQuad } from '../../engine/net';

export interface EndpointOption {
  /** vNIC id: what the engine's TraceRequest accepts. */
  value: string;
  /** 'Contoso/Web' */
  label: string;
  caIp: string;
  vsid?: number;
  hostName?: string;
}

export function endpointOptions(doc: TopologyDocument): EndpointOption[] {
  // Indexed once (first id wins, as find did): a 40,000-network import has 10,000 vNICs.
  const byId = <T extends { id: string }>(items: T[]) => {
    const map = new Map<string, T>();
    for (const item of items) if (!map.has(item.id)) map.set(item.id, item);
    return map;
  };
  const subnets = byId(doc.virtualSubnets);
  const networks = byId(doc.vmNetworks);
  const tenants = byId(doc.tenants);
  const hosts = byId(doc.hosts);
  return doc.vms.flatMap((vm) =>
    vm.nics.map((nic) => {
      const subnet = subnets.get(nic.virtualSubnetId);
      const net = subnet === undefined ? undefined : networks.get(subnet.vmNetworkId);
      const tenant = net === undefined ? undefined : tenants.get(net.tenantId);
      const owner = tenant?.name ?? net?.name ?? '?';
      return {
        value: nic.id,
        label: `${owner}/${vm.name}${vm.nics.length > 1 ? ` (${nic.name})` : ''}`,
        caIp: nic.caIp,
        vsid: subnet?.vsid,
        hostName: hosts.get(vm.hostId)?.name,
      };
    }),
  );
}

/**
 * Devices outside the fabric a trace can start from (an internet client on a router-attached
 * link): value and label 'LINK/NAME', as the engine's TraceRequest names them.
 */
export function externalSourceOptions(doc: TopologyDocument): EndpointOption[] {
  const links = new Map(doc.logicalSubnets.map((l) => [l.id, l.name]));
  return (doc.externalEndpoints ?? []).map((e) => {
    const label = `${links.get(e.logicalSubnetId) ?? '?'}/${e.name}`;
    return { value: label, label, caIp: e.ip };
  });
}

/** A sensible first trace: the docs' Web -> SQL ping when those VMs exist, else the first two vNICs. */
export function defaultEndpoints(options: EndpointOption[]): { from: string; to: string } {
  const web = options.find((o) => /\/web\b/i.test(o.label));
  const sql = options.find((o) => /\/sql\b/i.test(o.label) && o.vsid === web?.vsid);
  if (web && sql) return { from: web.value, to: sql.value };
  // Never a VM to itself (no guest pings itself through its vSwitch): another VM, of the same
  // virtual subnet if there is one; none at all leaves the destination to be chosen.
  const from = options[0];
  const others = options.filter((o) => o !== from);
  const to = others.find((o) => o.vsid === from?.vsid) ?? others[0];
  return { from: from?.value ?? '', to: to?.value ?? '' };
}

export const isIpv4 = (text: string) => isDottedQuad(text.trim());
