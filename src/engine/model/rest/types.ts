// The Network Controller's northbound REST resources (MS-NCNBI), as the lab exports them.
import type { Encapsulation, HnvMode, Isolation, Router, Tenant, TopologyDocument } from '../schema';

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
    /** HNVv1: who sets the lookup records, and the admin's records when PowerShell does. */
    policySource?: TopologyDocument['policySource'];
    lookupRecords?: TopologyDocument['lookupRecords'];
    /** The trace panel's flows (lab-only). */
    flows?: TopologyDocument['flows'];
    /** Document order of the objects nested under NC parents (the NC groups them by parent). */
    order: { virtualSubnets: string[]; logicalSubnets: string[] };
  };
  logicalNetworks: NcLogicalNetwork[];
  servers: NcServer[];
  accessControlLists: NcAccessControlList[];
  virtualNetworks: NcVirtualNetwork[];
  networkInterfaces: NcNetworkInterface[];
}
