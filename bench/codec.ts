// Codec throughput: decode and encode rates for the lab's most common frame, VXLAN in IPv4
// carrying a VM's ICMP echo (124 bytes, 8 layers). Prints figures; never passes or fails on time.
import { decodeFrame, encodeFrame } from '../src/engine/wire/index.ts';
import { sampleLayers } from '../src/engine/wire/samples.ts';

export interface CodecBenchFigures {
  frame: string;
  frameBytes: number;
  layers: number;
  /** Median of the runs, frames per second of wall-clock time. */
  decodePerSecond: number;
  encodePerSecond: number;
  decodeRuns: number[];
  encodeRuns: number[];
  /** Median of the runs, frames per second of this process's CPU time: steadier on a busy machine. */
  decodePerCpuSecond: number;
  encodePerCpuSecond: number;
}

const RUNS = 5;
const RUN_MS = 300;

interface Rate {
  wall: number;
  cpu: number;
}

/** Repeat `fn` for about RUN_MS and return calls per second of wall-clock and of CPU time. */
function rate(fn: () => unknown): Rate {
  let n = 0;
  let sink = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 1000; i++) sink += fn() ? 1 : 0;
    n += 1000;
    elapsed = performance.now() - start;
  } while (elapsed < RUN_MS);
  const cpu = process.cpuUsage(cpuStart);
  if (sink < 0) console.log(sink); // keep the work observable so it is not optimised away
  return { wall: (n * 1000) / elapsed, cpu: (n * 1e6) / Math.max(1, cpu.user + cpu.system) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runCodecBench(options: { quiet?: boolean } = {}): Promise<CodecBenchFigures> {
  const layers = sampleLayers().vxlan;
  const bytes = encodeFrame(layers);
  // Warm up the JIT before measuring.
  rate(() => decodeFrame(bytes).layers.length);
  rate(() => encodeFrame(layers).length);
  const decodeRuns: Rate[] = [];
  const encodeRuns: Rate[] = [];
  for (let r = 0; r < RUNS; r++) {
    decodeRuns.push(rate(() => decodeFrame(bytes).layers.length));
    encodeRuns.push(rate(() => encodeFrame(layers).length));
  }
  const figures: CodecBenchFigures = {
    frame: 'VXLAN in IPv4, inner ICMP echo (eth/ip/udp/vxlan/eth/ip/icmp/data)',
    frameBytes: bytes.length,
    layers: layers.length,
    decodePerSecond: Math.round(median(decodeRuns.map((r) => r.wall))),
    encodePerSecond: Math.round(median(encodeRuns.map((r) => r.wall))),
    decodeRuns: decodeRuns.map((r) => Math.round(r.wall)),
    encodeRuns: encodeRuns.map((r) => Math.round(r.wall)),
    decodePerCpuSecond: Math.round(median(decodeRuns.map((r) => r.cpu))),
    encodePerCpuSecond: Math.round(median(encodeRuns.map((r) => r.cpu))),
  };
  if (!options.quiet) {
    const fmt = (n: number) => n.toLocaleString('en-US');
    console.log(`codec: ${figures.frame}, ${figures.frameBytes} bytes`);
    const line = (what: string, wall: number, runs: number[], cpu: number) =>
      console.log(
        `  ${what}: ${fmt(wall)} frames/s (median of ${RUNS} runs: ${runs.map(fmt).join(', ')}; ${fmt(cpu)} per CPU-second)`,
      );
    line('decode', figures.decodePerSecond, figures.decodeRuns, figures.decodePerCpuSecond);
    line('encode', figures.encodePerSecond, figures.encodeRuns, figures.encodePerCpuSecond);
  }
  return figures;
}
