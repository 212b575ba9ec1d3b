// Addresses as the cmdlets write them: IPv4 dotted quads, MACs as 12 hex digits
// (PowerShell prints 00155D010203; the document stores 00:15:5d:01:02:03).

export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

/** A MAC in any of the cmdlets' spellings, as the document writes it (lower case, colons). */
export function parseMac(text: string): string | null {
  const hex = text.replace(/[-:.]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(hex)) return null;
  if (text.length !== 12 && !/^([0-9a-fA-F]{2}[-:]){5}[0-9a-fA-F]{2}$/.test(text)) return null;
  return hex.toLowerCase().match(/../g)?.join(':') ?? null;
}

/** 00:15:5d:01:02:03 -> 00155D010203 (Get-NetVirtualizationLookupRecord). */
export const psMac = (mac: string): string => mac.replace(/:/g, '').toUpperCase();

/** 00:15:5d:01:02:03 -> 00-15-5D-01-02-03 (Get-PACAMapping, Get-ProviderAddress). */
export const dashedMac = (mac: string): string => mac.replace(/:/g, '-').toUpperCase();

export function inPrefix(ip: string, prefix: string): boolean {
  const [base, lenText] = prefix.split('/');
  const a = parseIpv4(ip);
  const b = parseIpv4(base);
  const len = Number(lenText);
  if (a === null || b === null) return false;
  if (len === 0) return true;
  const mask = (0xffff_ffff << (32 - len)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

export function maskOf(prefixLength: number): string {
  const mask = prefixLength === 0 ? 0 : (0xffff_ffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((s) => (mask >>> s) & 255).join('.');
}
