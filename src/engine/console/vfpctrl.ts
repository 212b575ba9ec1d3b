// vfpctrl, the VFP's own command line on a host: the ports of the vSwitch, the layers, groups
// and rules bound to a port, and its unified flow table, in vfpctrl's ITEM LIST shape.
//   vfpctrl /list-vmswitch-port
//   vfpctrl /port PORT /list-layer | /list-group [/layer L] | /list-rule [/layer L] [/group G]
//   vfpctrl /port PORT /list-unified-flow
//   vfpctrl /port PORT /list-connection | /list-audit   (the lab's: the stateful firewall's
//     connections at the port and its audit log; the real host writes audit logs to files)
import type { RuleMatch } from '../controller/types';
import type { HostTables, PortTables } from '../index';
import { CmdletError } from './bind';
import type { CmdletOutput, ShellEnv, ShellSession } from './cmdlet';

export const VFPCTRL_SWITCHES = [
  '/list-vmswitch-port',
  '/port',
  '/list-layer',
  '/list-group',
  '/list-rule',
  '/list-unified-flow',
  '/list-connection',
  '/list-audit',
  '/layer',
  '/group',
] as const;

function item(kind: string, name: string, fields: [string, string | number][]): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return [`  ${kind} : ${name}`, ...fields.map(([k, v]) => `    ${k.padEnd(width)} : ${v}`)].join('\n');
}

const list = (items: string[]): string =>
  items.length === 0
    ? 'ITEM LIST\n===========\n\n  (none)\n'
    : `ITEM LIST\n===========\n\n${items.join('\n\n')}\n`;

function hostsToSearch(env: ShellEnv, session: ShellSession): HostTables[] {
  const hosts = session.hostId
    ? env.document.hosts.filter((h) => h.id === session.hostId)
    : env.document.hosts;
  return hosts.map((h) => env.hostTables(h.id)).filter((t): t is HostTables => t !== null);
}

function findPort(env: ShellEnv, session: ShellSession, name: string): PortTables {
  const lower = name.toLowerCase();
  for (const tables of hostsToSearch(env, session))
    for (const p of tables.ports)
      if (
        p.portId.toLowerCase() === lower ||
        p.vmLabel.toLowerCase() === lower ||
        p.vnicId.toLowerCase() === lower
      )
        return p;
  throw new CmdletError(
    `vfpctrl: no port '${name}'${session.hostId ? ' on this host' : ''}: vfpctrl /list-vmswitch-port lists them.`,
  );
}

export function runVfpctrl(env: ShellEnv, session: ShellSession, args: string[]): CmdletOutput {
  const opts = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i].toLowerCase();
    if (!VFPCTRL_SWITCHES.includes(a as (typeof VFPCTRL_SWITCHES)[number]))
      throw new CmdletError(`vfpctrl: unknown switch '${args[i]}' (known: ${VFPCTRL_SWITCHES.join(' ')}).`);
    if (a === '/port' || a === '/layer' || a === '/group') {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('/')) throw new CmdletError(`vfpctrl: ${a} needs a name.`);
      opts.set(a, v);
      i++;
    } else opts.set(a, true);
  }
  if (opts.has('/list-vmswitch-port')) {
    const items = hostsToSearch(env, session).flatMap((t) =>
      t.ports.map((p) =>
        item('Port name', p.portId, [
          ['Friendly name', p.vmLabel],
          ['Host', t.hostName],
          ['MAC address', p.mac.replace(/:/g, '-').toUpperCase()],
          ['CA', p.caIp],
          ['VSID', p.vsid],
          ['PA', p.pa],
        ]),
      ),
    );
    return { output: list(items) };
  }
  const portName = opts.get('/port');
  if (typeof portName !== 'string')
    throw new CmdletError('vfpctrl: name the port: /port PORT (vfpctrl /list-vmswitch-port lists them).');
  const port = findPort(env, session, portName);
  const layerName = opts.get('/layer');
  const groupName = opts.get('/group');
  const layers = port.layers.filter(
    (l) =>
      typeof layerName !== 'string' ||
      l.id.toLowerCase() === layerName.toLowerCase() ||
      l.name.toLowerCase() === layerName.toLowerCase(),
  );
  if (typeof layerName === 'string' && layers.length === 0)
    throw new CmdletError(
      `vfpctrl: port ${port.portId} has no layer '${layerName}' (layers: ${port.layers.map((l) => l.id).join(', ')}).`,
    );
  if (opts.has('/list-layer'))
    return {
      output: list(
        layers.map((l) =>
          item('LAYER', l.id, [
            ['Friendly name', l.name],
            ['Priority', l.priority],
            ['Groups', l.groups.length],
          ]),
        ),
      ),
    };
  const groups = layers.flatMap((l) =>
    l.groups
      .filter((g) => typeof groupName !== 'string' || g.id.toLowerCase() === groupName.toLowerCase())
      .map((g) => ({ l, g })),
  );
  if (typeof groupName === 'string' && groups.length === 0)
    throw new CmdletError(`vfpctrl: no group '${groupName}' on port ${port.portId}.`);
  if (opts.has('/list-group'))
    return {
      output: list(
        groups.map(({ l, g }) =>
          item('GROUP', g.id, [
            ['Layer', l.id],
            ['Direction', g.direction === 'out' ? 'OUT' : 'IN'],
            ['Type', 'IPv4'],
            ['Priority', g.priority],
            ['Rules', g.rules.length + 1],
          ]),
        ),
      ),
    };
  if (opts.has('/list-rule'))
    return {
      output: list(
        groups.flatMap(({ l, g }) =>
          [...g.rules, g.defaultRule].map((r) =>
            item('RULE', r.id, [
              ['Layer', l.id],
              ['Group', g.id],
              ['Priority', r.priority],
              ['Conditions', describeMatch(r.match)],
              ['Actions', r.actions.map((a) => a.type).join(', ')],
              ['Origin', r.origin],
            ]),
          ),
        ),
      ),
    };
  if (opts.has('/list-unified-flow'))
    return {
      output: list(
        port.flowTable.map((f, i) =>
          item('FLOW', String(i + 1), [
            ['Key', f.key],
            ['Actions', f.actions.join(', ')],
            ['Hits', f.hits],
          ]),
        ),
      ),
    };
  if (opts.has('/list-connection'))
    return {
      output: list(
        port.connections.map((c, i) =>
          item('CONNECTION', String(i + 1), [
            ['Flow', c.flow],
            ['Reply', c.reply],
            ['Direction', c.direction === 'out' ? 'OUT' : 'IN'],
            ['State', c.state],
            ['Idle timeout', `${c.idleTimeout} s (${Math.round(c.expiresIn * 10) / 10} s left)`],
            ['Packets', `${c.packetsOriginal} / ${c.packetsReply}`],
          ]),
        ),
      ),
    };
  if (opts.has('/list-audit'))
    return {
      output: list(
        port.audit.map((r, i) =>
          item('AUDIT', String(port.auditTotal - port.audit.length + i + 1), [
            ['Time', `${r.time} s`],
            ['Rule', `${r.rule} (${r.ruleId})`],
            ['Direction', r.direction === 'out' ? 'OUT' : 'IN'],
            ['Action', r.action === 'allow' ? 'ALLOW' : 'DENY'],
            ['Flow', r.flow],
            ['Origin', r.origin],
          ]),
        ),
      ),
    };
  throw new CmdletError(
    'vfpctrl: say what to list: /list-layer, /list-group, /list-rule, /list-unified-flow, /list-connection or /list-audit.',
  );
}

function describeMatch(m: RuleMatch): string {
  const parts = Object.entries(m)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('-') : String(v)}`);
  return parts.length === 0 ? '<none>' : parts.join(' ');
}
