// "Add tenant": a new tenant with one VM network and one virtual subnet, isolated either by
// the overlay (a 24-bit VSID, the tenant keeps its own IPs) or by an 802.1Q VLAN (12 bits:
// at most 4094 on one L2 fabric, one IP subnet each). Pure: returns a new document or the
// reason it cannot, so the VLAN ceiling is a computed fact, never a UI guess.
import { AddressAllocator, nextFreeVlanId, usedVlanIds, VLAN_ID_MAX } from './allocate';
import { quote } from './quote';
import type { Isolation, LogicalSubnet, TopologyDocument, VirtualSubnet } from './schema';
import { VSID_MAX, VSID_MIN } from './schema';

export interface AddTenantOptions {
  isolation: Isolation;
  /** How many tenants to add in one go (default 1); stops at the first that does not fit. */
  count?: number;
}

export interface AddedTenant {
  tenantId: string;
  name: string;
  virtualSubnetId: string;
  prefix: string;
  vsid: number;
  /** The tenant VLAN under VLAN isolation. */
  vlanId?: number;
}

export type AddTenantResult =
  | {
      ok: true;
      document: TopologyDocument;
      /** How many tenants were added. */
      added: number;
      first: AddedTenant;
      last: AddedTenant;
      /** IDs still free afterwards: VLAN IDs under VLAN isolation, VSIDs under the overlay. */
      remaining: number;
    }
  | {
      ok: false;
      /** Why the next tenant does not fit, in plain words. */
      error: string;
      /** How many tenants fitted before it (none of them is kept: the document is unchanged). */
      added: number;
    };

/** The tenant VLANs' prefixes: one IP subnet per VLAN, 172.16.0.0/12 carved by VLAN ID. */
function vlanPrefix(vlan: number): string {
  return `172.${16 + (vlan >> 8)}.${vlan & 255}.0/24`;
}

/** The logical subnets (of `doc`, mutable) a new tenant VLAN is trunked to: those already carrying tenant VLANs. */
function vlanFabric(doc: TopologyDocument): LogicalSubnet[] {
  const trunking = doc.logicalSubnets.filter((s) => (s.trunkedVlans?.length ?? 0) > 0);
  return trunking.length > 0 ? trunking : doc.logicalSubnets.slice(0, 1);
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function addTenantNetwork(doc: TopologyDocument, options: AddTenantOptions): AddTenantResult {
  const count = Math.max(1, Math.floor(options.count ?? 1));
  const vlan = options.isolation === 'vlan';
  const next: TopologyDocument = {
    ...doc,
    tenants: [...doc.tenants],
    vmNetworks: [...doc.vmNetworks],
    virtualSubnets: [...doc.virtualSubnets],
    logicalSubnets: doc.logicalSubnets.map((s) =>
      s.trunkedVlans === undefined ? { ...s } : { ...s, trunkedVlans: [...s.trunkedVlans] },
    ),
  };
  const fabric = vlan ? vlanFabric(next) : [];
  if (vlan && fabric.length === 0)
    return {
      ok: false,
      added: 0,
      error: 'cannot add a VLAN tenant: there is no logical subnet whose switch ports could trunk its VLAN',
    };
  const allocator = new AddressAllocator(next);
  const usedVlans = usedVlanIds(next);
  const names = new Set(next.tenants.map((t) => t.name));
  let nameCounter = next.tenants.length + 1;
  const encapsulation = next.hnvMode === 'v2' ? 'vxlan' : 'nvgre';
  let first: AddedTenant | undefined;
  let last: AddedTenant | undefined;
  let vlanCursor = 1;
  for (let i = 0; i < count; i++) {
    while (names.has(`Tenant ${nameCounter}`)) nameCounter++;
    const name = `Tenant ${nameCounter}`;
    let vlanId: number | undefined;
    if (vlan) {
      while (vlanCursor <= VLAN_ID_MAX && usedVlans.has(vlanCursor)) vlanCursor++;
      vlanId = vlanCursor <= VLAN_ID_MAX ? vlanCursor : nextFreeVlanId(next, usedVlans);
      if (vlanId === undefined) {
        const before = i === 0 ? '' : ` (after ${formatCount(i)} tenants were added)`;
        return {
          ok: false,
          added: i,
          error: `cannot add tenant ${quote(name)}${before}: all ${formatCount(VLAN_ID_MAX)} VLAN IDs (1..${VLAN_ID_MAX}) are in use on this L2 fabric. The 802.1Q tag has 12 bits; the overlay's 24-bit VSID has room for 16.7 million virtual subnets.`,
        };
      }
      usedVlans.add(vlanId);
    }
    const vsid = allocator.vsid();
    if (vsid === undefined)
      return {
        ok: false,
        added: i,
        error: `cannot add tenant ${quote(name)}: all VSIDs (${VSID_MIN}..${VSID_MAX}) are in use`,
      };
    names.add(name);
    const tenantId = allocator.idLike(`tenant-${nameCounter}`);
    const vmNetworkId = allocator.idLike(`${tenantId}-net`);
    const subnetId = allocator.idLike(`${tenantId}-subnet`);
    next.tenants.push({ id: tenantId, name });
    next.vmNetworks.push({
      id: vmNetworkId,
      name: `${name} Net`,
      tenantId,
      routingDomainId: allocator.routingDomainId(),
    });
    // Under the overlay every tenant may bring the same addresses; a VLAN is one IP subnet of its own.
    const prefix = vlanId === undefined ? '10.1.1.0/24' : vlanPrefix(vlanId);
    const subnet: VirtualSubnet = {
      id: subnetId,
      name: `${name} Subnet`,
      vmNetworkId,
      vsid,
      prefix,
      encapsulation,
    };
    if (vlanId !== undefined) {
      subnet.isolation = 'vlan';
      subnet.vlanId = vlanId;
      for (const ls of fabric) {
        ls.trunkedVlans ??= [];
        ls.trunkedVlans.push(vlanId);
      }
    }
    next.virtualSubnets.push(subnet);
    last = { tenantId, name, virtualSubnetId: subnetId, prefix, vsid, vlanId };
    first ??= last;
  }
  if (first === undefined || last === undefined) return { ok: false, added: 0, error: 'nothing to add' };
  const remaining = vlan
    ? VLAN_ID_MAX - [...usedVlans].filter((v) => v >= 1 && v <= VLAN_ID_MAX).length
    : VSID_MAX - VSID_MIN + 1 - new Set(next.virtualSubnets.map((s) => s.vsid)).size;
  return { ok: true, document: next, added: count, first, last, remaining };
}

/** An add-tenant result without the document: what a dry run reports. */
export type AddTenantSummary =
  | { ok: true; added: number; first: AddedTenant; last: AddedTenant; remaining: number }
  | { ok: false; error: string; added: number };

/** Tries the additions and reports what fits, keeping nothing (for "how far does it go?"). */
export function tryAddTenantNetworks(doc: TopologyDocument, options: AddTenantOptions): AddTenantSummary {
  const result = addTenantNetwork(doc, options);
  if (!result.ok) return result;
  const { document: _unused, ...summary } = result;
  return summary;
}
