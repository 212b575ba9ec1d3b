// The host agents' side of the southbound channel: what each host agent holds. Normally the
// controller's lookup records; under staged convergence, a host whose updates are still on their
// way keeps the records it had (the stale mapping a lesson shows), until they are delivered.
import type { Controller } from '../controller/controller';
import { recordKey } from '../controller/controller';
import type { LookupRecord, SouthboundUpdate } from '../controller/types';
import { type FlowDep, FlowDeps } from './flowTable';

/** Southbound updates a host agent has not received yet, and what it still holds in their place. */
export interface InFlight {
  updates: SouthboundUpdate[];
  /** Record key -> the record the host still uses (null: it knows none yet). */
  stale: Map<string, LookupRecord | null>;
}

export class HostAgents {
  /** Per host, the updates still on their way from the controller. */
  private inFlight = new Map<string, InFlight>();

  constructor(private readonly controller: Controller) {}

  /**
   * Hold these updates back from their hosts (staged convergence). Returns the flow dependencies
   * on the lookup records some host has not received: flows built from them stay.
   */
  hold(updates: SouthboundUpdate[]): FlowDeps {
    const heldRecDeps = new FlowDeps();
    for (const u of updates) {
      let f = this.inFlight.get(u.hostId);
      if (!f) {
        f = { updates: [], stale: new Map() };
        this.inFlight.set(u.hostId, f);
      }
      f.updates.push(u);
      if (u.kind !== 'lookup-record') continue;
      heldRecDeps.add({ kind: 'record', vsid: u.record.vsid, ca: u.record.caIp });
      // The oldest value wins: that is what the host agent still holds.
      if (!f.stale.has(u.key)) f.stale.set(u.key, u.op === 'add' ? null : (u.previous ?? u.record));
    }
    return heldRecDeps;
  }

  /** Whether any host waits for updates. */
  waiting(): boolean {
    return this.inFlight.size > 0;
  }

  isWaiting(hostId: string): boolean {
    return this.inFlight.has(hostId);
  }

  inFlightUpdates(): SouthboundUpdate[] {
    return [...this.inFlight.values()].flatMap((f) => f.updates);
  }

  /** Every held update arrives: returns them per host; from now on every host holds the controller's records. */
  deliver(): Map<string, InFlight> {
    const arrived = this.inFlight;
    this.inFlight = new Map();
    return arrived;
  }

  /**
   * The host agent's CA-PA lookup, as this host sees it: while an update is in flight to it, the
   * record it still holds. `current` is the controller's record, for the trace's explanation.
   */
  lookup(
    host: { id: string },
    vsid: number,
    caIp: string,
  ): { record: LookupRecord | undefined; stale: boolean; current: LookupRecord | undefined } {
    const current = this.controller.lookup(host.id, vsid, caIp);
    const stale = this.inFlight.get(host.id)?.stale;
    const key = recordKey(vsid, caIp);
    if (stale?.has(key)) return { record: stale.get(key) ?? undefined, stale: true, current };
    return { record: current, stale: false, current };
  }

  /** Every record of a VSID as this host agent holds it (stale ones while updates are in flight). */
  recordsOfVsid(host: { id: string }, vsid: number): LookupRecord[] {
    const records = this.controller.recordsOfVsid(host.id, vsid);
    const stale = this.inFlight.get(host.id)?.stale;
    if (!stale) return records;
    const byKey = new Map(records.map((r) => [recordKey(r.vsid, r.caIp), r]));
    for (const [key, old] of stale) {
      if (!key.startsWith(`${vsid}/`)) continue;
      if (old) byKey.set(key, old);
      else byKey.delete(key);
    }
    return [...byKey.values()];
  }

  /** All the records this host agent holds: the controller's, with the stale ones while updates are in flight. */
  heldRecords(host: { id: string }, records: LookupRecord[]): LookupRecord[] {
    const stale = this.inFlight.get(host.id)?.stale;
    if (!stale) return records;
    const byKey = new Map(records.map((r) => [recordKey(r.vsid, r.caIp), r]));
    for (const [key, old] of stale) {
      if (old) byKey.set(key, old);
      else byKey.delete(key);
    }
    return [...byKey.values()];
  }

  /** A cached entry built from a record whose update has not reached this host: the stale record. */
  staleRecordOf(host: { id: string }, entry: { deps: FlowDep[] }): LookupRecord | null {
    const stale = this.inFlight.get(host.id)?.stale;
    if (!stale) return null;
    for (const d of entry.deps)
      if (d.kind === 'record') {
        const r = stale.get(recordKey(d.vsid, d.ca));
        if (r) return r;
      }
    return null;
  }
}
