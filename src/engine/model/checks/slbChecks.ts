// The rules of software load balancing that span objects: MUXes on hosts with an address of the
// host's logical subnet, external endpoints on router-attached links, load balancers whose VIP
// lies outside every link (it is routed, announced by the MUXes), DIPs that are vNICs, frontend
// ports used once per protocol, probes and DIPs that exist.
import { type Ipv4Prefix, ipv4ToNumber, prefixContains } from '../../net';
import { quote } from '../quote';
import type { Host, LoadBalancer, LogicalSubnet, TopologyDocument } from '../schema';
import { plural, type Subject, subject } from './subject';

/** What the SLB checks borrow from the document checker. */
export interface SlbCheckContext {
  fail(who: Subject, field: string, rule: string, message: string): void;
  unknownReference(who: Subject, field: string, value: string, targetKind: string): void;
  claimMac(who: Subject, field: string, mac: string): void;
  /** Claim a provider-space address; false (and reported) when someone holds it. */
  claimIp(who: Subject, field: string, ip: number, text: string): boolean;
  hosts: Map<string, Host>;
  logicalSubnets: Map<string, { subnet: LogicalSubnet; prefix: Ipv4Prefix }>;
  /** Logical subnets with a router interface. */
  routedSubnets: Set<string>;
}

function uniqueIds(c: SlbCheckContext, kind: string, objects: { id: string; name: string }[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    if (seen.has(o.id))
      c.fail(
        subject(kind, o.id, o.name),
        'id',
        'unique-id',
        `${kind} ${quote(o.name)} id ${quote(o.id)} is already used by another ${kind}`,
      );
    seen.add(o.id);
  }
}

/** An address on a logical subnet: inside its prefix, not its network or broadcast address. */
function onLink(
  c: SlbCheckContext,
  who: Subject,
  field: string,
  ipText: string,
  ls: { subnet: LogicalSubnet; prefix: Ipv4Prefix },
): boolean {
  const ip = ipv4ToNumber(ipText);
  if (!prefixContains(ls.prefix, ip) || ip === ls.prefix.network || ip === ls.prefix.broadcast) {
    c.fail(
      who,
      field,
      'ip-in-logical-subnet',
      `${who.label} ${field} ${ipText} is not a host address of its logical subnet ${quote(ls.subnet.name)} ${ls.subnet.prefix}`,
    );
    return false;
  }
  return c.claimIp(who, field, ip, ipText);
}

export function checkSlb(doc: TopologyDocument, c: SlbCheckContext): void {
  const muxes = doc.slbMuxes ?? [];
  const endpoints = doc.externalEndpoints ?? [];
  const lbs = doc.loadBalancers ?? [];
  uniqueIds(c, 'SLB MUX', muxes);
  uniqueIds(c, 'external endpoint', endpoints);
  uniqueIds(c, 'load balancer', lbs);
  for (const m of muxes) {
    const who = subject('SLB MUX', m.id, m.name);
    c.claimMac(who, 'mac', m.mac);
    const host = c.hosts.get(m.hostId);
    if (!host) {
      c.unknownReference(who, 'hostId', m.hostId, 'host');
      continue;
    }
    const ls = c.logicalSubnets.get(host.logicalSubnetId);
    if (ls) onLink(c, who, 'ip', m.ip, ls);
  }
  const names = new Set<string>();
  for (const e of endpoints) {
    const who = subject('external endpoint', e.id, e.name);
    c.claimMac(who, 'mac', e.mac);
    const ls = c.logicalSubnets.get(e.logicalSubnetId);
    if (!ls) {
      c.unknownReference(who, 'logicalSubnetId', e.logicalSubnetId, 'logical subnet');
      continue;
    }
    const label = `${ls.subnet.name}/${e.name}`;
    if (names.has(label))
      c.fail(who, 'name', 'unique-name', `${who.label}: another external endpoint is called ${quote(label)}`);
    names.add(label);
    if (!c.routedSubnets.has(ls.subnet.id))
      c.fail(
        who,
        'logicalSubnetId',
        'routed-link',
        `${who.label} sits on logical subnet ${quote(ls.subnet.name)}, which no router has an interface on: it could reach nothing`,
      );
    onLink(c, who, 'ip', e.ip, ls);
  }
  const vnicIds = new Set<string>();
  for (const vm of doc.vms) for (const n of vm.nics) vnicIds.add(n.id);
  const vips = new Map<string, LoadBalancer>();
  for (const lb of lbs) checkLoadBalancer(c, lb, vnicIds, vips);
}

function checkLoadBalancer(
  c: SlbCheckContext,
  lb: LoadBalancer,
  vnicIds: Set<string>,
  vips: Map<string, LoadBalancer>,
): void {
  const who = subject('load balancer', lb.id, lb.name);
  const other = vips.get(lb.frontendIp);
  if (other)
    c.fail(
      who,
      'frontendIp',
      'unique-vip',
      `${who.label} VIP ${lb.frontendIp} is already the VIP of load balancer ${quote(other.name)}`,
    );
  vips.set(lb.frontendIp, lb);
  const vip = ipv4ToNumber(lb.frontendIp);
  for (const ls of c.logicalSubnets.values())
    if (prefixContains(ls.prefix, vip)) {
      c.fail(
        who,
        'frontendIp',
        'vip-off-link',
        `${who.label} VIP ${lb.frontendIp} lies inside logical subnet ${quote(ls.subnet.name)} ${ls.subnet.prefix}: a VIP is routed to the MUXes (announced over BGP), so it must lie outside every link`,
      );
      break;
    }
  const pool = new Set<string>();
  lb.backendVnicIds.forEach((id, i) => {
    if (!vnicIds.has(id)) c.unknownReference(who, `backendVnicIds[${i}]`, id, 'vNIC');
    else if (pool.has(id))
      c.fail(
        who,
        `backendVnicIds[${i}]`,
        'unique-dip',
        `${who.label} lists vNIC ${quote(id)} twice in its backend pool`,
      );
    pool.add(id);
  });
  const probes = new Set(lb.probes.map((p) => p.id));
  const frontends = new Map<string, string>();
  const claimFrontend = (field: string, protocol: string, port: number, name: string) => {
    const key = `${protocol}/${port}`;
    const holder = frontends.get(key);
    if (holder)
      c.fail(
        who,
        field,
        'unique-frontend-port',
        `${who.label}: ${protocol.toUpperCase()} port ${port} of VIP ${lb.frontendIp} is used by both ${quote(holder)} and ${quote(name)}`,
      );
    else frontends.set(key, name);
  };
  lb.rules.forEach((r, i) => {
    claimFrontend(`rules[${i}].frontendPort`, r.protocol, r.frontendPort, r.name);
    if (r.probeId !== undefined && !probes.has(r.probeId))
      c.unknownReference(who, `rules[${i}].probeId`, r.probeId, 'probe of this load balancer');
    if (lb.backendVnicIds.length === 0)
      c.fail(
        who,
        `rules[${i}]`,
        'backend-pool',
        `${who.label} rule ${quote(r.name)} balances over an empty backend pool: add a DIP (a vNIC)`,
      );
  });
  lb.inboundNatRules.forEach((r, i) => {
    claimFrontend(`inboundNatRules[${i}].frontendPort`, r.protocol, r.frontendPort, r.name);
    if (!vnicIds.has(r.backendVnicId))
      c.unknownReference(who, `inboundNatRules[${i}].backendVnicId`, r.backendVnicId, 'vNIC');
  });
  lb.outboundNatRules.forEach((r, i) => {
    const ports = r.portRangeEnd - r.portRangeStart + 1;
    if (ports < 1)
      c.fail(
        who,
        `outboundNatRules[${i}].portRangeEnd`,
        'port-range-order',
        `${who.label} outbound NAT rule ${quote(r.name)} ends (${r.portRangeEnd}) before it starts (${r.portRangeStart})`,
      );
    else if (ports < lb.backendVnicIds.length)
      c.fail(
        who,
        `outboundNatRules[${i}].portRangeStart`,
        'snat-ports-per-dip',
        `${who.label} outbound NAT rule ${quote(r.name)} has ${plural(ports, 'SNAT port')} for ${plural(lb.backendVnicIds.length, 'DIP')}: each DIP needs at least one`,
      );
  });
  (lb.probeFailures ?? []).forEach((id, i) => {
    if (!pool.has(id))
      c.fail(
        who,
        `probeFailures[${i}]`,
        'probe-of-dip',
        `${who.label} marks the probe of vNIC ${quote(id)} failing, but that vNIC is not in its backend pool`,
      );
  });
}
