// The gateway VM's tables as an operator would read them on the RAS gateway: each tenant
// compartment's routes with where they came from (a connection's static routes, "BGP peer …",
// the NAT connection's default route), its connections, and the NAT mapping table with counters.
// Plain data for the host tables (the host the gateway VM runs on).
import { u32ToIp } from '../../controller/addr';
import type { EdgeNetwork } from './edges';
import { natIdleTimeout } from './nat';

export interface GatewayTables {
  gatewayId: string;
  name: string;
  pa: string;
  frontEnd: string;
  compartments: {
    tenant: string;
    vmNetwork: string;
    virtualGateway: string;
    routes: { prefix: string; connection: string; type: string; origin: string }[];
    connections: { name: string; type: string; detail: string }[];
  }[];
  nat: {
    tenant: string;
    protocol: string;
    inside: string;
    public: string;
    packets: number;
    /** Seconds since the mapping's last packet, on the lab clock. */
    idle: number;
    /** Its idle timeout, seconds (by protocol): past it, the mapping goes when time passes. */
    timeout: number;
  }[];
  /** The flow cache: each tenant flow out through a compartment, the connection it takes, its hits. */
  flows: { tenant: string; protocol: string; flow: string; connection: string; hits: number }[];
}

const PROTOCOLS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

export function gatewayTables(edges: EdgeNetwork | undefined, hostId: string, now: number): GatewayTables[] {
  return (edges?.gateways ?? [])
    .filter((g) => g.gw.hostId === hostId)
    .map((g) => {
      const nat: GatewayTables['nat'] = [];
      for (let r = 0; r < g.nat.size; r++)
        nat.push({
          tenant: g.compartments[g.nat.compartment[r]]?.tenant ?? '?',
          protocol: PROTOCOLS[g.nat.proto[r]] ?? String(g.nat.proto[r]),
          inside: `${u32ToIp(g.nat.insideIp[r])}:${g.nat.insidePort[r]}`,
          public: `${u32ToIp(g.nat.publicIp[r])}:${g.nat.publicPort[r]}`,
          packets: g.nat.packets[r],
          idle: now - g.nat.lastSeen[r],
          timeout: natIdleTimeout(g.nat.proto[r]),
        });
      const flows: GatewayTables['flows'] = [];
      const f = g.flows;
      for (let r = 0; r < f.size; r++) {
        const c = g.compartments[f.compartment[r]];
        const proto = f.proto[r];
        const ports = proto === 6 || proto === 17;
        flows.push({
          tenant: c?.tenant ?? '?',
          protocol: PROTOCOLS[proto] ?? String(proto),
          flow: ports
            ? `${u32ToIp(f.src[r])}:${f.srcPort[r]} -> ${u32ToIp(f.dst[r])}:${f.dstPort[r]}`
            : `${u32ToIp(f.src[r])} -> ${u32ToIp(f.dst[r])}${proto === 1 ? ` id ${f.srcPort[r]}` : ''}`,
          connection: c?.via[f.route[r]]?.c.name ?? '?',
          hits: f.hits[r],
        });
      }
      return {
        gatewayId: g.gw.id,
        name: g.name,
        pa: g.gw.providerAddress,
        frontEnd: g.gw.externalIp,
        compartments: g.compartments.map((c) => ({
          tenant: c.tenant,
          vmNetwork: c.vmNetwork,
          virtualGateway: c.vg.name,
          routes: c.prefixes.map((prefix, i) => ({
            prefix,
            connection: c.via[i].c.name,
            type: c.via[i].c.type,
            origin: c.origins[i],
          })),
          connections: c.connections.map(({ c: k, site, l3 }) => ({
            name: k.name,
            type: k.type,
            detail:
              k.type === 'gre'
                ? `key ${k.greKey} to ${site?.name ?? k.siteId} ${site ? u32ToIp(site.ip) : ''}`.trim()
                : k.type === 'ipsec'
                  ? `SPI out 0x${k.spiOut.toString(16)}, in 0x${k.spiIn.toString(16)}, to ${site?.name ?? k.siteId}`
                  : k.type === 'nat'
                    ? `SNAT to ${k.publicIp ?? g.gw.externalIp}, ports ${k.portRangeStart}-${k.portRangeEnd}`
                    : `VLAN ${k.vlanId}${l3 ? ` on '${l3.link.name}'` : ''}, L3 interface ${k.localIp}/${k.prefixLength}, next hop ${k.peerIp}, no tunnel`,
          })),
        })),
        nat,
        flows,
      };
    });
}
