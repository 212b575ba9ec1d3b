// `ovsdb-client dump [ms_vtep] [TABLE]` on a host (in an Enter-PSSession): the host agent's
// southbound database, one block per table as ovsdb-client prints it.
import { CmdletError } from './bind';
import type { CmdletOutput, ShellEnv, ShellSession } from './cmdlet';
import { formatTable } from './format';

export function runOvsdbClient(env: ShellEnv, session: ShellSession, args: string[]): CmdletOutput {
  const [verb, ...rest] = args.filter((a) => !/^(tcp|unix|ssl):/i.test(a));
  if (verb?.toLowerCase() !== 'dump')
    throw new CmdletError("ovsdb-client: the lab's ovsdb-client knows 'dump [ms_vtep] [TABLE]'.");
  const host = env.document.hosts.find((h) => h.id === session.hostId);
  if (!host)
    throw new CmdletError(
      "ovsdb-client: the database is the host agent's: run Enter-PSSession -ComputerName <host> first.",
    );
  const names = rest.filter((a) => a.toLowerCase() !== 'ms_vtep' && a.toLowerCase() !== 'hardware_vtep');
  const db = env.hostTables(host.id)?.southbound;
  if (!db) throw new CmdletError(`ovsdb-client: ${host.name} has no host agent database.`);
  const wanted = names.map((n) => n.toLowerCase());
  const tables = db.tables.filter((t) => wanted.length === 0 || wanted.includes(t.name.toLowerCase()));
  if (tables.length === 0)
    throw new CmdletError(
      `ovsdb-client: no table ${names.join(', ')} (tables: ${db.tables.map((t) => t.name).join(', ')}).`,
    );
  const blocks = tables.map((t) => {
    const rows = t.rows.map((r) => ({ _uuid: r.uuid, ...r.columns }));
    return `${t.name} table${rows.length ? formatTable(rows) : '\n(empty)\n'}`;
  });
  return { output: `${blocks.join('\n')}` };
}
