// The properties panel: every field of the selected object, with the engine's
// validation messages next to the field they name.
import { useMemo } from 'react';
import type {
  Acl,
  CollectionName,
  Host,
  LogicalSubnet,
  Router,
  TopologyDocument,
  VirtualSubnet,
  Vm,
  VmNetwork,
} from '../../engine/model/schema';
import { nextMacs, reserveMac, workerAllocator } from '../actions/allocate';
import { connectToLogicalSubnet, deleteSelection, migrateVm } from '../actions/commands';
import { disconnectRouter } from '../actions/connect';
import { addAcl } from '../actions/create';
import {
  addAclRule,
  addNic,
  removeAclRule,
  removeNic,
  setTeam,
  updateAclRule,
  updateDocument,
  updateNic,
  updateObject,
  updateRouterInterface,
} from '../actions/update';
import { findCollection, newObjectId } from '../actions/util';
import { colorForRoutingDomain, colorForVsid } from '../colors';
import { type FieldError, useDocumentStore } from '../store/document';
import {
  CellInput,
  FieldErrors,
  NumberField,
  Section,
  Segmented,
  SelectField,
  SmallButton,
  TextField,
} from './fields';

type Errors = FieldError[];

function fieldErrors(errors: Errors, ids: string[], field: string): Errors {
  return errors.filter(
    (e) =>
      e.objectId !== undefined &&
      ids.includes(e.objectId) &&
      (e.field === field || e.field.startsWith(`${field}[`) || e.field.startsWith(`${field}.`)),
  );
}

/** "101, 102" -> [101, 102]; empty -> undefined. Non-numbers are kept as NaN for validation to name. */
function parseVlanList(text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.map(Number);
}

function update<C extends CollectionName>(collection: C, id: string, field: string, value: unknown) {
  useDocumentStore
    .getState()
    .perform(updateObject, { collection, id, patch: { [field]: value } }, { coalesceKey: `${id}.${field}` });
}

const KIND_LABEL: Record<CollectionName, string> = {
  tenants: 'Tenant',
  vmNetworks: 'VM network',
  virtualSubnets: 'Virtual subnet',
  acls: 'ACL',
  vms: 'Virtual machine',
  hosts: 'Hyper-V host',
  logicalNetworks: 'Logical network',
  logicalSubnets: 'Logical subnet',
  routers: 'L3 router',
};

export function PropertiesPanel() {
  const doc = useDocumentStore((s) => s.doc);
  const selection = useDocumentStore((s) => s.selection);
  const errors = useDocumentStore((s) => s.validation.errors);

  if (selection.length === 0) return <DocumentProperties doc={doc} errors={errors} />;
  if (selection.length > 1) {
    return (
      <div className="p-3 text-[13px]">
        <p className="mb-2 font-medium text-slate-800 dark:text-slate-100">
          {selection.length} objects selected
        </p>
        <ul className="mb-3 text-slate-600 dark:text-slate-300">
          {selection.map((id) => (
            <li key={id}>{nameOf(doc, id)}</li>
          ))}
        </ul>
        <SmallButton tone="danger" onClick={() => deleteSelection()}>
          Delete selection
        </SmallButton>
      </div>
    );
  }
  const id = selection[0];
  const collection = findCollection(doc, id);
  if (!collection) return null;
  return (
    <section className="flex flex-col pb-6" aria-label="Properties">
      <header className="flex items-center justify-between px-3 pb-1 pt-3">
        <div>
          <div className="text-[11px] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
            {KIND_LABEL[collection]}
          </div>
          <div className="text-[15px] font-semibold text-slate-900 dark:text-slate-50">{nameOf(doc, id)}</div>
        </div>
        <SmallButton tone="danger" ariaLabel="Delete selected object" onClick={() => deleteSelection()}>
          Delete
        </SmallButton>
      </header>
      <ObjectForm doc={doc} collection={collection} id={id} errors={errors} />
    </section>
  );
}

function nameOf(doc: TopologyDocument, id: string): string {
  const collection = findCollection(doc, id);
  if (!collection) return id;
  return (doc[collection] as { id: string; name: string }[]).find((o) => o.id === id)?.name ?? id;
}

function ObjectForm({
  doc,
  collection,
  id,
  errors,
}: {
  doc: TopologyDocument;
  collection: CollectionName;
  id: string;
  errors: Errors;
}) {
  switch (collection) {
    case 'tenants': {
      const t = doc.tenants.find((o) => o.id === id)!;
      return (
        <Section title="General">
          <TextField
            label="Name"
            value={t.name}
            onChange={(v) => update('tenants', id, 'name', v)}
            errors={fieldErrors(errors, [id], 'name')}
          />
          <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
            VM networks:{' '}
            {doc.vmNetworks
              .filter((n) => n.tenantId === id)
              .map((n) => n.name)
              .join(', ') || 'none yet — drop one onto the tenant'}
          </p>
        </Section>
      );
    }
    case 'vmNetworks':
      return <VmNetworkForm doc={doc} net={doc.vmNetworks.find((o) => o.id === id)!} errors={errors} />;
    case 'virtualSubnets':
      return (
        <VirtualSubnetForm doc={doc} subnet={doc.virtualSubnets.find((o) => o.id === id)!} errors={errors} />
      );
    case 'vms':
      return <VmForm doc={doc} vm={doc.vms.find((o) => o.id === id)!} errors={errors} />;
    case 'hosts':
      return <HostForm doc={doc} host={doc.hosts.find((o) => o.id === id)!} errors={errors} />;
    case 'logicalSubnets':
      return (
        <LogicalSubnetForm doc={doc} subnet={doc.logicalSubnets.find((o) => o.id === id)!} errors={errors} />
      );
    case 'routers':
      return <RouterForm doc={doc} router={doc.routers.find((o) => o.id === id)!} errors={errors} />;
    case 'acls':
      return <AclEditor acl={doc.acls.find((o) => o.id === id)!} errors={errors} />;
    case 'logicalNetworks': {
      const n = doc.logicalNetworks.find((o) => o.id === id)!;
      return (
        <Section title="Logical network">
          <TextField
            label="Name"
            value={n.name}
            onChange={(v) => update('logicalNetworks', id, 'name', v)}
            errors={fieldErrors(errors, [id], 'name')}
          />
        </Section>
      );
    }
  }
}

function VmNetworkForm({ doc, net, errors }: { doc: TopologyDocument; net: VmNetwork; errors: Errors }) {
  const ids = [net.id];
  return (
    <Section title="Routing domain">
      <TextField
        label="Name"
        value={net.name}
        onChange={(v) => update('vmNetworks', net.id, 'name', v)}
        errors={fieldErrors(errors, ids, 'name')}
      />
      <SelectField
        label="Tenant"
        value={net.tenantId}
        options={doc.tenants.map((t) => ({ value: t.id, label: t.name }))}
        onChange={(v) => update('vmNetworks', net.id, 'tenantId', v)}
        errors={fieldErrors(errors, ids, 'tenantId')}
      />
      <TextField
        label="RDID"
        ariaLabel="Routing domain ID"
        mono
        value={net.routingDomainId}
        onChange={(v) => update('vmNetworks', net.id, 'routingDomainId', v)}
        errors={fieldErrors(errors, ids, 'routingDomainId')}
      />
      <div className="flex items-center gap-2 py-1 pl-[104px] text-[12px] text-slate-500">
        <span
          className="h-3 w-3 rounded-sm"
          style={{ background: colorForRoutingDomain(net.routingDomainId) }}
        />
        colour of this routing domain
        <SmallButton
          onClick={async () => {
            const rdid = await workerAllocator.newRoutingDomainId(useDocumentStore.getState().doc);
            update('vmNetworks', net.id, 'routingDomainId', rdid);
          }}
        >
          New RDID
        </SmallButton>
      </div>
      <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
        Its distributed router is the default gateway (lowest address) of each of its virtual subnets and
        routes only between them.
      </p>
    </Section>
  );
}

function AclPicker({
  doc,
  value,
  onChange,
  label,
  attach,
}: {
  doc: TopologyDocument;
  value: string | undefined;
  onChange: (aclId: string | undefined) => void;
  label: string;
  attach: { kind: 'subnet' | 'nic'; id: string; vmId?: string };
}) {
  return (
    <SelectField
      label={label}
      value={value ?? ''}
      options={[
        { value: '', label: 'None (allow all)' },
        ...doc.acls.map((a) => ({ value: a.id, label: a.name })),
        { value: '__new', label: '+ New ACL…' },
      ]}
      onChange={(v) => {
        if (v === '__new') {
          useDocumentStore.getState().perform(addAcl, { id: newObjectId('acl'), attachTo: attach });
        } else onChange(v || undefined);
      }}
    />
  );
}

function VirtualSubnetForm({
  doc,
  subnet,
  errors,
}: {
  doc: TopologyDocument;
  subnet: VirtualSubnet;
  errors: Errors;
}) {
  const ids = [subnet.id];
  const acl = doc.acls.find((a) => a.id === subnet.aclId);
  const vlan = subnet.isolation === 'vlan';
  return (
    <>
      <Section title="General">
        <TextField
          label="Name"
          value={subnet.name}
          onChange={(v) => update('virtualSubnets', subnet.id, 'name', v)}
          errors={fieldErrors(errors, ids, 'name')}
        />
        <SelectField
          label="VM network"
          value={subnet.vmNetworkId}
          options={doc.vmNetworks.map((n) => ({
            value: n.id,
            label: `${doc.tenants.find((t) => t.id === n.tenantId)?.name ?? '?'} / ${n.name}`,
          }))}
          onChange={(v) => update('virtualSubnets', subnet.id, 'vmNetworkId', v)}
          errors={fieldErrors(errors, ids, 'vmNetworkId')}
        />
        <Segmented
          label="Isolation"
          value={subnet.isolation ?? 'overlay'}
          options={[
            { value: 'overlay', label: 'Overlay' },
            { value: 'vlan', label: 'VLAN' },
          ]}
          onChange={(v) => update('virtualSubnets', subnet.id, 'isolation', v)}
        />
        {vlan ? (
          <NumberField
            label="VLAN"
            ariaLabel="Tenant VLAN ID"
            value={subnet.vlanId ?? 0}
            onChange={(v) => update('virtualSubnets', subnet.id, 'vlanId', v)}
            errors={fieldErrors(errors, ids, 'vlanId')}
          />
        ) : null}
        <NumberField
          label="VSID"
          value={subnet.vsid}
          onChange={(v) => update('virtualSubnets', subnet.id, 'vsid', v)}
          errors={fieldErrors(errors, ids, 'vsid')}
        />
        <div className="flex items-center gap-2 pb-1 pl-[104px] text-[12px] text-slate-500">
          <span className="h-3 w-3 rounded-sm" style={{ background: colorForVsid(subnet.vsid) }} />
          {vlan
            ? 'not on the wire: the 802.1Q tag isolates this subnet'
            : 'carried as the VXLAN VNI / NVGRE key'}
        </div>
        <TextField
          label="Prefix"
          mono
          value={subnet.prefix}
          onChange={(v) => update('virtualSubnets', subnet.id, 'prefix', v)}
          errors={fieldErrors(errors, ids, 'prefix')}
        />
        {vlan ? null : (
          <Segmented
            label="Encapsulation"
            value={subnet.encapsulation}
            options={[
              { value: 'vxlan', label: 'VXLAN' },
              { value: 'nvgre', label: 'NVGRE' },
            ]}
            onChange={(v) => update('virtualSubnets', subnet.id, 'encapsulation', v)}
          />
        )}
        <AclPicker
          doc={doc}
          label="ACL"
          value={subnet.aclId}
          attach={{ kind: 'subnet', id: subnet.id }}
          onChange={(aclId) => update('virtualSubnets', subnet.id, 'aclId', aclId)}
        />
        <FieldErrors errors={fieldErrors(errors, ids, 'aclId')} />
      </Section>
      {acl ? <AclEditor acl={acl} errors={errors} /> : null}
    </>
  );
}

function VmForm({ doc, vm, errors }: { doc: TopologyDocument; vm: Vm; errors: Errors }) {
  const ids = [vm.id];
  const subnetOptions = doc.virtualSubnets.map((s) => {
    const net = doc.vmNetworks.find((n) => n.id === s.vmNetworkId);
    const tenant = doc.tenants.find((t) => t.id === net?.tenantId);
    return { value: s.id, label: `${tenant?.name ?? '?'} / ${s.name} (${s.vsid})` };
  });
  const perform = useDocumentStore.getState().perform;
  return (
    <>
      <Section title="General">
        <TextField
          label="Name"
          value={vm.name}
          onChange={(v) => update('vms', vm.id, 'name', v)}
          errors={fieldErrors(errors, ids, 'name')}
        />
        <SelectField
          label="Host"
          value={vm.hostId}
          options={doc.hosts.map((h) => ({
            value: h.id,
            label: `${h.name} (${h.providerAddresses[0] ?? 'no PA'})`,
          }))}
          onChange={(v) => void migrateVm(vm.id, v)}
          errors={fieldErrors(errors, ids, 'hostId')}
        />
      </Section>
      {vm.nics.map((nic, index) => {
        const nicIds = [nic.id];
        const acl = doc.acls.find((a) => a.id === nic.aclId);
        return (
          <Section
            key={nic.id}
            title={vm.nics.length > 1 ? `Adapter ${index + 1}` : 'Network adapter'}
            actions={
              vm.nics.length > 1 ? (
                <SmallButton tone="danger" onClick={() => perform(removeNic, { vmId: vm.id, nicId: nic.id })}>
                  Remove
                </SmallButton>
              ) : null
            }
          >
            <SelectField
              label="Subnet"
              ariaLabel="Virtual subnet"
              value={nic.virtualSubnetId}
              options={subnetOptions}
              onChange={(v) =>
                perform(updateNic, { vmId: vm.id, nicId: nic.id, patch: { virtualSubnetId: v } })
              }
              errors={fieldErrors(errors, nicIds, 'virtualSubnetId')}
            />
            <TextField
              label="CA"
              ariaLabel="Customer address"
              mono
              value={nic.caIp}
              onChange={(v) =>
                perform(
                  updateNic,
                  { vmId: vm.id, nicId: nic.id, patch: { caIp: v } },
                  { coalesceKey: `${nic.id}.caIp` },
                )
              }
              errors={fieldErrors(errors, nicIds, 'caIp')}
            />
            <TextField
              label="MAC"
              mono
              value={nic.mac}
              onChange={(v) =>
                perform(
                  updateNic,
                  { vmId: vm.id, nicId: nic.id, patch: { mac: v } },
                  { coalesceKey: `${nic.id}.mac` },
                )
              }
              errors={fieldErrors(errors, nicIds, 'mac')}
            />
            <TextField
              label="Adapter name"
              value={nic.name}
              onChange={(v) =>
                perform(
                  updateNic,
                  { vmId: vm.id, nicId: nic.id, patch: { name: v } },
                  { coalesceKey: `${nic.id}.name` },
                )
              }
              errors={fieldErrors(errors, nicIds, 'name')}
            />
            <AclPicker
              doc={doc}
              label="Port ACL"
              value={nic.aclId}
              attach={{ kind: 'nic', id: nic.id, vmId: vm.id }}
              onChange={(aclId) => perform(updateNic, { vmId: vm.id, nicId: nic.id, patch: { aclId } })}
            />
            {acl ? <AclEditor acl={acl} errors={errors} nested /> : null}
          </Section>
        );
      })}
      <div className="px-3 py-1">
        <SmallButton
          onClick={async () => {
            const current = useDocumentStore.getState().doc;
            const subnetId = vm.nics[0].virtualSubnetId;
            const mac = await workerAllocator.nextFreeMac(current);
            const caIp = (await workerAllocator.nextFreeCa(reserveMac(current, mac), subnetId)) ?? '';
            perform(addNic, { vmId: vm.id, nicId: newObjectId('nic'), virtualSubnetId: subnetId, caIp, mac });
          }}
        >
          + Add adapter
        </SmallButton>
      </div>
    </>
  );
}

function HostForm({ doc, host, errors }: { doc: TopologyDocument; host: Host; errors: Errors }) {
  const ids = [host.id];
  const perform = useDocumentStore.getState().perform;
  const memberErrors = errors.filter(
    (e) => e.objectId === undefined && e.objectName?.startsWith(`${host.name}/`),
  );
  const vms = doc.vms.filter((v) => v.hostId === host.id);
  return (
    <>
      <Section title="General">
        <TextField
          label="Name"
          value={host.name}
          onChange={(v) => update('hosts', host.id, 'name', v)}
          errors={fieldErrors(errors, ids, 'name')}
        />
        <SelectField
          label="Logical subnet"
          value={host.logicalSubnetId}
          options={doc.logicalSubnets.map((s) => ({ value: s.id, label: `${s.name} (${s.prefix})` }))}
          onChange={(v) => void connectToLogicalSubnet(host.id, v)}
          errors={fieldErrors(errors, ids, 'logicalSubnetId')}
        />
        <p className="pb-1 text-[12px] text-slate-500 dark:text-slate-400">
          Runs {vms.length === 0 ? 'no VMs yet' : vms.map((v) => v.name).join(', ')}.
        </p>
      </Section>
      <Section
        title={
          doc.hnvMode === 'v2'
            ? 'Provider addresses (one per team member)'
            : 'Provider addresses (one per VSID)'
        }
        actions={
          <SmallButton
            onClick={async () => {
              const current = useDocumentStore.getState().doc;
              const [pa] = await workerAllocator.nextFreeProviderAddresses(current, host.logicalSubnetId, 1);
              if (pa) update('hosts', host.id, 'providerAddresses', [...host.providerAddresses, pa]);
            }}
          >
            + PA
          </SmallButton>
        }
      >
        {host.providerAddresses.map((pa, i) => (
          <div key={`pa-${i.toString()}`} className="flex items-start gap-1">
            <div className="min-w-0 flex-1">
              <TextField
                label={`PA ${i + 1}`}
                ariaLabel={`Provider address ${i + 1}`}
                mono
                value={pa}
                onChange={(v) =>
                  update(
                    'hosts',
                    host.id,
                    'providerAddresses',
                    host.providerAddresses.map((p, k) => (k === i ? v : p)),
                  )
                }
                errors={fieldErrors(errors, ids, `providerAddresses[${i}]`)}
              />
            </div>
            <SmallButton
              tone="danger"
              ariaLabel={`Remove provider address ${i + 1}`}
              onClick={() =>
                update(
                  'hosts',
                  host.id,
                  'providerAddresses',
                  host.providerAddresses.filter((_, k) => k !== i),
                )
              }
            >
              ×
            </SmallButton>
          </div>
        ))}
        <FieldErrors
          errors={errors.filter((e) => e.objectId === host.id && e.field === 'providerAddresses')}
        />
      </Section>
      <Section
        title="SET team"
        actions={
          <SmallButton
            onClick={async () => {
              const current = useDocumentStore.getState().doc;
              const [mac] = await nextMacs(workerAllocator, current, 1);
              const pas =
                current.hnvMode === 'v2'
                  ? [
                      ...host.providerAddresses,
                      ...(await workerAllocator.nextFreeProviderAddresses(current, host.logicalSubnetId, 1)),
                    ]
                  : host.providerAddresses;
              perform(setTeam, {
                hostId: host.id,
                teamMembers: [...host.teamMembers, { name: `NIC${host.teamMembers.length + 1}`, mac }],
                providerAddresses: pas,
              });
            }}
          >
            + NIC
          </SmallButton>
        }
      >
        <table className="w-full text-[12px]">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="w-1/3 font-normal">NIC</th>
              <th className="font-normal">MAC</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {host.teamMembers.map((m, i) => (
              <tr key={`m-${i.toString()}`}>
                <td className="pr-1">
                  <CellInput
                    ariaLabel={`Team member ${i + 1} name`}
                    value={m.name}
                    onChange={(v) =>
                      perform(
                        setTeam,
                        {
                          hostId: host.id,
                          teamMembers: host.teamMembers.map((x, k) => (k === i ? { ...x, name: v } : x)),
                          providerAddresses: host.providerAddresses,
                        },
                        { coalesceKey: `${host.id}.team${i}.name` },
                      )
                    }
                  />
                </td>
                <td className="pr-1">
                  <CellInput
                    ariaLabel={`Team member ${i + 1} MAC`}
                    value={m.mac}
                    invalid={memberErrors.some((e) => e.field.startsWith(`teamMembers[${i}]`))}
                    onChange={(v) =>
                      perform(
                        setTeam,
                        {
                          hostId: host.id,
                          teamMembers: host.teamMembers.map((x, k) => (k === i ? { ...x, mac: v } : x)),
                          providerAddresses: host.providerAddresses,
                        },
                        { coalesceKey: `${host.id}.team${i}.mac` },
                      )
                    }
                  />
                </td>
                <td>
                  {host.teamMembers.length > 1 ? (
                    <SmallButton
                      tone="danger"
                      ariaLabel={`Remove team member ${i + 1}`}
                      onClick={() =>
                        perform(setTeam, {
                          hostId: host.id,
                          teamMembers: host.teamMembers.filter((_, k) => k !== i),
                          providerAddresses:
                            doc.hnvMode === 'v2'
                              ? host.providerAddresses.filter((_, k) => k !== i)
                              : host.providerAddresses,
                        })
                      }
                    >
                      ×
                    </SmallButton>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <FieldErrors errors={[...memberErrors, ...fieldErrors(errors, ids, 'teamMembers')]} />
      </Section>
    </>
  );
}

function LogicalSubnetForm({
  doc,
  subnet,
  errors,
}: {
  doc: TopologyDocument;
  subnet: LogicalSubnet;
  errors: Errors;
}) {
  const ids = [subnet.id];
  const hosts = doc.hosts.filter((h) => h.logicalSubnetId === subnet.id);
  return (
    <Section title="Addressing">
      <TextField
        label="Name"
        value={subnet.name}
        onChange={(v) => update('logicalSubnets', subnet.id, 'name', v)}
        errors={fieldErrors(errors, ids, 'name')}
      />
      <TextField
        label="Prefix"
        mono
        value={subnet.prefix}
        onChange={(v) => update('logicalSubnets', subnet.id, 'prefix', v)}
        errors={fieldErrors(errors, ids, 'prefix')}
      />
      <NumberField
        label="VLAN"
        ariaLabel="VLAN ID"
        value={subnet.vlanId}
        onChange={(v) => update('logicalSubnets', subnet.id, 'vlanId', v)}
        errors={fieldErrors(errors, ids, 'vlanId')}
      />
      <TextField
        label="Trunks"
        ariaLabel="Trunked tenant VLANs"
        mono
        placeholder="e.g. 101, 102"
        value={(subnet.trunkedVlans ?? []).join(', ')}
        onChange={(v) => update('logicalSubnets', subnet.id, 'trunkedVlans', parseVlanList(v))}
        errors={fieldErrors(errors, ids, 'trunkedVlans')}
      />
      <TextField
        label="Gateway"
        ariaLabel="Default gateway"
        mono
        value={subnet.defaultGateway}
        onChange={(v) => update('logicalSubnets', subnet.id, 'defaultGateway', v)}
        errors={fieldErrors(errors, ids, 'defaultGateway')}
      />
      <NumberField
        label="MTU"
        value={subnet.mtu}
        onChange={(v) => update('logicalSubnets', subnet.id, 'mtu', v)}
        errors={fieldErrors(errors, ids, 'mtu')}
      />
      <SelectField
        label="Network"
        ariaLabel="Logical network"
        value={subnet.logicalNetworkId}
        options={doc.logicalNetworks.map((n) => ({ value: n.id, label: n.name }))}
        onChange={(v) => update('logicalSubnets', subnet.id, 'logicalNetworkId', v)}
        errors={fieldErrors(errors, ids, 'logicalNetworkId')}
      />
      <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
        {hosts.length === 0
          ? 'No host takes its PAs from this subnet yet.'
          : `Hosts: ${hosts.map((h) => h.name).join(', ')}.`}
        {subnet.mtu < 1600 ? ' Without jumbo frames, encapsulated packets near 1500 bytes will not fit.' : ''}
      </p>
    </Section>
  );
}

function RouterForm({ doc, router, errors }: { doc: TopologyDocument; router: Router; errors: Errors }) {
  const ids = [router.id];
  const perform = useDocumentStore.getState().perform;
  const unconnected = doc.logicalSubnets.filter(
    (s) => !router.interfaces.some((i) => i.logicalSubnetId === s.id),
  );
  return (
    <>
      <Section title="General">
        <TextField
          label="Name"
          value={router.name}
          onChange={(v) => update('routers', router.id, 'name', v)}
          errors={fieldErrors(errors, ids, 'name')}
        />
      </Section>
      <Section title="Interfaces">
        {router.interfaces.length === 0 ? (
          <p className="py-1 text-[12px] text-slate-500">
            Not connected: draw a link to a logical subnet, or pick one below.
          </p>
        ) : (
          // One card per interface, IP and MAC on their own rows: a MAC does not fit a table
          // column in the side panel.
          <ul className="flex flex-col gap-1.5 text-[12px]" aria-label={`Interfaces of ${router.name}`}>
            {router.interfaces.map((itf, i) => (
              <li
                key={itf.logicalSubnetId}
                className="rounded border border-slate-200 p-1.5 dark:border-slate-700"
              >
                <div className="flex items-center gap-1">
                  <span className="min-w-0 flex-1 truncate text-slate-700 dark:text-slate-200">
                    {doc.logicalSubnets.find((s) => s.id === itf.logicalSubnetId)?.name ?? '(missing)'}
                  </span>
                  <SmallButton
                    tone="danger"
                    ariaLabel={`Disconnect interface ${i + 1}`}
                    onClick={() =>
                      perform(disconnectRouter, {
                        routerId: router.id,
                        logicalSubnetId: itf.logicalSubnetId,
                      })
                    }
                  >
                    ×
                  </SmallButton>
                </div>
                <div className="mt-1 grid grid-cols-[2.25rem_1fr] items-center gap-1 text-slate-500">
                  <span>IP</span>
                  <CellInput
                    ariaLabel={`Interface ${i + 1} IP`}
                    value={itf.ip}
                    invalid={fieldErrors(errors, ids, `interfaces[${i}].ip`).length > 0}
                    onChange={(v) =>
                      perform(
                        updateRouterInterface,
                        { routerId: router.id, index: i, patch: { ip: v } },
                        { coalesceKey: `${router.id}.${i}.ip` },
                      )
                    }
                  />
                  <span>MAC</span>
                  <CellInput
                    ariaLabel={`Interface ${i + 1} MAC`}
                    value={itf.mac}
                    invalid={fieldErrors(errors, ids, `interfaces[${i}].mac`).length > 0}
                    onChange={(v) =>
                      perform(
                        updateRouterInterface,
                        { routerId: router.id, index: i, patch: { mac: v } },
                        { coalesceKey: `${router.id}.${i}.mac` },
                      )
                    }
                  />
                </div>
              </li>
            ))}
          </ul>
        )}
        <FieldErrors errors={fieldErrors(errors, ids, 'interfaces')} />
        {unconnected.length > 0 ? (
          <SelectField
            label="Connect to"
            value=""
            options={[
              { value: '', label: 'Choose a logical subnet…' },
              ...unconnected.map((s) => ({ value: s.id, label: `${s.name} (${s.prefix})` })),
            ]}
            onChange={(v) => v && void connectToLogicalSubnet(router.id, v)}
          />
        ) : null}
      </Section>
    </>
  );
}

function AclEditor({ acl, errors, nested = false }: { acl: Acl; errors: Errors; nested?: boolean }) {
  const perform = useDocumentStore.getState().perform;
  const ids = [acl.id];
  const sorted = useMemo(() => [...acl.rules].sort((a, b) => a.priority - b.priority), [acl.rules]);
  const body = (
    <>
      <TextField
        label="ACL name"
        value={acl.name}
        onChange={(v) => update('acls', acl.id, 'name', v)}
        errors={fieldErrors(errors, ids, 'name')}
      />
      <Segmented
        label="Default"
        value={acl.defaultAction}
        options={[
          { value: 'allow', label: 'Allow' },
          { value: 'deny', label: 'Deny' },
        ]}
        onChange={(v) => update('acls', acl.id, 'defaultAction', v)}
      />
      <ul className="mt-1 flex flex-col gap-1.5" aria-label={`Rules of ${acl.name}`}>
        {sorted.map((rule) => {
          const index = acl.rules.findIndex((r) => r.id === rule.id);
          const bad = (f: string) => fieldErrors(errors, ids, `rules[${index}].${f}`).length > 0;
          const set = (patch: Parameters<typeof updateAclRule.perform>[1]['patch'], key: string) =>
            perform(
              updateAclRule,
              { aclId: acl.id, ruleId: rule.id, patch },
              { coalesceKey: `${rule.id}.${key}` },
            );
          const select = (key: 'direction' | 'action' | 'protocol', options: string[]) => (
            <select
              aria-label={`Rule ${rule.name} ${key}`}
              className="rounded border border-slate-300 bg-white px-0.5 py-0.5 text-[12px] dark:border-slate-600 dark:bg-slate-800"
              value={rule[key]}
              onChange={(e) => set({ [key]: e.target.value } as never, key)}
            >
              {options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          );
          return (
            <li
              key={rule.id}
              className={`rounded border p-1.5 text-[12px] ${
                rule.action === 'deny'
                  ? 'border-red-200 bg-red-50/60 dark:border-red-900 dark:bg-red-950/30'
                  : 'border-slate-200 dark:border-slate-700'
              }`}
            >
              {/* Two rows so every field stays readable in a narrow side panel. */}
              <div className="flex items-center gap-1">
                {/* Widths sit on wrappers: CellInput's own class is w-full. */}
                <div className="min-w-0 flex-1">
                  <CellInput
                    ariaLabel="Rule name"
                    value={rule.name}
                    onChange={(v) => set({ name: v }, 'name')}
                  />
                </div>
                <span className="text-slate-500">priority</span>
                <div className="w-14 shrink-0">
                  <CellInput
                    ariaLabel={`Rule ${rule.name} priority`}
                    value={String(rule.priority)}
                    invalid={bad('priority')}
                    onChange={(v) => /^\d+$/.test(v) && set({ priority: Number(v) }, 'priority')}
                  />
                </div>
                <SmallButton
                  tone="danger"
                  ariaLabel={`Remove rule ${rule.name}`}
                  onClick={() => perform(removeAclRule, { aclId: acl.id, ruleId: rule.id })}
                >
                  ×
                </SmallButton>
              </div>
              <div className="mt-1 flex flex-wrap items-center gap-1">
                {select('action', ['allow', 'deny'])}
                {select('direction', ['inbound', 'outbound'])}
                {select('protocol', ['all', 'tcp', 'udp', 'icmp'])}
              </div>
              <div className="mt-1 grid grid-cols-[auto_1fr_auto_3.5rem] items-center gap-1 text-slate-500">
                <span>from</span>
                <CellInput
                  ariaLabel={`Rule ${rule.name} source`}
                  value={rule.sourceAddressPrefix}
                  invalid={bad('sourceAddressPrefix')}
                  onChange={(v) => set({ sourceAddressPrefix: v }, 'src')}
                />
                <span>port</span>
                <CellInput
                  ariaLabel={`Rule ${rule.name} source port`}
                  value={rule.sourcePortRange}
                  invalid={bad('sourcePortRange')}
                  onChange={(v) => set({ sourcePortRange: v }, 'sport')}
                />
                <span>to</span>
                <CellInput
                  ariaLabel={`Rule ${rule.name} destination`}
                  value={rule.destinationAddressPrefix}
                  invalid={bad('destinationAddressPrefix')}
                  onChange={(v) => set({ destinationAddressPrefix: v }, 'dst')}
                />
                <span>port</span>
                <CellInput
                  ariaLabel={`Rule ${rule.name} destination port`}
                  value={rule.destinationPortRange}
                  invalid={bad('destinationPortRange')}
                  onChange={(v) => set({ destinationPortRange: v }, 'dport')}
                />
              </div>
            </li>
          );
        })}
      </ul>
      <FieldErrors errors={errors.filter((e) => e.objectId === acl.id && e.field.startsWith('rules'))} />
      <SmallButton onClick={() => perform(addAclRule, { aclId: acl.id, ruleId: newObjectId('rule') })}>
        + Add rule
      </SmallButton>
    </>
  );
  if (nested)
    return <div className="mt-2 rounded border border-slate-200 p-2 dark:border-slate-700">{body}</div>;
  return <Section title={`ACL ${acl.name}`}>{body}</Section>;
}

function DocumentProperties({ doc, errors }: { doc: TopologyDocument; errors: Errors }) {
  const perform = useDocumentStore.getState().perform;
  const select = useDocumentStore.getState().select;
  return (
    <section className="flex flex-col pb-6" aria-label="Properties">
      <header className="px-3 pb-1 pt-3">
        <div className="text-[11px] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
          Datacenter
        </div>
        <div className="text-[15px] font-semibold text-slate-900 dark:text-slate-50">{doc.name}</div>
      </header>
      <Section title="Document">
        <TextField
          label="Name"
          value={doc.name}
          onChange={(v) => perform(updateDocument, { patch: { name: v } }, { coalesceKey: 'doc.name' })}
        />
        <Segmented
          label="HNV mode"
          value={doc.hnvMode}
          options={[
            { value: 'v2', label: 'v2 · VXLAN' },
            { value: 'v1', label: 'v1 · NVGRE' },
          ]}
          onChange={(v) => perform(updateDocument, { patch: { hnvMode: v } })}
        />
        <p className="py-1 text-[12px] text-slate-500 dark:text-slate-400">
          {doc.hosts.length} hosts · {doc.vms.length} VMs · {doc.tenants.length} tenants ·{' '}
          {doc.virtualSubnets.length} virtual subnets · {doc.logicalSubnets.length} PA subnets
        </p>
      </Section>
      <Section title={errors.length === 0 ? 'No problems' : `${errors.length} problems`}>
        {errors.length === 0 ? (
          <p className="text-[12px] text-slate-500">The engine accepts this datacenter.</p>
        ) : (
          <ul className="flex flex-col gap-1" aria-label="Problems">
            {errors.slice(0, 200).map((e, i) => (
              <li key={`${e.rule}-${i.toString()}`}>
                <button
                  type="button"
                  className="w-full rounded px-1 py-0.5 text-left text-[12px] text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/40"
                  onClick={() => {
                    const target =
                      e.objectId && findCollection(doc, e.objectId)
                        ? e.objectId
                        : ownerOfNic(doc, e.objectId);
                    if (target) select([target]);
                  }}
                >
                  {e.message}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Getting started">
        <p className="text-[12px] leading-relaxed text-slate-500 dark:text-slate-400">
          Drag objects from the palette onto the canvas. Select one to edit it here. Press <kbd>?</kbd> for
          shortcuts.
        </p>
      </Section>
    </section>
  );
}

function ownerOfNic(doc: TopologyDocument, nicId: string | undefined): string | undefined {
  if (!nicId) return undefined;
  return doc.vms.find((v) => v.nics.some((n) => n.id === nicId))?.id;
}
