// Parameter binding as PowerShell does it: names are case-insensitive and may be shortened to
// any unique prefix; values are converted to the parameter's type; a missing mandatory
// parameter, an unknown or ambiguous name, or a value of the wrong type is an error in
// PowerShell's words, naming the parameter.

import type { Token } from './tokens';
import { parseIpv4, parseMac } from './values';

export type ParamType =
  | 'String'
  | 'UInt32'
  | 'Byte'
  | 'UInt16'
  | 'IPAddress'
  | 'Prefix'
  | 'MAC'
  | 'Switch'
  | 'Guid'
  | 'Boolean';

export interface ParamSpec {
  name: string;
  type: ParamType;
  mandatory?: boolean;
  /** Allowed values of an enum-like String parameter (PowerShell's ValidateSet). */
  values?: readonly string[];
  /** Takes a comma-separated list (PowerShell's String[] / UInt32[]). */
  many?: boolean;
  /** Position of a positional argument, if the cmdlet takes one. */
  position?: number;
  help: string;
}

export type Bound = Map<string, unknown>;

/** A cmdlet's error: written `Name : message` like PowerShell's error records. */
export class CmdletError extends Error {}

const TYPE_NAMES: Record<ParamType, string> = {
  String: 'System.String',
  UInt32: 'System.UInt32',
  UInt16: 'System.UInt16',
  Byte: 'System.Byte',
  IPAddress: 'System.String',
  Prefix: 'System.String',
  MAC: 'System.String',
  Switch: 'System.Management.Automation.SwitchParameter',
  Guid: 'System.String',
  Boolean: 'System.Boolean',
};

const MAX: Partial<Record<ParamType, number>> = { UInt32: 0xffff_ffff, UInt16: 0xffff, Byte: 0xff };

function convertOne(spec: ParamSpec, raw: string): unknown {
  const fail = (why: string): never => {
    throw new CmdletError(
      `Cannot process argument transformation on parameter '${spec.name}'. Cannot convert value "${raw}" to type "${TYPE_NAMES[spec.type]}". ${why}`,
    );
  };
  switch (spec.type) {
    case 'UInt32':
    case 'UInt16':
    case 'Byte': {
      if (!/^\d+$/.test(raw)) return fail('Error: "Input string was not in a correct format."');
      const n = Number(raw);
      if (n > (MAX[spec.type] ?? 0))
        return fail(`Error: "Value was either too large or too small for a ${spec.type}."`);
      return n;
    }
    case 'Boolean': {
      const v = raw.toLowerCase();
      if (v === '$true' || v === 'true' || v === '1') return true;
      if (v === '$false' || v === 'false' || v === '0') return false;
      return fail('Boolean parameters accept only $true, $false, 1 or 0.');
    }
    case 'IPAddress':
      if (parseIpv4(raw) === undefined)
        throw new CmdletError(
          `Cannot validate argument on parameter '${spec.name}'. "${raw}" is not an IPv4 address (four numbers 0-255, like 10.1.1.11).`,
        );
      return raw;
    case 'Prefix': {
      const [ip, len, extra] = raw.split('/');
      if (
        extra !== undefined ||
        parseIpv4(ip) === undefined ||
        !/^\d{1,2}$/.test(len ?? '') ||
        Number(len) > 32
      )
        throw new CmdletError(
          `Cannot validate argument on parameter '${spec.name}'. "${raw}" is not an IPv4 prefix (like 10.1.1.0/24).`,
        );
      return raw;
    }
    case 'MAC': {
      const mac = parseMac(raw);
      if (mac === null)
        throw new CmdletError(
          `Cannot validate argument on parameter '${spec.name}'. "${raw}" is not a MAC address (12 hex digits, like 00155D010203 or 00-15-5D-01-02-03).`,
        );
      return mac;
    }
    case 'Guid': {
      const g = raw.replace(/^\{|\}$/g, '');
      if (!/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/.test(g))
        throw new CmdletError(
          `Cannot validate argument on parameter '${spec.name}'. "${raw}" is not a GUID (like {2ad17590-33b5-45fc-ad3a-90e5ff9b017f}).`,
        );
      return `{${g.toLowerCase()}}`;
    }
    default: {
      if (spec.values) {
        const hit = spec.values.find((v) => v.toLowerCase() === raw.toLowerCase());
        if (hit === undefined)
          throw new CmdletError(
            `Cannot validate argument on parameter '${spec.name}'. The argument "${raw}" does not belong to the set "${spec.values.join(',')}". Supply an argument that is in the set and then try the command again.`,
          );
        return hit;
      }
      return raw;
    }
  }
}

function convert(spec: ParamSpec, raw: string): unknown {
  if (!spec.many) return convertOne(spec, raw);
  return raw
    .split(',')
    .filter((part) => part !== '')
    .map((part) => convertOne(spec, part));
}

/** The parameter a `-Name` token means: exact (case-insensitive) or the one unique prefix. */
export function resolveParameter(params: readonly ParamSpec[], written: string): ParamSpec {
  const lower = written.toLowerCase();
  const exact = params.find((p) => p.name.toLowerCase() === lower);
  if (exact) return exact;
  const matches = params.filter((p) => p.name.toLowerCase().startsWith(lower));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0)
    throw new CmdletError(`A parameter cannot be found that matches parameter name '${written}'.`);
  throw new CmdletError(
    `Parameter cannot be processed because the parameter name '${written}' is ambiguous. Possible matches include: ${matches.map((m) => `-${m.name}`).join(' ')}.`,
  );
}

/** Binds the argument tokens (everything after the command name) to the cmdlet's parameters. */
export function bind(params: readonly ParamSpec[], args: readonly Token[]): Bound {
  const bound: Bound = new Map();
  const positional = params
    .filter((p) => p.position !== undefined)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  let nextPosition = 0;
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    let spec: ParamSpec;
    let raw: string;
    if (token.isParameter) {
      spec = resolveParameter(params, token.text.slice(1));
      if (bound.has(spec.name))
        throw new CmdletError(
          `Cannot bind parameter because parameter '${spec.name}' is specified more than once.`,
        );
      if (spec.type === 'Switch') {
        bound.set(spec.name, true);
        continue;
      }
      const value = args[i + 1];
      if (value === undefined || value.isParameter)
        throw new CmdletError(
          `Missing an argument for parameter '${spec.name}'. Specify a parameter of type '${TYPE_NAMES[spec.type]}${spec.many ? '[]' : ''}' and try again.`,
        );
      raw = value.text;
      i++;
    } else {
      const next = positional.slice(nextPosition).find((p) => !bound.has(p.name));
      if (next === undefined)
        throw new CmdletError(
          `A positional parameter cannot be found that accepts argument '${token.text}'.`,
        );
      spec = next;
      nextPosition = positional.indexOf(next) + 1;
      raw = token.text;
    }
    bound.set(spec.name, convert(spec, raw));
  }
  const missing = params.filter((p) => p.mandatory && !bound.has(p.name)).map((p) => p.name);
  if (missing.length > 0)
    throw new CmdletError(
      `Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`,
    );
  return bound;
}

/** The syntax line Get-Help prints: `Name -Mandatory <Type> [-Optional <Type>] [-Switch]`. */
export function syntax(name: string, params: readonly ParamSpec[]): string {
  const parts = params.map((p) => {
    const type =
      p.type === 'Switch'
        ? ''
        : ` <${p.values ? p.values.join(' | ') : TYPE_NAMES[p.type].replace('System.', '')}${p.many ? '[]' : ''}>`;
    const text = `-${p.name}${type}`;
    return p.mandatory ? text : `[${text}]`;
  });
  return [name, ...parts].join(' ');
}
