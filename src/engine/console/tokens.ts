// A PowerShell command line as the lab reads it: one command, its parameters and arguments.
// `Name -Param value -Switch -Param:value 'quoted' "quoted" a,b,c` — enough of PowerShell's
// grammar for the NetVirtualization cmdlets, and errors in PowerShell's own words.

export interface Token {
  text: string;
  /** Where the token starts in the line (for completion and error carets). */
  start: number;
  /** A `-Name` parameter token (not a quoted '-x' string, not a negative number). */
  isParameter: boolean;
  quoted: boolean;
}

export class ParseError extends Error {}

const SPACE = /\s/;

/** Splits a command line into tokens; a `#` outside quotes starts a comment. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    if (c === '#') break;
    const start = i;
    if (c === "'" || c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= line.length)
          throw new ParseError(
            `The string is missing the terminator: ${c}. (the quote opened at column ${start + 1})`,
          );
        const d = line[i];
        if (d === c) {
          // PowerShell doubles a quote to put it inside: 'it''s'.
          if (line[i + 1] === c) {
            text += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '"' && d === '`' && i + 1 < line.length) {
          text += line[i + 1];
          i += 2;
          continue;
        }
        text += d;
        i++;
      }
      tokens.push({ text, start, isParameter: false, quoted: true });
      continue;
    }
    // A bare word runs to the next space; `-Name:value` splits at the colon.
    let text = '';
    while (i < line.length && !SPACE.test(line[i])) {
      if ((line[i] === "'" || line[i] === '"') && text.endsWith(':') && text.startsWith('-')) break;
      text += line[i];
      i++;
    }
    const isParameter = /^-[A-Za-z]/.test(text);
    const colon = isParameter ? text.indexOf(':') : -1;
    if (colon > 0) {
      tokens.push({ text: text.slice(0, colon), start, isParameter: true, quoted: false });
      const rest = text.slice(colon + 1);
      if (rest !== '')
        tokens.push({ text: rest, start: start + colon + 1, isParameter: false, quoted: false });
      continue;
    }
    tokens.push({ text, start, isParameter, quoted: false });
  }
  return tokens;
}
