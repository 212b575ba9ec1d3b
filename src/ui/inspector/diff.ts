// What changed between two frames (the previous trace step's and this one's): layers added
// or removed (encapsulation, a VLAN tag) and fields whose values differ (TTL, MACs, VSID).
// Layers are aligned by protocol with a longest common subsequence matched from the inner
// end, so "encapsulation added" pairs the old frame with the new inner frame.
import type { DecodedFrame, FieldNode } from '../../engine/wire/types';
import { envelopeOf, fieldId, layerScopes } from './model';

export interface FieldChange {
  /** Id of the field in the NEW frame. */
  fieldId: string;
  key: string;
  label: string;
  layerTitle: string;
  scope: 'outer' | 'inner' | 'plain';
  before: string;
  after: string;
  /** Checksums and lengths follow from other changes. */
  consequential: boolean;
}

export interface LayerChange {
  protocol: string;
  title: string;
  bytes: number;
}

export interface FrameDiff {
  added: LayerChange[];
  removed: LayerChange[];
  changes: FieldChange[];
  /** Plain sentences, most important first: "Encapsulated in VXLAN (+50 bytes)", "TTL 64 → 63". */
  summary: string[];
}

/** Pairs of aligned layer indexes [prev, next], outer to inner. */
export function alignLayers(prev: readonly string[], next: readonly string[]): [number, number][] {
  const m = prev.length;
  const n = next.length;
  const lcs: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      lcs[i][j] =
        prev[i - 1] === next[j - 1] ? lcs[i - 1][j - 1] + 1 : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
    }
  }
  const pairs: [number, number][] = [];
  let i = m;
  let j = n;
  while (i > 0 && j > 0) {
    if (prev[i - 1] === next[j - 1]) {
      pairs.push([i - 1, j - 1]);
      i--;
      j--;
    } else if (lcs[i - 1][j] >= lcs[i][j - 1]) i--;
    else j--;
  }
  return pairs.reverse();
}

function flatten(nodes: readonly FieldNode[], layerIndex: number, path: number[] = []) {
  const out: { id: string; node: FieldNode; occurrence: string }[] = [];
  const seen = new Map<string, number>();
  const walk = (list: readonly FieldNode[], p: number[]) => {
    list.forEach((node, i) => {
      const here = [...p, i];
      const count = seen.get(node.key) ?? 0;
      seen.set(node.key, count + 1);
      out.push({ id: fieldId(layerIndex, here), node, occurrence: `${node.key}#${count}` });
      if (node.children?.length) walk(node.children, here);
    });
  };
  walk(nodes, path);
  return out;
}

const CONSEQUENTIAL = /(checksum|\.len$|\.length$|hdr_len|\.status$)/;

const NAMES: Record<string, string> = {
  'ip.ttl': 'TTL',
  'eth.src': 'source MAC',
  'eth.dst': 'destination MAC',
  'ip.src': 'source IP',
  'ip.dst': 'destination IP',
  'vxlan.vni': 'VNI',
  'nvgre.vsid': 'VSID',
  'vlan.id': 'VLAN',
};

export function diffFrames(prev: DecodedFrame, next: DecodedFrame): FrameDiff {
  const pairs = alignLayers(
    prev.layers.map((l) => l.protocol),
    next.layers.map((l) => l.protocol),
  );
  const pairedPrev = new Set(pairs.map(([a]) => a));
  const pairedNext = new Set(pairs.map(([, b]) => b));
  const toChange = (l: { protocol: string; title: string; headerLength: number }): LayerChange => ({
    protocol: l.protocol,
    title: l.title,
    bytes: l.headerLength,
  });
  const added = next.layers.filter((_, i) => !pairedNext.has(i)).map(toChange);
  const removed = prev.layers.filter((_, i) => !pairedPrev.has(i)).map(toChange);
  const scopes = layerScopes(next);

  const changes: FieldChange[] = [];
  for (const [a, b] of pairs) {
    const before = new Map(flatten(prev.layers[a].fields, a).map((f) => [f.occurrence, f.node]));
    for (const f of flatten(next.layers[b].fields, b)) {
      const old = before.get(f.occurrence);
      if (!old || old.display === f.node.display) continue;
      changes.push({
        fieldId: f.id,
        key: f.node.key,
        label: f.node.label,
        layerTitle: next.layers[b].title,
        scope: scopes[b],
        before: old.display,
        after: f.node.display,
        consequential: CONSEQUENTIAL.test(f.node.key),
      });
    }
  }

  const summary: string[] = [];
  const prevEnv = envelopeOf(prev);
  const nextEnv = envelopeOf(next);
  if (nextEnv.encapsulation && !prevEnv.encapsulation) {
    summary.push(`Encapsulated in ${nextEnv.encapsulation.toUpperCase()} (+${nextEnv.overhead} bytes)`);
  } else if (prevEnv.encapsulation && !nextEnv.encapsulation) {
    summary.push(
      `Decapsulated: ${prevEnv.encapsulation.toUpperCase()} envelope removed (−${prevEnv.overhead} bytes)`,
    );
  } else {
    const skip = new Set(['vxlan', 'gre', 'nvgre', 'udp', 'ip', 'eth']);
    const tagAdded = added.filter((l) => !skip.has(l.protocol) || nextEnv.encapsulation === null);
    for (const l of tagAdded) summary.push(`Header added: ${l.title} (+${l.bytes} bytes)`);
    const tagRemoved = removed.filter((l) => !skip.has(l.protocol) || prevEnv.encapsulation === null);
    for (const l of tagRemoved) summary.push(`Header removed: ${l.title} (−${l.bytes} bytes)`);
  }
  const important = changes.filter((c) => !c.consequential);
  for (const c of important) {
    const name = NAMES[c.key] ?? c.label;
    const where = c.scope === 'plain' ? '' : `${c.scope} `;
    summary.push(`${where}${name}: ${c.before} → ${c.after}`);
  }
  if (!summary.length && !changes.length) summary.push('No header changed');
  return { added, removed, changes, summary };
}
