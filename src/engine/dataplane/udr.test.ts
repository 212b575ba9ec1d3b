// PTF-style tests of user-defined routes, a virtual appliance and VNet peering (scenario
// udr-peering): a ping in at a VM's port, exactly these frames on the wire and into the
// appliance and the destination (bytes decoded by the codec), or this drop with this reason;
// the route decision is a typed event naming the winning route, its prefix length and origin.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { routerMac } from '../controller/addr.ts';
import { createEngine, type Trace, type TraceNode } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { validateDocument } from '../model/validate.ts';
import { decodeFrame, fieldsByKey } from '../wire/index.ts';
import type { TraceEvent } from './trace/events.ts';

const scenario = (): TopologyDocument =>
  structuredClone(scenarioById('udr-peering')?.document) as TopologyDocument;

function engineFor(doc: TopologyDocument) {
  const engine = createEngine();
  expect(engine.load(doc).errors).toEqual([]);
  return engine;
}

type Fields = Record<string, (string | number | boolean)[]>;
const fields = (frame: Uint8Array): Fields => fieldsByKey(decodeFrame(frame)) as Fields;
const framesAt = (t: Trace, where: string) =>
  t.frames.filter((f) => f.where.includes(where)).map((f) => f.frame);
const isArp = (frame: Uint8Array) => fields(frame)['arp.opcode'] !== undefined;
const linkFrames = (t: Trace) => framesAt(t, 'link ').filter((f) => !isArp(f));

function nodesOf(t: Trace, packet: number): TraceNode[] {
  const out: TraceNode[] = [];
  const walk = (n: TraceNode) => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  walk(t.packets[packet].root);
  return out;
}
/** The echo request's nodes (packets: ARP, request, ARP back, reply). */
const request = (t: Trace) =>
  nodesOf(
    t,
    t.packets.findIndex((p) => p.root.what?.type === 'packet' && p.root.what.protocol === 'icmp'),
  );
const decisions = (nodes: TraceNode[]) =>
  nodes.flatMap((n) =>
    n.what?.type === 'route-decision' ? [n.what as Extract<TraceEvent, { type: 'route-decision' }>] : [],
  );
const mac = (doc: TopologyDocument, vmId: string) => doc.vms.find((v) => v.id === vmId)?.nics[0].mac;

describe('udr-peering: Web -> App through the firewall', () => {
  const doc = scenario();
  const engine = engineFor(doc);
  const t = engine.trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });

  it('the user-defined /24 wins over the equal system /24, and the trace says why', () => {
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/App' });
    const [first, second] = decisions(request(t));
    expect(first).toMatchObject({
      vmNetwork: 'Spoke Net',
      vsid: 7101,
      dst: '10.1.2.10',
      winner: {
        prefix: '10.1.2.0/24',
        length: 24,
        origin: 'udr',
        nextHopType: 'VirtualAppliance',
        nextHop: '10.0.1.4',
        routeTable: 'Web routes',
        route: 'to App via FW',
      },
    });
    expect(first.matching.map((r) => r.origin)).toEqual(['udr', 'system']);
    expect(first.why).toContain('user-defined route wins');
    // At the firewall: Hub Net reaches App only through the peering.
    expect(second).toMatchObject({
      vmNetwork: 'Hub Net',
      vsid: 7001,
      winner: { origin: 'peering', length: 24, vsid: 7102, peering: 'Hub Net<->Spoke Net' },
    });
  });

  it('on the wire: VXLAN to the firewall with its VSID; the firewall routes it on; App gets it', () => {
    const [wire] = linkFrames(t);
    const w = fields(wire);
    expect(w['vxlan.vni']).toEqual([7001]); // the appliance's VSID, across the peering
    expect(w['ip.dst']).toEqual(['192.168.1.10', '10.1.2.10']); // outer: FW's host; inner: untouched
    expect(w['eth.dst'][1]).toBe(mac(doc, 'fw'));
    expect(w['eth.src'][1]).toBe(routerMac(7001));
    expect(w['ip.ttl'][1]).toBe(127);
    const [toFw] = framesAt(t, '-> Contoso/FW');
    expect(fields(toFw)['ip.dst']).toEqual(['10.1.2.10']);
    const [forwarded] = framesAt(t, 'Contoso/FW -> Host 1 vSwitch');
    const f = fields(forwarded);
    expect(f['eth.src']).toEqual([mac(doc, 'fw')]);
    expect(f['eth.dst']).toEqual([routerMac(7001)]); // its gateway: the distributed router
    expect(f['ip.ttl']).toEqual([126]);
    expect(f['ip.src']).toEqual(['10.1.1.10']); // IP forwarding: the port lets another source through
    const [atApp] = framesAt(t, '-> Contoso/App').filter((x) => !isArp(x));
    const a = fields(atApp);
    expect(a['eth.src']).toEqual([routerMac(7102)]);
    expect(a['eth.dst']).toEqual([mac(doc, 'app-vm')]);
    expect(a['ip.ttl']).toEqual([125]);
    expect(a['ip.checksum.status'] ?? ['good']).not.toContain('bad');
  });

  it('the appliance is a hop, not a destination; the reply takes the firewall too', () => {
    const req = request(t);
    expect(req.filter((n) => n.kind === 'deliver').map((n) => n.kind === 'deliver' && n.vm)).toEqual([
      'Contoso/App',
    ]);
    const reply = nodesOf(t, t.packets.length - 1);
    expect(t.packets.at(-1)?.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Web' });
    expect(decisions(reply)[0].winner).toMatchObject({ origin: 'udr', routeTable: 'App routes' });
    expect(reply.some((n) => n.what?.type === 'appliance-forward')).toBe(true);
  });

  it('the next packet of the flow takes the fast path at Web and at the firewall', () => {
    const again = engine.trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });
    expect(again.verdict.outcome).toBe('delivered');
    expect(again.packets.find((p) => p.label.startsWith('ICMP echo request'))?.path).toBe('fast');
  });
});

describe('udr-peering: route decisions and drops', () => {
  it('next hop None drops with the route named; nothing on the wire', () => {
    const t = engineFor(scenario()).trace({ from: 'Contoso/Web', to: 'Contoso/Jump', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({
      outcome: 'dropped',
      at: 'Host 2 / distributed router',
      reason: "route table 'Web routes' route 'no Mgmt' (10.0.2.0/24) next hop None: the packet is dropped",
    });
    expect(linkFrames(t)).toEqual([]);
  });

  it('longest prefix: a /16 user-defined route loses to the /24 system route, a /25 one wins', () => {
    const doc = scenario();
    const route = doc.routeTables?.[0].routes[0];
    if (!route) throw new Error('no route');
    route.addressPrefix = '10.1.0.0/16';
    let t = engineFor(doc).trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });
    let [d] = decisions(request(t));
    expect(d.winner).toMatchObject({ origin: 'system', length: 24, nextHopType: 'VnetLocal', vsid: 7102 });
    expect(d.why).toBe('longest prefix match: /24 beats /16 (2 routes hold the destination)');
    const viaFw = (nodes: TraceNode[]) => nodes.some((n) => n.what?.type === 'appliance-forward');
    expect(viaFw(request(t))).toBe(false); // straight to App (App's own table sends the reply via FW)
    route.addressPrefix = '10.1.2.0/25';
    t = engineFor(doc).trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });
    [d] = decisions(request(t));
    expect(d.winner).toMatchObject({ origin: 'udr', length: 25 });
    expect(viaFw(request(t))).toBe(true);
  });

  it('peering: App -> Jump crosses routing domains, the VSID rewritten to the destination', () => {
    const t = engineFor(scenario()).trace({ from: 'Contoso/App', to: 'Contoso/Jump', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/Jump' });
    const [d] = decisions(request(t));
    expect(d.winner).toMatchObject({ origin: 'peering', peering: 'Spoke Net<->Hub Net', vsid: 7002 });
    const [wire] = linkFrames(t);
    expect(fields(wire)['vxlan.vni']).toEqual([7002]);
    expect(fields(wire)['eth.src'][1]).toBe(routerMac(7002));
  });

  it('a one-way peering (Initiated) passes nothing, and the drop says so', () => {
    const doc = scenario();
    const hub = doc.vmNetworks.find((n) => n.id === 'hub-net');
    if (hub) delete hub.peerings;
    const t = engineFor(doc).trace({ from: 'Contoso/App', to: 'Contoso/Jump', protocol: 'icmp' });
    expect(t.verdict.outcome).toBe('dropped');
    expect(t.verdict.reason).toContain("no route to 10.0.2.10 in routing domain 'Spoke Net'");
    expect(t.verdict.reason).toContain("peering 'Spoke to Hub' to 'Hub Net' is Initiated");
    expect(linkFrames(t)).toEqual([]);
  });

  it("forwarded traffic enters a peer only if the peer allows it: the firewall's packet to App is dropped", () => {
    const doc = scenario();
    const spoke = doc.vmNetworks.find((n) => n.id === 'spoke-net');
    if (spoke?.peerings) spoke.peerings[0].allowForwardedTraffic = false;
    const t = engineFor(doc).trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 1 / distributed router' });
    expect(t.verdict.reason).toContain('does not allow forwarded traffic');
    expect(t.verdict.reason).toContain('peering Hub Net<->Spoke Net');
  });

  it('an appliance without IP forwarding drops what is not addressed to it', () => {
    const doc = scenario();
    const fw = doc.vms.find((v) => v.id === 'fw');
    if (fw) delete fw.nics[0].ipForwarding;
    const t = engineFor(doc).trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });
    expect(t.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 1 / Contoso/FW (guest)' });
    expect(t.verdict.reason).toContain('IP forwarding is off');
  });

  it('removing the route table reroutes the cached flow straight to App (flows invalidated)', () => {
    const doc = scenario();
    const engine = engineFor(doc);
    engine.trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });
    const next = structuredClone(doc);
    for (const s of next.virtualSubnets) delete s.routeTableId;
    const r = engine.update(next);
    expect(r.errors).toEqual([]);
    const t = engine.trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });
    expect(t.verdict.outcome).toBe('delivered');
    expect(framesAt(t, '-> Contoso/FW')).toEqual([]);
    expect(decisions(request(t))[0].winner).toMatchObject({ origin: 'system' });
  });
});

describe('udr-peering: validation', () => {
  const errorsOf = (doc: TopologyDocument) => {
    const r = validateDocument(doc);
    return r.ok ? [] : r.errors.map((e) => `${e.objectKind} ${e.objectName} ${e.field} ${e.rule}`);
  };

  it('the scenario is valid', () => expect(errorsOf(scenario())).toEqual([]));

  it('peered address spaces must not overlap', () => {
    const doc = scenario();
    const mgmt = doc.virtualSubnets.find((s) => s.id === 'mgmt');
    if (mgmt) mgmt.prefix = '10.1.2.0/24'; // App's prefix, in the peered Spoke Net
    const r = validateDocument(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => x.rule === 'peering-no-overlap');
    expect(e).toMatchObject({ objectKind: 'peering', field: 'peerings[0].remoteVmNetworkId' });
    expect(e?.message).toContain(
      "virtual subnet 'Mgmt' 10.1.2.0/24 of 'Hub Net' overlaps virtual subnet 'App'",
    );
  });

  it('route table rules: appliance IP required and reachable, known references, unique prefixes', () => {
    const doc = scenario();
    const [web] = doc.routeTables ?? [];
    delete web.routes[0].nextHopIpAddress;
    web.routes[1].nextHopIpAddress = '10.0.1.4';
    web.routes.push({
      id: 'far',
      name: 'far',
      addressPrefix: '10.9.0.0/16',
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.2.1.10', // Sales Net: not peered with Spoke Net
    });
    web.routes.push({ id: 'dup', name: 'dup', addressPrefix: '10.0.2.0/24', nextHopType: 'None' });
    const app = doc.virtualSubnets.find((s) => s.id === 'app');
    if (app) app.routeTableId = 'nope';
    const errors = errorsOf(doc);
    expect(errors).toEqual(
      expect.arrayContaining([
        'route Web routes/to App via FW routes[0].nextHopIpAddress next-hop-ip-required',
        'route Web routes/no Mgmt routes[1].nextHopIpAddress next-hop-ip-only-appliance',
        'route Web routes/far routes[2].nextHopIpAddress next-hop-in-network',
        'route Web routes/dup routes[3].addressPrefix unique-route-prefix',
        'virtual subnet App routeTableId known-reference',
      ]),
    );
  });

  it('a peering names a real, other VM network, once', () => {
    const doc = scenario();
    const hub = doc.vmNetworks.find((n) => n.id === 'hub-net');
    hub?.peerings?.push({ ...hub.peerings[0], id: 'again', name: 'again' });
    hub?.peerings?.push({ ...hub.peerings[0], id: 'self', name: 'self', remoteVmNetworkId: 'hub-net' });
    hub?.peerings?.push({ ...hub.peerings[0], id: 'ghost', name: 'ghost', remoteVmNetworkId: 'ghost' });
    expect(errorsOf(doc)).toEqual([
      'peering Hub Net/again peerings[1].remoteVmNetworkId unique-peering',
      'peering Hub Net/self peerings[2].remoteVmNetworkId peering-self',
      'peering Hub Net/ghost peerings[3].remoteVmNetworkId known-reference',
    ]);
  });
});

describe('udr-peering: host tables', () => {
  it("show each local subnet's effective routes: the UDR active, the system route it overrides invalid", () => {
    const engine = engineFor(scenario());
    const tables = engine.hostTables('host-2');
    const web = tables?.effectiveRoutes.find((s) => s.subnet === 'Web');
    expect(web?.vsid).toBe(7101);
    const rows = web?.routes.map((r) => `${r.prefix} ${r.origin} ${r.nextHopType} ${r.nextHop} ${r.state}`);
    expect(rows).toEqual(
      expect.arrayContaining([
        '10.1.2.0/24 udr VirtualAppliance 10.0.1.4 Active',
        '10.1.2.0/24 system VnetLocal VSID 7102 Invalid',
        '10.0.2.0/24 udr None  Active',
        '10.0.2.0/24 peering VnetLocal VSID 7002 Invalid',
        '10.0.1.0/24 peering VnetLocal VSID 7001 Active',
        '10.1.1.0/24 system VnetLocal VSID 7101 Active',
      ]),
    );
    // Best first: the UDR before the system route of the same prefix.
    expect(rows?.indexOf('10.1.2.0/24 udr VirtualAppliance 10.0.1.4 Active')).toBeLessThan(
      rows?.indexOf('10.1.2.0/24 system VnetLocal VSID 7102 Invalid') ?? -1,
    );
    // Southbound: the user-defined routes are the Logical_Router's static routes (prefix=next hop@VSID).
    const routers = tables?.southbound.tables.find((t) => t.name === 'Logical_Router')?.rows ?? [];
    const spoke = routers.find((r) => r.columns.description === 'Spoke Net');
    expect(spoke?.columns.static_routes).toBe(
      '10.1.2.0/24=10.0.1.4@7101, 10.0.2.0/24=None@7101, 10.1.1.0/24=10.0.1.4@7102',
    );
    // Sales Net's one-way peering installs nothing on its host.
    const crm = tables?.effectiveRoutes.find((s) => s.subnet === 'CRM');
    expect(crm?.routes.map((r) => r.prefix)).toEqual(['10.2.1.0/24']);
  });
});

describe('udr-peering: the console', () => {
  it('New-NetworkControllerVirtualNetworkPeering from Spoke back to Sales connects them: Web reaches CRM', () => {
    const engine = engineFor(scenario());
    const before = engine.trace({ from: 'Contoso/Web', to: 'Contoso/CRM', protocol: 'icmp' });
    expect(before.verdict.outcome).toBe('dropped');
    const props = JSON.stringify({
      remoteVirtualNetwork: { resourceRef: '/virtualNetworks/sales-net' },
      allowVirtualnetworkAccess: true,
      allowForwardedTraffic: false,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    });
    const r = engine.shell(
      `New-NetworkControllerVirtualNetworkPeering -ConnectionUri https://nc -VirtualNetworkId spoke-net -ResourceId spoke-to-sales -Properties '${props}'`,
      {},
    );
    expect(r.error).toBeUndefined();
    expect(r.output).toContain('"peeringState":"Connected"');
    const next = r.change?.document;
    if (!next) throw new Error('no change');
    expect(engine.update(next).errors).toEqual([]);
    const after = engine.trace({ from: 'Contoso/Web', to: 'Contoso/CRM', protocol: 'icmp' });
    expect(after.verdict).toMatchObject({ outcome: 'delivered', at: 'Contoso/CRM' });
    expect(decisions(request(after))[0].winner).toMatchObject({
      origin: 'peering',
      peering: 'Spoke Net<->Sales Net',
    });
  });
});
