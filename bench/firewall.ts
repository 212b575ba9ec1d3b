// `npx tsx bench/firewall.ts`: the real path (VM -> VM across two hosts, cached flows, tracing
// off) with and without a stateful port ACL on the sender, interleaved rounds so the machine's
// load hits both alike. Under the ACL every fast-path packet also touches its connection's state
// (last seen, packet count): that is the difference. Prints figures, never passes or fails.
import { Datacenter } from '../src/engine/dataplane/datacenter.ts';
import type { TopologyDocument } from '../src/engine/model/schema.ts';
import { scenarioById } from '../src/scenarios/index.ts';

function doc(stateful: boolean): TopologyDocument {
  const d = structuredClone(scenarioById('multi-tenant')?.document) as TopologyDocument;
  if (!stateful) return d;
  d.acls.push({
    id: 'web-fw',
    name: 'Web firewall',
    defaultAction: 'deny',
    rules: [
      {
        id: 'allow-out',
        name: 'allow-out',
        priority: 100,
        direction: 'outbound',
        action: 'allow',
        protocol: 'all',
        sourceAddressPrefix: '*',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '*',
      },
    ],
  });
  const web = d.vms.find((v) => v.id === 'contoso-web');
  if (web) web.nics[0].aclId = 'web-fw';
  return d;
}

function setup(stateful: boolean) {
  const dc = new Datacenter(doc(stateful));
  const FLOWS = 8;
  const SLOTS = 64;
  const flows = Array.from({ length: FLOWS }, (_, f) => {
    const flow = dc.prepareFlow({
      from: 'Contoso/Web',
      to: 'Contoso/SQL',
      protocol: 'udp',
      srcPort: 50_000 + f,
      dstPort: 1433,
    });
    if (!flow) throw new Error('no flow');
    return flow;
  });
  const port = flows[0].port;
  const len = flows[0].frame.length;
  const stride = 128 + len + 64;
  const ring = new Uint8Array(SLOTS * stride);
  for (let s = 0; s < SLOTS; s++) ring.set(flows[s % FLOWS].frame, s * stride + 128);
  for (let s = 0; s < FLOWS; s++) dc.inject(port, ring, s * stride + 128, len);
  const run = (n: number) => {
    for (let i = 0; i < n; i++) dc.inject(port, ring, (i & (SLOTS - 1)) * stride + 128, len);
  };
  return { dc, port, run };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const plain = setup(false);
const fw = setup(true);
const n = 1_000_000;
const rates = { plain: [] as number[], stateful: [] as number[] };
for (let round = 0; round < 12; round++)
  for (const [name, s] of [
    ['plain', plain],
    ['stateful', fw],
  ] as const) {
    const t0 = performance.now();
    s.run(n);
    const dt = performance.now() - t0;
    if (round > 1) rates[name].push(n / (dt / 1000));
  }
const conns = fw.port.conns.view(fw.dc.now);
if (conns.length !== 8 || conns.some((c) => c.packetsOriginal < (12 * n) / 8))
  throw new Error(`stateful: the fast path did not keep the state: ${JSON.stringify(conns[0])}`);
console.log(`real path, cached, no ACL:              ${(median(rates.plain) / 1e6).toFixed(2)} Mpps`);
console.log(
  `real path, cached, stateful port ACL:   ${(median(rates.stateful) / 1e6).toFixed(2)} Mpps (8 tracked flows, each packet touches its state)`,
);
