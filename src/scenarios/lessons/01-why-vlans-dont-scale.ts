import { choices } from './choices';
import { done, formatCount, notYet } from './query';
import type { Lesson } from './types';

/** 12-bit VLAN ID; 0 (priority tag) and 4095 are reserved. */
const VLAN_IDS = 2 ** 12 - 2;
/** 24-bit VSID; 0..4095 and 2^24-1 are reserved (DOMAIN.md §2). */
const VSIDS = 2 ** 24 - 2 - 4096 + 1;

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
  ],
};
