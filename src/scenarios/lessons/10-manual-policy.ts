import { choices } from './choices';
import { all, done, findVm, hostOfVm, notYet, scenarioOpened, tracedBetween } from './query';
import type { Lesson, LessonFacts } from './types';

/** The VM the lesson moves, its peer, and the host it moves to, in the HNVv1 scenario. */
export const MOVING_VM = 'Fabrikam/Web';
export const PEER = 'Fabrikam/SQL';
export const TARGET_HOST = 'Host 1';
const SCENARIO = 'hnv-v1-vs-v2';

const powershell = (f: LessonFacts) =>
  f.document.policySource === 'powershell'
    ? done
    : notYet(
        'Set “Policy set by” to PowerShell first, in the datacenter’s properties (click the empty canvas).',
      );

function movedToTarget(f: LessonFacts) {
  const vm = findVm(f.document, MOVING_VM);
  const host = vm ? hostOfVm(f.document, vm) : null;
  return vm && host?.name === TARGET_HOST
    ? done
    : notYet(
        `${MOVING_VM} runs on ${host?.name ?? 'no host'}: move it to ${TARGET_HOST} first (the Host dropdown of its properties).`,
      );
}

/** The admin's record for the moved VM points at a PA of the host it now runs on. */
function recordUpdated(f: LessonFacts) {
  const vm = findVm(f.document, MOVING_VM);
  const host = vm ? hostOfVm(f.document, vm) : null;
  const nic = vm?.nics[0];
  const subnet = f.document.virtualSubnets.find((s) => s.id === nic?.virtualSubnetId);
  const record = f.document.lookupRecords?.find((r) => r.vsid === subnet?.vsid && r.caIp === nic?.caIp);
  if (!vm || !host || !record) return notYet(`No lookup record for ${MOVING_VM}: redo the earlier steps.`);
  return host.providerAddresses.includes(record.pa)
    ? done
    : notYet(
        `The record for ${nic?.caIp} @ VSID ${subnet?.vsid} still says PA ${record.pa}. In the Console: Set-NetVirtualizationLookupRecord -CustomerAddress ${nic?.caIp} -VirtualSubnetID ${subnet?.vsid} -ProviderAddress <a PA of ${host.name}>`,
      );
}

export const manualPolicy: Lesson = {
  id: 'manual-policy',
  title: 'HNVv1 without a controller',
  summary: 'Policy set by PowerShell: a live migration is not enough, the admin updates the records.',
  steps: [
    {
      id: 'hand-over',
      title: 'Policy by PowerShell',
      scenario: SCENARIO,
      highlight: ['properties'],
      body: `In HNVv1 each host's lookup records are written with **New-NetVirtualizationLookupRecord**, by SCVMM or by an admin's script. Hand the policy to PowerShell: the hosts keep exactly the records they hold now.`,
      task: {
        text: 'Set “Policy set by” to PowerShell in the datacenter’s properties.',
        check: (f) => all(scenarioOpened(f, SCENARIO, 'HNVv1 vs HNVv2'), powershell(f)),
      },
    },
    {
      id: 'move',
      title: 'Live-migrate',
      highlight: ['canvas', 'properties'],
      body: `Select ${MOVING_VM} and pick ${TARGET_HOST} in the **Host** dropdown of its properties.`,
      task: {
        text: `Move ${MOVING_VM} to ${TARGET_HOST}.`,
        check: (f) => all(powershell(f), movedToTarget(f)),
      },
    },
    {
      id: 'predict',
      title: 'Predict before you look',
      body: `Nobody told the hosts. ${PEER} runs on ${TARGET_HOST} too, now.`,
      question: {
        id: 'stale-record',
        prompt: `${PEER} pings ${MOVING_VM}. What happens?`,
        needs: (f) => all(powershell(f), movedToTarget(f)),
        choices: () =>
          choices('old-host', [
            [
              'old-host',
              'It is tunnelled to the old host and dropped there',
              'Right: the record still names the old PA, and a host delivers only to its own ports.',
            ],
            [
              'local',
              'It is delivered on the same host',
              'Only if the record said so: with PowerShell policy, the records did not follow the VM.',
            ],
            ['arp', 'ARP fails first', 'The host agent answers ARP from its records, and it still has one.'],
          ]),
      },
    },
    {
      id: 'see-it-fail',
      title: 'See it fail',
      highlight: ['trace-controls'],
      body: 'Trace the ping and read where it was dropped.',
      task: {
        text: `Trace a ping from ${PEER} to ${MOVING_VM}; it is dropped.`,
        check: (f) => {
          const traced = tracedBetween(f, PEER, MOVING_VM, 'icmp');
          if (!traced.done) return traced;
          return f.trace?.outcome === 'dropped'
            ? done
            : notYet('This ping was delivered: is the policy still PowerShell’s?');
        },
      },
    },
    {
      id: 'fix',
      title: 'Update the record',
      highlight: ['trace-controls'],
      body: `Open the **Console** tab (next to Trace) and move the record, as the admin would: **Set-NetVirtualizationLookupRecord** with the VM's CA, its VSID and a PA of ${TARGET_HOST} (Get-NetVirtualizationProviderAddress -CimSession '${TARGET_HOST}' lists them; Tab completes).`,
      task: {
        text: `Point the record of ${MOVING_VM} at ${TARGET_HOST}.`,
        check: (f) => all(powershell(f), recordUpdated(f)),
      },
    },
    {
      id: 'works',
      title: 'Trace again',
      highlight: ['trace-controls'],
      body: 'The SDN v2 stack does this for you: the Network Controller pushes the new record to every host on a move.',
      task: {
        text: `Trace the ping from ${PEER} to ${MOVING_VM} again; it is delivered.`,
        check: (f) => {
          const traced = tracedBetween(f, PEER, MOVING_VM, 'icmp');
          if (!traced.done) return traced;
          return f.trace?.outcome === 'delivered' ? done : notYet('Still dropped: check the record’s PA.');
        },
      },
    },
  ],
};
