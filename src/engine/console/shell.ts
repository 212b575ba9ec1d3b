// The console: one line in, its output (or a PowerShell-style error) out, maybe a changed
// document and a new session. Three kinds of line: a cmdlet (registry.ts), a REST verb
// (`GET /networking/v1/...`, `PUT path {json}`, `DELETE path`), or vfpctrl.
import { bind, CmdletError, resolveParameter } from './bind';
import type { ShellChange, ShellEnv, ShellSession } from './cmdlet';
import { runOvsdbClient } from './ovsdb';
import { CMDLETS, cmdletNamed } from './registry';
import { REST_COLLECTIONS, REST_VERBS, runRest } from './rest';
import { ParseError, tokenize } from './tokens';
import { runVfpctrl, VFPCTRL_SWITCHES } from './vfpctrl';

export type { ShellChange, ShellEnv, ShellSession } from './cmdlet';

export interface ShellResult {
  output: string;
  /** The error record, as PowerShell writes it: `Cmdlet : message`. */
  error?: string;
  change?: ShellChange;
  session: ShellSession;
}

const REST_LINE = /^\s*(GET|PUT|DELETE)\s+(\S+)\s*(.*)$/is;

export function runShell(env: ShellEnv, session: ShellSession, line: string): ShellResult {
  const rest = line.match(REST_LINE);
  if (rest) {
    try {
      const out = runRest(env, rest[1], rest[2], rest[3] === '' ? undefined : rest[3]);
      return { output: out.output ?? '', change: out.change, session };
    } catch (e) {
      return { output: '', error: errorText(rest[1].toUpperCase(), e), session };
    }
  }
  let name = '';
  try {
    const tokens = tokenize(line);
    if (tokens.length === 0) return { output: '', session };
    name = tokens[0].text;
    if (/^ovsdb-client(\.exe)?$/i.test(name)) {
      const out = runOvsdbClient(
        env,
        session,
        tokens.slice(1).map((t) => t.text),
      );
      return { output: out.output ?? '', session };
    }
    if (name.toLowerCase() === 'vfpctrl' || name.toLowerCase() === 'vfpctrl.exe') {
      const out = runVfpctrl(
        env,
        session,
        tokens.slice(1).map((t) => t.text),
      );
      return { output: out.output ?? '', session };
    }
    const cmdlet = cmdletNamed(name);
    if (!cmdlet)
      throw new CmdletError(
        `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name (Get-Command lists what the lab knows) and try again.`,
      );
    name = cmdlet.name;
    const args = bind(cmdlet.params, tokens.slice(1));
    const out = cmdlet.run({ env, session, args, line, commands: CMDLETS });
    return { output: out.output ?? '', change: out.change, session: out.session ?? session };
  } catch (e) {
    return { output: '', error: errorText(name, e), session };
  }
}

function errorText(name: string, e: unknown): string {
  if (e instanceof CmdletError || e instanceof ParseError) return name ? `${name} : ${e.message}` : e.message;
  throw e;
}

/** Completions for the word at the end of `line`: cmdlets, parameters, values, REST paths. */
export function completeShell(env: ShellEnv, line: string): string[] {
  const m = line.match(/(\S*)$/);
  const word = m ? m[1] : '';
  const before = line.slice(0, line.length - word.length);
  const lower = word.toLowerCase();
  const bare = lower.replace(/^['"]/, '');
  const starts = (items: readonly string[]) =>
    items.filter(
      (i) => i.toLowerCase().startsWith(lower) || i.toLowerCase().replace(/^'/, '').startsWith(bare),
    );
  if (before.trim() === '') return starts([...CMDLETS.map((c) => c.name), 'vfpctrl', ...REST_VERBS]);
  const first = before.trim().split(/\s+/)[0];
  if (REST_VERBS.includes(first.toUpperCase() as (typeof REST_VERBS)[number]) && before.trim() === first)
    return completePath(env, word);
  if (first.toLowerCase() === 'vfpctrl') {
    const prev = before.trim().split(/\s+/).pop()?.toLowerCase();
    if (prev === '/port') {
      const ports = env.document.hosts.flatMap((h) => env.hostTables(h.id)?.ports.map((p) => p.portId) ?? []);
      return starts(ports);
    }
    return starts([...VFPCTRL_SWITCHES]);
  }
  const cmdlet = cmdletNamed(first);
  if (!cmdlet) return [];
  if (word.startsWith('-')) {
    const used = new Set(
      before
        .split(/\s+/)
        .filter((t) => t.startsWith('-'))
        .map((t) => t.slice(1).toLowerCase()),
    );
    return cmdlet.params
      .filter((p) => !used.has(p.name.toLowerCase()) && `-${p.name}`.toLowerCase().startsWith(lower))
      .map((p) => `-${p.name}`);
  }
  const prev = before.trim().split(/\s+/).pop() ?? '';
  if (!prev.startsWith('-')) return [];
  let spec: ReturnType<typeof resolveParameter>;
  try {
    spec = resolveParameter(cmdlet.params, prev.slice(1));
  } catch {
    return [];
  }
  const doc = env.document;
  const quote = (s: string) => (/\s/.test(s) ? `'${s}'` : s);
  if (spec.values) return starts(spec.values);
  switch (spec.name) {
    case 'VirtualSubnetID':
      return starts(doc.virtualSubnets.map((s) => String(s.vsid)));
    case 'VMName':
      return starts(doc.vms.map((v) => quote(v.name)));
    case 'PortName':
      return starts(doc.vms.flatMap((v) => v.nics.map((n) => n.id)));
    case 'ComputerName':
    case 'CimSession':
      return starts(doc.hosts.map((h) => quote(h.name)));
    case 'ProviderAddress':
      return starts(doc.hosts.flatMap((h) => h.providerAddresses));
    case 'RoutingDomainID':
    case 'CustomerID':
      return starts(doc.vmNetworks.map((n) => `{${n.routingDomainId.replace(/^\{|\}$/g, '')}}`));
    case 'Name':
      return starts(CMDLETS.map((c) => c.name));
    default:
      return [];
  }
}

function completePath(env: ShellEnv, word: string): string[] {
  const base = '/networking/v1/';
  if (!word.startsWith(base)) return base.startsWith(word) ? [base] : [];
  const rest = word.slice(base.length);
  const [collection, partial] = rest.split('/');
  if (partial === undefined)
    return REST_COLLECTIONS.filter((c) => c.startsWith(collection)).map((c) => base + c);
  const doc = env.document;
  const ids: Record<string, string[]> = {
    virtualNetworks: doc.vmNetworks.map((n) => n.id),
    networkInterfaces: doc.vms.flatMap((v) => v.nics.map((n) => n.id)),
    servers: doc.hosts.map((h) => h.id),
    logicalNetworks: doc.logicalNetworks.map((n) => n.id),
    accessControlLists: doc.acls.map((a) => a.id),
  };
  return (ids[collection] ?? [])
    .filter((id) => id.startsWith(partial))
    .map((id) => `${base}${collection}/${id}`);
}
