// Get- and New-NetVirtualizationProviderAddress (HNVv1's PA cmdlets, per host), and the SDN
// diagnostics a v2 admin runs on a host: Get-ProviderAddress and Get-PACAMapping.
import type { ProviderAddressRecord } from '../../controller/types';
import { CmdletError } from '../bind';
import { CIM_SESSION, type Cmdlet, type CmdletContext, commit, draft, targetHost } from '../cmdlet';
import { formatList, formatTable } from '../format';
import { dashedMac, maskOf, psMac } from '../values';
import { lookupRecords } from './lookupRecord';

function providerAddresses(ctx: CmdletContext): { host: string; pa: ProviderAddressRecord }[] {
  const only = targetHost(ctx);
  const out: { host: string; pa: ProviderAddressRecord }[] = [];
  for (const h of only ? [only] : ctx.env.document.hosts)
    for (const pa of ctx.env.hostTables(h.id)?.providerAddresses ?? []) out.push({ host: h.name, pa });
  return out;
}

/** The InterfaceIndex the lab gives a team member: its position in the host's SET team, from 1. */
function interfaceIndex(ctx: CmdletContext, hostName: string, member: string): number {
  const host = ctx.env.document.hosts.find((h) => h.name === hostName);
  return (host?.teamMembers.findIndex((m) => m.name === member) ?? -1) + 1;
}

export const getProviderAddress: Cmdlet = {
  name: 'Get-NetVirtualizationProviderAddress',
  synopsis: "Gets the provider addresses of the hosts (one host's with -CimSession or in a session).",
  params: [{ name: 'ProviderAddress', type: 'IPAddress', many: true, help: 'the PA' }, CIM_SESSION],
  run(ctx) {
    const wanted = ctx.args.get('ProviderAddress') as string[] | undefined;
    const rows = providerAddresses(ctx)
      .filter(({ pa }) => wanted === undefined || wanted.includes(pa.pa))
      .map(({ host, pa }) => ({
        ProviderAddress: pa.pa,
        InterfaceIndex: interfaceIndex(ctx, host, pa.teamMember),
        PrefixLength: pa.prefixLength,
        VlanID: pa.vlanId,
        AddressState: 'Preferred',
        MACAddress: psMac(pa.mac),
        ManagedByCluster: false,
        PSComputerName: host,
      }));
    return { output: formatList(rows) };
  },
};

export const newProviderAddress: Cmdlet = {
  name: 'New-NetVirtualizationProviderAddress',
  synopsis: 'Adds a provider address to a host (run in its session or with -CimSession).',
  params: [
    {
      name: 'ProviderAddress',
      type: 'IPAddress',
      mandatory: true,
      help: "the PA, in the host's logical subnet",
    },
    { name: 'InterfaceIndex', type: 'UInt32', mandatory: true, help: 'the team member (1 = the first)' },
    { name: 'PrefixLength', type: 'Byte', mandatory: true, help: "the logical subnet's prefix length" },
    { name: 'VlanID', type: 'UInt16', help: "the logical subnet's VLAN" },
    CIM_SESSION,
  ],
  run(ctx) {
    const target = targetHost(ctx);
    if (!target)
      throw new CmdletError(
        'A provider address belongs to one host: run Enter-PSSession -ComputerName <host> first, or add -CimSession <host>.',
      );
    const doc = draft(ctx.env.document);
    const host = doc.hosts.find((h) => h.id === target.id);
    if (!host) throw new CmdletError(`The host ${target.name} is gone.`);
    const pa = ctx.args.get('ProviderAddress') as string;
    const index = ctx.args.get('InterfaceIndex') as number;
    if (index < 1 || index > host.teamMembers.length)
      throw new CmdletError(
        `Cannot validate argument on parameter 'InterfaceIndex'. ${host.name} has ${host.teamMembers.length} team member${host.teamMembers.length === 1 ? '' : 's'} (InterfaceIndex 1..${host.teamMembers.length}).`,
      );
    const ls = doc.logicalSubnets.find((s) => s.id === host.logicalSubnetId);
    const length = ctx.args.get('PrefixLength') as number;
    if (ls && Number(ls.prefix.split('/')[1]) !== length)
      throw new CmdletError(
        `Cannot validate argument on parameter 'PrefixLength'. ${host.name}'s logical subnet ${ls.name} is ${ls.prefix}: PrefixLength ${ls.prefix.split('/')[1]}.`,
      );
    const vlan = ctx.args.get('VlanID') as number | undefined;
    if (ls && vlan !== undefined && vlan !== ls.vlanId)
      throw new CmdletError(
        `Cannot validate argument on parameter 'VlanID'. ${host.name}'s logical subnet ${ls.name} is on VLAN ${ls.vlanId}.`,
      );
    if (host.providerAddresses.includes(pa))
      throw new CmdletError(`${host.name} already has provider address ${pa}.`);
    host.providerAddresses.push(pa);
    return { output: '', change: commit(`New-NetVirtualizationProviderAddress ${host.name} ${pa}`, doc) };
  },
};

export const getPaCaMapping: Cmdlet = {
  name: 'Get-PACAMapping',
  synopsis: 'SDN diagnostics: the CA-PA mappings a host holds (all hosts without a session).',
  params: [CIM_SESSION],
  run(ctx) {
    const rows = lookupRecords(ctx).map((r) => ({
      'CA IP Address': r.caIp,
      'CA MAC Address': dashedMac(r.mac),
      'Virtual Subnet ID': r.vsid,
      'PA IP Address': r.pa,
    }));
    return { output: formatTable(rows) };
  },
};

export const getSdnProviderAddress: Cmdlet = {
  name: 'Get-ProviderAddress',
  synopsis: 'SDN diagnostics: the provider addresses of a host, with their MAC, mask, gateway and VLAN.',
  params: [CIM_SESSION],
  run(ctx) {
    const doc = ctx.env.document;
    const rows = providerAddresses(ctx).map(({ host, pa }) => {
      const ls = doc.logicalSubnets.find((s) => s.id === pa.logicalSubnetId);
      return {
        ProviderAddress: pa.pa,
        'MAC Address': dashedMac(pa.mac),
        'Subnet Mask': maskOf(pa.prefixLength),
        'Default Gateway': ls?.defaultGateway ?? '',
        VLAN: `VLAN${pa.vlanId}`,
        Host: host,
      };
    });
    return { output: formatList(rows) };
  },
};
