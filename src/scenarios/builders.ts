// The built-in scenarios c–f, described with the DatacenterBuilder. Their JSON files are
// generated from here (`npx tsx src/scenarios/write-scenarios.ts`) and a test checks that
// the committed JSON still matches, so the two never drift apart.
import { DatacenterBuilder } from '../engine/model/builder';
import { autoLayout } from '../engine/model/layout';
import type { TopologyDocument } from '../engine/model/schema';
import { hybridGateway } from './hybridGateway';

/** Contoso and Fabrikam with the docs' CAs (SQL .11, Web .12) in VSIDs 5001 and 6001. */
function twoTenants(b: DatacenterBuilder): { contosoSubnet: string; fabrikamSubnet: string } {
  const contoso = b.tenant('Contoso', 'contoso');
  const fabrikam = b.tenant('Fabrikam', 'fabrikam');
  const contosoNet = b.vmNetwork({ tenantId: contoso, name: 'Contoso Net', id: 'contoso-net' });
  const fabrikamNet = b.vmNetwork({ tenantId: fabrikam, name: 'Fabrikam Net', id: 'fabrikam-net' });
  const contosoSubnet = b.virtualSubnet({
    vmNetworkId: contosoNet,
    name: 'Contoso Subnet',
    prefix: '10.1.1.0/24',
    vsid: 5001,
    id: 'contoso-subnet',
  });
  const fabrikamSubnet = b.virtualSubnet({
    vmNetworkId: fabrikamNet,
    name: 'Fabrikam Subnet',
    prefix: '10.1.1.0/24',
    vsid: 6001,
    id: 'fabrikam-subnet',
  });
  return { contosoSubnet, fabrikamSubnet };
}

/** PA subnets 192.168.1.0/24 (VLAN 10) and 192.168.2.0/24 (VLAN 20), joined by one L3 router; MTU defaults to the builder's. */
function twoPaSubnetsAndRouter(b: DatacenterBuilder, mtu?: number): { pa1: string; pa2: string } {
  const pa1 = b.logicalSubnet({
    name: 'PA Subnet 1',
    prefix: '192.168.1.0/24',
    vlanId: 10,
    ...(mtu ? { mtu } : {}),
    id: 'pa-subnet-1',
  });
  const pa2 = b.logicalSubnet({
    name: 'PA Subnet 2',
    prefix: '192.168.2.0/24',
    vlanId: 20,
    ...(mtu ? { mtu } : {}),
    id: 'pa-subnet-2',
  });
  b.router({ name: 'L3 Router', id: 'l3-router' });
  return { pa1, pa2 };
}

/**
 * c. VLAN vs overlay, side by side on one fabric. Rack 1's ToR trunks tenant VLANs 101 and
 * 102 down to Host 1 and Host 2; Rack 2 (Host 3, behind the L3 router) trunks none.
 * - The VLAN way: Contoso's "VLAN" VMs sit in VLAN 101 (10.1.1.0/24), Fabrikam's in VLAN
 *   102 (10.2.1.0/24: one VLAN is one IP subnet). The vSwitch port tags their frames and
 *   the fabric bridges them; only the tag keeps the tenants apart, and a VM moved to Host 3
 *   is cut off (VLAN 101 does not reach Rack 2).
 * - The overlay way: the same two tenants keep 10.1.1.0/24 each, in VSIDs 5001 and 6001;
 *   the fabric only sees PA traffic, and a VM moved to Host 3 keeps working (new PA).
 */
export function vlanVsOverlay(): TopologyDocument {
  const b = new DatacenterBuilder('VLAN vs overlay', 'v2');
  b.logicalNetwork('HNV Provider', 'hnv-pa');
  const rack1 = b.logicalSubnet({
    name: 'Rack 1',
    prefix: '192.168.1.0/24',
    vlanId: 10,
    trunkedVlans: [101, 102],
    id: 'rack-1',
  });
  const rack2 = b.logicalSubnet({
    name: 'Rack 2',
    prefix: '192.168.2.0/24',
    vlanId: 20,
    id: 'rack-2',
  });
  b.router({ name: 'L3 Router', id: 'l3-router' });
  const host1 = b.host({
    name: 'Host 1',
    logicalSubnetId: rack1,
    providerAddresses: ['192.168.1.10', '192.168.1.11'],
    id: 'host-1',
  });
  const host2 = b.host({
    name: 'Host 2',
    logicalSubnetId: rack1,
    providerAddresses: ['192.168.1.20', '192.168.1.21'],
    id: 'host-2',
  });
  b.host({
    name: 'Host 3',
    logicalSubnetId: rack2,
    providerAddresses: ['192.168.2.30', '192.168.2.31'],
    id: 'host-3',
  });
  const { contosoSubnet, fabrikamSubnet } = twoTenants(b);
  const contosoVlanNet = b.vmNetwork({
    tenantId: 'contoso',
    name: 'Contoso VLAN Net',
    id: 'contoso-vlan-net',
  });
  const fabrikamVlanNet = b.vmNetwork({
    tenantId: 'fabrikam',
    name: 'Fabrikam VLAN Net',
    id: 'fabrikam-vlan-net',
  });
  const contosoVlan = b.virtualSubnet({
    vmNetworkId: contosoVlanNet,
    name: 'Contoso VLAN 101',
    prefix: '10.1.1.0/24',
    vsid: 5101,
    vlanId: 101,
    id: 'contoso-vlan-101',
  });
  const fabrikamVlan = b.virtualSubnet({
    vmNetworkId: fabrikamVlanNet,
    name: 'Fabrikam VLAN 102',
    prefix: '10.2.1.0/24',
    vsid: 6101,
    vlanId: 102,
    id: 'fabrikam-vlan-102',
  });
  b.vm('SQL', { hostId: host1, virtualSubnetId: contosoSubnet, caIp: '10.1.1.11' });
  b.vm('Web', { hostId: host2, virtualSubnetId: contosoSubnet, caIp: '10.1.1.12' });
  b.vm('SQL', { hostId: host1, virtualSubnetId: fabrikamSubnet, caIp: '10.1.1.11' });
  b.vm('Web', { hostId: host2, virtualSubnetId: fabrikamSubnet, caIp: '10.1.1.12' });
  b.vm('VLAN SQL', { hostId: host1, virtualSubnetId: contosoVlan, caIp: '10.1.1.11' });
  b.vm('VLAN Web', { hostId: host2, virtualSubnetId: contosoVlan, caIp: '10.1.1.12' });
  b.vm('VLAN SQL', { hostId: host1, virtualSubnetId: fabrikamVlan, caIp: '10.2.1.11' });
  b.vm('VLAN Web', { hostId: host2, virtualSubnetId: fabrikamVlan, caIp: '10.2.1.12' });
  return b.build();
}

/**
 * d. Cross-subnet live migration. Contoso SQL runs on Host 1 and Web on Host 2, both on
 * PA subnet 1; Host 3 sits on PA subnet 2 behind the L3 router and already runs
 * Fabrikam's SQL with the very same CA. Moving Contoso SQL to Host 3 keeps its CA; only
 * the CA→PA mapping changes, and Web's traffic to it now crosses the router.
 */
export function liveMigration(): TopologyDocument {
  const b = new DatacenterBuilder('Live migration across PA subnets', 'v2');
  const { pa1, pa2 } = twoPaSubnetsAndRouter(b);
  const host1 = b.host({
    name: 'Host 1',
    logicalSubnetId: pa1,
    providerAddresses: ['192.168.1.10', '192.168.1.11'],
    id: 'host-1',
  });
  const host2 = b.host({
    name: 'Host 2',
    logicalSubnetId: pa1,
    providerAddresses: ['192.168.1.20', '192.168.1.21'],
    id: 'host-2',
  });
  const host3 = b.host({
    name: 'Host 3',
    logicalSubnetId: pa2,
    providerAddresses: ['192.168.2.30', '192.168.2.31'],
    id: 'host-3',
  });
  const { contosoSubnet, fabrikamSubnet } = twoTenants(b);
  b.vm('SQL', { hostId: host1, virtualSubnetId: contosoSubnet, caIp: '10.1.1.11' });
  b.vm('Web', { hostId: host2, virtualSubnetId: contosoSubnet, caIp: '10.1.1.12' });
  b.vm('SQL', { hostId: host3, virtualSubnetId: fabrikamSubnet, caIp: '10.1.1.11' });
  return b.build();
}

/**
 * e. HNVv1 (Windows Server 2012 R2): NVGRE, and one PA per VSID per host. Contoso has two
 * subnets (5001, 5002), Fabrikam one (6001). Host 1 runs VMs of all three VSIDs, so it
 * needs three PAs; Host 2 runs two VSIDs and has two. In HNVv2 the same VMs would use
 * VXLAN and exactly two PAs per host, one per SET team member, however many VSIDs.
 */
export function hnvV1VsV2(): TopologyDocument {
  const b = new DatacenterBuilder('HNVv1: NVGRE, a PA per VSID per host', 'v1');
  const { pa1, pa2 } = twoPaSubnetsAndRouter(b);
  const host1 = b.host({ name: 'Host 1', logicalSubnetId: pa1, id: 'host-1' });
  const host2 = b.host({ name: 'Host 2', logicalSubnetId: pa2, id: 'host-2' });
  const contoso = b.tenant('Contoso', 'contoso');
  const fabrikam = b.tenant('Fabrikam', 'fabrikam');
  const contosoNet = b.vmNetwork({ tenantId: contoso, name: 'Contoso Net', id: 'contoso-net' });
  const fabrikamNet = b.vmNetwork({ tenantId: fabrikam, name: 'Fabrikam Net', id: 'fabrikam-net' });
  const front = b.virtualSubnet({
    vmNetworkId: contosoNet,
    name: 'Contoso Front',
    prefix: '10.1.1.0/24',
    vsid: 5001,
    id: 'contoso-front',
  });
  const back = b.virtualSubnet({
    vmNetworkId: contosoNet,
    name: 'Contoso Back',
    prefix: '10.1.2.0/24',
    vsid: 5002,
    id: 'contoso-back',
  });
  const fabrikamSubnet = b.virtualSubnet({
    vmNetworkId: fabrikamNet,
    name: 'Fabrikam Subnet',
    prefix: '10.1.1.0/24',
    vsid: 6001,
    id: 'fabrikam-subnet',
  });
  b.vm('Web', { hostId: host1, virtualSubnetId: front, caIp: '10.1.1.12' });
  b.vm('SQL', { hostId: host1, virtualSubnetId: back, caIp: '10.1.2.11' });
  b.vm('SQL', { hostId: host1, virtualSubnetId: fabrikamSubnet, caIp: '10.1.1.11' });
  b.vm('App', { hostId: host2, virtualSubnetId: front, caIp: '10.1.1.13' });
  b.vm('Web', { hostId: host2, virtualSubnetId: fabrikamSubnet, caIp: '10.1.1.12' });
  return b.build();
}

/**
 * f. MTU trouble. The PA subnets were left at MTU 1500 (no jumbo frames). VXLAN adds 50
 * bytes (outer IPv4 20 + UDP 8 + VXLAN 8 + the inner Ethernet header 14), so an inner IP
 * packet above 1450 bytes no longer fits: a full-size 1500-byte packet from Web to SQL is
 * dropped on the way out of Host 2. Small pings still work.
 */
export function mtuTrouble(): TopologyDocument {
  const b = new DatacenterBuilder('MTU trouble: no jumbo frames', 'v2');
  const { pa1, pa2 } = twoPaSubnetsAndRouter(b, 1500);
  const host1 = b.host({
    name: 'Host 1',
    logicalSubnetId: pa1,
    providerAddresses: ['192.168.1.10', '192.168.1.11'],
    id: 'host-1',
  });
  const host2 = b.host({
    name: 'Host 2',
    logicalSubnetId: pa2,
    providerAddresses: ['192.168.2.20', '192.168.2.21'],
    id: 'host-2',
  });
  const contoso = b.tenant('Contoso', 'contoso');
  const net = b.vmNetwork({ tenantId: contoso, name: 'Contoso Net', id: 'contoso-net' });
  const subnet = b.virtualSubnet({
    vmNetworkId: net,
    name: 'Contoso Subnet',
    prefix: '10.1.1.0/24',
    vsid: 5001,
    id: 'contoso-subnet',
  });
  b.vm('SQL', { hostId: host1, virtualSubnetId: subnet, caIp: '10.1.1.11' });
  b.vm('Web', { hostId: host2, virtualSubnetId: subnet, caIp: '10.1.1.12' });
  return b.build();
}

/**
 * g. Software load balancer. Contoso's web tier (Web1 on Host 1, Web2 on Host 2, Web3 on Host 3)
 * sits behind VIP 203.0.113.10:80. Two SLB MUX VMs (on Host 1 and Host 2) announce the VIP to
 * the L3 router over BGP; a client on the Internet link (198.51.100.0/24, behind the router)
 * connects to it. The MUX picks a DIP by hashing the flow and tunnels it in VXLAN to the DIP's
 * host; the reply goes straight from that host to the client (direct server return).
 */
export function loadBalancer(): TopologyDocument {
  const b = new DatacenterBuilder('Software load balancer: a web tier behind a VIP', 'v2');
  const { pa1, pa2 } = twoPaSubnetsAndRouter(b);
  const internetNet = b.logicalNetwork('Internet', 'internet');
  const internet = b.logicalSubnet({
    name: 'Internet',
    prefix: '198.51.100.0/24',
    logicalNetworkId: internetNet,
    mtu: 1500,
    id: 'internet',
  });
  const host1 = b.host({
    name: 'Host 1',
    logicalSubnetId: pa1,
    providerAddresses: ['192.168.1.10', '192.168.1.11'],
    id: 'host-1',
  });
  const host2 = b.host({
    name: 'Host 2',
    logicalSubnetId: pa2,
    providerAddresses: ['192.168.2.20', '192.168.2.21'],
    id: 'host-2',
  });
  const host3 = b.host({
    name: 'Host 3',
    logicalSubnetId: pa2,
    providerAddresses: ['192.168.2.30', '192.168.2.31'],
    id: 'host-3',
  });
  const contoso = b.tenant('Contoso', 'contoso');
  const net = b.vmNetwork({ tenantId: contoso, name: 'Contoso Net', id: 'contoso-net' });
  const subnet = b.virtualSubnet({
    vmNetworkId: net,
    name: 'Web Tier',
    prefix: '10.1.1.0/24',
    vsid: 5001,
    id: 'web-tier',
  });
  const nics = [host1, host2, host3].map((hostId, i) => {
    const vm = b.vm(`Web${i + 1}`, {
      hostId,
      virtualSubnetId: subnet,
      caIp: `10.1.1.${11 + i}`,
      mac: `00:15:5d:50:01:${(0x11 + i).toString(16)}`,
      name: 'Ethernet',
    });
    return `${vm}-nic0`;
  });
  const doc = b.build();
  // The router joins the PA subnets and the Internet link (the builder made it before the link).
  doc.routers[0].interfaces.push({ logicalSubnetId: internet, ip: '198.51.100.1', mac: '00:1b:54:00:00:03' });
  doc.slbMuxes = [
    {
      id: 'mux-1',
      name: 'SLB MUX 1',
      hostId: host1,
      ip: '192.168.1.50',
      mac: '00:15:5d:00:0a:01',
      asn: 65010,
    },
    {
      id: 'mux-2',
      name: 'SLB MUX 2',
      hostId: host2,
      ip: '192.168.2.50',
      mac: '00:15:5d:00:0a:02',
      asn: 65010,
    },
  ];
  doc.externalEndpoints = [
    {
      id: 'client',
      name: 'Client',
      logicalSubnetId: internet,
      ip: '198.51.100.10',
      mac: '00:50:56:00:00:10',
    },
  ];
  doc.loadBalancers = [
    {
      id: 'web-lb',
      name: 'Web LB',
      frontendIp: '203.0.113.10',
      backendVnicIds: nics,
      rules: [
        {
          id: 'http',
          name: 'HTTP',
          protocol: 'tcp',
          frontendPort: 80,
          backendPort: 80,
          loadDistribution: 'default',
          probeId: 'http-probe',
        },
      ],
      probes: [
        {
          id: 'http-probe',
          name: 'HTTP probe',
          protocol: 'http',
          port: 80,
          requestPath: '/health',
          intervalInSeconds: 5,
          numberOfProbes: 2,
        },
      ],
      inboundNatRules: [
        {
          id: 'rdp-web1',
          name: 'RDP to Web1',
          protocol: 'tcp',
          frontendPort: 3389,
          backendPort: 3389,
          backendVnicId: nics[0],
        },
      ],
      outboundNatRules: [
        { id: 'snat', name: 'Outbound', protocol: 'all', portRangeStart: 1024, portRangeEnd: 4095 },
      ],
      probeFailures: [],
    },
  ];
  // Laid out again with the edge objects: the stored layout is what the canvas draws.
  doc.layout = autoLayout(doc);
  return doc;
}

/** Scenario id → builder, for the JSON writer and the drift test. */
/**
 * g. User-defined routes, a firewall appliance and VNet peering (hub and spoke). Contoso's Hub
 * Net holds the firewall FW (10.0.1.4, IP forwarding on) in its DMZ and a jump box in Mgmt;
 * Spoke Net holds Web and App in two subnets. Hub and Spoke peer both ways (Connected, forwarded
 * traffic allowed). Web's and App's route tables send traffic between them to the firewall
 * (a /24 user-defined route beats the equal /24 system route), and Web's also drops Mgmt
 * (next hop None). Sales Net peers to Spoke one way only (Initiated): no traffic passes.
 */
export function udrPeering(): TopologyDocument {
  const b = new DatacenterBuilder('UDR and peering: a firewall in the path', 'v2');
  const { pa1, pa2 } = twoPaSubnetsAndRouter(b);
  const host1 = b.host({
    name: 'Host 1',
    logicalSubnetId: pa1,
    providerAddresses: ['192.168.1.10', '192.168.1.11'],
    id: 'host-1',
  });
  const host2 = b.host({
    name: 'Host 2',
    logicalSubnetId: pa2,
    providerAddresses: ['192.168.2.20', '192.168.2.21'],
    id: 'host-2',
  });
  const contoso = b.tenant('Contoso', 'contoso');
  const hub = b.vmNetwork({ tenantId: contoso, name: 'Hub Net', id: 'hub-net' });
  const spoke = b.vmNetwork({ tenantId: contoso, name: 'Spoke Net', id: 'spoke-net' });
  const sales = b.vmNetwork({ tenantId: contoso, name: 'Sales Net', id: 'sales-net' });
  const dmz = b.virtualSubnet({
    vmNetworkId: hub,
    name: 'DMZ',
    prefix: '10.0.1.0/24',
    vsid: 7001,
    id: 'dmz',
  });
  const mgmt = b.virtualSubnet({
    vmNetworkId: hub,
    name: 'Mgmt',
    prefix: '10.0.2.0/24',
    vsid: 7002,
    id: 'mgmt',
  });
  const web = b.virtualSubnet({
    vmNetworkId: spoke,
    name: 'Web',
    prefix: '10.1.1.0/24',
    vsid: 7101,
    id: 'web',
  });
  const app = b.virtualSubnet({
    vmNetworkId: spoke,
    name: 'App',
    prefix: '10.1.2.0/24',
    vsid: 7102,
    id: 'app',
  });
  const crm = b.virtualSubnet({
    vmNetworkId: sales,
    name: 'CRM',
    prefix: '10.2.1.0/24',
    vsid: 7201,
    id: 'crm',
  });
  b.vm('FW', { hostId: host1, virtualSubnetId: dmz, caIp: '10.0.1.4', id: 'fw' });
  b.vm('Jump', { hostId: host2, virtualSubnetId: mgmt, caIp: '10.0.2.10', id: 'jump' });
  b.vm('Web', { hostId: host2, virtualSubnetId: web, caIp: '10.1.1.10', id: 'web-vm' });
  b.vm('App', { hostId: host1, virtualSubnetId: app, caIp: '10.1.2.10', id: 'app-vm' });
  b.vm('CRM', { hostId: host2, virtualSubnetId: crm, caIp: '10.2.1.10', id: 'crm-vm' });
  const doc = b.build();
  const peering = (id: string, name: string, remoteVmNetworkId: string) => ({
    id,
    name,
    remoteVmNetworkId,
    allowVirtualNetworkAccess: true,
    allowForwardedTraffic: true,
    allowGatewayTransit: false,
    useRemoteGateways: false,
  });
  for (const n of doc.vmNetworks) {
    if (n.id === hub) n.peerings = [peering('hub-to-spoke', 'Hub to Spoke', spoke)];
    if (n.id === spoke) n.peerings = [peering('spoke-to-hub', 'Spoke to Hub', hub)];
    if (n.id === sales) n.peerings = [peering('sales-to-spoke', 'Sales to Spoke', spoke)];
  }
  doc.routeTables = [
    {
      id: 'web-routes',
      name: 'Web routes',
      routes: [
        {
          id: 'web-to-app',
          name: 'to App via FW',
          addressPrefix: '10.1.2.0/24',
          nextHopType: 'VirtualAppliance',
          nextHopIpAddress: '10.0.1.4',
        },
        { id: 'web-no-mgmt', name: 'no Mgmt', addressPrefix: '10.0.2.0/24', nextHopType: 'None' },
      ],
    },
    {
      id: 'app-routes',
      name: 'App routes',
      routes: [
        {
          id: 'app-to-web',
          name: 'to Web via FW',
          addressPrefix: '10.1.1.0/24',
          nextHopType: 'VirtualAppliance',
          nextHopIpAddress: '10.0.1.4',
        },
      ],
    },
  ];
  for (const s of doc.virtualSubnets) {
    if (s.id === web) s.routeTableId = 'web-routes';
    if (s.id === app) s.routeTableId = 'app-routes';
  }
  for (const vm of doc.vms) if (vm.id === 'fw') vm.nics[0].ipForwarding = true;
  return doc;
}

export const scenarioBuilders: Record<string, () => TopologyDocument> = {
  'vlan-vs-overlay': vlanVsOverlay,
  'live-migration': liveMigration,
  'hnv-v1-vs-v2': hnvV1VsV2,
  'mtu-trouble': mtuTrouble,
  'udr-peering': udrPeering,
  'hybrid-gateway': hybridGateway,
  'load-balancer': loadBalancer,
};
