// `npx tsx bench/real-path.ts`: only the real path's figure (for profiling with --cpu-prof).
// `npx tsx bench/real-path.ts --packets N`: warm up, then send exactly N more packets and exit,
// to count instructions per packet: run it under `valgrind --tool=callgrind` with two values of
// N and divide the difference in instructions by the difference in N.
import { realPath, realPathRig } from './engine.ts';

const at = process.argv.indexOf('--packets');
if (at > 0) {
  const rig = realPathRig();
  rig.run(200_000); // warm: the optimizing compiler has run
  rig.run(Number(process.argv[at + 1]));
  rig.check();
} else
  console.log(
    `real path, cached: VM -> router -> VM  ${(realPath() / 1e6).toFixed(2)} Mpps (target >= 8 Mpps)`,
  );
