// `hnv tuple (DOC.json | --scenario NAME) --port PORT --direction in|out --proto tcp|udp|icmp
//  [--src IP] [--dst IP] [--sport N] [--dport N] [--json]`: Test-SdnVfpPortTuple from the shell.
import { readFile } from 'node:fs/promises';
import { formatTuple } from '../engine/console/cmdlets/tuple.ts';
import { createEngine, type TupleRequest } from '../engine/index.ts';
import { formatValidationError } from '../engine/model/validate.ts';
import { scenarioById, scenarios } from '../scenarios/index.ts';

export const usage =
  'tuple (DOC.json | --scenario NAME) --port PORT --direction in|out --proto tcp|udp|icmp [--src IP] [--dst IP] [--sport N] [--dport N] [--json]';

export async function run(args: string[]): Promise<number> {
  const fail = (msg: string) => {
    console.error(`hnv tuple: ${msg}\nusage: hnv ${usage}`);
    return 1;
  };
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') flags.set('json', '1');
    else if (a.startsWith('--')) flags.set(a.slice(2), args[++i] ?? '');
    else positional.push(a);
  }
  let doc: unknown;
  const scenario = flags.get('scenario');
  if (scenario) {
    const s = scenarioById(scenario);
    if (!s) return fail(`unknown scenario '${scenario}' (have: ${scenarios.map((x) => x.id).join(', ')})`);
    doc = s.document;
  } else if (positional.length === 1) {
    try {
      doc = JSON.parse(await readFile(positional[0], 'utf8'));
    } catch (error) {
      return fail(`cannot read ${positional[0]}: ${(error as Error).message}`);
    }
  } else return fail('give a document or --scenario NAME');
  const direction = flags.get('direction');
  const proto = flags.get('proto') ?? 'tcp';
  if (!flags.get('port')) return fail('--port is required');
  if (direction !== 'in' && direction !== 'out') return fail('--direction must be in or out');
  if (!['tcp', 'udp', 'icmp'].includes(proto)) return fail('--proto must be tcp, udp or icmp');
  const num = (name: string): number | undefined => {
    const v = flags.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`--${name} wants an integer, got '${v}'`);
    return n;
  };
  const engine = createEngine();
  const loaded = engine.load(doc);
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(formatValidationError(e));
    return 1;
  }
  try {
    const request: TupleRequest = {
      port: flags.get('port') ?? '',
      direction,
      protocol: proto as TupleRequest['protocol'],
      srcIp: flags.get('src'),
      dstIp: flags.get('dst'),
      srcPort: num('sport'),
      dstPort: num('dport'),
    };
    const result = engine.testTuple(request);
    if (flags.has('json')) console.log(JSON.stringify({ ...result, steps: undefined }, null, 2));
    else console.log(formatTuple(result).trim());
    return result.verdict === 'allow' ? 0 : 2;
  } catch (error) {
    return fail((error as Error).message);
  }
}
