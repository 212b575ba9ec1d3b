import { choices } from './choices';
import { done, findVm, hostOfVm, notYet, subnetOfVm, tracedBetween } from './query';
import type { Lesson, LessonFacts } from './types';

const WEB = 'Contoso/Web';
const SQL = 'Contoso/SQL';

/** Outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 (RFC 7348). */
const VXLAN_OVERHEAD = 14 + 20 + 8 + 8;
/** Outer Ethernet 14 + IPv4 20 + GRE with key 8 (RFC 7637). */
const NVGRE_OVERHEAD = 14 + 20 + 8;
const VLAN_TAG = 4;

function webVsid(f: LessonFacts): number | null {
  const web = findVm(f.document, WEB);
  return web ? (subnetOfVm(f.document, web)?.vsid ?? null) : null;
}

/** The VLAN of the PA subnet Web's host sends on (0 = untagged). */
function webPaVlan(f: LessonFacts): number {
  const web = findVm(f.document, WEB);
  const host = web ? hostOfVm(f.document, web) : null;
  return f.document.logicalSubnets.find((s) => s.id === host?.logicalSubnetId)?.vlanId ?? 0;
}

function tracedWith(f: LessonFacts, type: 'vxlan' | 'nvgre') {
  const traced = tracedBetween(f, WEB, SQL);
  if (!traced.done) return traced;
  const vsid = webVsid(f);
  const encap = f.trace?.encaps.find((e) => e.type === type);
  if (!encap) return notYet(`The latest trace has no ${type === 'vxlan' ? 'VXLAN' : 'NVGRE'} step.`);
  return encap.vsid === vsid ? done : notYet(`The ${type} header carries ${encap.vsid}, not ${vsid}.`);
}

export const encapsulation: Lesson = {
  id: 'encapsulation',
  title: 'Encapsulation byte by byte',
  summary: 'VXLAN and NVGRE: the envelope around the VM’s frame, and what it costs.',
  steps: [
    {
      id: 'the-envelope',
      title: 'The envelope',
      scenario: 'multi-tenant',
      body: `The host puts the VM's whole Ethernet frame (without its FCS) inside a new packet addressed PA to PA.

With **VXLAN** that new packet is: outer Ethernet, outer IPv4, UDP to port 4789, and an 8-byte VXLAN header whose 24-bit **VNI** is the VSID.`,
      question: {
        id: 'vxlan-overhead',
        prompt: 'How many bytes does VXLAN add in front of the inner frame (no VLAN tag)?',
        choices: () =>
          choices('50', [
            ['42', '42', 'That is NVGRE: its GRE header replaces UDP + VXLAN.'],
            ['50', `${VXLAN_OVERHEAD}`, 'Right: 14 (Ethernet) + 20 (IPv4) + 8 (UDP) + 8 (VXLAN).'],
            ['160', '160', 'That is the headroom Hyper-V reserves for encapsulation, not what VXLAN adds.'],
            ['8', '8', 'That is only the VXLAN header itself.'],
          ]),
      },
    },
    {
      id: 'trace-vxlan',
      title: 'Find the VNI',
      highlight: ['trace-controls', 'inspector'],
      body: `Trace a ping, select the step where the packet is encapsulated and find \`vxlan.vni\` in the header tree. Click it: its 3 bytes light up in the hex dump.`,
      task: {
        text: `Trace a ping from ${WEB} to ${SQL} that crosses the network in VXLAN.`,
        check: (f) => tracedWith(f, 'vxlan'),
      },
    },
    {
      id: 'vlan-tag',
      title: 'One more tag',
      body: `The outer frame travels on the PA logical subnet, which may have its own VLAN. Then the outer Ethernet header carries an 802.1Q tag too.`,
      question: {
        id: 'overhead-here',
        prompt: `In this datacenter, how many bytes does VXLAN add to a packet leaving ${WEB}'s host?`,
        choices: (f) => {
          const vlan = webPaVlan(f);
          const tagged = vlan !== 0;
          return choices(tagged ? 'tagged' : 'untagged', [
            [
              'untagged',
              `${VXLAN_OVERHEAD}`,
              tagged
                ? `The PA subnet uses VLAN ${vlan}, so the outer frame carries a 4-byte tag as well.`
                : 'Right: the PA subnet is untagged (VLAN 0), so no 802.1Q tag is added.',
            ],
            [
              'tagged',
              `${VXLAN_OVERHEAD + VLAN_TAG}`,
              tagged
                ? `Right: VLAN ${vlan} adds a 4-byte 802.1Q tag to the outer Ethernet header.`
                : 'The PA subnet here is untagged, so there is no extra tag.',
            ],
          ]);
        },
      },
    },
    {
      id: 'switch-to-nvgre',
      title: 'Switch to NVGRE',
      highlight: ['properties'],
      body: `HNVv1 used **NVGRE**: outer IPv4 with protocol 47 and a GRE header with the key bit set and protocol 0x6558. Encapsulation is configured per virtual subnet.`,
      task: {
        text: `Set the encapsulation of ${WEB}'s virtual subnet to NVGRE.`,
        check: (f) => {
          const web = findVm(f.document, WEB);
          const subnet = web ? subnetOfVm(f.document, web) : null;
          if (!subnet) return notYet('Load the multi-tenant scenario first.');
          return subnet.encapsulation === 'nvgre'
            ? done
            : notYet(`Virtual subnet ${subnet.name} still uses ${subnet.encapsulation.toUpperCase()}.`);
        },
      },
      question: {
        id: 'nvgre-overhead',
        prompt: 'How many bytes does NVGRE add (no VLAN tag)?',
        choices: () =>
          choices('42', [
            [
              '42',
              `${NVGRE_OVERHEAD}`,
              'Right: 14 (Ethernet) + 20 (IPv4) + 8 (GRE with a key). No UDP header.',
            ],
            ['50', `${VXLAN_OVERHEAD}`, 'That is VXLAN. GRE sits directly on IP, without UDP.'],
            ['38', '38', 'The GRE header with a key is 8 bytes, not 4.'],
          ]),
      },
    },
    {
      id: 'trace-nvgre',
      title: 'The GRE key',
      highlight: ['trace-controls', 'inspector'],
      body: `Trace again. In NVGRE the 32-bit GRE key holds the VSID in its top 24 bits and a FlowID in the last 8 (for ECMP spreading); the inspector splits it for you.`,
      task: {
        text: `Trace a ping from ${WEB} to ${SQL} again, now in NVGRE.`,
        check: (f) => tracedWith(f, 'nvgre'),
      },
      question: {
        id: 'gre-key-top',
        prompt: 'Written in hex, what are the top 24 bits of the GRE key?',
        choices: (f) => {
          const vsid = webVsid(f) ?? 0;
          const hex = (n: number) => `0x${n.toString(16).padStart(6, '0')}`;
          return choices('vsid', [
            ['vsid', hex(vsid), `Right: ${vsid} is ${hex(vsid)}, the VSID of Web's subnet.`],
            [
              'swapped',
              hex(((vsid & 0xff) << 16) | (vsid & 0xff00) | (vsid >> 16)),
              'The key is big-endian on the wire: bytes in order.',
            ],
            [
              'proto',
              '0x006558',
              '0x6558 is the GRE protocol type (transparent Ethernet bridging), not the key.',
            ],
          ]);
        },
      },
    },
  ],
};
