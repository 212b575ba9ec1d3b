// `npm run bench`: every benchmark in turn. Add yours as one line in the list.
import { runCodecBench } from './codec.ts';
import { runDecodeBench } from './decode.ts';
import { runEngineBench } from './engine.ts';
import { runImportBench } from './import.ts';
import { runValidateBench } from './validate.ts';

const benches: { name: string; run: () => Promise<unknown> }[] = [
  { name: 'codec', run: () => runCodecBench() },
  { name: 'decode', run: () => runDecodeBench() },
  { name: 'engine', run: () => runEngineBench() },
  { name: 'validate', run: () => runValidateBench() },
  { name: 'import', run: () => runImportBench() },
];

for (const b of benches) {
  console.log(`\n== ${b.name}`);
  await b.run();
}
