// An ACL and its rules (on its own, or nested under the subnet or adapter it guards), and
// the picker that attaches one.
import { useMemo } from 'react';
import type { Acl, TopologyDocument } from '../../engine/model/schema';
import { addAcl } from '../actions/create';
import { addAclRule, removeAclRule, updateAclRule } from '../actions/update';
import { newObjectId } from '../actions/util';
import { useDocumentStore } from '../store/document';
import { type Errors, fieldErrors } from './edit';
import { ObjectFields } from './FieldList';
import { CellInput, FieldErrors, Section, SelectField, SmallButton } from './fields';
import { aclFields } from './objectFields';

export function AclPicker({
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

export function AclEditor({ acl, errors, nested = false }: { acl: Acl; errors: Errors; nested?: boolean }) {
  const doc = useDocumentStore((s) => s.doc);
  const perform = useDocumentStore.getState().perform;
  const ids = [acl.id];
  const sorted = useMemo(() => [...acl.rules].sort((a, b) => a.priority - b.priority), [acl.rules]);
  const body = (
    <>
      <ObjectFields doc={doc} collection="acls" object={acl} specs={aclFields} errors={errors} />
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
