// A Hyper-V host: its logical subnet, its provider addresses and its SET team.
import type { Host, TopologyDocument } from '../../engine/model/schema';
import { addProviderAddress, addTeamMember } from '../actions/commands';
import { setTeam } from '../actions/update';
import { useDocumentStore } from '../store/document';
import { type Errors, fieldErrors, update } from './edit';
import { ObjectFields } from './FieldList';
import { CellInput, FieldErrors, Section, SmallButton, TextField } from './fields';
import { hostFields } from './objectFields';

export function HostForm({ doc, host, errors }: { doc: TopologyDocument; host: Host; errors: Errors }) {
  const ids = [host.id];
  const perform = useDocumentStore.getState().perform;
  const memberErrors = errors.filter(
    (e) => e.objectId === undefined && e.objectName?.startsWith(`${host.name}/`),
  );
  const vms = doc.vms.filter((v) => v.hostId === host.id);
  return (
    <>
      <Section title="General">
        <ObjectFields doc={doc} collection="hosts" object={host} specs={hostFields} errors={errors} />
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
        actions={<SmallButton onClick={() => void addProviderAddress(host.id)}>+ PA</SmallButton>}
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
        actions={<SmallButton onClick={() => void addTeamMember(host.id)}>+ NIC</SmallButton>}
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
