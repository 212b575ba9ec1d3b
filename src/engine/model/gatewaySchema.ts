// The SDN edge of the document: the multi-tenant RAS gateway (gateway pools, gateway VMs on
// hosts, one virtual gateway per VM network with its connections and BGP-learned routes) and
// what lies beyond the L3 router (on-premises sites and the internet). Shaped after the Network
// Controller's gatewayPools / gateways / virtualGateways resources; all optional in a document.
import { z } from 'zod';
import { bidiControlIndex } from './quote';

// As schema.ts: no run-time code generation (the CSP has no 'unsafe-eval'). This module is
// imported by schema.ts, so it is evaluated first and must set it itself.
z.config({ jitless: true });

// The same primitives as schema.ts (kept here so the two modules do not import each other).
const id = z.string().min(1).max(64);
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
const u32 = z.number().int().min(0).max(0xffffffff);
/** RFC 4303 §2.1: SPI 0 is local-only and 1..255 are reserved: an SA's SPI is 256 or more. */
const spi = z.number().int().min(256).max(0xffffffff);

/** A pool of gateway VMs offering a kind of connection (the NC's gatewayPools, `type`). */
export const gatewayPoolSchema = z.object({
  id,
  name,
  type: z.enum(['All', 'S2sIpSec', 'S2sGre', 'Forwarding']),
});

/**
 * A RAS gateway VM placed on a Hyper-V host. Its internal NIC sits on the host's logical subnet
 * with its own PA (tenant traffic reaches it in VXLAN/NVGRE); its external NIC carries the
 * front-end (public) IP on a logical subnet the L3 router serves.
 */
export const gatewaySchema = z.object({
  id,
  name,
  poolId: id,
  hostId: id,
  providerAddress: ipv4,
  mac,
  externalLogicalSubnetId: id,
  externalIp: ipv4,
  externalMac: mac,
});

/** Prefixes a connection carries by configuration (static routes of the tenant's compartment). */
const routes = z.array(cidr);

export const greConnectionSchema = z.object({
  id,
  name,
  type: z.literal('gre'),
  /** The on-premises site whose edge device ends the tunnel (outer destination). */
  siteId: id,
  /** The GRE key of this tenant's tunnel (RFC 2890): it tells tenants apart on the gateway. */
  greKey: u32,
  routes,
});

export const ipsecConnectionSchema = z.object({
  id,
  name,
  type: z.literal('ipsec'),
  siteId: id,
  /** The outbound SA's SPI (the site chose it) and the inbound SA's (the gateway chose it). */
  spiOut: spi,
  spiIn: spi,
  routes,
});

/**
 * L3 forwarding: the tenant's packets for the connection's routes leave the gateway untunnelled,
 * 802.1Q-tagged on a VLAN of the physical network, from the compartment's L3 interface to the
 * peer router there; the answers come back on that VLAN into the compartment (NC: connectionType
 * 'L3', l3Configuration.vlanSubnet, ipAddresses, peerIPAddresses).
 */
export const l3ConnectionSchema = z.object({
  id,
  name,
  type: z.literal('l3'),
  /** The VLAN the connection's frames carry: the VLAN of its logical subnet. */
  vlanId: z.number().int().min(1).max(4094),
  /** The logical subnet of that VLAN (the NC's l3Configuration.vlanSubnet). */
  logicalSubnetId: id,
  /** The compartment's L3 interface on the VLAN: its IP and prefix length (the NC's ipAddresses). */
  localIp: ipv4,
  prefixLength: z.number().int().min(1).max(30),
  /** The next hop on the VLAN: the physical network's router (the NC's peerIPAddresses). */
  peerIp: ipv4,
  routes,
});

export const natConnectionSchema = z.object({
  id,
  name,
  type: z.literal('nat'),
  /** SNAT source: the gateway's public IP when absent. */
  publicIp: ipv4.optional(),
  /** The ports (and ICMP identifiers) this tenant's flows are mapped to. */
  portRangeStart: z.number().int().min(1).max(65535),
  portRangeEnd: z.number().int().min(1).max(65535),
});

export const gatewayConnectionSchema = z.discriminatedUnion('type', [
  greConnectionSchema,
  ipsecConnectionSchema,
  l3ConnectionSchema,
  natConnectionSchema,
]);

/** A route the gateway learnt from a site's BGP router (as data: no BGP on the wire). */
export const bgpRouteSchema = z.object({
  prefix: cidr,
  connectionId: id,
  peerIp: ipv4,
  peerAsn: z.number().int().min(1).max(4294967295),
});

/** A tenant's virtual gateway: its compartment on a gateway VM, its connections and routes. */
export const virtualGatewaySchema = z.object({
  id,
  name,
  vmNetworkId: id,
  poolId: id,
  /** The gateway VM holding this tenant's compartment. */
  gatewayId: id,
  connections: z.array(gatewayConnectionSchema),
  bgpRoutes: z.array(bgpRouteSchema).optional(),
});

/**
 * What lies beyond the L3 router: an on-premises site (its edge device ends the tunnels, and
 * hosts inside its prefixes answer ping) or the internet (its edge is the ISP's router: the L3
 * router sends it what no interface of its own covers). Or a physical network an L3 connection
 * reaches on its VLAN ('physical'): its edge is the router at the connection's peer IP, routing
 * plain IP to the hosts inside its prefixes.
 */
export const siteSchema = z.object({
  id,
  name,
  kind: z.enum(['on-premises', 'internet', 'physical']),
  logicalSubnetId: id,
  edgeIp: ipv4,
  edgeMac: mac,
  prefixes: z.array(cidr).min(1),
  /** The hosts out there that answer (absent: any address in the prefixes); each inside them. */
  hosts: z.array(ipv4).optional(),
});

export type GatewayPool = z.infer<typeof gatewayPoolSchema>;
export type Gateway = z.infer<typeof gatewaySchema>;
export type GatewayConnection = z.infer<typeof gatewayConnectionSchema>;
export type BgpRoute = z.infer<typeof bgpRouteSchema>;
export type VirtualGateway = z.infer<typeof virtualGatewaySchema>;
export type Site = z.infer<typeof siteSchema>;

/** The document's optional collections of the edge, and what each object is called in messages. */
export const EDGE_COLLECTIONS = {
  gatewayPools: 'gateway pool',
  gateways: 'gateway',
  virtualGateways: 'virtual gateway',
  sites: 'site',
} as const;
export type EdgeCollectionName = keyof typeof EDGE_COLLECTIONS;
