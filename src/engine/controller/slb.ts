// What the Network Controller's SLB manager pushes to the SLB host agent of a DIP's host: the
// port's `slb_nat` VFP layer. Inbound (after the MUX's tunnel is decapsulated) VIP:port ->
// DIP:port for every load-balancing and inbound NAT rule that names this vNIC; outbound the
// reverse for the DIP's replies, which leave the host straight for the client (DSR). Traffic
// inside the VM network's own subnets is not translated.
import type { LoadBalancer, TopologyDocument } from '../model/schema';
import type { VfpLayer, VfpRule } from './types';

/** Between the ACL (100) and the virtual network (200): ACLs see the DIP both ways. */
export const SLB_NAT_PRIORITY = 150;

interface Mapping {
  lb: LoadBalancer;
  rule: string;
  protocol: 'tcp' | 'udp';
  vipPort: number;
  dipPort: number;
}

/**
 * One DIP's slice of an outbound NAT rule's port range. The range is cut into as many equal
 * slices as the backend pool has DIPs, in pool order (DIP i: start + i*size ... + size - 1);
 * the ports left over at the end (range % DIPs) belong to no DIP. Deterministic: the MUX finds
 * the DIP that owns a returning port from the document alone, without any per-flow state.
 */
export interface SnatSlice {
  lb: LoadBalancer;
  /** "outbound NAT rule 'Outbound'" */
  rule: string;
  /** 'all' is TCP and UDP (ICMP is not translated here). */
  protocols: ('tcp' | 'udp')[];
  rangeStart: number;
  rangeEnd: number;
  /** Ports per DIP. */
  size: number;
  vnicId: string;
  portStart: number;
  portEnd: number;
}

/** Every DIP's slice of every outbound NAT rule of a load balancer (pool order). */
export function snatSlices(lb: LoadBalancer): SnatSlice[] {
  const out: SnatSlice[] = [];
  const n = lb.backendVnicIds.length;
  if (n === 0) return out;
  for (const r of lb.outboundNatRules) {
    const size = Math.floor((r.portRangeEnd - r.portRangeStart + 1) / n);
    if (size < 1) continue;
    const protocols: ('tcp' | 'udp')[] = r.protocol === 'all' ? ['tcp', 'udp'] : [r.protocol];
    lb.backendVnicIds.forEach((vnicId, i) => {
      out.push({
        lb,
        rule: `outbound NAT rule '${r.name}'`,
        protocols,
        rangeStart: r.portRangeStart,
        rangeEnd: r.portRangeEnd,
        size,
        vnicId,
        portStart: r.portRangeStart + i * size,
        portEnd: r.portRangeStart + (i + 1) * size - 1,
      });
    });
  }
  return out;
}

/** vNIC id -> its SNAT slices, for one document (computed once per document). */
const slicesByDocument = new WeakMap<TopologyDocument, Map<string, SnatSlice[]>>();

function slicesOf(doc: TopologyDocument): Map<string, SnatSlice[]> {
  let m = slicesByDocument.get(doc);
  if (m) return m;
  m = new Map();
  for (const lb of doc.loadBalancers ?? [])
    for (const s of snatSlices(lb)) {
      const list = m.get(s.vnicId);
      if (list) list.push(s);
      else m.set(s.vnicId, [s]);
    }
  slicesByDocument.set(doc, m);
  return m;
}

/** vNIC id -> the VIP mappings that name it, for one document (computed once per document). */
const byDocument = new WeakMap<TopologyDocument, Map<string, Mapping[]>>();

function mappingsOf(doc: TopologyDocument): Map<string, Mapping[]> {
  let m = byDocument.get(doc);
  if (m) return m;
  m = new Map();
  const add = (vnicId: string, x: Mapping) => {
    const list = m?.get(vnicId);
    if (list) list.push(x);
    else m?.set(vnicId, [x]);
  };
  for (const lb of doc.loadBalancers ?? []) {
    for (const r of lb.rules)
      for (const vnicId of lb.backendVnicIds)
        add(vnicId, {
          lb,
          rule: `load-balancing rule '${r.name}'`,
          protocol: r.protocol,
          vipPort: r.frontendPort,
          dipPort: r.backendPort,
        });
    for (const r of lb.inboundNatRules)
      add(r.backendVnicId, {
        lb,
        rule: `inbound NAT rule '${r.name}'`,
        protocol: r.protocol,
        vipPort: r.frontendPort,
        dipPort: r.backendPort,
      });
  }
  byDocument.set(doc, m);
  return m;
}

/** A text that changes whenever the vNIC's SLB layer would: the controller recompiles the port then. */
export function slbSignature(doc: TopologyDocument, vnicId: string, rdPrefixes: string[]): string {
  const list = mappingsOf(doc).get(vnicId);
  const slices = slicesOf(doc).get(vnicId);
  if (!list && !slices) return '';
  return `${rdPrefixes.join(',')}|${(list ?? []).map((x) => `${x.lb.name}:${x.lb.frontendIp}:${x.rule}:${x.protocol}:${x.vipPort}:${x.dipPort}`).join(';')}|${(slices ?? []).map((x) => `${x.lb.name}:${x.lb.frontendIp}:${x.rule}:${x.protocols}:${x.portStart}-${x.portEnd}`).join(';')}`;
}

/** The `slb_nat` layer of a vNIC's port, or null when no load balancer names it. */
export function slbNatLayer(
  doc: TopologyDocument,
  vnicId: string,
  caIp: string,
  vmLabel: string,
  rdPrefixes: string[],
): VfpLayer | null {
  const list = mappingsOf(doc).get(vnicId) ?? [];
  const slices = slicesOf(doc).get(vnicId) ?? [];
  if (list.length === 0 && slices.length === 0) return null;
  const inbound: VfpRule[] = [];
  const outbound: VfpRule[] = rdPrefixes.map((prefix, i) => ({
    id: `slb-local-${i}`,
    priority: 100 + i,
    match: { etherType: 'ipv4' as const, dstPrefix: prefix },
    actions: [{ type: 'allow' as const }],
    origin: `${prefix} is inside ${vmLabel}'s VM network: no SLB NAT`,
  }));
  list.forEach((x, i) => {
    const nat = {
      type: 'slb-nat' as const,
      loadBalancer: x.lb.name,
      protocol: x.protocol,
      vip: x.lb.frontendIp,
      vipPort: x.vipPort,
      dip: caIp,
      dipPort: x.dipPort,
    };
    const what = `${x.rule} of load balancer '${x.lb.name}'`;
    inbound.push({
      id: `slb-in-${x.protocol}-${x.vipPort}`,
      priority: 1000 + i,
      match: {
        etherType: 'ipv4',
        protocol: x.protocol,
        dstPrefix: `${x.lb.frontendIp}/32`,
        dstPorts: [x.vipPort, x.vipPort],
      },
      actions: [{ ...nat, direction: 'in' }],
      origin: `${what}: VIP ${x.lb.frontendIp}:${x.vipPort} -> DIP ${caIp}:${x.dipPort} (${vmLabel})`,
    });
    outbound.push({
      id: `slb-out-${x.protocol}-${x.dipPort}`,
      priority: 1000 + i,
      match: {
        etherType: 'ipv4',
        protocol: x.protocol,
        srcPrefix: `${caIp}/32`,
        srcPorts: [x.dipPort, x.dipPort],
      },
      actions: [{ ...nat, direction: 'out' }],
      origin: `${what}: reply DIP ${caIp}:${x.dipPort} -> VIP ${x.lb.frontendIp}:${x.vipPort}, direct server return`,
    });
  });
  // Outbound NAT: after the replies (a reply from a load-balanced port keeps its VIP port), any
  // other TCP/UDP connection of the DIP to outside its VM network takes the VIP and a port of
  // its slice; the answers to that slice come back through the MUX and are mapped back here.
  let n = 0;
  for (const x of slices)
    for (const protocol of x.protocols) {
      const snat = {
        type: 'slb-snat' as const,
        loadBalancer: x.lb.name,
        rule: x.rule,
        protocol,
        vip: x.lb.frontendIp,
        dip: caIp,
        portStart: x.portStart,
        portEnd: x.portEnd,
      };
      const what = `${x.rule} of load balancer '${x.lb.name}'`;
      outbound.push({
        id: `slb-snat-out-${protocol}-${x.portStart}`,
        priority: 2000 + n,
        match: { etherType: 'ipv4', protocol, srcPrefix: `${caIp}/32` },
        actions: [{ ...snat, direction: 'out' }],
        origin: `${what}: ${protocol.toUpperCase()} from DIP ${caIp} (${vmLabel}) to outside its VM network -> VIP ${x.lb.frontendIp}, ports ${x.portStart}-${x.portEnd} (its slice of ${x.rangeStart}-${x.rangeEnd})`,
      });
      inbound.push({
        id: `slb-snat-in-${protocol}-${x.portStart}`,
        priority: 2000 + n,
        match: {
          etherType: 'ipv4',
          protocol,
          dstPrefix: `${x.lb.frontendIp}/32`,
          dstPorts: [x.portStart, x.portEnd],
        },
        actions: [{ ...snat, direction: 'in' }],
        origin: `${what}: answers to VIP ${x.lb.frontendIp} ports ${x.portStart}-${x.portEnd} -> DIP ${caIp} (${vmLabel}), by the SNAT table`,
      });
      n++;
    }
  const allow = (id: string, origin: string): VfpRule => ({
    id,
    priority: 65535,
    match: {},
    actions: [{ type: 'allow' }],
    origin,
  });
  return {
    id: 'slb_nat',
    name: 'SLB NAT',
    priority: SLB_NAT_PRIORITY,
    groups: [
      {
        id: 'slb_nat_out',
        direction: 'out',
        family: 'ipv4',
        priority: 100,
        rules: outbound,
        defaultRule: allow('slb_nat_out-default', 'not a reply from a load-balanced port: no SLB NAT'),
      },
      {
        id: 'slb_nat_in',
        direction: 'in',
        family: 'ipv4',
        priority: 100,
        rules: inbound,
        defaultRule: allow('slb_nat_in-default', 'not for a VIP of this DIP: no SLB NAT'),
      },
    ],
  };
}

/** Whether two documents give every port the same SLB layer (probe states and MUXes do not count). */
export function sameSlbPortPolicy(a: TopologyDocument, b: TopologyDocument): boolean {
  const portSide = (d: TopologyDocument) =>
    JSON.stringify(
      (d.loadBalancers ?? []).map((lb) => [
        lb.name,
        lb.frontendIp,
        lb.backendVnicIds,
        lb.rules,
        lb.inboundNatRules,
        lb.outboundNatRules,
      ]),
    );
  return a.loadBalancers === b.loadBalancers || portSide(a) === portSide(b);
}
