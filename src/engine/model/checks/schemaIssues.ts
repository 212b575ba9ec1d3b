// The schema's structural issues (zod), translated into the same shape and wording as the
// cross-object rules: object, field, rule, a plain sentence.
import type { z } from 'zod';
import { EDGE_COLLECTIONS } from '../gatewaySchema';
import { clip, describeBidiControl, quote, show } from '../quote';
import { COLLECTIONS, type CollectionName, LAB_COLLECTIONS, SLB_COLLECTIONS } from '../schema';
import type { ValidationError } from '../validate';

type SchemaIssue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** Nested arrays of objects, and what their elements are called. */
const NESTED_KINDS: ReadonlyMap<string, string> = new Map([
  ['vms.nics', 'vNIC'],
  ['acls.rules', 'ACL rule'],
  ['hosts.teamMembers', 'team member'],
  ['routers.interfaces', 'router interface'],
  ['virtualGateways.connections', 'gateway connection'],
]);

/** Reference fields and what they point at, for "host 'Host 1' has no logical subnet". */
const REFERENCE_TARGETS: ReadonlyMap<string, string> = new Map([
  ['tenantId', 'tenant'],
  ['vmNetworkId', 'VM network'],
  ['virtualSubnetId', 'virtual subnet'],
  ['hostId', 'host'],
  ['logicalSubnetId', 'logical subnet'],
  ['logicalNetworkId', 'logical network'],
  ['aclId', 'ACL'],
]);

/**
 * Plain words for fields in messages. A Map, not an object literal: the keys come from the
 * user's JSON (layout keys), and 'constructor' or 'toString' must find nothing here.
 */
const FIELD_WORDS: ReadonlyMap<string, string> = new Map([
  ['vsid', 'VSID'],
  ['caIp', 'CA'],
  ['mac', 'MAC'],
  ['ip', 'IP'],
  ['id', 'id'],
  ['prefix', 'prefix'],
  ['vlanId', 'VLAN ID'],
  ['trunkedVlans', 'trunked VLAN'],
  ['isolation', 'isolation'],
  ['mtu', 'MTU'],
  ['defaultGateway', 'default gateway'],
  ['providerAddresses', 'PA'],
  ['routingDomainId', 'routing domain ID'],
  ['hnvMode', 'HNV mode'],
  ['nics', 'vNICs'],
  ['teamMembers', 'team members'],
  ['sourcePortRange', 'source port range'],
  ['destinationPortRange', 'destination port range'],
  ['sourceAddressPrefix', 'source address prefix'],
  ['destinationAddressPrefix', 'destination address prefix'],
  ['defaultAction', 'default action'],
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isRecord(current) && typeof key === 'string' && Object.hasOwn(current, key))
      current = current[key];
    else return undefined;
  }
  return current;
}

function nameOf(object: unknown, fallback: string): { id?: string; name: string } {
  if (!isRecord(object)) return { name: fallback };
  const id = typeof object.id === 'string' ? object.id : undefined;
  if (typeof object.name === 'string' && object.name.trim() !== '') return { id, name: object.name.trim() };
  if (id !== undefined && id !== '') return { id, name: id };
  return { name: fallback };
}

function pathText(path: Path): string {
  let text = '';
  for (const key of path) {
    // Keys can be the user's own (layout ids): clipped like any quoted value.
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? clip(String(key)) : `.${clip(String(key))}`;
  }
  return text;
}

interface Located {
  kind: string;
  id?: string;
  name?: string;
  label: string;
  field: string;
  /** The last key of the path, for the plain-words table. */
  fieldKey: string;
}

function locate(root: unknown, path: Path): Located {
  const documentName = isRecord(root) && typeof root.name === 'string' ? root.name : undefined;
  const top = path[0];
  if (
    typeof top === 'string' &&
    (Object.hasOwn(COLLECTIONS, top) ||
      Object.hasOwn(EDGE_COLLECTIONS, top) ||
      Object.hasOwn(SLB_COLLECTIONS, top) ||
      Object.hasOwn(LAB_COLLECTIONS, top)) &&
    typeof path[1] === 'number' &&
    path.length > 2
  ) {
    const collection = top as CollectionName;
    let kind: string =
      COLLECTIONS[collection] ??
      EDGE_COLLECTIONS[top as keyof typeof EDGE_COLLECTIONS] ??
      SLB_COLLECTIONS[top as keyof typeof SLB_COLLECTIONS] ??
      LAB_COLLECTIONS[top as keyof typeof LAB_COLLECTIONS];
    const owner = nameOf(valueAt(root, path.slice(0, 2)), `#${path[1]}`);
    let located: Located = {
      kind,
      id: owner.id,
      name: clip(owner.name),
      label: `${kind} ${quote(owner.name)}`,
      field: pathText(path.slice(2)),
      fieldKey: String(path[path.length - 1]),
    };
    const nestedKey = path[2];
    const nestedKind =
      typeof nestedKey === 'string' ? NESTED_KINDS.get(`${collection}.${nestedKey}`) : undefined;
    if (nestedKind !== undefined && typeof path[3] === 'number' && path.length > 4) {
      kind = nestedKind;
      const child = nameOf(valueAt(root, path.slice(0, 4)), `#${path[3]}`);
      const name = `${clip(owner.name)}/${clip(child.name)}`;
      located = {
        ...located,
        kind,
        id: child.id,
        name,
        label: `${kind} ${name}`,
        field: pathText(path.slice(2)),
      };
    }
    const lastNumeric = typeof path[path.length - 1] === 'number';
    if (lastNumeric) located.fieldKey = String(path[path.length - 2]);
    return located;
  }
  return {
    kind: 'document',
    name: documentName === undefined ? undefined : clip(documentName),
    label: documentName === undefined ? 'the document' : `document ${quote(documentName)}`,
    field: path.length === 0 ? '(root)' : pathText(path),
    fieldKey: path.length === 0 ? '' : String(path[path.length - 1]),
  };
}

function describeIssue(issue: SchemaIssue, value: unknown): { rule: string; text: string } {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return { rule: 'required', text: 'is missing' };
      return { rule: 'type', text: `${show(value)} is not ${article(issue.expected)}` };
    case 'too_small':
      if (issue.origin === 'string') return { rule: 'not-empty', text: 'is empty' };
      if (issue.origin === 'array')
        return { rule: 'min-items', text: `needs at least ${String(issue.minimum)}` };
      return { rule: 'range', text: `${show(value)} is below the minimum ${String(issue.minimum)}` };
    case 'too_big':
      if (issue.origin === 'string')
        return { rule: 'max-length', text: `is longer than ${String(issue.maximum)} characters` };
      if (issue.origin === 'array')
        return { rule: 'max-items', text: `has more than ${String(issue.maximum)}` };
      return { rule: 'range', text: `${show(value)} is above the maximum ${String(issue.maximum)}` };
    case 'invalid_format': {
      const what =
        issue.format === 'ipv4'
          ? 'an IPv4 address like 10.1.1.11'
          : issue.format === 'cidrv4'
            ? 'a prefix like 10.1.1.0/24'
            : issue.message;
      return { rule: 'format', text: `${show(value)} is not ${what}` };
    }
    case 'invalid_value':
      if (value === undefined)
        return { rule: 'required', text: `is missing (one of ${issue.values.map(show).join(', ')})` };
      if (issue.values.length === 1)
        return { rule: 'value', text: `${show(value)} is not ${show(issue.values[0])}` };
      return { rule: 'value', text: `${show(value)} is not one of ${issue.values.map(show).join(', ')}` };
    case 'invalid_union':
      return { rule: 'format', text: `${show(value)} is not '*' or a prefix like 10.1.1.0/24` };
    case 'custom':
      if (issue.params?.rule === 'no-bidi-control' && typeof value === 'string') {
        return {
          rule: 'no-bidi-control',
          text: `${show(value)} has the bidirectional control character ${describeBidiControl(value)}, which would reorder the text around it`,
        };
      }
      return { rule: 'custom', text: `${show(value)} is invalid (${clip(issue.message)})` };
    default:
      return { rule: issue.code, text: `${show(value)} is invalid (${clip(issue.message)})` };
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function translateSchemaIssues(input: unknown, issues: readonly SchemaIssue[]): ValidationError[] {
  if (!isRecord(input)) {
    return [
      {
        objectKind: 'document',
        field: '(root)',
        rule: 'type',
        message: `the document is ${show(input)}, not a topology document (a JSON object)`,
      },
    ];
  }
  return issues.map((issue) => {
    const where = locate(input, issue.path);
    const value = valueAt(input, issue.path);
    const { rule, text } = where.fieldKey.endsWith('AddressPrefix')
      ? { rule: 'format', text: `${show(value)} is not '*' or a prefix like 10.1.1.0/24` }
      : describeIssue(issue, value);
    // Inside the document's own objects the last key reads well ("VSID", "x"); at the top
    // level (layout entries keyed by object ids) the whole path says where.
    let fieldWords: string =
      FIELD_WORDS.get(where.fieldKey) ?? (where.kind === 'document' ? where.field : clip(where.fieldKey));
    if (where.kind === 'document' && where.fieldKey === 'version' && rule === 'value') {
      return {
        objectKind: where.kind,
        objectName: where.name,
        field: where.field,
        rule: 'version',
        message: `${where.label} version ${show(value)} is not ${String((issue as { values?: unknown[] }).values?.[0] ?? '')} (migrate it first)`,
      };
    }
    const last = issue.path[issue.path.length - 1];
    if (typeof last === 'number' && where.kind !== 'document') fieldWords = `${fieldWords} #${last + 1}`;
    const target = REFERENCE_TARGETS.get(where.fieldKey);
    const message =
      target !== undefined && (rule === 'required' || rule === 'not-empty')
        ? `${where.label} has no ${target} (${clip(where.fieldKey)} ${text})`
        : `${where.label} ${fieldWords} ${text}`.replace(/ {2,}/g, ' ');
    const error: ValidationError = { objectKind: where.kind, field: where.field, rule, message };
    if (where.id !== undefined) error.objectId = where.id;
    if (where.name !== undefined) error.objectName = where.name;
    return error;
  });
}
