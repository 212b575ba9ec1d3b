// The inspector's pure parts over real decoded frames (the codec's samples): field ids,
// deepest field under a byte, envelope sizes, topology annotations and step diffs.
import { describe, expect, it } from 'vitest';
import { multiTenantFixture } from '../../engine/model/testDocument';
import { decodeFrame, encodeFrame } from '../../engine/wire/index';
import { sampleLayers } from '../../engine/wire/samples';
import type { DecodedFrame, LayerSpec } from '../../engine/wire/types';
import { annotateFrame } from './annotate';
import { alignLayers, diffFrames } from './diff';
import { deepestFieldAt, envelopeOf, fieldsById, flattenFrame, layerScopes } from './model';

const layers = sampleLayers();
const decode = (spec: LayerSpec[]): DecodedFrame => decodeFrame(encodeFrame(spec));
const idOf = (frame: DecodedFrame, key: string, nth = 0) =>
  flattenFrame(frame).filter((f) => f.node.key === key)[nth]?.id;

describe('model', () => {
  const vxlan = decode(layers.vxlan);

  it('gives every field a unique id and finds the deepest field under a byte', () => {
    const flat = flattenFrame(vxlan);
    expect(new Set(flat.map((f) => f.id)).size).toBe(flat.length);
    const byId = fieldsById(vxlan);
    for (const offset of [46, 47, 48])
      expect(byId.get(deepestFieldAt(vxlan, offset) ?? '')?.node.key).toBe('vxlan.vni');
    expect(byId.get(deepestFieldAt(vxlan, 30) ?? '')?.node.key).toBe('ip.dst');
    // Inner IPv4 starts at 64: its ip.dst (offset 80) is the inner one, not the outer.
    expect(deepestFieldAt(vxlan, 80)).toBe(idOf(vxlan, 'ip.dst', 1));
  });

  it('splits outer from inner at the encapsulation header', () => {
    expect(layerScopes(vxlan)).toEqual([
      'outer',
      'outer',
      'outer',
      'outer',
      'inner',
      'inner',
      'inner',
      'inner',
    ]);
    expect(layerScopes(decode(layers['icmp-echo'])).every((s) => s === 'plain')).toBe(true);
  });

  it('measures the envelope: 50 for VXLAN, 54 with VLAN, 42 for NVGRE, none for a plain frame', () => {
    expect(envelopeOf(vxlan)).toMatchObject({
      encapsulation: 'vxlan',
      overhead: 50,
      innerLength: 74,
      payload: 32,
    });
    expect(envelopeOf(decode(layers['vxlan-vlan']))).toMatchObject({ encapsulation: 'vxlan', overhead: 54 });
    const nvgre = envelopeOf(decode(layers.nvgre));
    expect(nvgre).toMatchObject({ encapsulation: 'nvgre', overhead: 42 });
    expect(nvgre.outer.map((p) => [p.protocol, p.bytes])).toEqual([
      ['eth', 14],
      ['ip', 20],
      ['gre', 8],
    ]);
    expect(envelopeOf(decode(layers['icmp-echo']))).toMatchObject({
      encapsulation: null,
      overhead: 0,
      total: 74,
    });
  });
});

describe('annotateFrame (meaning in this topology)', () => {
  const doc = multiTenantFixture();

  it('names the VNI, the PAs and the CAs of the VXLAN frame', () => {
    const frame = decode(layers.vxlan);
    const notes = annotateFrame(frame, doc);
    expect(notes.get(idOf(frame, 'vxlan.vni'))).toMatch(/^VNI 5001 = Contoso, subnet Contoso Subnet/);
    expect(notes.get(idOf(frame, 'ip.dst', 0))).toBe('outer destination 192.168.1.10 = PA of Host 1 (NIC1)');
    expect(notes.get(idOf(frame, 'ip.src', 0))).toBe('outer source 192.168.2.20 = PA of Host 2 (NIC1)');
    // Inner addresses overlap between tenants: the VNI picks Contoso's SQL.
    expect(notes.get(idOf(frame, 'ip.dst', 1))).toBe('CA of Contoso/SQL (VSID 5001) on Host 1');
  });

  it('says the outer MACs are not set yet right after encapsulation (PA routing fills them)', () => {
    const encapOnly = structuredClone(layers.vxlan);
    const outerEth = encapOnly[0];
    if (outerEth.protocol === 'eth') {
      outerEth.header.dst = '00:00:00:00:00:00';
      outerEth.header.src = '00:00:00:00:00:00';
    }
    const frame = decode(encapOnly);
    expect(annotateFrame(frame, doc).get(idOf(frame, 'eth.dst', 0))).toMatch(
      /^not set yet: the PA routing layer/,
    );
    expect(annotateFrame(frame, doc).get(idOf(frame, 'eth.src', 0))).toMatch(/^not set yet/);
  });

  it('uses the hint VSID for a plain CA frame, and says when the tenant is ambiguous', () => {
    const frame = decode(layers['icmp-echo']);
    expect(annotateFrame(frame, doc, { vsid: 6001 }).get(idOf(frame, 'ip.src'))).toBe(
      'CA of Fabrikam/Web (VSID 6001) on Host 2',
    );
    expect(annotateFrame(frame, doc).get(idOf(frame, 'ip.src'))).toMatch(
      /Contoso\/Web or Fabrikam\/Web: overlapping tenants/,
    );
  });

  it('explains VLAN ids, broadcast MACs and unknown VSIDs, and says nothing without a document', () => {
    const tagged = decode(layers['vxlan-vlan']);
    expect(annotateFrame(tagged, doc).get(idOf(tagged, 'vlan.id'))).toBe(
      'VLAN of logical subnet PA Rack 2 (192.168.2.0/24)',
    );
    const arp = decode(layers['arp-request']);
    expect(annotateFrame(arp, doc).get(idOf(arp, 'eth.dst'))).toMatch(/^broadcast/);
    const other = structuredClone(layers.vxlan);
    const v = other.find((l) => l.protocol === 'vxlan');
    if (v?.protocol === 'vxlan') v.header.vni = 7777;
    const f = decode(other);
    expect(annotateFrame(f, doc).get(idOf(f, 'vxlan.vni'))).toBe('VNI 7777: no virtual subnet has this VSID');
    expect(annotateFrame(f, null).size).toBe(0);
  });

  it('names the outer MACs: a host team member and the router', () => {
    const spec = structuredClone(layers.vxlan);
    const outer = spec[0];
    if (outer.protocol === 'eth') {
      outer.header.src = '00:1d:d8:00:02:01';
      outer.header.dst = '00:1d:d8:ff:00:02';
    }
    const frame = decode(spec);
    const notes = annotateFrame(frame, doc);
    expect(notes.get(idOf(frame, 'eth.src', 0))).toBe('Host 2, team member NIC1');
    expect(notes.get(idOf(frame, 'eth.dst', 0))).toBe('L3 router (its side on PA Rack 2)');
  });

  it('names the NVGRE VSID', () => {
    const frame = decode(layers.nvgre);
    expect(annotateFrame(frame, doc).get(idOf(frame, 'nvgre.vsid'))).toMatch(/^VSID 5001 = Contoso/);
  });
});

describe('diffFrames (what changed since the previous step)', () => {
  it('aligns layers from the inner end', () => {
    expect(alignLayers(['eth', 'ip', 'icmp'], ['eth', 'ip', 'udp', 'vxlan', 'eth', 'ip', 'icmp'])).toEqual([
      [0, 4],
      [1, 5],
      [2, 6],
    ]);
    expect(alignLayers(['eth', 'vlan', 'ip'], ['eth', 'ip'])).toEqual([
      [0, 0],
      [2, 1],
    ]);
  });

  it('reports encapsulation added and removed', () => {
    const plain = decode(layers['icmp-echo']);
    const vxlan = decode(layers.vxlan);
    const enc = diffFrames(plain, vxlan);
    expect(enc.summary[0]).toBe('Encapsulated in VXLAN (+50 bytes)');
    expect(enc.added.map((l) => l.protocol)).toEqual(['eth', 'ip', 'udp', 'vxlan']);
    expect(enc.changes).toEqual([]);
    const dec = diffFrames(vxlan, plain);
    expect(dec.summary[0]).toBe('Decapsulated: VXLAN envelope removed (−50 bytes)');
    expect(dec.removed).toHaveLength(4);
    expect(diffFrames(plain, decode(layers.nvgre)).summary[0]).toBe('Encapsulated in NVGRE (+42 bytes)');
  });

  it('reports routed changes: TTL, MACs and VSID, with checksums as consequences', () => {
    const before = decode(layers.vxlan);
    const spec = structuredClone(layers.vxlan);
    const inner = spec.filter((l) => l.protocol === 'ip')[1];
    if (inner.protocol === 'ip') inner.header.ttl -= 1;
    const vx = spec.find((l) => l.protocol === 'vxlan');
    if (vx?.protocol === 'vxlan') vx.header.vni = 5002;
    const innerEth = spec.filter((l) => l.protocol === 'eth')[1];
    if (innerEth.protocol === 'eth') innerEth.header.src = '00:15:5d:ff:ff:01';
    const after = decode(spec);
    const d = diffFrames(before, after);
    const keys = d.changes.filter((c) => !c.consequential).map((c) => `${c.scope} ${c.key}`);
    expect(keys).toEqual(['outer vxlan.vni', 'inner eth.src', 'inner ip.ttl']);
    expect(d.changes.some((c) => c.key === 'ip.checksum' && c.consequential)).toBe(true);
    expect(d.summary).toContain('outer VNI: 5001 → 5002');
    expect(d.summary.some((s) => /^inner TTL: \d+ → \d+$/.test(s))).toBe(true);
    expect(d.changes.find((c) => c.key === 'vxlan.vni')?.fieldId).toBe(idOf(after, 'vxlan.vni'));
  });

  it('reports a VLAN tag pushed, and no change for identical frames', () => {
    const d = diffFrames(decode(layers.vxlan), decode(layers['vxlan-vlan']));
    expect(d.added.map((l) => l.protocol)).toEqual(['vlan']);
    expect(d.summary[0]).toBe('Header added: 802.1Q Virtual LAN (+4 bytes)');
    const same = decode(layers.vxlan);
    expect(diffFrames(same, decode(layers.vxlan)).summary).toEqual(['No header changed']);
  });
});
