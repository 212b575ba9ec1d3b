// Get-, New- and Remove-NetVirtualizationCustomerRoute: the routes of a routing domain. The
// lab's customer routes are on-link (NextHop 0.0.0.0): one per virtual subnet, the subnets the
// distributed router joins. New- with a VSID the datacenter lacks adds that virtual subnet to
// the VM network of the routing domain (and the VM network, if the domain is new).
import type { CustomerRoute } from '../../controller/types';
import { newId, newRoutingDomainId } from '../../model/allocate';
import type { TopologyDocument } from '../../model/schema';
import { CmdletError } from '../bind';
import { CIM_SESSION, type Cmdlet, type CmdletContext, commit, draft, targetHost } from '../cmdlet';
import { formatList } from '../format';

const braced = (rd: string): string => `{${rd.replace(/^\{|\}$/g, '').toLowerCase()}}`;

export function customerRoutes(ctx: CmdletContext): CustomerRoute[] {
  const only = targetHost(ctx);
  const seen = new Map<string, CustomerRoute>();
  for (const h of only ? [only] : ctx.env.document.hosts)
    for (const r of ctx.env.hostTables(h.id)?.customerRoutes ?? [])
      seen.set(`${braced(r.routingDomainId)}/${r.vsid}/${r.prefix}`, r);
  return [...seen.values()].sort((a, b) => a.vsid - b.vsid);
}

export const getCustomerRoute: Cmdlet = {
  name: 'Get-NetVirtualizationCustomerRoute',
  synopsis: 'Gets the customer routes (the virtual subnets of each routing domain) the host agents hold.',
  params: [
    { name: 'RoutingDomainID', type: 'Guid', help: 'the routing domain (VM network) GUID' },
    { name: 'VirtualSubnetID', type: 'UInt32', many: true, help: 'the VSID' },
    { name: 'DestinationPrefix', type: 'Prefix', help: 'the route prefix' },
    CIM_SESSION,
  ],
  run(ctx) {
    const rd = ctx.args.get('RoutingDomainID') as string | undefined;
    const vsids = ctx.args.get('VirtualSubnetID') as number[] | undefined;
    const prefix = ctx.args.get('DestinationPrefix') as string | undefined;
    const rows = customerRoutes(ctx)
      .filter((r) => rd === undefined || braced(r.routingDomainId) === rd)
      .filter((r) => vsids === undefined || vsids.includes(r.vsid))
      .filter((r) => prefix === undefined || r.prefix === prefix)
      .map((r) => ({
        RoutingDomainID: braced(r.routingDomainId),
        VirtualSubnetID: r.vsid,
        DestinationPrefix: r.prefix,
        NextHop: r.nextHop,
        Metric: r.metric,
      }));
    return { output: formatList(rows) };
  },
};

function ensureNetwork(doc: TopologyDocument, rd: string): { id: string; created: string | null } {
  const existing = doc.vmNetworks.find((n) => braced(n.routingDomainId) === rd);
  if (existing) return { id: existing.id, created: null };
  const short = rd.slice(1, 9);
  // HNVv1's CustomerID is the routing domain: a new one is a new customer (tenant).
  const tenant = { id: newId(doc, 'tenant'), name: `Customer ${short}` };
  doc.tenants.push(tenant);
  const id = newId(doc, 'vmnet');
  const name = `Routing domain ${short}`;
  doc.vmNetworks.push({ id, name, tenantId: tenant.id, routingDomainId: rd.slice(1, -1) });
  return { id, created: `VM network '${name}' (tenant ${tenant.name})` };
}

export const newCustomerRoute: Cmdlet = {
  name: 'New-NetVirtualizationCustomerRoute',
  synopsis: 'Adds an on-link customer route: a virtual subnet (VSID, prefix) of a routing domain.',
  params: [
    { name: 'RoutingDomainID', type: 'Guid', mandatory: true, help: 'the routing domain (VM network) GUID' },
    { name: 'VirtualSubnetID', type: 'UInt32', mandatory: true, help: 'the VSID (4096..16777214)' },
    { name: 'DestinationPrefix', type: 'Prefix', mandatory: true, help: 'the subnet, like 10.1.1.0/24' },
    { name: 'NextHop', type: 'IPAddress', mandatory: true, help: '0.0.0.0: on-link' },
    { name: 'Metric', type: 'UInt32', help: 'route metric (the lab keeps 255)' },
  ],
  run(ctx) {
    const nextHop = ctx.args.get('NextHop') as string;
    if (nextHop !== '0.0.0.0')
      throw new CmdletError(
        `Cannot validate argument on parameter 'NextHop'. The lab models on-link customer routes (NextHop 0.0.0.0), not routes through ${nextHop}.`,
      );
    const doc = draft(ctx.env.document);
    const rd = ctx.args.get('RoutingDomainID') as string;
    const vsid = ctx.args.get('VirtualSubnetID') as number;
    const prefix = ctx.args.get('DestinationPrefix') as string;
    const clash = doc.virtualSubnets.find((s) => s.vsid === vsid);
    if (clash)
      throw new CmdletError(
        `Cannot validate argument on parameter 'VirtualSubnetID'. VSID ${vsid} is already the virtual subnet '${clash.name}' (${clash.prefix}).`,
      );
    const network = ensureNetwork(doc, rd);
    doc.virtualSubnets.push({
      id: newId(doc, 'vsubnet'),
      name: `VSID ${vsid}`,
      vmNetworkId: network.id,
      vsid,
      prefix,
      encapsulation: doc.hnvMode === 'v1' ? 'nvgre' : 'vxlan',
    });
    const made = network.created ? `Created ${network.created}.\n` : '';
    return { output: made, change: commit(`New-NetVirtualizationCustomerRoute ${vsid} ${prefix}`, doc) };
  },
};

export const removeCustomerRoute: Cmdlet = {
  name: 'Remove-NetVirtualizationCustomerRoute',
  synopsis: 'Removes a customer route: the virtual subnet (it must hold no VM).',
  params: [
    { name: 'VirtualSubnetID', type: 'UInt32', mandatory: true, help: 'the VSID' },
    { name: 'RoutingDomainID', type: 'Guid', help: 'the routing domain GUID' },
    { name: 'DestinationPrefix', type: 'Prefix', help: 'the route prefix' },
  ],
  run(ctx) {
    const doc = draft(ctx.env.document);
    const vsid = ctx.args.get('VirtualSubnetID') as number;
    const subnet = doc.virtualSubnets.find((s) => s.vsid === vsid);
    if (!subnet) throw new CmdletError(`No customer route has VirtualSubnetID ${vsid}.`);
    const users = doc.vms.filter((vm) => vm.nics.some((n) => n.virtualSubnetId === subnet.id));
    if (users.length > 0)
      throw new CmdletError(
        `VirtualSubnetID ${vsid} still has VMs (${users.map((v) => v.name).join(', ')}): remove their lookup records first. Nothing changed.`,
      );
    doc.virtualSubnets = doc.virtualSubnets.filter((s) => s !== subnet);
    return { output: '', change: commit(`Remove-NetVirtualizationCustomerRoute ${vsid}`, doc) };
  },
};

/** A routing domain GUID for a new VM network, for `New-Guid`. */
export const newGuidCmdlet: Cmdlet = {
  name: 'New-Guid',
  synopsis: 'Creates a GUID (deterministic in the lab, so lessons can be repeated).',
  params: [],
  run(ctx) {
    const guid = newRoutingDomainId(ctx.env.document);
    return { output: `\nGuid\n----\n${guid.replace(/^\{|\}$/g, '')}\n` };
  },
};
