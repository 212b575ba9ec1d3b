// Bit fields as Wireshark shows them: the bits a field uses, with their values, the others
// as dots, in groups of four ("0100 .... = Version: 4", ".... 0101 = Header Length: 20 (5)").
import type { FieldNode } from '../../engine/wire/types';

/** How many bits wide a field's pattern is: its bytes, trimmed to its parent's mask (TCP's 12 flag bits). */
export function bitWidth(node: FieldNode, parent?: FieldNode): number {
  let width = node.length * 8;
  if (parent?.mask !== undefined && parent.length === node.length) {
    // Leading nibbles the parent's mask does not cover are not part of the field.
    while (width > 4 && Math.floor(parent.mask / 2 ** (width - 4)) % 16 === 0) width -= 4;
  }
  return width;
}

/** The field's raw bytes as one number (fields with a mask are at most 4 bytes). */
function rawBytes(bytes: Uint8Array, start: number, length: number): number | null {
  if (length > 4 || start + length > bytes.length) return null;
  let raw = 0;
  for (let i = 0; i < length; i++) raw = raw * 256 + bytes[start + i];
  return raw;
}

/** "0100 ....": the values of the bits under the mask, dots elsewhere; null for a whole-byte field. */
export function bitString(bytes: Uint8Array, node: FieldNode, parent?: FieldNode): string | null {
  if (node.mask === undefined) return null;
  const raw = rawBytes(bytes, node.start, node.length);
  if (raw === null) return null;
  const width = bitWidth(node, parent);
  let out = '';
  for (let i = width - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const used = Math.floor(node.mask / bit) % 2 === 1;
    out += used ? String(Math.floor(raw / bit) % 2) : '.';
    if (i % 4 === 0 && i) out += ' ';
  }
  return out;
}

/** The value of the bits under the mask, shifted down (IHL 5 for a 20-byte header). */
export function maskedValue(bytes: Uint8Array, node: FieldNode): number | null {
  if (node.mask === undefined || node.mask === 0) return null;
  const raw = rawBytes(bytes, node.start, node.length);
  if (raw === null) return null;
  let shift = 1;
  while (Math.floor(node.mask / shift) % 2 === 0) shift *= 2;
  return ((raw & node.mask) >>> 0) / shift;
}

/**
 * The field's value as Wireshark's tree writes it after the bits: the display, and the raw
 * bits' value when the field scales it (a header length in bytes from IHL words).
 */
export function bitValueText(bytes: Uint8Array, node: FieldNode): string {
  const raw = maskedValue(bytes, node);
  if (raw !== null && typeof node.value === 'number' && node.value !== raw) return `${node.display} (${raw})`;
  return node.display;
}

/** The whole Wireshark line: "0100 .... = Version: 4"; null for a whole-byte field. */
export function wiresharkBitLine(bytes: Uint8Array, node: FieldNode, parent?: FieldNode): string | null {
  const bits = bitString(bytes, node, parent);
  return bits === null ? null : `${bits} = ${node.label}: ${bitValueText(bytes, node)}`;
}
