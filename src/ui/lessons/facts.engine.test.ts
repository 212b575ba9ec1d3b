// The facts adapter against the real engine's traces (tests may use engine values).
import { describe, expect, it } from 'vitest';
import { createEngine, type Trace } from '../../engine/index';
import type { TopologyDocument } from '../../engine/model/schema';
import { scenarioById } from '../../scenarios/index';
import { tracedVlanPing } from '../../scenarios/lessons/01-why-vlans-dont-scale';
import { physicalNetwork } from '../../scenarios/lessons/09-physical-network';
import { findVm, subnetOfVm } from '../../scenarios/lessons/query';
import type { LessonFacts } from '../../scenarios/lessons/types';
import { traceFacts } from './facts';

function loaded(id: string) {
  const doc = scenarioById(id)?.document;
  if (!doc) throw new Error(`no scenario ${id}`);
  const engine = createEngine();
  expect(engine.load(doc).ok).toBe(true);
  return { doc, engine };
}

describe('trace facts from real traces', () => {
  it('a Contoso ping: ARP by the host agent, VXLAN 5001 to Host 1, slow then fast path', () => {
    const { doc, engine } = loaded('multi-tenant');
    const first = traceFacts(engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' }), doc);
    const sqlHost = doc.hosts.find((h) => h.id === findVm(doc, 'Contoso/SQL')?.hostId);
    expect(first).toMatchObject({
      fromVmId: findVm(doc, 'Contoso/Web')?.id,
      toVmId: findVm(doc, 'Contoso/SQL')?.id,
      outcome: 'delivered',
      arp: 'host-agent',
      leftHost: true,
      routed: false,
      path: 'slow',
    });
    expect(first.encaps).toHaveLength(1);
    expect(first.encaps[0].type).toBe('vxlan');
    expect(first.encaps[0].vsid).toBe(5001);
    expect(sqlHost?.providerAddresses).toContain(first.encaps[0].outerDstIp);
    const second = traceFacts(
      engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' }),
      doc,
    );
    expect(second.path).toBe('fast');
  });

  it('ARP stays on the host; an unknown CA gets no reply', () => {
    const { doc, engine } = loaded('multi-tenant');
    const arp = traceFacts(engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'arp' }), doc);
    expect(arp).toMatchObject({ protocol: 'arp', arp: 'host-agent', leftHost: false, encaps: [] });
    const unknown = traceFacts(engine.trace({ from: 'Contoso/Web', to: '10.1.1.99', protocol: 'arp' }), doc);
    expect(unknown).toMatchObject({ arp: 'no-reply', outcome: 'dropped', toVmId: null, toIp: '10.1.1.99' });
  });

  it('the distributed router routes between R&D subnets and not into Sales', () => {
    const { doc, engine } = loaded('routing-domains');
    const bySubnet = (vmNetworkId: string) =>
      doc.vms.filter((vm) => subnetOfVm(doc, vm)?.vmNetworkId === vmNetworkId);
    const rnd = doc.virtualSubnets[0].vmNetworkId;
    const [a, ...others] = bySubnet(rnd);
    const b = others.find((vm) => subnetOfVm(doc, vm)?.id !== subnetOfVm(doc, a)?.id);
    const sales = doc.vms.find((vm) => subnetOfVm(doc, vm)?.vmNetworkId !== rnd);
    if (!b || !sales) throw new Error('scenario shape changed');
    const routed = traceFacts(engine.trace({ from: a.nics[0].id, to: b.nics[0].id, protocol: 'icmp' }), doc);
    expect(routed).toMatchObject({ outcome: 'delivered', routed: true });
    const walled = traceFacts(
      engine.trace({ from: a.nics[0].id, to: sales.nics[0].caIp, protocol: 'icmp' }),
      doc,
    );
    expect(walled.outcome).toBe('dropped');
  });

  it('a VLAN tenant ping: tag 101 pushed, no encapsulation, no host agent; lesson 1 sees it done', () => {
    const { doc, engine } = loaded('vlan-vs-overlay');
    const facts = traceFacts(
      engine.trace({ from: 'Contoso/VLAN Web', to: 'Contoso/VLAN SQL', protocol: 'icmp' }),
      doc,
    );
    expect(facts).toMatchObject({
      outcome: 'delivered',
      vlans: [101],
      encaps: [],
      arp: 'none',
      leftHost: true,
    });
    expect(
      tracedVlanPing({
        document: doc,
        scenarioId: 'vlan-vs-overlay',
        view: 'virtual',
        selection: [],
        trace: facts,
      }).done,
    ).toBe(true);
  });
});

describe('lesson: the physical network underneath, played on real traces', () => {
  const lessonFactsOf = (doc: TopologyDocument, trace: Trace): LessonFacts => ({
    document: doc,
    scenarioId: 'multi-tenant',
    view: 'physical',
    selection: [],
    trace: traceFacts(trace, doc),
  });
  const step = (id: string) => {
    const s = physicalNetwork.steps.find((x) => x.id === id);
    if (!s) throw new Error(`no step ${id}`);
    return s;
  };
  const ping = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' as const };

  it('sees the ARP for the gateway on a fresh lab, and none the second time', () => {
    const { doc, engine } = loaded('multi-tenant');
    const first = lessonFactsOf(doc, engine.trace(ping));
    expect(first.trace?.paArp).toEqual([
      { senderIp: '192.168.2.20', targetIp: '192.168.2.1' },
      { senderIp: '192.168.1.1', targetIp: '192.168.1.10' },
    ]);
    expect(step('see-arp').task?.check(first).done).toBe(true);
    const second = lessonFactsOf(doc, engine.trace(ping));
    expect(second.trace?.paArp).toBeUndefined();
    expect(step('see-arp').task?.check(second).done).toBe(false);
    // The right answer of "whose MAC?" is the gateway: the two hosts are in different racks.
    const right = step('next-hop')
      .question?.choices(first)
      .find((c) => c.correct);
    expect(right?.label).toBe('The gateway of its logical subnet, 192.168.2.1');
  });

  it("is done once SQL's rack has a smaller MTU and a ping too big for it gets ICMP frag-needed", () => {
    const { doc: original, engine } = loaded('multi-tenant');
    const sqlRack = original.hosts.find(
      (h) => h.id === findVm(original, 'Contoso/SQL')?.hostId,
    )?.logicalSubnetId;
    const doc = {
      ...original,
      logicalSubnets: original.logicalSubnets.map((l) => (l.id === sqlRack ? { ...l, mtu: 1400 } : l)),
    };
    expect(engine.update(doc).ok).toBe(true);
    const fits = lessonFactsOf(doc, engine.trace({ ...ping, size: 1300 }));
    expect(step('too-big').task?.check(fits).done).toBe(false);
    const tooBig = lessonFactsOf(doc, engine.trace({ ...ping, size: 1400 }));
    expect(tooBig.trace?.icmpErrors).toEqual([
      { type: 3, code: 4, fromIp: '192.168.2.1', toIp: '192.168.2.20', nextHopMtu: 1400 },
    ]);
    expect(step('too-big').task?.check(tooBig).done).toBe(true);
    expect(
      step('too-big')
        .question?.choices(tooBig)
        .find((c) => c.correct)?.label,
    ).toBe("1400, the MTU of 'PA Subnet 1'");
  });
});
