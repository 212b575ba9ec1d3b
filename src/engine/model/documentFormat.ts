// The two JSON shapes a document arrives in: the lab's own, and the Network Controller's
// REST resources (what "Export NC REST" writes, or a real NC's GETs put together). The UI
// import and `hnv validate` both go through here, so they accept and check the same files.
import { loadDocument } from './migrations';
import { fromNetworkControllerRest } from './rest';
import type { ValidationResult } from './validate';

export type DocumentFormat = 'lab' | 'nc-rest';

const NC_COLLECTIONS = [
  'virtualNetworks',
  'networkInterfaces',
  'logicalNetworks',
  'servers',
  'accessControlLists',
  'routeTables',
];

/** A Network Controller REST export has resource collections, not the lab's document shape. */
export function documentFormat(value: unknown): DocumentFormat {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'lab';
  if (Object.hasOwn(value, 'vms')) return 'lab';
  return NC_COLLECTIONS.some((key) => Object.hasOwn(value, key)) ? 'nc-rest' : 'lab';
}

/** Detect the format, then convert (NC REST) or migrate (lab), and validate. */
export function loadAnyDocument(value: unknown): { format: DocumentFormat; result: ValidationResult } {
  const format = documentFormat(value);
  return { format, result: format === 'nc-rest' ? fromNetworkControllerRest(value) : loadDocument(value) };
}
