// Runtime state of the data plane: hosts, vSwitch ports (with their flow tables and the VM's
// ARP cache), the physical fabric (logical subnets, L3 routers). Rebuilt from the controller's
// policy; flow tables and ARP caches survive rebuilds and are invalidated by dependency.
import { ipToU32, macToBytes, parsePrefix } from '../controller/addr';
import type { Controller, ResolvedVnic } from '../controller/controller';
import type { PortPolicy } from '../controller/types';
import type { LogicalSubnet, Router, RouterInterface } from '../model/schema';
import { gatewayMacOf } from '../net';
import { AuditLog } from './firewall/audit';
import { ConnectionTable } from './firewall/connections';
import { FlowTable } from './flowTable';
import type { EdgeNetwork } from './gateway/edges';
import { MacTable } from './macTable';
import type { SlbPlane } from './slb/plane';
import { type CompiledGroup, compileGroups } from './vfpMatch';

export interface PortRt {
  id: string;
  host: HostRt;
  policy: PortPolicy;
  resolved: ResolvedVnic;
  label: string;
  mac: Uint8Array;
  caIp: number;
  vsid: number;
  rd: string;
  pa: number;
  prefixNet: number;
  prefixMask: number;
  gatewayIp: number;
  gatewayMac: Uint8Array;
  /** The vNIC's MTU: the VM never sends a bigger IP packet. */
  mtu: number;
  /** Its virtual subnet's tunnel type, as the literal the packet parser sets (compared per packet). */
  encap: 'vxlan' | 'nvgre';
  out: CompiledGroup[];
  in: CompiledGroup[];
  flowTable: FlowTable<PortRt>;
  /** The VM's ARP cache: IP -> MAC, learnt from the host agent's replies. */
  arpCache: Map<number, Uint8Array>;
  /** The stateful firewall's connections at this port, and its audit log (both survive rebuilds). */
  conns: ConnectionTable;
  audit: AuditLog;
}

export interface HostRt {
  id: string;
  name: string;
  logicalSubnet: LogicalSubnet | undefined;
  ports: PortRt[];
  portById: Map<string, PortRt>;
  /** Inner MAC -> the ports with it (one per VSID at most): the vSwitch's L2 table. */
  portsByMac: MacTable<PortRt[]>;
  uplinkTable: FlowTable<PortRt>;
  pas: Set<number>;
  /** The same PAs as int32s, for the uplink's per-packet check (no boxed numbers, no hashing). */
  paWords: Int32Array;
  /** PA -> the team member MAC that owns it. */
  paMac: Map<number, Uint8Array>;
  teamMacs: Uint8Array[];
  /** The PA compartment's ARP cache: next hops on the host's logical subnet, IP -> MAC. */
  paArp: Map<number, Uint8Array>;
}

/** `RouterIfaceRt.lastHopMacs` before the first next hop. */
export const NO_MACS = new Int32Array(3);

export interface RouterIfaceRt {
  router: Router;
  iface: RouterInterface;
  logicalSubnet: LogicalSubnet;
  mac: Uint8Array;
  ip: number;
  /** The link's network and mask as signed 32-bit integers: `(ip & mask) === net`, no unsigned doubles. */
  net: number;
  mask: number;
  /** Every interface of the same router, this one included (its routing table, on-link only). */
  siblings: RouterIfaceRt[];
  /** The router's ARP cache over all its links, IP -> MAC (shared by its interfaces). */
  arp: Map<number, Uint8Array>;
  /** The last next hop this interface forwarded to and its MAC (from `arp`): one compare per packet. */
  lastHopIp: number;
  lastHopMac: Uint8Array | null;
  /** That next hop's MAC and this interface's, as the router writes them: three little-endian words. */
  lastHopMacs: Int32Array;
}

/** Whether `ip` is one of the host's PAs. */
export function ownsPa(host: HostRt, ip: number): boolean {
  const w = host.paWords;
  const x = ip | 0;
  for (let i = 0; i < w.length; i++) if (w[i] === x) return true;
  return false;
}

export interface Fabric {
  /** MAC -> router interface on a logical subnet. */
  routerIfaceByMac: MacTable<RouterIfaceRt>;
  routerIfaces: RouterIfaceRt[];
  /** Team member MAC -> host. */
  hostByMac: MacTable<HostRt>;
  /** PA -> host. */
  paOwner: Map<number, HostRt>;
  /** The RAS gateways and the sites beyond the L3 router (dataplane/gateway), when the document has any. */
  edges?: EdgeNetwork;
  /** The SLB's devices on the links (MUXes, external endpoints) and its VIPs (dataplane/slb). */
  slb?: SlbPlane;
}

export function buildPort(host: HostRt, policy: PortPolicy, resolved: ResolvedVnic, prev?: PortRt): PortRt {
  // An unchanged port keeps its object: cached flows that point at it stay valid.
  if (prev && prev.policy === policy && prev.resolved === resolved) {
    prev.host = host;
    prev.flowTable.owner = { hostId: host.id, hostName: host.name, portId: prev.id, vm: prev.label };
    return prev;
  }
  const prefix = parsePrefix(resolved.subnet.prefix);
  const flowTable = prev?.flowTable ?? new FlowTable<PortRt>(8);
  flowTable.owner = { hostId: host.id, hostName: host.name, portId: policy.portId, vm: policy.vmLabel };
  return {
    id: policy.portId,
    host,
    policy,
    resolved,
    label: policy.vmLabel,
    mac: macToBytes(policy.mac),
    caIp: ipToU32(policy.caIp),
    vsid: policy.vsid,
    rd: policy.routingDomainId,
    pa: ipToU32(policy.pa),
    prefixNet: prefix.network,
    prefixMask: prefix.mask,
    gatewayIp: prefix.network + 1,
    gatewayMac: macToBytes(gatewayMacOf(resolved.subnet)),
    mtu: 1500,
    encap: resolved.subnet.encapsulation === 'vxlan' ? 'vxlan' : 'nvgre',
    out: compileGroups(policy, 'out'),
    in: compileGroups(policy, 'in'),
    flowTable,
    arpCache: prev?.arpCache ?? new Map(),
    conns: prev?.conns ?? new ConnectionTable(),
    audit: prev?.audit ?? new AuditLog(),
  };
}

export function buildHost(controller: Controller, hostId: string, prev?: HostRt): HostRt | null {
  const state = controller.hostState(hostId);
  if (!state) return null;
  const ls = controller.doc.logicalSubnets.find((l) => l.id === state.host.logicalSubnetId);
  const host: HostRt = {
    id: hostId,
    name: state.host.name,
    logicalSubnet: ls,
    ports: [],
    portById: new Map(),
    portsByMac: new MacTable(),
    uplinkTable: prev?.uplinkTable ?? new FlowTable<PortRt>(8),
    pas: new Set([...state.pas.keys()].map(ipToU32)),
    paWords: Int32Array.from([...state.pas.keys()].map((pa) => ipToU32(pa) | 0)),
    paMac: new Map([...state.pas.values()].map((p) => [ipToU32(p.pa), macToBytes(p.mac)])),
    teamMacs: state.host.teamMembers.map((m) => macToBytes(m.mac)),
    paArp: prev?.paArp ?? new Map(),
  };
  host.uplinkTable.owner = { hostId, hostName: host.name };
  for (const policy of state.ports.values()) {
    const resolved = controller.resolved(policy.vnicId);
    if (!resolved) continue;
    const port = buildPort(host, policy, resolved, prev?.portById.get(policy.portId));
    host.ports.push(port);
    host.portById.set(port.id, port);
    const same = host.portsByMac.get(port.mac);
    if (same) same.push(port);
    else host.portsByMac.set(port.mac, [port]);
  }
  return host;
}

export function buildFabric(controller: Controller, hosts: Map<string, HostRt>): Fabric {
  const doc = controller.doc;
  const logicalSubnets = new Map(doc.logicalSubnets.map((l) => [l.id, l]));
  const routerIfaces: RouterIfaceRt[] = [];
  for (const router of doc.routers)
    for (const iface of router.interfaces) {
      const ls = logicalSubnets.get(iface.logicalSubnetId);
      if (!ls) continue;
      const p = parsePrefix(ls.prefix);
      routerIfaces.push({
        router,
        iface,
        logicalSubnet: ls,
        mac: macToBytes(iface.mac),
        ip: ipToU32(iface.ip),
        net: p.network | 0,
        mask: p.mask | 0,
        siblings: [],
        arp: new Map(),
        lastHopIp: 0,
        lastHopMac: null,
        lastHopMacs: NO_MACS,
      });
    }
  for (const r of routerIfaces) {
    r.siblings = routerIfaces.filter((o) => o.router === r.router);
    r.arp = r.siblings[0].arp;
  }
  const fabric: Fabric = {
    routerIfaces,
    routerIfaceByMac: new MacTable(),
    hostByMac: new MacTable(),
    paOwner: new Map(),
  };
  for (const r of routerIfaces) fabric.routerIfaceByMac.set(r.mac, r);
  for (const h of hosts.values()) {
    for (const m of h.teamMacs) fabric.hostByMac.set(m, h);
    for (const pa of h.pas) fabric.paOwner.set(pa, h);
  }
  return fabric;
}

/** Re-register rebuilt hosts in the fabric (their MACs and PAs); routers and links are unchanged. */
export function refreshFabricHosts(
  fabric: Fabric,
  previous: (HostRt | undefined)[],
  rebuilt: HostRt[],
): void {
  for (const h of previous) {
    if (!h) continue;
    for (const m of h.teamMacs) fabric.hostByMac.delete(m, h);
    for (const pa of h.pas) if (fabric.paOwner.get(pa) === h) fabric.paOwner.delete(pa);
  }
  for (const h of rebuilt) {
    for (const m of h.teamMacs) fabric.hostByMac.set(m, h);
    for (const pa of h.pas) fabric.paOwner.set(pa, h);
  }
}

/** The vSwitch's L2 lookup: the port of this host with the MAC at `b[at]` in VSID `vsid`. */
export function portByMac(host: HostRt, vsid: number, b: Uint8Array, at: number): PortRt | null {
  const ports = host.portsByMac.get(b, at);
  if (ports) for (const p of ports) if (p.vsid === vsid) return p;
  return null;
}
