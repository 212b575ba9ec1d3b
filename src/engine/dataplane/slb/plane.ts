// The software load balancer's data plane state: the MUXes (a device on their host's logical
// subnet, with an ARP cache and a flow table), the external endpoints on router-attached links,
// and every VIP with its rules and DIPs (where each DIP lives now, whether its probe answers).
// Rebuilt from the controller's document on every change; the MUXes' flow tables and the ARP
// caches survive (flow affinity outlives a probe going down).
import { ipToU32, macToBytes, routerMac, u32ToIp } from '../../controller/addr';
import type { Controller } from '../../controller/controller';
import { type SnatSlice, snatSlices } from '../../controller/slb';
import type { LoadBalancer, LogicalSubnet } from '../../model/schema';
import { IP_TCP, IP_UDP } from '../packet';
import { AffinityTable } from './affinity';
import { SnatTable } from './snat';

export interface MuxRt {
  kind: 'mux';
  id: string;
  name: string;
  hostId: string;
  hostName: string;
  /** 'SLB MUX 1 (on Host 1)': where its drops happen (built once, not per packet). */
  at: string;
  ls: LogicalSubnet;
  ip: number;
  mac: Uint8Array;
  asn: number;
  arp: Map<number, Uint8Array>;
  flows: AffinityTable;
  /** Outer header per DIP (number), built on a flow's first packet; cleared on rebuilds. */
  templates: Map<number, Uint8Array>;
  ipId: number;
}

export interface EndpointRt {
  kind: 'endpoint';
  id: string;
  name: string;
  /** 'Internet/Client' */
  label: string;
  ls: LogicalSubnet;
  ip: number;
  mac: Uint8Array;
  arp: Map<number, Uint8Array>;
}

export type SlbDevice = MuxRt | EndpointRt;

/** A MUX's flow table as the host tables show it. */
export interface MuxFlowTable {
  mux: string;
  host: string;
  ip: string;
  flows: { tuple: string; dip: string; vm: string }[];
}

export interface DipRt {
  /** Stable number (the MUX flow tables hold it). */
  n: number;
  vnicId: string;
  vm: string;
  caIp: number;
  mac: Uint8Array;
  /** The distributed router's MAC in the DIP's subnet: the inner source MAC the MUX writes. */
  gatewayMac: Uint8Array;
  vsid: number;
  encapsulation: 'vxlan' | 'nvgre';
  pa: number;
  hostName: string;
}

export interface VipRuleRt {
  /** "load-balancing rule 'HTTP'" */
  what: string;
  proto: number;
  frontendPort: number;
  backendPort: number;
  /** Bits of the third hash word: 32 = ports (5-tuple), 8 = protocol (3-tuple), 0 = IPs only. */
  hashBits: number;
  distribution: string;
  dips: DipRt[];
  /** DIP number -> whether its probe answers (true without a probe). */
  healthy: boolean[];
  /** The healthy DIPs, in pool order: the hash picks among these. */
  up: DipRt[];
}

/** One DIP's slice of an outbound NAT rule, as the MUX reads it for a returning packet. */
export interface SnatSliceRt {
  slice: SnatSlice;
  proto: number;
  /** null: the vNIC has no lookup record now (the MUX cannot reach it). */
  dip: DipRt | null;
}

export interface VipRt {
  lb: LoadBalancer;
  ip: number;
  rules: VipRuleRt[];
  /** Every DIP's outbound NAT slice, per protocol (pool order). */
  snat: SnatSliceRt[];
}

/** A DIP's outbound NAT mappings as the host tables show them (on the DIP's host). */
export interface SnatTableView {
  vm: string;
  dip: string;
  loadBalancer: string;
  vip: string;
  /** Its slices: 'TCP 1024-2047 (outbound NAT rule 'Outbound')'. */
  slices: string[];
  mappings: { protocol: string; inside: string; remote: string; public: string }[];
}

const DISTRIBUTION = {
  default: { bits: 32, text: '5-tuple' },
  sourceIP: { bits: 0, text: '2-tuple (source IP, VIP)' },
  sourceIPProtocol: { bits: 8, text: '3-tuple (source IP, VIP, protocol)' },
} as const;

export class SlbPlane {
  muxes: MuxRt[] = [];
  endpoints: EndpointRt[] = [];
  vips: VipRt[] = [];
  /** DIP by stable number (null: no longer a DIP). */
  dipByNumber: (DipRt | null)[] = [];
  private dipNumbers = new Map<string, number>();
  private muxState = new Map<string, { arp: Map<number, Uint8Array>; flows: AffinityTable }>();
  private endpointArp = new Map<string, Map<number, Uint8Array>>();
  /** The SLB host agents' outbound NAT tables, per DIP (vNIC id): they outlive rebuilds. */
  private snatTables = new Map<string, SnatTable>();

  refresh(controller: Controller): void {
    const doc = controller.doc;
    const links = new Map(doc.logicalSubnets.map((l) => [l.id, l]));
    const hosts = new Map(doc.hosts.map((h) => [h.id, h]));
    this.muxes = [];
    for (const m of doc.slbMuxes ?? []) {
      const host = hosts.get(m.hostId);
      const ls = host ? links.get(host.logicalSubnetId) : undefined;
      if (!host || !ls) continue;
      // Same MUX, same address: it keeps its flows and ARP cache.
      const key = `${m.id}|${m.ip}|${m.mac}|${ls.id}`;
      let state = this.muxState.get(key);
      if (!state) {
        state = { arp: new Map(), flows: new AffinityTable() };
        this.muxState.set(key, state);
      }
      this.muxes.push({
        kind: 'mux',
        id: m.id,
        name: m.name,
        hostId: host.id,
        hostName: host.name,
        at: `${m.name} (on ${host.name})`,
        ls,
        ip: ipToU32(m.ip),
        mac: macToBytes(m.mac),
        asn: m.asn,
        arp: state.arp,
        flows: state.flows,
        templates: new Map(),
        ipId: 0,
      });
    }
    this.endpoints = [];
    for (const e of doc.externalEndpoints ?? []) {
      const ls = links.get(e.logicalSubnetId);
      if (!ls) continue;
      const key = `${e.id}|${e.ip}|${e.mac}|${ls.id}`;
      let arp = this.endpointArp.get(key);
      if (!arp) {
        arp = new Map();
        this.endpointArp.set(key, arp);
      }
      this.endpoints.push({
        kind: 'endpoint',
        id: e.id,
        name: e.name,
        label: `${ls.name}/${e.name}`,
        ls,
        ip: ipToU32(e.ip),
        mac: macToBytes(e.mac),
        arp,
      });
    }
    this.dipByNumber = this.dipByNumber.map(() => null);
    this.vips = [];
    for (const lb of doc.loadBalancers ?? []) {
      const failing = new Set(lb.probeFailures ?? []);
      const probes = new Set(lb.probes.map((p) => p.id));
      const rules: VipRuleRt[] = [];
      const rule = (
        what: string,
        protocol: 'tcp' | 'udp',
        frontendPort: number,
        backendPort: number,
        vnicIds: string[],
        distribution: keyof typeof DISTRIBUTION,
        probed: boolean,
      ) => {
        const dips: DipRt[] = [];
        for (const id of vnicIds) {
          const dip = this.dip(controller, id);
          if (dip) dips.push(dip);
        }
        const healthy: boolean[] = [];
        for (const d of dips) healthy[d.n] = !(probed && failing.has(d.vnicId));
        rules.push({
          what,
          proto: protocol === 'tcp' ? IP_TCP : IP_UDP,
          frontendPort,
          backendPort,
          hashBits: DISTRIBUTION[distribution].bits,
          distribution: DISTRIBUTION[distribution].text,
          dips,
          healthy,
          up: dips.filter((d) => healthy[d.n]),
        });
      };
      for (const r of lb.rules)
        rule(
          `load-balancing rule '${r.name}'`,
          r.protocol,
          r.frontendPort,
          r.backendPort,
          lb.backendVnicIds,
          r.loadDistribution,
          r.probeId !== undefined && probes.has(r.probeId),
        );
      for (const r of lb.inboundNatRules)
        rule(
          `inbound NAT rule '${r.name}'`,
          r.protocol,
          r.frontendPort,
          r.backendPort,
          [r.backendVnicId],
          'default',
          false,
        );
      const snat: SnatSliceRt[] = [];
      for (const slice of snatSlices(lb))
        for (const p of slice.protocols)
          snat.push({ slice, proto: p === 'tcp' ? IP_TCP : IP_UDP, dip: this.dip(controller, slice.vnicId) });
      this.vips.push({ lb, ip: ipToU32(lb.frontendIp), rules, snat });
    }
    // Mappings of ports a DIP no longer holds (its slice moved, the rule went) are forgotten.
    for (const [vnicId, table] of this.snatTables)
      table.keepOnly((proto, vip, port) => {
        const s = this.snatOwner(vip, proto, port);
        return s !== null && s.slice.vnicId === vnicId;
      });
  }

  /** The DIP's outbound NAT table (made on first use). */
  snatTable(vnicId: string): SnatTable {
    let t = this.snatTables.get(vnicId);
    if (!t) {
      t = new SnatTable();
      this.snatTables.set(vnicId, t);
    }
    return t;
  }

  /** The slice of VIP `vip` that holds `port` for protocol `proto`, or null. */
  snatOwner(vip: number, proto: number, port: number): SnatSliceRt | null {
    const v = this.vipOf(vip);
    if (!v) return null;
    const s = v.snat;
    for (let i = 0; i < s.length; i++)
      if (s[i].proto === proto && port >= s[i].slice.portStart && port <= s[i].slice.portEnd) return s[i];
    return null;
  }

  /** Host tables: the outbound NAT table of every DIP whose vNIC is one of `vnicIds` (a host's ports). */
  snatViews(vnicIds: { id: string; label: string }[]): SnatTableView[] {
    const out: SnatTableView[] = [];
    for (const { id, label } of vnicIds)
      for (const v of this.vips) {
        const mine = v.snat.filter((s) => s.slice.vnicId === id);
        if (mine.length === 0) continue;
        const t = this.snatTables.get(id);
        const dip = mine[0].dip;
        out.push({
          vm: label,
          dip: dip ? u32ToIp(dip.caIp) : '',
          loadBalancer: v.lb.name,
          vip: v.lb.frontendIp,
          slices: mine.map(
            (s) =>
              `${s.proto === IP_TCP ? 'TCP' : 'UDP'} ${s.slice.portStart}-${s.slice.portEnd} (${s.slice.rule})`,
          ),
          mappings: (t?.entries() ?? [])
            .filter((m) => m.vip === v.ip)
            .map((m) => ({
              protocol: m.proto === IP_TCP ? 'TCP' : 'UDP',
              inside: `${dip ? u32ToIp(dip.caIp) : '?'}:${m.dipPort}`,
              remote: `${u32ToIp(m.remoteIp)}:${m.remotePort}`,
              public: `${u32ToIp(m.vip)}:${m.vipPort}`,
            })),
        });
      }
    return out;
  }

  /** A DIP where it runs now (its lookup record: host PA, VSID, MAC). */
  private dip(controller: Controller, vnicId: string): DipRt | null {
    const r = controller.resolved(vnicId);
    if (!r) return null;
    const record = controller.locate(r.subnet.vsid, r.vnic.caIp);
    if (!record) return null;
    let n = this.dipNumbers.get(vnicId);
    if (n === undefined) {
      n = this.dipNumbers.size;
      this.dipNumbers.set(vnicId, n);
    }
    const existing = this.dipByNumber[n];
    if (existing) return existing;
    const dip: DipRt = {
      n,
      vnicId,
      vm: r.label,
      caIp: ipToU32(r.vnic.caIp),
      mac: macToBytes(r.vnic.mac),
      gatewayMac: macToBytes(routerMac(r.subnet.vsid)),
      vsid: r.subnet.vsid,
      encapsulation: r.subnet.encapsulation,
      pa: ipToU32(record.pa),
      hostName: controller.doc.hosts.find((h) => h.id === record.hostId)?.name ?? record.hostId,
    };
    this.dipByNumber[n] = dip;
    return dip;
  }

  /** Forget what the MUXes and endpoints learnt by ARP (and the MUXes' headers built from it). */
  forgetArp(): void {
    for (const m of this.muxes) {
      m.arp.clear();
      m.templates.clear();
    }
    for (const e of this.endpoints) e.arp.clear();
  }

  /** Forget every MUX flow and every ARP cache of the MUXes and endpoints. */
  reset(): void {
    for (const t of this.snatTables.values()) t.clear();
    for (const m of this.muxes) {
      m.flows.clear();
      m.arp.clear();
      m.templates.clear();
    }
    for (const e of this.endpoints) e.arp.clear();
  }

  vipOf(ip: number): VipRt | null {
    const v = this.vips;
    for (let i = 0; i < v.length; i++) if (v[i].ip === ip) return v[i];
    return null;
  }

  /** The MUX or endpoint with the MAC at `b[at]` on link `ls`. */
  deviceByMac(ls: LogicalSubnet, b: Uint8Array, at: number): SlbDevice | null {
    const m = this.muxes;
    for (let i = 0; i < m.length; i++) if (m[i].ls.id === ls.id && sameMac(m[i].mac, b, at)) return m[i];
    const e = this.endpoints;
    for (let i = 0; i < e.length; i++) if (e[i].ls.id === ls.id && sameMac(e[i].mac, b, at)) return e[i];
    return null;
  }

  /** Who answers ARP for `ip` on link `ls` among the MUXes and endpoints. */
  ownerOnLink(
    ls: LogicalSubnet,
    ip: number,
  ): { name: string; mac: Uint8Array; learn: Map<number, Uint8Array> } | null {
    for (const m of this.muxes)
      if (m.ip === ip && m.ls.id === ls.id) return { name: m.name, mac: m.mac, learn: m.arp };
    for (const e of this.endpoints)
      if (e.ip === ip && e.ls.id === ls.id) return { name: e.label, mac: e.mac, learn: e.arp };
    return null;
  }

  endpoint(ref: string): EndpointRt | null {
    return this.endpoints.find((e) => e.label === ref || e.id === ref) ?? null;
  }

  /** Host tables: each MUX's flows (tuple -> DIP), of the MUXes on `hostId` when given. */
  muxFlows(hostId?: string): MuxFlowTable[] {
    return this.muxes
      .filter((m) => hostId === undefined || m.hostId === hostId)
      .map((m) => ({
        mux: m.name,
        host: m.hostName,
        ip: u32ToIp(m.ip),
        flows: m.flows.entries().map(([s, d, p, proto, n]) => {
          const dip = this.dipByNumber[n];
          return {
            tuple: `${u32ToIp(s)}:${p >>> 16} -> ${u32ToIp(d)}:${p & 0xffff} ${proto === IP_TCP ? 'TCP' : proto === IP_UDP ? 'UDP' : proto}`,
            dip: dip ? u32ToIp(dip.caIp) : '(gone)',
            vm: dip?.vm ?? '',
          };
        }),
      }));
  }
}

function sameMac(m: Uint8Array, b: Uint8Array, at: number): boolean {
  return (
    m[0] === b[at] &&
    m[1] === b[at + 1] &&
    m[2] === b[at + 2] &&
    m[3] === b[at + 3] &&
    m[4] === b[at + 4] &&
    m[5] === b[at + 5]
  );
}
