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

import { gatewayOf } from '../net';
import { ProgressMeter, type ProgressSink } from '../progress';
import { AddressAllocator } from './allocate';
import { clip, quote, show } from './quote';
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
  /** Hyper-V port settings; the lab models MAC spoofing (absent: Disabled). */
  portSettings?: { macSpoofing: 'Enabled' | 'Disabled' };
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
            ...(nic.macAddressSpoofing ? { portSettings: { macSpoofing: 'Enabled' as const } } : {}),
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

/** A key the JSON itself holds: 'constructor' or 'toString' never reach Object.prototype. */
function own(owner: Json, key: string): unknown {
  return Object.hasOwn(owner, key) ? owner[key] : undefined;
}

/** The REST resource a message is about: its kind and resourceId (or position). */
interface Who {
  kind: string;
  name?: string;
}

function label(who: Who): string {
  return who.name === undefined ? who.kind : `${who.kind} ${quote(who.name)}`;
}

/**
 * Reads loosely typed JSON field by field: every value is checked before use, and a wrong
 * one is recorded (resource, field, rule) in the validator's shape, never replaced.
 */
class RestReader {
  readonly errors: ValidationError[] = [];

  fail(who: Who, field: string, rule: string, message: string): void {
    const error: ValidationError = { objectKind: who.kind, field, rule, message };
    if (who.name !== undefined) error.objectName = clip(who.name);
    this.errors.push(error);
  }

  private wrongType(who: Who, field: string, value: unknown, expected: string): void {
    this.fail(who, field, 'type', `${label(who)} ${field} ${show(value)} is not ${expected}`);
  }

  /** An object; absent reads as empty. */
  object(owner: Json, key: string, who: Who, field: string): Json {
    const value = own(owner, key);
    if (value === undefined) return {};
    if (isJson(value)) return value;
    this.wrongType(who, field, value, 'an object');
    return {};
  }

  /**
   * A list of objects; absent reads as empty. An element that is not an object is reported
   * and left as a hole, so forEach and map skip it and still pass every other element its
   * own index (the import stops before the holes matter: there is an error).
   */
  list(owner: Json, key: string, who: Who, field: string): Json[] {
    const value = own(owner, key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.wrongType(who, field, value, 'a list');
      return [];
    }
    const items: Json[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (isJson(value[i])) items[i] = value[i];
      else this.wrongType(who, `${field}[${i}]`, value[i], 'an object');
    }
    return items;
  }

  /** A non-empty string; absent is the fallback when there is one, else reported. */
  text(owner: Json, key: string, who: Who, field: string, fallback?: string): string {
    const value = own(owner, key);
    if (typeof value === 'string' && value !== '') return value;
    if (value === undefined && fallback !== undefined) return fallback;
    if (value === undefined) this.fail(who, field, 'required', `${label(who)} ${field} is missing`);
    else if (value === '') this.fail(who, field, 'not-empty', `${label(who)} ${field} is empty`);
    else this.wrongType(who, field, value, 'a string');
    return fallback ?? '';
  }

  /** A string when present. */
  optionalText(owner: Json, key: string, who: Who, field: string): string | undefined {
    const value = own(owner, key);
    if (value === undefined || typeof value === 'string') return value;
    this.wrongType(who, field, value, 'a string');
    return undefined;
  }

  /** A finite number when present (a numeric string is a wrong type, not a number). */
  optionalNumber(owner: Json, key: string, who: Who, field: string): number | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.wrongType(who, field, value, 'a number');
    return undefined;
  }

  number(owner: Json, key: string, who: Who, field: string): number {
    const value = this.optionalNumber(owner, key, who, field);
    if (value === undefined && own(owner, key) === undefined)
      this.fail(who, field, 'required', `${label(who)} ${field} is missing`);
    return value ?? 0;
  }

  /** One of a few spellings (matched without case), as its lab value; absent is undefined. */
  optionalChoice<T extends string>(
    owner: Json,
    key: string,
    who: Who,
    field: string,
    choices: ReadonlyMap<string, T>,
    spelled: string,
  ): T | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    const choice = typeof value === 'string' ? choices.get(value.toLowerCase()) : undefined;
    if (choice === undefined)
      this.fail(who, field, 'value', `${label(who)} ${field} ${show(value)} is not one of ${spelled}`);
    return choice;
  }

  choice<T extends string>(
    owner: Json,
    key: string,
    who: Who,
    field: string,
    choices: ReadonlyMap<string, T>,
    spelled: string,
  ): T | undefined {
    if (own(owner, key) === undefined) {
      this.fail(who, field, 'required', `${label(who)} ${field} is missing (one of ${spelled})`);
      return undefined;
    }
    return this.optionalChoice(owner, key, who, field, choices, spelled);
  }

  /** A list of strings when present. */
  optionalStrings(owner: Json, key: string, who: Who, field: string): string[] | undefined {
    return this.optionalListOf(owner, key, who, field, 'a string', (v): v is string => typeof v === 'string');
  }

  /** A list of numbers when present. */
  optionalNumbers(owner: Json, key: string, who: Who, field: string): number[] | undefined {
    return this.optionalListOf(
      owner,
      key,
      who,
      field,
      'a number',
      (v): v is number => typeof v === 'number' && Number.isFinite(v),
    );
  }

  private optionalListOf<T>(
    owner: Json,
    key: string,
    who: Who,
    field: string,
    expected: string,
    is: (value: unknown) => value is T,
  ): T[] | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.wrongType(who, field, value, 'a list');
      return undefined;
    }
    const items: T[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (is(item)) items.push(item);
      else this.wrongType(who, `${field}[${i}]`, item, expected);
    }
    return items;
  }

  /** The id a reference ({ resourceRef: "/virtualNetworks/a/subnets/b" }) points at, when present. */
  optionalRef(owner: Json, key: string, who: Who, field: string): string | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    const tail = isJson(value) ? refTail(own(value, 'resourceRef')) : undefined;
    if (tail === undefined) {
      this.fail(
        who,
        field,
        'reference',
        `${label(who)} ${field} ${show(value)} is not a reference like { "resourceRef": "/servers/Host1" }`,
      );
    }
    return tail;
  }

  /** A list of references when present. */
  optionalRefs(owner: Json, key: string, who: Who, field: string): string[] | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.wrongType(who, field, value, 'a list');
      return undefined;
    }
    const ids: string[] = [];
    value.forEach((_, i) => {
      const id = this.optionalRef(value as unknown as Json, String(i), who, `${field}[${i}]`);
      if (id !== undefined) ids.push(id);
    });
    return ids;
  }

  /** properties, resourceMetadata and hnvLab blocks: objects when present. */
  props(resource: Json, who: Who, at = ''): Json {
    return this.object(resource, 'properties', who, `${at}properties`);
  }

  /** The resource's display name (resourceMetadata.name), its id without one. */
  nameOf(resource: Json, who: Who, id: string): string {
    const metadata = this.object(resource, 'resourceMetadata', who, 'resourceMetadata');
    const name = this.optionalText(metadata, 'name', who, 'resourceMetadata.name');
    return name !== undefined && name.trim() !== '' ? name : id;
  }

  /** A resource's id, and who it is in messages ("#2" of its list when it has none). */
  resource(resource: Json, kind: string, index: number): { id: string; who: Who } {
    const raw = own(resource, 'resourceId');
    const who: Who = { kind, name: typeof raw === 'string' && raw !== '' ? raw : `#${index + 1}` };
    return { id: this.text(resource, 'resourceId', who, 'resourceId'), who };
  }
}

/** The last path segment of a resourceRef ("/virtualNetworks/a/subnets/b" -> "b"). */
function refTail(ref: unknown): string | undefined {
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
function fromNcMac(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const hex = value.replace(/[-:.]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return value;
  return hex.match(/../g)?.join(':');
}

const PROTOCOLS: ReadonlyMap<string, AclRule['protocol']> = new Map([
  ['all', 'all'],
  ['*', 'all'],
  ['tcp', 'tcp'],
  ['udp', 'udp'],
  ['icmp', 'icmp'],
]);
const ACTIONS: ReadonlyMap<string, AclRule['action']> = new Map([
  ['allow', 'allow'],
  ['deny', 'deny'],
]);
const SWITCHES: ReadonlyMap<string, 'Enabled' | 'Disabled'> = new Map([
  ['enabled', 'Enabled'],
  ['disabled', 'Disabled'],
]);
const DIRECTIONS: ReadonlyMap<string, AclRule['direction']> = new Map([
  ['inbound', 'inbound'],
  ['outbound', 'outbound'],
]);
const HNV_MODES: ReadonlyMap<string, HnvMode> = new Map([
  ['v1', 'v1'],
  ['v2', 'v2'],
]);
const ENCAPSULATIONS: ReadonlyMap<string, Encapsulation> = new Map([
  ['vxlan', 'vxlan'],
  ['nvgre', 'nvgre'],
]);
const ISOLATIONS: ReadonlyMap<string, Isolation> = new Map([
  ['overlay', 'overlay'],
  ['vlan', 'vlan'],
]);

function ordered<T extends { id: string }>(items: T[], ids: string[] | undefined): T[] {
  if (ids === undefined || ids.length !== items.length) return items;
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

/** The lab's physical routers, kept under hnvLab.routers: every field checked like a resource's. */
function readRouters(reader: RestReader, top: Json, exported: Who): Router[] | undefined {
  if (own(top, 'routers') === undefined) return undefined;
  return reader.list(top, 'routers', exported, 'hnvLab.routers').map((r, index) => {
    const raw = own(r, 'id');
    const who: Who = { kind: 'router', name: typeof raw === 'string' && raw !== '' ? raw : `#${index + 1}` };
    const at = `hnvLab.routers[${index}]`;
    const id = reader.text(r, 'id', who, `${at}.id`);
    return {
      id,
      name: reader.text(r, 'name', who, `${at}.name`, id),
      interfaces: reader.list(r, 'interfaces', who, `${at}.interfaces`).map((itf, i) => ({
        logicalSubnetId: reader.text(itf, 'logicalSubnetId', who, `${at}.interfaces[${i}].logicalSubnetId`),
        ip: reader.text(itf, 'ip', who, `${at}.interfaces[${i}].ip`),
        mac: reader.text(itf, 'mac', who, `${at}.interfaces[${i}].mac`),
      })),
    };
  });
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
  const order = reader.object(top, 'order', exported, 'hnvLab.order');

  // Logical networks and their subnets.
  meter.each(
    'Reading logical networks',
    reader.list(input, 'logicalNetworks', exported, 'logicalNetworks'),
    (ln, lnIndex) => {
      const { id, who } = reader.resource(ln, 'logical network', lnIndex);
      doc.logicalNetworks.push({ id, name: reader.nameOf(ln, who, id) });
      reader.list(reader.props(ln, who), 'subnets', who, 'properties.subnets').forEach((ls, lsIndex) => {
        const { id: lsId, who: lsWho } = reader.resource(ls, 'logical subnet', lsIndex);
        const p = reader.props(ls, lsWho);
        const extra = reader.object(p, 'hnvLab', lsWho, 'properties.hnvLab');
        const prefix = reader.text(p, 'addressPrefix', lsWho, 'properties.addressPrefix');
        const gateways = reader.optionalStrings(p, 'defaultGateways', lsWho, 'properties.defaultGateways');
        let defaultGateway = gateways?.[0];
        if (defaultGateway === undefined) {
          // No gateway given: assume the lowest host address, the usual ToR SVI.
          defaultGateway = gatewayOf(prefix) ?? '';
        }
        const logicalSubnet: LogicalSubnet = {
          id: lsId,
          name: reader.nameOf(ls, lsWho, lsId),
          logicalNetworkId: id,
          prefix,
          // Absent means untagged, as on the NC.
          vlanId: reader.optionalNumber(p, 'vlanID', lsWho, 'properties.vlanID') ?? 0,
          defaultGateway,
          mtu: reader.optionalNumber(extra, 'mtu', lsWho, 'properties.hnvLab.mtu') ?? 1500,
        };
        const trunkedVlans = reader.optionalNumbers(
          extra,
          'trunkedVlans',
          lsWho,
          'properties.hnvLab.trunkedVlans',
        );
        if (trunkedVlans !== undefined) logicalSubnet.trunkedVlans = trunkedVlans;
        doc.logicalSubnets.push(logicalSubnet);
      });
    },
  );
  doc.logicalSubnets = ordered(
    doc.logicalSubnets,
    reader.optionalStrings(order, 'logicalSubnets', exported, 'hnvLab.order.logicalSubnets'),
  );

  // Tenants: the lab's list, plus any tenantId met in resource metadata.
  const tenantIds = new Set<string>();
  reader.list(top, 'tenants', exported, 'hnvLab.tenants').forEach((t, index) => {
    const raw = own(t, 'id');
    const who: Who = { kind: 'tenant', name: typeof raw === 'string' && raw !== '' ? raw : `#${index + 1}` };
    const id = reader.text(t, 'id', who, `hnvLab.tenants[${index}].id`);
    doc.tenants.push({ id, name: reader.text(t, 'name', who, `hnvLab.tenants[${index}].name`) });
    tenantIds.add(id);
  });
  const ensureTenant = (tenantId: string): void => {
    if (tenantIds.has(tenantId)) return;
    tenantIds.add(tenantId);
    doc.tenants.push({ id: tenantId, name: tenantId });
  };

  // ACLs.
  meter.each(
    'Reading access control lists',
    reader.list(input, 'accessControlLists', exported, 'accessControlLists'),
    (a, aclIndex) => {
      const { id, who } = reader.resource(a, 'access control list', aclIndex);
      const p = reader.props(a, who);
      const rules: AclRule[] = reader.list(p, 'aclRules', who, 'properties.aclRules').map((r, ruleIndex) => {
        const raw = own(r, 'resourceId');
        const ruleWho: Who = {
          kind: 'ACL rule',
          name: `${id}/${typeof raw === 'string' && raw !== '' ? raw : `#${ruleIndex + 1}`}`,
        };
        const ruleId = reader.text(r, 'resourceId', ruleWho, 'resourceId');
        const rp = reader.props(r, ruleWho);
        const description = reader.optionalText(rp, 'description', ruleWho, 'properties.description');
        const wildcard = (key: string): string =>
          reader.optionalText(rp, key, ruleWho, `properties.${key}`) ?? '*';
        return {
          id: ruleId,
          name: description !== undefined && description.trim() !== '' ? description : ruleId,
          priority: reader.number(rp, 'priority', ruleWho, 'properties.priority'),
          direction:
            reader.choice(rp, 'type', ruleWho, 'properties.type', DIRECTIONS, 'Inbound, Outbound') ??
            'inbound',
          action:
            reader.choice(rp, 'action', ruleWho, 'properties.action', ACTIONS, 'Allow, Deny') ?? 'allow',
          protocol:
            reader.choice(rp, 'protocol', ruleWho, 'properties.protocol', PROTOCOLS, 'All, TCP, UDP, ICMP') ??
            'all',
          sourceAddressPrefix: wildcard('sourceAddressPrefix'),
          sourcePortRange: wildcard('sourcePortRange'),
          destinationAddressPrefix: wildcard('destinationAddressPrefix'),
          destinationPortRange: wildcard('destinationPortRange'),
        };
      });
      const extra = reader.object(p, 'hnvLab', who, 'properties.hnvLab');
      const defaultAction =
        reader.optionalChoice(
          extra,
          'defaultAction',
          who,
          'properties.hnvLab.defaultAction',
          ACTIONS,
          "'allow', 'deny'",
        ) ?? 'allow';
      const acl: Acl = { id, name: reader.nameOf(a, who, id), defaultAction, rules };
      doc.acls.push(acl);
    },
  );

  // Virtual networks and subnets. Missing VSIDs and routing domain IDs are allocated below.
  const subnetsWithoutVsid: VirtualSubnet[] = [];
  const networksWithoutRdid = new Set<string>();
  meter.each(
    'Reading virtual networks',
    reader.list(input, 'virtualNetworks', exported, 'virtualNetworks'),
    (vn, vnIndex) => {
      const { id, who } = reader.resource(vn, 'virtual network', vnIndex);
      const metadata = reader.object(vn, 'resourceMetadata', who, 'resourceMetadata');
      const tenantId =
        reader.optionalText(metadata, 'tenantId', who, 'resourceMetadata.tenantId') || 'imported';
      ensureTenant(tenantId);
      const instanceId = reader.optionalText(vn, 'instanceId', who, 'instanceId') ?? '';
      if (instanceId === '') networksWithoutRdid.add(id);
      doc.vmNetworks.push({ id, name: reader.nameOf(vn, who, id), tenantId, routingDomainId: instanceId });
      reader.list(reader.props(vn, who), 'subnets', who, 'properties.subnets').forEach((s, sIndex) => {
        const { id: sId, who: sWho } = reader.resource(s, 'virtual subnet', sIndex);
        const p = reader.props(s, sWho);
        const extra = reader.object(p, 'hnvLab', sWho, 'properties.hnvLab');
        const vsid = reader.optionalNumber(p, 'vsid', sWho, 'properties.vsid');
        const encapsulation = reader.optionalChoice(
          extra,
          'encapsulation',
          sWho,
          'properties.hnvLab.encapsulation',
          ENCAPSULATIONS,
          "'vxlan', 'nvgre'",
        );
        const subnet: VirtualSubnet = {
          id: sId,
          name: reader.nameOf(s, sWho, sId),
          vmNetworkId: id,
          vsid: vsid ?? 0,
          prefix: reader.text(p, 'addressPrefix', sWho, 'properties.addressPrefix'),
          encapsulation: encapsulation ?? (hnvMode === 'v1' ? 'nvgre' : 'vxlan'),
        };
        const aclId = reader.optionalRef(p, 'accessControlList', sWho, 'properties.accessControlList');
        if (aclId !== undefined) subnet.aclId = aclId;
        const isolation = reader.optionalChoice(
          extra,
          'isolation',
          sWho,
          'properties.hnvLab.isolation',
          ISOLATIONS,
          "'overlay', 'vlan'",
        );
        if (isolation !== undefined) subnet.isolation = isolation;
        const vlanId = reader.optionalNumber(extra, 'vlanId', sWho, 'properties.hnvLab.vlanId');
        if (vlanId !== undefined) subnet.vlanId = vlanId;
        // Only an absent VSID is allocated; a wrong one was reported above.
        if (own(p, 'vsid') === undefined) subnetsWithoutVsid.push(subnet);
        doc.virtualSubnets.push(subnet);
      });
    },
  );
  doc.virtualSubnets = ordered(
    doc.virtualSubnets,
    reader.optionalStrings(order, 'virtualSubnets', exported, 'hnvLab.order.virtualSubnets'),
  );

  // Hosts (servers). PAs and team member MACs come from hnvLab, or are allocated below.
  const hostsWithoutPas: Host[] = [];
  const membersWithoutMac: { host: Host; index: number }[] = [];
  meter.each('Reading servers', reader.list(input, 'servers', exported, 'servers'), (server, serverIndex) => {
    const { id, who } = reader.resource(server, 'server', serverIndex);
    const p = reader.props(server, who);
    const interfaces = reader.list(p, 'networkInterfaces', who, 'properties.networkInterfaces');
    let logicalSubnetId = '';
    const teamMembers = interfaces.map((nic, index) => {
      const at = `properties.networkInterfaces[${index}].`;
      const nicProps = reader.props(nic, who, at);
      const subnets = reader.optionalRefs(nicProps, 'logicalSubnets', who, `${at}properties.logicalSubnets`);
      if (logicalSubnetId === '' && subnets !== undefined && subnets.length > 0) logicalSubnetId = subnets[0];
      const memberName = reader.optionalText(nic, 'resourceId', who, `${at}resourceId`) || `NIC${index + 1}`;
      const extra = reader.object(nicProps, 'hnvLab', who, `${at}properties.hnvLab`);
      const mac = reader.optionalText(extra, 'macAddress', who, `${at}properties.hnvLab.macAddress`);
      return { name: memberName, mac: fromNcMac(mac) ?? '' };
    });
    if (logicalSubnetId === '') {
      reader.fail(
        who,
        'properties.networkInterfaces',
        'required',
        `${label(who)} has no network interface on a logical subnet, so the lab cannot place its PAs`,
      );
    }
    const extra = reader.object(p, 'hnvLab', who, 'properties.hnvLab');
    const providerAddresses = reader.optionalStrings(
      extra,
      'providerAddresses',
      who,
      'properties.hnvLab.providerAddresses',
    );
    const host: Host = {
      id,
      name: reader.nameOf(server, who, id),
      logicalSubnetId,
      teamMembers,
      providerAddresses: providerAddresses ?? [],
    };
    host.teamMembers.forEach((m, index) => {
      if (m.mac === '') membersWithoutMac.push({ host, index });
    });
    if (own(extra, 'providerAddresses') === undefined) hostsWithoutPas.push(host);
    doc.hosts.push(host);
  });

  // Network interfaces, grouped into VMs (hnvLab.vmId; one VM per interface without it).
  const vmById = new Map<string, Vm>();
  meter.each(
    'Reading network interfaces',
    reader.list(input, 'networkInterfaces', exported, 'networkInterfaces'),
    (ni, niIndex) => {
      const { id, who } = reader.resource(ni, 'network interface', niIndex);
      const p = reader.props(ni, who);
      const ipConfigurations = reader.list(p, 'ipConfigurations', who, 'properties.ipConfigurations');
      const ip = ipConfigurations[0];
      if (ip === undefined) {
        if (ipConfigurations.length > 0) return; // not an object: reported
        reader.fail(
          who,
          'properties.ipConfigurations',
          'required',
          `${label(who)} has no ipConfiguration, so it has no CA`,
        );
        return;
      }
      const at = 'properties.ipConfigurations[0].properties';
      const ipp = reader.object(ip, 'properties', who, at);
      const hostId = reader.optionalRef(p, 'server', who, 'properties.server');
      if (hostId === undefined) {
        if (own(p, 'server') === undefined) {
          reader.fail(
            who,
            'properties.server',
            'required',
            `${label(who)} has no server, so the lab does not know which host runs it`,
          );
        }
        return;
      }
      const metadata = reader.object(ni, 'resourceMetadata', who, 'resourceMetadata');
      const tenantId = reader.optionalText(metadata, 'tenantId', who, 'resourceMetadata.tenantId');
      if (tenantId !== undefined) ensureTenant(tenantId);
      const vnic: Vnic = {
        id,
        name: reader.nameOf(ni, who, id),
        mac:
          fromNcMac(reader.optionalText(p, 'privateMacAddress', who, 'properties.privateMacAddress')) ?? '',
        caIp: reader.text(ipp, 'privateIPAddress', who, `${at}.privateIPAddress`),
        virtualSubnetId: reader.optionalRef(ipp, 'subnet', who, `${at}.subnet`) ?? '',
      };
      const aclId = reader.optionalRef(ipp, 'accessControlList', who, `${at}.accessControlList`);
      if (aclId !== undefined) vnic.aclId = aclId;
      const portSettings = reader.object(p, 'portSettings', who, 'properties.portSettings');
      const spoofing = reader.optionalChoice(
        portSettings,
        'macSpoofing',
        who,
        'properties.portSettings.macSpoofing',
        SWITCHES,
        'Enabled, Disabled',
      );
      if (spoofing === 'Enabled') vnic.macAddressSpoofing = true;
      const vmLab = reader.object(p, 'hnvLab', who, 'properties.hnvLab');
      const vmId = reader.optionalText(vmLab, 'vmId', who, 'properties.hnvLab.vmId') || id;
      const existing = vmById.get(vmId);
      if (existing !== undefined) {
        existing.nics.push(vnic);
      } else {
        const vmName = reader.optionalText(vmLab, 'vmName', who, 'properties.hnvLab.vmName') || vnic.name;
        const vm: Vm = { id: vmId, name: vmName, hostId, nics: [vnic] };
        vmById.set(vmId, vm);
        doc.vms.push(vm);
      }
    },
  );

  const routers = readRouters(reader, top, exported);
  if (routers !== undefined) doc.routers = routers;

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
