// `hnv decode FILE.pcap [--json]`: decode every frame of a classic pcap with the lab's codec.
// --json prints one object per frame with Wireshark field keys, so it diffs against tshark.
//
// It streams: the file is read in fixed chunks, each frame is decoded and written as soon as
// its record is complete, and output goes through one reused buffer that waits for stdout
// before it is filled again. Memory stays flat whatever the file's size.
import { closeSync, openSync, readSync } from 'node:fs';
import type { DecodedFrame, DecodeIssue, FieldNode, FieldValue } from '../engine/wire/index.ts';
import { decodeFrame, fieldsByKey, PcapReader } from '../engine/wire/index.ts';

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

function treeText(nodes: FieldNode[], indent: string): string {
  let s = '';
  for (const n of nodes) {
    s += `\n${indent}${n.label}: ${n.display}  [${n.key} @${n.start}+${n.length}]`;
    if (n.children) s += treeText(n.children, `${indent}  `);
  }
  return s;
}

/** The readable tree of one frame (no trailing newline): the reference frameTextBytes is tested against. */
export function frameToText(index: number, frame: DecodedFrame): string {
  let s = `Frame ${index + 1}: ${frame.length} bytes, `;
  for (let i = 0; i < frame.layers.length; i++)
    s += i ? ` / ${frame.layers[i].protocol}` : frame.layers[i].protocol;
  for (const l of frame.layers) {
    s += `\n  ${l.title} [${l.start}..${l.start + l.headerLength})`;
    s += treeText(l.fields, '    ');
  }
  for (const i of frame.issues) s += `\n  ! ${i.severity} ${i.code} @${i.start}+${i.length}: ${i.message}`;
  return s;
}

/**
 * A growable UTF-8 byte string written piece by piece: frameTextBytes builds each frame's tree
 * here instead of as a JS string, so there is no rope of a few hundred pieces to flatten and
 * encode per frame (that cost more than decoding it).
 */
export class Utf8Bytes {
  buffer: Buffer = Buffer.allocUnsafe(1 << 16);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  str(s: string): void {
    const n = s.length;
    if (this.length + 3 * n > this.buffer.length) this.grow(3 * n);
    const b = this.buffer;
    let p = this.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Rare (an ellipsis in a long value): let Buffer encode the rest.
        this.length = p + b.write(s.slice(i), p, 'utf8');
        return;
      }
      b[p++] = c;
    }
    this.length = p;
  }

  /** Bytes already encoded. */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    if (this.length + n > this.buffer.length) this.grow(n);
    this.buffer.set(bytes, this.length);
    this.length += n;
  }

  byte(c: number): void {
    if (this.length + 1 > this.buffer.length) this.grow(1);
    this.buffer[this.length++] = c;
  }

  /** A non-negative integer in decimal. */
  int(v: number): void {
    if (v < 10 && v >= 0) {
      if (this.length + 1 > this.buffer.length) this.grow(1);
      this.buffer[this.length++] = 48 + v;
    } else this.str(String(v));
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}

/** The UTF-8 of strings that repeat on every frame (labels, keys), encoded once. */
class EncodedStrings {
  private readonly map = new Map<string, Uint8Array>();
  constructor(private readonly wrap: (s: string) => string) {}

  get(s: string): Uint8Array {
    let b = this.map.get(s);
    if (b === undefined) {
      b = Buffer.from(this.wrap(s), 'utf8');
      this.map.set(s, b);
    }
    return b;
  }
}

/** Per depth, "\n    Label: "; and "  [key @". */
const linePrefixes: EncodedStrings[] = [];
const lineKeys = new EncodedStrings((key) => `  [${key} @`);

function treeBytes(nodes: FieldNode[], depth: number, out: Utf8Bytes): void {
  let prefixes = linePrefixes[depth];
  if (prefixes === undefined) {
    const indent = `\n${'  '.repeat(depth + 2)}`;
    prefixes = new EncodedStrings((label) => `${indent}${label}: `);
    linePrefixes[depth] = prefixes;
  }
  for (const n of nodes) {
    out.raw(prefixes.get(n.label));
    out.str(n.display);
    out.raw(lineKeys.get(n.key));
    out.int(n.start);
    out.byte(43); // '+'
    out.int(n.length);
    out.byte(93); // ']'
    if (n.children) treeBytes(n.children, depth + 1, out);
  }
}

/** frameToText(index, frame), appended to `out` as UTF-8 bytes. */
export function frameTextBytes(index: number, frame: DecodedFrame, out: Utf8Bytes): void {
  out.str('Frame ');
  out.int(index + 1);
  out.str(': ');
  out.int(frame.length);
  out.str(' bytes, ');
  const layers = frame.layers;
  for (let i = 0; i < layers.length; i++) {
    if (i) out.str(' / ');
    out.str(layers[i].protocol);
  }
  for (const l of layers) {
    out.str('\n  ');
    out.str(l.title);
    out.str(' [');
    out.int(l.start);
    out.str('..');
    out.int(l.start + l.headerLength);
    out.str(')');
    treeBytes(l.fields, 0, out);
  }
  for (const i of frame.issues)
    out.str(`\n  ! ${i.severity} ${i.code} @${i.start}+${i.length}: ${i.message}`);
}

const quoted = new Map<string, string>();
/** JSON string of a field key: few distinct keys, each quoted once. */
function quoteKey(key: string): string {
  let q = quoted.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    quoted.set(key, q);
  }
  return q;
}

const jsonValue = (v: FieldValue) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * frameToJson(index, frame) as JSON.stringify(_, null, 2) prints it, every line after the
 * first prefixed with `indent`: the reference frameJsonBytes is tested against.
 */
export function frameToJsonText(index: number, frame: DecodedFrame, indent = ''): string {
  const i1 = `${indent}  `;
  const i2 = `${indent}    `;
  const i3 = `${indent}      `;
  let s = `{\n${i1}"frame": ${index + 1},\n${i1}"length": ${frame.length},\n${i1}"layers": `;
  const layers = frame.layers;
  if (layers.length === 0) s += '[]';
  else {
    s += '[';
    for (let i = 0; i < layers.length; i++) s += `${i ? ',' : ''}\n${i2}"${layers[i].protocol}"`;
    s += `\n${i1}]`;
  }
  s += `,\n${i1}"fields": `;
  // Values grouped by key in first-seen order, as fieldsByKey builds them.
  const fields = fieldsByKey(frame);
  let first = true;
  for (const key in fields) {
    s += `${first ? '{' : ','}\n${i2}${quoteKey(key)}: [`;
    first = false;
    const values = fields[key];
    for (let i = 0; i < values.length; i++) s += `${i ? ',' : ''}\n${i3}${jsonValue(values[i])}`;
    s += `\n${i2}]`;
  }
  s += first ? '{}' : `\n${i1}}`;
  s += `,\n${i1}"issues": `;
  if (frame.issues.length === 0) s += '[]';
  else {
    s += '[';
    frame.issues.forEach((x, i) => {
      s += `${i ? ',' : ''}\n${i2}{\n${i3}"code": ${JSON.stringify(x.code)},\n${i3}"severity": ${JSON.stringify(x.severity)},\n${i3}"start": ${x.start},\n${i3}"length": ${x.length},\n${i3}"message": ${JSON.stringify(x.message)}\n${i2}}`;
    });
    s += `\n${i1}]`;
  }
  return `${s}\n${indent}}`;
}

/** Per key, '\n      "key": [' (the CLI's fields rows, inside the top-level array). */
const jsonKeyLines = new EncodedStrings((key) => `\n      ${JSON.stringify(key)}: [`);

/** A JSON string value; plain ASCII is copied, anything JSON must escape goes through JSON.stringify. */
function jsonStringBytes(s: string, out: Utf8Bytes): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) {
      out.str(JSON.stringify(s));
      return;
    }
  }
  out.byte(34);
  out.str(s);
  out.byte(34);
}

/** frameToJsonText(index, frame, '  ') (a frame inside the top-level array), appended to `out` as UTF-8. */
export function frameJsonBytes(index: number, frame: DecodedFrame, out: Utf8Bytes): void {
  out.str('{\n    "frame": ');
  out.int(index + 1);
  out.str(',\n    "length": ');
  out.int(frame.length);
  out.str(',\n    "layers": ');
  const layers = frame.layers;
  if (layers.length === 0) out.str('[]');
  else {
    for (let i = 0; i < layers.length; i++) {
      out.str(i ? ',\n      "' : '[\n      "');
      out.str(layers[i].protocol);
      out.byte(34);
    }
    out.str('\n    ]');
  }
  out.str(',\n    "fields": ');
  // Values grouped by key in first-seen order, as frameToJson groups them.
  const fields = fieldsByKey(frame);
  let first = true;
  for (const key in fields) {
    out.byte(first ? 123 : 44); // '{' or ','
    first = false;
    out.raw(jsonKeyLines.get(key));
    const values = fields[key];
    for (let i = 0; i < values.length; i++) {
      out.str(i ? ',\n        ' : '\n        ');
      const v = values[i];
      if (typeof v === 'string') jsonStringBytes(v, out);
      else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out.int(v);
      else out.str(JSON.stringify(v));
    }
    out.str('\n      ]');
  }
  out.str(first ? '{}' : '\n    }');
  out.str(',\n    "issues": ');
  const issues = frame.issues;
  if (issues.length === 0) out.str('[]');
  else {
    for (let i = 0; i < issues.length; i++) {
      const x = issues[i];
      out.str(i ? ',\n      {\n        "code": ' : '[\n      {\n        "code": ');
      jsonStringBytes(x.code, out);
      out.str(',\n        "severity": ');
      jsonStringBytes(x.severity, out);
      out.str(',\n        "start": ');
      out.str(String(x.start));
      out.str(',\n        "length": ');
      out.str(String(x.length));
      out.str(',\n        "message": ');
      jsonStringBytes(x.message, out);
      out.str('\n      }');
    }
    out.str('\n    ]');
  }
  out.str('\n  }');
}

/**
 * Text to a stream through one reused buffer. write() encodes each piece straight into the
 * buffer (no long-lived strings for the collector to trace); when `full`, the caller awaits
 * flush(), which resolves once the stream has taken the bytes, so a slow reader slows us
 * down instead of growing our memory.
 */
export class BufferedOutput {
  private readonly buffer: Buffer;
  private used = 0;
  /** Pieces that did not fit, in order, until the next flush. */
  private overflow: (string | Uint8Array)[] = [];

  constructor(
    private readonly stream: NodeJS.WritableStream,
    bytes = 1 << 20,
  ) {
    this.buffer = Buffer.allocUnsafe(bytes);
  }

  write(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.overflow.length === 0 && this.used + 3 * s.length <= this.buffer.length) {
      this.used += this.buffer.write(s, this.used, 'utf8');
    } else this.overflow.push(s);
  }

  /** Copies the bytes (the caller may reuse its buffer). */
  bytes(b: Uint8Array): void {
    if (this.overflow.length === 0 && this.used + b.length <= this.buffer.length) {
      this.buffer.set(b, this.used);
      this.used += b.length;
    } else this.overflow.push(new Uint8Array(b)); // a copy (Buffer#slice would be a view)
  }

  get full(): boolean {
    return this.overflow.length > 0 || this.used >= this.buffer.length / 2;
  }

  async flush(): Promise<void> {
    await this.send(this.buffer.subarray(0, this.used));
    this.used = 0;
    const overflow = this.overflow;
    this.overflow = [];
    for (const piece of overflow) {
      const size = typeof piece === 'string' ? 3 * piece.length : piece.length;
      if (this.used + size > this.buffer.length) {
        await this.send(this.buffer.subarray(0, this.used));
        this.used = 0;
      }
      if (size > this.buffer.length)
        await this.send(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece);
      else if (typeof piece === 'string') this.used += this.buffer.write(piece, this.used, 'utf8');
      else {
        this.buffer.set(piece, this.used);
        this.used += piece.length;
      }
    }
    await this.send(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private send(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      // An error (EPIPE: the reader went away) also reaches the stream's 'error' listeners.
      this.stream.write(bytes, () => resolve());
    });
  }
}

const CHUNK = 64 * 1024;

export async function run(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) {
    console.error('hnv decode: expected one pcap file: hnv decode FILE.pcap [--json]');
    return 1;
  }
  const file = files[0];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    const reason = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : String(e);
    console.error(`hnv decode: cannot read ${file}: ${reason}`);
    return 1;
  }
  const out = new BufferedOutput(process.stdout);
  const reader = new PcapReader();
  let reported = 0;
  const report = () => {
    for (; reported < reader.issues.length; reported++) {
      const i = reader.issues[reported];
      console.error(`hnv decode: ${file}: ${i.severity}: ${i.message}`);
    }
  };
  let frames = 0;
  const text = new Utf8Bytes();
  const onRecord = json
    ? (r: { data: Uint8Array }) => {
        text.reset();
        text.str(frames ? ',\n  ' : '[\n  ');
        frameJsonBytes(frames, decodeFrame(r.data), text);
        out.bytes(text.buffer.subarray(0, text.length));
        frames++;
      }
    : (r: { data: Uint8Array }) => {
        text.reset();
        if (frames) text.str('\n\n');
        frameTextBytes(frames, decodeFrame(r.data), text);
        out.bytes(text.buffer.subarray(0, text.length));
        frames++;
      };
  const chunk = new Uint8Array(CHUNK);
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, CHUNK, null);
      } catch (e) {
        console.error(`hnv decode: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
        return 1;
      }
      if (n === 0) break;
      reader.push(chunk.subarray(0, n), onRecord);
      const fatal = reader.issues.find((i) => i.code === 'not-pcap');
      if (fatal) {
        console.error(`hnv decode: ${file}: ${fatal.message}`);
        return 1;
      }
      report();
      if (out.full) await out.flush();
      if (!reader.readable) break;
    }
    reader.end();
    const fatal = reader.issues.find((i) => i.code === 'not-pcap');
    if (fatal) {
      console.error(`hnv decode: ${file}: ${fatal.message}`);
      return 1;
    }
    report();
    // As JSON.stringify(frames, null, 2) and console.log would end it.
    if (json) out.write(frames ? '\n]\n' : '[]\n');
    else out.write('\n');
    await out.flush();
    return 0;
  } finally {
    closeSync(fd);
  }
}
