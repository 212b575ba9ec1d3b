// routeTables (with their routes) and virtualNetworks' virtualNetworkPeerings, both ways. A
// subnet names its route table as properties.routeTable; the route table lists its subnets
// back (read-only in the NC, recomputed here). A peering's peeringState is computed
// ('Connected' when the remote network peers back, else 'Initiated') and ignored on import.
import { peeringStatuses } from '../peering';
import type { NextHopType, Route, RouteTable, TopologyDocument, VmNetwork, VnetPeering } from '../schema';
import type { ImportState } from './context';
import { type Json, label, own, type RestReader, type Who } from './reader';
import { refs } from './refs';
import type { NcRouteTable, NcVirtualNetworkPeering } from './types';

const NEXT_HOP_TYPES: ReadonlyMap<string, NextHopType> = new Map([
  ['virtualappliance', 'VirtualAppliance'],
  ['vnetlocal', 'VnetLocal'],
  ['virtualnetworkgateway', 'VirtualNetworkGateway'],
  ['none', 'None'],
]);

const seg = encodeURIComponent;
export const routeTableRef = (t: string): string => `/routeTables/${seg(t)}`;
const routeRef = (t: string, r: string) => `/routeTables/${seg(t)}/routes/${seg(r)}`;
const peeringRef = (vn: string, p: string) => `${refs.virtualNetwork(vn)}/virtualNetworkPeerings/${seg(p)}`;

export function routeTableToNc(table: RouteTable, doc: TopologyDocument): NcRouteTable {
  const networkOf = new Map(doc.virtualSubnets.map((s) => [s.id, s.vmNetworkId]));
  return {
    resourceId: table.id,
    resourceRef: routeTableRef(table.id),
    resourceMetadata: { name: table.name },
    properties: {
      routes: table.routes.map((r) => ({
        resourceId: r.id,
        resourceRef: routeRef(table.id, r.id),
        resourceMetadata: { name: r.name },
        properties: {
          addressPrefix: r.addressPrefix,
          nextHopType: r.nextHopType,
          ...(r.nextHopIpAddress !== undefined ? { nextHopIpAddress: r.nextHopIpAddress } : {}),
        },
      })),
      subnets: doc.virtualSubnets
        .filter((s) => s.routeTableId === table.id)
        .map((s) => ({ resourceRef: refs.subnet(networkOf.get(s.id) ?? '', s.id) })),
    },
  };
}

export function peeringsToNc(network: VmNetwork, doc: TopologyDocument): NcVirtualNetworkPeering[] {
  const state = new Map(peeringStatuses(doc).map((s) => [s.peering, s.state]));
  return (network.peerings ?? []).map((p) => ({
    resourceId: p.id,
    resourceRef: peeringRef(network.id, p.id),
    resourceMetadata: { name: p.name },
    properties: {
      remoteVirtualNetwork: { resourceRef: refs.virtualNetwork(p.remoteVmNetworkId) },
      allowVirtualnetworkAccess: p.allowVirtualNetworkAccess,
      allowForwardedTraffic: p.allowForwardedTraffic,
      allowGatewayTransit: p.allowGatewayTransit,
      useRemoteGateways: p.useRemoteGateways,
      peeringState: state.get(p) ?? 'Initiated',
    },
  }));
}

/** A boolean when present; `fallback` when absent. The NC's case of a key varies (allowVirtualnetworkAccess). */
function flag(reader: RestReader, owner: Json, keys: string[], who: Who, fallback: boolean): boolean {
  for (const key of keys) {
    const value = own(owner, key);
    if (value === undefined) continue;
    if (typeof value === 'boolean') return value;
    reader.fail(who, `properties.${key}`, 'type', `${label(who)} properties.${key} is not true or false`);
    return fallback;
  }
  return fallback;
}

export function readRouteTable(t: Json, index: number, state: ImportState): void {
  const { reader, doc } = state;
  const { id, who } = reader.resource(t, 'route table', index);
  const p = reader.props(t, who);
  const routes: Route[] = reader.list(p, 'routes', who, 'properties.routes').map((r, i) => {
    const { id: routeId, who: rWho } = reader.resource(r, 'route', i);
    const rp = reader.props(r, rWho);
    const route: Route = {
      id: routeId,
      name: reader.nameOf(r, rWho, routeId),
      addressPrefix: reader.text(rp, 'addressPrefix', rWho, 'properties.addressPrefix'),
      nextHopType:
        reader.choice(
          rp,
          'nextHopType',
          rWho,
          'properties.nextHopType',
          NEXT_HOP_TYPES,
          'VirtualAppliance, VnetLocal, VirtualNetworkGateway, None',
        ) ?? 'None',
    };
    const ip = reader.optionalText(rp, 'nextHopIpAddress', rWho, 'properties.nextHopIpAddress');
    if (ip !== undefined && ip !== '') route.nextHopIpAddress = ip;
    return route;
  });
  const tables = doc.routeTables ?? [];
  tables.push({ id, name: reader.nameOf(t, who, id), routes });
  doc.routeTables = tables;
}

/** properties.virtualNetworkPeerings of a virtual network. */
export function readPeerings(reader: RestReader, vnProps: Json, who: Who): VnetPeering[] | undefined {
  if (own(vnProps, 'virtualNetworkPeerings') === undefined) return undefined;
  return reader
    .list(vnProps, 'virtualNetworkPeerings', who, 'properties.virtualNetworkPeerings')
    .map((p, i) => {
      const { id, who: pWho } = reader.resource(p, 'virtual network peering', i);
      const pp = reader.props(p, pWho);
      const remote = reader.optionalRef(pp, 'remoteVirtualNetwork', pWho, 'properties.remoteVirtualNetwork');
      if (remote === undefined && own(pp, 'remoteVirtualNetwork') === undefined)
        reader.fail(
          pWho,
          'properties.remoteVirtualNetwork',
          'required',
          `${label(pWho)} properties.remoteVirtualNetwork is missing`,
        );
      return {
        id,
        name: reader.nameOf(p, pWho, id),
        remoteVmNetworkId: remote ?? '',
        allowVirtualNetworkAccess: flag(
          reader,
          pp,
          ['allowVirtualnetworkAccess', 'allowVirtualNetworkAccess'],
          pWho,
          true,
        ),
        allowForwardedTraffic: flag(reader, pp, ['allowForwardedTraffic'], pWho, false),
        allowGatewayTransit: flag(reader, pp, ['allowGatewayTransit'], pWho, false),
        useRemoteGateways: flag(reader, pp, ['useRemoteGateways'], pWho, false),
      };
    });
}
