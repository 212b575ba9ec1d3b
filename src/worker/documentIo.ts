// Worker side of import, export and share links (owned by the lessons/persistence work;
// spread into api.ts). Every way a document enters the lab goes through the model's
// migrations and validation here, off the UI thread; a bad one comes back as errors and
// never replaces the user's document.
import { documentFormat, loadDocument, type ValidationError } from '../engine/model/index.ts';
import { fromNetworkControllerRest, toNetworkControllerRest } from '../engine/model/rest.ts';
import type { TopologyDocument } from '../engine/model/schema.ts';
import { decodeShareFragment, encodeShareFragment } from '../engine/model/share.ts';
import type { ProgressSink } from '../engine/progress.ts';

export type ImportFormat = 'lab' | 'nc-rest';

export type ImportResult =
  | { ok: true; format: ImportFormat; document: TopologyDocument }
  | { ok: false; format: ImportFormat | 'unknown'; errors: ValidationError[] };

const fileError = (rule: string, message: string): ValidationError => ({
  objectKind: 'file',
  field: '',
  rule,
  message,
});

/** Share URLs carry `#doc=<the model's share fragment>`. */
const SHARE_PREFIX = 'doc=';

export const documentIoApi = {
  /** Parse, detect the format, migrate and validate a file's text. `onProgress` hears how far it is. */
  async importDocument(text: string, onProgress?: ProgressSink): Promise<ImportResult> {
    onProgress?.({ phase: 'Parsing the file', done: 0, total: 0 });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return {
        ok: false,
        format: 'unknown',
        errors: [fileError('json', `The file is not JSON: ${(e as Error).message}`)],
      };
    }
    // The model decides the format, so `hnv validate` accepts exactly what this import does.
    if (documentFormat(parsed) === 'nc-rest') {
      const converted = fromNetworkControllerRest(parsed, onProgress);
      if (!converted.ok) return { ok: false, format: 'nc-rest', errors: converted.errors };
      // fromNetworkControllerRest already validated it (at the current version): no second pass.
      return { ok: true, format: 'nc-rest', document: converted.document };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return {
        ok: false,
        format: 'unknown',
        errors: [fileError('shape', 'The file is not an HNV Lab document.')],
      };
    }
    onProgress?.({ phase: 'Validating', done: 0, total: 0 });
    const result = loadDocument(parsed);
    return result.ok
      ? { ok: true, format: 'lab', document: result.document }
      : { ok: false, format: 'lab', errors: result.errors };
  },

  /** The document as Network Controller REST resources (virtualNetworks, networkInterfaces, ...). */
  async exportNcRest(doc: TopologyDocument): Promise<unknown> {
    return toNetworkControllerRest(doc);
  },

  /** The URL fragment (without '#') that carries a document: `doc=` + the model's share fragment. */
  async encodeShareLink(doc: TopologyDocument): Promise<string> {
    return SHARE_PREFIX + (await encodeShareFragment(doc));
  },

  /** Decode a share fragment ('#doc=...'); the model migrates and validates it like an import. */
  async decodeShareLink(fragment: string): Promise<ImportResult> {
    const body = fragment.replace(/^#/, '');
    if (!body.startsWith(SHARE_PREFIX)) {
      return {
        ok: false,
        format: 'unknown',
        errors: [fileError('share-link', 'The link carries no document.')],
      };
    }
    const payload = body.slice(SHARE_PREFIX.length);
    // Links written before the model's d1 tag carried the bare payload after doc=.
    const result = await decodeShareFragment(payload.startsWith('d1.') ? payload : body);
    return result.ok
      ? { ok: true, format: 'lab', document: result.document }
      : { ok: false, format: 'lab', errors: result.errors };
  },
};

export type DocumentIoApi = typeof documentIoApi;
