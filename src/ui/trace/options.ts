// The trace form's choices, derived from the document: one entry per vNIC.
import type { TopologyDocument } from '../../engine/model/schema';

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
  return doc.vms.flatMap((vm) =>
    vm.nics.map((nic) => {
      const subnet = doc.virtualSubnets.find((s) => s.id === nic.virtualSubnetId);
      const net = doc.vmNetworks.find((n) => n.id === subnet?.vmNetworkId);
      const tenant = doc.tenants.find((t) => t.id === net?.tenantId);
      const owner = tenant?.name ?? net?.name ?? '?';
      return {
        value: nic.id,
        label: `${owner}/${vm.name}${vm.nics.length > 1 ? ` (${nic.name})` : ''}`,
        caIp: nic.caIp,
        vsid: subnet?.vsid,
        hostName: doc.hosts.find((h) => h.id === vm.hostId)?.name,
      };
    }),
  );
}

/** A sensible first trace: the docs' Web -> SQL ping when those VMs exist, else the first two vNICs. */
export function defaultEndpoints(options: EndpointOption[]): { from: string; to: string } {
  const web = options.find((o) => /\/web\b/i.test(o.label));
  const sql = options.find((o) => /\/sql\b/i.test(o.label) && o.vsid === web?.vsid);
  if (web && sql) return { from: web.value, to: sql.value };
  return { from: options[0]?.value ?? '', to: options[1]?.value ?? options[0]?.value ?? '' };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
export const isIpv4 = (text: string) => IPV4.test(text.trim());
