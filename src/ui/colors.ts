// Deterministic colours for routing domains and VSIDs, the same in every view
// (physical canvas, virtual canvas, host tables, inspector, properties). A curated palette
// reads better than raw hashed hues: every entry is legible on light and dark backgrounds.
//
// Within a document, routing domains and VSIDs share one palette and never share a
// colour (up to the palette's size): each key starts at its hashed slot and probes to the
// next free one, in document order, so adding an object never recolours the ones before it.
import type { TopologyDocument } from '../engine/model/schema';

// Nine hues far enough apart to tell at a glance (no teal beside cyan, no indigo beside blue),
// and no red: red marks drops on the canvas.
export const PALETTE = [
  '#2563eb', // blue
  '#d97706', // amber
  '#059669', // emerald
  '#db2777', // pink
  '#7c3aed', // violet
  '#0891b2', // cyan
  '#65a30d', // lime
  '#92400e', // brown
  '#475569', // slate
] as const;

function hashString(text: string): number {
  // FNV-1a, 32-bit: stable across sessions and machines.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

const rdKey = (routingDomainId: string) => `rd:${routingDomainId.toLowerCase().replace(/[{}]/g, '')}`;
const vsidKey = (vsid: number) => `vsid:${vsid}`;
const preferred = (key: string) => hashString(key) % PALETTE.length;

/** The colours of one document's routing domains and VSIDs. */
export interface DocumentColors {
  routingDomain(routingDomainId: string): string;
  vsid(vsid: number): string;
}

const cache = new WeakMap<TopologyDocument, DocumentColors>();

export function documentColors(doc: TopologyDocument): DocumentColors {
  const cached = cache.get(doc);
  if (cached) return cached;
  const slots = new Map<string, number>();
  const taken = new Set<number>();
  const assign = (key: string) => {
    if (slots.has(key)) return;
    let slot = preferred(key);
    if (taken.size < PALETTE.length) {
      while (taken.has(slot)) slot = (slot + 1) % PALETTE.length;
    }
    slots.set(key, slot);
    taken.add(slot);
  };
  // Document order, networks before their subnets: a network's colour never depends on
  // how many subnets another network has.
  for (const net of doc.vmNetworks) assign(rdKey(net.routingDomainId));
  for (const subnet of doc.virtualSubnets) assign(vsidKey(subnet.vsid));
  const pick = (key: string) => PALETTE[slots.get(key) ?? preferred(key)];
  const colors: DocumentColors = {
    routingDomain: (id) => pick(rdKey(id)),
    vsid: (vsid) => pick(vsidKey(vsid)),
  };
  cache.set(doc, colors);
  return colors;
}

/**
 * The colour of a routing domain (VM network), keyed by its RDID (GUID). Pass the document
 * whenever there is one: then no VSID or other routing domain of it has the same colour.
 */
export function colorForRoutingDomain(routingDomainId: string, doc?: TopologyDocument): string {
  return doc
    ? documentColors(doc).routingDomain(routingDomainId)
    : PALETTE[preferred(rdKey(routingDomainId))];
}

/** The colour of a virtual subnet, keyed by its VSID (see colorForRoutingDomain). */
export function colorForVsid(vsid: number, doc?: TopologyDocument): string {
  return doc ? documentColors(doc).vsid(vsid) : PALETTE[preferred(vsidKey(vsid))];
}

/** A translucent tint of a palette colour for fills (hex + alpha). */
export function tint(color: string, alpha = 0.12): string {
  const a = Math.round(Math.max(0, Math.min(1, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `${color}${a}`;
}
