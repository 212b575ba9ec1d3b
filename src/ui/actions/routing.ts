// Edits of route tables (user-defined routes) and VNet peerings: named, undoable actions.
import type { Route, RouteTable, TopologyDocument, VnetPeering } from '../../engine/model/schema';
import { ActionError, defineAction } from './types';
import { newObjectId, uniqueName } from './util';

type Doc = TopologyDocument;

function updateTable(doc: Doc, tableId: string, change: (t: RouteTable) => RouteTable): Doc {
  const tables = doc.routeTables ?? [];
  if (!tables.some((t) => t.id === tableId)) throw new ActionError('That route table no longer exists.');
  return { ...doc, routeTables: tables.map((t) => (t.id === tableId ? change(t) : t)) };
}

/** A new route table, attached to a virtual subnet when given; it starts with no routes. */
export const addRouteTable = defineAction<{ id: string; subnetId?: string }>(
  'addRouteTable',
  'Add route table',
  (doc, args) => {
    const tables = doc.routeTables ?? [];
    const table: RouteTable = {
      id: args.id,
      name: uniqueName(
        tables.map((t) => t.name),
        'Route table',
      ),
      routes: [],
    };
    return {
      ...doc,
      routeTables: [...tables, table],
      virtualSubnets: args.subnetId
        ? doc.virtualSubnets.map((s) => (s.id === args.subnetId ? { ...s, routeTableId: args.id } : s))
        : doc.virtualSubnets,
    };
  },
);

export const renameRouteTable = defineAction<{ tableId: string; name: string }>(
  'renameRouteTable',
  'Rename route table',
  (doc, args) => updateTable(doc, args.tableId, (t) => ({ ...t, name: args.name })),
);

/** Remove a route table; the subnets that used it have none. */
export const removeRouteTable = defineAction<{ tableId: string }>(
  'removeRouteTable',
  'Remove route table',
  (doc, args) => ({
    ...doc,
    routeTables: (doc.routeTables ?? []).filter((t) => t.id !== args.tableId),
    virtualSubnets: doc.virtualSubnets.map(({ routeTableId, ...rest }) =>
      routeTableId && routeTableId !== args.tableId ? { ...rest, routeTableId } : rest,
    ),
  }),
);

/** A new route: 0.0.0.0/0 to a virtual appliance until edited (the common first route). */
export const addRoute = defineAction<{ tableId: string; routeId?: string }>(
  'addRoute',
  'Add route',
  (doc, args) =>
    updateTable(doc, args.tableId, (t) => {
      const route: Route = {
        id: args.routeId ?? newObjectId('route'),
        name: uniqueName(
          t.routes.map((r) => r.name),
          'route',
        ),
        addressPrefix: '0.0.0.0/0',
        nextHopType: 'None',
      };
      return { ...t, routes: [...t.routes, route] };
    }),
);

export const updateRoute = defineAction<{
  tableId: string;
  routeId: string;
  patch: Partial<Omit<Route, 'id'>>;
}>('updateRoute', 'Edit route', (doc, args) =>
  updateTable(doc, args.tableId, (t) => ({
    ...t,
    routes: t.routes.map((r) => {
      if (r.id !== args.routeId) return r;
      const next = { ...r, ...args.patch };
      // Only a virtual appliance has a next hop address.
      if (next.nextHopType !== 'VirtualAppliance' && 'nextHopType' in args.patch)
        delete next.nextHopIpAddress;
      return next;
    }),
  })),
);

export const removeRoute = defineAction<{ tableId: string; routeId: string }>(
  'removeRoute',
  'Remove route',
  (doc, args) =>
    updateTable(doc, args.tableId, (t) => ({ ...t, routes: t.routes.filter((r) => r.id !== args.routeId) })),
);

/** Peer a VM network with another (one side: 'Initiated' until the other peers back). */
export const addPeering = defineAction<{ vmNetworkId: string; remoteVmNetworkId: string; id?: string }>(
  'addPeering',
  'Add peering',
  (doc, args) => {
    const remote = doc.vmNetworks.find((n) => n.id === args.remoteVmNetworkId);
    if (!remote) throw new ActionError('That VM network no longer exists.');
    return {
      ...doc,
      vmNetworks: doc.vmNetworks.map((n) => {
        if (n.id !== args.vmNetworkId) return n;
        const peering: VnetPeering = {
          id: args.id ?? newObjectId('peering'),
          name: `${n.name} to ${remote.name}`,
          remoteVmNetworkId: remote.id,
          allowVirtualNetworkAccess: true,
          allowForwardedTraffic: false,
          allowGatewayTransit: false,
          useRemoteGateways: false,
        };
        return { ...n, peerings: [...(n.peerings ?? []), peering] };
      }),
    };
  },
);

export const updatePeering = defineAction<{
  vmNetworkId: string;
  peeringId: string;
  patch: Partial<Omit<VnetPeering, 'id'>>;
}>('updatePeering', 'Edit peering', (doc, args) => ({
  ...doc,
  vmNetworks: doc.vmNetworks.map((n) =>
    n.id === args.vmNetworkId
      ? {
          ...n,
          peerings: (n.peerings ?? []).map((p) => (p.id === args.peeringId ? { ...p, ...args.patch } : p)),
        }
      : n,
  ),
}));

export const removePeering = defineAction<{ vmNetworkId: string; peeringId: string }>(
  'removePeering',
  'Remove peering',
  (doc, args) => ({
    ...doc,
    vmNetworks: doc.vmNetworks.map((n) => {
      if (n.id !== args.vmNetworkId) return n;
      const { peerings, ...rest } = n;
      const left = (peerings ?? []).filter((p) => p.id !== args.peeringId);
      return left.length ? { ...rest, peerings: left } : rest;
    }),
  }),
);
