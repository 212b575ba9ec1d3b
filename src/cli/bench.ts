// `hnv bench [--json]`: the engine's benchmark figures, readable or as JSON.
import { runEngineBench } from '../../bench/engine.ts';

export const usage = 'bench [--json]';

export async function run(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const figures = await runEngineBench({ quiet: json });
  if (json) console.log(JSON.stringify(figures, null, 2));
  return 0;
}
