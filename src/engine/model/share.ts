// Share links: the document as JSON, deflate-raw compressed with the platform's
// CompressionStream, in base64url, behind a short format tag: "d1.<base64url>".
// Decoding goes through the same path as every import: migrate, then validate.
import { loadDocument } from './migrations';
import { quote } from './quote';
import type { TopologyDocument } from './schema';
import type { ValidationError, ValidationResult } from './validate';

// The engine compiles against ES2022 only; these globals exist in browsers, workers and
// Node 20. Only the parts used here are declared.
interface ByteStreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(): Promise<void>;
}
interface ByteStreamWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface ByteTransformStream {
  readable: { getReader(): ByteStreamReader };
  writable: { getWriter(): ByteStreamWriter };
}
declare const CompressionStream: new (format: 'deflate-raw') => ByteTransformStream;
declare const DecompressionStream: new (format: 'deflate-raw') => ByteTransformStream;
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new (
  label: 'utf-8',
  options: { fatal: boolean },
) => { decode(bytes: Uint8Array): string };

export const SHARE_FORMAT_TAG = 'd1';
const LEGACY_PREFIX = 'doc=';
/** A share link never inflates beyond this (a guard against crafted links). */
export const SHARE_MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL_VALUE = new Map([...BASE64URL].map((c, i) => [c, i]));

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += BASE64URL[n >>> 18] + BASE64URL[(n >>> 12) & 63] + BASE64URL[(n >>> 6) & 63] + BASE64URL[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += BASE64URL[n >>> 18] + BASE64URL[(n >>> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += BASE64URL[n >>> 18] + BASE64URL[(n >>> 12) & 63] + BASE64URL[(n >>> 6) & 63];
  }
  return out;
}

/** Undefined when the text is not base64url (padding '=' is tolerated). */
export function fromBase64Url(text: string): Uint8Array | undefined {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const c of clean) {
    const v = BASE64URL_VALUE.get(c);
    if (v === undefined) return undefined;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >>> bits) & 255;
    }
  }
  return out;
}

async function pipe(bytes: Uint8Array, stream: ByteTransformStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Write and read concurrently: awaiting the write first can stall on backpressure.
  const writing = writer
    .write(bytes)
    .then(() => writer.close())
    .catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value === undefined) continue;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new RangeError(`more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  await writing;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The document as a URL-fragment-safe string: "d1." + base64url(deflate-raw(JSON)). */
export async function encodeShareFragment(doc: TopologyDocument): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(doc));
  const compressed = await pipe(json, new CompressionStream('deflate-raw'), Number.POSITIVE_INFINITY);
  return `${SHARE_FORMAT_TAG}.${toBase64Url(compressed)}`;
}

function linkError(rule: string, message: string): { ok: false; errors: ValidationError[] } {
  return { ok: false, errors: [{ objectKind: 'share link', field: 'fragment', rule, message }] };
}

/**
 * Decodes what encodeShareFragment made (a leading '#' is ignored; "doc=" links with the
 * same payload are accepted too), then migrates and validates the result; never throws.
 */
export async function decodeShareFragment(fragment: string): Promise<ValidationResult> {
  let text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  // "doc=<tag>.<base64url>" is what the lab's share URLs carry; "doc=<base64url>" (no tag: a
  // base64url payload has no '.') is the worker's first link format, with the d1 payload.
  if (text.startsWith(LEGACY_PREFIX)) {
    text = text.slice(LEGACY_PREFIX.length);
    if (!text.includes('.')) text = `${SHARE_FORMAT_TAG}.${text}`;
  }
  const dot = text.indexOf('.');
  const tag = dot < 0 ? '' : text.slice(0, dot);
  if (tag !== SHARE_FORMAT_TAG) {
    return linkError(
      'format',
      dot < 0 || tag === ''
        ? 'the share link has no format tag (it should start with d1.)'
        : `the share link format ${quote(tag)} is not known to this lab (it reads d1)`,
    );
  }
  const compressed = fromBase64Url(text.slice(dot + 1));
  if (compressed === undefined)
    return linkError('base64url', 'the share link is damaged: it is not base64url text');
  let json: Uint8Array;
  try {
    json = await pipe(compressed, new DecompressionStream('deflate-raw'), SHARE_MAX_DOCUMENT_BYTES);
  } catch (error) {
    if (error instanceof RangeError) {
      return linkError('size', `the share link expands beyond ${SHARE_MAX_DOCUMENT_BYTES} bytes`);
    }
    return linkError(
      'deflate',
      'the share link is damaged: its data does not decompress (was it cut short?)',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    return linkError('json', 'the share link is damaged: its content is not JSON');
  }
  return loadDocument(raw);
}
