// Bytes no decoder claims: a 'data' layer with one field, 'data.data', as Wireshark shows them.
import type { ByteWriter } from './bytes.ts';
import type { DecodeContext, LayerResult } from './fields.ts';
import { layer, readFields } from './fields.ts';
import type { EncodeOptions, FieldNode, FieldSpec, RawPayload } from './types.ts';

export const rawFields = (length: number): FieldSpec[] => [
  { key: 'data.data', label: 'Data', offset: 0, length, format: 'bytes' },
];

export function decodeRaw(bytes: Uint8Array, offset: number, end: number, ctx: DecodeContext): LayerResult {
  const fields: FieldNode[] = [];
  const length = Math.max(0, end - offset);
  readFields(bytes, rawFields(length), offset, end, ctx, fields, 'Data');
  return {
    layer: layer('data', 'Data', offset, length, fields, { bytes: bytes.slice(offset, offset + length) }),
  };
}

export function encodeRaw(h: RawPayload, w: ByteWriter, _opts?: EncodeOptions): void {
  w.bytes(h.bytes);
}
