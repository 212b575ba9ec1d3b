import { choices } from './choices';
import { done, notYet, tracedBetween } from './query';
import type { Lesson } from './types';

const WEB = 'Contoso/Web';
const SQL = 'Contoso/SQL';

export const slowAndFastPath: Lesson = {
  id: 'slow-and-fast-path',
  title: 'Slow path and fast path',
  summary: 'VFP walks its layers once per flow, then replays the cached actions.',
  steps: [
    {
      id: 'layers',
      title: 'Layers of rules',
      scenario: 'multi-tenant',
      highlight: ['tables'],
      body: `Inside the vSwitch, **VFP** runs each packet through the layers bound to the port: ACL, virtual network, PA routing. Each layer has groups, each group has rules with priorities.

Walking every rule of every layer is expensive.`,
      question: {
        id: 'first-packet',
        prompt: 'What happens to the first packet of a new flow?',
        choices: () =>
          choices('walk', [
            [
              'walk',
              'It walks every layer, and the resulting actions are cached',
              'Right: that is the slow path. The result goes into the unified flow table (UFT).',
            ],
            [
              'drop',
              'It is dropped until the flow is programmed',
              'Nothing is dropped: the host agent already programmed the rules.',
            ],
            ['controller', 'It is sent to the Network Controller', 'The controller is not on the data path.'],
          ]),
      },
    },
    {
      id: 'first-trace',
      title: 'The first packet',
      highlight: ['trace-controls', 'trace-timeline'],
      body: `Trace a ping. The event list opens on the summary; press **All steps** above it (or **all steps** on one packet's row) to see each VFP layer and group the packet walked.`,
      task: {
        text: `Trace a ping from ${WEB} to ${SQL} and look for the slow path.`,
        check: (f) => {
          const traced = tracedBetween(f, WEB, SQL, 'icmp');
          if (!traced.done) return traced;
          return f.trace?.path === 'slow' || f.trace?.path === 'fast'
            ? done
            : notYet('The trace shows no VFP path.');
        },
      },
    },
    {
      id: 'next-packet',
      title: 'The next packets',
      highlight: ['tables'],
      body: `The UFT entry is keyed by the fields the slow path read. A later packet of the same flow matches it and gets the whole action list at once: that is the **fast path**. Its hit counter goes up.`,
      task: {
        text: `Trace the same ping again and see it take the fast path.`,
        hint: 'The host tables show the flow entry and its hit counter.',
        check: (f) => {
          const traced = tracedBetween(f, WEB, SQL, 'icmp');
          if (!traced.done) return traced;
          return f.trace?.path === 'fast'
            ? done
            : notYet('This packet took the slow path: trace it once more.');
        },
      },
      question: {
        id: 'policy-change',
        prompt: 'You edit an ACL on SQL. What happens to the cached flows?',
        choices: () =>
          choices('invalidate', [
            [
              'invalidate',
              'They are invalidated; the next packet takes the slow path again',
              'Right: otherwise old policy would keep applying to established flows.',
            ],
            [
              'keep',
              'They stay until they time out',
              'Then an ACL change would not apply to existing flows.',
            ],
            [
              'copy',
              'The controller rewrites each cached entry',
              'The cache is per port on the host; it is simply dropped.',
            ],
          ]),
      },
    },
  ],
};
