// logicalNetworks (with their logicalSubnets): the provider address space, both ways.
import { gatewayOf } from '../../net';
import type { LogicalNetwork, LogicalSubnet } from '../schema';
import type { ExportContext, ImportState } from './context';
import type { Json } from './reader';
import { refs } from './refs';
import type { NcLogicalNetwork } from './types';

export function logicalNetworkToNc(ln: LogicalNetwork, ctx: ExportContext): NcLogicalNetwork {
  const { logicalSubnetsByNetwork, paNetworks } = ctx;
  return {
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
  };
}

export function readLogicalNetwork(ln: Json, lnIndex: number, state: ImportState): void {
  const { reader, doc } = state;
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
}
