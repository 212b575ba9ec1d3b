// Thin adapter over the model's migration + validation, so the engine surface has one result shape.
import { loadDocument } from './model/migrations';
import type { TopologyDocument } from './model/schema';
import type { ValidationError } from './model/validate';

/** A validation error: names the object, the field and the rule it breaks. */
export type EngineValidationError = ValidationError;

export interface DocumentCheck {
  ok: boolean;
  errors: EngineValidationError[];
  /** The migrated, parsed document when ok. */
  document?: TopologyDocument;
}

export function checkDocument(doc: unknown): DocumentCheck {
  const result = loadDocument(doc);
  return result.ok
    ? { ok: true, errors: [], document: result.document }
    : { ok: false, errors: result.errors };
}
