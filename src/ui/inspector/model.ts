// Pure helpers over the codec's decoded frame: stable ids for field nodes, the deepest
// field under a byte, where the encapsulation splits the frame, and the envelope sizes.
// The hex dump, the header tree, the envelope and the diff all read only these.
import type { DecodedFrame, DecodedLayer, FieldNode } from '../../engine/wire/types';

/** A field node with a stable id unique within its frame: `${layer}:${i}.${j}...`. */
export interface FlatField {
  id: string;
  layerIndex: number;
  depth: number;
  node: FieldNode;
}

export function fieldId(layerIndex: number, path: readonly number[]): string {
  return `${layerIndex}:${path.join('.')}`;
}

/** Every field of the frame, depth first, outer layer to inner. */
export function flattenFrame(frame: DecodedFrame): FlatField[] {
  const out: FlatField[] = [];
  const walk = (layerIndex: number, nodes: readonly FieldNode[], path: number[]) => {
    nodes.forEach((node, i) => {
      const p = [...path, i];
      out.push({ id: fieldId(layerIndex, p), layerIndex, depth: path.length, node });
      if (node.children?.length) walk(layerIndex, node.children, p);
    });
  };
  frame.layers.forEach((layer, li) => {
    walk(li, layer.fields, []);
  });
  return out;
}

export function fieldsById(frame: DecodedFrame): Map<string, FlatField> {
  return new Map(flattenFrame(frame).map((f) => [f.id, f]));
}

/**
 * The id of the deepest (narrowest) field covering `offset`: the innermost layer wins, then
 * the smallest span, then the most nested node. Undefined for bytes no field covers (payload).
 */
export function deepestFieldAt(frame: DecodedFrame, offset: number): string | undefined {
  let best: FlatField | undefined;
  for (const f of flattenFrame(frame)) {
    if (offset < f.node.start || offset >= f.node.start + f.node.length) continue;
    if (
      !best ||
      f.layerIndex > best.layerIndex ||
      (f.layerIndex === best.layerIndex &&
        (f.node.length < best.node.length || (f.node.length === best.node.length && f.depth > best.depth)))
    ) {
      best = f;
    }
  }
  return best?.id;
}

/** Index of the innermost layer whose header covers `offset`, or -1 (payload / trailer). */
export function layerAt(frame: DecodedFrame, offset: number): number {
  for (let i = frame.layers.length - 1; i >= 0; i--) {
    const l = frame.layers[i];
    if (offset >= l.start && offset < l.start + l.headerLength) return i;
  }
  return -1;
}

export type Encapsulation = 'vxlan' | 'nvgre';

function isNvgreGre(layer: DecodedLayer): boolean {
  if (layer.protocol === 'nvgre') return true;
  if (layer.protocol !== 'gre') return false;
  const header = layer.header as { protocolType?: number };
  return header.protocolType === 0x6558;
}

/** Index of the encapsulation header (VXLAN, or GRE carrying Ethernet), or -1. */
function encapsulationIndex(frame: DecodedFrame): number {
  return frame.layers.findIndex((l) => l.protocol === 'vxlan' || isNvgreGre(l));
}

export type LayerScope = 'outer' | 'inner' | 'plain';

/** Whether each layer belongs to the PA envelope, the CA frame inside it, or an unencapsulated frame. */
export function layerScopes(frame: DecodedFrame): LayerScope[] {
  const e = encapsulationIndex(frame);
  // A GRE header may be followed by a zero-length 'nvgre' view layer: keep it outer.
  let last = e;
  while (last >= 0 && frame.layers[last + 1]?.protocol === 'nvgre') last++;
  return frame.layers.map((_, i) => (e < 0 ? 'plain' : i <= last ? 'outer' : 'inner'));
}

export interface EnvelopePart {
  protocol: string;
  title: string;
  bytes: number;
  layerIndex: number;
}

export interface Envelope {
  encapsulation: Encapsulation | null;
  /** PA headers (outer Ethernet, 802.1Q, IPv4, UDP/GRE, VXLAN), outer to inner. */
  outer: EnvelopePart[];
  /** The CA frame's headers. */
  inner: EnvelopePart[];
  /** Bytes after the innermost header (ICMP data, TCP payload ...). */
  payload: number;
  /** Bytes the envelope adds: 50 for VXLAN, 54 with a VLAN tag, 42 for NVGRE. */
  overhead: number;
  innerLength: number;
  total: number;
}

export function envelopeOf(frame: DecodedFrame): Envelope {
  const scopes = layerScopes(frame);
  const parts = frame.layers.map((l, i) => ({
    protocol: l.protocol,
    title: l.title,
    bytes: l.headerLength,
    layerIndex: i,
  }));
  const isHeader = (p: EnvelopePart) => p.bytes > 0 && p.protocol !== 'data';
  const outer = parts.filter((p) => scopes[p.layerIndex] === 'outer' && isHeader(p));
  const inner = parts.filter((p) => scopes[p.layerIndex] !== 'outer' && isHeader(p));
  const lastHeader = [...frame.layers].reverse().find((l) => l.protocol !== 'data');
  const headersEnd = lastHeader ? lastHeader.start + lastHeader.headerLength : 0;
  const overhead = outer.reduce((sum, p) => sum + p.bytes, 0);
  const e = encapsulationIndex(frame);
  const encapsulation: Encapsulation | null =
    e < 0 ? null : frame.layers[e].protocol === 'vxlan' ? 'vxlan' : 'nvgre';
  return {
    encapsulation,
    outer,
    inner,
    payload: Math.max(0, frame.length - headersEnd),
    overhead,
    innerLength: frame.length - overhead,
    total: frame.length,
  };
}
