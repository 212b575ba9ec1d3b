// The Network Controller's northbound REST resources (MS-NCNBI), as the lab exports them.
import type { BgpRoute, Gateway, GatewayConnection, Site } from '../gatewaySchema';
import type {
  Encapsulation,
  HnvMode,
  Isolation,
  NextHopType,
  Router,
  Tenant,
  TopologyDocument,
} from '../schema';
import type { NcLoadBalancer } from './loadBalancers';

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
  routeTable?: ResourceRef;
  ipConfigurations: ResourceRef[];
  hnvLab?: { encapsulation: Encapsulation; isolation?: Isolation; vlanId?: number; gatewayMac?: string };
}>;

export type NcVirtualNetworkPeering = Resource<{
  remoteVirtualNetwork: ResourceRef;
  /** The NC's spelling (lower-case n); allowVirtualNetworkAccess is read too. */
  allowVirtualnetworkAccess: boolean;
  allowForwardedTraffic: boolean;
  allowGatewayTransit: boolean;
  useRemoteGateways: boolean;
  /** Computed: 'Connected' when the remote network peers back. Ignored on import. */
  peeringState: 'Connected' | 'Initiated';
}>;

export type NcVirtualNetwork = Resource<{
  addressSpace: { addressPrefixes: string[] };
  logicalNetwork?: ResourceRef;
  subnets: NcVirtualSubnet[];
  virtualNetworkPeerings?: NcVirtualNetworkPeering[];
}>;

export type NcRoute = Resource<{
  addressPrefix: string;
  nextHopType: NextHopType;
  nextHopIpAddress?: string;
}>;

export type NcRouteTable = Resource<{
  routes: NcRoute[];
  /** The subnets using the table (read-only in the NC; the subnets' routeTable is what is read). */
  subnets: ResourceRef[];
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
  /** ipForwarding: the vNIC of a virtual appliance (the NC holds no such setting: the lab's). */
  hnvLab?: { vmId: string; vmName: string; ipForwarding?: boolean };
}>;

export type NcGatewayPool = Resource<{ type: string; redundantGatewayCount: number }>;

export type NcGateway = Resource<{
  pool: ResourceRef;
  hnvLab: Omit<Gateway, 'id' | 'name' | 'poolId'>;
}>;

export type NcNetworkConnection = Resource<{
  connectionType: 'GRE' | 'IPSec' | 'L3';
  destinationIPAddress?: string;
  greConfiguration?: { greKey: number };
  ipSecConfiguration?: { authenticationMethod: 'PSK' };
  /** L3: the VLAN's logical subnet, the compartment's interface on it, the next hop there. */
  l3Configuration?: { vlanSubnet: ResourceRef };
  ipAddresses?: { ipAddress: string; prefixLength: number }[];
  peerIPAddresses?: string[];
  routes: { destinationPrefix: string; metric: number }[];
  hnvLab: { siteId?: string; spiOut?: number; spiIn?: number; vlanId?: number };
}>;

export type NcVirtualGateway = Resource<{
  gatewayPools: ResourceRef[];
  routingType: 'Dynamic' | 'Static';
  networkConnections: NcNetworkConnection[];
  bgpRouters: Resource<{ bgpPeers: Resource<{ peerIpAddress: string; asNumber: number }>[] }>[];
  hnvLab: {
    vmNetworkId: string;
    gatewayId: string;
    natConnections: GatewayConnection[];
    order: string[];
    bgpRoutes?: BgpRoute[];
  };
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
    /** HNVv1: who sets the lookup records, and the admin's records when PowerShell does. */
    policySource?: TopologyDocument['policySource'];
    lookupRecords?: TopologyDocument['lookupRecords'];
    /** The SLB's physical side: MUX VMs and endpoints outside the fabric (no NC resource here). */
    slbMuxes?: TopologyDocument['slbMuxes'];
    externalEndpoints?: TopologyDocument['externalEndpoints'];
    /** The trace panel's flows (lab-only). */
    flows?: TopologyDocument['flows'];
    /** Document order of the objects nested under NC parents (the NC groups them by parent). */
    order: { virtualSubnets: string[]; logicalSubnets: string[] };
    /** What lies beyond the L3 router (no NC resource holds it). */
    sites?: Site[];
  };
  logicalNetworks: NcLogicalNetwork[];
  servers: NcServer[];
  accessControlLists: NcAccessControlList[];
  virtualNetworks: NcVirtualNetwork[];
  networkInterfaces: NcNetworkInterface[];
  /** Present when the document has route tables. */
  routeTables?: NcRouteTable[];
  gatewayPools?: NcGatewayPool[];
  gateways?: NcGateway[];
  virtualGateways?: NcVirtualGateway[];
  /** Software load balancers (absent when the document has none). */
  loadBalancers?: NcLoadBalancer[];
}
