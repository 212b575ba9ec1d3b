// `npx tsx bench/real-path.ts`: only the real path's figure (for profiling with --cpu-prof).
// `npx tsx bench/real-path.ts --packets N`: warm up, then send exactly N more packets and exit,
// to count instructions per packet (`bench/instructions.sh` does it under callgrind).
// `npx tsx bench/real-path.ts --breakdown`: the same packets with the VMs placed so that parts of
// the path drop out (no router; no tunnel), to see what each part costs, each in a process of its own.
import { execFileSync } from 'node:child_process';
import { type RealPathVariant, realPath, realPathRig } from './engine.ts';

const at = process.argv.indexOf('--packets');
if (at > 0) {
  const rig = realPathRig();
  rig.run(1_000_000); // warm: the optimizing compiler has run, the loop included
  rig.run(Number(process.argv[at + 1]));
  rig.check();
} else if (process.argv.includes('--variant')) {
  // One placement's rate, alone in this process (for --breakdown).
  const variant = process.argv[process.argv.indexOf('--variant') + 1] as RealPathVariant;
  console.log(realPath(variant));
} else if (process.argv.includes('--breakdown')) {
  // Each placement in a process of its own: in one process, V8's feedback from the placements
  // measured first would slow down the ones measured after them.
  const rate = (variant: RealPathVariant) =>
    Number(
      execFileSync(process.execPath, [...process.execArgv, process.argv[1], '--variant', variant], {
        encoding: 'utf8',
      }).trim(),
    );
  const ns = (pps: number) => `${(pps / 1e6).toFixed(2)} Mpps  ${(1e9 / pps).toFixed(0)} ns/packet`;
  const host = rate('same-host');
  const subnet = rate('same-pa-subnet');
  const router = rate('router');
  console.log(`one host, port to port:               ${ns(host)}`);
  console.log(`two hosts, one PA subnet (VXLAN):     ${ns(subnet)}`);
  console.log(`two hosts, two PA subnets + router:   ${ns(router)}  (the real path; target >= 8 Mpps)`);
  console.log(
    `so: tunnel host to host ${(1e9 / subnet - 1e9 / host).toFixed(0)} ns, router hop ${(1e9 / router - 1e9 / subnet).toFixed(0)} ns`,
  );
} else
  console.log(
    `real path, cached: VM -> router -> VM  ${(realPath() / 1e6).toFixed(2)} Mpps (target >= 8 Mpps)`,
  );
