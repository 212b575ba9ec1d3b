// Built-in scenarios: topology documents (JSON, valid under the schema) with a title and a
// description. Plain data for the UI (no schema code in its bundle): builtin-scenarios.test.ts
// validates every one. Colleagues add lessons' scenarios to the list.
import type { TopologyDocument } from '../engine/model/schema';
import hnvV1VsV2Json from './hnv-v1-vs-v2.json';
import liveMigrationJson from './live-migration.json';
import mtuTroubleJson from './mtu-trouble.json';
import multiTenantJson from './multi-tenant.json';
import routingDomainsJson from './routing-domains.json';
import vlanVsOverlayJson from './vlan-vs-overlay.json';

export interface Scenario {
  id: string;
  title: string;
  description: string;
  document: TopologyDocument;
}

export const scenarios: Scenario[] = [
  {
    id: 'multi-tenant',
    title: 'Multi-tenant: Contoso and Fabrikam',
    description:
      'Two tenants with the same CAs (10.1.1.11 SQL, 10.1.1.12 Web) in VSIDs 5001 and 6001. Both SQL VMs on Host 1 (PA 192.168.1.10), both Web VMs on Host 2 (PA 192.168.2.20); an L3 router joins the two PA subnets.',
    document: multiTenantJson as TopologyDocument,
  },
  {
    id: 'routing-domains',
    title: 'Routing domains: R&D and Sales',
    description:
      "Contoso's R&D Net (VSIDs 5001, 5002, 5003) routes between its subnets through the distributed router, on one host or across hosts; Sales Net is another routing domain that R&D never reaches without a gateway.",
    document: routingDomainsJson as TopologyDocument,
  },
  {
    id: 'vlan-vs-overlay',
    title: 'VLAN vs overlay',
    description:
      "The same two tenants on one L2 fabric, two ways. With 802.1Q VLANs (the ToR's VLAN 101 for Contoso, 102 for Fabrikam) each tenant network is one tagged VLAN and one IP subnet: the 12-bit tag allows at most 4094 of them, Fabrikam cannot also use 10.1.1.0/24, and a VM that moves to a port on another VLAN must change its IP. With the overlay both tenants keep 10.1.1.0/24 (VSIDs 5001 and 6001, 24 bits, about 16.7 million), and the fabric only carries the hosts' PA VLAN 200.",
    document: vlanVsOverlayJson as TopologyDocument,
  },
  {
    id: 'live-migration',
    title: 'Live migration across PA subnets',
    description:
      "Contoso SQL (10.1.1.11) runs on Host 1 and Web (10.1.1.12) on Host 2, both on PA subnet 1. Host 3 is on PA subnet 2, behind the L3 router, and already runs Fabrikam SQL with the same CA. Migrate Contoso SQL to Host 3: it keeps its CA, the controller updates the CA-PA mapping on every host that talks to it, and Web's next ping goes to a PA of Host 3 through the router.",
    document: liveMigrationJson as TopologyDocument,
  },
  {
    id: 'hnv-v1-vs-v2',
    title: 'HNVv1 vs HNVv2',
    description:
      'HNVv1 (Windows Server 2012 R2): NVGRE, and one PA per VSID per host. Host 1 runs VMs in VSIDs 5001, 5002 and 6001 and so needs three PAs; Host 2 runs two VSIDs and has two. In HNVv2 the same VMs use VXLAN (UDP 4789) and exactly two PAs per host, one per SET team member, however many virtual subnets the host serves.',
    document: hnvV1VsV2Json as TopologyDocument,
  },
  {
    id: 'mtu-trouble',
    title: 'MTU trouble: no jumbo frames',
    description:
      "The PA subnets were left at MTU 1500. VXLAN adds 50 bytes (outer IPv4 20, UDP 8, VXLAN 8, plus the inner Ethernet header 14), so an inner IP packet above 1450 bytes no longer fits: a full-size 1500-byte packet from Web to SQL is dropped at Host 2's uplink while small pings pass. The fix is jumbo frames on the PA network (Hyper-V reserves 160 bytes of overhead; jumbo frames of 9014 bytes, an IP MTU of 9000, are typical) or a smaller MTU inside the VMs.",
    document: mtuTroubleJson as TopologyDocument,
  },
];

export function scenarioById(id: string): Scenario | undefined {
  return scenarios.find((s) => s.id === id);
}
