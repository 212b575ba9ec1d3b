// The inspector's samples are what the engine sends: a ping through the multi-tenant scenario.
// (The hand-built ones had TTL 128 outside and the sending host's own NIC MAC as outer destination.)
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index.ts';
import type { TopologyDocument } from '../engine/model/schema.ts';
import type { EthernetHeader, Ipv4Header } from '../engine/wire/index.ts';
import { decodeFrame } from '../engine/wire/index.ts';
import { scenarioById } from '../scenarios/index.ts';
import { api } from './api.ts';
import { engineSamples } from './samples.ts';

const doc = scenarioById('multi-tenant')?.document as TopologyDocument;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('samples made by the engine', () => {
  it('are the five samples, each decoding cleanly', async () => {
    const samples = await api.samples(doc);
    expect(samples.map((s) => s.id)).toEqual(['icmp-echo', 'vxlan', 'vxlan-vlan', 'nvgre', 'arp-request']);
    for (const s of samples) expect(decodeFrame(s.bytes).issues, s.id).toEqual([]);
  });

  it('are frames the engine put on the vNIC or the wire for Contoso Web -> SQL', async () => {
    const samples = (await engineSamples(doc)) ?? [];
    const engine = createEngine();
    expect((await engine.load(doc)).ok).toBe(true);
    const web = doc.vms.find((v) => v.id === 'contoso-web');
    const sql = doc.vms.find((v) => v.id === 'contoso-sql');
    const trace = await engine.trace({ from: web?.id ?? '', to: sql?.id ?? '', protocol: 'icmp' });
    const sent = new Set(trace.frames.map((f) => hex(f.frame)));
    for (const id of ['icmp-echo', 'vxlan-vlan', 'arp-request']) {
      expect(sent.has(hex(samples.find((s) => s.id === id)?.bytes ?? new Uint8Array())), id).toBe(true);
    }
  });

  it('carry the outer TTL and MACs the engine uses: the PA next hop, not the host itself', async () => {
    const samples = (await engineSamples(doc)) ?? [];
    const host2 = doc.hosts.find((h) => h.name === 'Host 2');
    const gateway = doc.routers[0].interfaces.find((i) => i.logicalSubnetId === host2?.logicalSubnetId);
    for (const id of ['vxlan', 'vxlan-vlan', 'nvgre']) {
      const frame = decodeFrame(samples.find((s) => s.id === id)?.bytes ?? new Uint8Array());
      const eth = frame.layers[0].header as EthernetHeader;
      const outerIp = frame.layers.find((l) => l.protocol === 'ip')?.header as Ipv4Header;
      expect(outerIp.ttl, `${id} outer TTL`).toBe(64);
      expect(outerIp.src).toBe('192.168.2.20');
      expect(outerIp.dst).toBe('192.168.1.10');
      expect(eth.src, `${id} outer source: Host 2's NIC`).toBe(host2?.teamMembers[0].mac);
      expect(eth.dst, `${id} outer destination: the router on Host 2's PA subnet`).toBe(gateway?.mac);
    }
    const described = samples.find((s) => s.id === 'vxlan')?.description ?? '';
    expect(described).toContain('TTL 64');
    expect(described).toContain('50 bytes of overhead');
  });

  it('without a document (or one that cannot ping) fall back to the codec golden frames', async () => {
    expect(await engineSamples({ ...doc, vms: [] })).toBeNull();
    expect((await api.samples()).map((s) => s.id)).toHaveLength(5);
  });
});
