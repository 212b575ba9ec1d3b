// servers: the Hyper-V hosts, their team members and PAs, both ways.
import type { Host } from '../schema';
import type { ExportContext, ImportState } from './context';
import { type Json, label, own } from './reader';
import { fromNcMac, refs, toNcMac } from './refs';
import type { NcServer } from './types';

export function serverToNc(host: Host, ctx: ExportContext): NcServer {
  const { logicalSubnetById } = ctx;
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
}

export function readServer(server: Json, serverIndex: number, state: ImportState): void {
  const { reader, doc, hostsWithoutPas, membersWithoutMac } = state;
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
}
