// Addresses as the cmdlets write them: MACs as 12 hex digits (PowerShell prints 00155D010203;
// the document stores 00:15:5d:01:02:03). The arithmetic itself is the net module's.
import { formatIpv4, formatMac, parseMac as parseMacBytes, prefixMask } from '../net';

export { parseIpv4 } from '../net';

/** A MAC in any of the cmdlets' spellings (00155D010203, 00-15-5D-…, 00:15:5d:…), as the document writes it. */
export function parseMac(text: string): string | null {
  const bytes = /^[0-9a-fA-F]{12}$/.test(text)
    ? parseMacBytes(text.match(/../g)?.join(':') ?? '')
    : parseMacBytes(text);
  return bytes ? formatMac(bytes) : null;
}

/** 00:15:5d:01:02:03 -> 00155D010203 (Get-NetVirtualizationLookupRecord). */
export const psMac = (mac: string): string => mac.replace(/:/g, '').toUpperCase();

/** 00:15:5d:01:02:03 -> 00-15-5D-01-02-03 (Get-PACAMapping, Get-ProviderAddress). */
export const dashedMac = (mac: string): string => mac.replace(/:/g, '-').toUpperCase();

/** 24 -> 255.255.255.0 */
export const maskOf = (prefixLength: number): string => formatIpv4(prefixMask(prefixLength));
