// `hnv trace ... --audit`: the stateful firewall after the trace, port by port: the connections
// it tracks (flow, direction, state, idle time left, packets) and its audit log (ACL rule hits on
// new flows). Ports that are under no ACL track and log nothing and are left out.
import type { Engine, HostTables, PortTables } from '../engine/index.ts';

export interface PortFirewall {
  host: string;
  port: string;
  connections: PortTables['connections'];
  audit: PortTables['audit'];
  auditTotal: number;
}

const isStateful = (p: PortTables) =>
  p.layers.some((l) => l.groups.some((g) => g.id.startsWith('acl_state_')));

/** The firewall state of every port under an ACL, host by host, and the lab clock. */
export function firewallOf(engine: Engine, hostIds: string[]): { clock: number; ports: PortFirewall[] } {
  const tables = hostIds.map((id) => engine.hostTables(id)).filter((t): t is HostTables => t !== null);
  return {
    clock: tables[0]?.clock ?? 0,
    ports: tables.flatMap((t) =>
      t.ports.filter(isStateful).map((p) => ({
        host: t.hostName,
        port: p.vmLabel,
        connections: p.connections,
        audit: p.audit,
        auditTotal: p.auditTotal,
      })),
    ),
  };
}

const s = (n: number) => `${Math.round(n * 10) / 10} s`;

export function renderFirewall(f: { clock: number; ports: PortFirewall[] }): string {
  const lines = [`firewall after the trace (lab clock ${s(f.clock)})`];
  if (!f.ports.length) lines.push('  no port is under an ACL: nothing is tracked or audited');
  for (const p of f.ports) {
    lines.push(`${p.host} / port ${p.port}`);
    lines.push(`  connections (${p.connections.length}):`);
    for (const c of p.connections)
      lines.push(
        `    ${c.direction.padEnd(3)} ${c.flow}  ${c.state}  idle ${s(c.expiresIn)} of ${c.idleTimeout} s  packets ${c.packetsOriginal}/${c.packetsReply}`,
      );
    const kept = p.auditTotal > p.audit.length ? `, last ${p.audit.length} of ${p.auditTotal}` : '';
    lines.push(`  audit log (${p.audit.length} row${p.audit.length === 1 ? '' : 's'}${kept}):`);
    for (const r of p.audit)
      lines.push(
        `    ${s(r.time).padStart(6)}  ${r.direction.padEnd(3)} ${r.action.padEnd(5)} ${r.rule}  ${r.flow}  (${r.origin})`,
      );
  }
  return lines.join('\n');
}
