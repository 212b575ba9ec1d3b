// The controller's southbound updates after a change, grouped per host and said in words:
// "lookup record 10.1.1.11 @ VSID 5001 (Contoso/SQL): PA 192.168.1.10 → 192.168.2.30".
import type { SouthboundUpdate } from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';

export type HostRole = 'source' | 'destination' | 'peer';

export interface UpdateLine {
  /** '+' added, '−' removed, '→' changed. */
  sign: '+' | '−' | '→';
  text: string;
}

export interface HostUpdates {
  hostId: string;
  hostName: string;
  /** The VM left this host, arrived on it, or the host only talks to it. */
  role: HostRole;
  lines: UpdateLine[];
  /** How many southbound updates the lines stand for. */
  count: number;
}

const LISTED = 4;

function list(items: string[]): string {
  return items.length <= LISTED ? items.join(', ') : `${items.slice(0, LISTED).join(', ')} …`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

const byIp = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** '2 lookup records: 10.1.1.11, 10.1.1.12 (VSID 5001)' */
function recordsText(records: SouthboundUpdate[]): string {
  const cas: string[] = [];
  const vsids = new Set<number>();
  for (const u of records)
    if (u.kind === 'lookup-record') {
      cas.push(u.record.caIp);
      vsids.add(u.record.vsid);
    }
  const vsid = `VSID${vsids.size === 1 ? '' : 's'} ${[...vsids].sort((a, b) => a - b).join(', ')}`;
  return `${plural(records.length, 'lookup record')}: ${list(cas.sort(byIp))} (${vsid})`;
}

const ROLE_ORDER: Record<HostRole, number> = { peer: 0, destination: 1, source: 2 };

/**
 * Group the updates per host: first the hosts that only talk to the VM (their new lookup record
 * is what convergence is about), then where it arrived, then where it left; document order within.
 */
export function summarizeUpdates(updates: SouthboundUpdate[], doc: TopologyDocument): HostUpdates[] {
  const byHost = new Map<string, SouthboundUpdate[]>();
  for (const u of updates) {
    const list = byHost.get(u.hostId) ?? [];
    list.push(u);
    byHost.set(u.hostId, list);
  }
  const order = doc.hosts.map((h) => h.id);
  const ids = [...byHost.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const groups = ids.map((hostId): HostUpdates => {
    const us = byHost.get(hostId) ?? [];
    const lines: UpdateLine[] = [];
    const ports = us.filter((u) => u.kind === 'port');
    for (const u of ports)
      if (u.kind === 'port')
        lines.push({
          sign: u.op === 'add' ? '+' : u.op === 'remove' ? '−' : '→',
          text:
            u.op === 'add'
              ? `port ${u.port.vmLabel} (sends from PA ${u.port.pa})`
              : u.op === 'remove'
                ? `port ${u.port.vmLabel} (the VM left)`
                : `port ${u.port.vmLabel} recompiled (PA ${u.port.pa})`,
        });
    for (const u of us)
      if (u.kind === 'lookup-record' && u.op === 'update')
        lines.push({
          sign: '→',
          text: `lookup record ${u.record.caIp} @ VSID ${u.record.vsid} (${u.record.vmLabel}): PA ${u.previous?.pa ?? '?'} → ${u.record.pa}`,
        });
    for (const op of ['add', 'remove'] as const) {
      const records = us.filter((u) => u.kind === 'lookup-record' && u.op === op);
      if (records.length)
        lines.push({
          sign: op === 'add' ? '+' : '−',
          text: recordsText(records),
        });
      const routes = us.filter((u) => u.kind === 'customer-route' && u.op === op);
      if (routes.length)
        lines.push({
          sign: op === 'add' ? '+' : '−',
          text: `${plural(routes.length, 'customer route')}: ${list(
            routes.map((u) => (u.kind === 'customer-route' ? u.route.prefix : '')),
          )}`,
        });
      const pas = us.filter((u) => u.kind === 'provider-address' && u.op === op);
      if (pas.length)
        lines.push({
          sign: op === 'add' ? '+' : '−',
          text: `${plural(pas.length, 'provider address')}: ${list(
            pas.map((u) => (u.kind === 'provider-address' ? u.providerAddress.pa : '')),
          )}`,
        });
    }
    const role: HostRole = ports.some((u) => u.op === 'add')
      ? 'destination'
      : ports.some((u) => u.op === 'remove')
        ? 'source'
        : 'peer';
    return {
      hostId,
      hostName: doc.hosts.find((h) => h.id === hostId)?.name ?? hostId,
      role,
      lines,
      count: us.length,
    };
  });
  return groups.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}
