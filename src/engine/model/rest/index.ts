// Export and import in the shape of the Network Controller's northbound REST API
// (MS-NCNBI, /networking/v1/...): logicalNetworks with subnets, servers, virtualNetworks
// with subnets, accessControlLists with aclRules, networkInterfaces with ipConfigurations.
// Every resource has resourceId, resourceRef and properties; names travel in
// resourceMetadata.name, the owning tenant in resourceMetadata.tenantId, a VM network's
// routing domain ID as the virtual network's instanceId, a vNIC's host as the interface's
// `server` reference, a port ACL on its ipConfiguration.
//
// What the NC API does not hold is kept under `hnvLab` extension properties, so a round
// trip is lossless: the document's name, HNV mode, tenants, physical routers, canvas
// layout and object order (top level); PAs and team member MACs (servers); the
// encapsulation (subnets); MTU (logical subnets); the VM grouping of interfaces
// (networkInterfaces); an ACL's default action. Importing a plain NC export without
// them works too: the gaps are filled with allocated values.
// One file per NC resource, its toNc and fromNc side by side: logicalNetworks.ts, servers.ts,
// accessControlLists.ts, virtualNetworks.ts, networkInterfaces.ts; hnvLab.ts for the top level.
import { ProgressMeter, type ProgressSink } from '../../progress';
import { AddressAllocator } from '../allocate';
import { emptyDocument, type HnvMode, type TopologyDocument } from '../schema';
import type { ValidationResult } from '../validate';
import { validateDocument } from '../validate';
import { aclToNc, readAcl } from './accessControlLists';
import { exportContext, type ImportState } from './context';
import { gatewaysToNc, readGateways } from './gateways';
import { hnvLabToNc, readFlows, readManualPolicy, readRouters } from './hnvLab';
import { loadBalancerToNc, readLoadBalancer, readSlbDevices } from './loadBalancers';
import { logicalNetworkToNc, readLogicalNetwork } from './logicalNetworks';
import { networkInterfacesToNc, readNetworkInterface } from './networkInterfaces';
import { HNV_MODES, isJson, type Json, ordered, own, RestReader, type Who } from './reader';
import { readRouteTable, routeTableToNc } from './routeTables';
import { readServer, serverToNc } from './servers';
import type { NcRestExport } from './types';
import { readVirtualNetwork, virtualNetworkToNc } from './virtualNetworks';

export * from './types';

export function toNetworkControllerRest(doc: TopologyDocument): NcRestExport {
  const ctx = exportContext(doc);
  const out: NcRestExport = {
    hnvLab: hnvLabToNc(doc),
    logicalNetworks: doc.logicalNetworks.map((ln) => logicalNetworkToNc(ln, ctx)),
    servers: doc.hosts.map((host) => serverToNc(host, ctx)),
    accessControlLists: doc.acls.map(aclToNc),
    virtualNetworks: doc.vmNetworks.map((network) => virtualNetworkToNc(network, ctx)),
    networkInterfaces: doc.vms.flatMap((vm) => networkInterfacesToNc(vm, ctx)),
    ...(doc.routeTables !== undefined
      ? { routeTables: doc.routeTables.map((t) => routeTableToNc(t, doc)) }
      : {}),
    ...gatewaysToNc(doc),
    ...(doc.loadBalancers === undefined ? {} : { loadBalancers: doc.loadBalancers.map(loadBalancerToNc) }),
  };
  if (doc.sites !== undefined) out.hnvLab.sites = doc.sites.map((s) => ({ ...s }));
  return out;
}

/** The items an import counts for its progress: each top-level resource, read then validated. */
const TOP_LEVEL = [
  'logicalNetworks',
  'accessControlLists',
  'virtualNetworks',
  'servers',
  'networkInterfaces',
  'routeTables',
  'loadBalancers',
];

/** Progress over the import's top-level resources: reading them is half the work, validating the rest. */
class ImportMeter extends ProgressMeter {
  constructor(input: unknown, sink: ProgressSink | undefined) {
    let items = 0;
    if (isJson(input))
      for (const key of TOP_LEVEL) {
        const list = own(input, key);
        if (Array.isArray(list)) items += list.length;
      }
    super(sink, 2 * items, 'Reading the export');
  }

  /** The list, with the phase announced; each item read ticks the meter. */
  each<T>(phase: string, list: T[], read: (item: T, index: number) => void): void {
    this.phase(phase);
    list.forEach((item, index) => {
      this.tick();
      read(item, index);
    });
  }
}

/**
 * A Network Controller REST export as a validated document, in time linear in its size.
 * `progress` hears how far it is (see ProgressMeter); nothing else is affected by it.
 */
export function fromNetworkControllerRest(input: unknown, progress?: ProgressSink): ValidationResult {
  const meter = new ImportMeter(input, progress);
  const reader = new RestReader();
  const exported: Who = { kind: 'REST export' };
  if (!isJson(input)) {
    reader.fail(exported, '(root)', 'type', 'the REST export is not a JSON object');
    return { ok: false, errors: reader.errors };
  }
  const top = reader.object(input, 'hnvLab', exported, 'hnvLab');
  const hnvMode: HnvMode =
    reader.optionalChoice(top, 'hnvMode', exported, 'hnvLab.hnvMode', HNV_MODES, "'v1', 'v2'") ?? 'v2';
  const docName = reader.optionalText(top, 'name', exported, 'hnvLab.name');
  const doc = emptyDocument(
    docName !== undefined && docName.trim() !== '' ? docName : 'Imported from Network Controller',
    hnvMode,
  );
  // An export without a layout imports without one (the canvas lays the objects out).
  if (own(top, 'layout') !== undefined)
    doc.layout = reader.object(top, 'layout', exported, 'hnvLab.layout') as TopologyDocument['layout'];
  else delete doc.layout;
  readManualPolicy(reader, top, exported, doc);
  const order = reader.object(top, 'order', exported, 'hnvLab.order');

  const tenantIds = new Set<string>();
  const state: ImportState = {
    doc,
    reader,
    hnvMode,
    ensureTenant: (tenantId) => {
      if (tenantIds.has(tenantId)) return;
      tenantIds.add(tenantId);
      doc.tenants.push({ id: tenantId, name: tenantId });
    },
    subnetsWithoutVsid: [],
    networksWithoutRdid: new Set(),
    hostsWithoutPas: [],
    membersWithoutMac: [],
    vmById: new Map(),
  };
  const read = (phase: string, key: string, each: (item: Json, index: number, state: ImportState) => void) =>
    meter.each(phase, reader.list(input, key, exported, key), (item, index) => each(item, index, state));

  read('Reading logical networks', 'logicalNetworks', readLogicalNetwork);
  doc.logicalSubnets = ordered(
    doc.logicalSubnets,
    reader.optionalStrings(order, 'logicalSubnets', exported, 'hnvLab.order.logicalSubnets'),
  );
  // Tenants: the lab's list, plus any tenantId met in resource metadata.
  reader.list(top, 'tenants', exported, 'hnvLab.tenants').forEach((t, index) => {
    const raw = own(t, 'id');
    const who: Who = { kind: 'tenant', name: typeof raw === 'string' && raw !== '' ? raw : `#${index + 1}` };
    const id = reader.text(t, 'id', who, `hnvLab.tenants[${index}].id`);
    doc.tenants.push({ id, name: reader.text(t, 'name', who, `hnvLab.tenants[${index}].name`) });
    tenantIds.add(id);
  });
  read('Reading access control lists', 'accessControlLists', readAcl);
  // Route tables: absent in older exports (the document then has none).
  if (own(input, 'routeTables') !== undefined) read('Reading route tables', 'routeTables', readRouteTable);
  // Missing VSIDs and routing domain IDs are allocated below.
  read('Reading virtual networks', 'virtualNetworks', readVirtualNetwork);
  doc.virtualSubnets = ordered(
    doc.virtualSubnets,
    reader.optionalStrings(order, 'virtualSubnets', exported, 'hnvLab.order.virtualSubnets'),
  );
  // PAs and team member MACs come from hnvLab, or are allocated below.
  read('Reading servers', 'servers', readServer);
  // Grouped into VMs by hnvLab.vmId; one VM per interface without it.
  read('Reading network interfaces', 'networkInterfaces', readNetworkInterface);
  const { subnetsWithoutVsid, networksWithoutRdid, hostsWithoutPas, membersWithoutMac } = state;

  const routers = readRouters(reader, top, exported);
  if (routers !== undefined) doc.routers = routers;
  readGateways(input, top, exported, state);
  // Software load balancing: the NC's loadBalancers; the MUXes and external endpoints from hnvLab.
  if (own(input, 'loadBalancers') !== undefined) {
    doc.loadBalancers = [];
    read('Reading load balancers', 'loadBalancers', readLoadBalancer);
  }
  Object.assign(doc, readSlbDevices(reader, top, exported));
  const flows = readFlows(reader, top, exported);
  if (flows !== undefined) doc.flows = flows;

  if (reader.errors.length > 0) return { ok: false, errors: reader.errors };

  // Fill what a plain NC export does not carry, from free values.
  const allocator = new AddressAllocator(doc);
  for (const n of doc.vmNetworks) {
    if (networksWithoutRdid.has(n.id)) n.routingDomainId = allocator.routingDomainId();
  }
  for (const s of subnetsWithoutVsid) s.vsid = allocator.vsid() ?? 0;
  for (const { host, index } of membersWithoutMac)
    host.teamMembers[index].mac = allocator.mac('00:1d:d8') ?? '';
  const logicalSubnetById = new Map(doc.logicalSubnets.map((s) => [s.id, s]));
  // HNVv1: one PA per virtual subnet with a vNIC on the host (indexed once, not per host).
  const subnetsOnHost = new Map<string, Set<string>>();
  if (hnvMode === 'v1' && hostsWithoutPas.length > 0) {
    for (const vm of doc.vms) {
      const subnets = subnetsOnHost.get(vm.hostId) ?? new Set<string>();
      subnetsOnHost.set(vm.hostId, subnets);
      for (const nic of vm.nics) subnets.add(nic.virtualSubnetId);
    }
  }
  for (const host of hostsWithoutPas) {
    const ls = logicalSubnetById.get(host.logicalSubnetId);
    if (ls === undefined) continue;
    const needed = hnvMode === 'v2' ? host.teamMembers.length : (subnetsOnHost.get(host.id)?.size ?? 0);
    host.providerAddresses = allocator.providerAddresses(ls, needed) ?? [];
  }
  // Reading was the first half; validation is one step the meter cannot see into.
  meter.phase('Validating');
  return validateDocument(doc);
}
