// Lesson 11: the multi-tenant RAS gateway. Out of a VM network only through its gateway: the
// default route, a GRE tunnel told apart by its key, NAT to the internet, IPsec that hides the
// packet. Every right answer is read from the document (the gateway's addresses, the key).
import { choices } from './choices';
import { all, done, findVm, notYet, scenarioOpened } from './query';
import type { CheckResult, Lesson, LessonFacts } from './types';

const SCENARIO = 'hybrid-gateway';
const FROM = 'Contoso/Web';
const ON_PREMISES = '172.16.0.10';
const INTERNET = '8.8.8.8';

const gatewayOf = (f: LessonFacts) => f.document.gateways?.[0];
const contosoGateway = (f: LessonFacts) =>
  f.document.virtualGateways?.find((v) => v.vmNetworkId === 'contoso-net');
const greKey = (f: LessonFacts) => {
  const c = contosoGateway(f)?.connections.find((k) => k.type === 'gre');
  return c?.type === 'gre' ? c.greKey : null;
};

/** The latest trace went from `from` to `ip` and was delivered, with `what` in it. */
function tracedTo(
  f: LessonFacts,
  from: string,
  ip: string,
  what: (f: LessonFacts) => CheckResult,
): CheckResult {
  const t = f.trace;
  if (!t) return notYet(`Trace a ping from ${from} to ${ip} (type the address in the trace panel).`);
  const src = findVm(f.document, from);
  if (!src || t.fromVmId !== src.id || t.toIp !== ip || t.protocol !== 'icmp')
    return notYet(`Trace a ping from ${from} to ${ip}.`);
  if (t.outcome !== 'delivered') return notYet(`The ping was dropped: ${t.dropReason ?? 'see the trace'}.`);
  return what(f);
}

export const rasGateway: Lesson = {
  id: 'ras-gateway',
  title: 'Leaving the VM network: the RAS gateway',
  summary: 'A default route to a multi-tenant gateway, then GRE, IPsec or NAT toward the outside.',
  steps: [
    {
      id: 'default-route',
      title: 'Where does an outside address go?',
      scenario: SCENARIO,
      highlight: ['canvas'],
      body: `A VM network is a routing domain: the distributed router routes only between its subnets. Anything else leaves through the tenant's **virtual gateway**, a compartment on a multi-tenant **RAS gateway** VM.

${FROM} is about to ping ${ON_PREMISES}, an address in none of Contoso's virtual subnets.`,
      task: {
        text: 'Open the Hybrid scenario.',
        check: (f) => scenarioOpened(f, SCENARIO, 'Hybrid: Contoso on-premises over site-to-site'),
      },
      question: {
        id: 'where-to',
        prompt: `What does the distributed router on ${FROM}'s host do with the ping to ${ON_PREMISES}?`,
        choices: (f) => {
          const g = gatewayOf(f);
          if (!g || !contosoGateway(f)) return [];
          return choices('gateway', [
            [
              'gateway',
              `Default route 0.0.0.0/0: VXLAN to the gateway VM's PA ${g.providerAddress}`,
              'Right: the controller compiled a default route to the gateway into Contoso Net, and the gateway VM is reached like a VM on another host.',
            ],
            [
              'drop',
              'Drops it: another routing domain is reachable only through a gateway',
              'That is what happens without a virtual gateway. Contoso has one here.',
            ],
            [
              'router',
              'Hands it to the physical L3 router, which knows 172.16.0.0/16',
              'The physical network only carries PAs: a customer address never reaches it unencapsulated.',
            ],
          ]);
        },
      },
    },
    {
      id: 'gre',
      title: 'A GRE tunnel to the on-premises site',
      highlight: ['trace-controls'],
      body: `Trace the ping. In Contoso's compartment the gateway finds a route to 172.16.0.0/16 that it learnt from the site's BGP router, and sends the packet into a GRE tunnel: outer IPv4 from the gateway's front end to the site's edge, and a **key**.`,
      task: {
        text: `Trace a ping from ${FROM} to ${ON_PREMISES}.`,
        check: (f) =>
          tracedTo(f, FROM, ON_PREMISES, (x) =>
            x.trace?.tunnels?.some((t) => t.kind === 'gre') ? done : notYet('The trace has no GRE tunnel.'),
          ),
      },
      question: {
        id: 'which-tenant',
        prompt:
          'The echo reply comes back in GRE. Fabrikam also uses 172.16.0.0/16 and 10.1.1.12. How does the gateway know the reply is Contoso’s?',
        choices: (f) => {
          const key = greKey(f);
          if (key === null) return [];
          return choices('key', [
            [
              'key',
              `The GRE key ${key}`,
              'Right: the key names the tenant’s tunnel; the addresses inside overlap.',
            ],
            [
              'inner',
              'The inner destination 10.1.1.12',
              'Both tenants have a VM at 10.1.1.12: the address cannot tell them apart.',
            ],
            ['port', 'The UDP port', 'GRE is IP protocol 47: there is no port.'],
          ]);
        },
      },
    },
    {
      id: 'nat',
      title: 'NAT to the internet',
      highlight: ['trace-controls'],
      body: `Contoso's compartment also has a NAT connection: its default route 0.0.0.0/0. Trace a ping to ${INTERNET} and look at the step after the gateway's route lookup.`,
      task: {
        text: `Trace a ping from ${FROM} to ${INTERNET}.`,
        check: (f) =>
          tracedTo(f, FROM, INTERNET, (x) =>
            x.trace?.nat?.some((n) => n.direction === 'out') ? done : notYet('The trace has no NAT step.'),
          ),
      },
      question: {
        id: 'source-seen',
        prompt: `Which source address does ${INTERNET} see?`,
        choices: (f) => {
          const g = gatewayOf(f);
          if (!g) return [];
          return choices('public', [
            [
              'public',
              `${g.externalIp}, the gateway's public IP`,
              'Right: SNAT rewrote the source and the ICMP identifier; the NAT table maps the reply back.',
            ],
            [
              'ca',
              '10.1.1.12, the VM’s own address',
              'A customer address never leaves the gateway toward the internet.',
            ],
            [
              'pa',
              `${g.providerAddress}, the gateway's PA`,
              'The PA is on the provider network inside the datacenter, not the source toward the internet.',
            ],
          ]);
        },
      },
    },
    {
      id: 'ipsec',
      title: 'IPsec hides the packet',
      highlight: ['trace-controls'],
      body: `Fabrikam reaches its branch over IPsec: ESP with the security association's SPI and a sequence number. Trace Fabrikam/Web → ${ON_PREMISES}, then export the pcap and open it in Wireshark.`,
      task: {
        text: `Trace a ping from Fabrikam/Web to ${ON_PREMISES}.`,
        check: (f) =>
          all(
            tracedTo(f, 'Fabrikam/Web', ON_PREMISES, () => done),
            f.trace?.tunnels?.some((t) => t.kind === 'esp') ? done : notYet('The trace has no ESP tunnel.'),
          ),
      },
      question: {
        id: 'wireshark-sees',
        prompt: 'What does Wireshark show of the ESP packet on the front-end link, without the keys?',
        choices: () =>
          choices('spi', [
            [
              'spi',
              'The outer IPv4 header, the SPI and the sequence number; the rest is ciphertext',
              'Right: the inner addresses and the ping are encrypted.',
            ],
            [
              'inner',
              'The inner ICMP echo from 10.1.1.12',
              'That is GRE: it carries the packet in the clear.',
            ],
            [
              'nothing',
              'Nothing: the whole frame is encrypted',
              'The outer headers stay readable, so routers can forward it.',
            ],
          ]),
      },
    },
  ],
};
