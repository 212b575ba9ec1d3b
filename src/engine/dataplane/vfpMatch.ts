// Rule matching for the slow path: rules are compiled once into numbers, then groups are
// evaluated in priority order; the first match decides, else the group's default rule.
import { ipToU32, macToBytes, parsePrefix } from '../controller/addr';
import type { PortPolicy, VfpGroup, VfpLayer, VfpRule } from '../controller/types';
import { ETH_ARP, ETH_IPV4, isMulticastMac, macEq, type Parsed } from './packet';

export interface CompiledRule {
  rule: VfpRule;
  srcNet: number;
  srcMask: number;
  dstNet: number;
  dstMask: number;
  proto: number; // -1 any
  sp0: number;
  sp1: number;
  dp0: number;
  dp1: number;
  dstMac: Uint8Array | null;
  dstMacKind: number; // 0 any, 1 unicast, 2 broadcast/multicast
  etherType: number; // -1 any
  vsid: number; // -1 any
  encapsulated: number; // -1 any, 0 no, 1 yes
  outerDsts: number[] | null;
}

export interface CompiledGroup {
  layer: VfpLayer;
  group: VfpGroup;
  rules: CompiledRule[];
  defaultRule: CompiledRule;
}

const PROTO: Record<string, number> = { tcp: 6, udp: 17, icmp: 1 };

function compileRule(rule: VfpRule): CompiledRule {
  const m = rule.match;
  const src = m.srcPrefix ? parsePrefix(m.srcPrefix) : null;
  const dst = m.dstPrefix ? parsePrefix(m.dstPrefix) : null;
  return {
    rule,
    srcNet: src?.network ?? 0,
    srcMask: src?.mask ?? 0,
    dstNet: dst?.network ?? 0,
    dstMask: dst?.mask ?? 0,
    proto: m.protocol ? PROTO[m.protocol] : -1,
    sp0: m.srcPorts?.[0] ?? 0,
    sp1: m.srcPorts?.[1] ?? 65535,
    dp0: m.dstPorts?.[0] ?? 0,
    dp1: m.dstPorts?.[1] ?? 65535,
    dstMac: m.dstMac ? macToBytes(m.dstMac) : null,
    dstMacKind: m.dstMacKind === 'unicast' ? 1 : m.dstMacKind === 'broadcast' ? 2 : 0,
    etherType: m.etherType === 'arp' ? ETH_ARP : m.etherType === 'ipv4' ? ETH_IPV4 : -1,
    vsid: m.vsid ?? -1,
    encapsulated: m.encapsulated === undefined ? -1 : m.encapsulated ? 1 : 0,
    outerDsts: m.outerDstIps ? m.outerDstIps.map(ipToU32) : null,
  };
}

/** Compiled matchers per policy group: groups shared by many ports are compiled once. */
const compiledGroups = new WeakMap<VfpGroup, { rules: CompiledRule[]; defaultRule: CompiledRule }>();

function compileGroup(group: VfpGroup): { rules: CompiledRule[]; defaultRule: CompiledRule } {
  let c = compiledGroups.get(group);
  if (!c) {
    c = {
      rules: [...group.rules].sort((a, b) => a.priority - b.priority).map(compileRule),
      defaultRule: compileRule(group.defaultRule),
    };
    compiledGroups.set(group, c);
  }
  return c;
}

/** The groups of a port for one direction, in processing order (out: ascending layers; in: descending). */
export function compileGroups(port: PortPolicy, direction: 'out' | 'in'): CompiledGroup[] {
  const layers = [...port.layers].sort((a, b) =>
    direction === 'out' ? a.priority - b.priority : b.priority - a.priority,
  );
  const out: CompiledGroup[] = [];
  for (const layer of layers) {
    const groups = layer.groups
      .filter((g) => g.direction === direction)
      .sort((a, b) => a.priority - b.priority);
    for (const group of groups) out.push({ layer, group, ...compileGroup(group) });
  }
  return out;
}

/** The packet as a rule sees it: the inner (customer) frame, its VSID, and the outer header if any. */
export interface MatchView {
  inner: Parsed;
  vsid: number;
  outer: Parsed | null;
}

export function ruleMatches(r: CompiledRule, v: MatchView): boolean {
  const p = v.inner;
  if (r.etherType !== -1 && p.etherType !== r.etherType) return false;
  if (r.vsid !== -1 && v.vsid !== r.vsid) return false;
  if (r.encapsulated !== -1 && (v.outer !== null ? 1 : 0) !== r.encapsulated) return false;
  if (r.outerDsts && (!v.outer || !r.outerDsts.includes(v.outer.ipDst))) return false;
  if (r.dstMac && !macEq(r.dstMac, p.dstMac)) return false;
  if (r.dstMacKind === 1 && isMulticastMac(p.dstMac)) return false;
  if (r.dstMacKind === 2 && !isMulticastMac(p.dstMac)) return false;
  if (r.srcMask !== 0 && (p.ipSrc & r.srcMask) >>> 0 !== r.srcNet) return false;
  if (r.dstMask !== 0 && (p.ipDst & r.dstMask) >>> 0 !== r.dstNet) return false;
  if (r.proto !== -1 && p.proto !== r.proto) return false;
  if (r.sp0 !== 0 || r.sp1 !== 65535) {
    if (p.proto !== 6 && p.proto !== 17) return false;
    if (p.srcPort < r.sp0 || p.srcPort > r.sp1) return false;
  }
  if (r.dp0 !== 0 || r.dp1 !== 65535) {
    if (p.proto !== 6 && p.proto !== 17) return false;
    if (p.dstPort < r.dp0 || p.dstPort > r.dp1) return false;
  }
  return true;
}

/** Evaluate a group: the matching rule with the lowest priority number, else the default; and the rules that missed before it. */
export function evaluateGroup(g: CompiledGroup, v: MatchView): { hit: CompiledRule; missed: CompiledRule[] } {
  const missed: CompiledRule[] = [];
  for (const r of g.rules) {
    if (ruleMatches(r, v)) return { hit: r, missed };
    missed.push(r);
  }
  return { hit: g.defaultRule, missed };
}
