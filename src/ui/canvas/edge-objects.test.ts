// The SDN edge on the canvas: gateway and MUX VMs on their hosts, sites and endpoints under
// their link (physical); virtual gateways under their VM network and VIPs wired to their DIPs
// (virtual). Nothing drawn overlaps another top-level object.
import { describe, expect, it } from 'vitest';
import { loadBalancer } from '../../scenarios/builders';
import { hybridGateway } from '../../scenarios/hybridGateway';
import { type Graph, physicalGraph, virtualGraph } from './geometry';

function topLevelOverlaps(graph: Graph): string[] {
  const top = graph.nodes.filter((n) => !n.parentId);
  const hits: string[] = [];
  for (const [i, a] of top.entries())
    for (const b of top.slice(i + 1))
      if (
        a.position.x < b.position.x + (b.width ?? 0) &&
        b.position.x < a.position.x + (a.width ?? 0) &&
        a.position.y < b.position.y + (b.height ?? 0) &&
        b.position.y < a.position.y + (a.height ?? 0)
      )
        hits.push(`${a.id} / ${b.id}`);
  return hits;
}

describe('edge objects on the canvas', () => {
  it('load balancer: MUXes on their hosts, the client above the Internet link, the VIP wired to every DIP', () => {
    const doc = loadBalancer();
    const physical = physicalGraph(doc);
    const mux = physical.nodes.find((n) => n.id === 'mux:mux-2');
    expect(mux?.parentId).toBe('host:host-2');
    expect(mux?.data).toMatchObject({ role: 'SLB MUX', ip: '192.168.2.50' });
    const client = physical.nodes.find((n) => n.id === 'endpoint:client');
    expect(client?.data).toMatchObject({ name: 'Internet/Client', ip: '198.51.100.10' });
    const bus = physical.nodes.find((n) => n.id === 'lsubnet:internet')!;
    // The outside on top: the client, then its link, then the router, then the PA subnets.
    const router = physical.nodes.find((n) => n.type === 'router')!;
    const paSubnet = physical.nodes.find((n) => n.id === 'lsubnet:pa-subnet-1')!;
    expect(client!.position.y + (client!.height ?? 0)).toBeLessThan(bus.position.y);
    expect(bus.position.y + (bus.height ?? 0)).toBeLessThan(router.position.y);
    expect(router.position.y + (router.height ?? 0)).toBeLessThan(paSubnet.position.y);
    // Each edge leaves and enters on the sides that face each other.
    expect(
      physical.edges.find((e) => e.source === 'lsubnet:internet' && e.target === 'endpoint:client'),
    ).toMatchObject({
      sourceHandle: 'top-out',
      targetHandle: 'bottom-in',
    });
    expect(
      physical.edges.find((e) => e.source === router.id && e.target === 'lsubnet:internet'),
    ).toMatchObject({
      sourceHandle: 'top',
      targetHandle: 'bottom-in',
    });
    expect(
      physical.edges.find((e) => e.source === router.id && e.target === 'lsubnet:pa-subnet-1'),
    ).toMatchObject({
      sourceHandle: 'down',
      targetHandle: 'up',
    });
    expect(topLevelOverlaps(physical)).toEqual([]);

    const failing = {
      ...doc,
      loadBalancers: [{ ...doc.loadBalancers![0], probeFailures: ['contoso-web2-nic0'] }],
    };
    const virtual = virtualGraph(failing);
    const vip = virtual.nodes.find((n) => n.id === 'vip:web-lb');
    expect(vip?.data).toMatchObject({ vip: '203.0.113.10', rules: 'TCP 80→80' });
    const dips = virtual.edges.filter((e) => e.source === 'vip:web-lb');
    expect(dips.map((e) => e.target)).toEqual([
      'vm:contoso-web1:web-tier:0',
      'vm:contoso-web2:web-tier:1',
      'vm:contoso-web3:web-tier:2',
    ]);
    expect(dips.find((e) => e.target.startsWith('vm:contoso-web2'))?.style?.stroke).toBe('#dc2626');
    // The DIPs sit in one row, so each edge reaches its VM from below.
    const tiles = virtual.nodes.filter((n) => n.type === 'vm');
    expect(new Set(tiles.map((n) => n.position.y)).size).toBe(1);
    expect(topLevelOverlaps(virtual)).toEqual([]);
  });

  it('hybrid gateway: GW1 on Host 3, its external NIC and the sites under their links, each virtual gateway under its VM network', () => {
    const doc = hybridGateway();
    const physical = physicalGraph(doc);
    expect(physical.nodes.find((n) => n.id === 'gateway:gw1')?.parentId).toBe('host:host-3');
    for (const id of ['site:contoso-hq', 'site:fabrikam-branch', 'site:internet'])
      expect(
        physical.edges.some((e) => e.source === 'lsubnet:wan' && e.target === id),
        id,
      ).toBe(true);
    expect(physical.edges.some((e) => e.source === 'lsubnet:front-end' && e.target === 'gwnic:gw1')).toBe(
      true,
    );
    expect(topLevelOverlaps(physical)).toEqual([]);

    const virtual = virtualGraph(doc);
    const contoso = virtual.nodes.find((n) => n.id === 'vgw:contoso-gw');
    expect(contoso?.data).toMatchObject({
      gatewayName: 'GW1',
      connections: [
        { id: 'contoso-hq-gre', text: 'GRE key 5001 → Contoso HQ' },
        { id: 'contoso-nat', text: 'NAT gateway IP :10000-19999' },
      ],
    });
    expect(virtual.edges.some((e) => e.source === 'vmnet:contoso-net' && e.target === 'vgw:contoso-gw')).toBe(
      true,
    );
    expect(topLevelOverlaps(virtual)).toEqual([]);
  });
});
