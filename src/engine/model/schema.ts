// The topology document: plain JSON, versioned. This schema is the single source of
// truth for the document's types (z.infer) and its structural validation; the rules
// that span objects (references, uniqueness, prefixes) live in validate.ts.
// Every object has a stable `id` (references use ids) and a human `name`.
import { z } from 'zod';
import { gatewayPoolSchema, gatewaySchema, siteSchema, virtualGatewaySchema } from './gatewaySchema';
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

/**
 * A VNet peering, one direction of it (the NC's virtualNetworkPeerings under a virtual network):
 * traffic passes only when the remote VM network peers back ('Connected'); one side alone is
 * 'Initiated'. The address spaces of peered networks must not overlap.
 */
export const vnetPeeringSchema = z.object({
  id,
  name,
  remoteVmNetworkId: id,
  /** This network's VMs may reach the remote network (the peering's routes are installed). */
  allowVirtualNetworkAccess: z.boolean(),
  /** Traffic the remote network forwarded (an appliance there, not from its own address space) may enter this one. */
  allowForwardedTraffic: z.boolean(),
  /** Kept for NC fidelity: the lab has no gateway for a peer to use yet. */
  allowGatewayTransit: z.boolean(),
  useRemoteGateways: z.boolean(),
});

/** A VM network is one routing domain: the isolation boundary. */
export const vmNetworkSchema = z.object({
  id,
  name,
  tenantId: id,
  /** Routing domain ID, unique in the datacenter (the HNVv1 CustomerID GUID, the NC resource id). */
  routingDomainId: z.string().regex(/^\{?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?$/, 'a GUID'),
  peerings: z.array(vnetPeeringSchema).optional(),
});

/** Where a user-defined route sends a packet (the NC's nextHopType). */
export const nextHopTypeSchema = z.enum(['VirtualAppliance', 'VnetLocal', 'VirtualNetworkGateway', 'None']);

/** One user-defined route: packets to `addressPrefix` go to the next hop (longest prefix wins). */
export const routeSchema = z.object({
  id,
  name,
  addressPrefix: cidr,
  nextHopType: nextHopTypeSchema,
  /** The appliance's CA, only with nextHopType 'VirtualAppliance'. */
  nextHopIpAddress: ipv4.optional(),
});

/** A route table (UDR): associated to virtual subnets, it applies to packets their VMs send. */
export const routeTableSchema = z.object({
  id,
  name,
  routes: z.array(routeSchema),
});

export const virtualSubnetSchema = z.object({
  id,
  name,
  vmNetworkId: id,
  vsid: z.number().int(),
  prefix: cidr,
  encapsulation: encapsulationSchema,
  aclId: id.optional(),
  /** The route table (user-defined routes) applied to packets this subnet's VMs send. */
  routeTableId: id.optional(),
  /**
   * How the subnet is kept apart from other tenants. 'overlay' (the default when absent):
   * HNV, the VSID travels in VXLAN/NVGRE. 'vlan': the classic way, an 802.1Q tag pushed by
   * the vSwitch port and bridged at L2; the VSID then stays inside the lab (it never goes
   * on the wire) and `vlanId` is what isolates the tenant.
   */
  isolation: isolationSchema.optional(),
  /** The tenant VLAN (1..4094) when `isolation` is 'vlan'. */
  vlanId: z.number().int().optional(),
  /**
   * The distributed router's MAC in this subnet: what the host agent answers for the gateway
   * address and the source MAC of frames routed into the subnet. Absent: derived from the
   * VSID (`derivedGatewayMac`), the same on every host.
   */
  gatewayMac: mac.optional(),
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
  /**
   * IP forwarding (a virtual appliance): the port accepts frames from source IPs other than the
   * CA, and the guest routes packets not addressed to it back out through its gateway.
   */
  ipForwarding: z.boolean().optional(),
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

const port = z.number().int().min(1).max(65535);

/**
 * A device outside the HNV fabric on a router-attached logical subnet (an internet client, a
 * partner's server): it has an IP and a MAC on that link and talks to the fabric through the
 * router. Named 'LINK/NAME' in traces ('Internet/Client').
 */
export const externalEndpointSchema = z.object({ id, name, logicalSubnetId: id, ip: ipv4, mac });

/**
 * An SLB MUX VM on a host: it has an address on the host's logical subnet and announces every
 * VIP to the L3 routers over BGP (modelled as data: each router gets VIP/32 via the MUX's IP).
 */
export const slbMuxSchema = z.object({
  id,
  name,
  hostId: id,
  ip: ipv4,
  mac,
  /** The MUX's BGP autonomous system number (private range by default). */
  asn: z.number().int().min(1).max(4_294_967_295),
});

export const lbProtocolSchema = z.enum(['tcp', 'udp']);

/** A load-balancing rule (NC loadBalancingRules): VIP:frontendPort -> every healthy DIP:backendPort. */
export const lbRuleSchema = z.object({
  id,
  name,
  protocol: lbProtocolSchema,
  frontendPort: port,
  backendPort: port,
  /** 'default': 5-tuple hash; 'sourceIP': 2-tuple (src, dst IP); 'sourceIPProtocol': 3-tuple. */
  loadDistribution: z.enum(['default', 'sourceIP', 'sourceIPProtocol']),
  probeId: id.optional(),
});

/** A health probe the SLB host agent runs against every DIP (NC probes). */
export const lbProbeSchema = z.object({
  id,
  name,
  protocol: z.enum(['tcp', 'http']),
  port,
  requestPath: z.string().max(256).optional(),
  intervalInSeconds: z.number().int().min(5).max(3600),
  numberOfProbes: z.number().int().min(1).max(100),
});

/** VIP:frontendPort -> one DIP:backendPort (NC inboundNatRules), e.g. RDP to one VM. */
export const lbInboundNatRuleSchema = z.object({
  id,
  name,
  protocol: lbProtocolSchema,
  frontendPort: port,
  backendPort: port,
  backendVnicId: id,
});

/** SNAT of the DIPs' own outbound connections to the VIP, each DIP with its slice of the port range. */
export const lbOutboundNatRuleSchema = z.object({
  id,
  name,
  protocol: z.enum(['all', 'tcp', 'udp']),
  portRangeStart: port,
  portRangeEnd: port,
});

/** A software load balancer: one frontend VIP, a backend pool of DIPs (vNICs), rules and probes. */
export const loadBalancerSchema = z.object({
  id,
  name,
  frontendIp: ipv4,
  backendVnicIds: z.array(id),
  rules: z.array(lbRuleSchema),
  probes: z.array(lbProbeSchema),
  inboundNatRules: z.array(lbInboundNatRuleSchema),
  outboundNatRules: z.array(lbOutboundNatRuleSchema),
  /**
   * DIPs (vNIC ids) whose health probe gets no answer: the lab's switch for a failing VM. The
   * MUX stops picking them for new flows; flows it already sent there stay (flow affinity).
   */
  probeFailures: z.array(id).optional(),
});

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
  /** User-defined route tables (absent: none). */
  routeTables: z.array(routeTableSchema).optional(),
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
  /** The multi-tenant RAS gateway and what lies beyond the L3 router (gatewaySchema.ts). */
  gatewayPools: z.array(gatewayPoolSchema).optional(),
  gateways: z.array(gatewaySchema).optional(),
  virtualGateways: z.array(virtualGatewaySchema).optional(),
  sites: z.array(siteSchema).optional(),
  /** Software load balancing (SDN v2): load balancers, the MUXes announcing their VIPs, clients outside. */
  loadBalancers: z.array(loadBalancerSchema).optional(),
  slbMuxes: z.array(slbMuxSchema).optional(),
  externalEndpoints: z.array(externalEndpointSchema).optional(),
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
export type VnetPeering = z.infer<typeof vnetPeeringSchema>;
export type NextHopType = z.infer<typeof nextHopTypeSchema>;
export type Route = z.infer<typeof routeSchema>;
export type RouteTable = z.infer<typeof routeTableSchema>;
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
export type ExternalEndpoint = z.infer<typeof externalEndpointSchema>;
export type SlbMux = z.infer<typeof slbMuxSchema>;
export type LbRule = z.infer<typeof lbRuleSchema>;
export type LbProbe = z.infer<typeof lbProbeSchema>;
export type LbInboundNatRule = z.infer<typeof lbInboundNatRuleSchema>;
export type LbOutboundNatRule = z.infer<typeof lbOutboundNatRuleSchema>;
export type LoadBalancer = z.infer<typeof loadBalancerSchema>;

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

/** Software load balancing's optional collections, and what each object is called in messages. */
export const SLB_COLLECTIONS = {
  loadBalancers: 'load balancer',
  slbMuxes: 'SLB MUX',
  externalEndpoints: 'external endpoint',
} as const;

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
