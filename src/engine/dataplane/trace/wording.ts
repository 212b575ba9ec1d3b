// The words a trace uses for the pieces of a host, by HNV version. HNVv2 (Windows Server 2016+)
// processes packets in VFP, the vSwitch extension with layers, groups, rules and a unified
// flow table. HNVv1 (Windows Server 2012 R2) has no VFP: the Hyper-V switch applies port ACLs
// and an NDIS lightweight filter (the HNV filter) looks the policy up (lookup records,
// customer routes) and encapsulates in NVGRE. One data plane runs both; only the words differ.
import type { HnvMode } from '../../model/schema';

/** Where in the host a piece acted, for a drop's place: 'VFP acl' (v2), 'port ACL' (v1). */
export function layerPlace(mode: HnvMode, layer: string): string {
  if (mode === 'v2') return `VFP ${layer}`;
  if (layer === 'acl') return 'port ACL';
  if (layer === 'pa_route') return 'HNV filter (PA routing)';
  return 'HNV filter';
}

/** A processing stage as a v1 host has it: the switch's ACLs, or a part of the HNV filter. */
export function v1Stage(layer: string, group: string, direction: 'in' | 'out'): string {
  const way = direction === 'out' ? 'outbound, from the VM' : 'inbound, to the VM';
  if (layer === 'acl')
    return `Hyper-V switch: ${group.startsWith('acl_subnet') ? 'virtual subnet' : 'port'} ACLs (${way})`;
  if (layer === 'pa_route') return `HNV filter: provider address routing (${way})`;
  return `HNV filter: network virtualization policy (${way})`;
}

/**
 * What answers a VM's ARP from the policy store: the Network Controller's host agent (v2), the
 * HNV filter itself with the policy SCVMM or PowerShell set (v1).
 */
export function arpResponder(mode: HnvMode): string {
  return mode === 'v2' ? 'host agent' : 'HNV filter';
}
