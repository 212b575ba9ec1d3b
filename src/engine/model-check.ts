// Thin adapter over the model's validation, so the engine surface has one result shape.
import { documentSchema, type TopologyDocument } from './model/schema';

export interface EngineValidationError {
  objectKind: string;
  objectId: string;
  objectName: string;
  field: string;
  rule: string;
  message: string;
}

export interface DocumentCheck {
  ok: boolean;
  errors: EngineValidationError[];
  /** The parsed document when ok. */
  document?: TopologyDocument;
}

export function checkDocument(doc: unknown): DocumentCheck {
  const parsed = documentSchema.safeParse(doc);
  if (parsed.success) return { ok: true, errors: [], document: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({
      objectKind: 'document',
      objectId: '',
      objectName: '',
      field: issue.path.join('.'),
      rule: issue.code,
      message: `${issue.path.join('.')}: ${issue.message}`,
    })),
  };
}
