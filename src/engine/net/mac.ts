// 48-bit MAC addresses: parse, format, the unicast rule, and the distributed router's MAC.

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Value of one hex digit's char code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** 'aa:bb:cc:dd:ee:ff' (or with '-') to 6 bytes; undefined if malformed. A char loop: the encoder calls this per frame. */
export function parseMac(text: string): Uint8Array | undefined {
  const out = new Uint8Array(6);
  let part = 0;
  let digits = 0;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 || c === 45) {
      // ':' or '-'
      if (digits === 0 || part === 5) return undefined;
      out[part++] = v;
      v = 0;
      digits = 0;
      continue;
    }
    const d = hexDigit(c);
    if (d < 0 || digits === 2) return undefined;
    v = v * 16 + d;
    digits++;
  }
  if (part !== 5 || digits === 0) return undefined;
  out[5] = v;
  return out;
}

/** Lenient MAC to bytes: malformed input yields 00:00:00:00:00:00 (encoders never throw). */
export function macToBytes(text: string): Uint8Array {
  return parseMac(text) ?? new Uint8Array(6);
}

/** Six bytes from `start` as lower-case 'aa:bb:cc:dd:ee:ff'. */
export function formatMac(bytes: Uint8Array, start = 0): string {
  return `${HEX[bytes[start]]}:${HEX[bytes[start + 1]]}:${HEX[bytes[start + 2]]}:${HEX[bytes[start + 3]]}:${HEX[bytes[start + 4]]}:${HEX[bytes[start + 5]]}`;
}

/** A unicast MAC: the I/G bit (bit 0 of the first byte) clear, and not all zeros. */
export function isUnicastMac(bytes: Uint8Array): boolean {
  return (bytes[0] & 1) === 0 && bytes.some((b) => b !== 0);
}

/**
 * The distributed router's default MAC in a virtual subnet. Locally administered and derived from
 * the VSID so it is the same on every host (the router is distributed) and stable across runs.
 */
export function derivedGatewayMac(vsid: number): string {
  return `02:dd:01:${HEX[(vsid >>> 16) & 255]}:${HEX[(vsid >>> 8) & 255]}:${HEX[vsid & 255]}`;
}

/** A virtual subnet's gateway MAC: the one configured, else derived from its VSID. */
export function gatewayMacOf(subnet: { vsid: number; gatewayMac?: string }): string {
  return subnet.gatewayMac ?? derivedGatewayMac(subnet.vsid);
}
