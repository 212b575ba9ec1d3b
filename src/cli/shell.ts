// `hnv shell (DOC.json | --scenario NAME) [-c "COMMAND"]... [--save OUT.json]`: the lab's
// console (NetVirtualization cmdlets, NC REST verbs, vfpctrl) on the same engine as the UI.
// Each -c runs in order; a change is applied before the next (so a script can build a
// network and read it back). Without -c, reads commands from stdin, one per line.
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createEngine, type ShellSession } from '../engine/index.ts';
import { formatValidationError } from '../engine/model/validate.ts';
import { scenarioById, scenarios } from '../scenarios/index.ts';

export const usage = 'shell (DOC.json | --scenario NAME) [-c "COMMAND"]... [--save OUT.json]';

export async function run(args: string[]): Promise<number> {
  const fail = (msg: string) => {
    console.error(`hnv shell: ${msg}\nusage: hnv ${usage}`);
    return 1;
  };
  const commands: string[] = [];
  let scenario: string | undefined;
  let save: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' || a === '--command') {
      const c = args[++i];
      if (c === undefined) return fail(`${a} needs a command`);
      commands.push(c);
    } else if (a === '--scenario') scenario = args[++i];
    else if (a === '--save') save = args[++i];
    else if (a.startsWith('--')) return fail(`unknown option ${a}`);
    else positional.push(a);
  }
  let doc: unknown;
  if (scenario !== undefined) {
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
  const engine = createEngine();
  const loaded = engine.load(doc);
  if (!loaded.ok) {
    for (const e of loaded.errors) console.error(formatValidationError(e));
    return 1;
  }
  let session: ShellSession = {};
  let current = doc;
  let failed = false;
  const one = (line: string): void => {
    const result = engine.shell(line, session);
    if (result.output)
      process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
    if (result.error) {
      console.error(result.error);
      failed = true;
    }
    if (result.change) {
      const updated = engine.update(result.change.document);
      if (!updated.ok) {
        for (const e of updated.errors) console.error(formatValidationError(e));
        failed = true;
      } else current = result.change.document;
    }
    session = result.session;
  };
  if (commands.length > 0) for (const c of commands) one(c);
  else {
    const rl = createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) one(line);
  }
  if (save !== undefined) await writeFile(save, `${JSON.stringify(current, null, 2)}\n`);
  return failed ? 1 : 0;
}
