// Built-in scenarios: topology documents (JSON, valid under the schema) with a title and a
// description. Colleagues add lessons' scenarios to the list.
import { documentSchema, type TopologyDocument } from '../engine/model/schema';
import multiTenantJson from './multi-tenant.json';
import routingDomainsJson from './routing-domains.json';

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
    document: documentSchema.parse(multiTenantJson),
  },
  {
    id: 'routing-domains',
    title: 'Routing domains: R&D and Sales',
    description:
      "Contoso's R&D Net (VSIDs 5001, 5002, 5003) routes between its subnets through the distributed router, on one host or across hosts; Sales Net is another routing domain that R&D never reaches without a gateway.",
    document: documentSchema.parse(routingDomainsJson),
  },
];

export function scenarioById(id: string): Scenario | undefined {
  return scenarios.find((s) => s.id === id);
}
