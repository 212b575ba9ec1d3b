// Jumbo "9014" is a frame size; the document's logical subnet `mtu` is the IP MTU (what the
// PA network compares an outer packet's total length with), so jumbo frames are 9000 there.
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index';
import { createEngine } from '../index';
import { frameSizeOfIpMtu, ipMtuOfFrameSize, JUMBO_FRAME_BYTES, JUMBO_IP_MTU } from '../net';
import { DatacenterBuilder } from './builder';

describe('jumbo frames: frame size 9014, IP MTU 9000', () => {
  it('the IP MTU is the frame size minus the 14-byte Ethernet header', () => {
    expect(JUMBO_FRAME_BYTES).toBe(9014);
    expect(JUMBO_IP_MTU).toBe(9000);
    expect(ipMtuOfFrameSize(1514)).toBe(1500);
    expect(frameSizeOfIpMtu(9000)).toBe(9014);
  });

  it('a logical subnet defaults to jumbo frames, stored as IP MTU 9000', () => {
    const b = new DatacenterBuilder();
    b.logicalSubnet({ name: 'PA', prefix: '192.168.1.0/24' });
    expect(b.build().logicalSubnets[0].mtu).toBe(9000);
  });

  it('no built-in scenario stores the frame size 9014 as an IP MTU', () => {
    const mtus = scenarios.flatMap((s) => s.document.logicalSubnets.map((l) => `${s.id}: ${l.mtu}`));
    expect(mtus.filter((m) => m.endsWith(': 9014'))).toEqual([]);
    expect(mtus.some((m) => m.endsWith(': 9000'))).toBe(true);
  });

  it('on a jumbo PA subnet the wire says IP MTU 9000 and a full 1500-byte VM packet (1550 outer) fits', () => {
    const s = scenarios.find((x) => x.document.logicalSubnets.every((l) => l.mtu === JUMBO_IP_MTU))!;
    const engine = createEngine();
    expect(engine.load(structuredClone(s.document)).errors).toEqual([]);
    const [a, b] = s.document.vms.filter((vm, _, all) =>
      all.some(
        (o) => o !== vm && o.hostId !== vm.hostId && o.nics[0].virtualSubnetId === vm.nics[0].virtualSubnetId,
      ),
    );
    const t = engine.trace({ from: a.nics[0].id, to: b.nics[0].id, protocol: 'icmp', size: 1500, df: true });
    expect(t.verdict.outcome).toBe('delivered');
    const titles: string[] = [];
    const walk = (n: { title: string; children: { title: string; children: never[] }[] }) => {
      titles.push(n.title);
      for (const c of n.children) walk(c);
    };
    for (const packet of t.packets) walk(packet.root as never);
    expect(titles.some((x) => x.includes('MTU 9000'))).toBe(true);
  });
});
