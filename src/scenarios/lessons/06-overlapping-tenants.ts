import { choices } from './choices';
import { all, caOf, done, findVm, hostOfVm, notYet, paLabel, subnetOfVm, tracedBetween } from './query';
import type { Lesson } from './types';

export const overlappingTenants: Lesson = {
  id: 'overlapping-tenants',
  title: 'Overlapping tenants',
  summary: 'Two tenants, the same IP addresses, one physical network, no interference.',
  steps: [
    {
      id: 'same-addresses',
      title: 'Bring your own IP',
      scenario: 'multi-tenant',
      highlight: ['canvas'],
      body: `Tenants move their subnets to the cloud unchanged, so their addresses overlap. Here Contoso and Fabrikam both run a SQL server and a web server with the same CAs.`,
      question: {
        id: 'overlap-legal',
        prompt: 'Contoso/SQL and Fabrikam/SQL have the same CA. Is that a valid configuration?',
        choices: (f) => {
          const a = findVm(f.document, 'Contoso/SQL');
          const ca = a ? caOf(a) : 'the same CA';
          return choices('yes', [
            [
              'yes',
              `Yes: ${ca} twice, in two routing domains`,
              'Right: a CA must be unique only within its routing domain.',
            ],
            [
              'no',
              'No: every CA must be unique in the datacenter',
              'That is true of VSIDs and PAs, not of CAs.',
            ],
          ]);
        },
      },
    },
    {
      id: 'trace-fabrikam',
      title: "Fabrikam's ping",
      highlight: ['trace-controls', 'inspector'],
      body: `Trace Fabrikam's ping and look at the encapsulated step.`,
      task: {
        text: 'Trace a ping from Fabrikam/Web to Fabrikam/SQL.',
        check: (f) => {
          const traced = tracedBetween(f, 'Fabrikam/Web', 'Fabrikam/SQL', 'icmp');
          if (!traced.done) return traced;
          const web = findVm(f.document, 'Fabrikam/Web');
          const vsid = web ? subnetOfVm(f.document, web)?.vsid : undefined;
          const encap = f.trace?.encaps[0];
          return all(
            f.trace?.outcome === 'delivered' ? done : notYet('The ping was not delivered.'),
            encap?.vsid === vsid ? done : notYet(`The encapsulated packet should carry VSID ${vsid}.`),
          );
        },
      },
      question: {
        id: 'outer-same',
        prompt: "Compared with Contoso's identical ping, the outer destination IP is…",
        choices: (f) => {
          const c = findVm(f.document, 'Contoso/SQL');
          const fb = findVm(f.document, 'Fabrikam/SQL');
          if (!c || !fb) return [];
          const sameHost = hostOfVm(f.document, c)?.id === hostOfVm(f.document, fb)?.id;
          return choices(sameHost ? 'same' : 'different', [
            [
              'same',
              `The same (${paLabel(f.document, fb)})`,
              sameHost
                ? 'Right: both SQL VMs run on the same host, so both pings go to its PA.'
                : 'The two SQL VMs run on different hosts here.',
            ],
            [
              'different',
              'Different: each tenant has its own PAs',
              sameHost
                ? 'PAs belong to hosts, not to tenants: one PA serves every VM on the host.'
                : 'Right: here the two SQL VMs run on different hosts.',
            ],
          ]);
        },
      },
    },
    {
      id: 'what-keeps-them-apart',
      title: 'What keeps them apart',
      highlight: ['tables'],
      body: `The receiving host sees two packets for the same inner address from the same PA. The policy store has two lookup records for that CA, one per VSID.`,
      question: {
        id: 'disambiguator',
        prompt: 'What tells the receiving host which SQL a packet is for?',
        choices: (f) => {
          const c = findVm(f.document, 'Contoso/SQL');
          const fb = findVm(f.document, 'Fabrikam/SQL');
          const vc = c ? subnetOfVm(f.document, c)?.vsid : undefined;
          const vf = fb ? subnetOfVm(f.document, fb)?.vsid : undefined;
          return choices('vsid', [
            [
              'vsid',
              `The VSID in the VXLAN/NVGRE header (${vc ?? '…'} vs ${vf ?? '…'})`,
              'Right: CA + VSID is unique.',
            ],
            ['mac', 'The outer destination MAC', 'The outer MAC only gets the packet to the host.'],
            ['port', 'The UDP source port', 'That is a flow hash for ECMP, not an identity.'],
          ]);
        },
      },
    },
  ],
};
