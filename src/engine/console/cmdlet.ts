// What a cmdlet is: a name, a synopsis, its parameters (data, bound by bind.ts) and a run
// function that reads the document and the host agents' tables and may return a changed
// document. A change is validated like any edit: an invalid one changes nothing.
import type { TupleRequest, TupleResult } from '../dataplane/tuple';
import type { HostTables } from '../index';
import type { Host, TopologyDocument } from '../model/schema';
import { checkDocument } from '../model-check';
import { type Bound, CmdletError, type ParamSpec } from './bind';

/** What the console reads: the loaded document and what each host agent holds. */
export interface ShellEnv {
  readonly document: TopologyDocument;
  hostTables(hostId: string): HostTables | null;
  testTuple(request: TupleRequest): TupleResult;
}

/** The console's state between lines: the host an Enter-PSSession points at. */
export interface ShellSession {
  hostId?: string;
}

export interface ShellChange {
  /** The undo history's name for the change: the command that made it. */
  label: string;
  document: TopologyDocument;
}

export interface CmdletOutput {
  output?: string;
  change?: ShellChange;
  session?: ShellSession;
}

export interface CmdletContext {
  env: ShellEnv;
  session: ShellSession;
  args: Bound;
  line: string;
  /** Every cmdlet (for Get-Command and Get-Help). */
  commands: readonly Cmdlet[];
}

export interface Cmdlet {
  name: string;
  synopsis: string;
  params: readonly ParamSpec[];
  run(ctx: CmdletContext): CmdletOutput;
}

/** The host a host-scoped cmdlet runs on: -CimSession, else the Enter-PSSession host. */
export function targetHost(ctx: CmdletContext): Host | undefined {
  const named = ctx.args.get('CimSession') as string | undefined;
  if (named !== undefined) return hostByName(ctx.env.document, named, 'CimSession');
  return ctx.env.document.hosts.find((h) => h.id === ctx.session.hostId);
}

export function hostByName(doc: TopologyDocument, name: string, param: string): Host {
  const lower = name.toLowerCase();
  const host = doc.hosts.find((h) => h.name.toLowerCase() === lower || h.id.toLowerCase() === lower);
  if (!host)
    throw new CmdletError(
      `Cannot validate argument on parameter '${param}'. No host is called "${name}" (hosts: ${doc.hosts.map((h) => h.name).join(', ') || 'none'}).`,
    );
  return host;
}

/** A working copy of the document for a change. */
export const draft = (doc: TopologyDocument): TopologyDocument =>
  JSON.parse(JSON.stringify(doc)) as TopologyDocument;

/** Validates a changed document; an invalid one is refused with the validator's named errors. */
export function commit(label: string, doc: TopologyDocument): ShellChange {
  const check = checkDocument(doc);
  if (!check.ok || !check.document) {
    const shown = check.errors.slice(0, 3).map((e) => e.message);
    const more = check.errors.length > 3 ? ` (and ${check.errors.length - 3} more)` : '';
    throw new CmdletError(`The change was refused, nothing changed: ${shown.join('; ')}${more}`);
  }
  return { label, document: check.document };
}

/** The CimSession parameter every host-scoped cmdlet takes (the host to run on). */
export const CIM_SESSION: ParamSpec = {
  name: 'CimSession',
  type: 'String',
  help: 'the host to run on (its name); default: the Enter-PSSession host, else every host',
};
