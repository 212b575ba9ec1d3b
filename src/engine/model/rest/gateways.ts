// gatewayPools, gateways and virtualGateways (with their networkConnections and bgpRouters),
// both ways, in the Network Controller's shapes: a connection's connectionType ('GRE', 'IPSec',
// 'L3'), destinationIPAddress, greConfiguration.greKey, an L3 connection's l3Configuration.vlanSubnet,
// ipAddresses [{ ipAddress, prefixLength }] and peerIPAddresses, and routes [{ destinationPrefix, metric }];
// a virtual gateway's gatewayPools references and routingType. What the NC does not hold is kept
// under hnvLab: a gateway VM's host, PA, MACs and front end; a connection's site and SPIs; NAT
// connections; the BGP-learnt routes (the NC's bgpRouters list the peers, exported from them);
// and the sites beyond the router (top level).
import type { BgpRoute, GatewayConnection, Site, VirtualGateway } from '../gatewaySchema';
import type { TopologyDocument } from '../schema';
import type { ImportState } from './context';
import { type Json, own, type RestReader, type Who } from './reader';
import { refs } from './refs';
import type { NcGateway, NcGatewayPool, NcNetworkConnection, NcRestExport, NcVirtualGateway } from './types';

const CONNECTION_TYPES = { gre: 'GRE', ipsec: 'IPSec', l3: 'L3' } as const;

export function gatewaysToNc(doc: TopologyDocument): Partial<NcRestExport> {
  if (!doc.gatewayPools && !doc.gateways && !doc.virtualGateways) return {};
  const sites = new Map((doc.sites ?? []).map((s) => [s.id, s]));
  const networkOf = new Map(doc.logicalSubnets.map((s) => [s.id, s.logicalNetworkId]));
  return {
    gatewayPools: (doc.gatewayPools ?? []).map(
      (p): NcGatewayPool => ({
        resourceId: p.id,
        resourceRef: `/gatewayPools/${encodeURIComponent(p.id)}`,
        resourceMetadata: { name: p.name },
        properties: { type: p.type, redundantGatewayCount: 0 },
      }),
    ),
    gateways: (doc.gateways ?? []).map(
      (g): NcGateway => ({
        resourceId: g.id,
        resourceRef: `/gateways/${encodeURIComponent(g.id)}`,
        resourceMetadata: { name: g.name },
        properties: {
          pool: { resourceRef: `/gatewayPools/${encodeURIComponent(g.poolId)}` },
          hnvLab: {
            hostId: g.hostId,
            providerAddress: g.providerAddress,
            mac: g.mac,
            externalLogicalSubnetId: g.externalLogicalSubnetId,
            externalIp: g.externalIp,
            externalMac: g.externalMac,
          },
        },
      }),
    ),
    virtualGateways: (doc.virtualGateways ?? []).map((vg) => virtualGatewayToNc(vg, sites, networkOf)),
  };
}

function virtualGatewayToNc(
  vg: VirtualGateway,
  sites: Map<string, Site>,
  networkOf: Map<string, string>,
): NcVirtualGateway {
  const base = `/virtualGateways/${encodeURIComponent(vg.id)}`;
  const tunnels = vg.connections.filter((c) => c.type !== 'nat');
  const peers = new Map<string, number>();
  for (const r of vg.bgpRoutes ?? []) peers.set(r.peerIp, r.peerAsn);
  return {
    resourceId: vg.id,
    resourceRef: base,
    resourceMetadata: { name: vg.name },
    properties: {
      gatewayPools: [{ resourceRef: `/gatewayPools/${encodeURIComponent(vg.poolId)}` }],
      routingType: peers.size > 0 ? 'Dynamic' : 'Static',
      networkConnections: tunnels.map((c: GatewayConnection): NcNetworkConnection => {
        const site = c.type === 'gre' || c.type === 'ipsec' ? sites.get(c.siteId) : undefined;
        const type = c.type as 'gre' | 'ipsec' | 'l3';
        return {
          resourceId: c.id,
          resourceRef: `${base}/networkConnections/${encodeURIComponent(c.id)}`,
          resourceMetadata: { name: c.name },
          properties: {
            connectionType: CONNECTION_TYPES[type],
            ...(site ? { destinationIPAddress: site.edgeIp } : {}),
            ...(c.type === 'gre' ? { greConfiguration: { greKey: c.greKey } } : {}),
            ...(c.type === 'ipsec' ? { ipSecConfiguration: { authenticationMethod: 'PSK' as const } } : {}),
            ...(c.type === 'l3'
              ? {
                  l3Configuration: {
                    vlanSubnet: {
                      resourceRef: refs.logicalSubnet(
                        networkOf.get(c.logicalSubnetId) ?? '',
                        c.logicalSubnetId,
                      ),
                    },
                  },
                  ipAddresses: [{ ipAddress: c.localIp, prefixLength: c.prefixLength }],
                  peerIPAddresses: [c.peerIp],
                }
              : {}),
            routes:
              c.type === 'nat'
                ? []
                : c.routes.map((destinationPrefix) => ({ destinationPrefix, metric: 10 })),
            hnvLab: {
              ...(c.type === 'gre' || c.type === 'ipsec' ? { siteId: c.siteId } : {}),
              ...(c.type === 'ipsec' ? { spiOut: c.spiOut, spiIn: c.spiIn } : {}),
              // The NC takes the VLAN from the vlanSubnet; the lab keeps its copy (checked equal).
              ...(c.type === 'l3' ? { vlanId: c.vlanId } : {}),
            },
          },
        };
      }),
      bgpRouters:
        peers.size === 0
          ? []
          : [
              {
                resourceId: `${vg.id}-bgp`,
                resourceRef: `${base}/bgpRouters/${encodeURIComponent(`${vg.id}-bgp`)}`,
                properties: {
                  bgpPeers: [...peers].map(([peerIpAddress, asNumber]) => ({
                    resourceId: peerIpAddress,
                    resourceRef: `${base}/bgpRouters/${encodeURIComponent(`${vg.id}-bgp`)}/bgpPeers/${peerIpAddress}`,
                    properties: { peerIpAddress, asNumber },
                  })),
                },
              },
            ],
      hnvLab: {
        vmNetworkId: vg.vmNetworkId,
        gatewayId: vg.gatewayId,
        natConnections: vg.connections.filter((c) => c.type === 'nat'),
        order: vg.connections.map((c) => c.id),
        ...(vg.bgpRoutes ? { bgpRoutes: vg.bgpRoutes.map((r) => ({ ...r })) } : {}),
      },
    },
  };
}

const TYPES: Record<string, GatewayConnection['type']> = { GRE: 'gre', IPSec: 'ipsec', L3: 'l3' };

/** Read the three collections (and hnvLab.sites) into the document, field by field. */
export function readGateways(input: Json, top: Json, exported: Who, state: ImportState): void {
  const { reader, doc } = state;
  if (own(top, 'sites') !== undefined)
    doc.sites = reader.list(top, 'sites', exported, 'hnvLab.sites').map((s, i) => readSite(reader, s, i));
  if (own(input, 'gatewayPools') !== undefined)
    doc.gatewayPools = reader.list(input, 'gatewayPools', exported, 'gatewayPools').map((p, i) => {
      const { id, who } = reader.resource(p, 'gateway pool', i);
      const props = reader.props(p, who);
      return {
        id,
        name: reader.nameOf(p, who, id),
        type: reader.text(props, 'type', who, 'properties.type') as 'All',
      };
    });
  if (own(input, 'gateways') !== undefined)
    doc.gateways = reader.list(input, 'gateways', exported, 'gateways').map((g, i) => {
      const { id, who } = reader.resource(g, 'gateway', i);
      const props = reader.props(g, who);
      const lab = reader.object(props, 'hnvLab', who, 'properties.hnvLab');
      const field = (k: string) => reader.text(lab, k, who, `properties.hnvLab.${k}`);
      return {
        id,
        name: reader.nameOf(g, who, id),
        poolId: reader.optionalRef(props, 'pool', who, 'properties.pool') ?? '',
        hostId: field('hostId'),
        providerAddress: field('providerAddress'),
        mac: field('mac'),
        externalLogicalSubnetId: field('externalLogicalSubnetId'),
        externalIp: field('externalIp'),
        externalMac: field('externalMac'),
      };
    });
  if (own(input, 'virtualGateways') !== undefined)
    doc.virtualGateways = reader
      .list(input, 'virtualGateways', exported, 'virtualGateways')
      .map((v, i) => readVirtualGateway(reader, v, i, doc));
}

function readSite(reader: RestReader, s: Json, i: number): Site {
  const at = `hnvLab.sites[${i}]`;
  const raw = own(s, 'id');
  const who: Who = { kind: 'site', name: typeof raw === 'string' && raw !== '' ? raw : `#${i + 1}` };
  const hosts = reader.optionalStrings(s, 'hosts', who, `${at}.hosts`);
  return {
    id: reader.text(s, 'id', who, `${at}.id`),
    name: reader.text(s, 'name', who, `${at}.name`),
    kind: reader.text(s, 'kind', who, `${at}.kind`) as Site['kind'],
    logicalSubnetId: reader.text(s, 'logicalSubnetId', who, `${at}.logicalSubnetId`),
    edgeIp: reader.text(s, 'edgeIp', who, `${at}.edgeIp`),
    edgeMac: reader.text(s, 'edgeMac', who, `${at}.edgeMac`),
    prefixes: reader.optionalStrings(s, 'prefixes', who, `${at}.prefixes`) ?? [],
    ...(hosts ? { hosts } : {}),
  };
}

function readVirtualGateway(reader: RestReader, v: Json, i: number, doc: TopologyDocument): VirtualGateway {
  const { id, who } = reader.resource(v, 'virtual gateway', i);
  const props = reader.props(v, who);
  const lab = reader.object(props, 'hnvLab', who, 'properties.hnvLab');
  const pools = reader.optionalRefs(props, 'gatewayPools', who, 'properties.gatewayPools') ?? [];
  const connections: GatewayConnection[] = reader
    .list(props, 'networkConnections', who, 'properties.networkConnections')
    .map((c, j) => {
      const at = `properties.networkConnections[${j}]`;
      const cid = reader.text(c, 'resourceId', who, `${at}.resourceId`);
      const cwho: Who = { kind: 'gateway connection', name: `${id}/${cid}` };
      const cp = reader.props(c, cwho);
      const clab = reader.object(cp, 'hnvLab', cwho, 'properties.hnvLab');
      const name = reader.nameOf(c, cwho, cid);
      const kind = TYPES[reader.text(cp, 'connectionType', cwho, 'properties.connectionType')];
      const routes = reader
        .list(cp, 'routes', cwho, 'properties.routes')
        .map((r, k) =>
          reader.text(r, 'destinationPrefix', cwho, `properties.routes[${k}].destinationPrefix`),
        );
      if (kind === 'gre') {
        const gre = reader.object(cp, 'greConfiguration', cwho, 'properties.greConfiguration');
        return {
          id: cid,
          name,
          type: 'gre',
          siteId: reader.text(clab, 'siteId', cwho, 'properties.hnvLab.siteId'),
          greKey: reader.number(gre, 'greKey', cwho, 'properties.greConfiguration.greKey'),
          routes,
        };
      }
      if (kind === 'ipsec')
        return {
          id: cid,
          name,
          type: 'ipsec',
          siteId: reader.text(clab, 'siteId', cwho, 'properties.hnvLab.siteId'),
          spiOut: reader.number(clab, 'spiOut', cwho, 'properties.hnvLab.spiOut'),
          spiIn: reader.number(clab, 'spiIn', cwho, 'properties.hnvLab.spiIn'),
          routes,
        };
      const l3 = reader.object(cp, 'l3Configuration', cwho, 'properties.l3Configuration');
      const peers = reader.optionalStrings(cp, 'peerIPAddresses', cwho, 'properties.peerIPAddresses') ?? [];
      if (kind !== 'l3')
        reader.fail(
          cwho,
          'properties.connectionType',
          'choice',
          `${cwho.kind} ${cid} connectionType is not GRE, IPSec or L3`,
        );
      const logicalSubnetId =
        reader.optionalRef(l3, 'vlanSubnet', cwho, 'properties.l3Configuration.vlanSubnet') ?? '';
      const [address] = reader.list(cp, 'ipAddresses', cwho, 'properties.ipAddresses');
      const local = address ?? {};
      return {
        id: cid,
        name,
        type: 'l3',
        vlanId:
          reader.optionalNumber(clab, 'vlanId', cwho, 'properties.hnvLab.vlanId') ??
          doc.logicalSubnets.find((s) => s.id === logicalSubnetId)?.vlanId ??
          0,
        logicalSubnetId,
        localIp: reader.text(local, 'ipAddress', cwho, 'properties.ipAddresses[0].ipAddress'),
        prefixLength: reader.number(local, 'prefixLength', cwho, 'properties.ipAddresses[0].prefixLength'),
        peerIp: peers[0] ?? '',
        routes,
      };
    });
  const nat = reader.list(
    lab,
    'natConnections',
    who,
    'properties.hnvLab.natConnections',
  ) as unknown as GatewayConnection[];
  const order = reader.optionalStrings(lab, 'order', who, 'properties.hnvLab.order');
  const all = [...connections, ...nat];
  const byId = new Map(all.map((c) => [c.id, c]));
  const ordered = order ? order.map((o) => byId.get(o)).filter((c): c is GatewayConnection => !!c) : all;
  const bgp =
    own(lab, 'bgpRoutes') === undefined
      ? undefined
      : (reader.list(lab, 'bgpRoutes', who, 'properties.hnvLab.bgpRoutes') as unknown as BgpRoute[]);
  return {
    id,
    name: reader.nameOf(v, who, id),
    vmNetworkId: reader.text(lab, 'vmNetworkId', who, 'properties.hnvLab.vmNetworkId'),
    poolId: pools[0] ?? '',
    gatewayId: reader.text(lab, 'gatewayId', who, 'properties.hnvLab.gatewayId'),
    connections: ordered.length === all.length ? ordered : all,
    ...(bgp ? { bgpRoutes: bgp } : {}),
  };
}
