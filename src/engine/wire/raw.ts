// Bytes no decoder claims: a 'data' layer with one field, 'data.data', as Wireshark shows them.
import type { ByteWriter } from './bytes.ts';
import type { DecodeContext, LayerResult } from './fields.ts';
import { createContext, layer, readFields } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, RawPayload } from './types.ts';

/** One row whose length is the payload's: the decoder sets it per frame. */
export const rawFields: FieldSpec[] = [
  { key: 'data.data', label: 'Data', offset: 0, length: 0, format: 'bytes' },
];

export function decodeRaw(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const length = Math.max(0, end - offset);
  readFields(bytes, [{ ...rawFields[0], length }], offset, end, ctx, fields, 'Data');
  return {
    layer: layer('data', 'Data', offset, length, fields, { bytes: bytes.slice(offset, offset + length) }),
  };
}

export function encodeRaw(h: RawPayload, w: ByteWriter, _opts?: EncodeOptions): void {
  w.bytes(h.bytes);
}
