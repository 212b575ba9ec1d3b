// Reading loosely typed REST JSON: every value checked before use, a wrong one recorded
// (resource, field, rule) in the validator's shape; plus the NC's spellings the resources share.
import { clip, quote, show } from '../quote';
import type { AclRule, Encapsulation, HnvMode, Isolation } from '../schema';
import type { ValidationError } from '../validate';

export type Json = Record<string, unknown>;

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key the JSON itself holds: 'constructor' or 'toString' never reach Object.prototype. */
export function own(owner: Json, key: string): unknown {
  return Object.hasOwn(owner, key) ? owner[key] : undefined;
}

/** The REST resource a message is about: its kind and resourceId (or position). */
export interface Who {
  kind: string;
  name?: string;
}

export function label(who: Who): string {
  return who.name === undefined ? who.kind : `${who.kind} ${quote(who.name)}`;
}

/**
 * Reads loosely typed JSON field by field: every value is checked before use, and a wrong
 * one is recorded (resource, field, rule) in the validator's shape, never replaced.
 */
export class RestReader {
  readonly errors: ValidationError[] = [];

  fail(who: Who, field: string, rule: string, message: string): void {
    const error: ValidationError = { objectKind: who.kind, field, rule, message };
    if (who.name !== undefined) error.objectName = clip(who.name);
    this.errors.push(error);
  }

  private wrongType(who: Who, field: string, value: unknown, expected: string): void {
    this.fail(who, field, 'type', `${label(who)} ${field} ${show(value)} is not ${expected}`);
  }

  /** An object; absent reads as empty. */
  object(owner: Json, key: string, who: Who, field: string): Json {
    const value = own(owner, key);
    if (value === undefined) return {};
    if (isJson(value)) return value;
    this.wrongType(who, field, value, 'an object');
    return {};
  }

  /**
   * A list of objects; absent reads as empty. An element that is not an object is reported
   * and left as a hole, so forEach and map skip it and still pass every other element its
   * own index (the import stops before the holes matter: there is an error).
   */
  list(owner: Json, key: string, who: Who, field: string): Json[] {
    const value = own(owner, key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.wrongType(who, field, value, 'a list');
      return [];
    }
    const items: Json[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (isJson(value[i])) items[i] = value[i];
      else this.wrongType(who, `${field}[${i}]`, value[i], 'an object');
    }
    return items;
  }

  /** A non-empty string; absent is the fallback when there is one, else reported. */
  text(owner: Json, key: string, who: Who, field: string, fallback?: string): string {
    const value = own(owner, key);
    if (typeof value === 'string' && value !== '') return value;
    if (value === undefined && fallback !== undefined) return fallback;
    if (value === undefined) this.fail(who, field, 'required', `${label(who)} ${field} is missing`);
    else if (value === '') this.fail(who, field, 'not-empty', `${label(who)} ${field} is empty`);
    else this.wrongType(who, field, value, 'a string');
    return fallback ?? '';
  }

  /** A string when present. */
  optionalText(owner: Json, key: string, who: Who, field: string): string | undefined {
    const value = own(owner, key);
    if (value === undefined || typeof value === 'string') return value;
    this.wrongType(who, field, value, 'a string');
    return undefined;
  }

  /** A finite number when present (a numeric string is a wrong type, not a number). */
  optionalNumber(owner: Json, key: string, who: Who, field: string): number | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.wrongType(who, field, value, 'a number');
    return undefined;
  }

  number(owner: Json, key: string, who: Who, field: string): number {
    const value = this.optionalNumber(owner, key, who, field);
    if (value === undefined && own(owner, key) === undefined)
      this.fail(who, field, 'required', `${label(who)} ${field} is missing`);
    return value ?? 0;
  }

  /** One of a few spellings (matched without case), as its lab value; absent is undefined. */
  optionalChoice<T extends string>(
    owner: Json,
    key: string,
    who: Who,
    field: string,
    choices: ReadonlyMap<string, T>,
    spelled: string,
  ): T | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    const choice = typeof value === 'string' ? choices.get(value.toLowerCase()) : undefined;
    if (choice === undefined)
      this.fail(who, field, 'value', `${label(who)} ${field} ${show(value)} is not one of ${spelled}`);
    return choice;
  }

  choice<T extends string>(
    owner: Json,
    key: string,
    who: Who,
    field: string,
    choices: ReadonlyMap<string, T>,
    spelled: string,
  ): T | undefined {
    if (own(owner, key) === undefined) {
      this.fail(who, field, 'required', `${label(who)} ${field} is missing (one of ${spelled})`);
      return undefined;
    }
    return this.optionalChoice(owner, key, who, field, choices, spelled);
  }

  /** A list of strings when present. */
  optionalStrings(owner: Json, key: string, who: Who, field: string): string[] | undefined {
    return this.optionalListOf(owner, key, who, field, 'a string', (v): v is string => typeof v === 'string');
  }

  /** A list of numbers when present. */
  optionalNumbers(owner: Json, key: string, who: Who, field: string): number[] | undefined {
    return this.optionalListOf(
      owner,
      key,
      who,
      field,
      'a number',
      (v): v is number => typeof v === 'number' && Number.isFinite(v),
    );
  }

  private optionalListOf<T>(
    owner: Json,
    key: string,
    who: Who,
    field: string,
    expected: string,
    is: (value: unknown) => value is T,
  ): T[] | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.wrongType(who, field, value, 'a list');
      return undefined;
    }
    const items: T[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (is(item)) items.push(item);
      else this.wrongType(who, `${field}[${i}]`, item, expected);
    }
    return items;
  }

  /** The id a reference ({ resourceRef: "/virtualNetworks/a/subnets/b" }) points at, when present. */
  optionalRef(owner: Json, key: string, who: Who, field: string): string | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    const tail = isJson(value) ? refTail(own(value, 'resourceRef')) : undefined;
    if (tail === undefined) {
      this.fail(
        who,
        field,
        'reference',
        `${label(who)} ${field} ${show(value)} is not a reference like { "resourceRef": "/servers/Host1" }`,
      );
    }
    return tail;
  }

  /** A list of references when present. */
  optionalRefs(owner: Json, key: string, who: Who, field: string): string[] | undefined {
    const value = own(owner, key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.wrongType(who, field, value, 'a list');
      return undefined;
    }
    const ids: string[] = [];
    value.forEach((_, i) => {
      const id = this.optionalRef(value as unknown as Json, String(i), who, `${field}[${i}]`);
      if (id !== undefined) ids.push(id);
    });
    return ids;
  }

  /** properties, resourceMetadata and hnvLab blocks: objects when present. */
  props(resource: Json, who: Who, at = ''): Json {
    return this.object(resource, 'properties', who, `${at}properties`);
  }

  /** The resource's display name (resourceMetadata.name), its id without one. */
  nameOf(resource: Json, who: Who, id: string): string {
    const metadata = this.object(resource, 'resourceMetadata', who, 'resourceMetadata');
    const name = this.optionalText(metadata, 'name', who, 'resourceMetadata.name');
    return name !== undefined && name.trim() !== '' ? name : id;
  }

  /** A resource's id, and who it is in messages ("#2" of its list when it has none). */
  resource(resource: Json, kind: string, index: number): { id: string; who: Who } {
    const raw = own(resource, 'resourceId');
    const who: Who = { kind, name: typeof raw === 'string' && raw !== '' ? raw : `#${index + 1}` };
    return { id: this.text(resource, 'resourceId', who, 'resourceId'), who };
  }
}

/** The last path segment of a resourceRef ("/virtualNetworks/a/subnets/b" -> "b"). */
export function refTail(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined;
  const parts = ref.split('/').filter((p) => p !== '');
  const last = parts[parts.length - 1];
  if (last === undefined) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export const PROTOCOLS: ReadonlyMap<string, AclRule['protocol']> = new Map([
  ['all', 'all'],
  ['*', 'all'],
  ['tcp', 'tcp'],
  ['udp', 'udp'],
  ['icmp', 'icmp'],
]);
export const ACTIONS: ReadonlyMap<string, AclRule['action']> = new Map([
  ['allow', 'allow'],
  ['deny', 'deny'],
]);
export const SWITCHES: ReadonlyMap<string, 'Enabled' | 'Disabled'> = new Map([
  ['enabled', 'Enabled'],
  ['disabled', 'Disabled'],
]);
export const DIRECTIONS: ReadonlyMap<string, AclRule['direction']> = new Map([
  ['inbound', 'inbound'],
  ['outbound', 'outbound'],
]);
export const HNV_MODES: ReadonlyMap<string, HnvMode> = new Map([
  ['v1', 'v1'],
  ['v2', 'v2'],
]);
export const ENCAPSULATIONS: ReadonlyMap<string, Encapsulation> = new Map([
  ['vxlan', 'vxlan'],
  ['nvgre', 'nvgre'],
]);
export const ISOLATIONS: ReadonlyMap<string, Isolation> = new Map([
  ['overlay', 'overlay'],
  ['vlan', 'vlan'],
]);

export function ordered<T extends { id: string }>(items: T[], ids: string[] | undefined): T[] {
  if (ids === undefined || ids.length !== items.length) return items;
  const byId = new Map(items.map((item) => [item.id, item]));
  const result: T[] = [];
  for (const id of ids) {
    const item = byId.get(id);
    if (item === undefined) return items;
    result.push(item);
    byId.delete(id);
  }
  return result;
}
