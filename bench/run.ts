// `npm run bench`: every benchmark in turn. Add yours as one line in the list.
import { runCodecBench } from './codec.ts';
import { runEngineBench } from './engine.ts';
import { runValidateBench } from './validate.ts';

const benches: { name: string; run: () => Promise<unknown> }[] = [
  { name: 'codec', run: () => runCodecBench() },
  { name: 'engine', run: () => runEngineBench() },
  { name: 'validate', run: () => runValidateBench() },
];

for (const b of benches) {
  console.log(`\n== ${b.name}`);
  await b.run();
}
