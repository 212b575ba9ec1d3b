// Each built-in scenario's brief and "things to try", written from its document: every VLAN,
// VSID, address, MTU and name in the text is read from the objects it describes, so the words
// cannot drift from the data (briefs.test.ts checks the numbers against the document too).
import type { Host, LogicalSubnet, TopologyDocument, VirtualSubnet, Vm } from '../engine/model/schema';
import { hybridGatewayBrief } from './hybridGatewayBrief';

export interface ScenarioBrief {
  /** What the scenario shows, in a paragraph. */
  description: string;
  /** Concrete things to do in the lab, in order, in the words of the controls on screen. */
  tryThis: string[];
}

/** Outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14 (RFC 7348). */
export const VXLAN_OVERHEAD = 50;

function byId<T extends { id: string }>(list: T[], id: string, kind: string): T {
  const found = list.find((o) => o.id === id);
  if (!found) throw new Error(`scenario brief: no ${kind} '${id}'`);
  return found;
}

const rack = (doc: TopologyDocument, id: string): LogicalSubnet =>
  byId(doc.logicalSubnets, id, 'logical subnet');
const host = (doc: TopologyDocument, id: string): Host => byId(doc.hosts, id, 'host');
const subnet = (doc: TopologyDocument, id: string): VirtualSubnet =>
  byId(doc.virtualSubnets, id, 'virtual subnet');
const vm = (doc: TopologyDocument, id: string): Vm => byId(doc.vms, id, 'VM');
const ca = (doc: TopologyDocument, id: string): string => vm(doc, id).nics[0].caIp;
const pa = (doc: TopologyDocument, id: string): string => host(doc, id).providerAddresses[0];
/** "Tenant/VM", as the trace panel's source and destination lists name a VM. */
function vmLabel(doc: TopologyDocument, id: string): string {
  const v = vm(doc, id);
  const s = subnet(doc, v.nics[0].virtualSubnetId);
  const net = doc.vmNetworks.find((n) => n.id === s.vmNetworkId);
  const tenant = doc.tenants.find((t) => t.id === net?.tenantId);
  return `${tenant?.name ?? '?'}/${v.name}`;
}
const hostOf = (doc: TopologyDocument, vmId: string): Host => host(doc, vm(doc, vmId).hostId);
const list = (items: (string | number)[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

const multiTenant = (doc: TopologyDocument): ScenarioBrief => {
  const [c, f] = [subnet(doc, 'contoso-subnet'), subnet(doc, 'fabrikam-subnet')];
  const [h1, h2] = [host(doc, 'host-1'), host(doc, 'host-2')];
  return {
    description: `Two tenants with the same CAs (${ca(doc, 'contoso-sql')} SQL, ${ca(doc, 'contoso-web')} Web) in VSIDs ${c.vsid} and ${f.vsid}. Both SQL VMs on ${h1.name} (PA ${pa(doc, h1.id)}), both Web VMs on ${h2.name} (PA ${pa(doc, h2.id)}); an L3 router joins the two PA subnets.`,
    tryThis: [
      `In the trace panel pick ${vmLabel(doc, 'contoso-web')} → ${vmLabel(doc, 'contoso-sql')}, ping, Run. Select the “encapsulate in VXLAN” step: the outer IPv4 goes ${pa(doc, h2.id)} → ${pa(doc, h1.id)}, VNI ${c.vsid}.`,
      `Ping ${vmLabel(doc, 'fabrikam-web')} → ${vmLabel(doc, 'fabrikam-sql')}: the same CAs and PAs, only the VNI differs (${f.vsid}). That number alone keeps the tenants apart.`,
      `Select Contoso Subnet in the Virtual view and set its Encapsulation to NVGRE, then Run again: the VSID moves into the GRE key.`,
    ],
  };
};

const routingDomains = (doc: TopologyDocument): ScenarioBrief => {
  const rnd = doc.virtualSubnets.filter((s) => s.vmNetworkId === 'rnd-net').map((s) => s.vsid);
  const sales = subnet(doc, 'sales-1');
  return {
    description: `Contoso's R&D Net (VSIDs ${list(rnd)}) routes between its subnets through the distributed router, on one host or across hosts; Sales Net (VSID ${sales.vsid}) is another routing domain that R&D never reaches without a gateway.`,
    tryThis: [
      `Ping ${vmLabel(doc, 'dev-1')} → ${vmLabel(doc, 'build')} (both on ${hostOf(doc, 'dev-1').name}): the distributed router routes it without leaving the host, from VSID ${subnet(doc, 'rnd-1').vsid} to ${subnet(doc, 'rnd-2').vsid}.`,
      `Ping ${vmLabel(doc, 'dev-1')} → ${vmLabel(doc, 'test')} (on ${hostOf(doc, 'test').name}): routed on the source host, then carried in VXLAN with the destination's VSID ${subnet(doc, 'rnd-3').vsid}.`,
      `Ping ${vmLabel(doc, 'dev-1')} → ${vmLabel(doc, 'crm')} (${ca(doc, 'crm')}, Sales Net): dropped at the distributed router, because another routing domain is reachable only through a gateway.`,
    ],
  };
};

const vlanVsOverlay = (doc: TopologyDocument): ScenarioBrief => {
  const [r1, r2] = [rack(doc, 'rack-1'), rack(doc, 'rack-2')];
  const [cv, fv] = [subnet(doc, 'contoso-vlan-101'), subnet(doc, 'fabrikam-vlan-102')];
  const [c, f] = [subnet(doc, 'contoso-subnet'), subnet(doc, 'fabrikam-subnet')];
  const h3 = host(doc, 'host-3');
  return {
    description: `The same two tenants on one L2 fabric, two ways. With 802.1Q VLANs (${r1.name}'s ToR trunks VLAN ${cv.vlanId} for Contoso and ${fv.vlanId} for Fabrikam) each tenant network is one tagged VLAN and one IP subnet: the 12-bit tag allows at most 4094 of them, Fabrikam's VLAN network must use another prefix (${fv.prefix}), and a VM that moves to a port on another VLAN must change its IP. With the overlay both tenants keep ${c.prefix} (VSIDs ${c.vsid} and ${f.vsid}; a VSID has 24 bits, about 16.7 million), and the fabric only carries the hosts' PA VLANs: ${r1.name} is VLAN ${r1.vlanId}, ${r2.name} VLAN ${r2.vlanId}.`,
    tryThis: [
      `Ping ${vmLabel(doc, 'contoso-vlan-web')} → ${vmLabel(doc, 'contoso-vlan-sql')}: on the wire the frame carries an 802.1Q tag with VLAN ${cv.vlanId} and no outer IP.`,
      `Drag ${vmLabel(doc, 'contoso-vlan-sql')} onto ${h3.name} (${r2.name}, which does not trunk VLAN ${cv.vlanId}) and ping it again: dropped, it would need a new IP.`,
      `Drag ${vmLabel(doc, 'contoso-sql')} onto ${h3.name} and ping it from ${vmLabel(doc, 'contoso-web')}: it keeps ${ca(doc, 'contoso-sql')} and crosses the L3 router inside VXLAN (VNI ${c.vsid}).`,
    ],
  };
};

const liveMigration = (doc: TopologyDocument): ScenarioBrief => {
  const [h1, h2, h3] = [host(doc, 'host-1'), host(doc, 'host-2'), host(doc, 'host-3')];
  const [p1, p2] = [rack(doc, h1.logicalSubnetId), rack(doc, h3.logicalSubnetId)];
  return {
    description: `Contoso SQL (${ca(doc, 'contoso-sql')}) runs on ${h1.name} and Web (${ca(doc, 'contoso-web')}) on ${h2.name}, both on ${p1.name}. ${h3.name} is on ${p2.name}, behind the L3 router, and already runs Fabrikam SQL with the same CA. Migrate Contoso SQL to ${h3.name}: it keeps its CA, the controller updates the CA-PA mapping on every host that talks to it, and Web's next ping goes to a PA of ${h3.name} through the router.`,
    tryThis: [
      `Ping ${vmLabel(doc, 'contoso-web')} → ${vmLabel(doc, 'contoso-sql')}: the outer destination is ${pa(doc, h1.id)} (PA of ${h1.name}).`,
      `Select Contoso's SQL and pick ${h3.name} in its Host dropdown (or drag it onto ${h3.name}): that is the live migration. The Controller updates card lists the new lookup records.`,
      `Press Run again: the same ping now goes to ${pa(doc, h3.id)} (PA of ${h3.name}) through the router, and SQL still answers as ${ca(doc, 'contoso-sql')}.`,
    ],
  };
};

const hnvV1VsV2 = (doc: TopologyDocument): ScenarioBrief => {
  const [h1, h2] = [host(doc, 'host-1'), host(doc, 'host-2')];
  const vsidsOn = (h: Host) =>
    [
      ...new Set(
        doc.vms
          .filter((v) => v.hostId === h.id)
          .map((v) => subnet(doc, v.nics[0].virtualSubnetId).vsid)
          .sort((a, b) => a - b),
      ),
    ] as number[];
  const counts = ['no', 'one', 'two', 'three', 'four', 'five'];
  const n = (k: number) => counts[k] ?? String(k);
  return {
    description: `HNVv1 (Windows Server 2012 R2): NVGRE, and one PA per VSID per host. ${h1.name} runs VMs in VSIDs ${list(vsidsOn(h1))} and so needs ${n(h1.providerAddresses.length)} PAs; ${h2.name} runs ${n(vsidsOn(h2).length)} VSIDs and has ${n(h2.providerAddresses.length)}. In HNVv2 the same VMs use VXLAN (UDP 4789) and exactly two PAs per host, one per SET team member, however many virtual subnets the host serves.`,
    tryThis: [
      `Ping ${vmLabel(doc, 'contoso-web')} → ${vmLabel(doc, 'contoso-app')}: NVGRE (IP protocol 47), the GRE key carries VSID ${subnet(doc, 'contoso-front').vsid}, and the outer source is the PA ${h1.name} keeps for that VSID.`,
      `Select ${h1.name} and look at its ${n(h1.providerAddresses.length)} PAs, one per VSID it serves.`,
      `Set the HNV mode to v2 (click the empty canvas, then Document): the problems list says ${h1.name} has ${n(h1.providerAddresses.length)} PAs for two team members. HNVv2 wants one PA per team member.`,
    ],
  };
};

const mtuTrouble = (doc: TopologyDocument): ScenarioBrief => {
  const [h1, h2] = [host(doc, 'host-1'), host(doc, 'host-2')];
  const [p1, p2] = [rack(doc, h1.logicalSubnetId), rack(doc, h2.logicalSubnetId)];
  const mtu = Math.min(p1.mtu, p2.mtu);
  const fits = mtu - VXLAN_OVERHEAD;
  const size = 1500;
  return {
    description: `The PA subnets were left at MTU ${mtu}. VXLAN adds ${VXLAN_OVERHEAD} bytes (outer IPv4 20, UDP 8, VXLAN 8, plus the inner Ethernet header 14), so an inner IP packet above ${fits} bytes no longer fits: a full-size ${size}-byte packet from Web to SQL is dropped at ${h2.name}'s uplink while small pings pass. The fix is jumbo frames on the PA network (Hyper-V reserves 160 bytes of overhead; jumbo frames of 9014 bytes, an IP MTU of 9000, are typical) or a smaller MTU inside the VMs.`,
    tryThis: [
      `Ping ${vmLabel(doc, 'contoso-web')} → ${vmLabel(doc, 'contoso-sql')} as it is (size auto): delivered, the packet is small.`,
      `Type ${size} in the trace panel's size field and Run: dropped at ${h2.name}, because ${size} + ${VXLAN_OVERHEAD} is more than the MTU ${mtu} of ${p2.name}. Any size up to ${fits} still passes.`,
      `Select ${p2.name} and ${p1.name} on the Physical view and set each IP MTU to 9000 (at least ${size + VXLAN_OVERHEAD}; the echo reply crosses ${p1.name}), then Run again: delivered.`,
    ],
  };
};

const udrPeering = (doc: TopologyDocument): ScenarioBrief => {
  const [dmz, web, app, mgmt] = [
    subnet(doc, 'dmz'),
    subnet(doc, 'web'),
    subnet(doc, 'app'),
    subnet(doc, 'mgmt'),
  ];
  const table = (id: string) => (doc.routeTables ?? []).find((t) => t.id === id);
  const toApp = table('web-routes')?.routes.find((r) => r.id === 'web-to-app');
  const noMgmt = table('web-routes')?.routes.find((r) => r.id === 'web-no-mgmt');
  return {
    description: `Hub and spoke. Hub Net holds the firewall ${vmLabel(doc, 'fw')} (${ca(doc, 'fw')}, IP forwarding on) in DMZ (VSID ${dmz.vsid}) and a jump box in Mgmt (VSID ${mgmt.vsid}); Spoke Net holds Web (VSID ${web.vsid}) and App (VSID ${app.vsid}). Hub and Spoke peer both ways, so the distributed router routes between their routing domains; Sales Net peers to Spoke one way only (Initiated), so nothing passes. The route tables of Web and App send traffic between them through the firewall: a user-defined ${toApp?.addressPrefix} route beats the equal system route.`,
    tryThis: [
      `Ping ${vmLabel(doc, 'web-vm')} → ${vmLabel(doc, 'app-vm')}: the route step says route table 'Web routes' route '${toApp?.name}' won over the system route, the packet goes to ${vmLabel(doc, 'fw')} across the peering, the firewall routes it back out, and it reaches App (the reply takes the firewall too).`,
      `Ping ${vmLabel(doc, 'web-vm')} → ${vmLabel(doc, 'jump')} (${ca(doc, 'jump')}): dropped, route '${noMgmt?.name}' has next hop None.`,
      `Ping ${vmLabel(doc, 'app-vm')} → ${vmLabel(doc, 'jump')}: routed across the peering Spoke Net<->Hub Net, VSID ${app.vsid} → ${mgmt.vsid}.`,
      `Ping ${vmLabel(doc, 'web-vm')} → ${vmLabel(doc, 'crm-vm')} (${ca(doc, 'crm-vm')}): dropped, Sales Net's peering is only Initiated. Add the peering back on Spoke Net and Run again.`,
    ],
  };
};

const loadBalancer = (doc: TopologyDocument): ScenarioBrief => {
  const lb = doc.loadBalancers?.[0];
  const muxes = doc.slbMuxes ?? [];
  const client = doc.externalEndpoints?.[0];
  const link = doc.logicalSubnets.find((l) => l.id === client?.logicalSubnetId);
  const clientLabel = client && link ? `${link.name}/${client.name}` : 'the client';
  const vip = lb?.frontendIp ?? '?';
  const dips = (lb?.backendVnicIds ?? []).map((id) => {
    const vm = doc.vms.find((v) => v.nics.some((n) => n.id === id));
    const host = doc.hosts.find((h) => h.id === vm?.hostId);
    return `${vm?.name ?? id} on ${host?.name ?? '?'}`;
  });
  return {
    description: `Load balancer '${lb?.name ?? '?'}' puts VIP ${vip} in front of ${dips.length} DIPs (${dips.join(', ')}). ${muxes.map((m) => m.name).join(' and ')} announce ${vip} to the L3 router over BGP (a host route); the router spreads flows over them (ECMP). A MUX hashes each new flow's 5-tuple (Toeplitz, the RSS hash) to pick a healthy DIP, remembers the choice, and tunnels the packet in VXLAN to the DIP's host, whose SLB host agent translates VIP to DIP. The reply takes the short way: the host translates DIP back to VIP and sends it straight to the router (direct server return), never through a MUX.`,
    tryThis: [
      `From the CLI: hnv trace --scenario load-balancer --from ${clientLabel} --to ${vip} --proto tcp --dport 80. Note which DIP the hash picked and that the SYN-ACK leaves from that DIP's host.`,
      'Change --sport: another flow, maybe another DIP (and another MUX).',
      `Mark the chosen DIP's probe as failing (probeFailures of '${lb?.name ?? '?'}'): the same flow stays on its DIP (flow affinity), a new source port goes to a healthy one.`,
      ...(lb?.outboundNatRules[0] && client
        ? [
            `Outbound NAT: trace TCP port 443 from a web VM to ${client.ip}. Its host rewrites the source to ${vip} and a port of that DIP's slice of ${lb.outboundNatRules[0].portRangeStart}-${lb.outboundNatRules[0].portRangeEnd}; the answer comes back through a MUX, which finds the DIP by the port.`,
          ]
        : []),
    ],
  };
};

/** Scenario id → its brief, derived from the document. */
export const scenarioBriefs: Record<string, (doc: TopologyDocument) => ScenarioBrief> = {
  'multi-tenant': multiTenant,
  'routing-domains': routingDomains,
  'vlan-vs-overlay': vlanVsOverlay,
  'live-migration': liveMigration,
  'hnv-v1-vs-v2': hnvV1VsV2,
  'mtu-trouble': mtuTrouble,
  'udr-peering': udrPeering,
  'hybrid-gateway': hybridGatewayBrief,
  'load-balancer': loadBalancer,
};
