// How validation names what breaks a rule: the object (kind, id, name) and the field path.
import { clip } from '../quote';
/** An object named in messages; its name and label are built only when an error needs them. */
export class Subject {
  private cachedName: string | undefined;
  constructor(
    readonly kind: string,
    readonly id: string | undefined,
    private readonly nameParts: readonly string[],
    private readonly quoted: boolean,
  ) {}

  get name(): string {
    // Clipped: an over-long or bidi-laden name (the schema reports it) stays short and inert here.
    if (this.cachedName === undefined) this.cachedName = this.nameParts.map(clip).join('/');
    return this.cachedName;
  }

  /** How the object is named in a sentence: "virtual subnet 'Web'", "vNIC Contoso/SQL". */
  get label(): string {
    return this.quoted ? `${this.kind} '${this.name}'` : `${this.kind} ${this.name}`;
  }
}

export function subject(kind: string, id: string | undefined, name: string, quoted = true): Subject {
  return new Subject(kind, id, [name], quoted);
}

/**
 * Field paths of list elements ("nics[0].caIp"), cached by list, key and index so the hot
 * loop builds no strings (not even a cache key).
 */
const elementFields = new Map<string, Map<string, string[]>>();
export function elementField(list: string, index: number, key: string): string {
  if (index >= 64) return `${list}[${index}].${key}`;
  let byKey = elementFields.get(list);
  if (byKey === undefined) {
    byKey = new Map();
    elementFields.set(list, byKey);
  }
  let fields = byKey.get(key);
  if (fields === undefined) {
    fields = [];
    byKey.set(key, fields);
  }
  let field = fields[index];
  if (field === undefined) {
    field = `${list}[${index}].${key}`;
    fields[index] = field;
  }
  return field;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
