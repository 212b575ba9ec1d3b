// Three renderings of one trace: detailed (every node, with frames as hex), summary (the
// hops, lookups and actions), minimal (one line per packet and per decision, for snapshots).
import { hex } from '../wire/bytes';
import type { Trace, TraceNode } from './trace-types';

export type TraceFormat = 'detailed' | 'summary' | 'minimal';

function hexLines(b: Uint8Array, indent: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 16) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + 16, b.length); j++) row.push(b[j].toString(16).padStart(2, '0'));
    out.push(`${indent}${i.toString(16).padStart(4, '0')}  ${row.join(' ')}`);
  }
  return out;
}

const SUMMARY_KINDS = new Set(['hop', 'lookup', 'action', 'output', 'deliver', 'drop', 'flow-cache']);

function walk(n: TraceNode, depth: number, format: TraceFormat, out: string[], cache: string): void {
  const pad = '  '.repeat(depth);
  if (format === 'detailed') {
    out.push(`${pad}[${n.kind}] ${n.title}`);
    if (n.frame) {
      out.push(`${pad}  frame ${n.frame.length} bytes:`);
      out.push(...hexLines(n.frame, `${pad}    `));
    }
  } else if (format === 'summary') {
    if (SUMMARY_KINDS.has(n.kind) && !(n.kind === 'flow-cache' && n.event === 'insert'))
      out.push(`${pad}${n.title}${n.frame ? ` [${n.frame.length} B]` : ''}`);
  } else if (n.kind === 'drop') out.push(`  drop: ${n.reason}`);
  else if (n.kind === 'deliver') out.push(`  deliver ${n.vm} ${n.frame?.length ?? 0}B`);
  else if (n.kind === 'action' && n.action.type !== 'drop') out.push(`  ${n.action.type}: ${n.title}`);
  else if (n.kind === 'flow-cache' && n.event !== 'insert') out.push(`  ${cache} ${n.event}`);
  const nextDepth = format === 'summary' && !SUMMARY_KINDS.has(n.kind) ? depth : depth + 1;
  for (const c of n.children) walk(c, nextDepth, format, out, cache);
}

/** Render a trace as text. */
export function renderTrace(trace: Trace, format: TraceFormat = 'detailed'): string {
  const out: string[] = [];
  const r = trace.request;
  // HNVv1 has no unified flow table (VFP's): its cache is the HNV filter's.
  const cache = trace.hnvMode === 'v1' ? 'flow cache' : 'uft';
  if (format !== 'minimal') {
    out.push(`trace ${r.protocol} from ${r.from} to ${r.to}`);
    for (const u of trace.controlPlane) out.push(`control plane: ${u.hostId} ${u.op} ${u.kind} ${u.key}`);
  }
  for (const p of trace.packets) {
    const v = p.verdict;
    out.push(`${p.label}: ${v.outcome} at ${v.at} (${p.path} path)${v.reason ? `: ${v.reason}` : ''}`);
    for (const c of p.root.children) walk(c, format === 'minimal' ? 0 : 1, format, out, cache);
  }
  const v = trace.verdict;
  out.push(`verdict: ${v.outcome} at ${v.at}${v.reason ? ` (${v.reason})` : ''}`);
  return out.join('\n');
}

type JsonNode = Omit<TraceNode, 'frame' | 'children'> & { frame?: string; children: JsonNode[] };

function nodeToJson(n: TraceNode): JsonNode {
  const { frame, children, ...rest } = n;
  const out: JsonNode = { ...rest, children: children.map(nodeToJson) } as JsonNode;
  if (frame) out.frame = hex(frame);
  return out;
}

/** The trace as JSON-ready data: frames as hex strings. */
export function traceToJson(trace: Trace) {
  return {
    request: trace.request.frame ? { ...trace.request, frame: hex(trace.request.frame) } : trace.request,
    verdict: trace.verdict,
    controlPlane: trace.controlPlane,
    packets: trace.packets.map((p) => ({
      label: p.label,
      path: p.path,
      verdict: p.verdict,
      steps: p.root.children.map(nodeToJson),
    })),
    frames: trace.frames.map((f) => ({ where: f.where, frame: hex(f.frame) })),
  };
}
