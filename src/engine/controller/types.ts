// The compiled policy: what the Network Controller pushes southbound to each host agent.
// Plain data only (structured-cloneable): the worker hands it to the UI unchanged.
import type { Encapsulation, NextHopType } from '../model/schema';

/** One CA-PA mapping, the columns of Get-NetVirtualizationLookupRecord. */
export interface LookupRecord {
  /** CustomerAddress: the VM's IP. */
  caIp: string;
  /** VirtualSubnetID. */
  vsid: number;
  /** MACAddress of the vNIC. */
  mac: string;
  /** ProviderAddress of the host the vNIC runs on. */
  pa: string;
  /** CustomerID: the routing domain (VM network) GUID. */
  routingDomainId: string;
  /** Rule: how the CA is carried (HNV only encapsulates here; IP Rewrite is not modelled). */
  rule: 'TranslationMethodEncap';
  encapsulation: Encapsulation;
  /** Document ids, so the UI can point at the objects. */
  vmId: string;
  vnicId: string;
  hostId: string;
  /** 'Contoso/SQL' */
  vmLabel: string;
}

/**
 * A route of one routing domain, as the controller pushes it to the host agents.
 * System (no `origin`): an on-link subnet of the domain (a distributed router interface).
 * 'peering': a subnet of a peered VM network (`vsid` is that subnet's, the domain's own VMs reach it).
 * 'udr': a user-defined route of the route table of the subnet `vsid` (it applies only to packets
 * that subnet's VMs send); `nextHop` is the appliance's CA or '0.0.0.0'.
 * 'gateway': the default route (0.0.0.0/0) of the subnet `vsid` to its VM network's RAS gateway
 * (`nextHop` is the gateway's PA).
 */
export interface CustomerRoute {
  routingDomainId: string;
  vmNetworkName: string;
  vsid: number;
  prefix: string;
  /** The distributed router's address in this subnet (lowest host address). */
  gateway: string;
  /** The distributed router's MAC in this subnet (configured, else derived from the VSID). */
  gatewayMac: string;
  /** '0.0.0.0' = on-link (the destination is in this virtual subnet). */
  nextHop: string;
  metric: number;
  origin?: 'udr' | 'peering' | 'gateway';
  /** UDR: the next hop's type, and the route table and route that made it. */
  nextHopType?: NextHopType;
  routeTable?: string;
  routeName?: string;
  /** Peering: 'Hub<->Spoke', and the remote network's routing domain. */
  peering?: string;
  remoteRoutingDomainId?: string;
}

/** A provider address owned by a host (Get-NetVirtualizationProviderAddress). */
export interface ProviderAddressRecord {
  pa: string;
  hostId: string;
  logicalSubnetId: string;
  prefixLength: number;
  vlanId: number;
  /** The NIC (SET team member) that sends from this PA, and its MAC. */
  teamMember: string;
  mac: string;
  /** HNVv1: the VSID this PA serves. */
  vsid?: number;
}

export type Direction = 'out' | 'in';

/** What a rule matches. Absent fields match anything. Prefixes as CIDR strings. */
export interface RuleMatch {
  srcPrefix?: string;
  dstPrefix?: string;
  protocol?: 'tcp' | 'udp' | 'icmp';
  srcPorts?: [number, number];
  dstPorts?: [number, number];
  dstMac?: string;
  /** 'broadcast' matches ff:ff:ff:ff:ff:ff and multicast MACs. */
  dstMacKind?: 'unicast' | 'broadcast';
  etherType?: 'arp' | 'ipv4';
  vsid?: number;
  /** True: only encapsulated packets (VXLAN/NVGRE); false: only plain ones. */
  encapsulated?: boolean;
  /** Outer destination: the packet arrived encapsulated to one of these PAs. */
  outerDstIps?: string[];
}

/** The actions a rule applies: a discriminated union, data not code. */
export type Action =
  | { type: 'allow' }
  | { type: 'drop'; reason: string }
  | { type: 'set-field'; field: string; value: string | number }
  | { type: 'push-vlan'; vlanId: number }
  | { type: 'pop-vlan' }
  | { type: 'encap'; encapsulation: Encapsulation; vsid: number; srcPa: string; dstPa: string }
  | { type: 'decap'; encapsulation: Encapsulation; vsid: number }
  | { type: 'lookup'; space: 'ca-pa'; vsid: number }
  | {
      type: 'route';
      routingDomainId: string;
      /** As a flow entry resolved it: the VSID the packet is routed into and its new MACs. */
      fromVsid?: number;
      toVsid?: number;
      srcMac?: string;
      dstMac?: string;
    }
  | { type: 'arp-reply' }
  | { type: 'replicate'; vsid: number }
  /** `port`: a port id or 'uplink'; a flow entry adds the port's name and whether it is on this host. */
  | { type: 'output'; port: string; label?: string; sameHost?: boolean }
  /** A flow entry adds the outer next hop's MAC it resolved. */
  | { type: 'pa-route'; logicalSubnetId: string; vlanId: number; nextHopMac?: string }
  /**
   * The stateful firewall (the ACL layer's connection state, as OVS's ct): 'lookup' lets the
   * reply of a tracked flow through without the ACL rules; 'commit' tracks a flow the rules
   * allowed. A flow entry adds the flow it resolved and what the state said.
   */
  | { type: 'conntrack'; op: 'lookup' | 'commit'; flow?: string; state?: string }
  // ---- the RAS gateway's tenant compartment (dataplane/gateway)
  /** SNAT to the gateway's public IP (out), or its reverse mapping (in). */
  | { type: 'nat'; direction: 'out' | 'in'; from: string; to: string }
  | { type: 'gre-encap'; key: number; src: string; dst: string }
  | { type: 'gre-decap'; key: number }
  | { type: 'esp-encap'; spi: number; sequence: number; src: string; dst: string }
  | { type: 'esp-decap'; spi: number; sequence: number }
  /**
   * The SLB host agent's NAT on a DIP's port: inbound VIP:vipPort -> DIP:dipPort (after the
   * MUX's tunnel is decapsulated); outbound the reverse, and the reply leaves the host straight
   * for the client (direct server return), never through the MUX.
   */
  | {
      type: 'slb-nat';
      direction: 'in' | 'out';
      loadBalancer: string;
      protocol: 'tcp' | 'udp';
      vip: string;
      vipPort: number;
      dip: string;
      dipPort: number;
    }
  /**
   * The SLB host agent's outbound NAT (an outbound NAT rule) on a DIP's port: out, a connection
   * the DIP opens to an address outside its VM network gets the VIP as source and a port from
   * the DIP's slice [portStart, portEnd] of the rule's range, and leaves the host un-encapsulated
   * (as a DSR reply); in, the answer the MUX tunnels back to VIP:port is mapped back to the DIP.
   * A flow entry adds the mapping it resolved: `from` (the DIP's address:port) and `port`.
   */
  | {
      type: 'slb-snat';
      direction: 'in' | 'out';
      loadBalancer: string;
      rule: string;
      protocol: 'tcp' | 'udp';
      vip: string;
      dip: string;
      portStart: number;
      portEnd: number;
      from?: string;
      port?: number;
    };

export interface VfpRule {
  id: string;
  /** The name the admin gave it, when it has one (an ACL rule: its aclRule name). */
  name?: string;
  priority: number;
  match: RuleMatch;
  actions: Action[];
  /** The document object and the reason that produced this rule. */
  origin: string;
  /** Firewall auditing: a hit of this rule on a new flow is written to the port's audit log. */
  log?: boolean;
}

/** Groups split a layer's rules by direction and IP family; the default rule decides when none matches. */
export interface VfpGroup {
  id: string;
  direction: Direction;
  family: 'ipv4';
  priority: number;
  rules: VfpRule[];
  defaultRule: VfpRule;
}

export interface VfpLayer {
  /** Stage id, OVN style: 'acl', 'vnet', 'pa_route'. */
  id: string;
  name: string;
  priority: number;
  groups: VfpGroup[];
}

/** One vSwitch port: a vNIC and the VFP layers bound to it (ascending priority). */
export interface PortPolicy {
  portId: string;
  vnicId: string;
  vmId: string;
  vmLabel: string;
  mac: string;
  caIp: string;
  vsid: number;
  routingDomainId: string;
  /** The PA this vNIC sends from. */
  pa: string;
  layers: VfpLayer[];
}

/** Everything one host agent holds. */
export interface HostPolicy {
  hostId: string;
  hostName: string;
  lookupRecords: LookupRecord[];
  customerRoutes: CustomerRoute[];
  providerAddresses: ProviderAddressRecord[];
  ports: PortPolicy[];
}

/** One southbound update from the controller to a host agent. */
export type SouthboundUpdate =
  | {
      hostId: string;
      kind: 'lookup-record';
      op: 'add' | 'update' | 'remove';
      key: string;
      record: LookupRecord;
      /** On 'update': the record the host held before (the old PA of a moved VM). */
      previous?: LookupRecord;
    }
  | {
      hostId: string;
      kind: 'customer-route';
      op: 'add' | 'update' | 'remove';
      key: string;
      route: CustomerRoute;
    }
  | {
      hostId: string;
      kind: 'provider-address';
      op: 'add' | 'update' | 'remove';
      key: string;
      providerAddress: ProviderAddressRecord;
    }
  | { hostId: string; kind: 'port'; op: 'add' | 'update' | 'remove'; key: string; port: PortPolicy };
