// The console's own verbs: Enter-PSSession / Exit-PSSession (which host the host-scoped
// cmdlets and vfpctrl run on), Get-Command, Get-Help, and Invoke-RestMethod (the NC REST API).
import { CmdletError, syntax } from '../bind';
import { type Cmdlet, hostByName } from '../cmdlet';
import { formatTable } from '../format';
import { REST_VERBS, runRest } from '../rest';

export const enterSession: Cmdlet = {
  name: 'Enter-PSSession',
  synopsis: 'Runs the next commands on one host (its lookup records, PAs, vfpctrl ports).',
  params: [{ name: 'ComputerName', type: 'String', mandatory: true, position: 0, help: 'the host' }],
  run(ctx) {
    const host = hostByName(ctx.env.document, ctx.args.get('ComputerName') as string, 'ComputerName');
    return { output: '', session: { hostId: host.id } };
  },
};

export const exitSession: Cmdlet = {
  name: 'Exit-PSSession',
  synopsis: 'Leaves the host session: commands see every host again.',
  params: [],
  run: () => ({ output: '', session: {} }),
};

export const getCommand: Cmdlet = {
  name: 'Get-Command',
  synopsis: 'Lists the commands the console knows (wildcards: Get-Command *LookupRecord*).',
  params: [{ name: 'Name', type: 'String', position: 0, help: 'a name or a pattern with *' }],
  run(ctx) {
    const pattern = (ctx.args.get('Name') as string | undefined) ?? '*';
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    const rows = ctx.commands
      .filter((c) => re.test(c.name))
      .map((c) => ({ CommandType: 'Cmdlet', Name: c.name, Synopsis: c.synopsis }));
    const extra = re.test('vfpctrl')
      ? [
          {
            CommandType: 'Application',
            Name: 'vfpctrl',
            Synopsis:
              'VFP: /list-vmswitch-port, /port P /list-layer|/list-group|/list-rule|/list-unified-flow|/list-connection|/list-audit',
          },
        ]
      : [];
    const rest =
      re.test('GET') || pattern === '*'
        ? [
            {
              CommandType: 'REST',
              Name: 'GET | PUT | DELETE',
              Synopsis: 'Network Controller REST: GET /networking/v1/virtualNetworks',
            },
          ]
        : [];
    const all = [...rows, ...extra, ...rest];
    if (all.length === 0) throw new CmdletError(`No command matches '${pattern}'.`);
    return { output: formatTable(all) };
  },
};

export const getHelp: Cmdlet = {
  name: 'Get-Help',
  synopsis: "Shows a cmdlet's synopsis, syntax and parameters.",
  params: [{ name: 'Name', type: 'String', mandatory: true, position: 0, help: 'the cmdlet' }],
  run(ctx) {
    const name = ctx.args.get('Name') as string;
    const cmdlet = ctx.commands.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!cmdlet) throw new CmdletError(`Get-Help could not find ${name} in a help file in this session.`);
    const params = cmdlet.params.map(
      (p) => `    -${p.name}${p.mandatory ? ' (required)' : ''}\n        ${p.help}`,
    );
    return {
      output: `\nNAME\n    ${cmdlet.name}\n\nSYNOPSIS\n    ${cmdlet.synopsis}\n\nSYNTAX\n    ${syntax(cmdlet.name, cmdlet.params)}\n${params.length ? `\nPARAMETERS\n${params.join('\n\n')}\n` : ''}`,
    };
  },
};

export const invokeRestMethod: Cmdlet = {
  name: 'Invoke-RestMethod',
  synopsis: "Calls the Network Controller's REST API (like GET /networking/v1/virtualNetworks).",
  params: [
    { name: 'Uri', type: 'String', mandatory: true, position: 0, help: 'https://nc/networking/v1/...' },
    { name: 'Method', type: 'String', values: REST_VERBS, help: 'GET (default), PUT or DELETE' },
    { name: 'Body', type: 'String', help: 'the JSON body of a PUT' },
    { name: 'ContentType', type: 'String', help: 'application/json (ignored)' },
  ],
  run(ctx) {
    return runRest(
      ctx.env,
      (ctx.args.get('Method') as string | undefined) ?? 'GET',
      ctx.args.get('Uri') as string,
      ctx.args.get('Body') as string | undefined,
    );
  },
};
