import type { CollectionName, TopologyDocument } from '../../engine/model/schema';
import type { Point, View } from './types';

/** A short random id with a readable prefix ("host-3k9x2a"). Ids are opaque labels, not network data. */
export function newObjectId(prefix: string): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID().replace(/-/g, '').slice(0, 10)
      : Math.random().toString(36).slice(2, 12);
  return `${prefix}-${random}`;
}

/** "Host 1", "Host 2", ...: the first "base N" not already taken. */
export function uniqueName(taken: Iterable<string>, base: string): string {
  const names = new Set(taken);
  for (let n = 1; ; n++) {
    const candidate = `${base} ${n}`;
    if (!names.has(candidate)) return candidate;
  }
}

/** "SQL" -> "SQL copy", "SQL copy 2", ... */
export function copyName(taken: Iterable<string>, name: string): string {
  const names = new Set(taken);
  const base = `${name.replace(/ copy( \d+)?$/, '')} copy`;
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) {
    if (!names.has(`${base} ${n}`)) return `${base} ${n}`;
  }
}

export function namesOf(doc: TopologyDocument, collection: CollectionName): string[] {
  return (doc[collection] as { name: string }[]).map((o) => o.name);
}

export function withPosition(
  doc: TopologyDocument,
  view: View,
  id: string,
  position?: Point,
): TopologyDocument {
  if (!position) return doc;
  const layout = doc.layout ?? { physical: {}, virtual: {} };
  return {
    ...doc,
    layout: {
      ...layout,
      [view]: { ...layout[view], [id]: { x: Math.round(position.x), y: Math.round(position.y) } },
    },
  };
}

/** Which collection holds the object with this id, if any. */
export function findCollection(doc: TopologyDocument, id: string): CollectionName | undefined {
  const collections: CollectionName[] = [
    'tenants',
    'vmNetworks',
    'virtualSubnets',
    'acls',
    'vms',
    'hosts',
    'logicalNetworks',
    'logicalSubnets',
    'routers',
  ];
  return collections.find((c) => (doc[c] as { id: string }[]).some((o) => o.id === id));
}
