// Creating objects. Every allocated value (CA, MAC, PA, VSID, RDID) arrives in the
// arguments: the store asks the engine's allocation helpers (through the worker)
// first, so these edits stay pure and the user can override any value afterwards.
import type {
  Encapsulation,
  Host,
  LogicalSubnet,
  Router,
  Tenant,
  VirtualSubnet,
  Vm,
  VmNetwork,
} from '../../engine/model/schema';
import { JUMBO_IP_MTU } from '../../engine/net';
import { ActionError, defineAction, type Point, type View } from './types';
import { namesOf, newObjectId, uniqueName, withPosition } from './util';

interface Placed {
  id: string;
  name?: string;
  view?: View;
  position?: Point;
}

export const addTenant = defineAction<Placed>('addTenant', 'Add tenant', (doc, args) => {
  const tenant: Tenant = { id: args.id, name: args.name ?? uniqueName(namesOf(doc, 'tenants'), 'Tenant') };
  return withPosition(
    { ...doc, tenants: [...doc.tenants, tenant] },
    args.view ?? 'virtual',
    args.id,
    args.position,
  );
});

export const addVmNetwork = defineAction<Placed & { tenantId: string; routingDomainId: string }>(
  'addVmNetwork',
  'Add VM network',
  (doc, args) => {
    if (!doc.tenants.some((t) => t.id === args.tenantId)) {
      throw new ActionError(
        'A VM network belongs to a tenant: add a tenant first, then drop the VM network on it.',
      );
    }
    const vmNetwork: VmNetwork = {
      id: args.id,
      name: args.name ?? uniqueName(namesOf(doc, 'vmNetworks'), 'VM network'),
      tenantId: args.tenantId,
      routingDomainId: args.routingDomainId,
    };
    return withPosition(
      { ...doc, vmNetworks: [...doc.vmNetworks, vmNetwork] },
      args.view ?? 'virtual',
      args.id,
      args.position,
    );
  },
);

export const addVirtualSubnet = defineAction<
  Placed & { vmNetworkId: string; vsid: number; prefix: string; encapsulation?: Encapsulation }
>('addVirtualSubnet', 'Add virtual subnet', (doc, args) => {
  if (!doc.vmNetworks.some((n) => n.id === args.vmNetworkId)) {
    throw new ActionError(
      'A virtual subnet lives in a VM network: add a VM network first, then drop the subnet on it.',
    );
  }
  const subnet: VirtualSubnet = {
    id: args.id,
    name: args.name ?? uniqueName(namesOf(doc, 'virtualSubnets'), 'Subnet'),
    vmNetworkId: args.vmNetworkId,
    vsid: args.vsid,
    prefix: args.prefix,
    encapsulation: args.encapsulation ?? (doc.hnvMode === 'v1' ? 'nvgre' : 'vxlan'),
  };
  return withPosition(
    { ...doc, virtualSubnets: [...doc.virtualSubnets, subnet] },
    args.view ?? 'virtual',
    args.id,
    args.position,
  );
});

export const addVm = defineAction<
  Placed & { nicId?: string; hostId: string; virtualSubnetId: string; caIp: string; mac: string }
>('addVm', 'Add VM', (doc, args) => {
  if (!doc.hosts.some((h) => h.id === args.hostId)) {
    throw new ActionError('A VM runs on a Hyper-V host: add a host first, then drop the VM on it.');
  }
  if (!doc.virtualSubnets.some((s) => s.id === args.virtualSubnetId)) {
    throw new ActionError(
      "A VM's adapter sits in a virtual subnet: add a tenant, VM network and virtual subnet first.",
    );
  }
  const name = args.name ?? uniqueName(namesOf(doc, 'vms'), 'VM');
  const vm: Vm = {
    id: args.id,
    name,
    hostId: args.hostId,
    nics: [
      {
        id: args.nicId ?? newObjectId('nic'),
        name: 'Ethernet',
        mac: args.mac,
        caIp: args.caIp,
        virtualSubnetId: args.virtualSubnetId,
      },
    ],
  };
  return withPosition({ ...doc, vms: [...doc.vms, vm] }, args.view ?? 'physical', args.id, args.position);
});

export const addHost = defineAction<
  Placed & { logicalSubnetId: string; providerAddresses: string[]; teamMacs: string[] }
>('addHost', 'Add host', (doc, args) => {
  const host: Host = {
    id: args.id,
    name: args.name ?? uniqueName(namesOf(doc, 'hosts'), 'Host'),
    logicalSubnetId: args.logicalSubnetId,
    teamMembers: args.teamMacs.map((mac, i) => ({ name: `NIC${i + 1}`, mac })),
    providerAddresses: args.providerAddresses,
  };
  if (host.teamMembers.length === 0)
    throw new ActionError('A host needs at least one physical NIC in its team.');
  return withPosition(
    { ...doc, hosts: [...doc.hosts, host] },
    args.view ?? 'physical',
    args.id,
    args.position,
  );
});

export const addLogicalSubnet = defineAction<
  Placed & { prefix: string; vlanId: number; defaultGateway: string; mtu?: number; logicalNetworkId?: string }
>('addLogicalSubnet', 'Add logical subnet', (doc, args) => {
  let next = doc;
  let logicalNetworkId = args.logicalNetworkId ?? doc.logicalNetworks[0]?.id;
  if (!logicalNetworkId) {
    // The first PA subnet brings its provider logical network along.
    logicalNetworkId = `${args.id}-net`;
    next = {
      ...next,
      logicalNetworks: [...next.logicalNetworks, { id: logicalNetworkId, name: 'HNV Provider' }],
    };
  }
  const subnet: LogicalSubnet = {
    id: args.id,
    name: args.name ?? uniqueName(namesOf(doc, 'logicalSubnets'), 'PA subnet'),
    logicalNetworkId,
    prefix: args.prefix,
    vlanId: args.vlanId,
    defaultGateway: args.defaultGateway,
    mtu: args.mtu ?? JUMBO_IP_MTU,
  };
  return withPosition(
    { ...next, logicalSubnets: [...next.logicalSubnets, subnet] },
    args.view ?? 'physical',
    args.id,
    args.position,
  );
});

export const addRouter = defineAction<Placed>('addRouter', 'Add router', (doc, args) => {
  const router: Router = {
    id: args.id,
    name: args.name ?? uniqueName(namesOf(doc, 'routers'), 'Router'),
    interfaces: [],
  };
  return withPosition(
    { ...doc, routers: [...doc.routers, router] },
    args.view ?? 'physical',
    args.id,
    args.position,
  );
});

export const addAcl = defineAction<{
  id: string;
  name?: string;
  attachTo?: { kind: 'subnet' | 'nic'; id: string; vmId?: string };
}>('addAcl', 'Add ACL', (doc, args) => {
  const acl = {
    id: args.id,
    name: args.name ?? uniqueName(namesOf(doc, 'acls'), 'ACL'),
    defaultAction: 'allow' as const,
    rules: [],
  };
  let next = { ...doc, acls: [...doc.acls, acl] };
  const target = args.attachTo;
  if (target?.kind === 'subnet') {
    next = {
      ...next,
      virtualSubnets: next.virtualSubnets.map((s) => (s.id === target.id ? { ...s, aclId: args.id } : s)),
    };
  } else if (target?.kind === 'nic') {
    next = {
      ...next,
      vms: next.vms.map((vm) =>
        vm.id === target.vmId
          ? { ...vm, nics: vm.nics.map((n) => (n.id === target.id ? { ...n, aclId: args.id } : n)) }
          : vm,
      ),
    };
  }
  return next;
});
