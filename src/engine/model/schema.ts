// The topology document: plain JSON, versioned. This schema is the single source of
// truth for the document's types (z.infer) and its structural validation; the rules
// that span objects (references, uniqueness, prefixes) live in validate.ts.
// Every object has a stable `id` (references use ids) and a human `name`.
import { z } from 'zod';
import { bidiControlIndex } from './quote';

// No run-time code generation: the lab runs under a CSP without 'unsafe-eval'
// (scripts/vite/csp.ts). Set before any schema below is built (zod reads it then).
z.config({ jitless: true });

export const DOCUMENT_VERSION = 1;

/** VSIDs below 4096 are reserved; 2^24-1 is reserved too (DOMAIN.md §2). */
export const VSID_MIN = 4096;
export const VSID_MAX = 16_777_214;

const id = z.string().min(1).max(64);
/**
 * Names are shown inside sentences (trace verdicts, errors): bidirectional control
 * characters (U+202A..U+202E, U+2066..U+2069, U+200E/F, U+061C) would flip the text around
 * them, so a name with one is refused (validate.ts says which character, where).
 */
const name = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((text) => bidiControlIndex(text) < 0, { params: { rule: 'no-bidi-control' } });
const ipv4 = z.ipv4();
const cidr = z.cidrv4();
const mac = z
  .string()
  .regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/, 'a MAC like 00:15:5d:01:02:03 (lower case, colons)');
const portRange = z.string().regex(/^(\*|\d{1,5}(-\d{1,5})?)$/, "'*', a port, or a range like 1024-2047");
const prefixOrAny = z.union([z.literal('*'), cidr]);

export const encapsulationSchema = z.enum(['vxlan', 'nvgre']);
export const hnvModeSchema = z.enum(['v2', 'v1']);
export const isolationSchema = z.enum(['overlay', 'vlan']);

export const tenantSchema = z.object({ id, name });

/** A VM network is one routing domain: the isolation boundary. */
export const vmNetworkSchema = z.object({
  id,
  name,
  tenantId: id,
  /** Routing domain ID, unique in the datacenter (the HNVv1 CustomerID GUID, the NC resource id). */
  routingDomainId: z.string().regex(/^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$/, 'a GUID'),
});

export const virtualSubnetSchema = z.object({
  id,
  name,
  vmNetworkId: id,
  vsid: z.number().int(),
  prefix: cidr,
  encapsulation: encapsulationSchema,
  aclId: id.optional(),
  /**
   * How the subnet is kept apart from other tenants. 'overlay' (the default when absent):
   * HNV, the VSID travels in VXLAN/NVGRE. 'vlan': the classic way, an 802.1Q tag pushed by
   * the vSwitch port and bridged at L2; the VSID then stays inside the lab (it never goes
   * on the wire) and `vlanId` is what isolates the tenant.
   */
  isolation: isolationSchema.optional(),
  /** The tenant VLAN (1..4094) when `isolation` is 'vlan'. */
  vlanId: z.number().int().optional(),
});

/** One rule of an access control list, shaped like the Network Controller's aclRules. */
export const aclRuleSchema = z.object({
  id,
  name,
  priority: z.number().int().min(100).max(65500),
  direction: z.enum(['inbound', 'outbound']),
  action: z.enum(['allow', 'deny']),
  protocol: z.enum(['all', 'tcp', 'udp', 'icmp']),
  sourceAddressPrefix: prefixOrAny,
  sourcePortRange: portRange,
  destinationAddressPrefix: prefixOrAny,
  destinationPortRange: portRange,
});

/** Rules are evaluated by ascending priority number; when none matches, the default action applies. */
export const aclSchema = z.object({
  id,
  name,
  defaultAction: z.enum(['allow', 'deny']),
  rules: z.array(aclRuleSchema),
});

/** A VM's network adapter on a vSwitch port: one CA (IP + MAC) in one virtual subnet. */
export const vnicSchema = z.object({
  id,
  name,
  mac,
  caIp: ipv4,
  virtualSubnetId: id,
  aclId: id.optional(),
  /**
   * Hyper-V's MacAddressSpoofing: the VM may send frames from a source MAC other than this
   * vNIC's (nested virtualization, NLB). Off by default: the port drops them.
   */
  macAddressSpoofing: z.boolean().optional(),
});

export const vmSchema = z.object({
  id,
  name,
  hostId: id,
  nics: z.array(vnicSchema).min(1),
});

/** A physical NIC of the host's Switch-Embedded-Teaming team. */
export const teamMemberSchema = z.object({ name, mac });

export const hostSchema = z.object({
  id,
  name,
  logicalSubnetId: id,
  teamMembers: z.array(teamMemberSchema).min(1),
  /**
   * Provider addresses, allocated from the host's logical subnet.
   * HNVv2: one per team member (PA i is bound to team member i).
   * HNVv1: one per virtual subnet with a VM on this host (in order of first use).
   */
  providerAddresses: z.array(ipv4),
});

export const logicalNetworkSchema = z.object({ id, name });

/** A provider logical subnet: the PA space of a rack or VLAN, with its gateway (the ToR's SVI). */
export const logicalSubnetSchema = z.object({
  id,
  name,
  logicalNetworkId: id,
  prefix: cidr,
  vlanId: z.number().int().min(0).max(4094), // 0 = untagged
  defaultGateway: ipv4,
  /**
   * The IP MTU in bytes: the largest IP packet (total length) the PA subnet carries. Not the
   * frame size: jumbo frames of 9014 bytes (Hyper-V's "Jumbo Packet") are IP MTU 9000.
   */
  mtu: z.number().int().min(576).max(9216),
  /**
   * Tenant VLANs the ToR trunks down to the hosts of this logical subnet (802.1Q trunk ports).
   * A VLAN-isolated virtual subnet reaches exactly the hosts whose logical subnet lists its
   * VLAN; every logical subnet that lists it is bridged into one L2 domain by the fabric.
   */
  trunkedVlans: z.array(z.number().int().min(1).max(4094)).optional(),
});

export const routerInterfaceSchema = z.object({
  logicalSubnetId: id,
  ip: ipv4,
  mac,
});

/** A physical L3 router / ToR joining logical subnets. */
export const routerSchema = z.object({
  id,
  name,
  interfaces: z.array(routerInterfaceSchema),
});

/**
 * A lookup record an HNVv1 admin set with New-NetVirtualizationLookupRecord (policy set by
 * PowerShell, no controller): the hosts hold exactly these, whatever the VMs do since.
 */
export const manualLookupRecordSchema = z.object({
  caIp: ipv4,
  vsid: z.number().int(),
  mac,
  pa: ipv4,
  vmName: name.optional(),
});

export const policySourceSchema = z.enum(['controller', 'powershell']);

export const flowProtocolSchema = z.enum(['arp', 'icmp', 'tcp', 'udp']);

/**
 * A packet the lab sends on request, kept with the datacenter (the trace panel's list of flows,
 * run together: Contoso's and Fabrikam's pings side by side). `from` is a vNIC id; `to` a vNIC
 * id or an IPv4 address. The engine's topology ignores flows.
 */
export const flowSchema = z.object({
  id,
  name,
  from: id,
  to: z.string().min(1).max(64),
  protocol: flowProtocolSchema,
  /** TCP/UDP destination port (the trace form's default when absent). */
  dstPort: z.number().int().min(1).max(65535).optional(),
});

const point = z.object({ x: z.number(), y: z.number() });

export const documentSchema = z.object({
  version: z.literal(DOCUMENT_VERSION),
  name,
  hnvMode: hnvModeSchema,
  tenants: z.array(tenantSchema),
  vmNetworks: z.array(vmNetworkSchema),
  virtualSubnets: z.array(virtualSubnetSchema),
  acls: z.array(aclSchema),
  vms: z.array(vmSchema),
  hosts: z.array(hostSchema),
  logicalNetworks: z.array(logicalNetworkSchema),
  logicalSubnets: z.array(logicalSubnetSchema),
  routers: z.array(routerSchema),
  /**
   * HNVv1: who writes the host agents' lookup records. 'controller' (absent): SCVMM derives them
   * from the VMs and updates every host on a move. 'powershell': the admin's records below are
   * pushed as they are; a live migration leaves them stale until the admin updates them.
   */
  policySource: policySourceSchema.optional(),
  /** The admin's lookup records when `policySource` is 'powershell'. */
  lookupRecords: z.array(manualLookupRecordSchema).optional(),
  /** Flows to send together from the trace panel (lab-only data, kept in NC REST under hnvLab). */
  flows: z.array(flowSchema).optional(),
  /** Canvas positions by object id, per view. The engine ignores them. */
  layout: z
    .object({
      physical: z.record(z.string(), point),
      virtual: z.record(z.string(), point),
    })
    .optional(),
});

export type Encapsulation = z.infer<typeof encapsulationSchema>;
export type HnvMode = z.infer<typeof hnvModeSchema>;
export type Isolation = z.infer<typeof isolationSchema>;
export type Tenant = z.infer<typeof tenantSchema>;
export type VmNetwork = z.infer<typeof vmNetworkSchema>;
export type VirtualSubnet = z.infer<typeof virtualSubnetSchema>;
export type AclRule = z.infer<typeof aclRuleSchema>;
export type Acl = z.infer<typeof aclSchema>;
export type Vnic = z.infer<typeof vnicSchema>;
export type Vm = z.infer<typeof vmSchema>;
export type TeamMember = z.infer<typeof teamMemberSchema>;
export type Host = z.infer<typeof hostSchema>;
export type LogicalNetwork = z.infer<typeof logicalNetworkSchema>;
export type LogicalSubnet = z.infer<typeof logicalSubnetSchema>;
export type RouterInterface = z.infer<typeof routerInterfaceSchema>;
export type Router = z.infer<typeof routerSchema>;
export type ManualLookupRecord = z.infer<typeof manualLookupRecordSchema>;
export type PolicySource = z.infer<typeof policySourceSchema>;
export type Flow = z.infer<typeof flowSchema>;
export type TopologyDocument = z.infer<typeof documentSchema>;

/** The collections of a document that hold objects with ids, and what each object is called in messages. */
export const COLLECTIONS = {
  tenants: 'tenant',
  vmNetworks: 'VM network',
  virtualSubnets: 'virtual subnet',
  acls: 'ACL',
  vms: 'VM',
  hosts: 'host',
  logicalNetworks: 'logical network',
  logicalSubnets: 'logical subnet',
  routers: 'router',
} as const;
export type CollectionName = keyof typeof COLLECTIONS;

/** Optional lists of lab-only objects with ids and names, and what each is called in messages. */
export const LAB_COLLECTIONS = { flows: 'flow' } as const;

export function emptyDocument(name = 'Untitled datacenter', hnvMode: HnvMode = 'v2'): TopologyDocument {
  return {
    version: DOCUMENT_VERSION,
    name,
    hnvMode,
    tenants: [],
    vmNetworks: [],
    virtualSubnets: [],
    acls: [],
    vms: [],
    hosts: [],
    logicalNetworks: [],
    logicalSubnets: [],
    routers: [],
    layout: { physical: {}, virtual: {} },
  };
}
