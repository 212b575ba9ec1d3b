import { choices } from './choices';
import { caOf, done, findVm, hostOfVm, notYet, paCandidates, paLabel, tracedBetween } from './query';
import type { Lesson, LessonFacts } from './types';

/** The VM the lesson moves, its peer, and the host it starts on in the live-migration scenario. */
export const MIGRATING_VM = 'Contoso/SQL';
export const PEER_VM = 'Contoso/Web';
export const START_HOST = 'Host 1';

function moved(f: LessonFacts) {
  const vm = findVm(f.document, MIGRATING_VM);
  if (!vm) return { vm: null, host: null, start: null, movedAcross: false };
  const host = hostOfVm(f.document, vm);
  const start = f.document.hosts.find((h) => h.name === START_HOST) ?? null;
  const movedAcross =
    !!host && !!start && host.id !== start.id && host.logicalSubnetId !== start.logicalSubnetId;
  return { vm, host, start, movedAcross };
}

export const liveMigration: Lesson = {
  id: 'live-migration',
  title: 'Live migration',
  summary: 'A VM moves to a host on another PA subnet and keeps its address.',
  steps: [
    {
      id: 'keep-the-ca',
      title: 'Move without renumbering',
      scenario: 'live-migration',
      highlight: ['canvas'],
      body: `With network virtualization a VM's CA does not depend on where it runs. It can move to a host on another PA subnet, even another rack.`,
      question: {
        id: 'ca-after-move',
        prompt: `${MIGRATING_VM} moves to a host on another PA subnet. What happens to its CA?`,
        choices: (f) => {
          const vm = findVm(f.document, MIGRATING_VM);
          return choices('keeps', [
            ['keeps', `It stays ${vm ? caOf(vm) : 'the same'}`, 'Right: only the CA→PA mapping changes.'],
            [
              'dhcp',
              'It gets a new one from the new subnet',
              'That is the VLAN world. Here the CA is the tenant’s, wherever the VM runs.',
            ],
          ]);
        },
      },
    },
    {
      id: 'migrate',
      title: 'Migrate it',
      highlight: ['canvas', 'properties'],
      body: `Drag the VM onto a host on the other PA subnet in the physical view, or select it and pick that host in the **Host** dropdown of its properties. The controller sends the new lookup record to every host that talks to it.`,
      task: {
        text: `Move ${MIGRATING_VM} from ${START_HOST} to a host on another PA subnet.`,
        check: (f) => {
          const { vm, host, movedAcross } = moved(f);
          if (!vm) return notYet('Load the live-migration scenario first.');
          if (movedAcross) return done;
          return notYet(
            `${MIGRATING_VM} is on ${host?.name ?? 'no host'}; move it to a host on another PA subnet.`,
          );
        },
      },
    },
    {
      id: 'predict-new-pa',
      title: 'Predict before you look',
      body: `Web still sends to the same CA. Its host now has a new lookup record for it.`,
      question: {
        id: 'outer-after-move',
        prompt: `What will the outer destination IP of a ping from ${PEER_VM} be now?`,
        // "Now" is after the move: before it, the old host's PA is the honest answer to another question.
        needs: (f) => {
          const { vm, host, movedAcross } = moved(f);
          if (!vm) return notYet('Open the live-migration scenario first.');
          return movedAcross
            ? done
            : notYet(
                `This question is about after the move, and ${MIGRATING_VM} is still on ${host?.name ?? 'no host'}. Go back to “Migrate it” and move it first.`,
              );
        },
        choices: (f) => {
          const { vm, host, start } = moved(f);
          if (!vm) return [];
          return choices('new', [
            [
              'new',
              `${paLabel(f.document, vm)} (PA of ${host?.name ?? 'its new host'})`,
              'Right: the mapping now points at the new host.',
            ],
            [
              'old',
              `${start?.providerAddresses.join(' / ') ?? '?'} (PA of ${START_HOST})`,
              'That was before the move: the controller has updated the mapping.',
            ],
            ['ca', `${caOf(vm)} (the CA)`, 'The CA is still the inner destination, never the outer one.'],
          ]);
        },
      },
    },
    {
      id: 'trace-after-move',
      title: 'Trace after the move',
      highlight: ['trace-controls', 'inspector'],
      body: `Trace the ping and check the outer IPv4 header of the encapsulated step.`,
      task: {
        text: `Trace a ping from ${PEER_VM} to ${MIGRATING_VM}.`,
        check: (f) => {
          const traced = tracedBetween(f, PEER_VM, MIGRATING_VM, 'icmp');
          if (!traced.done) return traced;
          const { vm, movedAcross } = moved(f);
          if (!vm || !movedAcross) return notYet(`Migrate ${MIGRATING_VM} first.`);
          const last = f.trace?.encaps[0];
          if (!last) return notYet('The ping was not encapsulated.');
          return paCandidates(f.document, vm).includes(last.outerDstIp)
            ? done
            : notYet(`The outer destination is ${last.outerDstIp}, not the new host's PA.`);
        },
      },
    },
  ],
};
