// What a field's value means IN THIS TOPOLOGY: "VNI 5001 = Contoso, subnet Web",
// "outer dst 192.168.1.10 = PA of Host 1". Pure: a decoded frame and the document in,
// one sentence per field id out. Outer (PA) fields are looked up among hosts, logical
// subnets and routers; inner (CA) fields among vNICs, disambiguated by the frame's VSID.
import type { TopologyDocument } from '../../engine/model/schema';
import { gatewayOf } from '../../engine/net';
import type { DecodedFrame, FieldNode } from '../../engine/wire/types';
import { flattenFrame, type LayerScope, layerScopes } from './model';

export interface AnnotationHint {
  /** The VSID the frame belongs to when it carries none (a CA frame on a vSwitch port). */
  vsid?: number;
}

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

const VSID_KEYS = new Set(['vxlan.vni', 'nvgre.vsid', 'gre.vsid']);
const IP_KEYS = new Set(['ip.src', 'ip.dst', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4']);
const MAC_KEYS = new Set(['eth.src', 'eth.dst', 'arp.src.hw_mac', 'arp.dst.hw_mac']);

/** Indexes of the document that the lookups need, built once per document. */
class TopologyIndex {
  constructor(private readonly doc: TopologyDocument) {}

  subnetByVsid(vsid: number) {
    return this.doc.virtualSubnets.find((s) => s.vsid === vsid);
  }

  subnetLabel(vsid: number): string | undefined {
    const subnet = this.subnetByVsid(vsid);
    if (!subnet) return undefined;
    const net = this.doc.vmNetworks.find((n) => n.id === subnet.vmNetworkId);
    const tenant = this.doc.tenants.find((t) => t.id === net?.tenantId);
    const owner = tenant ? `${tenant.name}` : (net?.name ?? '?');
    return `${owner}, subnet ${subnet.name} (${subnet.prefix}${net ? `, VM network ${net.name}` : ''})`;
  }

  private vnicList?: ReturnType<TopologyIndex['listVnics']>;

  /** Every vNIC with its subnet, tenant and host, computed once per index. */
  vnics() {
    this.vnicList ??= this.listVnics();
    return this.vnicList;
  }

  private listVnics() {
    return this.doc.vms.flatMap((vm) =>
      vm.nics.map((nic) => {
        const subnet = this.doc.virtualSubnets.find((s) => s.id === nic.virtualSubnetId);
        const net = this.doc.vmNetworks.find((n) => n.id === subnet?.vmNetworkId);
        const tenant = this.doc.tenants.find((t) => t.id === net?.tenantId);
        const host = this.doc.hosts.find((h) => h.id === vm.hostId);
        return {
          vm,
          nic,
          subnet,
          vsid: subnet?.vsid,
          label: `${tenant?.name ?? net?.name ?? '?'}/${vm.name}`,
          hostName: host?.name,
        };
      }),
    );
  }

  paOwner(ip: string): string | undefined {
    for (const host of this.doc.hosts) {
      const i = host.providerAddresses.indexOf(ip);
      if (i >= 0) {
        const nic = this.doc.hnvMode === 'v2' ? host.teamMembers[i]?.name : undefined;
        return `PA of ${host.name}${nic ? ` (${nic})` : ''}`;
      }
    }
    for (const router of this.doc.routers) {
      const itf = router.interfaces.find((x) => x.ip === ip);
      if (itf) return `${router.name}, interface on ${this.logicalSubnetName(itf.logicalSubnetId)}`;
    }
    const gw = this.doc.logicalSubnets.find((s) => s.defaultGateway === ip);
    if (gw) return `default gateway of logical subnet ${gw.name}`;
    return undefined;
  }

  logicalSubnetName(id: string): string {
    return this.doc.logicalSubnets.find((s) => s.id === id)?.name ?? id;
  }

  paMacOwner(mac: string): string | undefined {
    for (const host of this.doc.hosts) {
      const m = host.teamMembers.find((t) => t.mac === mac);
      if (m) return `${host.name}, team member ${m.name}`;
    }
    for (const router of this.doc.routers) {
      const itf = router.interfaces.find((x) => x.mac === mac);
      if (itf) return `${router.name} (its side on ${this.logicalSubnetName(itf.logicalSubnetId)})`;
    }
    return undefined;
  }

  caOwner(ip: string, vsid: number | undefined): string | undefined {
    const all = this.vnics().filter((v) => v.nic.caIp === ip);
    const matches = vsid === undefined ? all : all.filter((v) => v.vsid === vsid);
    if (matches.length === 1) {
      const m = matches[0];
      return `CA of ${m.label}${m.vsid !== undefined ? ` (VSID ${m.vsid})` : ''}${m.hostName ? ` on ${m.hostName}` : ''}`;
    }
    if (matches.length > 1) {
      return `CA of ${matches.map((m) => m.label).join(' or ')}: overlapping tenants, the VSID tells them apart`;
    }
    const subnets = this.doc.virtualSubnets.filter(
      (s) => (vsid === undefined || s.vsid === vsid) && gatewayOf(s.prefix) === ip,
    );
    if (subnets.length === 1) {
      return `distributed router: default gateway of subnet ${subnets[0].name} (VSID ${subnets[0].vsid})`;
    }
    return undefined;
  }

  caMacOwner(mac: string): string | undefined {
    const m = this.vnics().find((v) => v.nic.mac === mac);
    return m ? `MAC of ${m.label}'s vNIC` : undefined;
  }

  vlanOwner(vlanId: number): string | undefined {
    const tenant = this.doc.virtualSubnets.find((s) => s.isolation === 'vlan' && s.vlanId === vlanId);
    if (tenant)
      return `tenant VLAN of virtual subnet ${tenant.name} (${tenant.prefix}): the tag alone isolates it`;
    const subnets = this.doc.logicalSubnets.filter((s) => s.vlanId === vlanId);
    if (!subnets.length) return undefined;
    return `VLAN of logical subnet ${subnets.map((s) => `${s.name} (${s.prefix})`).join(', ')}`;
  }
}

function frameVsid(frame: DecodedFrame): number | undefined {
  for (const f of flattenFrame(frame)) {
    if (VSID_KEYS.has(f.node.key) && typeof f.node.value === 'number') return f.node.value;
  }
  return undefined;
}

function annotateOne(
  index: TopologyIndex,
  node: FieldNode,
  scope: LayerScope,
  vsid: number | undefined,
): string | undefined {
  const { key, value } = node;
  if (VSID_KEYS.has(key) && typeof value === 'number') {
    const label = index.subnetLabel(value);
    const name = key === 'vxlan.vni' ? 'VNI' : 'VSID';
    return label ? `${name} ${value} = ${label}` : `${name} ${value}: no virtual subnet has this VSID`;
  }
  if (key === 'vlan.id' && typeof value === 'number') return index.vlanOwner(value);
  if (IP_KEYS.has(key) && typeof value === 'string') {
    const side = key.endsWith('src') || key.startsWith('arp.src') ? 'source' : 'destination';
    if (scope === 'outer') {
      const owner = index.paOwner(value);
      return owner ? `outer ${side} ${value} = ${owner}` : undefined;
    }
    const ca = index.caOwner(value, vsid);
    if (ca) return ca;
    if (scope === 'plain') return index.paOwner(value);
    return undefined;
  }
  if (MAC_KEYS.has(key) && typeof value === 'string') {
    if (value === BROADCAST) return 'broadcast: every station in the L2 domain';
    if (value === '00:00:00:00:00:00' && key.startsWith('arp')) return 'unknown yet: that is what ARP asks';
    if (scope === 'outer' && value === '00:00:00:00:00:00')
      return 'not set yet: the PA routing layer fills in the outer MACs once it has chosen the next hop';
    if (scope === 'outer') return index.paMacOwner(value);
    return index.caMacOwner(value) ?? (scope === 'plain' ? index.paMacOwner(value) : undefined);
  }
  return undefined;
}

/** Topology meaning per field id (ids as in model.ts). Fields with nothing to say are absent. */
export function annotateFrame(
  frame: DecodedFrame,
  doc: TopologyDocument | null | undefined,
  hint: AnnotationHint = {},
): Map<string, string> {
  const out = new Map<string, string>();
  if (!doc) return out;
  const index = new TopologyIndex(doc);
  const scopes = layerScopes(frame);
  const vsid = frameVsid(frame) ?? hint.vsid;
  for (const f of flattenFrame(frame)) {
    const text = annotateOne(index, f.node, scopes[f.layerIndex], vsid);
    if (text) out.set(f.id, text);
  }
  return out;
}
