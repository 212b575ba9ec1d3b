// Document migrations: every older version is upgraded step by step to DOCUMENT_VERSION
// before validation, so saved files, autosaves and share links keep opening. A document
// from a newer lab is refused with a clear message rather than guessed at.
import { clip } from './quote';
import { DOCUMENT_VERSION } from './schema';
import { type ValidationError, type ValidationResult, validateDocument } from './validate';

type JsonObject = Record<string, unknown>;

export class DocumentVersionError extends Error {
  constructor(
    message: string,
    readonly version: unknown,
  ) {
    super(message);
    this.name = 'DocumentVersionError';
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One step per version: MIGRATIONS[n] turns a version-n document into version n+1.
 * Steps never mutate their input.
 */
const MIGRATIONS: Record<number, (doc: JsonObject) => JsonObject> = {
  // v0 (the first prototype) had one adapter per VM, `vms[].nic`; v1 has `vms[].nics`.
  0: (doc) => ({
    ...doc,
    version: 1,
    vms: Array.isArray(doc.vms)
      ? doc.vms.map((vm: unknown) => {
          if (!isObject(vm) || !('nic' in vm) || 'nics' in vm) return vm;
          const { nic, ...rest } = vm;
          return { ...rest, nics: [nic] };
        })
      : doc.vms,
  }),
};

/**
 * Upgrades a parsed JSON document to DOCUMENT_VERSION. A document without `version` is
 * taken as version 0. Anything that is not an object, or whose version is not a whole
 * number, is returned unchanged for validation to report. Throws DocumentVersionError for
 * a version newer than this lab understands.
 */
export function migrateDocument(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const version = raw.version === undefined ? 0 : raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return raw;
  if (version > DOCUMENT_VERSION) {
    throw new DocumentVersionError(
      `document version ${version} is newer than this lab, which reads versions up to ${DOCUMENT_VERSION}: update the lab to open it`,
      version,
    );
  }
  let doc: JsonObject = version === raw.version ? raw : { ...raw, version };
  for (let v = version; v < DOCUMENT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step === undefined) {
      throw new DocumentVersionError(`document version ${v} cannot be upgraded (no migration from it)`, v);
    }
    doc = step(doc);
  }
  return doc;
}

/** Migrate, then validate: the one path for files, imports, autosaves and share links. */
export function loadDocument(raw: unknown): ValidationResult {
  let migrated: unknown;
  try {
    migrated = migrateDocument(raw);
  } catch (error) {
    if (!(error instanceof DocumentVersionError)) throw error;
    const name = isObject(raw) && typeof raw.name === 'string' ? clip(raw.name) : undefined;
    const versionError: ValidationError = {
      objectKind: 'document',
      field: 'version',
      rule: 'version',
      message:
        name === undefined
          ? `the ${error.message}`
          : `${error.message.replace(/^document/, () => `document '${name}'`)}`,
    };
    if (name !== undefined) versionError.objectName = name;
    return { ok: false, errors: [versionError] };
  }
  return validateDocument(migrated);
}
