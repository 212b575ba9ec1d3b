// A form as data: each simple field of an object is one spec (which field, its label, the
// kind of control), and one component renders a list of them with their validation errors.
import type { CollectionName, TopologyDocument } from '../../engine/model/schema';
import { type Errors, fieldErrors, update } from './edit';
import { NumberField, Segmented, SelectField, TextField, ToggleField } from './fields';

export interface Option {
  value: string;
  label: string;
}

interface SpecBase<T> {
  field: keyof T & string;
  label: string;
  /** The accessible name when it differs from the label (e2e specs find fields by it). */
  ariaLabel?: string;
  /** Shown only when this holds (e.g. the VLAN ID of a VLAN-isolated subnet). */
  when?: (object: T) => boolean;
}

export type FieldSpec<T> =
  | (SpecBase<T> & {
      kind: 'text';
      mono?: boolean;
      placeholder?: string;
      /** Text <-> value, for fields that are not plain strings (e.g. a VLAN list). */
      format?: (value: T[keyof T]) => string;
      parse?: (text: string) => unknown;
    })
  | (SpecBase<T> & { kind: 'number'; fallback?: number })
  | (SpecBase<T> & {
      kind: 'select';
      options: (doc: TopologyDocument) => Option[];
      /** A command instead of a plain field edit (e.g. connecting a host to a subnet). */
      commit?: (id: string, value: string) => void;
    })
  | (SpecBase<T> & { kind: 'segmented'; options: Option[] })
  /** An on/off setting stored as an optional boolean (absent = off). */
  | (SpecBase<T> & { kind: 'toggle'; hint?: string });

/** Renders `specs` for `object`; `edit` is the named action that sets one field. */
export function FieldList<T extends { id: string }>({
  doc,
  object,
  specs,
  errors,
  edit,
}: {
  doc: TopologyDocument;
  object: T;
  specs: readonly FieldSpec<T>[];
  errors: Errors;
  edit: (field: string, value: unknown, spec: FieldSpec<T>) => void;
}) {
  return (
    <>
      {specs.map((spec) =>
        spec.when && !spec.when(object) ? null : (
          <SpecField key={spec.field} doc={doc} object={object} spec={spec} errors={errors} edit={edit} />
        ),
      )}
    </>
  );
}

function SpecField<T extends { id: string }>({
  doc,
  object,
  spec,
  errors,
  edit,
}: {
  doc: TopologyDocument;
  object: T;
  spec: FieldSpec<T>;
  errors: Errors;
  edit: (field: string, value: unknown, spec: FieldSpec<T>) => void;
}) {
  const value = object[spec.field];
  const shown = fieldErrors(errors, [object.id], spec.field);
  const common = { label: spec.label, ariaLabel: spec.ariaLabel };
  switch (spec.kind) {
    case 'text':
      return (
        <TextField
          {...common}
          mono={spec.mono}
          placeholder={spec.placeholder}
          value={spec.format ? spec.format(value) : (value as string)}
          onChange={(v) => edit(spec.field, spec.parse ? spec.parse(v) : v, spec)}
          errors={shown}
        />
      );
    case 'number':
      return (
        <NumberField
          {...common}
          value={(value as number | undefined) ?? spec.fallback ?? 0}
          onChange={(v) => edit(spec.field, v, spec)}
          errors={shown}
        />
      );
    case 'select':
      return (
        <SelectField
          {...common}
          value={value as string}
          options={spec.options(doc)}
          onChange={(v) => (spec.commit ? spec.commit(object.id, v) : edit(spec.field, v, spec))}
          errors={shown}
        />
      );
    case 'toggle':
      return (
        <ToggleField
          {...common}
          hint={spec.hint}
          checked={value === true}
          onChange={(v) => edit(spec.field, v ? true : undefined, spec)}
        />
      );
    case 'segmented':
      // Its messages under it (HNVv1 refuses VXLAN: the encapsulation says so).
      return (
        <Segmented
          label={spec.label}
          value={(value as string | undefined) ?? spec.options[0].value}
          options={spec.options}
          onChange={(v) => edit(spec.field, v, spec)}
          errors={shown}
        />
      );
  }
}

/** The fields of one document object, each edit an `updateObject` on its collection. */
export function ObjectFields<C extends CollectionName>({
  doc,
  collection,
  object,
  specs,
  errors,
}: {
  doc: TopologyDocument;
  collection: C;
  object: TopologyDocument[C][number];
  specs: readonly FieldSpec<TopologyDocument[C][number]>[];
  errors: Errors;
}) {
  return (
    <FieldList
      doc={doc}
      object={object}
      specs={specs}
      errors={errors}
      edit={(field, value) => update(collection, object.id, field, value)}
    />
  );
}
