// `hnv decode FILE.pcap [--json]`: decode every frame of a capture (pcap or pcapng) with the lab's codec.
// --json prints one object per frame with Wireshark field keys, so it diffs against tshark.
//
// It streams: the file is read in fixed chunks into one reused buffer, each frame is decoded
// and written as soon as its record is complete, straight into one output buffer that is
// handed to stdout when full and refilled only once stdout has taken it. Memory stays flat
// whatever the file's size.
import { closeSync, openSync, readSync } from 'node:fs';
// The wire modules themselves, not its index: the CLI starts faster loading only what decodes.
import { CaptureReader } from '../engine/wire/capture.ts';
import { decodeFrame } from '../engine/wire/frame.ts';
import type { PcapRecord } from '../engine/wire/pcap.ts';
import { JsonTemplates } from './frameJson.ts';
import { TextTemplates } from './frameText.ts';
import { Utf8Bytes } from './utf8Bytes.ts';

export type { DecodedFrameJson } from './frameJson.ts';
export { frameJsonBytes, frameToJson, frameToJsonText, JsonTemplates } from './frameJson.ts';
export { frameTextBytes, frameToText, TextTemplates } from './frameText.ts';
export { Utf8Bytes } from './utf8Bytes.ts';

/**
 * Bytes to a stream through one reused buffer. Writers append to `text` directly; when
 * `full`, the caller awaits flush(), which resolves once the stream has taken the bytes, so
 * a slow reader slows us down instead of growing our memory.
 */
export class BufferedOutput {
  readonly text = new Utf8Bytes();

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly limit = 1 << 20,
  ) {}

  write(s: string): void {
    this.text.str(s);
  }

  /** Copies the bytes (the caller may reuse its buffer). */
  bytes(b: Uint8Array): void {
    this.text.raw(b);
  }

  get full(): boolean {
    return this.text.length >= this.limit;
  }

  flush(): Promise<void> {
    const { text } = this;
    if (text.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      // An error (EPIPE: the reader went away) also reaches the stream's 'error' listeners.
      this.stream.write(text.buffer.subarray(0, text.length), () => {
        text.reset();
        resolve();
      });
    });
  }
}

/** How the CLI reads a file: `read` fills `into` from the current position, 0 at the end. */
export interface DecodeOptions {
  json: boolean;
  read: (into: Uint8Array) => number;
  out: BufferedOutput;
  /** Each problem of the file itself (not of a frame) as it is found. */
  onIssue: (severity: string, message: string) => void;
  chunkSize?: number;
}

export interface DecodeResult {
  frames: number;
  /** Set when the file is not a capture at all: nothing (or nothing more) was printed. */
  fatal?: string;
}

const CHUNK = 64 * 1024;

/** Read, decode and print a whole capture, chunk by chunk. */
export async function decodeCapture(options: DecodeOptions): Promise<DecodeResult> {
  const { json, read, out, onIssue } = options;
  const reader = new CaptureReader();
  let reported = 0;
  const report = () => {
    for (; reported < reader.issues.length; reported++) {
      const i = reader.issues[reported];
      if (i.code !== 'not-pcap') onIssue(i.severity, i.message);
    }
  };
  const fatal = () => reader.issues.find((i) => i.code === 'not-pcap')?.message;
  let frames = 0;
  const text = out.text;
  const templates = json ? new JsonTemplates() : new TextTemplates();
  const onRecord = json
    ? (r: PcapRecord) => {
        text.str(frames ? ',\n  ' : '[\n  ');
        templates.write(frames, decodeFrame(r.data), text);
        frames++;
      }
    : (r: PcapRecord) => {
        if (frames) text.str('\n\n');
        templates.write(frames, decodeFrame(r.data), text);
        frames++;
      };
  const size = options.chunkSize ?? CHUNK;
  const chunk = new Uint8Array(size);
  for (;;) {
    const n = read(chunk);
    if (n === 0) break;
    reader.push(chunk.subarray(0, n), onRecord);
    const message = fatal();
    if (message) return { frames, fatal: message };
    report();
    if (out.full) await out.flush();
    if (!reader.readable) break;
  }
  reader.end();
  const message = fatal();
  if (message) return { frames, fatal: message };
  report();
  // As JSON.stringify(frames, null, 2) and console.log would end it.
  if (json) out.write(frames ? '\n]\n' : '[]\n');
  else out.write('\n');
  await out.flush();
  return { frames };
}

export async function run(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length !== 1) {
    console.error('hnv decode: expected one capture file (pcap or pcapng): hnv decode FILE.pcap [--json]');
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
  try {
    const result = await decodeCapture({
      json,
      read: (into) => readSync(fd, into, 0, into.length, null),
      out: new BufferedOutput(process.stdout),
      onIssue: (severity, message) => console.error(`hnv decode: ${file}: ${severity}: ${message}`),
    });
    if (result.fatal) {
      console.error(`hnv decode: ${file}: ${result.fatal}`);
      return 1;
    }
    return 0;
  } catch (e) {
    console.error(`hnv decode: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    closeSync(fd);
  }
}
