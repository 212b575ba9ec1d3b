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

import { ProgressMeter, type ProgressSink } from '../progress';
import { AddressAllocator } from './allocate';
import { formatIpv4, parsePrefix } from './ipv4';
import {
  type Acl,
  type AclRule,
  DOCUMENT_VERSION,
  type Encapsulation,
  emptyDocument,
  type HnvMode,
  type Host,
  type Isolation,
  type LogicalSubnet,
  type Router,
  type Tenant,
  type TopologyDocument,
  type VirtualSubnet,
  type Vm,
  type Vnic,
} from './schema';
import type { ValidationError, ValidationResult } from './validate';
import { validateDocument } from './validate';

export const REST_FORMAT = 'hnv-lab/network-controller-rest';

export interface ResourceRef {
  resourceRef: string;
}

export interface ResourceMetadata {
  name?: string;
  tenantId?: string;
}

interface Resource<P> {
  resourceId: string;
  resourceRef: string;
  instanceId?: string;
  resourceMetadata?: ResourceMetadata;
  properties: P;
}

export type NcLogicalSubnet = Resource<{
  addressPrefix: string;
  vlanID: number;
  defaultGateways: string[];
  isPublic: boolean;
  hnvLab?: { mtu: number; trunkedVlans?: number[] };
}>;

export type NcLogicalNetwork = Resource<{
  networkVirtualizationEnabled: boolean;
  subnets: NcLogicalSubnet[];
}>;

export type NcServerInterface = Resource<{
  logicalSubnets: ResourceRef[];
  hnvLab?: { macAddress: string };
}>;

export type NcServer = Resource<{
  networkInterfaces: NcServerInterface[];
  hnvLab?: { providerAddresses: string[] };
}>;

export type NcVirtualSubnet = Resource<{
  addressPrefix: string;
  /** The virtual subnet ID (VXLAN VNI / NVGRE key) the NC allocated for this subnet. */
  vsid: number;
  accessControlList?: ResourceRef;
  ipConfigurations: ResourceRef[];
  hnvLab?: { encapsulation: Encapsulation; isolation?: Isolation; vlanId?: number };
}>;

export type NcVirtualNetwork = Resource<{
  addressSpace: { addressPrefixes: string[] };
  logicalNetwork?: ResourceRef;
  subnets: NcVirtualSubnet[];
}>;

export type NcAclRule = Resource<{
  protocol: 'All' | 'TCP' | 'UDP' | 'ICMP';
  sourcePortRange: string;
  destinationPortRange: string;
  action: 'Allow' | 'Deny';
  sourceAddressPrefix: string;
  destinationAddressPrefix: string;
  priority: number;
  type: 'Inbound' | 'Outbound';
  description: string;
  logging: 'Enabled' | 'Disabled';
}>;

export type NcAccessControlList = Resource<{
  aclRules: NcAclRule[];
  hnvLab?: { defaultAction: 'allow' | 'deny' };
}>;

export type NcIpConfiguration = Resource<{
  privateIPAddress: string;
  privateIPAllocationMethod: 'Static';
  subnet: ResourceRef;
  accessControlList?: ResourceRef;
}>;

export type NcNetworkInterface = Resource<{
  privateMacAddress: string;
  privateMacAllocationMethod: 'Static';
  isPrimary: boolean;
  ipConfigurations: NcIpConfiguration[];
  /** The server (host) running the VM this interface belongs to. */
  server?: ResourceRef;
  hnvLab?: { vmId: string; vmName: string };
}>;

export interface NcRestExport {
  hnvLab: {
    format: typeof REST_FORMAT;
    version: number;
    name: string;
    hnvMode: HnvMode;
    tenants: Tenant[];
    routers: Router[];
    layout?: TopologyDocument['layout'];
    /** Document order of the objects nested under NC parents (the NC groups them by parent). */
    order: { virtualSubnets: string[]; logicalSubnets: string[] };
  };
  logicalNetworks: NcLogicalNetwork[];
  servers: NcServer[];
  accessControlLists: NcAccessControlList[];
  virtualNetworks: NcVirtualNetwork[];
  networkInterfaces: NcNetworkInterface[];
}

// ---------------------------------------------------------------------------------------
// Export

function seg(id: string): string {
  return encodeURIComponent(id);
}

const refs = {
  logicalNetwork: (ln: string) => `/logicalNetworks/${seg(ln)}`,
  logicalSubnet: (ln: string, ls: string) => `/logicalNetworks/${seg(ln)}/logicalSubnets/${seg(ls)}`,
  server: (h: string) => `/servers/${seg(h)}`,
  serverInterface: (h: string, nic: string) => `/servers/${seg(h)}/networkInterfaces/${seg(nic)}`,
  virtualNetwork: (vn: string) => `/virtualNetworks/${seg(vn)}`,
  subnet: (vn: string, s: string) => `/virtualNetworks/${seg(vn)}/subnets/${seg(s)}`,
  acl: (a: string) => `/accessControlLists/${seg(a)}`,
  aclRule: (a: string, r: string) => `/accessControlLists/${seg(a)}/aclRules/${seg(r)}`,
  networkInterface: (n: string) => `/networkInterfaces/${seg(n)}`,
  ipConfiguration: (n: string, ip: string) => `/networkInterfaces/${seg(n)}/ipConfigurations/${seg(ip)}`,
};

/** The NC writes MACs as 12 upper-case hex digits. */
function toNcMac(mac: string): string {
  return mac.replace(/:/g, '').toUpperCase();
}

const PROTOCOL_TO_NC = { all: 'All', tcp: 'TCP', udp: 'UDP', icmp: 'ICMP' } as const;
const IP_CONFIGURATION_ID = 'ipconfig1';

export function toNetworkControllerRest(doc: TopologyDocument): NcRestExport {
  const subnetsByNetwork = new Map<string, VirtualSubnet[]>();
  for (const s of doc.virtualSubnets) {
    const list = subnetsByNetwork.get(s.vmNetworkId);
    if (list === undefined) subnetsByNetwork.set(s.vmNetworkId, [s]);
    else list.push(s);
  }
  const logicalSubnetsByNetwork = new Map<string, LogicalSubnet[]>();
  for (const s of doc.logicalSubnets) {
    const list = logicalSubnetsByNetwork.get(s.logicalNetworkId);
    if (list === undefined) logicalSubnetsByNetwork.set(s.logicalNetworkId, [s]);
    else list.push(s);
  }
  const logicalSubnetById = new Map(doc.logicalSubnets.map((s) => [s.id, s]));
  const subnetById = new Map(doc.virtualSubnets.map((s) => [s.id, s]));
  const tenantOfNetwork = new Map(doc.vmNetworks.map((n) => [n.id, n.tenantId]));
  const subnetRef = (subnetId: string): string => {
    const subnet = subnetById.get(subnetId);
    return refs.subnet(subnet?.vmNetworkId ?? '', subnetId);
  };
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
  const paNetwork = doc.logicalNetworks.find((n) => paNetworks.has(n.id));

  const hnvLab: NcRestExport['hnvLab'] = {
    format: REST_FORMAT,
    version: DOCUMENT_VERSION,
    name: doc.name,
    hnvMode: doc.hnvMode,
    tenants: doc.tenants.map((t) => ({ ...t })),
    routers: doc.routers.map((r) => ({ ...r, interfaces: r.interfaces.map((i) => ({ ...i })) })),
    order: {
      virtualSubnets: doc.virtualSubnets.map((s) => s.id),
      logicalSubnets: doc.logicalSubnets.map((s) => s.id),
    },
  };
  if (doc.layout !== undefined)
    hnvLab.layout = JSON.parse(JSON.stringify(doc.layout)) as TopologyDocument['layout'];

  return {
    hnvLab,
    logicalNetworks: doc.logicalNetworks.map((ln) => ({
      resourceId: ln.id,
      resourceRef: refs.logicalNetwork(ln.id),
      resourceMetadata: { name: ln.name },
      properties: {
        networkVirtualizationEnabled: paNetworks.has(ln.id),
        subnets: (logicalSubnetsByNetwork.get(ln.id) ?? []).map((ls) => ({
          resourceId: ls.id,
          resourceRef: refs.logicalSubnet(ln.id, ls.id),
          resourceMetadata: { name: ls.name },
          properties: {
            addressPrefix: ls.prefix,
            vlanID: ls.vlanId,
            defaultGateways: [ls.defaultGateway],
            isPublic: false,
            hnvLab:
              ls.trunkedVlans === undefined
                ? { mtu: ls.mtu }
                : { mtu: ls.mtu, trunkedVlans: [...ls.trunkedVlans] },
          },
        })),
      },
    })),
    servers: doc.hosts.map((host) => {
      const ls = logicalSubnetById.get(host.logicalSubnetId);
      const lsRef = refs.logicalSubnet(ls?.logicalNetworkId ?? '', host.logicalSubnetId);
      return {
        resourceId: host.id,
        resourceRef: refs.server(host.id),
        resourceMetadata: { name: host.name },
        properties: {
          networkInterfaces: host.teamMembers.map((member) => ({
            resourceId: member.name,
            resourceRef: refs.serverInterface(host.id, member.name),
            properties: {
              logicalSubnets: [{ resourceRef: lsRef }],
              hnvLab: { macAddress: toNcMac(member.mac) },
            },
          })),
          hnvLab: { providerAddresses: [...host.providerAddresses] },
        },
      };
    }),
    accessControlLists: doc.acls.map((acl) => ({
      resourceId: acl.id,
      resourceRef: refs.acl(acl.id),
      resourceMetadata: { name: acl.name },
      properties: {
        aclRules: acl.rules.map((rule) => ({
          resourceId: rule.id,
          resourceRef: refs.aclRule(acl.id, rule.id),
          properties: {
            protocol: PROTOCOL_TO_NC[rule.protocol],
            sourcePortRange: rule.sourcePortRange,
            destinationPortRange: rule.destinationPortRange,
            action: rule.action === 'allow' ? 'Allow' : 'Deny',
            sourceAddressPrefix: rule.sourceAddressPrefix,
            destinationAddressPrefix: rule.destinationAddressPrefix,
            priority: rule.priority,
            type: rule.direction === 'inbound' ? 'Inbound' : 'Outbound',
            description: rule.name,
            logging: 'Disabled',
          },
        })),
        hnvLab: { defaultAction: acl.defaultAction },
      },
    })),
    virtualNetworks: doc.vmNetworks.map((network) => {
      const subnets = subnetsByNetwork.get(network.id) ?? [];
      const properties: NcVirtualNetwork['properties'] = {
        addressSpace: { addressPrefixes: subnets.map((s) => s.prefix) },
        subnets: subnets.map((s) => {
          const subnetProperties: NcVirtualSubnet['properties'] = {
            addressPrefix: s.prefix,
            vsid: s.vsid,
            ipConfigurations: ipConfigurationsOfSubnet.get(s.id) ?? [],
            hnvLab: { encapsulation: s.encapsulation },
          };
          if (s.isolation !== undefined && subnetProperties.hnvLab)
            subnetProperties.hnvLab.isolation = s.isolation;
          if (s.vlanId !== undefined && subnetProperties.hnvLab) subnetProperties.hnvLab.vlanId = s.vlanId;
          if (s.aclId !== undefined) subnetProperties.accessControlList = { resourceRef: refs.acl(s.aclId) };
          return {
            resourceId: s.id,
            resourceRef: refs.subnet(network.id, s.id),
            resourceMetadata: { name: s.name },
            properties: subnetProperties,
          };
        }),
      };
      if (paNetwork !== undefined)
        properties.logicalNetwork = { resourceRef: refs.logicalNetwork(paNetwork.id) };
      return {
        resourceId: network.id,
        resourceRef: refs.virtualNetwork(network.id),
        instanceId: network.routingDomainId,
        resourceMetadata: { name: network.name, tenantId: network.tenantId },
        properties,
      };
    }),
    networkInterfaces: doc.vms.flatMap((vm) =>
      vm.nics.map((nic, index) => {
        const ipProperties: NcIpConfiguration['properties'] = {
          privateIPAddress: nic.caIp,
          privateIPAllocationMethod: 'Static',
          subnet: { resourceRef: subnetRef(nic.virtualSubnetId) },
        };
        if (nic.aclId !== undefined) ipProperties.accessControlList = { resourceRef: refs.acl(nic.aclId) };
        const metadata: ResourceMetadata = { name: nic.name };
        const tenantId = tenantOfNetwork.get(subnetById.get(nic.virtualSubnetId)?.vmNetworkId ?? '');
        if (tenantId !== undefined) metadata.tenantId = tenantId;
        return {
          resourceId: nic.id,
          resourceRef: refs.networkInterface(nic.id),
          resourceMetadata: metadata,
          properties: {
            privateMacAddress: toNcMac(nic.mac),
            privateMacAllocationMethod: 'Static' as const,
            isPrimary: index === 0,
            ipConfigurations: [
              {
                resourceId: IP_CONFIGURATION_ID,
                resourceRef: refs.ipConfiguration(nic.id, IP_CONFIGURATION_ID),
                properties: ipProperties,
              },
            ],
            server: { resourceRef: refs.server(vm.hostId) },
            hnvLab: { vmId: vm.id, vmName: vm.name },
          },
        };
      }),
    ),
  };
}

// ---------------------------------------------------------------------------------------
// Import

type Json = Record<string, unknown>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads loosely typed JSON and records what is missing or malformed, in the validator's shape. */
class RestReader {
  readonly errors: ValidationError[] = [];

  fail(kind: string, name: string | undefined, field: string, rule: string, message: string): void {
    const error: ValidationError = { objectKind: kind, field, rule, message };
    if (name !== undefined) error.objectName = name;
    this.errors.push(error);
  }

  list(owner: Json, key: string, kind: string, name: string | undefined): Json[] {
    const value = owner[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(kind, name, key, 'type', `${label(kind, name)} ${key} is not a list`);
      return [];
    }
    return value.filter((item, i): item is Json => {
      if (isJson(item)) return true;
      this.fail(kind, name, `${key}[${i}]`, 'type', `${label(kind, name)} ${key}[${i}] is not an object`);
      return false;
    });
  }

  text(owner: Json, key: string, kind: string, name: string | undefined, fallback?: string): string {
    const value = owner[key];
    if (typeof value === 'string' && value !== '') return value;
    if (value === undefined && fallback !== undefined) return fallback;
    this.fail(
      kind,
      name,
      key,
      value === undefined ? 'required' : 'type',
      `${label(kind, name)} ${key} ${value === undefined ? 'is missing' : 'is not a string'}`,
    );
    return fallback ?? '';
  }
}

function label(kind: string, name: string | undefined): string {
  return name === undefined ? kind : `${kind} '${name}'`;
}

function props(resource: Json): Json {
  return isJson(resource.properties) ? resource.properties : {};
}

function lab(owner: Json): Json {
  return isJson(owner.hnvLab) ? owner.hnvLab : {};
}

function metadataOf(resource: Json): Json {
  return isJson(resource.resourceMetadata) ? resource.resourceMetadata : {};
}

function nameOf(resource: Json, id: string): string {
  const name = metadataOf(resource).name;
  return typeof name === 'string' && name.trim() !== '' ? name : id;
}

/** The last path segment of a resourceRef ("/virtualNetworks/a/subnets/b" -> "b"). */
function refTail(value: unknown): string | undefined {
  const ref = isJson(value) ? value.resourceRef : undefined;
  if (typeof ref !== 'string' || ref === '') return undefined;
  const parts = ref.split('/').filter((p) => p !== '');
  const last = parts[parts.length - 1];
  if (last === undefined) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Accepts 001122334455, 00-11-22-33-44-55 or 00:11:22:33:44:55 in any case. */
function fromNcMac(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value.replace(/[-:.]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return value;
  return hex.match(/../g)?.join(':');
}

function protocolFrom(value: unknown): AclRule['protocol'] | undefined {
  if (typeof value !== 'string') return undefined;
  const p = value.toLowerCase();
  if (p === 'all' || p === '*') return 'all';
  if (p === 'tcp' || p === 'udp' || p === 'icmp') return p;
  return undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function ordered<T extends { id: string }>(items: T[], order: unknown): T[] {
  const ids = stringList(order);
  if (ids.length !== items.length) return items;
  const byId = new Map(items.map((item) => [item.id, item]));
  const result: T[] = [];
  for (const id of ids) {
    const item = byId.get(id);
    if (item === undefined) return items;
    result.push(item);
    byId.delete(id);
  }
  return result;
}

/** The items an import counts for its progress: each top-level resource, read then validated. */
const TOP_LEVEL = [
  'logicalNetworks',
  'accessControlLists',
  'virtualNetworks',
  'servers',
  'networkInterfaces',
];

/** Progress over the import's top-level resources: reading them is half the work, validating the rest. */
class ImportMeter extends ProgressMeter {
  constructor(input: Json, sink: ProgressSink | undefined) {
    let items = 0;
    for (const key of TOP_LEVEL) {
      const list = input[key];
      if (Array.isArray(list)) items += list.length;
    }
    super(sink, 2 * items, 'Reading the export');
  }

  *each<T>(phase: string, list: T[]): Generator<T> {
    this.phase(phase);
    for (const item of list) {
      this.tick();
      yield item;
    }
  }
}

/**
 * A Network Controller REST export as a validated document, in time linear in its size.
 * `progress` hears how far it is (see ProgressMeter); nothing else is affected by it.
 */
export function fromNetworkControllerRest(input: unknown, progress?: ProgressSink): ValidationResult {
  const reader = new RestReader();
  if (!isJson(input)) {
    reader.fail('REST export', undefined, '(root)', 'type', 'the REST export is not a JSON object');
    return { ok: false, errors: reader.errors };
  }
  const meter = new ImportMeter(input, progress);
  const top = lab(input);
  const hnvMode: HnvMode = top.hnvMode === 'v1' ? 'v1' : 'v2';
  const doc = emptyDocument(
    typeof top.name === 'string' && top.name.trim() !== '' ? top.name : 'Imported from Network Controller',
    hnvMode,
  );
  // An export without a layout imports without one (the canvas lays the objects out).
  if (isJson(top.layout)) doc.layout = top.layout as TopologyDocument['layout'];
  else delete doc.layout;
  const order = isJson(top.order) ? top.order : {};

  // Logical networks and their subnets.
  for (const ln of meter.each(
    'Reading logical networks',
    reader.list(input, 'logicalNetworks', 'REST export', undefined),
  )) {
    const id = reader.text(ln, 'resourceId', 'logical network', undefined);
    doc.logicalNetworks.push({ id, name: nameOf(ln, id) });
    for (const ls of reader.list(props(ln), 'subnets', 'logical network', id)) {
      const lsId = reader.text(ls, 'resourceId', 'logical subnet', undefined);
      const p = props(ls);
      const prefix = reader.text(p, 'addressPrefix', 'logical subnet', lsId);
      const gateways = stringList(p.defaultGateways);
      let defaultGateway = gateways[0];
      if (defaultGateway === undefined) {
        // No gateway given: assume the lowest host address, the usual ToR SVI.
        defaultGateway = /\/\d+$/.test(prefix) ? formatIpv4(parsePrefix(prefix).network + 1) : '';
      }
      const mtu = lab(p).mtu;
      const trunkedVlans = lab(p).trunkedVlans;
      const logicalSubnet: LogicalSubnet = {
        id: lsId,
        name: nameOf(ls, lsId),
        logicalNetworkId: id,
        prefix,
        vlanId: typeof p.vlanID === 'number' ? p.vlanID : Number(p.vlanID ?? 0),
        defaultGateway,
        mtu: typeof mtu === 'number' ? mtu : 1500,
      };
      if (Array.isArray(trunkedVlans))
        logicalSubnet.trunkedVlans = trunkedVlans.filter((v): v is number => typeof v === 'number');
      doc.logicalSubnets.push(logicalSubnet);
    }
  }
  doc.logicalSubnets = ordered(doc.logicalSubnets, order.logicalSubnets);

  // Tenants: the lab's list, plus any tenantId met in resource metadata.
  const tenantIds = new Set<string>();
  if (Array.isArray(top.tenants)) {
    for (const t of top.tenants) {
      if (isJson(t) && typeof t.id === 'string' && typeof t.name === 'string') {
        doc.tenants.push({ id: t.id, name: t.name });
        tenantIds.add(t.id);
      }
    }
  }
  const ensureTenant = (tenantId: string): void => {
    if (tenantIds.has(tenantId)) return;
    tenantIds.add(tenantId);
    doc.tenants.push({ id: tenantId, name: tenantId });
  };

  // ACLs.
  for (const a of meter.each(
    'Reading access control lists',
    reader.list(input, 'accessControlLists', 'REST export', undefined),
  )) {
    const id = reader.text(a, 'resourceId', 'access control list', undefined);
    const p = props(a);
    const rules: AclRule[] = reader.list(p, 'aclRules', 'access control list', id).map((r) => {
      const ruleId = reader.text(r, 'resourceId', 'ACL rule', `${id}/?`);
      const rp = props(r);
      const where = `${id}/${ruleId}`;
      const protocol = protocolFrom(rp.protocol);
      if (protocol === undefined) {
        reader.fail(
          'ACL rule',
          where,
          'properties.protocol',
          'value',
          `ACL rule ${where} protocol ${JSON.stringify(rp.protocol)} is not one of All, TCP, UDP, ICMP`,
        );
      }
      const description =
        typeof rp.description === 'string' && rp.description.trim() !== '' ? rp.description : ruleId;
      return {
        id: ruleId,
        name: description,
        priority: Number(rp.priority),
        direction: String(rp.type).toLowerCase() === 'outbound' ? 'outbound' : 'inbound',
        action: String(rp.action).toLowerCase() === 'deny' ? 'deny' : 'allow',
        protocol: protocol ?? 'all',
        sourceAddressPrefix: typeof rp.sourceAddressPrefix === 'string' ? rp.sourceAddressPrefix : '*',
        sourcePortRange: typeof rp.sourcePortRange === 'string' ? rp.sourcePortRange : '*',
        destinationAddressPrefix:
          typeof rp.destinationAddressPrefix === 'string' ? rp.destinationAddressPrefix : '*',
        destinationPortRange: typeof rp.destinationPortRange === 'string' ? rp.destinationPortRange : '*',
      };
    });
    const defaultAction = lab(p).defaultAction === 'deny' ? 'deny' : 'allow';
    const acl: Acl = { id, name: nameOf(a, id), defaultAction, rules };
    doc.acls.push(acl);
  }

  // Virtual networks and subnets. Missing VSIDs and routing domain IDs are allocated below.
  const subnetsWithoutVsid: VirtualSubnet[] = [];
  const networksWithoutRdid = new Set<string>();
  for (const vn of meter.each(
    'Reading virtual networks',
    reader.list(input, 'virtualNetworks', 'REST export', undefined),
  )) {
    const id = reader.text(vn, 'resourceId', 'virtual network', undefined);
    const tenantId =
      typeof metadataOf(vn).tenantId === 'string' ? String(metadataOf(vn).tenantId) : 'imported';
    ensureTenant(tenantId);
    const instanceId = typeof vn.instanceId === 'string' ? vn.instanceId : '';
    if (instanceId === '') networksWithoutRdid.add(id);
    doc.vmNetworks.push({ id, name: nameOf(vn, id), tenantId, routingDomainId: instanceId });
    for (const s of reader.list(props(vn), 'subnets', 'virtual network', id)) {
      const sId = reader.text(s, 'resourceId', 'virtual subnet', undefined);
      const p = props(s);
      const encapsulation = lab(p).encapsulation;
      const subnet: VirtualSubnet = {
        id: sId,
        name: nameOf(s, sId),
        vmNetworkId: id,
        vsid: typeof p.vsid === 'number' ? p.vsid : 0,
        prefix: reader.text(p, 'addressPrefix', 'virtual subnet', sId),
        encapsulation:
          encapsulation === 'nvgre' || encapsulation === 'vxlan'
            ? encapsulation
            : hnvMode === 'v1'
              ? 'nvgre'
              : 'vxlan',
      };
      const aclId = refTail(p.accessControlList);
      if (aclId !== undefined) subnet.aclId = aclId;
      const { isolation, vlanId } = lab(p);
      if (isolation === 'vlan' || isolation === 'overlay') subnet.isolation = isolation;
      if (typeof vlanId === 'number') subnet.vlanId = vlanId;
      if (typeof p.vsid !== 'number') subnetsWithoutVsid.push(subnet);
      doc.virtualSubnets.push(subnet);
    }
  }
  doc.virtualSubnets = ordered(doc.virtualSubnets, order.virtualSubnets);

  // Hosts (servers). PAs and team member MACs come from hnvLab, or are allocated below.
  const hostsWithoutPas: Host[] = [];
  const membersWithoutMac: { host: Host; index: number }[] = [];
  for (const server of meter.each(
    'Reading servers',
    reader.list(input, 'servers', 'REST export', undefined),
  )) {
    const id = reader.text(server, 'resourceId', 'server', undefined);
    const p = props(server);
    const interfaces = reader.list(p, 'networkInterfaces', 'server', id);
    let logicalSubnetId = '';
    for (const nic of interfaces) {
      const subnets = props(nic).logicalSubnets;
      if (Array.isArray(subnets) && subnets.length > 0) {
        logicalSubnetId = refTail(subnets[0]) ?? '';
        break;
      }
    }
    if (logicalSubnetId === '') {
      reader.fail(
        'server',
        id,
        'properties.networkInterfaces',
        'required',
        `server '${id}' has no network interface on a logical subnet, so the lab cannot place its PAs`,
      );
    }
    const host: Host = {
      id,
      name: nameOf(server, id),
      logicalSubnetId,
      teamMembers: interfaces.map((nic, index) => {
        const memberName =
          typeof nic.resourceId === 'string' && nic.resourceId !== '' ? nic.resourceId : `NIC${index + 1}`;
        return { name: memberName, mac: fromNcMac(lab(props(nic)).macAddress) ?? '' };
      }),
      providerAddresses: stringList(lab(p).providerAddresses),
    };
    host.teamMembers.forEach((m, index) => {
      if (m.mac === '') membersWithoutMac.push({ host, index });
    });
    if (!Array.isArray(lab(p).providerAddresses)) hostsWithoutPas.push(host);
    doc.hosts.push(host);
  }

  // Network interfaces, grouped into VMs (hnvLab.vmId; one VM per interface without it).
  const vmById = new Map<string, Vm>();
  for (const ni of meter.each(
    'Reading network interfaces',
    reader.list(input, 'networkInterfaces', 'REST export', undefined),
  )) {
    const id = reader.text(ni, 'resourceId', 'network interface', undefined);
    const p = props(ni);
    const ipConfigurations = reader.list(p, 'ipConfigurations', 'network interface', id);
    const ip = ipConfigurations[0];
    if (ip === undefined) {
      reader.fail(
        'network interface',
        id,
        'properties.ipConfigurations',
        'required',
        `network interface '${id}' has no ipConfiguration, so it has no CA`,
      );
      continue;
    }
    const ipp = props(ip);
    const hostId = refTail(p.server);
    if (hostId === undefined) {
      reader.fail(
        'network interface',
        id,
        'properties.server',
        'required',
        `network interface '${id}' has no server, so the lab does not know which host runs it`,
      );
      continue;
    }
    const tenantId = metadataOf(ni).tenantId;
    if (typeof tenantId === 'string') ensureTenant(tenantId);
    const vnic: Vnic = {
      id,
      name: nameOf(ni, id),
      mac: fromNcMac(p.privateMacAddress) ?? '',
      caIp: reader.text(ipp, 'privateIPAddress', 'network interface', id),
      virtualSubnetId: refTail(ipp.subnet) ?? '',
    };
    const aclId = refTail(ipp.accessControlList);
    if (aclId !== undefined) vnic.aclId = aclId;
    const vmLab = lab(p);
    const vmId = typeof vmLab.vmId === 'string' && vmLab.vmId !== '' ? vmLab.vmId : id;
    const existing = vmById.get(vmId);
    if (existing !== undefined) {
      existing.nics.push(vnic);
    } else {
      const vmName = typeof vmLab.vmName === 'string' && vmLab.vmName !== '' ? vmLab.vmName : vnic.name;
      const vm: Vm = { id: vmId, name: vmName, hostId, nics: [vnic] };
      vmById.set(vmId, vm);
      doc.vms.push(vm);
    }
  }

  if (Array.isArray(top.routers)) doc.routers = top.routers as Router[];

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
