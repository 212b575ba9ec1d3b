import { choices } from './choices';
import { done, findVm, hostOfVm, notYet, tracedBetween } from './query';
import type { Lesson, LessonFacts } from './types';

const WEB = 'Contoso/Web';
const SQL = 'Contoso/SQL';

/** The logical subnet (rack) a VM's host is attached to. */
function rackOf(f: LessonFacts, ref: string) {
  const vm = findVm(f.document, ref);
  const host = vm ? hostOfVm(f.document, vm) : null;
  return f.document.logicalSubnets.find((s) => s.id === host?.logicalSubnetId) ?? null;
}

export const physicalNetwork: Lesson = {
  id: 'physical-network',
  title: 'The physical network underneath',
  summary:
    'Hosts and routers on the PA network: ARP for the next hop, MTU, and who says a packet did not fit.',
  steps: [
    {
      id: 'next-hop',
      title: 'Whose MAC?',
      scenario: 'multi-tenant',
      body: `Under the overlay, hosts and routers are plain IP nodes on the PA network. Before Host 2 can put its first tunnel packet on the wire, it needs the MAC of the **next hop**: the remote host itself if its PA is on the same logical subnet, otherwise the subnet's gateway.

That is ordinary ARP, on the physical link, in the link's VLAN. It has nothing to do with the host agent's ARP for CAs, which never leaves the host.`,
      question: {
        id: 'who-is-asked',
        prompt: `${WEB}'s host sends its first VXLAN packet to ${SQL}'s host. Whose MAC does it ARP for?`,
        choices: (f) => {
          const web = rackOf(f, WEB);
          const sql = rackOf(f, SQL);
          const sameRack = web !== null && web.id === sql?.id;
          const sqlVm = findVm(f.document, SQL);
          const sqlPa = (sqlVm && hostOfVm(f.document, sqlVm)?.providerAddresses[0]) ?? 'the remote PA';
          return choices(sameRack ? 'host' : 'gateway', [
            [
              'gateway',
              `The gateway of its logical subnet, ${web?.defaultGateway ?? '?'}`,
              sameRack
                ? 'Both hosts are on the same logical subnet here: the remote host is asked directly.'
                : `Right: ${sqlPa} is in another logical subnet, so the packet goes to the router first.`,
            ],
            [
              'host',
              `${SQL}'s host, ${sqlPa}`,
              sameRack
                ? 'Right: both PAs are on one logical subnet, so the remote host answers for itself.'
                : `${sqlPa} is on another logical subnet: ARP does not cross the router.`,
            ],
            [
              'agent',
              'Nobody: the host agent answers from its policy store',
              'The host agent answers ARP for CAs inside the host. PA next hops are real neighbours on the wire.',
            ],
          ]);
        },
      },
    },
    {
      id: 'see-arp',
      title: 'ARP on the wire',
      highlight: ['trace-controls', 'trace-timeline'],
      body: `Trace a ping, press **all steps** on the echo request's row, and look between the encapsulation and the uplink: an ARP request (broadcast, VLAN-tagged) and its answer, both on the link (the **PA ARP** filter shows or hides them). Further on, the router does the same on the other link.

The answerer also learns the asker from the request (RFC 826), so the reply packet needs no ARP at all.`,
      task: {
        text: `Trace a ping from ${WEB} to ${SQL} on a fresh lab and find Host 2's ARP for its next hop.`,
        hint: 'ARP caches fill on first use. If there is no ARP on the links, reload the scenario and trace again.',
        check: (f) => {
          const traced = tracedBetween(f, WEB, SQL, 'icmp');
          if (!traced.done) return traced;
          const web = rackOf(f, WEB);
          const asked = f.trace?.paArp?.some((a) => a.targetIp === web?.defaultGateway);
          return asked
            ? done
            : notYet(
                'No ARP on the links in this trace: the caches already knew the next hops. Reload the scenario and trace again.',
              );
        },
      },
      question: {
        id: 'second-time',
        prompt: 'You trace the same ping once more. How many ARP requests cross the physical links?',
        choices: () =>
          choices('none', [
            [
              'none',
              'None',
              'Right: every host and router keeps its ARP cache; the host tables show Host 2’s.',
            ],
            ['two', 'Two, one per link', 'They were answered the first time and cached.'],
            ['four', 'Four: requests and replies again', 'ARP caches exist so that this does not happen.'],
          ]),
      },
    },
    {
      id: 'too-big',
      title: 'It does not fit',
      highlight: ['properties', 'trace-controls'],
      body: `Every encapsulated packet is 50 bytes bigger than the VM's (VXLAN). Tunnel packets carry **DF** (don't fragment), so a router whose next link is too small drops the packet and says so: ICMP **fragmentation needed**, with the next link's MTU, back to the sending host's PA.`,
      task: {
        text: `Lower the MTU of ${SQL}'s logical subnet below 1500, then ping from ${WEB} to ${SQL} with a size that no longer fits.`,
        hint: `Select the logical subnet on the canvas to edit its MTU; the trace panel's size field sets the VM's packet size.`,
        check: (f) => {
          const rack = rackOf(f, SQL);
          if (!rack || rack.mtu >= 1500)
            return notYet(`${SQL}'s logical subnet still has MTU ${rack?.mtu ?? '?'}.`);
          const traced = tracedBetween(f, WEB, SQL, 'icmp');
          if (!traced.done) return traced;
          const error = f.trace?.icmpErrors?.find((e) => e.type === 3 && e.code === 4);
          return error?.nextHopMtu === rack.mtu
            ? done
            : notYet(
                'The packet fit: make it bigger (the size field), so that it plus 50 bytes exceeds the MTU.',
              );
        },
      },
      question: {
        id: 'next-hop-mtu',
        prompt: 'What MTU does the router’s ICMP message tell Host 2?',
        choices: (f) => {
          const rack = rackOf(f, SQL);
          const mtu = rack?.mtu ?? 1500;
          return choices('link', [
            [
              'link',
              `${mtu}, the MTU of '${rack?.name ?? '?'}'`,
              'Right: the next-hop MTU is that of the link the packet could not take.',
            ],
            [
              'inner',
              `${mtu - 50}, what is left for the VM`,
              'That is what the VM may send; the router only knows its own link.',
            ],
            [
              'none',
              'None: routers drop silently',
              'With DF set, the router sends ICMP type 3 code 4 with the next-hop MTU (RFC 1191).',
            ],
          ]);
        },
      },
    },
  ],
};
