// Deterministic colours for routing domains and VSIDs, the same in every view
// (physical canvas, virtual canvas, inspector). A curated palette reads better than
// raw hashed hues: every entry is legible on light and dark backgrounds.

const PALETTE = [
  '#2563eb', // blue
  '#d97706', // amber
  '#059669', // emerald
  '#db2777', // pink
  '#7c3aed', // violet
  '#0891b2', // cyan
  '#65a30d', // lime
  '#dc6b19', // orange
  '#4f46e5', // indigo
  '#0d9488', // teal
  '#c026d3', // fuchsia
  '#ca8a04', // yellow
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

/** The colour of a routing domain (VM network), keyed by its RDID (GUID) or id. */
export function colorForRoutingDomain(routingDomainId: string): string {
  return PALETTE[hashString(routingDomainId.toLowerCase().replace(/[{}]/g, '')) % PALETTE.length];
}

/**
 * The colour of a virtual subnet, keyed by its VSID. Neighbouring VSIDs and the
 * thousands a tenant typically uses (5001, 6001, ...) land on different colours.
 */
export function colorForVsid(vsid: number): string {
  // Consecutive VSIDs walk the palette in a stride coprime to its length; the
  // thousands digit offsets the start so 5001 and 6001 differ.
  const index = (vsid % 1000) * 5 + Math.floor(vsid / 1000) * 7;
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** A translucent tint of a palette colour for fills (hex + alpha). */
export function tint(color: string, alpha = 0.12): string {
  const a = Math.round(Math.max(0, Math.min(1, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `${color}${a}`;
}
