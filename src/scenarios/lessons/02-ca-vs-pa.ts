import { choices } from './choices';
import { all, caOf, done, findVm, hostOfVm, notYet, paCandidates, paLabel, tracedBetween } from './query';
import type { Lesson, LessonFacts } from './types';

const WEB = 'Contoso/Web';
const SQL = 'Contoso/SQL';

function outerDestinationChoices(f: LessonFacts) {
  const web = findVm(f.document, WEB);
  const sql = findVm(f.document, SQL);
  if (!web || !sql) return [];
  const webHost = hostOfVm(f.document, web);
  const sqlHost = hostOfVm(f.document, sql);
  const gateway = f.document.logicalSubnets.find((s) => s.id === webHost?.logicalSubnetId)?.defaultGateway;
  return choices('dst-pa', [
    [
      'ca',
      `${caOf(sql)} (SQL's CA)`,
      'That is the inner destination. The physical network has no route to it.',
    ],
    [
      'dst-pa',
      `${paLabel(f.document, sql)} (PA of ${sqlHost?.name ?? 'SQL’s host'})`,
      'Right: the outer header goes host to host, to a PA of the host that runs SQL.',
    ],
    [
      'src-pa',
      `${paLabel(f.document, web)} (PA of ${webHost?.name ?? 'Web’s host'})`,
      'That is where the packet comes from: the outer source.',
    ],
    [
      'gw',
      `${gateway ?? 'the ToR'} (the PA subnet's gateway)`,
      'The gateway is the next hop (its MAC is the outer destination MAC), not the destination IP.',
    ],
  ]);
}

export const caVsPa: Lesson = {
  id: 'ca-vs-pa',
  title: 'CA vs PA',
  summary: 'Two address spaces: what the VM sees, and what the physical network routes.',
  steps: [
    {
      id: 'two-spaces',
      title: 'Two address spaces',
      scenario: 'multi-tenant',
      highlight: ['canvas'],
      body: `Every VM has a **Customer Address (CA)**: the IP the tenant chose, the one its OS, DNS and firewall rules know.

Every host has **Provider Addresses (PA)**: IPs the datacenter assigned on its physical network. VMs never see them.`,
      task: {
        text: `Select ${WEB} on the canvas.`,
        check: (f) => {
          const web = findVm(f.document, WEB);
          if (!web) return notYet('Load the multi-tenant scenario first.');
          return f.selection.includes(web.id) ? done : notYet(`${WEB} is not selected.`);
        },
      },
    },
    {
      id: 'what-the-vm-sees',
      title: 'What the VM sees',
      highlight: ['properties'],
      body: `The properties panel shows the VM's vNIC: its MAC, its CA and its virtual subnet.`,
      question: {
        id: 'vm-own-address',
        prompt: `Which address does ${WEB}'s own operating system use as its IP?`,
        choices: (f) => {
          const web = findVm(f.document, WEB);
          if (!web) return [];
          return choices('ca', [
            ['ca', `${caOf(web)} (its CA)`, 'Right. The VM only ever sees its CA.'],
            [
              'pa',
              `${paLabel(f.document, web)} (its host's PA)`,
              'The PA belongs to the host. The VM never sees it.',
            ],
          ]);
        },
      },
    },
    {
      id: 'predict-outer',
      title: 'Predict before you look',
      body: `Web sends a ping to SQL's CA. Its host wraps the whole frame in an outer IP header before it leaves.`,
      question: {
        id: 'outer-dst',
        prompt: 'What will the outer destination IP be?',
        choices: outerDestinationChoices,
      },
    },
    {
      id: 'trace-it',
      title: 'Trace it',
      highlight: ['trace-controls'],
      body: `Run the trace, then open the step where the packet is encapsulated. The inner header still says CA to CA; the outer one says PA to PA.`,
      task: {
        text: `Trace a ping from ${WEB} to ${SQL}.`,
        check: (f) => {
          const sql = findVm(f.document, SQL);
          const traced = tracedBetween(f, WEB, SQL, 'icmp');
          if (!traced.done || !sql) return traced;
          const encap = f.trace?.encaps[0];
          return all(
            encap ? done : notYet('This trace was never encapsulated: are Web and SQL on different hosts?'),
            encap && paCandidates(f.document, sql).includes(encap.outerDstIp)
              ? done
              : notYet("The outer destination is not the PA of SQL's host."),
          );
        },
      },
    },
    {
      id: 'fewer-addresses',
      title: 'Less for the fabric to learn',
      highlight: ['canvas'],
      body: `Many CAs map to one PA. The physical switches and routers learn only the hosts' PAs, however many VMs run on them.`,
      question: {
        id: 'fabric-learns',
        prompt:
          'Say every host here ran 30 VMs. How many IP addresses would the physical network have to learn?',
        choices: (f) => {
          const hosts = f.document.hosts;
          const pas = hosts.reduce((n, h) => n + h.providerAddresses.length, 0);
          const cas = hosts.length * 30;
          return choices('pas', [
            [
              'pas',
              `${pas}: the hosts' PAs`,
              `Right: ${hosts.length} hosts, ${pas} PAs, however many VMs they run.`,
            ],
            [
              'cas',
              `${cas}: one per VM`,
              'That is the VLAN world. Here the CAs never appear on the physical network.',
            ],
            [
              'both',
              `${pas + cas}: the PAs and the CAs`,
              'The CAs travel inside the envelope; switches never look there.',
            ],
          ]);
        },
      },
    },
  ],
};
