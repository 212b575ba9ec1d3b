import type { TopologyDocument } from '../../engine/model/schema';
import { choices } from './choices';
import { all, done, findVm, formatCount, hostOfVm, notYet, subnetOfVm, tracedBetween } from './query';
import type { CheckResult, Lesson, LessonFacts } from './types';

/** The VMs the lesson traces and moves in the VLAN vs overlay scenario. */
export const VLAN_WEB = 'Contoso/VLAN Web';
export const VLAN_SQL = 'Contoso/VLAN SQL';
export const OVERLAY_WEB = 'Contoso/Web';
export const OVERLAY_SQL = 'Contoso/SQL';

/** 12-bit VLAN ID; 0 (priority tag) and 4095 are reserved. */
const VLAN_IDS = 2 ** 12 - 2;
/** 24-bit VSID; 0..4095 and 2^24-1 are reserved (DOMAIN.md §2). */
const VSIDS = 2 ** 24 - 2 - 4096 + 1;

/** VLAN IDs 1..4094 the fabric already uses: provider subnets, their trunks, tenant VLANs. */
export function vlanIdsInUse(doc: TopologyDocument): number {
  const used = new Set<number>();
  for (const s of doc.logicalSubnets) {
    used.add(s.vlanId);
    for (const v of s.trunkedVlans ?? []) used.add(v);
  }
  for (const s of doc.virtualSubnets)
    if (s.isolation === 'vlan' && s.vlanId !== undefined) used.add(s.vlanId);
  return [...used].filter((v) => v >= 1 && v <= VLAN_IDS).length;
}

/** Is the VM's VLAN carried where it runs? null when it is not a VLAN-isolated VM. */
function vlanReaches(doc: TopologyDocument, ref: string): boolean | null {
  const vm = findVm(doc, ref);
  const subnet = vm && subnetOfVm(doc, vm);
  const host = vm && hostOfVm(doc, vm);
  if (subnet?.isolation !== 'vlan' || subnet.vlanId === undefined || !host) return null;
  const vlan = subnet.vlanId;
  const ls = doc.logicalSubnets.find((l) => l.id === host.logicalSubnetId);
  return ls?.trunkedVlans?.includes(vlan) ?? false;
}

/** The VM runs on a host of another logical subnet than the one it started on (Rack 1). */
function movedToOtherRack(f: LessonFacts, ref: string): CheckResult {
  const vm = findVm(f.document, ref);
  if (!vm) return notYet('Load the "VLAN vs overlay" scenario first.');
  const host = hostOfVm(f.document, vm);
  const rack = f.document.logicalSubnets.find((l) => l.id === host?.logicalSubnetId);
  if (!host || rack?.id === 'rack-1')
    return notYet(`${ref} still runs in Rack 1: drag it onto Host 3 (Rack 2), or use Migrate.`);
  return done;
}

/** A traced VLAN-tenant ping that was delivered, with the tag pushed. */
export function tracedVlanPing(f: LessonFacts): CheckResult {
  const between = tracedBetween(f, VLAN_WEB, VLAN_SQL, 'icmp');
  if (!between.done) return between;
  if (vlanReaches(f.document, VLAN_SQL) === false) return notYet(`${VLAN_SQL} is not in Rack 1 any more.`);
  if (!f.trace?.vlans?.includes(101)) return notYet('The trace carried no VLAN 101 tag.');
  return f.trace.outcome === 'delivered' ? done : notYet('The ping did not arrive; try again.');
}

export const whyVlansDontScale: Lesson = {
  id: 'why-vlans-dont-scale',
  title: "Why VLANs don't scale",
  summary: 'Isolation by 802.1Q tag: a small ID space, and a VM tied to where it is plugged in.',
  steps: [
    {
      id: 'one-vlan-per-network',
      title: 'One VLAN per tenant network',
      scenario: 'vlan-vs-overlay',
      highlight: ['canvas'],
      body: `The classic way to keep tenants apart is a VLAN each: the switch adds an 802.1Q tag to every frame, and only ports in the same VLAN see each other.

One VLAN is also one IP subnet, and it lives on the switch ports of one part of the datacenter.`,
      question: {
        id: 'vlan-id-space',
        prompt: 'An 802.1Q tag carries a 12-bit VLAN ID. How many VLANs can it tell apart?',
        choices: () =>
          choices('4094', [
            [
              '1024',
              '1,024',
              'That is closer to what many switches can hold at once, but the tag allows more.',
            ],
            [
              '4094',
              formatCount(VLAN_IDS),
              '12 bits give 4,096 values; 0 and 4095 are reserved. Every tenant network needs one.',
            ],
            ['65534', '65,534', 'That would need 16 bits. The VLAN ID has 12.'],
            [
              '16m',
              formatCount(2 ** 24),
              'That is the size of a 24-bit ID, like a VXLAN VNI, not a VLAN ID.',
            ],
          ]),
      },
    },
    {
      id: 'see-the-tag',
      title: 'Where the tag lives',
      highlight: ['view-switch', 'canvas'],
      body: `In the physical view, each provider logical subnet shows its VLAN ID. Every switch port of every host on it must be configured for that VLAN, and a tenant network can only live where its VLAN is trunked.`,
      task: {
        text: 'In the physical view, select a logical subnet and read its VLAN ID.',
        check: (f) => {
          if (f.view !== 'physical') return notYet('Switch the canvas to the physical view.');
          const picked = f.document.logicalSubnets.some((s) => f.selection.includes(s.id));
          return picked ? done : notYet('Click a logical subnet on the canvas.');
        },
      },
    },
    {
      id: 'trace-the-tag',
      title: 'The tag on the wire',
      highlight: ['trace-controls', 'inspector'],
      body: `Contoso's "VLAN" VMs live in VLAN 101 on Rack 1. Trace a ping from \`${VLAN_WEB}\` to \`${VLAN_SQL}\`.

Pick the step "on the wire": the inspector shows an 802.1Q header right after the MAC addresses, with \`vlan.id\` 101, and then the VM's own IP header. No outer IP, no VXLAN: the tag is all that keeps the tenants apart.`,
      task: {
        text: `Trace a ping from ${VLAN_WEB} to ${VLAN_SQL}.`,
        check: tracedVlanPing,
      },
    },
    {
      id: 'overlay-id-space',
      title: 'The overlay has room',
      body: `Network virtualization gives every virtual subnet a VSID of 24 bits, carried in the VXLAN or NVGRE header. The physical network never sees it: it only routes between hosts.`,
      question: {
        id: 'vsid-space',
        prompt: 'VSIDs 0–4095 and 2²⁴−1 are reserved. How many virtual subnets can one datacenter have?',
        choices: () =>
          choices('vsids', [
            ['vlans', formatCount(VLAN_IDS), 'That is the VLAN limit. VSIDs are twice as wide.'],
            [
              'vsids',
              formatCount(VSIDS),
              `4096 through 16,777,214: about 16.7 million, and no switch has to know any of them.`,
            ],
            ['64k', '65,536', 'That would be a 16-bit ID.'],
          ]),
      },
    },
    {
      id: 'add-tenants',
      title: 'Add tenants until one fails',
      tool: 'add-tenant',
      body: `Every new VLAN tenant needs a VLAN ID of its own on this L2 fabric; an overlay tenant only needs a VSID.

Predict first, then press the two buttons: the engine adds 5,000 tenants each way and stops at the first one that does not fit. It is a dry run: your document stays as it is.`,
      question: {
        id: 'vlans-left',
        prompt: 'Racks and tenants already use some VLAN IDs on this fabric. How many more VLAN tenants fit?',
        choices: (f) => {
          const used = vlanIdsInUse(f.document);
          const left = VLAN_IDS - used;
          return choices('left', [
            [
              'left',
              formatCount(left),
              `${formatCount(VLAN_IDS)} usable IDs minus the ${used} in use. Tenant ${formatCount(left + 1)} on top gets "all 4,094 VLAN IDs are in use".`,
            ],
            [
              'all',
              formatCount(VLAN_IDS),
              'The racks and the two tenants already hold some of the 4,094 IDs.',
            ],
            ['5000', '5,000', 'The 12-bit tag cannot tell 5,000 VLANs apart.'],
          ]);
        },
      },
    },
    {
      id: 'moving-a-vm',
      title: 'Moving a VM',
      body: `With VLANs, where a VM is plugged in decides its subnet. Moving it to a rack on another VLAN means a new IP address.

But the IP address is the VM's identity for firewall rules, ACLs, DNS and IPsec.`,
      question: {
        id: 'move-under-vlans',
        prompt:
          'A VM moves to a rack whose ports carry another VLAN. Under VLAN isolation, what must change?',
        choices: () =>
          choices('ip', [
            [
              'ip',
              'Its IP address, and with it every policy that names it',
              'Right. That is why overlays let a VM keep its address wherever it runs.',
            ],
            ['nothing', 'Nothing: VLANs follow the VM', 'VLANs are configured on switch ports, not on VMs.'],
            ['mac', 'Only its MAC address', 'The MAC can stay; the subnet, and so the IP, cannot.'],
          ]),
      },
    },
    {
      id: 'move-vlan-vm',
      title: 'Move the VLAN VM',
      highlight: ['canvas', 'trace-controls'],
      body: `Rack 2's ToR does not trunk VLAN 101. Drag \`${VLAN_SQL}\` onto Host 3 (Rack 2), then trace the ping from \`${VLAN_WEB}\` again.

The trace stops in red and says why.`,
      task: {
        text: `Move ${VLAN_SQL} to Host 3 and trace a ping to it from ${VLAN_WEB}: it must fail.`,
        check: (f) =>
          all(
            movedToOtherRack(f, VLAN_SQL),
            tracedBetween(f, VLAN_WEB, VLAN_SQL, 'icmp'),
            (() => {
              if (f.trace?.outcome !== 'dropped')
                return notYet('The latest trace was delivered: move the VM first.');
              return /VLAN 101 is not carried/.test(f.trace.dropReason ?? '')
                ? done
                : notYet('The trace failed for another reason; read it in the timeline.');
            })(),
          ),
      },
    },
    {
      id: 'move-overlay-vm',
      title: 'Now the overlay VM',
      highlight: ['canvas', 'trace-controls'],
      body: `Do the same with the overlay: drag \`${OVERLAY_SQL}\` onto Host 3 and trace from \`${OVERLAY_WEB}\`.

It keeps 10.1.1.11; only its lookup record changes, to Host 3's PA. The ping crosses the L3 router inside VXLAN.`,
      task: {
        text: `Move ${OVERLAY_SQL} to Host 3 and trace a ping to it from ${OVERLAY_WEB}: it arrives.`,
        check: (f) =>
          all(
            movedToOtherRack(f, OVERLAY_SQL),
            tracedBetween(f, OVERLAY_WEB, OVERLAY_SQL, 'icmp'),
            f.trace?.outcome === 'delivered' ? done : notYet('The latest trace did not arrive.'),
          ),
      },
    },
  ],
};
