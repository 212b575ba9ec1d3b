// Get-, New-, Set- and Remove-NetVirtualizationLookupRecord: the CA-PA mappings. In the lab a
// lookup record is what a vNIC is: its CA and MAC in a virtual subnet (VSID), on the host
// that owns the PA. New- adds a vNIC (a VM if VMName is new), Set- moves or re-addresses it,
// Remove- takes it away; the controller then pushes the records to every host.
import type { LookupRecord } from '../../controller/types';
import { newId } from '../../model/allocate';
import type { TopologyDocument, VirtualSubnet } from '../../model/schema';
import { CmdletError, type ParamSpec } from '../bind';
import { CIM_SESSION, type Cmdlet, type CmdletContext, commit, draft, targetHost } from '../cmdlet';
import { formatList, type Row } from '../format';
import { psMac } from '../values';

const RULES = ['TranslationMethodEncap', 'TranslationMethodNat'] as const;

/** Every record the host agents hold, once each (or one host's, with -CimSession / a session). */
export function lookupRecords(ctx: CmdletContext): LookupRecord[] {
  const only = targetHost(ctx);
  const hosts = only ? [only] : ctx.env.document.hosts;
  const seen = new Map<string, LookupRecord>();
  for (const h of hosts)
    for (const r of ctx.env.hostTables(h.id)?.lookupRecords ?? []) seen.set(`${r.vsid}/${r.caIp}`, r);
  return [...seen.values()].sort(
    (a, b) => a.vsid - b.vsid || a.caIp.localeCompare(b.caIp, 'en', { numeric: true }),
  );
}

function recordRow(doc: TopologyDocument, r: LookupRecord): Row {
  const vm = doc.vms.find((v) => v.id === r.vmId);
  return {
    CustomerAddress: r.caIp,
    VirtualSubnetID: r.vsid,
    MACAddress: psMac(r.mac),
    ProviderAddress: r.pa,
    CustomerID: r.routingDomainId.startsWith('{') ? r.routingDomainId : `{${r.routingDomainId}}`,
    Context: '',
    Rule: r.rule,
    VMName: vm?.name ?? r.vmLabel,
    UseVmMACAddress: false,
    Type: 'Static',
  };
}

const FILTERS: ParamSpec[] = [
  { name: 'CustomerAddress', type: 'IPAddress', many: true, help: 'the CA (VM IP) of the records' },
  { name: 'VirtualSubnetID', type: 'UInt32', many: true, help: 'the VSID of the records' },
  { name: 'ProviderAddress', type: 'IPAddress', many: true, help: 'the PA of the host the VM runs on' },
  { name: 'MACAddress', type: 'MAC', many: true, help: "the vNIC's MAC" },
  { name: 'VMName', type: 'String', many: true, help: "the VM's name" },
];

function matches(ctx: CmdletContext, r: LookupRecord, row: Row): boolean {
  const a = ctx.args;
  const has = (name: string, value: unknown): boolean => {
    const wanted = a.get(name) as unknown[] | undefined;
    return (
      wanted === undefined || wanted.some((w) => String(w).toLowerCase() === String(value).toLowerCase())
    );
  };
  return (
    has('CustomerAddress', r.caIp) &&
    has('VirtualSubnetID', r.vsid) &&
    has('ProviderAddress', r.pa) &&
    has('MACAddress', r.mac) &&
    has('VMName', row.VMName)
  );
}

export const getLookupRecord: Cmdlet = {
  name: 'Get-NetVirtualizationLookupRecord',
  synopsis: 'Gets the lookup records (CA-PA mappings) the host agents hold.',
  params: [...FILTERS, CIM_SESSION],
  run(ctx) {
    const doc = ctx.env.document;
    const rows = lookupRecords(ctx)
      .map((r) => [r, recordRow(doc, r)] as const)
      .filter(([r, row]) => matches(ctx, r, row))
      .map(([, row]) => row);
    return { output: formatList(rows) };
  },
};

function subnetOfVsid(doc: TopologyDocument, vsid: number): VirtualSubnet {
  const subnet = doc.virtualSubnets.find((s) => s.vsid === vsid);
  if (!subnet)
    throw new CmdletError(
      `Cannot validate argument on parameter 'VirtualSubnetID'. No virtual subnet has VSID ${vsid} (VSIDs here: ${doc.virtualSubnets.map((s) => s.vsid).join(', ') || 'none'}); add one with New-NetVirtualizationCustomerRoute.`,
    );
  return subnet;
}

function hostOfPa(doc: TopologyDocument, pa: string): TopologyDocument['hosts'][number] {
  const host = doc.hosts.find((h) => h.providerAddresses.includes(pa));
  if (!host)
    throw new CmdletError(
      `Cannot validate argument on parameter 'ProviderAddress'. No host owns provider address ${pa} (${doc.hosts.map((h) => `${h.name}: ${h.providerAddresses.join(', ') || 'none'}`).join('; ')}); add it with New-NetVirtualizationProviderAddress.`,
    );
  return host;
}

function checkRule(ctx: CmdletContext): void {
  if (ctx.args.get('Rule') === 'TranslationMethodNat')
    throw new CmdletError(
      "Cannot validate argument on parameter 'Rule'. IP Rewrite (TranslationMethodNat) is not modelled by the lab: use TranslationMethodEncap.",
    );
}

function checkCustomerId(ctx: CmdletContext, doc: TopologyDocument, subnet: VirtualSubnet): void {
  const wanted = ctx.args.get('CustomerID') as string | undefined;
  if (wanted === undefined) return;
  const net = doc.vmNetworks.find((n) => n.id === subnet.vmNetworkId);
  const rd = `{${(net?.routingDomainId ?? '').replace(/^\{|\}$/g, '').toLowerCase()}}`;
  if (rd !== wanted)
    throw new CmdletError(
      `Cannot validate argument on parameter 'CustomerID'. VSID ${subnet.vsid} belongs to routing domain ${rd} (${net?.name ?? '?'}), not ${wanted}.`,
    );
}

function findVnic(doc: TopologyDocument, vsid: number, ca: string) {
  for (const vm of doc.vms)
    for (const nic of vm.nics) {
      const subnet = doc.virtualSubnets.find((s) => s.id === nic.virtualSubnetId);
      if (subnet?.vsid === vsid && nic.caIp === ca) return { vm, nic };
    }
  return undefined;
}

function v2Warning(doc: TopologyDocument): string {
  return doc.hnvMode === 'v2'
    ? "WARNING: In HNVv2 the Network Controller owns the lookup records; the lab applies this to the VM's network adapter and the controller pushes the result. The ProviderAddress picks the host: the host spreads its VMs over its PAs (one per SET team member), so the record may show the host's other PA.\n"
    : '';
}

/** HNVv1 with policy set by PowerShell: the cmdlets edit the admin's records, not the VMs. */
const manual = (doc: TopologyDocument): boolean => doc.hnvMode === 'v1' && doc.policySource === 'powershell';

function manualRecord(doc: TopologyDocument, vsid: number, ca: string) {
  return (doc.lookupRecords ?? []).find((r) => r.vsid === vsid && r.caIp === ca);
}

export const newLookupRecord: Cmdlet = {
  name: 'New-NetVirtualizationLookupRecord',
  synopsis: "Creates a lookup record: a VM's CA and MAC in a virtual subnet, reached at a host's PA.",
  params: [
    { name: 'CustomerAddress', type: 'IPAddress', mandatory: true, help: "the VM's IP (CA)" },
    { name: 'VirtualSubnetID', type: 'UInt32', mandatory: true, help: 'the VSID of its virtual subnet' },
    { name: 'MACAddress', type: 'MAC', mandatory: true, help: "the vNIC's MAC, like 00155D010203" },
    {
      name: 'ProviderAddress',
      type: 'IPAddress',
      mandatory: true,
      help: 'the PA of the host the VM runs on',
    },
    { name: 'Rule', type: 'String', values: RULES, mandatory: true, help: 'how the CA is carried' },
    { name: 'VMName', type: 'String', mandatory: true, help: "the VM's name (a new name makes a VM)" },
    { name: 'CustomerID', type: 'Guid', help: 'the routing domain; must be the VSID’s' },
    { name: 'Context', type: 'String', help: 'free text (not kept by the lab)' },
    { name: 'UseVmMACAddress', type: 'Boolean', help: 'not modelled' },
    {
      name: 'Type',
      type: 'String',
      values: ['Static', 'Dynamic', 'L2Only', 'GatewayWildcard'],
      help: 'record type',
    },
  ],
  run(ctx) {
    checkRule(ctx);
    const doc = draft(ctx.env.document);
    const ca = ctx.args.get('CustomerAddress') as string;
    const vsid = ctx.args.get('VirtualSubnetID') as number;
    const subnet = subnetOfVsid(doc, vsid);
    checkCustomerId(ctx, doc, subnet);
    const host = hostOfPa(doc, ctx.args.get('ProviderAddress') as string);
    const existing = findVnic(doc, vsid, ca);
    if (manual(doc)) {
      // The record is the admin's; a VM at this CA is made only if none exists yet.
      if (manualRecord(doc, vsid, ca))
        throw new CmdletError(
          `A lookup record for CustomerAddress ${ca} in VirtualSubnetID ${vsid} already exists: use Set-NetVirtualizationLookupRecord, or remove it first.`,
        );
      const vmName = ctx.args.get('VMName') as string;
      const mac = ctx.args.get('MACAddress') as string;
      doc.lookupRecords = [
        ...(doc.lookupRecords ?? []),
        { caIp: ca, vsid, mac, pa: ctx.args.get('ProviderAddress') as string, vmName },
      ];
      if (!existing) addVnic(doc, vmName, host, mac, ca, subnet.id);
      return { output: '', change: commit(`New-NetVirtualizationLookupRecord ${vmName} ${ca}`, doc) };
    }
    if (existing)
      throw new CmdletError(
        `A lookup record for CustomerAddress ${ca} in VirtualSubnetID ${vsid} already exists (VM '${existing.vm.name}'): use Set-NetVirtualizationLookupRecord, or remove it first.`,
      );
    const vmName = ctx.args.get('VMName') as string;
    addVnic(doc, vmName, host, ctx.args.get('MACAddress') as string, ca, subnet.id);
    return {
      output: v2Warning(doc),
      change: commit(`New-NetVirtualizationLookupRecord ${vmName} ${ca}`, doc),
    };
  },
};

/** A vNIC for a record: on the VM of that name (which must run on the PA's host), else a new VM. */
function addVnic(
  doc: TopologyDocument,
  vmName: string,
  host: TopologyDocument['hosts'][number],
  mac: string,
  ca: string,
  subnetId: string,
): void {
  let vm = doc.vms.find((v) => v.name.toLowerCase() === vmName.toLowerCase());
  if (vm && vm.hostId !== host.id)
    throw new CmdletError(
      `Cannot validate argument on parameter 'ProviderAddress'. VM '${vm.name}' runs on ${doc.hosts.find((h) => h.id === vm?.hostId)?.name}, not on ${host.name}.`,
    );
  if (!vm) {
    vm = { id: newId(doc, 'vm'), name: vmName, hostId: host.id, nics: [] };
    doc.vms.push(vm);
  }
  vm.nics.push({
    id: newId(doc, `${vm.id}-nic`),
    name: `nic${vm.nics.length}`,
    mac,
    caIp: ca,
    virtualSubnetId: subnetId,
  });
}

export const setLookupRecord: Cmdlet = {
  name: 'Set-NetVirtualizationLookupRecord',
  synopsis: 'Changes a lookup record: a new PA moves the VM to that host, a new MAC re-addresses it.',
  params: [
    { name: 'CustomerAddress', type: 'IPAddress', mandatory: true, help: 'the CA of the record' },
    { name: 'VirtualSubnetID', type: 'UInt32', mandatory: true, help: 'the VSID of the record' },
    { name: 'ProviderAddress', type: 'IPAddress', help: 'the new PA (moves the VM to its host)' },
    { name: 'MACAddress', type: 'MAC', help: 'the new MAC' },
  ],
  run(ctx) {
    const doc = draft(ctx.env.document);
    const ca = ctx.args.get('CustomerAddress') as string;
    const vsid = ctx.args.get('VirtualSubnetID') as number;
    subnetOfVsid(doc, vsid);
    if (manual(doc)) {
      // Only the record changes: the VM stays where it runs (the point of manual policy).
      const record = manualRecord(doc, vsid, ca);
      if (!record)
        throw new CmdletError(`No lookup record has CustomerAddress ${ca} in VirtualSubnetID ${vsid}.`);
      const newPa = ctx.args.get('ProviderAddress') as string | undefined;
      const newMac = ctx.args.get('MACAddress') as string | undefined;
      if (newPa === undefined && newMac === undefined)
        throw new CmdletError('Nothing to change: give -ProviderAddress and/or -MACAddress.');
      if (newPa !== undefined) {
        hostOfPa(doc, newPa);
        record.pa = newPa;
      }
      if (newMac !== undefined) record.mac = newMac;
      return { output: '', change: commit(`Set-NetVirtualizationLookupRecord ${ca} -> ${record.pa}`, doc) };
    }
    const found = findVnic(doc, vsid, ca);
    if (!found)
      throw new CmdletError(`No lookup record has CustomerAddress ${ca} in VirtualSubnetID ${vsid}.`);
    const pa = ctx.args.get('ProviderAddress') as string | undefined;
    const mac = ctx.args.get('MACAddress') as string | undefined;
    if (pa === undefined && mac === undefined)
      throw new CmdletError('Nothing to change: give -ProviderAddress and/or -MACAddress.');
    if (pa !== undefined) found.vm.hostId = hostOfPa(doc, pa).id;
    if (mac !== undefined) found.nic.mac = mac;
    return {
      output: v2Warning(doc),
      change: commit(`Set-NetVirtualizationLookupRecord ${found.vm.name} ${ca}`, doc),
    };
  },
};

export const removeLookupRecord: Cmdlet = {
  name: 'Remove-NetVirtualizationLookupRecord',
  synopsis: 'Removes lookup records: the vNICs they describe (a VM left with none goes too).',
  params: FILTERS.filter((p) => p.name !== 'ProviderAddress' && p.name !== 'MACAddress'),
  run(ctx) {
    if (ctx.args.size === 0)
      throw new CmdletError(
        'Refusing to remove every lookup record: name -CustomerAddress, -VirtualSubnetID or -VMName.',
      );
    const doc = draft(ctx.env.document);
    const removed: string[] = [];
    if (manual(doc)) {
      doc.lookupRecords = (doc.lookupRecords ?? []).filter((r) => {
        const hit = matches(ctx, { caIp: r.caIp, vsid: r.vsid, pa: r.pa, mac: r.mac } as LookupRecord, {
          VMName: r.vmName ?? '',
        });
        if (hit) removed.push(`${r.vmName ?? r.caIp} ${r.caIp}`);
        return !hit;
      });
      if (removed.length === 0) throw new CmdletError('No lookup record matches.');
      return {
        output: `Removed ${removed.length} lookup record${removed.length === 1 ? '' : 's'}: ${removed.join(', ')}\n`,
        change: commit(`Remove-NetVirtualizationLookupRecord ${removed.join(', ')}`, doc),
      };
    }
    const subnets = new Map(doc.virtualSubnets.map((s) => [s.id, s]));
    for (const vm of doc.vms) {
      vm.nics = vm.nics.filter((nic) => {
        const vsid = subnets.get(nic.virtualSubnetId)?.vsid;
        const record = { caIp: nic.caIp, vsid, pa: '', mac: nic.mac } as LookupRecord;
        const hit = matches(ctx, record, { VMName: vm.name });
        if (hit) removed.push(`${vm.name} ${nic.caIp}`);
        return !hit;
      });
    }
    if (removed.length === 0) throw new CmdletError('No lookup record matches.');
    doc.vms = doc.vms.filter((vm) => vm.nics.length > 0);
    return {
      output: `${v2Warning(doc)}Removed ${removed.length} lookup record${removed.length === 1 ? '' : 's'}: ${removed.join(', ')}\n`,
      change: commit(`Remove-NetVirtualizationLookupRecord ${removed.join(', ')}`, doc),
    };
  },
};
