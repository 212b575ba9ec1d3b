// The forwarder's shape, tested through what it did: every trace node carries the typed event
// it was rendered from; the VFP executor runs the rules' actions (encap, pa_route, the inbound
// output and pop-vlan) through the registry; a new action is one file + one registry line
// (set-field ip.dscp, on the slow and the fast path); flow dependencies are typed.
import { describe, expect, it } from 'vitest';
import { vlanVsOverlay } from '../../scenarios/builders.ts';
import { scenarioById } from '../../scenarios/index.ts';
import type { Action, VfpLayer } from '../controller/types.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { decodeFrame, fieldsByKey } from '../wire/index.ts';
import { Datacenter } from './datacenter.ts';
import { FlowDeps, FlowOp } from './flowTable.ts';
import { Decision } from './forwarder.ts';
import { ipChecksumOk } from './packet.ts';
import type { TraceEvent } from './trace/events.ts';
import type { Trace, TraceNode } from './trace-types.ts';
import { ACTIONS, describeAction } from './vfp/registry.ts';
import { compileGroups } from './vfpMatch.ts';

const scenario = (id: string): TopologyDocument =>
  structuredClone(scenarioById(id)?.document) as TopologyDocument;

function nodesOf(t: Trace, packet = 0): TraceNode[] {
  const out: TraceNode[] = [];
  const walk = (n: TraceNode) => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  walk(t.packets[packet].root);
  return out;
}

const events = <T extends TraceEvent['type']>(nodes: TraceNode[], type: T) =>
  nodes.flatMap((n) => (n.what?.type === type ? [n.what as Extract<TraceEvent, { type: T }>] : []));

/** The echo request's trace (packets: ARP, request, ARP back, reply). */
function echoRequest(dc: Datacenter, from = 'Contoso/Web', to = 'Contoso/SQL'): TraceNode[] {
  const t = dc.trace({ from, to, protocol: 'icmp' });
  expect(t.verdict.outcome).toBe('delivered');
  const i = t.packets.findIndex((p) => p.root.what?.type === 'packet' && p.root.what.protocol === 'icmp');
  return nodesOf(t, i);
}

describe('typed trace events', () => {
  it('every node carries its event; rule hits name their rule in where.ruleId', () => {
    const dc = new Datacenter(scenario('multi-tenant'));
    const t = dc.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    const all = t.packets.flatMap((_, i) => nodesOf(t, i));
    expect(all.filter((n) => n.what === undefined && n.kind !== 'control-plane')).toEqual([]);
    expect(t.packets.map((p) => p.root.what?.type === 'packet' && p.root.what.protocol)).toEqual([
      'arp',
      'icmp',
      'arp',
      'icmp',
    ]);
    const hits = all.filter((n) => n.kind === 'rule' && n.hit);
    expect(hits.length).toBeGreaterThan(0);
    for (const n of hits) expect(n.where.ruleId).toBe(n.kind === 'rule' ? n.ruleId : '');
    expect(all.filter((n) => n.kind === 'rule' && !n.hit).every((n) => n.where.ruleId === undefined)).toBe(
      true,
    );
  });

  it('the CA-PA lookup, the encapsulation and the PA route are events with their facts', () => {
    const nodes = echoRequest(new Datacenter(scenario('multi-tenant')));
    const [lookup] = events(nodes, 'ca-pa');
    expect(lookup).toMatchObject({
      vsid: 5001,
      ca: '10.1.1.11',
      record: { pa: '192.168.1.10', vm: 'Contoso/SQL' },
    });
    const actions = events(nodes, 'action').map((e) => e.action.type);
    expect(actions).toEqual(expect.arrayContaining(['encap', 'pa-route', 'decap']));
    const nextHop = events(nodes, 'pa-next-hop')[0];
    expect(nextHop).toMatchObject({ nextHop: '192.168.2.1', sameSubnet: false, mac: expect.any(String) });
    const stages = events(nodes, 'stage').map((s) => `${s.layer}/${s.group}:${s.direction}`);
    // The PA routing layer is walked (and its rule executed) after the VNet layer's encap.
    expect(stages.indexOf('pa_route/pa_route_out:out')).toBeGreaterThan(stages.indexOf('vnet/vnet_out:out'));
    expect(events(nodes, 'rule').find((r) => r.hit && r.layer === 'pa_route')?.ruleId).toBe(
      'pa-192.168.2.20',
    );
    expect(events(nodes, 'deliver').map((d) => d.vm)).toEqual(['Contoso/SQL']);
  });

  it("a local delivery runs the destination port's inbound output action", () => {
    const doc = scenario('multi-tenant');
    doc.vms = doc.vms.map((vm) => (vm.id === 'contoso-web' ? { ...vm, hostId: 'host-1' } : vm));
    const nodes = echoRequest(new Datacenter(doc));
    const inbound = events(nodes, 'rule').filter((r) => r.hit && r.group === 'vnet_in');
    expect(inbound.map((r) => r.ruleId)).toEqual(['local-5001']);
    // Never encapsulated: no outbound PA route (the destination's inbound pa_route group allows it).
    expect(events(nodes, 'stage').some((s) => s.layer === 'pa_route' && s.direction === 'out')).toBe(false);
  });

  it("VLAN isolation: the far port's inbound rule pops the tag and outputs (executed actions)", () => {
    const nodes = echoRequest(new Datacenter(vlanVsOverlay()), 'Contoso/VLAN Web', 'Contoso/VLAN SQL');
    const ruleActions = events(nodes, 'action').map((e) => e.action.type);
    expect(ruleActions).toEqual(expect.arrayContaining(['push-vlan', 'pop-vlan']));
    const pop = nodes.find((n) => n.what?.type === 'action' && n.what.action.type === 'pop-vlan');
    expect(pop?.frame?.[12]).toBe(0x08); // untagged IPv4 after the pop
    expect(events(nodes, 'rule').find((r) => r.hit && r.group === 'vnet_in')?.ruleId).toBe(
      'vlan-101-deliver',
    );
    expect(events(nodes, 'deliver').map((d) => d.vm)).toEqual(['Contoso/VLAN SQL']);
  });
});

describe('the action registry', () => {
  it('has a handler for every action type, and describes each', () => {
    const samples: Action[] = [
      { type: 'allow' },
      { type: 'drop', reason: 'r' },
      { type: 'set-field', field: 'ip.dscp', value: 46 },
      { type: 'push-vlan', vlanId: 101 },
      { type: 'pop-vlan' },
      { type: 'encap', encapsulation: 'vxlan', vsid: 5001, srcPa: '192.168.2.20', dstPa: '192.168.1.10' },
      { type: 'decap', encapsulation: 'nvgre', vsid: 5001 },
      { type: 'lookup', space: 'ca-pa', vsid: 5001 },
      { type: 'route', routingDomainId: 'rd' },
      { type: 'arp-reply' },
      { type: 'replicate', vsid: 5001 },
      { type: 'output', port: 'uplink' },
      { type: 'pa-route', logicalSubnetId: 'ls', vlanId: 0 },
      { type: 'conntrack', op: 'lookup' },
      { type: 'nat', direction: 'out', from: '10.1.1.12:1', to: '131.107.0.10:10000' },
      { type: 'gre-encap', key: 5001, src: '131.107.0.10', dst: '198.51.100.2' },
      { type: 'gre-decap', key: 5001 },
      { type: 'esp-encap', spi: 0x6001a001, sequence: 1, src: '131.107.0.10', dst: '198.51.100.3' },
      { type: 'esp-decap', spi: 0x6001b001, sequence: 1 },
      {
        type: 'slb-nat',
        direction: 'in',
        loadBalancer: 'Web LB',
        protocol: 'tcp',
        vip: '203.0.113.10',
        vipPort: 80,
        dip: '10.1.1.11',
        dipPort: 8080,
      },
      {
        type: 'slb-snat',
        direction: 'out',
        loadBalancer: 'Web LB',
        rule: "outbound NAT rule 'Outbound'",
        protocol: 'tcp',
        vip: '203.0.113.10',
        dip: '10.1.1.11',
        portStart: 1024,
        portEnd: 2047,
        from: '10.1.1.11:50000',
        port: 1024,
      },
    ];
    expect(new Set(samples.map((a) => a.type))).toEqual(new Set(Object.keys(ACTIONS)));
    for (const a of samples) expect(ACTIONS[a.type].type).toBe(a.type);
    expect(samples.map(describeAction)).toContain('encap VXLAN VNI 5001 192.168.2.20 -> 192.168.1.10');
    expect(describeAction({ type: 'set-field', field: 'ip.dscp', value: 46 })).toBe('set ip.dscp=46');
    expect(samples.map(describeAction)).toContain('SLB NAT 203.0.113.10:80 -> 10.1.1.11:8080');
    expect(samples.map(describeAction)).toContain(
      'SLB SNAT 10.1.1.11:50000 -> 203.0.113.10:1024, not encapsulated',
    );
  });

  it('set-field ip.dscp marks the packet on the slow path and, cached, on the fast path', () => {
    const dc = new Datacenter(scenario('multi-tenant'));
    const port = dc.portFor('Contoso/Web');
    if (!port) throw new Error('no port');
    // A QoS layer in front of the others (as a VFP QoS layer would be bound): mark EF (46).
    const qos: VfpLayer = {
      id: 'qos',
      name: 'QoS',
      priority: 50,
      groups: [
        {
          id: 'qos_out',
          direction: 'out',
          family: 'ipv4',
          priority: 100,
          rules: [
            {
              id: 'dscp-ef-udp',
              priority: 100,
              match: { etherType: 'ipv4', protocol: 'udp' },
              actions: [{ type: 'set-field', field: 'ip.dscp', value: 46 }],
              origin: 'test QoS policy: UDP is expedited forwarding',
            },
          ],
          defaultRule: {
            id: 'qos_out-default',
            priority: 65535,
            match: {},
            actions: [{ type: 'allow' }],
            origin: 'no QoS',
          },
        },
      ],
    };
    port.out.unshift(...compileGroups({ ...port.policy, layers: [qos] }, 'out'));
    const flow = { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'udp' as const, dstPort: 1433 };
    for (const path of ['slow', 'fast']) {
      const t = dc.trace(flow);
      const main = t.packets[t.packets.length - 1];
      expect(main.path, path).toBe(path);
      const delivered = t.frames.filter((f) => f.where.endsWith('-> Contoso/SQL')).map((f) => f.frame);
      expect(delivered).toHaveLength(1);
      const f = fieldsByKey(decodeFrame(delivered[0])) as Record<string, unknown[]>;
      expect(f['ip.dsfield.dscp'], path).toEqual([46]);
      expect(ipChecksumOk(delivered[0], 14), path).toBe(true);
      // On the wire the outer header is the tunnel's own: only the inner packet is marked.
      const tunnel = t.frames.find((x) => x.where.startsWith('link ') && x.frame.length > 100)?.frame;
      const outer = fieldsByKey(decodeFrame(tunnel ?? new Uint8Array(0))) as Record<string, unknown[]>;
      expect(outer['ip.dsfield.dscp'], path).toEqual([0, 46]);
    }
    const tables = dc.hostTables('host-2');
    const entry = tables?.ports
      .find((p) => p.vmLabel === 'Contoso/Web')
      ?.flowTable.find((e) => e.key.includes('udp'));
    expect(entry?.actions[0]).toBe('set ip.dscp=46');
    // TCP is not marked (the rule matches UDP only).
    const tcp = dc.trace({ ...flow, protocol: 'tcp', dstPort: 1433 });
    const frame = tcp.frames.filter((f) => f.where.endsWith('-> Contoso/SQL')).at(-1)?.frame;
    expect(
      (fieldsByKey(decodeFrame(frame ?? new Uint8Array(0))) as Record<string, unknown[]>)['ip.dsfield.dscp'],
    ).toEqual([0]);
  });
});

describe('flow dependencies', () => {
  it('are typed, compared by kind and value', () => {
    const deps = new FlowDeps([
      { kind: 'record', vsid: 5001, ca: '10.1.1.11' },
      { kind: 'port', portId: 'p1' },
    ]);
    expect(deps.has({ kind: 'record', vsid: 5001, ca: '10.1.1.11' })).toBe(true);
    expect(deps.has({ kind: 'record', vsid: 6001, ca: '10.1.1.11' })).toBe(false);
    expect(deps.has({ kind: 'port', portId: 'p1' })).toBe(true);
    expect(deps.has({ kind: 'route', routingDomainId: 'p1' })).toBe(false);
    const held = new FlowDeps([{ kind: 'record', vsid: 5001, ca: '10.1.1.11' }]);
    const rest = deps.without(held);
    expect(rest.size).toBe(1);
    expect(rest.has({ kind: 'port', portId: 'p1' })).toBe(true);
  });

  it("a change of a routing domain's subnets invalidates the flows its distributed router decided", () => {
    const doc = scenario('multi-tenant');
    const dc = new Datacenter(doc);
    const flow = { from: 'Contoso/Web', to: '10.1.9.5', protocol: 'udp' as const, dstPort: 53 };
    // No subnet holds 10.1.9.5: the router drops it, and the drop is cached.
    expect(dc.send(flow, 3)).toMatchObject({ slowPath: 1, fastPath: 2, dropped: 3 });
    const next = structuredClone(doc);
    next.virtualSubnets.push({
      id: 'contoso-subnet-9',
      name: 'Contoso Subnet 9',
      vmNetworkId: 'contoso-net',
      vsid: 5009,
      prefix: '10.1.9.0/24',
      encapsulation: 'vxlan',
    });
    const { updates, invalidatedFlows } = dc.update(next);
    expect(updates.some((u) => u.kind === 'customer-route' && u.op === 'add')).toBe(true);
    expect(invalidatedFlows).toBeGreaterThanOrEqual(1);
    // The next packet walks the layers again (and is now routed into the new subnet's VSID).
    expect(dc.send(flow, 1)).toMatchObject({ slowPath: 1, fastPath: 0 });
  });
});

describe('the numbers the hot path writes out', () => {
  // The forwarder's loop, the pieces' returns and executeEntry's switch use these as literal
  // numbers (V8 does not fold a module object's properties): renumbering them breaks the path.
  it('Decision and FlowOp keep their values', () => {
    expect(Decision).toEqual({
      Consumed: 0,
      Drop: 1,
      FromVm: 2,
      ToVm: 3,
      ToUplink: 4,
      OnLink: 5,
      ToRouter: 6,
      ToHost: 7,
      ToEdge: 8,
      ToSlb: 9,
    });
    expect(FlowOp).toEqual({ Drop: 1, Local: 2, Encap: 3, Decap: 4, Native: 5 });
  });
});
