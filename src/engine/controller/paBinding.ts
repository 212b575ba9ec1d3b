// Provider addresses of a host and which one each vNIC uses.
import type { Host, LogicalSubnet, TopologyDocument } from '../model/schema';
import { prefixOf } from '../net';
import type { ResolvedVnic } from './documentIndex';
import type { PortPolicy, ProviderAddressRecord } from './types';

/**
 * PA binding (HNVv2), the one rule for a whole-host compile and for a single arriving vNIC: each
 * vNIC is affinitized to one SET team member, like Hyper-V port load balancing. A vNIC already on
 * the host keeps its PA (a move elsewhere never re-binds it); a new vNIC takes the least-used PA
 * among its VSID's vNICs on the host, lowest index first. On a fresh compile this is round-robin
 * per VSID in document order, so the first VM of every subnet uses the host's first PA, as in the
 * docs' figures.
 */
export class PaBinding {
  /** Per VSID: how many of the host's ports use each PA index. */
  private readonly loads = new Map<number, number[]>();
  private readonly usable: number;

  constructor(
    private readonly host: Host,
    bound: Iterable<{ vsid: number; pa: string }> = [],
  ) {
    this.usable = Math.min(host.providerAddresses.length, host.teamMembers.length);
    for (const port of bound) {
      const k = this.indexOf(port.pa);
      if (k >= 0) this.load(port.vsid)[k]++;
    }
  }

  /** The PA index of `pa` if a vNIC may keep it (one of the host's PAs with a team member), else -1. */
  indexOf(pa: string | undefined): number {
    if (pa === undefined) return -1;
    const k = this.host.providerAddresses.indexOf(pa);
    return k >= 0 && k < this.usable ? k : -1;
  }

  /** Bind one vNIC of `vsid`: the PA it keeps when it may, else the least used; -1 when the host has no PA. */
  bind(vsid: number, keep?: string): number {
    if (this.host.providerAddresses.length === 0) return -1;
    const load = this.load(vsid);
    let best = this.indexOf(keep);
    if (best < 0) {
      best = 0;
      for (let k = 1; k < this.usable; k++) if (load[k] < load[best]) best = k;
    }
    load[best]++;
    return best;
  }

  private load(vsid: number): number[] {
    let l = this.loads.get(vsid);
    if (!l) {
      l = new Array<number>(this.usable).fill(0);
      this.loads.set(vsid, l);
    }
    return l;
  }
}

/**
 * The PA index of each of a host's vNICs on a whole-host compile. HNVv2: vNICs that keep their PA
 * (from `previous` ports) count first, then the others bind in document order. HNVv1: the PA of
 * the VSID (one per VSID per host, in first-use order).
 */
export function bindPas(
  doc: TopologyDocument,
  host: Host,
  vnics: ResolvedVnic[],
  vsidOrder: number[],
  previous: Map<string, PortPolicy>,
): number[] {
  const pas = host.providerAddresses;
  if (pas.length === 0) return vnics.map(() => -1);
  if (doc.hnvMode === 'v1') {
    const vsidIndex = new Map(vsidOrder.map((vsid, i) => [vsid, i]));
    return vnics.map((r) => Math.min(vsidIndex.get(r.subnet.vsid) ?? 0, pas.length - 1));
  }
  const binding = new PaBinding(host);
  const out = vnics.map((r) => {
    const keep = previous.get(r.vnic.id)?.pa;
    return binding.indexOf(keep) >= 0 ? binding.bind(r.subnet.vsid, keep) : -1;
  });
  vnics.forEach((r, i) => {
    if (out[i] < 0) out[i] = binding.bind(r.subnet.vsid);
  });
  return out;
}

/** The host's PA records: one per PA, on its team member; HNVv1 also names the PA's VSID. */
export function providerAddresses(
  doc: TopologyDocument,
  host: Host,
  ls: LogicalSubnet | undefined,
  vsidOrder: number[],
): ProviderAddressRecord[] {
  const prefixLength = ls ? prefixOf(ls.prefix).length : 0;
  return host.providerAddresses.map((pa, i): ProviderAddressRecord => {
    const member = host.teamMembers[i % host.teamMembers.length];
    const rec: ProviderAddressRecord = {
      pa,
      hostId: host.id,
      logicalSubnetId: host.logicalSubnetId,
      prefixLength,
      vlanId: ls?.vlanId ?? 0,
      teamMember: member.name,
      mac: member.mac,
    };
    if (doc.hnvMode === 'v1' && vsidOrder[i] !== undefined) rec.vsid = vsidOrder[i];
    return rec;
  });
}
