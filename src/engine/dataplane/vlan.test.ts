// PTF-style tests of VLAN isolation, the classic path beside the overlay: frames in at a
// VM's port, what comes out on the wire (tshark reads the 802.1Q tag), where it is delivered.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vlanVsOverlay } from '../../scenarios/builders.ts';
import { createEngine, type Trace, type TraceNode } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { writePcap } from '../wire/index.ts';
import { Datacenter } from './datacenter.ts';
import { parse } from './packet.ts';

const dir = mkdtempSync(join(tmpdir(), 'hnv-vlan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function nodesOf(n: TraceNode, out: TraceNode[] = []): TraceNode[] {
  out.push(n);
  for (const c of n.children) nodesOf(c, out);
  return out;
}

const allNodes = (t: Trace) => t.packets.flatMap((p) => nodesOf(p.root));

function tsharkVlanIds(trace: Trace, name: string): { vlan: string[]; ipSrc: string[]; vxlan: string[] }[] {
  const file = join(dir, `${name}.pcap`);
  writeFileSync(
    file,
    writePcap(trace.frames.map((f, i) => ({ data: f.frame, timestampMicros: 1_000_000 * (i + 1) }))),
  );
  const run = spawnSync(
    'tshark',
    ['-r', file, '-T', 'json', '-e', 'vlan.id', '-e', 'ip.src', '-e', 'vxlan.vni'],
    {
      encoding: 'utf8',
    },
  );
  if (run.error || run.status !== 0)
    throw new Error(`tshark is missing or failed (sudo apt-get install -y tshark): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { _source: { layers: Record<string, string[]> } }[]).map((p) => ({
    vlan: p._source.layers['vlan.id'] ?? [],
    ipSrc: p._source.layers['ip.src'] ?? [],
    vxlan: p._source.layers['vxlan.vni'] ?? [],
  }));
}

function moved(vmId: string, hostId: string): TopologyDocument {
  const doc = vlanVsOverlay();
  const vm = doc.vms.find((v) => v.id === vmId);
  if (!vm) throw new Error(`no VM ${vmId}`);
  vm.hostId = hostId;
  return doc;
}

describe('VLAN isolation on the data plane', () => {
  it('tags the tenant frame with VLAN 101 on the wire, no encapsulation (tshark)', () => {
    const engine = createEngine();
    expect(engine.load(vlanVsOverlay()).ok).toBe(true);
    const trace = engine.trace({ from: 'Contoso/VLAN Web', to: 'Contoso/VLAN SQL', protocol: 'icmp' });
    expect(trace.verdict).toMatchObject({ outcome: 'delivered', deliveredTo: ['Contoso/VLAN SQL'] });
    const rows = tsharkVlanIds(trace, 'contoso-vlan');
    const wire = trace.frames
      .map((f, i) => ({ where: f.where, row: rows[i] }))
      .filter((f) => f.where.startsWith('VLAN 101 trunk'));
    // ARP request, ARP reply, echo request, ARP request back, reply, echo reply: all tagged.
    expect(wire.length).toBeGreaterThanOrEqual(4);
    for (const f of wire) {
      expect(f.row.vlan).toEqual(['101']);
      expect(f.row.vxlan).toEqual([]);
    }
    // The echo request on the wire carries the CA itself, not a PA.
    expect(wire.some((f) => f.row.ipSrc[0] === '10.1.1.12')).toBe(true);
    // Frames into and out of the VMs are untagged.
    trace.frames
      .filter((f) => !f.where.startsWith('VLAN'))
      .forEach((f, i) => {
        expect({ i, vlan: parse(f.frame).vlanId }).toEqual({ i, vlan: -1 });
      });
    const nodes = allNodes(trace);
    expect(nodes.some((n) => n.kind === 'action' && n.action.type === 'encap')).toBe(false);
    expect(nodes.some((n) => n.kind === 'lookup' && n.title.startsWith('lookup record'))).toBe(false);
    expect(
      nodes.some((n) => n.kind === 'action' && n.action.type === 'push-vlan' && n.action.vlanId === 101),
    ).toBe(true);
    expect(nodes.some((n) => n.kind === 'action' && n.action.type === 'pop-vlan')).toBe(true);
  });

  it('keeps the two VLAN tenants apart by the tag alone', () => {
    // A frame forged straight at Contoso SQL's MAC from Fabrikam's VLAN 102 port: no port of
    // VLAN 102 has that MAC, so nothing is delivered.
    const dc = new Datacenter(vlanVsOverlay());
    const fabrikam = dc.findPort('Fabrikam/VLAN Web');
    const contosoSql = dc.findPort('Contoso/VLAN SQL');
    if (!fabrikam || !contosoSql) throw new Error('ports missing');
    // Fabrikam's VM believes its gateway is Contoso SQL's MAC (a poisoned ARP cache).
    fabrikam.arpCache.set(fabrikam.gatewayIp, contosoSql.mac.slice());
    const forged = dc.trace({ from: 'Fabrikam/VLAN Web', to: '10.1.1.11', protocol: 'icmp' });
    expect(forged.verdict.outcome).toBe('dropped');
    expect(forged.verdict.reason).toBe(
      'no port in VLAN 102 has MAC 00:15:5d:00:00:05: ports in other VLANs never see this frame',
    );
    expect(forged.frames.some((f) => f.where.startsWith('VLAN 101'))).toBe(false);
    const engine = createEngine();
    engine.load(vlanVsOverlay());
    const t = engine.trace({ from: 'Fabrikam/VLAN Web', to: '10.1.1.11', protocol: 'icmp' });
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toMatch(/^no VM in VLAN 102 answers ARP/);
    // Fabrikam's own VLAN works.
    const own = engine.trace({ from: 'Fabrikam/VLAN Web', to: 'Fabrikam/VLAN SQL', protocol: 'icmp' });
    expect(own.verdict).toMatchObject({ outcome: 'delivered', deliveredTo: ['Fabrikam/VLAN SQL'] });
    expect(tsharkVlanIds(own, 'fabrikam-vlan').some((r) => r.vlan[0] === '102')).toBe(true);
  });

  it('keeps overlapping tenant addresses apart by the tag', () => {
    const engine = createEngine();
    engine.load(vlanVsOverlay());
    const doc = vlanVsOverlay();
    // Put Fabrikam's VLAN VM on Contoso's addresses: still only VLAN 102 hears it.
    const fab = doc.virtualSubnets.find((s) => s.id === 'fabrikam-vlan-102');
    if (!fab) throw new Error('no subnet');
    fab.prefix = '10.1.1.0/24';
    for (const vm of doc.vms)
      if (vm.id.startsWith('fabrikam-vlan')) vm.nics[0].caIp = vm.nics[0].caIp.replace('10.2.', '10.1.');
    expect(engine.update(doc).ok).toBe(true);
    const t = engine.trace({ from: 'Fabrikam/VLAN Web', to: 'Fabrikam/VLAN SQL', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', deliveredTo: ['Fabrikam/VLAN SQL'] });
    const delivered = allNodes(t)
      .filter((n) => n.kind === 'deliver')
      .map((n) => (n.kind === 'deliver' ? n.vm : ''));
    expect(delivered.some((vm) => vm.startsWith('Contoso'))).toBe(false);
  });

  it('breaks a VLAN VM moved to a rack that does not trunk its VLAN; the overlay VM moves fine', () => {
    const engine = createEngine();
    expect(engine.load(moved('contoso-vlan-sql', 'host-3')).ok).toBe(true);
    const t = engine.trace({ from: 'Contoso/VLAN Web', to: 'Contoso/VLAN SQL', protocol: 'icmp' });
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toBe(
      "VLAN 101 is not carried on logical subnet 'Rack 2': under VLAN isolation a VM can only live where its VLAN is trunked; it would need a new IP in that rack's subnet (Contoso/VLAN SQL runs on Host 3)",
    );
    expect(engine.update(moved('contoso-sql', 'host-3')).ok).toBe(true);
    const o = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(o.verdict).toMatchObject({ outcome: 'delivered', deliveredTo: ['Contoso/SQL'] });
    const encap = allNodes(o).find((n) => n.kind === 'action' && n.action.type === 'encap');
    expect(encap?.kind === 'action' && encap.action.type === 'encap' && encap.action.dstPa).toBe(
      '192.168.2.30',
    );
  });

  it('programs no CA-PA mapping for VLAN VMs, and follows a subnet switched between VLAN and overlay', () => {
    const engine = createEngine();
    const doc = vlanVsOverlay();
    engine.load(doc);
    const records = engine.hostTables('host-1')?.lookupRecords.map((r) => `${r.vsid}/${r.caIp}`);
    expect(records).toEqual(['5001/10.1.1.11', '5001/10.1.1.12', '6001/10.1.1.11', '6001/10.1.1.12']);
    const flipped = structuredClone(doc);
    const contoso = flipped.virtualSubnets.find((s) => s.id === 'contoso-subnet');
    if (!contoso) throw new Error('no subnet');
    contoso.isolation = 'vlan';
    contoso.vlanId = 300;
    flipped.logicalSubnets[0].trunkedVlans?.push(300);
    expect(engine.update(flipped).ok).toBe(true);
    const t = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(t.verdict.outcome).toBe('delivered');
    expect(t.frames.some((f) => f.where === "VLAN 300 trunk 'Rack 1'")).toBe(true);
    expect(engine.update(doc).ok).toBe(true);
    const back = engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(back.frames.some((f) => f.where.startsWith('VLAN'))).toBe(false);
    expect(allNodes(back).some((n) => n.kind === 'action' && n.action.type === 'encap')).toBe(true);
  });
});
