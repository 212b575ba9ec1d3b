// Lesson 12: the software load balancer. A client's flow to the VIP: which DIP the MUX's hash
// picks, how the reply gets back (direct server return: not through the MUX), and what a failing
// health probe changes (new flows avoid the DIP; the flow it has stays: affinity). The right
// answers are computed from the document with the MUX's own hash (Toeplitz over the 5-tuple,
// modulo the DIPs whose probe answers), and the tasks are checked against the engine's traces.

import type { LoadBalancer } from '../../engine/model/schema';
import { toeplitz } from '../../engine/net/toeplitz';
import { choices } from './choices';
import { all, done, notYet, scenarioOpened, vmLabel } from './query';
import type { CheckResult, Lesson, LessonFacts } from './types';

const SCENARIO = 'load-balancer';
export const CLIENT = 'Internet/Client';
/** The trace panel's source port for a TCP trace to port 80 (49152 + port % 1000). */
export const CLIENT_PORT = 49232;
const VIP_PORT = 80;

const ipU32 = (ip: string) => ip.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
const lbOf = (f: LessonFacts): LoadBalancer | undefined => f.document.loadBalancers?.[0];
const clientIp = (f: LessonFacts) => f.document.externalEndpoints?.find((e) => e.name === 'Client')?.ip;

/** The backend pool as VM labels (pool order), with each DIP's vNIC id and CA. */
function pool(f: LessonFacts): { label: string; vnicId: string; ca: string }[] {
  const lb = lbOf(f);
  if (!lb) return [];
  const out: { label: string; vnicId: string; ca: string }[] = [];
  for (const id of lb.backendVnicIds) {
    const vm = f.document.vms.find((v) => v.nics.some((n) => n.id === id));
    const nic = vm?.nics.find((n) => n.id === id);
    if (vm && nic) out.push({ label: vmLabel(f.document, vm), vnicId: id, ca: nic.caIp });
  }
  return out;
}

/** The DIP the MUX picks for a new flow from the client's `port` to VIP:80: the hash over the healthy DIPs. */
export function predictedDip(f: LessonFacts, port = CLIENT_PORT, failing = lbOf(f)?.probeFailures ?? []) {
  const lb = lbOf(f);
  const client = clientIp(f);
  if (!lb || !client) return null;
  const up = pool(f).filter((d) => !failing.includes(d.vnicId));
  if (up.length === 0) return null;
  const hash = toeplitz(ipU32(client), ipU32(lb.frontendIp), ((port << 16) | VIP_PORT) >>> 0, 32);
  return up[hash % up.length];
}

/** The DIP the lesson's flow went to with every probe answering (the first pick). */
const firstDip = (f: LessonFacts) => predictedDip(f, CLIENT_PORT, []);

/** The latest trace is the client's TCP to the VIP's port 80, delivered, through a MUX. */
function tracedToVip(f: LessonFacts): CheckResult {
  const t = f.trace;
  const vip = lbOf(f)?.frontendIp ?? '203.0.113.10';
  const ask = `Trace TCP from ${CLIENT} to ${vip}, port ${VIP_PORT}.`;
  if (!t || t.fromEndpoint !== CLIENT || t.toIp !== vip || t.protocol !== 'tcp') return notYet(ask);
  if (t.outcome !== 'delivered') return notYet(`The flow was dropped: ${t.dropReason ?? 'see the trace'}.`);
  if (!t.slb) return notYet('The trace went through no MUX.');
  return done;
}

const probeFailing = (f: LessonFacts): CheckResult => {
  const dip = firstDip(f);
  if (!dip) return notYet('Open the Software load balancer scenario first.');
  return (lbOf(f)?.probeFailures ?? []).includes(dip.vnicId)
    ? done
    : notYet(
        `Select ${dip.label} and clear its "Health probe" box in the properties (its probe stops answering).`,
      );
};

/** A question about after the probe fails: blocked (with what to do first) until it does. */
const afterProbeDown = (f: LessonFacts): CheckResult => {
  const r = probeFailing(f);
  return r.done
    ? r
    : notYet(`This question is about after the DIP's probe fails. ${r.note ?? ''} Do that first.`);
};

export const softwareLoadBalancer: Lesson = {
  id: 'software-load-balancer',
  title: 'The software load balancer',
  summary: 'A VIP on the MUXes, a hash that picks the DIP, a reply that skips the MUX, and flow affinity.',
  steps: [
    {
      id: 'which-dip',
      title: 'Which DIP gets the flow?',
      scenario: SCENARIO,
      highlight: ['canvas'],
      body: `Web LB's **VIP** 203.0.113.10 is announced to the router by two **SLB MUXes** (BGP). The router sends a client's packet to one of them; the MUX picks a **DIP** (a web VM) by hashing the flow's 5-tuple with **Toeplitz** (RSS's hash), modulo the DIPs whose health probe answers, in pool order.

The trace panel opens TCP from ${CLIENT} (198.51.100.10) port ${CLIENT_PORT} to the VIP's port ${VIP_PORT}.`,
      task: {
        text: 'Open the Software load balancer scenario.',
        check: (f) => scenarioOpened(f, SCENARIO, 'Software load balancer'),
      },
      question: {
        id: 'mux-pick',
        prompt: `Every health probe answers. Which web VM will the MUX pick for 198.51.100.10:${CLIENT_PORT} → 203.0.113.10:${VIP_PORT}?`,
        choices: (f) => {
          const pick = firstDip(f);
          if (!pick) return [];
          return choices(
            pick.vnicId,
            pool(f).map((d): [string, string, string] => [
              d.vnicId,
              `${d.label} (DIP ${d.ca})`,
              d.vnicId === pick.vnicId
                ? `Right: the hash of this 5-tuple, modulo the ${pool(f).length} DIPs whose probe answers, lands on it. Trace it to see the hash.`
                : `Not this one: the Toeplitz hash of the tuple, modulo ${pool(f).length}, lands on ${pick.label}.`,
            ]),
          );
        },
      },
    },
    {
      id: 'dsr',
      title: 'The reply skips the MUX',
      highlight: ['trace-controls'],
      body: `Pick **${CLIENT}** as the source, type 203.0.113.10, TCP port ${VIP_PORT}, and trace. The MUX tunnels the SYN in VXLAN to the DIP's host; the host's SLB agent rewrites VIP → DIP. Then the DIP answers.`,
      task: {
        text: `Trace TCP from ${CLIENT} to 203.0.113.10 port ${VIP_PORT}.`,
        check: tracedToVip,
      },
      question: {
        id: 'reply-path',
        prompt: 'How does the DIP’s SYN-ACK get back to the client?',
        choices: (f) => {
          const vip = lbOf(f)?.frontendIp;
          if (!vip) return [];
          return choices('dsr', [
            [
              'dsr',
              `Straight from the DIP's host to the router, not encapsulated, from ${vip}:${VIP_PORT}`,
              'Right: direct server return. The host agent puts the VIP back as the source and the MUX never sees the reply.',
            ],
            [
              'mux',
              'Back to the MUX in VXLAN; the MUX forwards it to the client',
              'That would make the MUX carry every reply. With DSR only the (small) inbound side goes through it.',
            ],
            [
              'dip-source',
              'From the DIP’s own address, 10.1.1.x',
              'The client talks to the VIP: a reply from 10.1.1.x would match no connection it has.',
            ],
          ]);
        },
      },
    },
    {
      id: 'probe-down',
      title: 'A health probe stops answering',
      highlight: ['canvas', 'properties'],
      body: `The SLB host agent probes each DIP (HTTP GET /health every 5 s). Select the VM that took your flow and clear its **Health probe** box in the properties: the lab's switch for "this DIP stops answering".`,
      task: {
        text: 'Mark the health probe of the DIP that took your flow as failing.',
        check: probeFailing,
      },
      question: {
        id: 'new-flow',
        prompt: 'A new flow (another client port) reaches the MUX now. Where can it go?',
        needs: afterProbeDown,
        choices: (f) => {
          const dip = firstDip(f);
          if (!dip) return [];
          const others = pool(f)
            .filter((d) => d.vnicId !== dip.vnicId)
            .map((d) => d.label)
            .join(' or ');
          return choices('healthy', [
            [
              'healthy',
              `Only to ${others}: the hash picks among the DIPs whose probe answers`,
              `Right: ${dip.label} is out of the pool for new flows.`,
            ],
            [
              'same',
              `Still to ${dip.label} if the hash says so`,
              'A DIP whose probe fails gets no new flows: the MUX hashes over the healthy ones only.',
            ],
            [
              'drop',
              'Nowhere: the MUX drops new flows until every probe answers',
              'Two DIPs still answer; only when none does are new flows dropped.',
            ],
          ]);
        },
      },
    },
    {
      id: 'affinity',
      title: 'The flow it has stays',
      highlight: ['trace-controls'],
      body: `Your flow (port ${CLIENT_PORT}) is in the MUX's flow table. Trace it again.`,
      task: {
        text: `Trace TCP from ${CLIENT} to 203.0.113.10 port ${VIP_PORT} again, with the probe still failing.`,
        check: (f) => {
          const dip = firstDip(f);
          return all(
            probeFailing(f),
            tracedToVip(f),
            f.trace?.slb?.flow === 'existing' && f.trace.slb.dip === dip?.label
              ? done
              : notYet(`The trace shows a new flow: trace the same flow again (port ${CLIENT_PORT}).`),
          );
        },
      },
      question: {
        id: 'existing-flow',
        prompt: `Where does the next packet of your flow go, now that its DIP's probe fails?`,
        needs: afterProbeDown,
        choices: (f) => {
          const dip = firstDip(f);
          if (!dip) return [];
          return choices('stays', [
            [
              'stays',
              `Still to ${dip.label}: the MUX's flow table keeps it (flow affinity)`,
              'Right: moving a live connection to another DIP would break it (that DIP knows nothing of it).',
            ],
            [
              'moves',
              'To a healthy DIP, picked by the hash again',
              'Only new flows are hashed again; a known flow keeps its DIP so the connection survives.',
            ],
            [
              'dropped',
              'Dropped at the MUX',
              'The MUX does not drop a known flow because of a probe: it may still be serving it.',
            ],
          ]);
        },
      },
    },
  ],
};
