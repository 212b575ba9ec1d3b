// Every built-in scenario has a brief and things to try, and the numbers and names the words
// use are the ones of the scenario's document.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index.ts';
import type { TopologyDocument } from '../engine/model/schema.ts';
import { VXLAN_OVERHEAD } from './briefs.ts';
import { scenarioById, scenarios } from './index.ts';

function vlanIds(doc: TopologyDocument): Set<number> {
  const ids = new Set<number>();
  for (const s of doc.logicalSubnets) {
    ids.add(s.vlanId);
    for (const t of s.trunkedVlans ?? []) ids.add(t);
  }
  for (const s of doc.virtualSubnets) if (s.vlanId !== undefined) ids.add(s.vlanId);
  return ids;
}

/** The numbers of a run like "VSIDs 5001, 5002 and 5003" or "VLAN 101". */
function numbersAfter(text: string, word: RegExp): number[] {
  const out: number[] = [];
  const re = new RegExp(`${word.source}\\s+(\\d+(?:(?:, | and | for \\w+ and )\\d+)*)`, 'g');
  for (const m of text.matchAll(re)) for (const n of m[1].match(/\d+/g) ?? []) out.push(Number(n));
  return out;
}

const texts = (s: (typeof scenarios)[number]) => [s.description, ...s.tryThis].join('\n');

describe('scenario briefs', () => {
  it.each(scenarios.map((s) => [s.id, s] as const))('%s has a brief and things to try', (_id, s) => {
    expect(s.description.length).toBeGreaterThan(80);
    expect(s.tryThis.length).toBeGreaterThanOrEqual(2);
    for (const t of s.tryThis) expect(t.length).toBeGreaterThan(20);
  });

  it.each(scenarios.map((s) => [s.id, s] as const))(
    '%s: every VLAN, VSID, address, MTU and host or subnet name in the brief is in its document',
    (_id, s) => {
      const doc = s.document;
      const text = texts(s);
      const vlans = vlanIds(doc);
      for (const v of numbersAfter(text, /VLANs?/)) expect(vlans, `VLAN ${v}`).toContain(v);
      const vsids = new Set(doc.virtualSubnets.map((x) => x.vsid));
      for (const v of numbersAfter(text, /(?:VSIDs?|VNI)/)) expect(vsids, `VSID ${v}`).toContain(v);
      const json = JSON.stringify(doc);
      for (const ip of text.match(/\b\d+\.\d+\.\d+\.\d+(?:\/\d+)?\b/g) ?? [])
        expect(json, `address ${ip}`).toContain(`"${ip}"`);
      const mtus = new Set([...doc.logicalSubnets.map((x) => x.mtu), 9014]); // 9014: the typical jumbo MTU
      for (const m of numbersAfter(text, /MTU/)) expect(mtus, `MTU ${m}`).toContain(m);
      const names = new Set([...doc.hosts, ...doc.logicalSubnets].map((x) => x.name));
      for (const n of text.match(/\b(?:Host \d+|Rack \d+|PA Subnet \d+)\b/g) ?? [])
        expect(names, `name ${n}`).toContain(n);
    },
  );

  it('VLAN vs overlay names the racks’ real PA VLANs (no “VLAN 200”)', () => {
    const s = scenarioById('vlan-vs-overlay')!;
    const rack1 = s.document.logicalSubnets.find((x) => x.name === 'Rack 1')!;
    expect(s.description).toContain(`Rack 1 is VLAN ${rack1.vlanId}`);
    expect(s.description).not.toContain('VLAN 200');
  });

  it('MTU trouble: the size it says to type is dropped, and the largest size it says passes is delivered', () => {
    const s = scenarioById('mtu-trouble')!;
    const text = s.tryThis.join('\n');
    const size = Number(/Type (\d+) in the trace panel's size field/.exec(text)?.[1]);
    const fits = Number(/Any size up to (\d+) still passes/.exec(text)?.[1]);
    expect(fits).toBe(Math.min(...s.document.logicalSubnets.map((x) => x.mtu)) - VXLAN_OVERHEAD);
    const engine = createEngine();
    expect(engine.load(structuredClone(s.document)).ok).toBe(true);
    const ping = (n: number) =>
      engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp', size: n }).verdict;
    expect(ping(size)).toMatchObject({ outcome: 'dropped', at: expect.stringContaining('Host 2') });
    expect(ping(fits).outcome).toBe('delivered');
    expect(ping(fits + 1).outcome).toBe('dropped');
    // The fix it gives (MTU 9014 on both PA subnets) delivers the full-size ping.
    const fixed = structuredClone(s.document);
    for (const ls of fixed.logicalSubnets) ls.mtu = 9014;
    const engine2 = createEngine();
    engine2.load(fixed);
    expect(
      engine2.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp', size }).verdict.outcome,
    ).toBe('delivered');
  });
});
