// `hnv decode` end to end against tshark: a pcap of 100k VXLAN frames (each one different:
// VNI, outer source port, IP identification, ICMP sequence), decoded to /dev/null as a tree
// (vs `tshark -V`) and as JSON (vs `tshark -T json`). Prints wall time, CPU time and peak RSS
// of each child process; never passes or fails on time.
//
//   npx tsx bench/decode.ts [--frames N] [--runs R]   (also part of `npm run bench`)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerSpec } from '../src/engine/wire/index.ts';
import { encodeFrame } from '../src/engine/wire/index.ts';
import { sampleLayers } from '../src/engine/wire/samples.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'hnv.mjs');

export interface ProcessFigures {
  command: string;
  /** Median of the runs. */
  wallSeconds: number;
  cpuSeconds: number;
  /** Largest peak resident set of the runs, in MB. */
  maxRssMb: number;
  runs: number[];
}

export interface DecodeBenchFigures {
  frames: number;
  pcapBytes: number;
  hnvText: ProcessFigures;
  hnvJson: ProcessFigures;
  /** `hnv decode` of a one-frame file: Node, tsx and module loading, the fixed cost in every figure. */
  hnvStartup: ProcessFigures;
  /** Per frame, hnv decode's wall time past its start-up, in microseconds. */
  hnvTextMicrosPerFrame: number;
  hnvJsonMicrosPerFrame: number;
  tsharkText?: ProcessFigures;
  tsharkJson?: ProcessFigures;
  /** tshark's wall time over ours (higher is better for us). */
  textSpeedup?: number;
  jsonSpeedup?: number;
}

/** The lab's VXLAN ping with per-frame values changed, so no two frames are the same bytes. */
export function vxlanPcap(frames: number): Uint8Array {
  const base = sampleLayers().vxlan;
  const records: Uint8Array[] = [];
  for (let i = 0; i < frames; i++) {
    const layers = base.map((l): LayerSpec => {
      switch (l.protocol) {
        case 'ip':
          return { ...l, header: { ...l.header, identification: (l.header.identification + i) & 0xffff } };
        case 'udp':
          return { ...l, header: { ...l.header, srcPort: 49152 + (i % 16384) } };
        case 'vxlan':
          return { ...l, header: { ...l.header, vni: 4096 + (i % 1000) } };
        case 'icmp':
          return { ...l, header: { ...l.header, sequence: i & 0xffff } };
        default:
          return l;
      }
    });
    records.push(encodeFrame(layers));
  }
  // Written here rather than with writePcap so timestamps advance by 10 µs a frame.
  let size = 24;
  for (const r of records) size += 16 + r.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 262144, true);
  v.setUint32(20, 1, true);
  let pos = 24;
  records.forEach((r, i) => {
    const micros = 1_700_000_000_000_000 / 1000 + i * 10;
    v.setUint32(pos, Math.floor(micros / 1e6), true);
    v.setUint32(pos + 4, micros % 1e6, true);
    v.setUint32(pos + 8, r.length, true);
    v.setUint32(pos + 12, r.length, true);
    out.set(r, pos + 16);
    pos += 16 + r.length;
  });
  return out;
}

interface Run {
  wall: number;
  cpu: number;
  rssMb: number;
  status: number | null;
}

/** Run a command with stdout to /dev/null under GNU time, which reports CPU and peak RSS. */
function timed(argv: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const devNull = openSync('/dev/null', 'w');
    const start = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'HNV_TIME %U %S %M', ...argv], {
      stdio: ['ignore', devNull, 'pipe'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (status) => {
      const wall = (performance.now() - start) / 1000;
      const m = /HNV_TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
      if (!m) return reject(new Error(`${argv.join(' ')}: no timing from /usr/bin/time:\n${stderr}`));
      resolve({ wall, cpu: Number(m[1]) + Number(m[2]), rssMb: Number(m[3]) / 1024, status });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function measure(name: string, argv: string[], runs: number): Promise<ProcessFigures> {
  const results: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const run = await timed(argv);
    if (run.status !== 0) throw new Error(`${name} exited with ${run.status}`);
    results.push(run);
  }
  return {
    command: name,
    wallSeconds: round(median(results.map((r) => r.wall))),
    cpuSeconds: round(median(results.map((r) => r.cpu))),
    maxRssMb: Math.round(Math.max(...results.map((r) => r.rssMb))),
    runs: results.map((r) => round(r.wall)),
  };
}

export async function runDecodeBench(
  options: { frames?: number; runs?: number; quiet?: boolean } = {},
): Promise<DecodeBenchFigures> {
  const frames = options.frames ?? 100_000;
  const runs = options.runs ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'hnv-decode-bench-'));
  try {
    const file = join(dir, 'vxlan.pcap');
    const pcap = vxlanPcap(frames);
    writeFileSync(file, pcap);
    const one = join(dir, 'one.pcap');
    writeFileSync(one, vxlanPcap(1));
    const node = process.execPath;
    const hnvText = await measure('hnv decode', [node, BIN, 'decode', file], runs);
    const hnvJson = await measure('hnv decode --json', [node, BIN, 'decode', file, '--json'], runs);
    const hnvStartup = await measure('hnv decode (1 frame)', [node, BIN, 'decode', one], runs);
    const perFrame = (f: ProcessFigures) =>
      round(((f.wallSeconds - hnvStartup.wallSeconds) * 1e6) / frames, 2);
    const figures: DecodeBenchFigures = {
      frames,
      pcapBytes: pcap.length,
      hnvText,
      hnvJson,
      hnvStartup,
      hnvTextMicrosPerFrame: perFrame(hnvText),
      hnvJsonMicrosPerFrame: perFrame(hnvJson),
    };
    const tshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' });
    if (!tshark.error && tshark.status === 0) {
      figures.tsharkText = await measure('tshark -V', ['tshark', '-r', file, '-V'], runs);
      figures.tsharkJson = await measure('tshark -T json', ['tshark', '-r', file, '-T', 'json'], runs);
      figures.textSpeedup = round(figures.tsharkText.wallSeconds / figures.hnvText.wallSeconds, 1);
      figures.jsonSpeedup = round(figures.tsharkJson.wallSeconds / figures.hnvJson.wallSeconds, 1);
    }
    if (!options.quiet) {
      console.log(
        `decode: ${frames.toLocaleString('en-US')} VXLAN frames (${(pcap.length / 1e6).toFixed(1)} MB pcap), stdout to /dev/null, median of ${runs} runs`,
      );
      const all = [
        figures.hnvText,
        figures.tsharkText,
        figures.hnvJson,
        figures.tsharkJson,
        figures.hnvStartup,
      ];
      for (const f of all) {
        if (!f) continue;
        console.log(
          `  ${f.command.padEnd(20)} ${f.wallSeconds.toFixed(2)} s wall (${f.runs.join(', ')}), ${f.cpuSeconds.toFixed(2)} s CPU, peak RSS ${f.maxRssMb} MB`,
        );
      }
      console.log(
        `  hnv past start-up: tree ${figures.hnvTextMicrosPerFrame} µs, JSON ${figures.hnvJsonMicrosPerFrame} µs a frame`,
      );
      if (figures.textSpeedup !== undefined) {
        console.log(
          `  hnv vs tshark: tree ${figures.textSpeedup}x, JSON ${figures.jsonSpeedup}x faster (wall time)`,
        );
      } else console.log('  tshark is not installed: no comparison');
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  await runDecodeBench({ frames: arg('--frames'), runs: arg('--runs') });
}
