// User values as error messages quote them. Every message that repeats something the user
// typed goes through here, so a 50 MB MAC makes an 80-character message, not a 50 MB one,
// and a name with a right-to-left override cannot flip the sentence around it.

/** Values up to this many characters are quoted whole. */
export const QUOTE_WHOLE_MAX = 80;
/** Longer ones: their first this many characters, then "… (N characters)". */
export const QUOTE_HEAD = 60;

/**
 * Unicode's explicit bidirectional formatting characters: embeddings and overrides
 * (U+202A..U+202E), isolates (U+2066..U+2069), the LRM/RLM marks and the Arabic letter mark.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

const BIDI_NAMES: ReadonlyMap<number, string> = new Map([
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x061c, 'ARABIC LETTER MARK'],
]);

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Where the first bidi control character sits (0-based), or -1. */
export function bidiControlIndex(text: string): number {
  BIDI_CONTROL.lastIndex = 0;
  const found = BIDI_CONTROL.exec(text);
  return found === null ? -1 : found.index;
}

/** "U+202E RIGHT-TO-LEFT OVERRIDE at position 4" for the first bidi control in `text`. */
export function describeBidiControl(text: string): string | undefined {
  const index = bidiControlIndex(text);
  if (index < 0) return undefined;
  const code = text.charCodeAt(index);
  return `${codePoint(code)} ${BIDI_NAMES.get(code)} at position ${index + 1}`;
}

/**
 * A user string as a message shows it: whole up to QUOTE_WHOLE_MAX characters, else its
 * first QUOTE_HEAD characters and "… (N characters)"; bidi controls written as <U+202E>.
 */
export function clip(text: string): string {
  let head = text;
  let rest = '';
  if (text.length > QUOTE_WHOLE_MAX) {
    let end = QUOTE_HEAD;
    // Never cut a surrogate pair in half.
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end--;
    head = text.slice(0, end);
    rest = `… (${text.length} characters)`;
  }
  return head.replace(BIDI_CONTROL, (c) => `<${codePoint(c.charCodeAt(0))}>`) + rest;
}

/** A user string in quotes: 'Web'. */
export function quote(text: string): string {
  return `'${clip(text)}'`;
}

/** Any JSON value as a message names it: 'text' (clipped), 42, true, null, a list, an object, nothing. */
export function show(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return clip(String(value));
  return Array.isArray(value) ? 'a list' : 'an object';
}
