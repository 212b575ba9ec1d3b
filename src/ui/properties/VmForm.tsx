// A virtual machine: its host (moving it there is a live migration) and its network
// adapters, each with its port ACL.
import type { TopologyDocument, Vm } from '../../engine/model/schema';
import { addAdapter, migrateVm } from '../actions/commands';
import { setProbeFailing } from '../actions/slb';
import { removeNic, updateNic } from '../actions/update';
import { useDocumentStore } from '../store/document';
import { AclEditor, AclPicker } from './AclEditor';
import { type Errors, fieldErrors } from './edit';
import { FieldList, ObjectFields } from './FieldList';
import { Section, SelectField, SmallButton, ToggleField } from './fields';
import { vmFields, vnicFields } from './objectFields';

export function VmForm({ doc, vm, errors }: { doc: TopologyDocument; vm: Vm; errors: Errors }) {
  const perform = useDocumentStore.getState().perform;
  return (
    <>
      <Section title="General">
        <ObjectFields doc={doc} collection="vms" object={vm} specs={vmFields} errors={errors} />
        <VmHostPicker doc={doc} vm={vm} errors={errors} />
      </Section>
      {vm.nics.map((nic, index) => {
        const acl = doc.acls.find((a) => a.id === nic.aclId);
        const ownErrors = adapterErrors(errors, nic.id);
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
            <FieldList
              doc={doc}
              object={nic}
              specs={vnicFields}
              errors={ownErrors}
              edit={(field, value, spec) =>
                perform(
                  updateNic,
                  { vmId: vm.id, nicId: nic.id, patch: { [field]: value } },
                  // Typing is one undo step per field; a pick from a list is a step of its own.
                  spec.kind === 'text' ? { coalesceKey: `${nic.id}.${field}` } : undefined,
                )
              }
            />
            <AclPicker
              doc={doc}
              label="Port ACL"
              value={nic.aclId}
              attach={{ kind: 'nic', id: nic.id, vmId: vm.id }}
              onChange={(aclId) => perform(updateNic, { vmId: vm.id, nicId: nic.id, patch: { aclId } })}
            />
            {acl ? <AclEditor acl={acl} errors={errors} nested /> : null}
            {(doc.loadBalancers ?? [])
              .filter((lb) => lb.backendVnicIds.includes(nic.id))
              .map((lb) => (
                <ToggleField
                  key={lb.id}
                  label="Health probe"
                  ariaLabel={`Health probe of ${lb.name} answers`}
                  hint={`answers (DIP of '${lb.name}', VIP ${lb.frontendIp})`}
                  checked={!(lb.probeFailures ?? []).includes(nic.id)}
                  onChange={(answers) =>
                    perform(setProbeFailing, { loadBalancerId: lb.id, vnicId: nic.id, failing: !answers })
                  }
                />
              ))}
          </Section>
        );
      })}
      <div className="px-3 py-1">
        <SmallButton onClick={() => void addAdapter(vm.id)}>+ Add adapter</SmallButton>
      </div>
    </>
  );
}

/**
 * The engine names an adapter's field by its path in the VM ("nics[0].caIp") on the adapter's
 * id: the adapter's form shows it next to its own field ("caIp").
 */
export function adapterErrors(errors: Errors, nicId: string): Errors {
  return errors
    .filter((e) => e.objectId === nicId)
    .map((e) => ({ ...e, field: e.field.replace(/^nics\[\d+\]\./, '') }));
}

/** Picking another host live-migrates the VM there (a command, not a field edit). */
function VmHostPicker({ doc, vm, errors }: { doc: TopologyDocument; vm: Vm; errors: Errors }) {
  return (
    <SelectField
      label="Host"
      value={vm.hostId}
      options={doc.hosts.map((h) => ({
        value: h.id,
        label: `${h.name} (${h.providerAddresses[0] ?? 'no PA'})`,
      }))}
      onChange={(v) => void migrateVm(vm.id, v)}
      errors={fieldErrors(errors, [vm.id], 'hostId')}
    />
  );
}
