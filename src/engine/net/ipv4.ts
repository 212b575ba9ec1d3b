// IPv4 addresses as unsigned 32-bit numbers. One char loop, no allocation: validation of
// big documents and the frame encoder both call it per address.

/** A dotted quad ("10.1.1.11") to an unsigned 32-bit number; undefined when malformed. */
export function parseIpv4(text: string): number | undefined {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      // '.'
      if (digits === 0 || dots === 3) return undefined;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return undefined;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return (n * 256 + octet) >>> 0;
}

/** Lenient: malformed input yields 0 (encoders never throw; checked documents never hit it). */
export function ipv4ToNumber(text: string): number {
  return parseIpv4(text) ?? 0;
}

export function isIpv4(text: string): boolean {
  return parseIpv4(text) !== undefined;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** The limited broadcast address 255.255.255.255. */
export const IPV4_BROADCAST = 0xffffffff;
