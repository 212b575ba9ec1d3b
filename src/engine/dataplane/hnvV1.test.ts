// HNVv1 (Windows Server 2012 R2) has no VFP: the Hyper-V switch applies port ACLs and the HNV
// NDIS filter looks the policy up and encapsulates in NVGRE. The same data plane runs it and
// emits the same typed events; only the words differ. These tests read the rendered v1 trace
// (every format) for VFP's words, and check the words come from the events.
import { describe, expect, it } from 'vitest';
import { scenarioById } from '../../scenarios/index.ts';
import { createEngine, renderTrace, type Trace, type TraceNode, traceToJson } from '../index.ts';
import type { TopologyDocument } from '../model/schema.ts';
import { renderEvent } from './trace/render.ts';

function v1(edit?: (doc: TopologyDocument) => void): TopologyDocument {
  const doc = structuredClone(scenarioById('hnv-v1-vs-v2')?.document) as TopologyDocument;
  edit?.(doc);
  return doc;
}

function engineFor(doc: TopologyDocument) {
  const engine = createEngine();
  expect(engine.load(doc).errors).toEqual([]);
  return engine;
}

function nodes(t: Trace): TraceNode[] {
  const out: TraceNode[] = [];
  const walk = (n: TraceNode) => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  for (const p of t.packets) walk(p.root);
  return out;
}

/** VFP's own words and names: the extension, its flow table, its group ids and its own rule ids. */
function vfpWords(...traces: Trace[]): RegExp {
  const ids = new Set<string>();
  for (const n of traces.flatMap(nodes)) {
    if (n.what?.type === 'stage') ids.add(n.what.group);
    // An ACL rule's id is the user's own (the ACL's rule 'deny-sql'): v1 has port ACLs too.
    if (n.what?.type === 'rule' && !(n.what.layer === 'acl' && !n.what.isDefault)) ids.add(n.what.ruleId);
  }
  const escaped = [...ids].map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`\\b(${['VFP', 'UFT', 'unified flow', 'layer', ...escaped].join('|')})\\b`, 'i');
}

/** Every rendering of a trace a user reads: the three text formats and every node title. */
const renderings = (t: Trace) => [
  renderTrace(t, 'detailed'),
  renderTrace(t, 'summary'),
  renderTrace(t, 'minimal'),
  nodes(t)
    .map((n) => n.title)
    .join('\n'),
  JSON.stringify(traceToJson(t).packets.map((p) => p.verdict)),
];

/** A port ACL on Contoso/Web that refuses outbound TCP 1433. */
function withWebAcl(doc: TopologyDocument): void {
  doc.acls.push({
    id: 'web-acl',
    name: 'Web ACL',
    defaultAction: 'allow',
    rules: [
      {
        id: 'deny-sql',
        name: 'deny-sql',
        priority: 100,
        direction: 'outbound',
        action: 'deny',
        protocol: 'tcp',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '1433',
      },
    ],
  });
  const web = doc.vms.find((v) => v.nics[0].id === 'contoso-web-nic0');
  if (web) web.nics[0].aclId = 'web-acl';
}

describe('HNVv1 trace wording', () => {
  const cases: [string, TopologyDocument, Parameters<ReturnType<typeof createEngine>['trace']>[0]][] = [
    [
      'routed TCP handshake on one host',
      v1(),
      { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'tcp', dstPort: 1433 },
    ],
    [
      'NVGRE ping across hosts, then the fast path',
      v1(),
      { from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' },
    ],
    ['ARP with no lookup record', v1(), { from: 'Contoso/Web', to: '10.1.1.99', protocol: 'arp' }],
    [
      'a port ACL drop',
      v1(withWebAcl),
      { from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'tcp', dstPort: 1433 },
    ],
    [
      'a PA MTU drop',
      v1((d) => {
        for (const l of d.logicalSubnets) l.mtu = 1400;
      }),
      { from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp', size: 1400, df: true },
    ],
  ];

  it.each(cases)('%s: never says VFP, UFT, layer, or a VFP group or rule id', (_, doc, req) => {
    const engine = engineFor(doc);
    const first = engine.trace(req);
    const again = engine.trace(req); // the cached path too
    const words = vfpWords(first, again);
    expect(words.source).toMatch(/vnet_out/); // the slow path named VFP's groups: they are looked for
    for (const t of [first, again]) {
      expect(t.hnvMode).toBe('v1');
      for (const text of renderings(t)) expect(text).not.toMatch(words);
    }
  });

  it("drops are placed in v1's pieces: the switch's port ACL, the HNV filter", () => {
    const acl = engineFor(v1(withWebAcl)).trace({
      from: 'Contoso/Web',
      to: 'Contoso/SQL',
      protocol: 'tcp',
      dstPort: 1433,
    });
    expect(acl.verdict).toMatchObject({ outcome: 'dropped', at: 'Host 1 / port Contoso/Web / port ACL' });
    expect(acl.verdict.reason).toContain("ACL rule 'deny-sql'");
    const mtu = engineFor(
      v1((d) => {
        for (const l of d.logicalSubnets) l.mtu = 1400;
      }),
    ).trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp', size: 1400, df: true });
    expect(mtu.verdict).toMatchObject({
      outcome: 'dropped',
      at: 'Host 1 / port Contoso/Web / HNV filter (PA routing)',
    });
    const arp = engineFor(v1()).trace({ from: 'Contoso/Web', to: '10.1.1.99', protocol: 'arp' });
    expect(arp.verdict.at).toBe('Host 1 HNV filter');
  });

  it('the words come from the typed events: the same events render as VFP in v2 and as the HNV filter in v1', () => {
    const t = engineFor(v1()).trace({ from: 'Contoso/Web', to: 'Contoso/App', protocol: 'icmp' });
    const typed = nodes(t).filter((n) => n.what !== undefined);
    expect(typed.length).toBeGreaterThan(20);
    for (const n of typed) expect(n.title).toBe(renderEvent(n.what!, n.where, 'v1').title);
    const asV2 = typed.map((n) => renderEvent(n.what!, n.where, 'v2').title).join('\n');
    expect(asV2).toMatch(/VFP layer vnet \/ group vnet_out/);
    expect(asV2).toMatch(/UFT (miss|hit) on port Contoso\/Web/);
    const asV1 = typed.map((n) => n.title).join('\n');
    expect(asV1).toMatch(/HNV filter: network virtualization policy \(outbound, from the VM\)/);
    expect(asV1).toMatch(/flow cache miss on port Contoso\/Web/);
  });

  it('HNVv2 keeps VFP and its unified flow table', () => {
    const doc = structuredClone(scenarioById('multi-tenant')?.document) as TopologyDocument;
    const t = engineFor(doc).trace({ from: 'Contoso/Web', to: 'Contoso/SQL', protocol: 'icmp' });
    expect(t.hnvMode).toBe('v2');
    const text =
      renderTrace(t, 'summary') +
      nodes(t)
        .map((n) => n.title)
        .join('\n');
    expect(text).toMatch(/VFP layer vnet/);
    expect(text).toMatch(/UFT miss on port Contoso\/Web/);
  });
});
