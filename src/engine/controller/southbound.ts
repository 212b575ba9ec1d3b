// What the Network Controller's southbound OVSDB channel holds for one host, as the host
// agent's MS_VTEP-like database: Logical_Switch (a VSID), Physical_Locator (a PA tunnel
// endpoint), Ucast_Macs_Local / Ucast_Macs_Remote (CA-MAC bindings behind a locator),
// Logical_Router (a routing domain and the switches it joins) and ACL (the firewall rules
// pushed to each port). Built from the host agent's policy store, so it shows exactly what
// the host holds (old rows while a migration's updates are in flight).
import type { HostPolicy, RuleMatch, VfpRule } from './types';

export interface OvsdbRow {
  /** Stable identity of the row across updates (what the UI diffs on). */
  key: string;
  /** A deterministic _uuid derived from the key (OVSDB rows are named by UUID). */
  uuid: string;
  columns: Record<string, string | number>;
}

export interface OvsdbTable {
  name:
    | 'Logical_Switch'
    | 'Physical_Locator'
    | 'Ucast_Macs_Local'
    | 'Ucast_Macs_Remote'
    | 'Logical_Router'
    | 'ACL';
  rows: OvsdbRow[];
}

/** The MS_VTEP database of one host, in table order. */
export interface SouthboundDatabase {
  database: 'ms_vtep';
  tables: OvsdbTable[];
}

function fnv(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function uuidOf(key: string): string {
  const hex = [1, 2, 3, 4].map((s) => fnv(key, s).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function row(table: string, key: string, columns: OvsdbRow['columns']): OvsdbRow {
  return { key: `${table}/${key}`, uuid: uuidOf(`${table}/${key}`), columns };
}

function matchText(m: RuleMatch): string {
  const parts: string[] = [];
  if (m.protocol) parts.push(m.protocol);
  if (m.srcPrefix) parts.push(`src ${m.srcPrefix}`);
  if (m.srcPorts) parts.push(`sport ${m.srcPorts[0]}-${m.srcPorts[1]}`);
  if (m.dstPrefix) parts.push(`dst ${m.dstPrefix}`);
  if (m.dstPorts) parts.push(`dport ${m.dstPorts[0]}-${m.dstPorts[1]}`);
  return parts.join(' ') || 'any';
}

const ruleAction = (r: VfpRule): string => (r.actions.some((a) => a.type === 'drop') ? 'deny' : 'allow');

export function southboundDatabase(policy: HostPolicy): SouthboundDatabase {
  const switchName = (vsid: number) => String(vsid);
  const local = new Set(policy.providerAddresses.map((p) => p.pa));
  const vsids = new Set<number>();
  for (const r of policy.lookupRecords) vsids.add(r.vsid);
  for (const r of policy.customerRoutes) vsids.add(r.vsid);
  for (const p of policy.ports) vsids.add(p.vsid);
  const encapOf = new Map<number, string>();
  for (const r of policy.lookupRecords) encapOf.set(r.vsid, r.encapsulation);

  const logicalSwitch = [...vsids]
    .sort((a, b) => a - b)
    .map((vsid) =>
      row('Logical_Switch', switchName(vsid), {
        name: switchName(vsid),
        tunnel_key: vsid,
        description: `VSID ${vsid}`,
      }),
    );
  const locators = new Map<string, string>();
  for (const r of policy.lookupRecords)
    locators.set(r.pa, r.encapsulation === 'nvgre' ? 'nvgre_over_ipv4' : 'vxlan_over_ipv4');
  const physicalLocator = [...locators]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([pa, encapsulation]) =>
      row('Physical_Locator', pa, {
        dst_ip: pa,
        encapsulation_type: encapsulation,
        local: local.has(pa) ? 'true' : 'false',
      }),
    );
  const macRow = (table: 'Ucast_Macs_Local' | 'Ucast_Macs_Remote', r: HostPolicy['lookupRecords'][number]) =>
    row(table, `${r.vsid}/${r.caIp}`, {
      MAC: r.mac,
      ipaddr: r.caIp,
      logical_switch: switchName(r.vsid),
      locator: r.pa,
      vm: r.vmLabel,
    });
  const records = [...policy.lookupRecords].sort(
    (a, b) => a.vsid - b.vsid || a.caIp.localeCompare(b.caIp, 'en', { numeric: true }),
  );
  const ucastLocal = records
    .filter((r) => r.hostId === policy.hostId)
    .map((r) => macRow('Ucast_Macs_Local', r));
  const ucastRemote = records
    .filter((r) => r.hostId !== policy.hostId)
    .map((r) => macRow('Ucast_Macs_Remote', r));

  const routers = new Map<string, { name: string; bindings: string[]; statics: string[] }>();
  for (const r of policy.customerRoutes) {
    const entry = routers.get(r.routingDomainId) ?? { name: r.vmNetworkName, bindings: [], statics: [] };
    // A user-defined route is a static route (prefix=next hop), for packets from its subnet.
    if (r.origin === 'udr')
      entry.statics.push(
        `${r.prefix}=${r.nextHopType === 'VirtualAppliance' ? r.nextHop : r.nextHopType}@${switchName(r.vsid)}`,
      );
    else entry.bindings.push(`${r.prefix}=${switchName(r.vsid)}`);
    routers.set(r.routingDomainId, entry);
  }
  // Every row has the column once one router has a static route (tables read columns off row 1).
  const anyStatic = [...routers.values()].some((r) => r.statics.length > 0);
  const logicalRouter = [...routers].map(([rd, r]) =>
    row('Logical_Router', rd, {
      name: rd,
      description: r.name,
      switch_binding: r.bindings.join(', '),
      ...(anyStatic ? { static_routes: r.statics.join(', ') } : {}),
    }),
  );

  const acl: OvsdbRow[] = [];
  for (const port of policy.ports)
    for (const layer of port.layers) {
      if (layer.id !== 'acl') continue;
      for (const group of layer.groups)
        for (const rule of [...group.rules, group.defaultRule])
          acl.push(
            row('ACL', `${port.portId}/${rule.id}`, {
              port: port.vmLabel,
              direction: group.direction === 'out' ? 'outbound' : 'inbound',
              priority: rule.priority,
              match: matchText(rule.match),
              action: ruleAction(rule),
              origin: rule.origin,
            }),
          );
    }

  return {
    database: 'ms_vtep',
    tables: [
      { name: 'Logical_Switch', rows: logicalSwitch },
      { name: 'Physical_Locator', rows: physicalLocator },
      { name: 'Ucast_Macs_Local', rows: ucastLocal },
      { name: 'Ucast_Macs_Remote', rows: ucastRemote },
      { name: 'Logical_Router', rows: logicalRouter },
      { name: 'ACL', rows: acl },
    ],
  };
}
