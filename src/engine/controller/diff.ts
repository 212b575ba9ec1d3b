// Diffing compiled state: VM lists by position, per-routing-domain objects, plain maps.
import type { Vm } from '../model/schema';
import type { DocumentIndex } from './documentIndex';
import type { CustomerRoute, LookupRecord } from './types';

export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * VMs that differ between two same-length lists, by position: reference first (unchanged objects
 * are shared), then content. Returns VMs whose id left their position. A small function of its
 * own so the engine optimizes this 10,000-iteration loop early.
 */
export function diffVmsByPosition(prevVms: Vm[], nextVms: Vm[], changed: { vm: Vm; index: number }[]): Vm[] {
  let removed: Vm[] = [];
  const n = nextVms.length;
  for (let i = 0; i < n; i++) {
    const vm = nextVms[i];
    const old = prevVms[i];
    if (old === vm) continue;
    if (old.id !== vm.id) {
      removed.push(old);
      changed.push({ vm, index: i });
    } else if (!sameJson(old, vm)) changed.push({ vm, index: i });
  }
  // An id that moved position is both removed and changed: keep it only as changed.
  if (removed.length) {
    const changedIds = new Set(changed.map((c) => c.vm.id));
    removed = removed.filter((vm) => !changedIds.has(vm.id));
  }
  return removed;
}

/** Each routing domain's routes, keyed like the southbound updates. */
export function routeMaps(index: DocumentIndex): Map<string, Map<string, CustomerRoute>> {
  const out = new Map<string, Map<string, CustomerRoute>>();
  for (const [rd, routes] of index.routesByRd) out.set(rd, new Map(routes.map((r) => [r.key, r.route])));
  return out;
}

export function sameRecord(a: LookupRecord, b: LookupRecord): boolean {
  return (
    a === b ||
    (a.caIp === b.caIp &&
      a.vsid === b.vsid &&
      a.mac === b.mac &&
      a.pa === b.pa &&
      a.routingDomainId === b.routingDomainId &&
      a.rule === b.rule &&
      a.encapsulation === b.encapsulation &&
      a.vmId === b.vmId &&
      a.vnicId === b.vnicId &&
      a.hostId === b.hostId &&
      a.vmLabel === b.vmLabel)
  );
}

type Emit<T> = (op: 'add' | 'update' | 'remove', key: string, value: T, previous?: T) => void;

/**
 * Objects held per routing domain (a host holds every object of each domain it serves), before
 * and after a recompile; keys are unique across domains. Returns, for a host's domains before and
 * after, the updates that take it from what it held to what it must hold.
 */
export function heldDiff<T>(
  before: Map<string, Map<string, T>>,
  after: Map<string, Map<string, T>>,
  same: (a: T, b: T) => boolean,
): (heldBefore: Set<string>, heldAfter: Set<string>, emit: Emit<T>) => void {
  const rdBefore = new Map<string, { rd: string; value: T }>();
  const rdAfter = new Map<string, { rd: string; value: T }>();
  for (const [rd, m] of before) for (const [key, value] of m) rdBefore.set(key, { rd, value });
  for (const [rd, m] of after) for (const [key, value] of m) rdAfter.set(key, { rd, value });
  const changed: string[] = [];
  for (const [key, a] of rdAfter) {
    const b = rdBefore.get(key);
    if (!b || b.rd !== a.rd || !same(b.value, a.value)) changed.push(key);
  }
  for (const key of rdBefore.keys()) if (!rdAfter.has(key)) changed.push(key);
  return (heldBefore, heldAfter, emit) => {
    const had = (key: string) => {
      const b = rdBefore.get(key);
      return b && heldBefore.has(b.rd) ? b : undefined;
    };
    const has = (key: string) => {
      const a = rdAfter.get(key);
      return a && heldAfter.has(a.rd) ? a : undefined;
    };
    // Domains joined: all of them (an object the host already had from elsewhere is an update).
    for (const rd of heldAfter)
      if (!heldBefore.has(rd))
        for (const [key, value] of after.get(rd) ?? []) {
          const b = had(key);
          if (!b) emit('add', key, value);
          else if (!same(b.value, value)) emit('update', key, value, b.value);
        }
    // Domains kept: what changed in them.
    for (const key of changed) {
      const a = has(key);
      if (!a || !heldBefore.has(a.rd)) continue;
      const b = had(key);
      if (!b) emit('add', key, a.value);
      else if (!same(b.value, a.value)) emit('update', key, a.value, b.value);
    }
    // What the host no longer holds: everything of a domain it left, or objects gone or moved away.
    for (const rd of heldBefore)
      if (!heldAfter.has(rd))
        for (const [key, value] of before.get(rd) ?? []) if (!has(key)) emit('remove', key, value);
    for (const key of changed) {
      const b = had(key);
      if (b && heldAfter.has(b.rd) && !has(key)) emit('remove', key, b.value);
    }
  };
}

export function diffMaps<T>(
  before: Map<string, T>,
  after: Map<string, T>,
  emit: (op: 'add' | 'update' | 'remove', key: string, value: T, previous?: T) => void,
): void {
  for (const [k, v] of after) {
    const old = before.get(k);
    if (old === undefined) emit('add', k, v);
    else if (old !== v && !sameJson(old, v)) emit('update', k, v, old);
  }
  for (const [k, v] of before) if (!after.has(k)) emit('remove', k, v);
}
