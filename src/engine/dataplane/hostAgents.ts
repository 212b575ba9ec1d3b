// The host agents: each holds a policy store (HNV's MS_VTEP database) built only by applying
// the controller's southbound updates: lookup records, customer routes, provider addresses and
// ports. Applying is strict: an add needs an absent key, an update or a remove a present one;
// anything else is a controller bug and an error naming the host, the kind and the key. Under
// staged convergence a host's updates wait in its own queue and arrive in order. The data plane
// asks the host agent, never the controller: the CA-PA lookup, a VSID's records (replication,
// ARP) and the distributed router's customer routes are indexed by number as they are applied
// (VSID, CA as a 32-bit address, a route's prefix as network and mask).
//
// Scale: every host of a routing domain holds all its records (2 million for 10,000 VMs on 200
// hosts). The hosts holding a routing domain share one table of its records while they have
// applied the same updates: the initial push, and each batch that brings all of them the same
// update. A host that is sent what the others are not (staged convergence) gets its own copy of
// the table before it applies it.
import { ipToU32, parsePrefix, u32ToIp } from '../controller/addr';
import type { Controller } from '../controller/controller';
import { recordKey } from '../controller/controller';
import type {
  CustomerRoute,
  LookupRecord,
  PortPolicy,
  ProviderAddressRecord,
  SouthboundUpdate,
} from '../controller/types';
import { type FlowDep, FlowDeps } from './flowTable';

/** The lookup records of one routing domain, as one or more host agents hold them. */
interface RecordTable {
  byKey: Map<string, LookupRecord>;
  /** VSID -> CA (a 32-bit address) -> record. */
  byVsid: Map<number, Map<number, LookupRecord>>;
  /** The stores holding this very table (identical content). */
  holders: Set<PolicyStore>;
}

/** A customer route as the distributed router matches it: its prefix as numbers. */
export interface RouteRt {
  /** The southbound key the controller pushed it under. */
  key: string;
  route: CustomerRoute;
  net: number;
  mask: number;
  /** The distributed router's own address in the subnet. */
  gatewayIp: number;
}

/** One host agent's policy store and the updates on their way to it. */
export class PolicyStore {
  /** Routing domain -> its lookup records. */
  readonly tables = new Map<string, RecordTable>();
  /** VSID -> routing domain, for the lookup by VSID. */
  readonly rdOfVsid = new Map<number, string>();
  readonly routes = new Map<string, CustomerRoute>();
  /** Routing domain -> its routes in the order they arrived. */
  readonly routesByRd = new Map<string, RouteRt[]>();
  readonly providerAddresses = new Map<string, ProviderAddressRecord>();
  readonly ports = new Map<string, PortPolicy>();
  /** Updates sent to this host and not applied yet, oldest first (staged convergence). */
  queue: SouthboundUpdate[] = [];
  /** Record key -> the record the newest queued update brings (null: a removal). */
  incoming = new Map<string, LookupRecord | null>();

  constructor(readonly hostId: string) {}

  record(vsid: number, ca: number): LookupRecord | undefined {
    const rd = this.rdOfVsid.get(vsid);
    return rd === undefined ? undefined : this.tables.get(rd)?.byVsid.get(vsid)?.get(ca);
  }
}

const newTable = (): RecordTable => ({ byKey: new Map(), byVsid: new Map(), holders: new Set() });

function copyTable(t: RecordTable): RecordTable {
  const byVsid = new Map<number, Map<number, LookupRecord>>();
  for (const [vsid, m] of t.byVsid) byVsid.set(vsid, new Map(m));
  return { byKey: new Map(t.byKey), byVsid, holders: new Set() };
}

function putRecord(t: RecordTable, key: string, r: LookupRecord): void {
  t.byKey.set(key, r);
  let m = t.byVsid.get(r.vsid);
  if (!m) {
    m = new Map();
    t.byVsid.set(r.vsid, m);
  }
  m.set(ipToU32(r.caIp), r);
}

function deleteRecord(t: RecordTable, key: string, r: LookupRecord): void {
  t.byKey.delete(key);
  t.byVsid.get(r.vsid)?.delete(ipToU32(r.caIp));
}

function routeRt(key: string, route: CustomerRoute): RouteRt {
  const p = parsePrefix(route.prefix);
  return { key, route, net: p.network, mask: p.mask, gatewayIp: ipToU32(route.gateway) };
}

export class HostAgents {
  private stores = new Map<string, PolicyStore>();

  /** The controller's initial push, received by every host agent. */
  constructor(controller: Controller) {
    const push = controller.initialPush();
    // The same adds reach every host of a routing domain: one table, held by all of them.
    const tables = new Map<string, RecordTable>();
    for (const [rd, records] of push.recordsByRd) {
      const t = newTable();
      for (const r of records) {
        const key = recordKey(r.vsid, r.caIp);
        if (t.byKey.has(key)) throw new Error(`initial push: lookup record ${key} twice in '${rd}'`);
        putRecord(t, key, r);
      }
      tables.set(rd, t);
    }
    for (const [hostId, rds] of push.rdsOfHost) {
      const store = this.store(hostId);
      for (const rd of rds) {
        const t = tables.get(rd) ?? newTable();
        t.holders.add(store);
        store.tables.set(rd, t);
        for (const vsid of t.byVsid.keys()) store.rdOfVsid.set(vsid, rd);
      }
    }
    this.applyNow(push.updates);
  }

  private store(hostId: string): PolicyStore {
    let s = this.stores.get(hostId);
    if (!s) {
      s = new PolicyStore(hostId);
      this.stores.set(hostId, s);
    }
    return s;
  }

  /**
   * These updates reach their hosts now, each after whatever was still queued for its host (in
   * order). Returns, per host, the queued updates that arrived first (their flows must go too).
   */
  apply(updates: SouthboundUpdate[]): Map<string, SouthboundUpdate[]> {
    const drained = new Map<string, SouthboundUpdate[]>();
    const batch: SouthboundUpdate[] = [];
    for (const u of updates) {
      const s = this.stores.get(u.hostId);
      if (s && s.queue.length > 0 && !drained.has(u.hostId)) {
        drained.set(u.hostId, s.queue);
        batch.push(...s.queue);
        s.queue = [];
        s.incoming.clear();
      }
    }
    for (const u of updates) batch.push(u);
    this.applyNow(batch);
    return drained;
  }

  /**
   * Queue these updates for their hosts (staged convergence). Returns the flow dependencies on
   * the lookup records some host has not received: flows built from them stay.
   */
  hold(updates: SouthboundUpdate[]): FlowDeps {
    const heldRecDeps = new FlowDeps();
    for (const u of updates) {
      const s = this.store(u.hostId);
      s.queue.push(u);
      if (u.kind !== 'lookup-record') continue;
      heldRecDeps.add({ kind: 'record', vsid: u.record.vsid, ca: u.record.caIp });
      s.incoming.set(u.key, u.op === 'remove' ? null : u.record);
    }
    return heldRecDeps;
  }

  /** Whether any host waits for updates. */
  waiting(): boolean {
    for (const s of this.stores.values()) if (s.queue.length > 0) return true;
    return false;
  }

  isWaiting(hostId: string): boolean {
    return (this.stores.get(hostId)?.queue.length ?? 0) > 0;
  }

  inFlightUpdates(): SouthboundUpdate[] {
    return [...this.stores.values()].flatMap((s) => s.queue);
  }

  /** Every queued update arrives, host by host in order: returns what each host received. */
  deliver(): Map<string, { updates: SouthboundUpdate[] }> {
    const arrived = new Map<string, { updates: SouthboundUpdate[] }>();
    const batch: SouthboundUpdate[] = [];
    for (const s of this.stores.values()) {
      if (s.queue.length === 0) continue;
      arrived.set(s.hostId, { updates: s.queue });
      batch.push(...s.queue);
      s.queue = [];
      s.incoming.clear();
    }
    this.applyNow(batch);
    return arrived;
  }

  /**
   * Apply a batch of updates to their hosts' stores, in order. The holders of a shared record
   * table are first split by what this batch brings them (the same record updates in the same
   * order, or not), so that each table's holders all receive each of its updates: applied once.
   */
  private applyNow(batch: SouthboundUpdate[]): void {
    // Each distinct record update (its record and 'op key') gets a number; each host's record
    // updates per routing domain, in order, spell a signature.
    const ids = new Map<LookupRecord, Map<string, number>>();
    const idOf = (u: Extract<SouthboundUpdate, { kind: 'lookup-record' }>): number => {
      let byOp = ids.get(u.record);
      if (!byOp) {
        byOp = new Map();
        ids.set(u.record, byOp);
      }
      const opKey = `${u.op} ${u.key}`;
      let id = byOp.get(opKey);
      if (id === undefined) {
        id = ids.size * 1024 + byOp.size;
        byOp.set(opKey, id);
      }
      return id;
    };
    const signatures = new Map<RecordTable, Map<PolicyStore, string>>();
    for (const u of batch) {
      if (u.kind !== 'lookup-record') continue;
      const s = this.store(u.hostId);
      const t = s.tables.get(u.record.routingDomainId);
      if (!t || t.holders.size < 2) continue;
      let byStore = signatures.get(t);
      if (!byStore) {
        byStore = new Map();
        signatures.set(t, byStore);
      }
      byStore.set(s, `${byStore.get(s) ?? ''}${idOf(u)},`);
    }
    // A shared table stays with the largest group of its holders that receive the same updates
    // in the same order (those not in this batch receive none); each other group shares a copy.
    for (const [t, bySig] of signatures) {
      const groups = new Map<string, PolicyStore[]>();
      for (const h of t.holders) {
        const sig = bySig.get(h) ?? '';
        const g = groups.get(sig);
        if (g) g.push(h);
        else groups.set(sig, [h]);
      }
      if (groups.size < 2) continue;
      const largest = [...groups.values()].reduce((a, b) => (b.length > a.length ? b : a));
      for (const g of groups.values()) {
        if (g === largest) continue;
        const copy = copyTable(t);
        for (const h of g) {
          t.holders.delete(h);
          copy.holders.add(h);
          for (const [rd, held] of h.tables) if (held === t) h.tables.set(rd, copy);
        }
      }
    }
    // Now every holder of a table receives the same record updates: each is applied once.
    const applied = new Map<RecordTable, Set<number>>();
    for (const u of batch) {
      const s = this.store(u.hostId);
      const where = `host agent of '${u.hostId}': ${u.op} of ${u.kind} ${u.key}`;
      if (u.kind === 'lookup-record') {
        const rd = u.record.routingDomainId;
        let t = s.tables.get(rd);
        if (!t) {
          t = newTable();
          t.holders.add(s);
          s.tables.set(rd, t);
        }
        if (t.holders.size > 1) {
          const id = idOf(u);
          let done = applied.get(t);
          if (!done) {
            done = new Set();
            applied.set(t, done);
          }
          if (done.has(id)) continue; // a sharer applied it for all of them
          done.add(id);
        }
        const held = t.byKey.get(u.key);
        if (u.op === 'add' && held) throw new Error(`${where}: the host already holds it`);
        if (u.op !== 'add' && !held) throw new Error(`${where}: the host does not hold it`);
        if (held) deleteRecord(t, u.key, held);
        if (u.op !== 'remove') {
          putRecord(t, u.key, u.record);
          for (const h of t.holders) h.rdOfVsid.set(u.record.vsid, rd);
        }
        continue;
      }
      const map: Map<string, unknown> =
        u.kind === 'customer-route'
          ? s.routes
          : u.kind === 'provider-address'
            ? s.providerAddresses
            : s.ports;
      const present = map.has(u.key);
      if (u.op === 'add' && present) throw new Error(`${where}: the host already holds it`);
      if (u.op !== 'add' && !present) throw new Error(`${where}: the host does not hold it`);
      if (u.op === 'remove') map.delete(u.key);
      else
        map.set(
          u.key,
          u.kind === 'customer-route' ? u.route : u.kind === 'provider-address' ? u.providerAddress : u.port,
        );
      if (u.kind === 'customer-route') {
        const rd = u.route.routingDomainId;
        const list = (s.routesByRd.get(rd) ?? []).filter((r) => r.key !== u.key);
        if (u.op !== 'remove') list.push(routeRt(u.key, u.route));
        if (list.length) s.routesByRd.set(rd, list);
        else s.routesByRd.delete(rd);
      }
    }
  }

  /**
   * The host agent's CA-PA lookup: the record this host holds, whether an update for it is
   * still on its way (staged convergence), and the record that update brings.
   */
  lookup(
    host: { id: string },
    vsid: number,
    ca: number | string,
  ): { record: LookupRecord | undefined; stale: boolean; current: LookupRecord | undefined } {
    const s = this.stores.get(host.id);
    if (!s) return { record: undefined, stale: false, current: undefined };
    const ip = typeof ca === 'number' ? ca : ipToU32(ca);
    const record = s.record(vsid, ip);
    if (s.incoming.size === 0) return { record, stale: false, current: record };
    const key = recordKey(vsid, typeof ca === 'string' ? ca : (record?.caIp ?? u32ToIp(ip)));
    if (!s.incoming.has(key)) return { record, stale: false, current: record };
    return { record, stale: true, current: s.incoming.get(key) ?? undefined };
  }

  /** Every record of a VSID this host agent holds. */
  recordsOfVsid(host: { id: string }, vsid: number): LookupRecord[] {
    const s = this.stores.get(host.id);
    const rd = s?.rdOfVsid.get(vsid);
    const m = rd === undefined ? undefined : s?.tables.get(rd)?.byVsid.get(vsid);
    return m ? [...m.values()] : [];
  }

  /** The customer routes of a routing domain this host agent holds (the distributed router's table). */
  routesOf(host: { id: string }, routingDomainId: string): readonly RouteRt[] {
    return this.stores.get(host.id)?.routesByRd.get(routingDomainId) ?? [];
  }

  /** Every lookup record this host agent holds. */
  heldRecords(host: { id: string }): LookupRecord[] {
    const s = this.stores.get(host.id);
    if (!s) return [];
    const out: LookupRecord[] = [];
    for (const t of s.tables.values()) for (const r of t.byKey.values()) out.push(r);
    return out;
  }

  /** Whether this host agent holds the customer route pushed under `key`. */
  holdsRoute(host: { id: string }, key: string): boolean {
    return this.stores.get(host.id)?.routes.has(key) === true;
  }

  /** Every customer route this host agent holds. */
  heldRoutes(host: { id: string }): CustomerRoute[] {
    return [...(this.stores.get(host.id)?.routes.values() ?? [])];
  }

  /** A cached entry built from a record whose update has not reached this host: the record it still holds. */
  staleRecordOf(host: { id: string }, entry: { deps: FlowDep[] }): LookupRecord | null {
    const s = this.stores.get(host.id);
    if (!s || s.incoming.size === 0) return null;
    for (const d of entry.deps)
      if (d.kind === 'record' && s.incoming.has(recordKey(d.vsid, d.ca)))
        return s.record(d.vsid, ipToU32(d.ca)) ?? null;
    return null;
  }
}
