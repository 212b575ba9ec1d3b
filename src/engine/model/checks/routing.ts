// Route tables (user-defined routes) and VNet peerings: references, next hops, and the rule that
// peered VM networks' address spaces must not overlap. Errors name the object, field and rule.
import {
  formatIpv4,
  type Ipv4Prefix,
  ipv4ToNumber,
  parsePrefix,
  prefixContains,
  prefixesOverlap,
} from '../../net';
import { quote } from '../quote';
import type { TopologyDocument, VirtualSubnet, VmNetwork } from '../schema';
import type { ValidationError } from '../validate';
import { type Subject, subject } from './subject';

type Fail = (who: Subject, field: string, rule: string, message: string) => void;

function fail(errors: ValidationError[]): Fail {
  return (who, field, rule, message) =>
    errors.push({ objectKind: who.kind, objectId: who.id, objectName: who.name, field, rule, message });
}

/** Each VM network's subnets with their prefixes (well-formed ones only: the schema reports the rest). */
function addressSpaces(doc: TopologyDocument): Map<string, { subnet: VirtualSubnet; prefix: Ipv4Prefix }[]> {
  const out = new Map<string, { subnet: VirtualSubnet; prefix: Ipv4Prefix }[]>();
  for (const s of doc.virtualSubnets) {
    const prefix = parsePrefix(s.prefix);
    if (!prefix) continue;
    const list = out.get(s.vmNetworkId) ?? [];
    list.push({ subnet: s, prefix });
    out.set(s.vmNetworkId, list);
  }
  return out;
}

export function checkRouting(doc: TopologyDocument): ValidationError[] {
  const errors: ValidationError[] = [];
  // Most documents have neither: nothing to index (validation runs on a million objects).
  const tables = doc.routeTables?.length ?? 0;
  if (
    tables === 0 &&
    !doc.virtualSubnets.some((s) => s.routeTableId !== undefined) &&
    !doc.vmNetworks.some((n) => n.peerings?.length)
  )
    return errors;
  const report = fail(errors);
  const networks = new Map<string, VmNetwork>(doc.vmNetworks.map((n) => [n.id, n]));
  const spaces = addressSpaces(doc);
  checkPeerings(doc, networks, spaces, report);
  checkRouteTables(doc, networks, spaces, report);
  return errors;
}

function checkPeerings(
  doc: TopologyDocument,
  networks: Map<string, VmNetwork>,
  spaces: ReturnType<typeof addressSpaces>,
  report: Fail,
): void {
  for (const network of doc.vmNetworks) {
    const remotes = new Set<string>();
    (network.peerings ?? []).forEach((p, i) => {
      const who = subject('peering', p.id, `${network.name}/${p.name}`, false);
      const field = (f: string) => `peerings[${i}].${f}`;
      const remote = networks.get(p.remoteVmNetworkId);
      if (!remote) {
        report(
          who,
          field('remoteVmNetworkId'),
          'known-reference',
          `peering ${who.name} remoteVmNetworkId ${quote(p.remoteVmNetworkId)} refers to no VM network`,
        );
        return;
      }
      if (remote.id === network.id) {
        report(
          who,
          field('remoteVmNetworkId'),
          'peering-self',
          `peering ${who.name}: a VM network cannot peer with itself`,
        );
        return;
      }
      if (remotes.has(remote.id))
        report(
          who,
          field('remoteVmNetworkId'),
          'unique-peering',
          `peering ${who.name}: VM network ${quote(network.name)} already peers with ${quote(remote.name)}`,
        );
      remotes.add(remote.id);
      // The NC refuses peerings whose address spaces overlap: routes would be ambiguous.
      for (const a of spaces.get(network.id) ?? [])
        for (const b of spaces.get(remote.id) ?? [])
          if (prefixesOverlap(a.prefix, b.prefix)) {
            report(
              who,
              field('remoteVmNetworkId'),
              'peering-no-overlap',
              `peering ${who.name}: virtual subnet ${quote(a.subnet.name)} ${a.prefix.text} of ${quote(network.name)} overlaps virtual subnet ${quote(b.subnet.name)} ${b.prefix.text} of ${quote(remote.name)} (peered address spaces must not overlap)`,
            );
            return;
          }
      if (p.useRemoteGateways) {
        const back = remote.peerings?.find((q) => q.remoteVmNetworkId === network.id);
        if (!back?.allowGatewayTransit)
          report(
            who,
            field('useRemoteGateways'),
            'remote-gateway-transit',
            `peering ${who.name} uses the remote gateways, but ${quote(remote.name)}'s peering back does not allow gateway transit`,
          );
      }
    });
  }
}

function checkRouteTables(
  doc: TopologyDocument,
  networks: Map<string, VmNetwork>,
  spaces: ReturnType<typeof addressSpaces>,
  report: Fail,
): void {
  const tables = doc.routeTables ?? [];
  const ids = new Set<string>();
  for (const table of tables) {
    const who = subject('route table', table.id, table.name);
    if (ids.has(table.id))
      report(
        who,
        'id',
        'unique-id',
        `route table ${quote(table.name)} id ${quote(table.id)} is already used by another route table`,
      );
    ids.add(table.id);
    const names = new Set<string>();
    const prefixes = new Set<string>();
    table.routes.forEach((r, i) => {
      const rw = subject('route', r.id, `${table.name}/${r.name}`, false);
      const field = (f: string) => `routes[${i}].${f}`;
      if (names.has(r.name))
        report(
          rw,
          field('name'),
          'unique-route-name',
          `route ${rw.name}: route table ${quote(table.name)} already has a route named ${quote(r.name)}`,
        );
      names.add(r.name);
      const prefix = parsePrefix(r.addressPrefix);
      if (prefix?.hostBitsSet)
        report(
          rw,
          field('addressPrefix'),
          'prefix-network-address',
          `route ${rw.name} addressPrefix ${r.addressPrefix} has host bits set (write ${prefix.text.replace(/^[^/]+/, formatIpv4(prefix.network))})`,
        );
      if (prefixes.has(r.addressPrefix))
        report(
          rw,
          field('addressPrefix'),
          'unique-route-prefix',
          `route ${rw.name}: route table ${quote(table.name)} already has a route for ${r.addressPrefix}`,
        );
      prefixes.add(r.addressPrefix);
      if (r.nextHopType === 'VirtualAppliance' && r.nextHopIpAddress === undefined)
        report(
          rw,
          field('nextHopIpAddress'),
          'next-hop-ip-required',
          `route ${rw.name} has next hop type VirtualAppliance but no nextHopIpAddress (the appliance's IP)`,
        );
      if (r.nextHopType !== 'VirtualAppliance' && r.nextHopIpAddress !== undefined)
        report(
          rw,
          field('nextHopIpAddress'),
          'next-hop-ip-only-appliance',
          `route ${rw.name} has a nextHopIpAddress, which only a VirtualAppliance next hop takes (it is ${r.nextHopType})`,
        );
    });
  }
  const byId = new Map(tables.map((t) => [t.id, t]));
  for (const s of doc.virtualSubnets) {
    if (s.routeTableId === undefined) continue;
    const who = subject('virtual subnet', s.id, s.name);
    const table = byId.get(s.routeTableId);
    if (!table) {
      report(
        who,
        'routeTableId',
        'known-reference',
        `${who.label} routeTableId ${quote(s.routeTableId)} refers to no route table`,
      );
      continue;
    }
    if (s.isolation === 'vlan')
      report(
        who,
        'routeTableId',
        'route-table-overlay',
        `${who.label} is VLAN-isolated: the distributed router does not route it, so a route table cannot apply`,
      );
    // An appliance must be reachable: inside this VM network or a network peered with it.
    const network = networks.get(s.vmNetworkId);
    if (!network) continue;
    const reachable = [network.id, ...(network.peerings ?? []).map((p) => p.remoteVmNetworkId)];
    table.routes.forEach((r, i) => {
      if (r.nextHopType !== 'VirtualAppliance' || r.nextHopIpAddress === undefined) return;
      const ip = ipv4ToNumber(r.nextHopIpAddress);
      const inside = reachable.some((id) => (spaces.get(id) ?? []).some((x) => prefixContains(x.prefix, ip)));
      if (!inside)
        report(
          subject('route', r.id, `${table.name}/${r.name}`, false),
          `routes[${i}].nextHopIpAddress`,
          'next-hop-in-network',
          `route ${table.name}/${r.name} next hop ${r.nextHopIpAddress} is in no virtual subnet of ${quote(network.name)} or a VM network it peers with (the table applies to ${who.label})`,
        );
    });
  }
}
