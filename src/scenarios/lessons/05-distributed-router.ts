import { choices } from './choices';
import { done, gatewayOf, notYet, sameDomainOtherSubnet, subnetOfVm, vmById } from './query';
import type { Lesson, LessonFacts } from './types';

function firstRoutedSubnet(f: LessonFacts) {
  // The first VM network with two or more subnets: the one this lesson routes in.
  const network = f.document.vmNetworks.find(
    (n) => f.document.virtualSubnets.filter((s) => s.vmNetworkId === n.id).length > 1,
  );
  return f.document.virtualSubnets.find((s) => s.vmNetworkId === network?.id) ?? null;
}

function tracedPair(f: LessonFacts) {
  const t = f.trace;
  const from = vmById(f.document, t?.fromVmId ?? null);
  const to = vmById(f.document, t?.toVmId ?? null);
  return { t, from, to };
}

export const distributedRouter: Lesson = {
  id: 'distributed-router',
  title: 'The distributed router',
  summary: 'Every host routes between the subnets of a VM network, and never beyond it.',
  steps: [
    {
      id: 'gateway',
      title: 'A router on every host',
      scenario: 'routing-domains',
      highlight: ['canvas'],
      body: `Every host runs a **distributed router** with an interface in every virtual subnet. It is the one default gateway of each subnet, and its address is the subnet's lowest IP.

It routes only between subnets of the **same VM network** (routing domain).`,
      question: {
        id: 'gateway-address',
        prompt: 'What is the default gateway of a subnet (the first one of a VM network that has several)?',
        choices: (f) => {
          const subnet = firstRoutedSubnet(f);
          if (!subnet) return [];
          const [base] = subnet.prefix.split('/');
          const prefix3 = base.split('.').slice(0, 3).join('.');
          return choices('lowest', [
            [
              'lowest',
              `${gatewayOf(subnet.prefix)} in ${subnet.prefix}`,
              'Right: the lowest address of the subnet, on every host at once.',
            ],
            [
              'highest',
              `${prefix3}.254 in ${subnet.prefix}`,
              'A common convention elsewhere, but HNV uses the lowest.',
            ],
            [
              'network',
              `${base} in ${subnet.prefix}`,
              'That is the network address itself, not a host address.',
            ],
          ]);
        },
      },
    },
    {
      id: 'route-across-subnets',
      title: 'Route between two subnets',
      highlight: ['trace-controls'],
      body: `Pick two VMs in different virtual subnets of the same VM network and trace a ping. Watch the VSID in the inspector before and after the routing step.`,
      task: {
        text: 'Trace a ping between two VMs in different subnets of one VM network.',
        check: (f) => {
          const { t, from, to } = tracedPair(f);
          if (!t || !from || !to) return notYet('Trace a ping from one VM to another VM.');
          if (!sameDomainOtherSubnet(f.document, from, to))
            return notYet('Pick VMs in different subnets of one VM network.');
          if (t.outcome !== 'delivered')
            return notYet(`The ping was dropped: ${t.dropReason ?? 'see the trace'}.`);
          return t.routed ? done : notYet('The trace has no distributed-router step.');
        },
      },
      question: {
        id: 'vsid-after-routing',
        prompt: 'After the distributed router forwards the packet, which VSID does it carry?',
        choices: (f) => {
          const { from, to } = tracedPair(f);
          const a = from ? subnetOfVm(f.document, from)?.vsid : undefined;
          const b = to ? subnetOfVm(f.document, to)?.vsid : undefined;
          return choices('dst', [
            [
              'src',
              `The source subnet's${a ? ` (${a})` : ''}`,
              'The router rewrites it, like it rewrites the MACs.',
            ],
            [
              'dst',
              `The destination subnet's${b ? ` (${b})` : ''}`,
              'Right: VSID, MACs and TTL are rewritten as in any routed hop.',
            ],
            [
              'none',
              'None: routed packets are not encapsulated',
              'They are, whenever the destination is on another host.',
            ],
          ]);
        },
      },
    },
    {
      id: 'no-way-out',
      title: 'The routing domain is the wall',
      body: `A VM network is the isolation boundary. Without a gateway, no packet gets from one routing domain to another, even for the same tenant.`,
      task: {
        text: 'Trace a ping from a VM to a VM in another VM network.',
        check: (f) => {
          const { t, from, to } = tracedPair(f);
          if (!t || !from) return notYet('Trace a ping from a VM.');
          const dst = to ?? f.document.vms.find((vm) => vm.nics.some((n) => n.caIp === t.toIp)) ?? null;
          const a = subnetOfVm(f.document, from);
          const b = dst ? subnetOfVm(f.document, dst) : null;
          if (!a || !b || a.vmNetworkId === b.vmNetworkId)
            return notYet('Pick a destination in another VM network.');
          return t.outcome === 'dropped' ? done : notYet('That packet was delivered?');
        },
      },
      question: {
        id: 'why-dropped',
        prompt: 'Why is it dropped?',
        choices: () =>
          choices('domain', [
            [
              'domain',
              'The router only knows the subnets of its own routing domain',
              'Right: crossing needs a gateway (NAT, VPN or L3 forwarding).',
            ],
            ['acl', 'A default ACL denies it', 'No ACL is involved: there is simply no route.'],
            ['mtu', 'The packet is too big', 'Size has nothing to do with it.'],
          ]),
      },
    },
  ],
};
