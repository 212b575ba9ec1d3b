// What every form of the properties panel shares: the validation messages that name a
// field, and the named action that edits one field of a document object.
import type { CollectionName } from '../../engine/model/schema';
import { updateObject } from '../actions/update';
import { type FieldError, useDocumentStore } from '../store/document';

export type Errors = FieldError[];

/** The errors of `field` (or of its items and sub-fields) on the objects `ids`. */
export function fieldErrors(errors: Errors, ids: string[], field: string): Errors {
  return errors.filter(
    (e) =>
      e.objectId !== undefined &&
      ids.includes(e.objectId) &&
      (e.field === field || e.field.startsWith(`${field}[`) || e.field.startsWith(`${field}.`)),
  );
}

/** "101, 102" -> [101, 102]; empty -> undefined. Non-numbers are kept as NaN for validation to name. */
export function parseVlanList(text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.map(Number);
}

/** Set one field of a document object; typing into the same field is one undo step. */
export function update<C extends CollectionName>(collection: C, id: string, field: string, value: unknown) {
  useDocumentStore
    .getState()
    .perform(updateObject, { collection, id, patch: { [field]: value } }, { coalesceKey: `${id}.${field}` });
}
