// The packet's points on the canvas come from the engine's own trace (where each step
// happened) and the drawn boxes: a real ping, both views.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/index';
import { scenarios } from '../../scenarios/index';
import { flattenTrace, type TraceStep } from '../store/trace';
import { type LabNode, physicalGraph, virtualGraph } from './geometry';
import { type Box, pathBetween, physicalStops, placesOf, virtualStops } from './packetPath';

const doc = scenarios.find((s) => s.id === 'multi-tenant')!.document;

function boxes(nodes: LabNode[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const absolute = (n: LabNode): Box => {
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    const p = parent ? absolute(parent) : { x: 0, y: 0 };
    return { x: p.x + n.position.x, y: p.y + n.position.y, width: n.width ?? 0, height: n.height ?? 0 };
  };
  return (id: string) => {
    const n = byId.get(id);
    return n ? absolute(n) : undefined;
  };
}

function ping(): TraceStep[] {
  const engine = createEngine();
  expect(engine.load(doc).ok).toBe(true);
  return flattenTrace(engine.trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' }));
}

/** The virtual view's VM nodes by 'vm:subnet' (a VM in two subnets is drawn in each). */
function vmNodesOf(nodes: LabNode[]): Map<string, string> {
  const vmNodes = new Map<string, string>();
  for (const n of nodes)
    if (n.type === 'vm') {
      const [, vm, subnet] = n.id.split(':');
      if (!vmNodes.has(`${vm}:${subnet}`)) vmNodes.set(`${vm}:${subnet}`, n.id);
    }
  return vmNodes;
}

const inside = (p: { x: number; y: number }, b: Box | undefined) =>
  b !== undefined && p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;

describe('the packet on the physical view', () => {
  const steps = ping();
  const graph = physicalGraph(doc);
  const box = boxes(graph.nodes);
  const places = placesOf(steps);
  const stops = physicalStops(steps, places, box);
  const request = steps.find((s) => s.kind === 'packet' && /echo request/.test(s.packetLabel))!.packetIndex;
  const seq = steps.filter((s) => s.packetIndex === request);

  it('every step of the echo request has a point', () => {
    for (const s of seq) expect(stops[s.index], s.title).not.toBeNull();
  });

  it('goes Web -> Host 2 uplink -> PA Subnet 2 -> router -> PA Subnet 1 -> Host 1 -> SQL, in that order', () => {
    const visited: string[] = [];
    for (const s of seq) {
      const p = stops[s.index]!;
      const at = inside(p, box('vm:contoso-web'))
        ? 'web'
        : inside(p, box('vm:contoso-sql'))
          ? 'sql'
          : inside(p, box('router:l3-router'))
            ? 'router'
            : inside(p, box('lsubnet:pa-subnet-2'))
              ? 'bus2'
              : inside(p, box('lsubnet:pa-subnet-1'))
                ? 'bus1'
                : inside(p, box('host:host-2'))
                  ? 'host2'
                  : inside(p, box('host:host-1'))
                    ? 'host1'
                    : '?';
      if (visited.at(-1) !== at) visited.push(at);
    }
    expect(visited).toEqual(['web', 'host2', 'bus2', 'router', 'bus1', 'host1', 'sql']);
  });

  it('moves along the links: from uplink to uplink every move is straight up, down or along, never across a box', () => {
    const first = seq.findIndex((s) => places[s.index]?.kind === 'uplink');
    const last = seq.length - 1 - [...seq].reverse().findIndex((s) => places[s.index]?.kind === 'uplink');
    let moves = 0;
    for (let k = first + 1; k <= last; k++) {
      const a = stops[seq[k - 1].index]!;
      const b = stops[seq[k].index]!;
      if (a.x === b.x && a.y === b.y) continue;
      const path = pathBetween(a, b);
      for (let j = 1; j < path.length; j++) {
        const axis = path[j].x === path[j - 1].x || path[j].y === path[j - 1].y;
        expect(axis, `${seq[k].title}: segment ${j} of ${JSON.stringify(path)}`).toBe(true);
      }
      moves++;
    }
    expect(moves).toBe(4); // onto bus 2, up to the router, onto bus 1, off it into Host 1
  });

  it("on a bus it rests where the next box's link joins it (the router's link meets PA Subnet 2 at its handle)", () => {
    const onBus = seq.find((s) => places[s.index]?.kind === 'wire')!;
    const bus = box('lsubnet:pa-subnet-2')!;
    const router = box('router:l3-router')!;
    const stop = stops[onBus.index]!;
    expect(stop.y).toBe(bus.y + bus.height / 2);
    const routerOverBus = Math.abs(router.x + router.width / 2 - (bus.x + bus.width / 2)) < bus.width / 2 - 8;
    expect(stop.x).toBe(routerOverBus ? router.x + router.width / 2 : bus.x + bus.width / 2);
  });

  it('a PA ARP exchange does not move the packet', () => {
    const arp = seq.find((s) => s.aside)!;
    expect(stops[arp.index]).toEqual(stops[arp.index - 1]);
  });
});

describe('the packet on the virtual view', () => {
  const steps = ping();
  const graph = virtualGraph(doc);
  const box = boxes(graph.nodes);
  const vmNodes = vmNodesOf(graph.nodes);
  const stops = virtualStops(steps, placesOf(steps), box, doc, vmNodes);

  it('starts at Web, crosses between the VMs while in the provider network, ends at SQL', () => {
    const index = steps.find((s) => /echo request/.test(s.packetLabel))!.packetIndex;
    const request = steps.filter((s) => s.packetIndex === index);
    const web = box(vmNodes.get('contoso-web:contoso-subnet')!)!;
    const sql = box(vmNodes.get('contoso-sql:contoso-subnet')!)!;
    const first = stops[request[0].index]!;
    const last = stops[request.at(-1)!.index]!;
    expect(inside(first, web)).toBe(true);
    expect(inside(last, sql)).toBe(true);
    const wire = request.find((s) => s.where.logicalSubnetId && !s.where.hostId && !s.aside)!;
    const mid = stops[wire.index]!;
    expect(inside(mid, web) || inside(mid, sql)).toBe(false);
    // Out of the subnet's box: under it, between the two VMs.
    const subnet = box('vsubnet:contoso-subnet')!;
    expect(mid.y).toBeGreaterThan(subnet.y + subnet.height);
    expect(mid.x).toBeGreaterThanOrEqual(Math.min(web.x, sql.x));
    expect(mid.x).toBeLessThanOrEqual(Math.max(web.x, sql.x) + web.width);
  });
});

describe('pathBetween on the virtual view', () => {
  it('a VM onto the provider lane and along it follows the way, corners included', () => {
    const way = [
      { x: 0, y: 0 },
      { x: 0, y: 100 },
      { x: 200, y: 100 },
      { x: 200, y: 0 },
    ];
    const vm = { x: 0, y: 0 };
    const onLane = { x: 100, y: 100, way, t: 0.5 };
    expect(pathBetween(vm, onLane)).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 100 },
      { x: 100, y: 100 },
    ]);
    expect(pathBetween(onLane, { x: 200, y: 0 })).toEqual([
      { x: 100, y: 100 },
      { x: 200, y: 100 },
      { x: 200, y: 0 },
    ]);
  });
});

describe('a routed packet on the virtual view', () => {
  const rd = scenarios.find((s) => s.id === 'routing-domains')!.document;
  const engine = createEngine();
  engine.load(rd);
  const steps = flattenTrace(engine.trace({ from: 'dev-1-nic', to: 'test-nic', protocol: 'icmp' }));
  const graph = virtualGraph(rd);
  const box = boxes(graph.nodes);
  const vmNodes = vmNodesOf(graph.nodes);
  const stops = virtualStops(steps, placesOf(steps), box, rd, vmNodes);
  const networkOfSubnet = new Map(rd.virtualSubnets.map((s) => [s.id, s.vmNetworkId]));

  it('Dev1 (VSID 5001, Host 1) to Test (VSID 5003, Host 2) goes through the distributed router', () => {
    const index = steps.find((s) => /echo request/.test(s.packetLabel))!.packetIndex;
    const request = steps.filter((s) => s.packetIndex === index);
    const router = box('drouter:rnd-net')!;
    let viaRouter = false;
    for (let k = 1; k < request.length; k++) {
      const a = stops[request[k - 1].index];
      const b = stops[request[k].index];
      if (!a || !b) continue;
      const path = pathBetween(a, b, box, networkOfSubnet);
      if (path.some((p) => inside(p, router))) viaRouter = true;
    }
    expect(viaRouter).toBe(true);
    expect(inside(stops[request.at(-1)!.index]!, box(vmNodes.get('test:rnd-3')!))).toBe(true);
  });
});

describe('the packet at the SDN edge (physical view)', () => {
  const lb = scenarios.find((s) => s.id === 'load-balancer')!.document;
  const engine = createEngine();
  expect(engine.load(lb).ok).toBe(true);
  const steps = flattenTrace(
    engine.trace({
      from: 'Internet/Client',
      to: '203.0.113.10',
      protocol: 'tcp',
      srcPort: 50000,
      dstPort: 80,
    }),
  );
  const box = boxes(physicalGraph(lb).nodes);
  const stops = physicalStops(steps, placesOf(steps), box);

  it('rests in the MUX that picks the DIP, and starts at the client under the Internet link', () => {
    const pick = steps.findIndex((s) => s.node.what?.type === 'slb-mux');
    const what = steps[pick].node.what;
    const mux = lb.slbMuxes?.find((m) => what?.type === 'slb-mux' && m.name === what.mux);
    expect(mux).toBeDefined();
    expect(inside(stops[pick]!, box(`mux:${mux?.id}`))).toBe(true);
    const client = lb.externalEndpoints?.find((e) => e.name === 'Client');
    expect(inside(stops[0]!, box(`endpoint:${client?.id}`))).toBe(true);
  });
});

describe('the packet at the SDN edge (virtual view)', () => {
  function stopsOf(id: string, request: Parameters<ReturnType<typeof createEngine>['trace']>[0]) {
    const d = scenarios.find((s) => s.id === id)!.document;
    const engine = createEngine();
    expect(engine.load(d).ok).toBe(true);
    const steps = flattenTrace(engine.trace(request));
    const graph = virtualGraph(d);
    const box = boxes(graph.nodes);
    const vmNodes = vmNodesOf(graph.nodes);
    return { d, steps, box, stops: virtualStops(steps, placesOf(steps), box, d, vmNodes) };
  }

  it("the MUX's pick rests on the VIP's load balancer, which the virtual view draws", () => {
    const { d, steps, box, stops } = stopsOf('load-balancer', {
      from: 'Internet/Client',
      to: '203.0.113.10',
      protocol: 'tcp',
      srcPort: 50000,
      dstPort: 80,
    });
    const pick = steps.findIndex((s) => s.node.what?.type === 'slb-mux');
    expect(steps[pick].where.serviceId).toBe(d.loadBalancers?.[0].id);
    expect(inside(stops[pick]!, box(`vip:${d.loadBalancers?.[0].id}`))).toBe(true);
  });

  it("the gateway's route rests on the tenant's virtual gateway", () => {
    const { d, steps, box, stops } = stopsOf('hybrid-gateway', {
      from: 'Contoso/Web',
      to: '172.16.0.10',
      protocol: 'icmp',
    });
    const route = steps.findIndex((s) => s.node.what?.type === 'gateway-route');
    const vg = d.virtualGateways?.find((v) => v.id === steps[route].where.serviceId);
    expect(d.vmNetworks.find((n) => n.id === vg?.vmNetworkId)?.name).toMatch(/Contoso/);
    expect(inside(stops[route]!, box(`vgw:${vg?.id}`))).toBe(true);
  });
});
