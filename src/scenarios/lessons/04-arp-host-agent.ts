import { choices } from './choices';
import { caOf, done, findVm, hostOfVm, notYet, tracedBetween, unusedCa } from './query';
import type { Lesson } from './types';

const WEB = 'Contoso/Web';
const SQL = 'Contoso/SQL';

export const arpHostAgent: Lesson = {
  id: 'arp-host-agent',
  title: 'ARP answered by the host agent',
  summary: 'ARP never leaves the host: the host agent answers from its policy store.',
  steps: [
    {
      id: 'who-answers',
      title: 'A broadcast that goes nowhere',
      scenario: 'multi-tenant',
      body: `Before Web can ping SQL it needs SQL's MAC, so it broadcasts an ARP request.

The vSwitch's VFP extension intercepts the request and hands it to the Network Controller's **host agent**, which keeps a policy store of every CA, MAC and PA in the VM network.`,
      question: {
        id: 'arp-responder',
        prompt: `${WEB} asks “who has SQL’s CA?”. Who answers?`,
        choices: (f) => {
          const web = findVm(f.document, WEB);
          const sql = findVm(f.document, SQL);
          const webHost = web ? hostOfVm(f.document, web)?.name : undefined;
          const sqlHost = sql ? hostOfVm(f.document, sql)?.name : undefined;
          return choices('agent', [
            [
              'agent',
              `The host agent on ${webHost ?? 'Web’s host'}`,
              'Right: it looks the CA up in its policy store and injects the reply into the VM.',
            ],
            ['sql', 'SQL itself', 'SQL never sees the request: it does not leave the host.'],
            [
              'remote-agent',
              `The host agent on ${sqlHost ?? 'SQL’s host'}`,
              'The request never travels there. The local agent already knows the mapping.',
            ],
            ['router', 'The L3 router', 'The physical router only ever sees PA traffic.'],
          ]);
        },
      },
    },
    {
      id: 'trace-arp',
      title: 'Trace the ARP',
      highlight: ['trace-controls', 'tables'],
      body: `Trace an ARP request. Then look at the host's policy store in the tables: the reply's MAC comes from the lookup record for SQL's CA.`,
      task: {
        text: `Trace an ARP request from ${WEB} to ${SQL}.`,
        check: (f) => {
          const traced = tracedBetween(f, WEB, SQL, 'arp');
          if (!traced.done) return traced;
          if (f.trace?.arp !== 'host-agent') return notYet('The ARP was not answered by the host agent.');
          return f.trace.leftHost ? notYet('The ARP left the host: that should never happen.') : done;
        },
      },
    },
    {
      id: 'unknown-ca',
      title: 'An address nobody has',
      body: `The host agent only answers for CAs it has a record for. For anything else there is no reply, and the VM marks the address unreachable. Nothing is flooded.`,
      question: {
        id: 'unknown-arp',
        prompt: 'Web asks for a CA that no VM has. What happens?',
        choices: () =>
          choices('silence', [
            ['silence', 'No reply: the address is unreachable', 'Right: no record, no reply, and no flood.'],
            [
              'flood',
              'The request is flooded to every host',
              'HNV never floods ARP: the policy store is the truth.',
            ],
            [
              'router',
              'The distributed router answers with its MAC',
              'It answers only for its gateway address.',
            ],
          ]),
      },
      task: {
        text: 'Trace an ARP request from Contoso/Web to an unused address of its subnet.',
        hint: 'Type the address in the trace destination instead of picking a VM.',
        check: (f) => {
          const web = findVm(f.document, WEB);
          if (!web) return notYet('Load the multi-tenant scenario first.');
          const t = f.trace;
          if (!t || t.fromVmId !== web.id || t.protocol !== 'arp') return notYet(`Trace an ARP from ${WEB}.`);
          const used = f.document.vms.some((vm) => vm.nics.some((n) => n.caIp === t.toIp));
          if (t.toVmId !== null || used || t.toIp === caOf(web)) {
            return notYet(
              `Pick an address nobody has, e.g. ${unusedCa(f.document, web) ?? 'an unused one'}.`,
            );
          }
          return t.arp === 'no-reply' || t.outcome === 'dropped' ? done : notYet('That address got a reply.');
        },
      },
    },
  ],
};
