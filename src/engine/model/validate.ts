// Validation of a topology document: the schema's structural checks (checks/schemaIssues.ts
// words them), then every rule that spans objects (checks/documentChecker.ts: references,
// uniqueness, address plans). Every error names the object, the field and the rule in plain words.
import { DocumentChecker } from './checks/documentChecker';
import { translateSchemaIssues } from './checks/schemaIssues';
import { documentSchema, type TopologyDocument } from './schema';

export { translateSchemaIssues } from './checks/schemaIssues';

export interface ValidationError {
  /** What kind of object breaks the rule, as users call it: "virtual subnet", "vNIC", "host"... */
  objectKind: string;
  objectId?: string;
  /** The object's name as shown in messages ("Web", "Contoso/SQL"). */
  objectName?: string;
  /** The field, as a path inside the object ("caIp", "providerAddresses[1]", "rules[0].priority"). */
  field: string;
  /** A short stable identifier of the rule ("vsid-range", "unique-mac"...). */
  rule: string;
  /** The whole story in plain words. */
  message: string;
}

export type ValidationResult =
  | { ok: true; document: TopologyDocument }
  | { ok: false; errors: ValidationError[] };

export function validateDocument(input: unknown): ValidationResult {
  const parsed = documentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: translateSchemaIssues(input, parsed.error.issues) };
  const errors = new DocumentChecker(parsed.data).check();
  return errors.length === 0 ? { ok: true, document: parsed.data } : { ok: false, errors };
}

/** Formats an error for a terminal: the message, then where and which rule. */
export function formatValidationError(error: ValidationError): string {
  const where = error.objectName === undefined ? error.objectKind : `${error.objectKind} ${error.objectName}`;
  return `error: ${error.message}  [${where}.${error.field}: ${error.rule}]`;
}
