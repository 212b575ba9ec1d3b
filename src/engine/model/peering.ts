// VNet peerings and their state: a peering passes traffic only when the remote VM network peers
// back ('Connected'); one side alone is 'Initiated' (as the Network Controller reports it).
import type { TopologyDocument, VmNetwork, VnetPeering } from './schema';

export type PeeringState = 'Connected' | 'Initiated';

export interface PeeringStatus {
  network: VmNetwork;
  peering: VnetPeering;
  remote: VmNetwork | undefined;
  /** 'Connected' when the remote network peers back, else 'Initiated' (no traffic passes). */
  state: PeeringState;
  /** The remote network's peering back, when there is one. */
  back: VnetPeering | undefined;
}

/** 'Hub<->Spoke', as traces and tables name a peering. */
export const peeringLabel = (a: string, b: string): string => `${a}<->${b}`;

/** Every peering of the document with its state. */
export function peeringStatuses(doc: TopologyDocument): PeeringStatus[] {
  if (!doc.vmNetworks.some((n) => n.peerings?.length)) return [];
  const networks = new Map(doc.vmNetworks.map((n) => [n.id, n]));
  const out: PeeringStatus[] = [];
  for (const network of doc.vmNetworks)
    for (const peering of network.peerings ?? []) {
      const remote = networks.get(peering.remoteVmNetworkId);
      const back = remote?.peerings?.find((p) => p.remoteVmNetworkId === network.id);
      out.push({ network, peering, remote, back, state: back ? 'Connected' : 'Initiated' });
    }
  return out;
}
