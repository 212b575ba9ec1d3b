// The simple fields of each kind of document object, as data: what each form shows, in
// order, with the labels and accessible names users (and the e2e specs) know them by.
import type {
  Acl,
  Host,
  LogicalNetwork,
  LogicalSubnet,
  Router,
  Tenant,
  TopologyDocument,
  VirtualSubnet,
  Vm,
  VmNetwork,
  Vnic,
} from '../../engine/model/schema';
import { connectToLogicalSubnet } from '../actions/commands';
import { parseVlanList } from './edit';
import type { FieldSpec, Option } from './FieldList';

const name = { field: 'name', label: 'Name', kind: 'text' } as const;

const logicalSubnetOptions = (doc: TopologyDocument): Option[] =>
  doc.logicalSubnets.map((s) => ({ value: s.id, label: `${s.name} (${s.prefix})` }));

export const tenantFields: FieldSpec<Tenant>[] = [name];

export const logicalNetworkFields: FieldSpec<LogicalNetwork>[] = [name];

export const routerFields: FieldSpec<Router>[] = [name];

export const vmFields: FieldSpec<Vm>[] = [name];

export const vmNetworkFields: FieldSpec<VmNetwork>[] = [
  name,
  {
    field: 'tenantId',
    label: 'Tenant',
    kind: 'select',
    options: (doc) => doc.tenants.map((t) => ({ value: t.id, label: t.name })),
  },
  { field: 'routingDomainId', label: 'RDID', ariaLabel: 'Routing domain ID', kind: 'text', mono: true },
];

const isVlan = (s: VirtualSubnet) => s.isolation === 'vlan';

/** Which routing domain, how it is isolated, and its VSID (the colour hint follows). */
export const virtualSubnetIdentityFields: FieldSpec<VirtualSubnet>[] = [
  name,
  {
    field: 'vmNetworkId',
    label: 'VM network',
    kind: 'select',
    options: (doc) =>
      doc.vmNetworks.map((n) => ({
        value: n.id,
        label: `${doc.tenants.find((t) => t.id === n.tenantId)?.name ?? '?'} / ${n.name}`,
      })),
  },
  {
    field: 'isolation',
    label: 'Isolation',
    kind: 'segmented',
    options: [
      { value: 'overlay', label: 'Overlay' },
      { value: 'vlan', label: 'VLAN' },
    ],
  },
  { field: 'vlanId', label: 'VLAN', ariaLabel: 'Tenant VLAN ID', kind: 'number', when: isVlan },
  { field: 'vsid', label: 'VSID', kind: 'number' },
];

/** Its addresses and, on the overlay, how it is carried. */
export const virtualSubnetCarriageFields: FieldSpec<VirtualSubnet>[] = [
  { field: 'prefix', label: 'Prefix', kind: 'text', mono: true },
  {
    field: 'encapsulation',
    label: 'Encapsulation',
    kind: 'segmented',
    options: [
      { value: 'vxlan', label: 'VXLAN' },
      { value: 'nvgre', label: 'NVGRE' },
    ],
    when: (s) => !isVlan(s),
  },
];

export const hostFields: FieldSpec<Host>[] = [
  name,
  {
    field: 'logicalSubnetId',
    label: 'Logical subnet',
    kind: 'select',
    options: logicalSubnetOptions,
    commit: (hostId, subnetId) => void connectToLogicalSubnet(hostId, subnetId),
  },
];

export const logicalSubnetFields: FieldSpec<LogicalSubnet>[] = [
  name,
  { field: 'prefix', label: 'Prefix', kind: 'text', mono: true },
  { field: 'vlanId', label: 'VLAN', ariaLabel: 'VLAN ID', kind: 'number' },
  {
    field: 'trunkedVlans',
    label: 'Trunks',
    ariaLabel: 'Trunked tenant VLANs',
    kind: 'text',
    mono: true,
    placeholder: 'e.g. 101, 102',
    format: (vlans) => ((vlans as number[] | undefined) ?? []).join(', '),
    parse: parseVlanList,
  },
  { field: 'defaultGateway', label: 'Gateway', ariaLabel: 'Default gateway', kind: 'text', mono: true },
  { field: 'mtu', label: 'IP MTU', ariaLabel: 'IP MTU (bytes)', kind: 'number' },
  {
    field: 'logicalNetworkId',
    label: 'Network',
    ariaLabel: 'Logical network',
    kind: 'select',
    options: (doc) => doc.logicalNetworks.map((n) => ({ value: n.id, label: n.name })),
  },
];

export const aclFields: FieldSpec<Acl>[] = [
  { field: 'name', label: 'ACL name', kind: 'text' },
  {
    field: 'defaultAction',
    label: 'Default',
    kind: 'segmented',
    options: [
      { value: 'allow', label: 'Allow' },
      { value: 'deny', label: 'Deny' },
    ],
  },
];

/** A VM's network adapter (edited through `updateNic`, not as a document object). */
export const vnicFields: FieldSpec<Vnic>[] = [
  {
    field: 'virtualSubnetId',
    label: 'Subnet',
    ariaLabel: 'Virtual subnet',
    kind: 'select',
    options: (doc) =>
      doc.virtualSubnets.map((s) => {
        const net = doc.vmNetworks.find((n) => n.id === s.vmNetworkId);
        const tenant = doc.tenants.find((t) => t.id === net?.tenantId);
        return { value: s.id, label: `${tenant?.name ?? '?'} / ${s.name} (${s.vsid})` };
      }),
  },
  { field: 'caIp', label: 'CA', ariaLabel: 'Customer address', kind: 'text', mono: true },
  { field: 'mac', label: 'MAC', kind: 'text', mono: true },
  { field: 'name', label: 'Adapter name', kind: 'text' },
  {
    field: 'macAddressSpoofing',
    label: 'MAC spoofing',
    ariaLabel: 'Allow MAC address spoofing',
    kind: 'toggle',
    hint: 'allow other source MACs',
  },
  {
    field: 'ipForwarding',
    label: 'IP forwarding',
    ariaLabel: 'IP forwarding (virtual appliance)',
    kind: 'toggle',
    hint: 'route packets not addressed to it',
  },
];
