// virtualNetworks (with their subnets): VM networks and virtual subnets, both ways.
import type { VirtualSubnet, VmNetwork } from '../schema';
import type { ExportContext, ImportState } from './context';
import { ENCAPSULATIONS, ISOLATIONS, type Json, own } from './reader';
import { fromNcMac, refs } from './refs';
import { peeringsToNc, readPeerings, routeTableRef } from './routeTables';
import type { NcVirtualNetwork, NcVirtualSubnet } from './types';

export function virtualNetworkToNc(network: VmNetwork, ctx: ExportContext): NcVirtualNetwork {
  const { subnetsByNetwork, ipConfigurationsOfSubnet, paNetwork } = ctx;
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
      // The NC's virtualSubnets have no field for the distributed router's MAC: the lab keeps it.
      if (s.gatewayMac !== undefined && subnetProperties.hnvLab)
        subnetProperties.hnvLab.gatewayMac = s.gatewayMac;
      if (s.aclId !== undefined) subnetProperties.accessControlList = { resourceRef: refs.acl(s.aclId) };
      if (s.routeTableId !== undefined)
        subnetProperties.routeTable = { resourceRef: routeTableRef(s.routeTableId) };
      return {
        resourceId: s.id,
        resourceRef: refs.subnet(network.id, s.id),
        resourceMetadata: { name: s.name },
        properties: subnetProperties,
      };
    }),
  };
  if (network.peerings !== undefined) properties.virtualNetworkPeerings = peeringsToNc(network, ctx.doc);
  if (paNetwork !== undefined) properties.logicalNetwork = { resourceRef: refs.logicalNetwork(paNetwork.id) };
  return {
    resourceId: network.id,
    resourceRef: refs.virtualNetwork(network.id),
    instanceId: network.routingDomainId,
    resourceMetadata: { name: network.name, tenantId: network.tenantId },
    properties,
  };
}

export function readVirtualNetwork(vn: Json, vnIndex: number, state: ImportState): void {
  const { reader, doc, hnvMode, ensureTenant, networksWithoutRdid, subnetsWithoutVsid } = state;
  const { id, who } = reader.resource(vn, 'virtual network', vnIndex);
  const metadata = reader.object(vn, 'resourceMetadata', who, 'resourceMetadata');
  const tenantId = reader.optionalText(metadata, 'tenantId', who, 'resourceMetadata.tenantId') || 'imported';
  ensureTenant(tenantId);
  const instanceId = reader.optionalText(vn, 'instanceId', who, 'instanceId') ?? '';
  if (instanceId === '') networksWithoutRdid.add(id);
  const network: VmNetwork = { id, name: reader.nameOf(vn, who, id), tenantId, routingDomainId: instanceId };
  const peerings = readPeerings(reader, reader.props(vn, who), who);
  if (peerings !== undefined) network.peerings = peerings;
  doc.vmNetworks.push(network);
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
    const routeTableId = reader.optionalRef(p, 'routeTable', sWho, 'properties.routeTable');
    if (routeTableId !== undefined) subnet.routeTableId = routeTableId;
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
    // Written either way: 00:15:5d:… as the lab does, or 00-15-5D-… as the NC writes MACs.
    const gatewayMac = fromNcMac(
      reader.optionalText(extra, 'gatewayMac', sWho, 'properties.hnvLab.gatewayMac'),
    );
    if (gatewayMac !== undefined) subnet.gatewayMac = gatewayMac;
    // Only an absent VSID is allocated; a wrong one was reported above.
    if (own(p, 'vsid') === undefined) subnetsWithoutVsid.push(subnet);
    doc.virtualSubnets.push(subnet);
  });
}
