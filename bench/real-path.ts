// `npx tsx bench/real-path.ts`: only the real path's figure (for profiling with --cpu-prof).
import { realPath } from './engine.ts';

console.log(
  `real path, cached: VM -> router -> VM  ${(realPath() / 1e6).toFixed(2)} Mpps (target >= 8 Mpps)`,
);
