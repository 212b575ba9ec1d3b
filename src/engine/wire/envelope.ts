// What a frame looks like from outside, in one glance: is it a tunnel packet (VXLAN / NVGRE, with
// its VNI and the PAs), which 802.1Q tag it carries, and what the customer packet inside is. The
// canvas draws the travelling envelope from this (outer colour vs inner colour); it is read from
// the decoded layers, never guessed from where the packet is.
import { decodeFrame } from './frame';
import type { DecodedLayer, Ipv4Header, VlanHeader } from './types';

export type EnvelopeProtocol = 'arp' | 'icmp' | 'tcp' | 'udp' | 'other';

export interface FrameEnvelope {
  /** The tunnel the frame travels in; null for a frame as the VM sent it (or a VLAN-tagged one). */
  tunnel: { encapsulation: 'vxlan' | 'nvgre'; vni: number; outerSrc: string; outerDst: string } | null;
  /** The outermost 802.1Q tag, if any. */
  vlanId?: number;
  /** The customer packet: inside the tunnel, or the frame itself. */
  inner: { protocol: EnvelopeProtocol; src?: string; dst?: string };
}

function numberField(layer: DecodedLayer, key: string): number | undefined {
  for (const field of layer.fields) {
    if (field.key === key && typeof field.value === 'number') return field.value;
    for (const child of field.children ?? [])
      if (child.key === key && typeof child.value === 'number') return child.value;
  }
  return undefined;
}

export function frameEnvelope(bytes: Uint8Array): FrameEnvelope {
  const layers = decodeFrame(bytes).layers;
  const tunnelAt = layers.findIndex((l) => l.protocol === 'vxlan' || l.protocol === 'gre');
  let tunnel: FrameEnvelope['tunnel'] = null;
  const innerLayers = tunnelAt < 0 ? layers : layers.slice(tunnelAt + 1);
  if (tunnelAt >= 0) {
    const layer = layers[tunnelAt];
    let ip: Ipv4Header | undefined;
    for (const l of layers.slice(0, tunnelAt)) if (l.protocol === 'ip') ip = l.header as Ipv4Header;
    const vni =
      layer.protocol === 'vxlan' ? numberField(layer, 'vxlan.vni') : numberField(layer, 'nvgre.vsid');
    // A GRE header that is not NVGRE (no key) is not a tunnel the lab draws as one.
    if (vni !== undefined)
      tunnel = {
        encapsulation: layer.protocol === 'vxlan' ? 'vxlan' : 'nvgre',
        vni,
        outerSrc: ip?.src ?? '',
        outerDst: ip?.dst ?? '',
      };
  }
  // The outer frame's tag only: a VLAN inside the tunnel is the customer's business.
  const vlanAt = layers.findIndex((l) => l.protocol === 'vlan');
  const vlan =
    vlanAt >= 0 && (tunnelAt < 0 || vlanAt < tunnelAt) ? (layers[vlanAt].header as VlanHeader) : undefined;
  const innerIp = innerLayers.find((l) => l.protocol === 'ip');
  const last = innerLayers.find(
    (l) => l.protocol === 'arp' || l.protocol === 'icmp' || l.protocol === 'tcp' || l.protocol === 'udp',
  );
  const ip = innerIp?.header as Ipv4Header | undefined;
  return {
    tunnel,
    ...(vlan ? { vlanId: vlan.id } : {}),
    inner: {
      protocol: (last?.protocol as EnvelopeProtocol | undefined) ?? 'other',
      ...(ip ? { src: ip.src, dst: ip.dst } : {}),
    },
  };
}
