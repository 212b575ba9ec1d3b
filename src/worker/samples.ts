// The inspector's sample frames, made by the engine: a ping through a scenario, and the frames
// it put on the vNIC and the PA wire (tagged as the scenario's PA subnet is; untagged and in
// NVGRE from the same document with the PA VLANs off / the subnet in NVGRE). So the outer TTL,
// the outer MACs (the PA next hop, ARP-resolved) and the UDP source port are what the engine sends.
import { createEngine } from '../engine/index.ts';
import type { TopologyDocument } from '../engine/model/schema.ts';
import type { DecodedFrame, EthernetHeader, Ipv4Header, VlanHeader } from '../engine/wire/index.ts';
import { decodeFrame } from '../engine/wire/index.ts';

export interface EngineSampleFrame {
  id: string;
  title: string;
  description: string;
  bytes: Uint8Array;
}

interface Pair {
  from: TopologyDocument['vms'][number];
  to: TopologyDocument['vms'][number];
  subnetId: string;
}

/** Two VMs of one virtual subnet on different hosts; a VM named Web sends when there is one. */
function pickPair(doc: TopologyDocument): Pair | null {
  for (const subnet of doc.virtualSubnets) {
    const vms = doc.vms.filter((vm) => vm.nics.some((n) => n.virtualSubnetId === subnet.id));
    vms.sort((a, b) => Number(/web/i.test(b.name)) - Number(/web/i.test(a.name)));
    for (const from of vms) {
      const to = vms.find((vm) => vm !== from && vm.hostId !== from.hostId);
      if (to) return { from, to, subnetId: subnet.id };
    }
  }
  return null;
}

const protocols = (frame: DecodedFrame) => frame.layers.map((l) => l.protocol).join('/');

/** The first frame whose layers match, with its bytes. */
function firstMatching(frames: DecodedFrame[], bytes: Uint8Array[], pattern: RegExp) {
  const i = frames.findIndex((f) => pattern.test(protocols(f)));
  return i < 0 ? null : { frame: frames[i], bytes: bytes[i] };
}

function describeEnvelope(frame: DecodedFrame, bytes: Uint8Array, encap: 'vxlan' | 'gre'): string {
  const eth = frame.layers[0].header as EthernetHeader;
  const ip = frame.layers.find((l) => l.protocol === 'ip')?.header as Ipv4Header;
  const vlan = frame.layers.find((l) => l.protocol === 'vlan');
  const innerEth = frame.layers.findIndex((l, i) => i > 0 && l.protocol === 'eth');
  const overhead = innerEth > 0 ? frame.layers[innerEth].start : 0;
  const tag = vlan ? `802.1Q tag of the PA subnet (VLAN ${(vlan.header as VlanHeader).id}), ` : '';
  const carrier =
    encap === 'vxlan' ? 'UDP 4789, VNI = the VSID' : 'GRE with K = 1, the key carrying the VSID';
  return `${tag}outer IP ${ip.src} -> ${ip.dst} (PAs, TTL ${ip.ttl}), ${carrier}; outer destination MAC ${eth.dst} (the PA next hop). ${overhead} bytes of overhead, ${bytes.length} B on the wire.`;
}

/**
 * The five samples from `doc` (ids as the hand-built ones: icmp-echo, vxlan, vxlan-vlan, nvgre,
 * arp-request), or null when the document has no two VMs of a subnet on two hosts to ping.
 */
export async function engineSamples(doc: TopologyDocument): Promise<EngineSampleFrame[] | null> {
  const pair = pickPair(doc);
  if (!pair) return null;
  const hostName = doc.hosts.find((h) => h.id === pair.from.hostId)?.name ?? 'The host';
  const label = (vm: Pair['from']) => {
    const subnet = doc.virtualSubnets.find((s) => s.id === pair.subnetId);
    const ca = vm.nics.find((n) => n.virtualSubnetId === pair.subnetId)?.caIp ?? '';
    const net = doc.vmNetworks.find((n) => n.id === subnet?.vmNetworkId);
    const tenant = doc.tenants.find((t) => t.id === net?.tenantId);
    return { name: tenant ? `${tenant.name}/${vm.name}` : vm.name, ca, vsid: subnet?.vsid };
  };
  const from = label(pair.from);
  const to = label(pair.to);

  const untagged: TopologyDocument = structuredClone(doc);
  for (const s of untagged.logicalSubnets) s.vlanId = 0;
  const nvgre: TopologyDocument = structuredClone(untagged);
  for (const s of nvgre.virtualSubnets) if (s.id === pair.subnetId) s.encapsulation = 'nvgre';

  const run = async (d: TopologyDocument) => {
    const engine = createEngine();
    const loaded = await engine.load(d);
    if (!loaded.ok) return null;
    const trace = await engine.trace({ from: pair.from.id, to: pair.to.id, protocol: 'icmp' });
    const bytes = trace.frames.map((f) => f.frame);
    return { frames: bytes.map((b) => decodeFrame(b)), bytes };
  };
  const [asIs, plain, gre] = await Promise.all([run(doc), run(untagged), run(nvgre)]);
  if (!asIs || !plain || !gre) return null;

  const echo = firstMatching(plain.frames, plain.bytes, /^eth\/ip\/icmp/);
  const arp = firstMatching(plain.frames, plain.bytes, /^eth\/arp$/);
  const vxlan = firstMatching(plain.frames, plain.bytes, /^eth\/ip\/udp\/vxlan\//);
  const tagged = firstMatching(asIs.frames, asIs.bytes, /^eth\/vlan\/ip\/udp\/vxlan\//);
  const nvgreFrame = firstMatching(gre.frames, gre.bytes, /^eth\/ip\/gre\//);
  if (!echo || !arp || !vxlan || !nvgreFrame) return null;

  const samples: EngineSampleFrame[] = [
    {
      id: 'icmp-echo',
      title: 'Ping inside the VM network',
      description: `${from.name} (${from.ca}) pings ${to.name} (${to.ca}): the frame as the VM sends it, CA addresses only.`,
      bytes: echo.bytes,
    },
    {
      id: 'vxlan',
      title: 'The same ping in VXLAN',
      description: `${hostName} wraps the VM frame (an untagged PA network): ${describeEnvelope(vxlan.frame, vxlan.bytes, 'vxlan')}`,
      bytes: vxlan.bytes,
    },
  ];
  if (tagged) {
    samples.push({
      id: 'vxlan-vlan',
      title: 'VXLAN on a tagged PA network',
      description: `As the scenario sends it: ${describeEnvelope(tagged.frame, tagged.bytes, 'vxlan')}`,
      bytes: tagged.bytes,
    });
  }
  samples.push(
    {
      id: 'nvgre',
      title: 'The same ping in NVGRE',
      description: `The subnet set to NVGRE: ${describeEnvelope(nvgreFrame.frame, nvgreFrame.bytes, 'gre')}`,
      bytes: nvgreFrame.bytes,
    },
    {
      id: 'arp-request',
      title: 'ARP request (answered by the host agent)',
      description: `${from.name} asks who has ${to.ca}. In HNV the VFP hands it to the host agent, which replies from its policy store: ARP never leaves the host.`,
      bytes: arp.bytes,
    },
  );
  return samples;
}
