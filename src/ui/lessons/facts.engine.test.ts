// The facts adapter against the real engine's traces (tests may use engine values).
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index';
import { scenarioById } from '../../scenarios/index';
import { tracedVlanPing } from '../../scenarios/lessons/01-why-vlans-dont-scale';
import { findVm, subnetOfVm } from '../../scenarios/lessons/query';
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
