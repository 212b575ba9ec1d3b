// What one VM change did, recorded as it is applied: the controller turns it into southbound updates.
import type { LookupRecord, PortPolicy } from './types';

export interface RecordChange {
  rd: string;
  key: string;
  before: LookupRecord | undefined;
  after: LookupRecord | undefined;
}

/** What one VM change did: each record key's before and after, each touched port's policy before. */
export interface Delta {
  records: Map<string, RecordChange>;
  /** Per host: port id -> the port it had before (undefined: none). */
  ports: Map<string, Map<string, PortPolicy | undefined>>;
}

export function noteRecord(
  delta: Delta,
  rd: string,
  key: string,
  before: LookupRecord | undefined,
  after: LookupRecord | undefined,
): void {
  const c = delta.records.get(key);
  if (c) c.after = after;
  else delta.records.set(key, { rd, key, before, after });
}

export function notePort(delta: Delta, hostId: string, portId: string, before: PortPolicy | undefined): void {
  let ports = delta.ports.get(hostId);
  if (!ports) {
    ports = new Map();
    delta.ports.set(hostId, ports);
  }
  if (!ports.has(portId)) ports.set(portId, before);
}

/** A vNIC's port and record as they were on the host it is leaving. */
export interface Released {
  hostId: string;
  port: PortPolicy;
  record: LookupRecord | undefined;
}
