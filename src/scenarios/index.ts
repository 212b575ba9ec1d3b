// Built-in scenarios: topology documents (JSON, valid under the schema) with a title, a
// description and things to try (both written from the document: briefs.ts). Plain data for
// the UI (no schema code in its bundle): builtin-scenarios.test.ts validates every one.
// Colleagues add lessons' scenarios to the list.
import type { TopologyDocument } from '../engine/model/schema';
import { scenarioBriefs } from './briefs';
import hnvV1VsV2Json from './hnv-v1-vs-v2.json';
import hybridGatewayJson from './hybrid-gateway.json';
import liveMigrationJson from './live-migration.json';
import loadBalancerJson from './load-balancer.json';
import mtuTroubleJson from './mtu-trouble.json';
import multiTenantJson from './multi-tenant.json';
import routingDomainsJson from './routing-domains.json';
import udrPeeringJson from './udr-peering.json';
import vlanVsOverlayJson from './vlan-vs-overlay.json';

export interface Scenario {
  id: string;
  title: string;
  description: string;
  /** Things to try in the lab, in the words of the controls on screen. */
  tryThis: string[];
  document: TopologyDocument;
}

function scenario(id: string, title: string, json: unknown): Scenario {
  const document = json as TopologyDocument;
  const brief = scenarioBriefs[id];
  if (!brief) throw new Error(`scenario '${id}' has no brief`);
  return { id, title, ...brief(document), document };
}

export const scenarios: Scenario[] = [
  scenario('multi-tenant', 'Multi-tenant: Contoso and Fabrikam', multiTenantJson),
  scenario('routing-domains', 'Routing domains: R&D and Sales', routingDomainsJson),
  scenario('vlan-vs-overlay', 'VLAN vs overlay', vlanVsOverlayJson),
  scenario('live-migration', 'Live migration across PA subnets', liveMigrationJson),
  scenario('hnv-v1-vs-v2', 'HNVv1 vs HNVv2', hnvV1VsV2Json),
  scenario('mtu-trouble', 'MTU trouble: no jumbo frames', mtuTroubleJson),
  scenario('udr-peering', 'UDR and peering: a firewall in the path', udrPeeringJson),
  scenario('hybrid-gateway', 'Hybrid: Contoso on-premises over site-to-site', hybridGatewayJson),
  scenario('load-balancer', 'Software load balancer: a web tier behind a VIP', loadBalancerJson),
];

export function scenarioById(id: string): Scenario | undefined {
  return scenarios.find((s) => s.id === id);
}
