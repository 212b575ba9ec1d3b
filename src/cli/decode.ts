// `hnv decode FILE.pcap [--json]`: decode every frame of a classic pcap with the lab's codec.
// --json prints one object per frame with Wireshark field keys, so it diffs against tshark.
import { readFileSync } from 'node:fs';
import type { DecodedFrame, DecodeIssue, FieldNode, FieldValue } from '../engine/wire/index.ts';
import { decodeFrame, fieldsByKey, readPcap } from '../engine/wire/index.ts';

export interface DecodedFrameJson {
  frame: number; // 1-based, like tshark's frame.number
  length: number;
  layers: string[];
  fields: Record<string, FieldValue[]>;
  issues: DecodeIssue[];
}

export function frameToJson(index: number, frame: DecodedFrame): DecodedFrameJson {
  return {
    frame: index + 1,
    length: frame.length,
    layers: frame.layers.map((l) => l.protocol),
    fields: fieldsByKey(frame),
    issues: frame.issues.map(({ code, severity, start, length, message }) => ({
      code,
      severity,
      start,
      length,
      message,
    })),
  };
}

function treeLines(nodes: FieldNode[], indent: string, out: string[]): void {
  for (const n of nodes) {
    out.push(`${indent}${n.label}: ${n.display}  [${n.key} @${n.start}+${n.length}]`);
    if (n.children) treeLines(n.children, `${indent}  `, out);
  }
}

export function frameToText(index: number, frame: DecodedFrame): string {
  const out = [
    `Frame ${index + 1}: ${frame.length} bytes, ${frame.layers.map((l) => l.protocol).join(' / ')}`,
  ];
  for (const l of frame.layers) {
    out.push(`  ${l.title} [${l.start}..${l.start + l.headerLength})`);
    treeLines(l.fields, '    ', out);
  }
  for (const i of frame.issues) out.push(`  ! ${i.severity} ${i.code} @${i.start}+${i.length}: ${i.message}`);
  return out.join('\n');
}

export async function run(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) {
    console.error('hnv decode: expected one pcap file: hnv decode FILE.pcap [--json]');
    return 1;
  }
  const file = files[0];
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    const reason = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : String(e);
    console.error(`hnv decode: cannot read ${file}: ${reason}`);
    return 1;
  }
  const { records, issues } = readPcap(bytes);
  const fatal = issues.find((i) => i.code === 'not-pcap');
  if (fatal) {
    console.error(`hnv decode: ${file}: ${fatal.message}`);
    return 1;
  }
  for (const i of issues) console.error(`hnv decode: ${file}: ${i.severity}: ${i.message}`);
  const frames = records.map((r) => decodeFrame(r.data));
  if (json)
    console.log(
      JSON.stringify(
        frames.map((f, i) => frameToJson(i, f)),
        null,
        2,
      ),
    );
  else console.log(frames.map((f, i) => frameToText(i, f)).join('\n\n'));
  return 0;
}
