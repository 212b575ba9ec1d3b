// ESP, the IPsec Encapsulating Security Payload (RFC 4303), IP protocol 50: what a site-to-site
// IPsec tunnel of the RAS gateway puts on the wire. Only the SPI and the sequence number are
// in the clear; the rest (IV, the encrypted inner packet, padding, pad length, next header,
// ICV) is opaque without the security association's keys, and shown as encrypted data (as
// tshark shows it when it has no keys: esp.spi, esp.sequence, nothing else).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |               Security Parameters Index (SPI)                 |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                      Sequence Number                          |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  IV, payload data, padding, pad length, next header (encrypted)|
//  ~                                                               ~
//  |         Integrity Check Value (ICV), variable                 |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { ByteWriter } from './bytes.ts';
import { hex } from './bytes.ts';
import type { DecodeContext, LayerResult } from './fields.ts';
import { addIssue, createContext, layer, makeNode, readFields, readUint } from './fields.ts';
import type { EncodeOptions, EspHeader, FieldNode, FieldSpec } from './types.ts';

export const IP_ESP = 50;

export const espFields: FieldSpec[] = [
  {
    key: 'esp.spi',
    label: 'Security Parameters Index (SPI)',
    offset: 0,
    length: 4,
    format: 'hex',
    meaning: 'Names the security association (the tunnel and direction) at the receiver',
  },
  {
    key: 'esp.sequence',
    label: 'Sequence number',
    offset: 4,
    length: 4,
    format: 'dec',
    meaning: 'Counts the packets of the SA from 1: the receiver rejects replays',
  },
];

/** Not a tshark field (tshark shows nothing for it without keys): the opaque rest of the packet. */
export const ESP_ENCRYPTED_KEY = 'esp.encrypted';

export function decodeEsp(
  bytes: Uint8Array,
  offset = 0,
  end = bytes.length,
  ctx: DecodeContext = createContext(bytes),
): LayerResult {
  const fields: FieldNode[] = [];
  const header: EspHeader = { spi: 0, sequence: 0, payload: new Uint8Array(0) };
  const title = 'Encapsulating Security Payload';
  if (!readFields(bytes, espFields, offset, end, ctx, fields, 'ESP'))
    return { layer: layer('esp', title, offset, end - offset, fields, header) };
  header.spi = readUint(bytes, offset, 4);
  header.sequence = readUint(bytes, offset + 4, 4);
  header.payload = bytes.slice(offset + 8, end);
  // RFC 4303 §2.1: SPIs 1..255 are reserved by IANA and 0 is for local use only: never on the wire.
  if (header.spi < 256)
    addIssue(
      ctx,
      'esp-spi-reserved',
      'warning',
      offset,
      4,
      `ESP SPI ${header.spi} is reserved (RFC 4303 §2.1: 0 is local-only, 1-255 are reserved by IANA)`,
    );
  const length = end - offset - 8;
  if (length > 0) {
    const value = hex(bytes, offset + 8, end);
    const display = length > 32 ? `${value.slice(0, 64)}… (${length} bytes)` : value;
    fields.push(
      makeNode(
        ESP_ENCRYPTED_KEY,
        'Encrypted data (IV, payload, padding, next header, ICV)',
        offset + 8,
        length,
        value,
        display,
        "Unreadable without the security association's keys",
      ),
    );
  }
  return { layer: layer('esp', title, offset, end - offset, fields, header) };
}

export function encodeEsp(h: EspHeader, w: ByteWriter, _opts?: EncodeOptions): void {
  w.u32(h.spi).u32(h.sequence).bytes(h.payload);
}
