// Bytes no decoder claims: a 'data' layer with one field, 'data.data', as Wireshark shows them.
import type { ByteWriter } from './bytes.ts';
import { hex } from './bytes.ts';
import type { DecodeContext, LayerResult } from './fields.ts';
import { layer, makeNode } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, RawPayload } from './types.ts';

/** One row whose length is the payload's: the decoder sets it per frame. */
export const rawFields: FieldSpec[] = [
  { key: 'data.data', label: 'Data', offset: 0, length: 0, format: 'bytes' },
];

export function decodeRaw(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  _ctx?: DecodeContext,
): LayerResult {
  const length = Math.max(0, end - offset);
  const value = hex(bytes, offset, offset + length);
  const display = length > 32 ? `${value.slice(0, 64)}… (${length} bytes)` : value;
  // readField's 'bytes' row, without a table made per frame for the varying length.
  const fields: FieldNode[] = [
    makeNode(rawFields[0].key, rawFields[0].label, offset, length, value, display),
  ];
  return {
    layer: layer('data', 'Data', offset, length, fields, { bytes: bytes.slice(offset, offset + length) }),
  };
}

export function encodeRaw(h: RawPayload, w: ByteWriter, _opts?: EncodeOptions): void {
  w.bytes(h.bytes);
}
